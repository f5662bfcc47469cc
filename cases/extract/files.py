"""The cases files of the service extract (interchange.md): children,
offences, outcomes, remands, the episode files and victims.

Every cell goes through the parsers of cases.validation and every row
through its rules, the same ones the forms use. Cross-file references are
checked against the compact indexes of the files read before.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from django.db.models import CharField, Model, Value
from django.db.models.functions import Cast, Concat

from cases import models, validation, vocab
from cases.extract.framework import Context, FileSpec, Row, ordinal, register
from cases.extract.writer import insert_links, upsert

v = validation
CHILDREN = "children.csv"
OFFENCES = "offences.csv"
OUTCOMES = "outcomes.csv"

OUTCOME_CODES = [code for code, _ in vocab.OUTCOME_TYPE]
OUTCOME_CODE_INDEX = {code: i + 1 for i, code in enumerate(OUTCOME_CODES)}


# --- Formatting for the export (canonical: ISO dates, Y/N, blanks empty) ------


def fmt_date(value: date | None) -> str:
    return value.isoformat() if value else ""


def fmt_flag(value: bool | None) -> str:
    return "" if value is None else ("Y" if value else "N")


def fmt_number(value: int | Decimal | None) -> str:
    return "" if value is None else str(value)


# --- References between files ---------------------------------------------------


def child_reference(row: Row, ctx: Context, column: str = "child_id") -> int | None:
    """The slot of the row's child in children.csv's index, or None (problem noted)."""
    child_id = row.get(column, v.parse_id)
    if child_id is None:
        return None
    index = ctx.index(CHILDREN)
    slot = index.get(child_id)
    if slot is None and index.complete:
        row.problem(column, f"{child_id!r} is not in {CHILDREN}")
    return slot


def child_date_of_birth(ctx: Context, slot: int | None) -> date | None:
    if slot is None:
        return None
    day = ctx.index(CHILDREN).attr(slot, "dob")
    return date.fromordinal(day) if day else None


def offence_references(
    row: Row, ctx: Context, *, child_slot: int | None, same_child: bool = True
) -> tuple[list[str], list[date]]:
    """The row's ``offence_ids`` (those that exist) and their dates. With
    ``same_child`` each must be an offence of the row's child."""
    ids = row.get("offence_ids", v.parse_id_list) or []
    index = ctx.index(OFFENCES)
    found, dates = [], []
    for offence_id in ids:
        slot = index.get(offence_id)
        if slot is None:
            if index.complete:
                row.problem("offence_ids", f"{offence_id!r} is not in {OFFENCES}")
            continue
        owner = index.attr(slot, "child")  # -1: the offence's own child_id is wrong
        if same_child and child_slot is not None and owner >= 0 and owner != child_slot:
            row.problem("offence_ids", f"{offence_id!r} is an offence of another child")
            continue
        found.append(offence_id)
        day = index.attr(slot, "date")
        if day:
            dates.append(date.fromordinal(day))
    return found, dates


def child_pk(ctx: Context, slot: int) -> int:
    return ctx.index(CHILDREN).pks[slot]


# --- Writing (cases.extract.writer) and identifiers -----------------------------------


def store_pks(ctx: Context, file_name: str, pks: dict[str, int]) -> None:
    index = ctx.index(file_name)
    for source_id, pk in pks.items():
        index.pks[index.slots[source_id]] = pk


def replace_links(
    through: type[Model],
    owner_field: str,
    target_field: str,
    links: list[tuple[int, int]],
    replaced_owners: list[int],
    ctx: Context,
) -> None:
    """Many-to-many rows (outcome–offence, victim–offence...): those of
    re-imported owners are replaced by the extract's."""
    if replaced_owners:
        through.objects.filter(**{f"{owner_field}__in": replaced_owners}).delete()
    insert_links(through, owner_field, target_field, links, ctx)


def assign_source_ids(model: type[Model], prefix: str) -> None:
    """Rows created in the application have no source_id: the export gives
    them a stable one (prefix + primary key) and keeps it, so a re-import of
    the export updates them instead of adding copies."""
    model.objects.filter(source_id__isnull=True).update(
        source_id=Concat(Value(prefix), Cast("pk", output_field=CharField()))
    )


def merged_links(
    through: type[Model], owner_field: str, target_field: str
) -> Iterator[tuple[int, list[str]]]:
    """(owner pk, target source ids) in owner then target order, streamed."""
    rows = (
        through.objects.order_by(owner_field, target_field)
        .values_list(owner_field, f"{target_field}__source_id")
        .iterator(chunk_size=10000)
    )
    current, ids = None, []
    for owner, source_id in rows:
        if owner != current:
            if current is not None:
                yield current, ids
            current, ids = owner, []
        ids.append(source_id)
    if current is not None:
        yield current, ids


def with_links(
    owners: Iterator[tuple], links: Iterator[tuple[int, list[str]]]
) -> Iterator[tuple[tuple, list[str]]]:
    """Join owner rows (pk first, ascending) with ``merged_links`` output."""
    pending = next(links, None)
    for owner in owners:
        while pending is not None and pending[0] < owner[0]:
            pending = next(links, None)
        if pending is not None and pending[0] == owner[0]:
            yield owner, pending[1]
        else:
            yield owner, []


class SourceSpec(FileSpec):
    """A file whose rows map onto one model with a ``source_id``."""

    prefix: str = ""  # for ids of rows created in the application
    fields: list[str] = []

    def prepare_export(self) -> None:
        assign_source_ids(self.model, self.prefix)

    def write(self, records: list[dict], ctx: Context) -> None:
        pks, _ = upsert(self.model, records, ctx, self.fields)
        store_pks(ctx, self.name, pks)


# --- children.csv --------------------------------------------------------------------


class ChildrenSpec(SourceSpec):
    name = CHILDREN
    columns = (
        "child_id",
        "given_name",
        "family_name",
        "date_of_birth",
        "sex",
        "ethnicity",
        "locality",
        "looked_after",
    )
    required_columns = frozenset(columns[:6])
    required = True
    order = 10
    id_column = "child_id"
    index_fields = ("dob",)
    model = models.Child
    prefix = "YJS-C"
    fields = [
        "given_name",
        "family_name",
        "date_of_birth",
        "sex",
        "ethnicity",
        "locality",
        "looked_after",
    ]

    def parse(self, row: Row, ctx: Context) -> dict:
        record = {
            "source_id": row.get("child_id", v.parse_id),
            "given_name": row.get("given_name", v.parse_text, max_length=100, required=True),
            "family_name": row.get("family_name", v.parse_text, max_length=100, required=True),
            "date_of_birth": row.get("date_of_birth", v.parse_date),
            "sex": row.get("sex", v.parse_code, vocab.SEX),
            "ethnicity": row.get("ethnicity", v.parse_code, vocab.ETHNICITY),
            "locality": row.get("locality", v.parse_text, max_length=100),
            "looked_after": row.get("looked_after", v.parse_flag, default=False),
        }
        row.extend(v.child_problems(date_of_birth=record["date_of_birth"], today=ctx.today))
        return record

    def index_values(self, record: dict) -> dict[str, int]:
        return {"dob": ordinal(record["date_of_birth"])}

    def export_rows(self) -> Iterator[list[str]]:
        rows = models.Child.objects.order_by("pk").values_list("source_id", *self.fields)
        for sid, given, family, dob, sex, eth, locality, la in rows.iterator(chunk_size=10000):
            yield [sid, given, family, fmt_date(dob), sex, eth, locality, fmt_flag(la)]


# --- offences.csv --------------------------------------------------------------------


class OffencesSpec(SourceSpec):
    name = OFFENCES
    columns = (
        "offence_id",
        "child_id",
        "offence_date",
        "category",
        "seriousness_score",
        "gravity_score",
        "description",
        "weapon",
    )
    required_columns = frozenset(columns[:5])
    required = True
    order = 20
    id_column = "offence_id"
    index_fields = ("child", "date")
    model = models.Offence
    prefix = "YJS-OF"
    fields = [
        "child_id",
        "offence_date",
        "category",
        "seriousness_score",
        "gravity_score",
        "description",
        "weapon",
    ]

    def parse(self, row: Row, ctx: Context) -> dict:
        source_id = row.get("offence_id", v.parse_id)
        child = child_reference(row, ctx)
        record = {
            "source_id": source_id,
            "child": child,
            "offence_date": row.get("offence_date", v.parse_date),
            "category": row.get("category", v.parse_code, vocab.OFFENCE_CATEGORY),
            "seriousness_score": row.get("seriousness_score", v.parse_int, low=1, high=8),
            "gravity_score": row.get("gravity_score", v.parse_int, low=1, high=4, required=False),
            "description": row.get("description", v.parse_text, max_length=v.MAX_TEXT_LENGTH),
            "weapon": row.get("weapon", v.parse_flag, default=False),
        }
        row.extend(
            v.offence_problems(
                date_of_birth=child_date_of_birth(ctx, child),
                offence_date=record["offence_date"],
                today=ctx.today,
            )
        )
        return record

    def index_values(self, record: dict) -> dict[str, int]:
        child = record["child"]
        return {
            "child": -1 if child is None else child,
            "date": ordinal(record["offence_date"]),
        }

    def write(self, records: list[dict], ctx: Context) -> None:
        for record in records:
            record["child_id"] = child_pk(ctx, record["child"])
        super().write(records, ctx)

    def export_rows(self) -> Iterator[list[str]]:
        rows = models.Offence.objects.order_by("pk").values_list(
            "source_id",
            "child__source_id",
            "offence_date",
            "category",
            "seriousness_score",
            "gravity_score",
            "description",
            "weapon",
        )
        for sid, child, day, cat, ser, grav, desc, weapon in rows.iterator(chunk_size=10000):
            yield [
                sid,
                child,
                fmt_date(day),
                cat,
                fmt_number(ser),
                fmt_number(grav),
                desc,
                fmt_flag(weapon),
            ]


# --- outcomes.csv --------------------------------------------------------------------


class OutcomesSpec(SourceSpec):
    name = OUTCOMES
    columns = (
        "outcome_id",
        "child_id",
        "offence_ids",
        "outcome_date",
        "outcome_type",
        "end_date",
        "release_date",
        "yjs_intervention",
        "successfully_completed",
    )
    required_columns = frozenset(columns[:5])
    required = True
    order = 30
    id_column = "outcome_id"
    index_fields = ("child", "type")
    model = models.Outcome
    prefix = "YJS-OU"
    fields = [
        "child_id",
        "outcome_date",
        "outcome_type",
        "tier",
        "end_date",
        "release_date",
        "yjs_intervention",
        "successfully_completed",
    ]

    def parse(self, row: Row, ctx: Context) -> dict:
        source_id = row.get("outcome_id", v.parse_id)
        child = child_reference(row, ctx)
        offence_ids, offence_dates = offence_references(row, ctx, child_slot=child)
        outcome_type = row.get("outcome_type", v.parse_code, vocab.OUTCOME_TYPE)
        record = {
            "source_id": source_id,
            "child": child,
            "offences": offence_ids,
            "outcome_date": row.get("outcome_date", v.parse_date),
            "outcome_type": outcome_type,
            "tier": vocab.TIER_OF.get(outcome_type or "", ""),
            "end_date": row.get("end_date", v.parse_date, required=False),
            "release_date": row.get("release_date", v.parse_date, required=False),
            # interchange.md: default Y for conditional cautions and court sentences.
            "yjs_intervention": row.get(
                "yjs_intervention",
                v.parse_flag,
                default=vocab.yjs_intervention_default(outcome_type or ""),
            ),
            "successfully_completed": row.get("successfully_completed", v.parse_flag),
        }
        if outcome_type:
            row.extend(
                v.outcome_problems(
                    outcome_type=outcome_type,
                    outcome_date=record["outcome_date"],
                    offence_dates=offence_dates,
                    end_date=record["end_date"],
                    release_date=record["release_date"],
                    successfully_completed=record["successfully_completed"],
                    today=ctx.today,
                )
            )
        return record

    def index_values(self, record: dict) -> dict[str, int]:
        child = record["child"]
        return {
            "child": -1 if child is None else child,
            "type": OUTCOME_CODE_INDEX.get(record["outcome_type"] or "", 0),
        }

    def write(self, records: list[dict], ctx: Context) -> None:
        for record in records:
            record["child_id"] = child_pk(ctx, record["child"])
        pks, replaced = upsert(self.model, records, ctx, self.fields)
        store_pks(ctx, self.name, pks)
        offences = ctx.index(OFFENCES)
        links = [
            (pks[r["source_id"]], offences.pk(offence_id))
            for r in records
            for offence_id in r["offences"]
        ]
        replace_links(models.OutcomeOffence, "outcome_id", "offence_id", links, replaced, ctx)

    def export_rows(self) -> Iterator[list[str]]:
        rows = models.Outcome.objects.order_by("pk").values_list(
            "pk",
            "source_id",
            "child__source_id",
            "outcome_date",
            "outcome_type",
            "end_date",
            "release_date",
            "yjs_intervention",
            "successfully_completed",
        )
        links = merged_links(models.OutcomeOffence, "outcome_id", "offence_id")
        for row, offence_ids in with_links(rows.iterator(chunk_size=10000), links):
            _, sid, child, day, kind, end, release, yjs, completed = row
            yield [
                sid,
                child,
                ";".join(offence_ids),
                fmt_date(day),
                kind,
                fmt_date(end),
                fmt_date(release),
                fmt_flag(yjs),
                fmt_flag(completed),
            ]


# --- remands.csv and the episode files -----------------------------------------------


class ChildRecordSpec(SourceSpec):
    """A file of rows that each belong to one child (child_id) and have
    start and end dates checked as an episode (interchange.md, "Episodes")."""

    index_fields = None

    def parse_fields(self, row: Row, ctx: Context) -> dict:
        raise NotImplementedError

    def parse(self, row: Row, ctx: Context) -> dict:
        record = {
            "source_id": row.get(self.id_column, v.parse_id),
            "child": child_reference(row, ctx),
        }
        record.update(self.parse_fields(row, ctx))
        return record

    def write(self, records: list[dict], ctx: Context) -> None:
        for record in records:
            record["child_id"] = child_pk(ctx, record["child"])
        upsert(self.model, records, ctx, ["child_id", *self.fields])

    def export_rows(self) -> Iterator[list[str]]:
        rows = self.model.objects.order_by("pk").values_list(
            "source_id", "child__source_id", *self.fields
        )
        for row in rows.iterator(chunk_size=10000):
            values = dict(zip(["source_id", "child_id", *self.fields], row, strict=True))
            yield [self.format(column, values) for column in self.columns]

    def format(self, column: str, values: dict) -> str:
        if column == self.id_column:
            return values["source_id"]
        value = values[column]
        if isinstance(value, date):
            return fmt_date(value)
        if isinstance(value, bool) or value is None:
            return fmt_flag(value)
        return str(value)


def episode_dates(row: Row) -> dict:
    start = row.get("start_date", v.parse_date)
    end = row.get("end_date", v.parse_date, required=False)
    row.extend(v.episode_problems(start_date=start, end_date=end))
    return {"start_date": start, "end_date": end}


class RemandsSpec(ChildRecordSpec):
    name = "remands.csv"
    columns = ("remand_id", "child_id", "start_date", "end_date", "remand_type")
    required_columns = frozenset({"remand_id", "child_id", "start_date", "remand_type"})
    order = 40
    id_column = "remand_id"
    model = models.Remand
    prefix = "YJS-RM"
    fields = ["start_date", "end_date", "remand_type"]

    def parse_fields(self, row: Row, ctx: Context) -> dict:
        record = episode_dates(row)
        record["remand_type"] = row.get("remand_type", v.parse_code, vocab.REMAND_TYPE)
        return record


class AccommodationSpec(ChildRecordSpec):
    name = "accommodation.csv"
    columns = (
        "accommodation_id",
        "child_id",
        "start_date",
        "end_date",
        "accommodation_type",
        "suitability",
        "primary_residence",
    )
    required_columns = frozenset(
        {"accommodation_id", "child_id", "start_date", "accommodation_type", "suitability"}
    )
    order = 70
    id_column = "accommodation_id"
    model = models.AccommodationEpisode
    prefix = "YJS-AC"
    fields = ["start_date", "end_date", "accommodation_type", "suitability", "primary_residence"]

    def parse_fields(self, row: Row, ctx: Context) -> dict:
        record = episode_dates(row)
        record["accommodation_type"] = row.get(
            "accommodation_type", v.parse_code, vocab.ACCOMMODATION_TYPE
        )
        record["suitability"] = row.get("suitability", v.parse_code, vocab.SUITABILITY)
        record["primary_residence"] = row.get("primary_residence", v.parse_flag, default=True)
        return record


class EteSpec(ChildRecordSpec):
    name = "ete.csv"
    columns = (
        "ete_id",
        "child_id",
        "start_date",
        "end_date",
        "provision",
        "suitability",
        "hours_offered",
        "hours_attended",
    )
    required_columns = frozenset(set(columns) - {"end_date"})
    order = 80
    id_column = "ete_id"
    model = models.EteEpisode
    prefix = "YJS-ET"
    fields = [
        "start_date",
        "end_date",
        "provision",
        "suitability",
        "hours_offered",
        "hours_attended",
    ]

    def parse_fields(self, row: Row, ctx: Context) -> dict:
        record = episode_dates(row)
        record["provision"] = row.get("provision", v.parse_code, vocab.ETE_PROVISION)
        record["suitability"] = row.get("suitability", v.parse_code, vocab.SUITABILITY)
        record["hours_offered"] = row.get("hours_offered", v.parse_hours)
        record["hours_attended"] = row.get("hours_attended", v.parse_hours)
        row.extend(
            v.ete_problems(
                hours_offered=record["hours_offered"], hours_attended=record["hours_attended"]
            )
        )
        return record


class CareStatusSpec(ChildRecordSpec):
    name = "care_statuses.csv"
    columns = ("status_id", "child_id", "status", "start_date", "end_date")
    required_columns = frozenset({"status_id", "child_id", "status", "start_date"})
    order = 90
    id_column = "status_id"
    model = models.CareStatus
    prefix = "YJS-CS"
    fields = ["status", "start_date", "end_date"]

    def parse_fields(self, row: Row, ctx: Context) -> dict:
        record = {"status": row.get("status", v.parse_code, vocab.CARE_STATUS)}
        record.update(episode_dates(row))
        return record


class SendSpec(ChildRecordSpec):
    name = "send.csv"
    columns = ("send_id", "child_id", "start_date", "end_date", "plan")
    required_columns = frozenset({"send_id", "child_id", "start_date", "plan"})
    order = 100
    id_column = "send_id"
    model = models.SendEpisode
    prefix = "YJS-SE"
    fields = ["start_date", "end_date", "plan"]

    def parse_fields(self, row: Row, ctx: Context) -> dict:
        record = episode_dates(row)
        record["plan"] = row.get("plan", v.parse_code, vocab.SEND_PLAN)
        return record


class HealthSpec(ChildRecordSpec):
    name = "health.csv"
    columns = (
        "need_id",
        "child_id",
        "kind",
        "screened_date",
        "offered_date",
        "attended_start_date",
        "attended_end_date",
        "intervention_type",
    )
    required_columns = frozenset({"need_id", "child_id", "kind", "screened_date"})
    order = 110
    id_column = "need_id"
    model = models.HealthNeed
    prefix = "YJS-HN"
    fields = [
        "kind",
        "screened_date",
        "offered_date",
        "attended_start_date",
        "attended_end_date",
        "intervention_type",
    ]

    def parse_fields(self, row: Row, ctx: Context) -> dict:
        record = {
            "kind": row.get("kind", v.parse_code, vocab.HEALTH_KIND),
            "screened_date": row.get("screened_date", v.parse_date),
            "offered_date": row.get("offered_date", v.parse_date, required=False),
            "attended_start_date": row.get("attended_start_date", v.parse_date, required=False),
            "attended_end_date": row.get("attended_end_date", v.parse_date, required=False),
            "intervention_type": row.get(
                "intervention_type", v.parse_code, vocab.HEALTH_INTERVENTION, required=False
            ),
        }
        if record["kind"]:
            row.extend(
                v.health_problems(
                    kind=record["kind"],
                    screened_date=record["screened_date"],
                    offered_date=record["offered_date"],
                    attended_start_date=record["attended_start_date"],
                    attended_end_date=record["attended_end_date"],
                    intervention_type=record["intervention_type"] or "",
                )
            )
        return record


# --- victims.csv ---------------------------------------------------------------------


class VictimsSpec(SourceSpec):
    name = "victims.csv"
    columns = (
        "victim_id",
        "offence_ids",
        "victim_type",
        "consent_to_contact",
        "contacted_date",
        "views_sought_prior",
        "rj_offered",
        "rj_engaged",
        "rj_type",
        "progress_requested",
        "progress_provided",
        "support_requested",
        "support_provided",
        "satisfaction",
    )
    required_columns = frozenset({"victim_id", "offence_ids", "victim_type", "consent_to_contact"})
    order = 120
    id_column = "victim_id"
    model = models.Victim
    prefix = "YJS-VI"
    fields = [
        "victim_type",
        "consent_to_contact",
        "contacted_date",
        "views_sought_prior",
        "rj_offered",
        "rj_engaged",
        "rj_type",
        "progress_requested",
        "progress_provided",
        "support_requested",
        "support_provided",
        "satisfaction",
    ]
    _flags = (
        "views_sought_prior",
        "rj_offered",
        "rj_engaged",
        "progress_requested",
        "progress_provided",
        "support_requested",
        "support_provided",
    )

    def parse(self, row: Row, ctx: Context) -> dict:
        source_id = row.get("victim_id", v.parse_id)
        offence_ids, _ = offence_references(row, ctx, child_slot=None, same_child=False)
        record = {
            "source_id": source_id,
            "offences": offence_ids,
            "victim_type": row.get("victim_type", v.parse_code, vocab.VICTIM_TYPE),
            "consent_to_contact": row.get("consent_to_contact", v.parse_flag, required=True),
            "contacted_date": row.get("contacted_date", v.parse_date, required=False),
            "rj_type": row.get("rj_type", v.parse_code, vocab.RJ_TYPE, required=False) or "",
            "satisfaction": row.get("satisfaction", v.parse_int, low=1, high=5, required=False),
        }
        for flag in self._flags:
            record[flag] = row.get(flag, v.parse_flag)
        row.extend(
            v.victim_problems(
                consent_to_contact=record["consent_to_contact"],
                rj_engaged=record["rj_engaged"],
                rj_type=record["rj_type"],
                progress_requested=record["progress_requested"],
                progress_provided=record["progress_provided"],
                support_requested=record["support_requested"],
                support_provided=record["support_provided"],
                satisfaction=record["satisfaction"],
            )
        )
        return record

    def write(self, records: list[dict], ctx: Context) -> None:
        pks, replaced = upsert(self.model, records, ctx, self.fields)
        offences = ctx.index(OFFENCES)
        links = [
            (pks[r["source_id"]], offences.pk(offence_id))
            for r in records
            for offence_id in r["offences"]
        ]
        replace_links(
            models.Victim.offences.through, "victim_id", "offence_id", links, replaced, ctx
        )

    def export_rows(self) -> Iterator[list[str]]:
        rows = models.Victim.objects.order_by("pk").values_list("pk", "source_id", *self.fields)
        links = merged_links(models.Victim.offences.through, "victim_id", "offence_id")
        for row, offence_ids in with_links(rows.iterator(chunk_size=10000), links):
            values = dict(zip(self.fields, row[2:], strict=True))
            out = [row[1], ";".join(offence_ids), values["victim_type"]]
            for column in self.columns[3:]:
                value = values[column]
                if column in ("rj_type",):
                    out.append(value)
                elif column == "satisfaction":
                    out.append(fmt_number(value))
                elif column == "contacted_date":
                    out.append(fmt_date(value))
                else:
                    out.append(fmt_flag(value))
            yield out


for _spec in (
    ChildrenSpec(),
    OffencesSpec(),
    OutcomesSpec(),
    RemandsSpec(),
    AccommodationSpec(),
    EteSpec(),
    CareStatusSpec(),
    SendSpec(),
    HealthSpec(),
    VictimsSpec(),
):
    register(_spec)
