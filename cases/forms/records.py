"""Forms for the dated parts of a child's record, victims and the closure step.

The forms only turn what was typed into values; the rules are checked by the
services (cases.services.records, which call cases.validation), and their
problems are put back on the form with ``add_problems``.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError

from cases import vocab
from cases.services.records import CLOSING_STATUSES, MAPPA_CATEGORIES, MAPPA_LEVELS, mappa_detail
from yjs.forms import DateInput, GovukForm

NOT_RECORDED = ""


def flag_field(label: str, *, help_text: str = "") -> forms.TypedChoiceField:
    """A yes / no / not recorded question (a nullable boolean)."""
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=[("Y", "Yes"), ("N", "No"), (NOT_RECORDED, "Not recorded")],
        coerce=lambda value: value == "Y",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


def flag_initial(value: bool | None) -> str:
    return {True: "Y", False: "N"}.get(value, NOT_RECORDED)


def date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, help_text=help_text, widget=DateInput())


def with_blank(choices, blank: str = "Choose an option") -> list:
    return [("", blank), *choices]


def add_problems(form: forms.Form, error: ValidationError) -> None:
    """Show a service's problems on the form, against the field they name."""
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)


class VersionedForm(GovukForm):
    """Carries the version the form was opened at (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    # Names of flag fields, converted for ``initial``.
    flags: tuple[str, ...] = ()

    @classmethod
    def initial_from(cls, obj) -> dict:
        initial = {"version": obj.version}
        for name in cls.base_fields:
            if name != "version" and hasattr(obj, name):
                value = getattr(obj, name)
                initial[name] = flag_initial(value) if name in cls.flags else value
        return initial

    def to_values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


# --- Episodes -------------------------------------------------------------------


class DatesMixin(forms.Form):
    start_date = date_field("Start date")
    end_date = date_field("End date", required=False, help_text="Leave blank while it continues.")


class AccommodationForm(VersionedForm):
    accommodation_type = forms.ChoiceField(
        label="Type of accommodation", choices=with_blank(vocab.ACCOMMODATION_TYPE)
    )
    suitability = forms.ChoiceField(
        label="Is it suitable?", choices=vocab.SUITABILITY, widget=forms.RadioSelect
    )
    primary_residence = forms.BooleanField(
        label="This is where the child mainly lives (primary residence)",
        required=False,
        initial=True,
    )
    start_date = DatesMixin.base_fields["start_date"]
    end_date = DatesMixin.base_fields["end_date"]


class EteForm(VersionedForm):
    provision = forms.ChoiceField(
        label="Education, training or employment", choices=with_blank(vocab.ETE_PROVISION)
    )
    suitability = forms.ChoiceField(
        label="Is it suitable?", choices=vocab.SUITABILITY, widget=forms.RadioSelect
    )
    hours_offered = forms.DecimalField(
        label="Hours offered a week", min_value=0, max_value=60, decimal_places=1
    )
    hours_attended = forms.DecimalField(
        label="Hours attended a week", min_value=0, max_value=60, decimal_places=1
    )
    start_date = DatesMixin.base_fields["start_date"]
    end_date = DatesMixin.base_fields["end_date"]


class SendForm(VersionedForm):
    plan = forms.ChoiceField(label="Plan", choices=vocab.SEND_PLAN, widget=forms.RadioSelect)
    start_date = date_field("Date the need was identified")
    end_date = DatesMixin.base_fields["end_date"]


def _interventions_for(kind: str) -> list[tuple[str, str]]:
    allowed = vocab.HEALTH_INTERVENTIONS_FOR[kind]
    return [(code, label) for code, label in vocab.HEALTH_INTERVENTION if code in allowed]


class HealthForm(VersionedForm):
    kind = forms.ChoiceField(label="Need", choices=vocab.HEALTH_KIND, widget=forms.RadioSelect)
    screened_date = date_field("Date screened or identified")
    referred_date = date_field("Date referred", required=False)
    offered_date = date_field("Date an intervention was offered", required=False)
    intervention_type = forms.ChoiceField(
        label="Type of intervention offered",
        required=False,
        choices=[
            ("", "None offered"),
            ("Mental health", _interventions_for("mental_health")),
            ("Substance misuse", _interventions_for("substance_misuse")),
        ],
    )
    attended_start_date = date_field("Date the child started attending", required=False)
    attended_end_date = date_field("Date the child stopped attending", required=False)


class CareStatusForm(VersionedForm):
    status = forms.ChoiceField(label="Status", choices=vocab.CARE_STATUS, widget=forms.RadioSelect)
    start_date = DatesMixin.base_fields["start_date"]
    end_date = DatesMixin.base_fields["end_date"]


_MAPPA = re.compile(r"^Category (\d), level (\d)$")


class StatusForm(VersionedForm):
    status = forms.ChoiceField(label="Status", choices=vocab.OTHER_STATUS, widget=forms.RadioSelect)
    mappa_category = forms.ChoiceField(
        label="MAPPA category",
        required=False,
        choices=with_blank(MAPPA_CATEGORIES, "Not MAPPA"),
        help_text="Only for MAPPA.",
    )
    mappa_level = forms.ChoiceField(
        label="MAPPA level",
        required=False,
        choices=with_blank(MAPPA_LEVELS, "Not MAPPA"),
        help_text="Only for MAPPA.",
    )
    start_date = DatesMixin.base_fields["start_date"]
    end_date = DatesMixin.base_fields["end_date"]

    @classmethod
    def initial_from(cls, obj) -> dict:
        initial = super().initial_from(obj)
        match = _MAPPA.match(obj.detail or "")
        if match:
            initial["mappa_category"], initial["mappa_level"] = match.groups()
        return initial

    def clean(self):
        data = super().clean()
        if data.get("status") == "mappa":
            for name in ("mappa_category", "mappa_level"):
                if not data.get(name):
                    self.add_error(name, "is required for MAPPA")
        return data

    def to_values(self) -> dict:
        data = self.cleaned_data
        mappa = data.get("status") == "mappa"
        return {
            "status": data["status"],
            "detail": mappa_detail(data["mappa_category"], data["mappa_level"]) if mappa else "",
            "start_date": data["start_date"],
            "end_date": data["end_date"],
        }


class RemandForm(VersionedForm):
    remand_type = forms.ChoiceField(
        label="Type of remand", choices=vocab.REMAND_TYPE, widget=forms.RadioSelect
    )
    start_date = DatesMixin.base_fields["start_date"]
    end_date = DatesMixin.base_fields["end_date"]


EPISODE_FORMS: dict[str, type[VersionedForm]] = {
    "accommodation": AccommodationForm,
    "ete": EteForm,
    "send": SendForm,
    "health": HealthForm,
    "care": CareStatusForm,
    "status": StatusForm,
    "remand": RemandForm,
}


# --- Victims -------------------------------------------------------------------


class VictimForm(VersionedForm):
    flags = (
        "views_sought_prior",
        "rj_offered",
        "rj_engaged",
        "progress_requested",
        "progress_provided",
        "support_requested",
        "support_provided",
        "consent_to_contact",
    )

    offences = forms.ModelMultipleChoiceField(
        label="Offences this victim was harmed by",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    victim_type = forms.ChoiceField(
        label="Victim", choices=vocab.VICTIM_TYPE, widget=forms.RadioSelect
    )
    consent_to_contact = forms.TypedChoiceField(
        label="Has the victim consented to contact from the service?",
        choices=[("Y", "Yes"), ("N", "No")],
        coerce=lambda value: value == "Y",
        widget=forms.RadioSelect,
    )
    contacted_date = date_field("Date first contacted", required=False)
    views_sought_prior = flag_field("Were the victim's views sought before the decision?")
    views = forms.CharField(
        label="The victim's views", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    rj_offered = flag_field("Was restorative justice (RJ) offered?")
    rj_engaged = flag_field("Did the victim engage with RJ?")
    rj_type = forms.ChoiceField(
        label="Type of RJ",
        required=False,
        choices=[*vocab.RJ_TYPE, ("", "Not applicable")],
        widget=forms.RadioSelect,
    )
    rj_start_date = date_field("RJ start date", required=False)
    rj_end_date = date_field("RJ end date", required=False)
    progress_requested = flag_field("Did the victim ask for progress information?")
    progress_provided = flag_field("Was progress information provided?")
    support_requested = flag_field("Did the victim ask for support information?")
    support_provided = flag_field("Was support information provided?")
    satisfaction = forms.TypedChoiceField(
        label="Satisfaction with the service",
        help_text="1 is very dissatisfied, 5 is very satisfied.",
        required=False,
        choices=[(str(n), str(n)) for n in range(1, 6)] + [("", "Not recorded")],
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    contact_name = forms.CharField(label="Name", required=False, max_length=200)
    contact_phone = forms.CharField(label="Phone number", required=False, max_length=50)
    contact_email = forms.EmailField(label="Email address", required=False)
    contact_address = forms.CharField(
        label="Address", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, child, show_contact: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offences"].queryset = child.offences.all()
        if not show_contact:
            # Never rendered, not even hidden (yjs.permissions.may_see_victim_contact).
            for name in ("contact_name", "contact_phone", "contact_email", "contact_address"):
                del self.fields[name]

    @classmethod
    def initial_for(cls, victim, *, child) -> dict:
        initial = cls.initial_from(victim)
        initial["offences"] = list(victim.offences.filter(child=child))
        return initial

    def to_values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("version", "offences")}


class VictimLinkForm(GovukForm):
    victim = forms.ModelChoiceField(
        label="Victim",
        queryset=None,
        empty_label="Choose a victim",
        help_text="Victims already recorded for other children's offences.",
    )
    offences = forms.ModelMultipleChoiceField(
        label="This child's offences the victim was harmed by",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, child, victims, label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["victim"].queryset = victims
        self.fields["victim"].label_from_instance = label
        self.fields["offences"].queryset = child.offences.all()


class VictimFilterForm(GovukForm):
    status = forms.ChoiceField(label="Show", required=False)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "All victims"), *choices]


# --- Closure -------------------------------------------------------------------


class OutcomeClosureForm(VersionedForm):
    flags = ("successfully_completed",)

    end_date = date_field("Date the order ended")
    successfully_completed = flag_field(
        "Did the child successfully complete the intervention?",
        help_text="Only once the order has an end date.",
    )


class PlanItemClosureForm(VersionedForm):
    flags = ("successfully_completed",)

    end_date = date_field("Date the intervention ended")
    status = forms.ChoiceField(
        label="How did it end?", choices=CLOSING_STATUSES, widget=forms.RadioSelect
    )
    successfully_completed = flag_field(
        "Did the child successfully complete the intervention?",
        help_text="Only once the intervention has an end date.",
    )
