"""Recording and changing casework on a child's record: offences, outcomes,
assessments, interventions (plan items), contacts and notes to the child; and
the programme directory. Views are adapters: check the capability, open the
child through child_get (access check and audit), call one service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Manager
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from cases.forms.casework import (
    AssessmentForm,
    CaseNoteForm,
    ContactForm,
    OffenceForm,
    OutcomeForm,
    PlanItemForm,
    ProgrammeForm,
    bool_to_flag,
    flag_to_bool,
)
from cases.models import Programme
from cases.selectors import child_get
from cases.services import casework as services
from cases.services import offence_record, outcome_record
from cases.views._forms import form_page
from yjs.audit.services import Action, audit_record
from yjs.permissions import Cap, capability_required, has_capability


@dataclass(frozen=True)
class RecordPages:
    """How one kind of casework record is recorded and changed: its form, its
    two services and the words on its pages. ``record_views`` turns it into
    the pair of views."""

    kind: str  # template cases/<kind>_form.html; URL names <kind>_create, <kind>_edit
    noun: str  # "an offence"
    related_name: str  # the child's records of this kind
    form: type
    create: Callable
    update: Callable
    update_arg: str  # the update service's keyword for the record
    fields: tuple[str, ...]  # passed to the services as the form cleaned them
    flags: tuple[str, ...] = ()  # Y / N / not recorded radios
    create_title: str = ""  # may use {name}, the name the child is known by
    created: str = ""
    initial: Callable[[], dict] = dict  # of a new record, made at each request
    form_kwargs: Callable = field(default=lambda child, obj: {})

    def values(self, data: dict) -> dict:
        values = {name: data[name] for name in self.fields}
        values.update({name: flag_to_bool(data[name]) for name in self.flags})
        return values

    def initial_of(self, obj) -> dict:
        initial = {"version": obj.version}
        for name in self.fields:
            value = getattr(obj, name)
            if isinstance(value, Manager):  # many-to-many: the chosen ids
                value = list(value.values_list("pk", flat=True))
            initial[name] = value
        initial.update({name: bool_to_flag(getattr(obj, name)) for name in self.flags})
        return initial


def record_views(pages: RecordPages):
    """The create and edit views of one kind of record."""
    template = f"cases/{pages.kind}_form.html"

    @capability_required(Cap.EDIT_CHILDREN)
    def create(request, pk: int):
        child = child_get(
            user=request.user,
            pk=pk,
            request=request,
            summary=f"Opened the form to record {pages.noun}",
        )
        form = pages.form(
            request.POST or None, initial=pages.initial(), **pages.form_kwargs(child, None)
        )

        def save(data):
            return pages.create(child=child, **pages.values(data), by=request.user, request=request)

        return form_page(
            request,
            form=form,
            save=save,
            template=template,
            title=pages.create_title.format(name=child.preferred_name or child.given_name),
            child=child,
            success=pages.created,
        )

    @capability_required(Cap.EDIT_CHILDREN)
    def edit(request, pk: int, record_pk: int):
        child = child_get(
            user=request.user, pk=pk, request=request, summary=f"Opened {pages.noun} to change"
        )
        obj = get_object_or_404(getattr(child, pages.related_name), pk=record_pk)
        form = pages.form(
            request.POST or None, initial=pages.initial_of(obj), **pages.form_kwargs(child, obj)
        )

        def save(data):
            return pages.update(
                **{pages.update_arg: obj},
                expected_version=data["version"],
                **pages.values(data),
                by=request.user,
                request=request,
            )

        return form_page(
            request,
            form=form,
            save=save,
            template=template,
            title=f"Change {pages.noun}",
            child=child,
            success="Changes saved",
        )

    create.__name__ = f"{pages.kind}_create"
    edit.__name__ = f"{pages.kind}_edit"
    return create, edit


OFFENCE = RecordPages(
    kind="offence",
    noun="an offence",
    related_name="offences",
    form=OffenceForm,
    create=offence_record,
    update=services.offence_update,
    update_arg="offence",
    fields=(
        "offence_date",
        "category",
        "seriousness_score",
        "gravity_score",
        "weapon",
        "description",
    ),
    create_title="Record an offence",
    created="Offence recorded",
)
OUTCOME = RecordPages(
    kind="outcome",
    noun="an outcome",
    related_name="outcomes",
    form=OutcomeForm,
    create=outcome_record,
    update=services.outcome_update,
    update_arg="outcome",
    fields=(
        "offences",
        "outcome_type",
        "outcome_date",
        "end_date",
        "release_date",
        "requirements",
    ),
    flags=("yjs_intervention", "successfully_completed"),
    create_title="Record an outcome",
    created="Outcome recorded",
    form_kwargs=lambda child, obj: {"child": child},
)
ASSESSMENT = RecordPages(
    kind="assessment",
    noun="an assessment",
    related_name="assessments",
    form=AssessmentForm,
    create=services.assessment_record,
    update=services.assessment_update,
    update_arg="assessment",
    fields=(
        "assessment_date",
        "likelihood_of_reoffending",
        "risk_of_serious_harm",
        "safety_and_wellbeing",
        "intervention_level",
        "next_review_due",
        "summary",
    ),
    create_title="Record an assessment",
    created="Assessment recorded",
)
PLAN_ITEM = RecordPages(
    kind="plan_item",
    noun="an intervention",
    related_name="plan_items",
    form=PlanItemForm,
    create=services.plan_item_record,
    update=services.plan_item_update,
    update_arg="item",
    fields=(
        "programme",
        "outcome",
        "planned_start_date",
        "actual_start_date",
        "end_date",
        "status",
        "notes",
    ),
    flags=("successfully_completed",),
    create_title="Add an intervention to the plan",
    created="Intervention added",
    initial=lambda: {"status": "planned"},
    form_kwargs=lambda child, obj: {
        "child": child,
        "current_programme": obj.programme if obj else None,
    },
)
CONTACT = RecordPages(
    kind="contact",
    noun="a contact",
    related_name="contacts",
    form=ContactForm,
    create=services.contact_record,
    update=services.contact_update,
    update_arg="contact",
    fields=("contact_date", "contact_type", "attendance", "compliance_action", "notes"),
    create_title="Record a contact",
    created="Contact recorded",
)
NOTE = RecordPages(
    kind="note",
    noun="a note to the child",
    related_name="notes",
    form=CaseNoteForm,
    create=services.case_note_write,
    update=services.case_note_update,
    update_arg="note",
    fields=("written_on", "text"),
    create_title="Write a note to {name}",
    created="Note saved",
    initial=lambda: {"written_on": timezone.localdate()},
)

offence_create, offence_edit = record_views(OFFENCE)
outcome_create, outcome_edit = record_views(OUTCOME)
assessment_create, assessment_edit = record_views(ASSESSMENT)
plan_item_create, plan_item_edit = record_views(PLAN_ITEM)
contact_create, contact_edit = record_views(CONTACT)
note_create, note_edit = record_views(NOTE)


# --- The programme directory -------------------------------------------------


@capability_required(Cap.VIEW_CHILDREN)
def programme_list(request):
    programmes = Programme.objects.order_by("-active", "name")
    audit_record(
        user=request.user, action=Action.VIEW, request=request, summary="Viewed the programmes"
    )
    return render(
        request,
        "cases/programme_list.html",
        {
            "programmes": programmes,
            "may_manage": has_capability(request.user, Cap.MANAGE_PROGRAMMES),
        },
    )


PROGRAMME_FIELDS = ("name", "category", "description", "active")


@capability_required(Cap.MANAGE_PROGRAMMES)
def programme_create(request):
    form = ProgrammeForm(request.POST or None, initial={"active": True})

    def save(data):
        return services.programme_create(
            **{name: data[name] for name in PROGRAMME_FIELDS}, by=request.user, request=request
        )

    return form_page(
        request,
        form=form,
        save=save,
        template="cases/programme_form.html",
        title="Add a programme",
        success="Programme added",
        next_url=reverse("cases:programmes"),
    )


@capability_required(Cap.MANAGE_PROGRAMMES)
def programme_edit(request, programme_pk: int):
    programme = get_object_or_404(Programme, pk=programme_pk)
    form = ProgrammeForm(
        request.POST or None, initial={name: getattr(programme, name) for name in PROGRAMME_FIELDS}
    )

    def save(data):
        return services.programme_update(
            programme=programme,
            **{name: data[name] for name in PROGRAMME_FIELDS},
            by=request.user,
            request=request,
        )

    return form_page(
        request,
        form=form,
        save=save,
        template="cases/programme_form.html",
        title=f"Change {programme}",
        success="Programme saved",
        next_url=reverse("cases:programmes"),
    )
