"""Forms of the OOCD panel. They parse what was typed; the rules live in
cases.validation and panels.services (the forms show the services' problems)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from cases import vocab
from cases.models import Programme
from panels.models import AGENCY, GRAVITY_ADJUSTMENT, VERDICT
from yjs.forms import DateInput, GovukForm
from yjs.permissions import Role

YES_NO = [("Y", "Yes"), ("N", "No")]


def show_problems(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message.messages[0] if message.messages else message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class ChildSearchForm(GovukForm):
    q = forms.CharField(label="Child's name", max_length=100, required=False)


class NewChildForm(GovukForm):
    """The minimal identity of a child first known through a police referral."""

    given_name = forms.CharField(label="First name", max_length=100)
    family_name = forms.CharField(label="Last name", max_length=100)
    date_of_birth = forms.DateField(label="Date of birth", widget=DateInput())
    sex = forms.ChoiceField(label="Sex", choices=vocab.SEX, widget=forms.RadioSelect)
    ethnicity = forms.ChoiceField(label="Ethnicity", choices=[("", "Choose")] + vocab.ETHNICITY)


class ReferralForm(GovukForm):
    referral_date = forms.DateField(label="Date of the police referral", widget=DateInput())
    police_reference = forms.CharField(label="Police reference", max_length=50)
    arresting_force = forms.CharField(label="Arresting police force", max_length=100)
    admission = forms.ChoiceField(
        label="Did the child admit the offence?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="Community resolutions and cautions need the child's admission.",
    )
    gravity_score = forms.TypedChoiceField(
        label="Gravity score",
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 5)],
        widget=forms.RadioSelect,
        help_text="The police child gravity matrix score, 1 (least serious) to 4.",
    )
    aggravating_factors = forms.CharField(
        label="Aggravating factors", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    mitigating_factors = forms.CharField(
        label="Mitigating factors", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    gravity_adjustment = forms.TypedChoiceField(
        label="Adjustment for the factors",
        coerce=int,
        choices=GRAVITY_ADJUSTMENT,
        initial=0,
        widget=forms.RadioSelect,
        help_text="The final score stays between 1 and 4.",
    )
    reason = forms.CharField(
        label="Reason for the referral", widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, existing_offences=None, **kwargs):
        super().__init__(*args, **kwargs)
        if existing_offences is not None:
            self.fields["existing_offences"] = forms.ModelMultipleChoiceField(
                label="Offences already on the child's record",
                queryset=existing_offences,
                widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"}),
                required=False,
                help_text="Choose the offences this referral is for, or record a new one below.",
            )
            # Offences come first, the referral's details after.
            self.order_fields(["existing_offences"])


class OffenceForm(GovukForm):
    """A new offence recorded with the referral (its gravity score is the referral's)."""

    offence_date = forms.DateField(label="Date of the offence", widget=DateInput())
    category = forms.ChoiceField(
        label="Type of offence", choices=[("", "Choose")] + vocab.OFFENCE_CATEGORY
    )
    seriousness_score = forms.TypedChoiceField(
        label="Seriousness score",
        coerce=int,
        choices=[("", "Choose")] + [(n, str(n)) for n in range(1, 9)],
        help_text="The YJB offence seriousness score, 1 to 8.",
    )
    description = forms.CharField(
        label="What happened", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    weapon = forms.BooleanField(label="A knife or offensive weapon was involved", required=False)

    def __init__(self, *args, optional: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.optional = optional
        if optional:
            for field in self.fields.values():
                field.required = False

    def is_blank(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not any(data.get(name) for name in ("offence_date", "category", "seriousness_score"))

    def clean(self):
        data = super().clean()
        if self.optional and not self.is_blank():
            for name in ("offence_date", "category", "seriousness_score"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, "is required to record this offence")
        return data


class PreparationForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    assessment_date = forms.DateField(
        label="Date of the YJS assessment", widget=DateInput(), required=False
    )
    assessment_summary = forms.CharField(
        label="Assessment summary", widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    assessment_recommendation = forms.CharField(
        label="YJS recommendation to the panel",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    child_voice = forms.CharField(
        label="The child's views, in their words",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    parent_voice = forms.CharField(
        label="The parent's or carer's views",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class MeetingForm(GovukForm):
    meeting_date = forms.DateField(label="Date of the meeting", widget=DateInput())
    chair = forms.ModelChoiceField(label="Chair", queryset=get_user_model().objects.none())
    location = forms.CharField(label="Where", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, groups__name=Role.PANEL_CHAIR.value)
            .order_by("last_name", "first_name")
            .distinct()
        )
        self.fields["chair"].label_from_instance = lambda u: u.get_full_name() or u.username


class AttendeeForm(GovukForm):
    name = forms.CharField(label="Name", max_length=200, required=False)
    agency = forms.ChoiceField(label="Agency", choices=[("", "Choose")] + AGENCY, required=False)
    role = forms.CharField(label="Role", max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("agency"):
            self.add_error("agency", "choose the attendee's agency")
        if data.get("agency") and not data.get("name"):
            self.add_error("name", "enter the attendee's name")
        return data


AttendeeFormSet = forms.formset_factory(AttendeeForm, extra=6, max_num=20)


class AgendaForm(GovukForm):
    referrals = forms.ModelMultipleChoiceField(
        label="Referrals to add to the agenda",
        queryset=None,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"}),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referrals"].queryset = candidates
        self.fields["referrals"].label_from_instance = lambda r: (
            f"{r.child.full_name}, referred {r.referral_date:%-d %B %Y}"
        )


class DecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="The panel's decision", choices=vocab.OOCD_DECISION, widget=forms.RadioSelect
    )
    rationale = forms.CharField(
        label="Why the panel made this decision",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Written to be read by the child and their family.",
    )
    conditions = forms.CharField(
        label="Conditions (youth conditional caution only)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    programme = forms.ChoiceField(label="Agreed intervention", required=False)
    planned_start_date = forms.DateField(
        label="Planned start date of the intervention", widget=DateInput(), required=False
    )

    def __init__(self, *args, programmes=None, **kwargs):
        """``programmes``: the active programmes, read once for all the agenda's forms."""
        super().__init__(*args, **kwargs)
        if programmes is None:
            programmes = list(Programme.objects.filter(active=True))
        self.programmes = {str(p.pk): p for p in programmes}
        self.fields["programme"].choices = [("", "None")] + [
            (str(p.pk), p.name) for p in programmes
        ]

    def clean_programme(self):
        value = self.cleaned_data.get("programme")
        return self.programmes.get(value) if value else None


class AmendmentForm(GovukForm):
    decision = forms.ChoiceField(
        label="The amended decision", choices=vocab.OOCD_DECISION, widget=forms.RadioSelect
    )
    rationale = forms.CharField(label="Why the panel made this decision", widget=forms.Textarea)
    conditions = forms.CharField(
        label="Conditions (youth conditional caution only)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    reason = forms.CharField(
        label="Reason for the amendment",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with the decision's history.",
    )


class ScrutinyDrawForm(GovukForm):
    quarter = forms.ChoiceField(label="Quarter")
    size = forms.IntegerField(label="Sample size", min_value=1, max_value=100, initial=10)

    def __init__(self, *args, quarters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [(q, q) for q in quarters]


class VerdictForm(GovukForm):
    verdict = forms.ChoiceField(label="Verdict", choices=VERDICT, widget=forms.RadioSelect)
    comments = forms.CharField(
        label="Comments", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
