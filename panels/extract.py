"""oocd_referrals.csv of the service extract (interchange.md), registered with
the extract framework in cases.extract when the app is ready."""

from __future__ import annotations

from collections.abc import Iterator

from cases import validation as v
from cases import vocab
from cases.extract.files import (
    OUTCOME_CODES,
    OUTCOMES,
    SourceSpec,
    child_pk,
    child_reference,
    fmt_date,
    fmt_flag,
    merged_links,
    offence_references,
    replace_links,
    with_links,
)
from cases.extract.framework import Context, Row, register
from cases.extract.writer import upsert
from panels.models import OocdReferral


class ReferralsSpec(SourceSpec):
    name = "oocd_referrals.csv"
    columns = (
        "referral_id",
        "child_id",
        "offence_ids",
        "referral_date",
        "admission",
        "panel_date",
        "decision",
        "outcome_id",
    )
    required_columns = frozenset(columns[:5])
    order = 50
    id_column = "referral_id"
    model = OocdReferral
    prefix = "YJS-RF"
    fields = ["child_id", "referral_date", "admission", "panel_date", "decision", "outcome_id"]

    def parse(self, row: Row, ctx: Context) -> dict:
        source_id = row.get("referral_id", v.parse_id)
        child = child_reference(row, ctx)
        offence_ids, offence_dates = offence_references(row, ctx, child_slot=child)
        record = {
            "source_id": source_id,
            "child": child,
            "offences": offence_ids,
            "referral_date": row.get("referral_date", v.parse_date),
            "admission": row.get("admission", v.parse_flag, required=True),
            "panel_date": row.get("panel_date", v.parse_date, required=False),
            "decision": row.get("decision", v.parse_code, vocab.OOCD_DECISION, required=False),
            "outcome": row.get("outcome_id", v.parse_id) if row.raw("outcome_id") else None,
        }
        row.extend(
            v.referral_problems(
                referral_date=record["referral_date"],
                admission=record["admission"],
                panel_date=record["panel_date"],
                decision=record["decision"] or "",
                offence_dates=offence_dates,
                today=ctx.today,
            )
        )
        if record["outcome"]:
            self._check_outcome(row, ctx, record, child)
        return record

    def _check_outcome(self, row: Row, ctx: Context, record: dict, child: int | None) -> None:
        """interchange.md: the outcome the decision produced, same child, its
        type equal to the decision."""
        outcome_id = record["outcome"]
        index = ctx.index(OUTCOMES)
        slot = index.get(outcome_id)
        if slot is None:
            if index.complete:
                row.problem("outcome_id", f"{outcome_id!r} is not in {OUTCOMES}")
            return
        owner = index.attr(slot, "child")  # -1: the outcome's own child_id is wrong
        if child is not None and owner >= 0 and owner != child:
            row.problem("outcome_id", f"{outcome_id!r} is an outcome of another child")
        type_index = index.attr(slot, "type")
        outcome_type = OUTCOME_CODES[type_index - 1] if type_index else ""
        decision = record["decision"]
        if decision is not None and outcome_type and outcome_type != decision:
            shown = decision or "blank"
            row.problem(
                "outcome_id",
                f"{outcome_id!r} is a {outcome_type} outcome but the decision is {shown}",
            )

    def write(self, records: list[dict], ctx: Context) -> None:
        outcomes = ctx.index(OUTCOMES)
        for record in records:
            record["child_id"] = child_pk(ctx, record["child"])
            record["outcome_id"] = outcomes.pk(record["outcome"]) if record["outcome"] else None
        pks, replaced = upsert(self.model, records, ctx, self.fields)
        offences = ctx.index("offences.csv")
        links = [
            (pks[r["source_id"]], offences.pk(offence_id))
            for r in records
            for offence_id in r["offences"]
        ]
        through = OocdReferral.offences.through
        replace_links(through, "oocdreferral_id", "offence_id", links, replaced, ctx)

    def export_rows(self) -> Iterator[list[str]]:
        rows = OocdReferral.objects.order_by("pk").values_list(
            "pk",
            "source_id",
            "child__source_id",
            "referral_date",
            "admission",
            "panel_date",
            "decision",
            "outcome__source_id",
        )
        links = merged_links(OocdReferral.offences.through, "oocdreferral_id", "offence_id")
        for row, offence_ids in with_links(rows.iterator(chunk_size=10000), links):
            _, sid, child, referred, admission, panel, decision, outcome = row
            yield [
                sid,
                child,
                ";".join(offence_ids),
                fmt_date(referred),
                fmt_flag(admission),
                fmt_date(panel),
                decision,
                outcome or "",
            ]


register(ReferralsSpec())
