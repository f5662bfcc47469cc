"""Subject access: everything recorded about one child, as JSON and as a PDF.

One table of sections (``SECTIONS``) drives both formats, so the two always
hold the same facts. Victims appear without their names or contact details
(those are a third party's personal data, and never leave the service:
interchange.md, "victims.csv").
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from cases.models import Child, Victim
from yjs.audit.services import Action, audit_record
from yjs.pdf import html_to_pdf


@dataclass(frozen=True)
class Column:
    name: str
    heading: str
    get: Callable | None = None  # value from the object, when not a plain field


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str
    rows: Callable[[Child], models.QuerySet | list]
    columns: tuple[Column, ...]


def _person(user) -> str:
    return user.get_full_name() or user.get_username() if user else ""


def _offence_list(obj) -> list[str]:
    return [str(o) for o in obj.offences.all()]


_DATES = (Column("start_date", "Start"), Column("end_date", "End"))

SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(
        "care_statuses",
        "Care statuses",
        lambda c: c.care_statuses.all(),
        (Column("status", "Status"), *_DATES),
    ),
    SectionSpec(
        "other_statuses",
        "Other statuses",
        lambda c: c.status_episodes.all(),
        (Column("status", "Status"), Column("detail", "Detail"), *_DATES),
    ),
    SectionSpec(
        "offences",
        "Offences",
        lambda c: c.offences.all(),
        (
            Column("offence_date", "Date"),
            Column("category", "Category"),
            Column("seriousness_score", "Seriousness"),
            Column("gravity_score", "Gravity"),
            Column("weapon", "Weapon"),
            Column("description", "Description"),
        ),
    ),
    SectionSpec(
        "outcomes",
        "Outcomes",
        lambda c: c.outcomes.prefetch_related("offences"),
        (
            Column("outcome_date", "Date"),
            Column("outcome_type", "Outcome"),
            Column("offences", "For offences", _offence_list),
            Column("end_date", "End"),
            Column("release_date", "Released"),
            Column("yjs_intervention", "YJS intervention"),
            Column("successfully_completed", "Completed"),
            Column("requirements", "Requirements"),
        ),
    ),
    SectionSpec(
        "remands",
        "Remands",
        lambda c: c.remands.all(),
        (Column("remand_type", "Remand"), *_DATES),
    ),
    SectionSpec(
        "accommodation",
        "Accommodation",
        lambda c: c.accommodation.all(),
        (
            Column("accommodation_type", "Accommodation"),
            Column("suitability", "Suitability"),
            Column("primary_residence", "Primary residence"),
            *_DATES,
        ),
    ),
    SectionSpec(
        "ete",
        "Education, training and employment",
        lambda c: c.ete.all(),
        (
            Column("provision", "Provision"),
            Column("suitability", "Suitability"),
            Column("hours_offered", "Hours offered"),
            Column("hours_attended", "Hours attended"),
            *_DATES,
        ),
    ),
    SectionSpec(
        "send",
        "Special educational needs and disabilities",
        lambda c: c.send.all(),
        (Column("plan", "Plan"), *_DATES),
    ),
    SectionSpec(
        "health_needs",
        "Health needs",
        lambda c: c.health_needs.all(),
        (
            Column("kind", "Need"),
            Column("screened_date", "Screened"),
            Column("referred_date", "Referred"),
            Column("offered_date", "Offered"),
            Column("intervention_type", "Intervention"),
            Column("attended_start_date", "Attended from"),
            Column("attended_end_date", "Attended to"),
        ),
    ),
    SectionSpec(
        "assessments",
        "Assessments",
        lambda c: c.assessments.select_related("author"),
        (
            Column("assessment_date", "Date"),
            Column("likelihood_of_reoffending", "Likelihood of reoffending"),
            Column("risk_of_serious_harm", "Risk of serious harm"),
            Column("safety_and_wellbeing", "Safety and wellbeing"),
            Column("intervention_level", "Intervention level"),
            Column("next_review_due", "Next review"),
            Column("author", "Author", lambda o: _person(o.author)),
            Column("summary", "Summary"),
        ),
    ),
    SectionSpec(
        "plan_items",
        "Intervention plan",
        lambda c: c.plan_items.select_related("programme", "outcome"),
        (
            Column("programme", "Intervention", lambda o: str(o.programme)),
            Column("outcome", "For outcome", lambda o: str(o.outcome) if o.outcome else ""),
            Column("planned_start_date", "Planned start"),
            Column("actual_start_date", "Actual start"),
            Column("end_date", "End"),
            Column("status", "Status"),
            Column("successfully_completed", "Completed"),
            Column("notes", "Notes"),
        ),
    ),
    SectionSpec(
        "contacts",
        "Contacts",
        lambda c: c.contacts.select_related("recorded_by"),
        (
            Column("contact_date", "When"),
            Column("contact_type", "Contact"),
            Column("attendance", "Attendance"),
            Column("compliance_action", "Compliance action"),
            Column("recorded_by", "Recorded by", lambda o: _person(o.recorded_by)),
            Column("notes", "Notes"),
        ),
    ),
    SectionSpec(
        "notes",
        "Case notes",
        lambda c: c.notes.select_related("author"),
        (
            Column("written_on", "Written on"),
            Column("author", "Author", lambda o: _person(o.author)),
            Column("text", "Note"),
        ),
    ),
    SectionSpec(
        "victims",
        "Victims (without their names or contact details)",
        lambda c: Victim.objects.filter(offences__child=c).distinct().prefetch_related("offences"),
        (
            Column("victim_type", "Victim"),
            Column(
                "offences",
                "Of offences",
                lambda v: [str(o) for o in v.offences.all() if o.child_id == v._child_id],
            ),
            Column("consent_to_contact", "Consent to contact"),
            Column("contacted_date", "Contacted"),
            Column("views_sought_prior", "Views sought before decision"),
            Column("views", "Views"),
            Column("rj_offered", "RJ offered"),
            Column("rj_engaged", "RJ engaged"),
            Column("rj_type", "RJ type"),
            Column("rj_start_date", "RJ start"),
            Column("rj_end_date", "RJ end"),
            Column("progress_requested", "Progress requested"),
            Column("progress_provided", "Progress provided"),
            Column("support_requested", "Support requested"),
            Column("support_provided", "Support provided"),
            Column("satisfaction", "Satisfaction (1 to 5)"),
        ),
    ),
    SectionSpec(
        "oocd_referrals",
        "Out-of-court disposal referrals",
        lambda c: (
            c.oocd_referrals.prefetch_related("offences") if hasattr(c, "oocd_referrals") else []
        ),
        (
            Column("referral_date", "Referred"),
            Column("offences", "For offences", _offence_list),
            Column("admission", "Admission"),
            Column("panel_date", "Panel date"),
            Column("decision", "Decision"),
        ),
    ),
)

IDENTITY = (
    Column("given_name", "Given name"),
    Column("family_name", "Family name"),
    Column("preferred_name", "Preferred name"),
    Column("date_of_birth", "Date of birth"),
    Column("sex", "Sex"),
    Column("ethnicity", "Ethnicity"),
    Column("locality", "Locality"),
    Column("address", "Address"),
    Column("school", "School"),
    Column("first_language", "First language"),
    Column("looked_after", "Looked after"),
    Column("allocated_worker", "Allocated worker", lambda c: _person(c.allocated_worker)),
    Column("team", "Team", lambda c: str(c.team) if c.team else ""),
    Column("restricted", "Restricted record"),
)


WIDEST_TABLE = 6  # columns that fit across A4 portrait at 8.5pt


# --- Values ------------------------------------------------------------------------


def _raw(obj, column: Column):
    return column.get(obj) if column.get else getattr(obj, column.name)


def _label(obj, column: Column) -> str | None:
    """The plain-English label of a coded field, if it is one."""
    if column.get is None:
        try:
            field = obj._meta.get_field(column.name)
        except FieldDoesNotExist:
            return None
        if field.choices:
            return getattr(obj, f"get_{column.name}_display")()
    return None


def _json(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _text(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%-d %b %Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%-d %b %Y}"
    if isinstance(value, list):
        return "; ".join(value)
    return str(value)


def _json_row(obj, columns) -> dict:
    row = {}
    for column in columns:
        row[column.name] = _json(_raw(obj, column))
        label = _label(obj, column)
        if label is not None:
            row[f"{column.name}_label"] = label
    return row


def _text_row(obj, columns) -> list[str]:
    return [_label(obj, c) or _text(_raw(obj, c)) for c in columns]


def _rows(child: Child, spec: SectionSpec) -> list:
    rows = list(spec.rows(child))
    for row in rows:
        row._child_id = child.pk  # which of a victim's offences are this child's
    return rows


# --- The two formats -----------------------------------------------------------------


def child_record_data(*, child: Child) -> dict:
    """The child's whole record as plain JSON-ready data."""
    data = {
        "generated_at": timezone.localtime().isoformat(),
        "child": {"id": child.pk, **_json_row(child, IDENTITY)},
    }
    for spec in SECTIONS:
        data[spec.key] = [_json_row(row, spec.columns) for row in _rows(child, spec)]
    return data


def child_record_html(*, child: Child) -> str:
    sections = []
    for spec in SECTIONS:
        headings = [c.heading for c in spec.columns]
        rows = [_text_row(row, spec.columns) for row in _rows(child, spec)]
        sections.append(
            {
                "key": spec.key,
                "title": spec.title,
                "headings": headings,
                "rows": rows,
                # Wide sections print one small table per record, so that no
                # column is too narrow to read on A4.
                "cards": [list(zip(headings, row, strict=True)) for row in rows]
                if len(headings) > WIDEST_TABLE
                else None,
            }
        )
    identity = [(c.heading, _label(child, c) or _text(_raw(child, c))) for c in IDENTITY]
    return render_to_string(
        "cases/subject_access_pdf.html",
        {
            "child": child,
            "identity": identity,
            "sections": sections,
            "generated_at": timezone.localtime(),
        },
    )


@transaction.atomic
def child_record_export(*, child: Child, fmt: str, by, request=None) -> bytes:
    """The record as ``json`` or ``pdf`` bytes; the export is audited."""
    if fmt == "json":
        content = json.dumps(child_record_data(child=child), indent=2, ensure_ascii=False)
        content = content.encode("utf-8")
    elif fmt == "pdf":
        content = html_to_pdf(child_record_html(child=child))
    else:
        raise ValueError(f"unknown format {fmt!r}")
    audit_record(
        user=by,
        action=Action.EXPORT,
        child=child,
        obj=child,
        request=request,
        summary=f"Exported the child's full record (subject access, {fmt.upper()})",
    )
    return content
