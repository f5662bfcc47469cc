from django import forms

from yjs.audit.models import AuditEvent
from yjs.forms import DateInput, GovukForm


class AuditSearchForm(GovukForm):
    text = forms.CharField(required=False, max_length=100, label="Person or words")
    child_id = forms.IntegerField(required=False, min_value=1, label="Child record number")
    action = forms.ChoiceField(
        required=False, choices=[("", "Any")] + list(AuditEvent.Action.choices)
    )
    date_from = forms.DateField(required=False, widget=DateInput(), label="From")
    date_to = forms.DateField(required=False, widget=DateInput(), label="To")
