"""Forms for the board's records (GOV.UK markup via yjs.forms)."""

from django import forms

from governance.models import (
    Action,
    Agency,
    Attendance,
    BoardMeeting,
    BoardMember,
    PlanPriority,
    Risk,
)
from yjs.forms import DateInput, GovukForm, GovukModelForm


class AgencyForm(GovukModelForm):
    class Meta:
        model = Agency
        fields = ["name", "sector"]


class MemberForm(GovukModelForm):
    class Meta:
        model = BoardMember
        fields = ["name", "role", "agency", "seniority", "deputy_for", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        seniors = BoardMember.objects.filter(seniority=BoardMember.Seniority.SENIOR)
        if self.instance.pk:
            seniors = seniors.exclude(pk=self.instance.pk)
        self.fields["deputy_for"].queryset = seniors.select_related("agency")


class MeetingForm(GovukModelForm):
    class Meta:
        model = BoardMeeting
        fields = ["date", "papers"]
        widgets = {"date": DateInput(), "papers": forms.Textarea(attrs={"rows": 4})}


class ActionForm(GovukModelForm):
    class Meta:
        model = Action
        fields = ["description", "owner", "meeting", "due_date", "status", "update"]
        widgets = {
            "due_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "update": forms.Textarea(attrs={"rows": 3}),
        }


class PriorityForm(GovukModelForm):
    class Meta:
        model = PlanPriority
        fields = ["title", "description", "lead", "rag", "commentary", "position"]
        widgets = {
            "rag": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
            "commentary": forms.Textarea(attrs={"rows": 4}),
        }


class RiskForm(GovukModelForm):
    class Meta:
        model = Risk
        fields = ["description", "likelihood", "impact", "mitigation", "owner", "closed"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "mitigation": forms.Textarea(attrs={"rows": 3}),
        }


class BudgetForm(GovukForm):
    """One agency's contribution for a year; saving replaces any recorded one
    (governance.services.budget_contribution_set), so this is not a ModelForm."""

    financial_year = forms.IntegerField(
        min_value=2000, max_value=2100, help_text="For April 2024 to March 2025, enter 2024."
    )
    agency = forms.ModelChoiceField(queryset=Agency.objects.all())
    staffing_costs = forms.DecimalField(min_value=0, max_digits=12, decimal_places=2, initial=0)
    payments_in_kind = forms.DecimalField(min_value=0, max_digits=12, decimal_places=2, initial=0)
    other_delegated_funds = forms.DecimalField(
        min_value=0, max_digits=12, decimal_places=2, initial=0
    )

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)


class AttendanceForm(GovukForm):
    """One radio group per current member of the board on the meeting's date."""

    def __init__(self, *args, rows: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {}
        for row in rows:
            member = row["member"]
            name = f"member_{member.pk}"
            self.members[name] = member
            self.fields[name] = forms.ChoiceField(
                label=f"{member.name}, {member.role} ({member.agency.name})",
                choices=Attendance.Status.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=row["status"],
            )
        from yjs.forms import style_fields

        style_fields(self)

    def statuses(self) -> dict[int, str | None]:
        return {m.pk: self.cleaned_data.get(name) or None for name, m in self.members.items()}
