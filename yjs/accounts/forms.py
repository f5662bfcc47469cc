from django import forms
from django.contrib.auth import password_validation

from yjs.accounts.models import Team, User
from yjs.forms import GovukForm
from yjs.permissions import ROLE_LABELS, Role

ROLE_CHOICES = [(role.value, ROLE_LABELS[role]) for role in Role]


class StaffForm(GovukForm):
    roles = forms.MultipleChoiceField(
        choices=ROLE_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.all(), required=False, empty_label="No team"
    )
    job_title = forms.CharField(max_length=100, required=False)


class StaffCreateForm(StaffForm):
    username = forms.CharField(max_length=150)
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(required=False)
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters, not a common password.",
    )

    field_order = [
        "username",
        "first_name",
        "last_name",
        "email",
        "password",
        "roles",
        "team",
        "job_title",
    ]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("Another account already has this username")
        return username

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            candidate = User(
                username=cleaned.get("username", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
                email=cleaned.get("email", ""),
            )
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class StaffEditForm(StaffForm):
    is_active = forms.BooleanField(required=False, label="Account is active")
