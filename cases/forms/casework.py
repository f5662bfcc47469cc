"""Casework forms. They turn what was typed into typed values; the rules are
checked by the services (cases.validation), whose problems the views show in
the GOV.UK error summary. Forms that change an existing record carry its
``version`` for optimistic locking."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from cases import vocab
from cases.filters import caseworkers
from cases.models import Programme
from yjs.accounts.models import Team
from yjs.forms import DateInput, GovukForm

YES_NO_UNKNOWN = [("", "Not recorded"), ("Y", "Yes"), ("N", "No")]


def flag_to_bool(value: str) -> bool | None:
    return {"Y": True, "N": False}.get(value)


def bool_to_flag(value: bool | None) -> str:
    return {True: "Y", False: "N"}.get(value, "")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class VersionedForm(GovukForm):
    """Carries the version of the record the form was opened on."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def apply_problems(form: forms.Form, error: ValidationError) -> None:
    """Show a service's problems on the form: against the field when the form
    has it, otherwise at the top of the error summary."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for message in errors:
                text = " ".join(message.messages)
                if name in form.fields:
                    form.add_error(name, text)
                else:
                    form.add_error(None, f"{name.replace('_', ' ').capitalize()}: {text}")
    else:
        for message in error.messages:
            form.add_error(None, message)


# --- The child ---------------------------------------------------------------


class ChildForm(VersionedForm):
    given_name = forms.CharField(label="Given name", max_length=100)
    family_name = forms.CharField(label="Family name", max_length=100)
    preferred_name = forms.CharField(
        label="Preferred name",
        max_length=100,
        required=False,
        help_text="The name the child likes to be called.",
    )
    date_of_birth = forms.DateField(label="Date of birth", widget=DateInput)
    sex = forms.ChoiceField(label="Sex", choices=vocab.SEX, widget=forms.RadioSelect)
    ethnicity = forms.ChoiceField(label="Ethnicity", choices=[("", "Choose")] + vocab.ETHNICITY)
    locality = forms.CharField(label="Locality", max_length=100, required=False)
    address = forms.CharField(
        label="Address", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    school = forms.CharField(label="School or college", max_length=200, required=False)
    first_language = forms.CharField(label="First language", max_length=100, required=False)
    allocated_worker = forms.ModelChoiceField(
        label="Allocated worker", queryset=caseworkers(), required=False, empty_label="Unallocated"
    )
    team = forms.ModelChoiceField(
        label="Team", queryset=Team.objects.all(), required=False, empty_label="No team"
    )
    restricted = forms.BooleanField(
        label="Restricted record",
        required=False,
        help_text="Only the allocated worker and managers can open a restricted record.",
    )

    def __init__(self, *args, may_allocate: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_allocate:
            for name in ("allocated_worker", "team", "restricted"):
                del self.fields[name]


class AllocationForm(VersionedForm):
    allocated_worker = forms.ModelChoiceField(
        label="Allocated worker", queryset=caseworkers(), required=False, empty_label="Unallocated"
    )
    team = forms.ModelChoiceField(
        label="Team", queryset=Team.objects.all(), required=False, empty_label="No team"
    )


# --- Offences and outcomes ---------------------------------------------------


class OffenceForm(VersionedForm):
    offence_date = forms.DateField(label="Date of the offence", widget=DateInput)
    category = forms.ChoiceField(
        label="Category", choices=[("", "Choose a category")] + vocab.OFFENCE_CATEGORY
    )
    seriousness_score = forms.IntegerField(
        label="Seriousness score",
        help_text="The YJB offence seriousness score, 1 to 8.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    gravity_score = forms.IntegerField(
        label="Gravity score",
        required=False,
        help_text="The police child gravity matrix score, 1 to 4, if known.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    weapon = forms.BooleanField(label="A knife or offensive weapon was involved", required=False)
    description = forms.CharField(
        label="What happened", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class OffenceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class OutcomeForm(VersionedForm):
    outcome_type = forms.ChoiceField(
        label="Outcome", choices=[("", "Choose an outcome")] + vocab.OUTCOME_TYPE
    )
    offences = OffenceChoiceField(
        label="Which offences is it for?",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    outcome_date = forms.DateField(label="Date of the decision or sentence", widget=DateInput)
    end_date = forms.DateField(
        label="End date",
        required=False,
        widget=DateInput,
        help_text="When the YJS intervention or order ends. For custody: the end of the "
        "licence or supervision.",
    )
    release_date = forms.DateField(
        label="Release date",
        required=False,
        widget=DateInput,
        help_text="Custodial sentences only: the date the child was released.",
    )
    yjs_intervention = forms.ChoiceField(
        label="Does the YJS deliver an intervention with this outcome?",
        choices=[("", "Use the usual answer for this outcome"), ("Y", "Yes"), ("N", "No")],
        required=False,
        widget=forms.RadioSelect,
        help_text="Usually yes for youth conditional cautions and every court sentence.",
    )
    successfully_completed = forms.ChoiceField(
        label="Did the child complete the intervention?",
        choices=YES_NO_UNKNOWN,
        required=False,
        widget=forms.RadioSelect,
        help_text="Only once the order has an end date.",
    )
    requirements = forms.CharField(
        label="Requirements or conditions",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offences"].queryset = child.offences.order_by("-offence_date", "-id")


# --- Assessments -------------------------------------------------------------


class AssessmentForm(VersionedForm):
    assessment_date = forms.DateField(label="Date of the assessment", widget=DateInput)
    likelihood_of_reoffending = forms.ChoiceField(
        label="Likelihood of reoffending", choices=vocab.LOW_MEDIUM_HIGH, widget=forms.RadioSelect
    )
    risk_of_serious_harm = forms.ChoiceField(
        label="Risk of serious harm to others",
        choices=vocab.LOW_TO_VERY_HIGH,
        widget=forms.RadioSelect,
    )
    safety_and_wellbeing = forms.ChoiceField(
        label="Safety and wellbeing", choices=vocab.LOW_TO_VERY_HIGH, widget=forms.RadioSelect
    )
    intervention_level = forms.ChoiceField(
        label="Intervention level", choices=vocab.INTERVENTION_LEVEL, widget=forms.RadioSelect
    )
    next_review_due = forms.DateField(
        label="Next review due",
        required=False,
        widget=DateInput,
        help_text="Leave blank for 3 months after the assessment date. Review sooner if "
        "something significant changes.",
    )
    summary = forms.CharField(
        label="Summary", widget=forms.Textarea(attrs={"rows": 5}), required=False
    )


# --- Plan items (interventions) ----------------------------------------------


class PlanItemForm(VersionedForm):
    programme = forms.ModelChoiceField(
        label="Programme", queryset=None, empty_label="Choose a programme"
    )
    outcome = forms.ModelChoiceField(
        label="Outcome it is part of",
        queryset=None,
        required=False,
        empty_label="Not linked to an outcome",
    )
    planned_start_date = forms.DateField(label="Planned start date", widget=DateInput)
    actual_start_date = forms.DateField(
        label="Actual start date",
        required=False,
        widget=DateInput,
        help_text="Leave blank until the intervention has started.",
    )
    end_date = forms.DateField(label="End date", required=False, widget=DateInput)
    status = forms.ChoiceField(label="Status", choices=vocab.PLAN_STATUS, widget=forms.RadioSelect)
    successfully_completed = forms.ChoiceField(
        label="Did the child complete it successfully?",
        choices=YES_NO_UNKNOWN,
        required=False,
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, child, current_programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        programmes = Programme.objects.filter(active=True)
        if current_programme is not None:
            programmes = Programme.objects.filter(pk=current_programme.pk) | programmes
        self.fields["programme"].queryset = programmes.order_by("name")
        self.fields["outcome"].queryset = child.outcomes.order_by("-outcome_date", "-id")


# --- Contacts and notes ------------------------------------------------------


class ContactForm(VersionedForm):
    contact_date = forms.DateTimeField(
        label="Date and time", widget=DateTimeLocalInput, input_formats=["%Y-%m-%dT%H:%M"]
    )
    contact_type = forms.ChoiceField(
        label="Type of contact", choices=[("", "Choose")] + vocab.CONTACT_TYPE
    )
    attendance = forms.ChoiceField(
        label="Did the child attend?", choices=vocab.ATTENDANCE, widget=forms.RadioSelect
    )
    compliance_action = forms.ChoiceField(
        label="Compliance action",
        choices=vocab.COMPLIANCE_ACTION,
        widget=forms.RadioSelect,
        initial="none",
        help_text="A warning or breach only follows a failure to attend.",
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 4}), required=False)


NOTE_HINT = (
    "Write to the child, in the first person and plain English, as you would say it to them: "
    "\u201cI met you at the office today. You told me...\u201d. The child may read this record."
)


class CaseNoteForm(VersionedForm):
    written_on = forms.DateField(label="Date", widget=DateInput)
    text = forms.CharField(
        label="Note to the child",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=NOTE_HINT,
        max_length=10_000,
    )


# --- Programme directory -----------------------------------------------------


class ProgrammeForm(GovukForm):
    name = forms.CharField(label="Name", max_length=200)
    category = forms.ChoiceField(
        label="Category", choices=[("", "Choose a category")] + vocab.PROGRAMME_CATEGORY
    )
    description = forms.CharField(
        label="Description", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    active = forms.BooleanField(
        label="Offered now",
        required=False,
        initial=True,
        help_text="Untick to stop it being chosen for new plans.",
    )
