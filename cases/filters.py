"""Caseload filters (django-filter). The rules behind each filter (age band,
flags open today, overdue review) live in cases.selectors."""

from __future__ import annotations

import hashlib

import django_filters
from django import forms
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.lookups import LessThan
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from cases import vocab
from cases.models import Child, Outcome
from cases.selectors import (
    CASELOAD_FLAGS,
    age_band_range,
    caseload_flag_q,
    child_localities,
    current_outcomes_q,
    next_review_due,
)
from yjs.accounts.models import Team, User
from yjs.forms import GovukForm
from yjs.permissions import Role


def caseworkers() -> QuerySet[User]:
    """Staff who can hold a caseload."""
    return (
        User.objects.filter(
            is_active=True,
            groups__name__in=[Role.PRACTITIONER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER],
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class CaseloadFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(method="filter_name", label="Name")
    age_band = django_filters.ChoiceFilter(
        choices=vocab.AGE_BANDS, method="filter_age_band", label="Age", empty_label="Any age"
    )
    locality = django_filters.ChoiceFilter(choices=[], label="Locality", empty_label="Any locality")
    worker = django_filters.ModelChoiceFilter(
        field_name="allocated_worker",
        queryset=caseworkers(),
        label="Allocated worker",
        empty_label="Anyone",
    )
    team = django_filters.ModelChoiceFilter(
        field_name="team", queryset=Team.objects.all(), label="Team", empty_label="Any team"
    )
    outcome_type = django_filters.ChoiceFilter(
        choices=vocab.OUTCOME_TYPE,
        method="filter_outcome_type",
        label="Current order",
        empty_label="Any",
    )
    flags = django_filters.MultipleChoiceFilter(
        choices=[
            (code, dict(vocab.CARE_STATUS + vocab.OTHER_STATUS)[status])
            for code, _, _, status in CASELOAD_FLAGS
        ],
        method="filter_flags",
        label="Statuses open today",
        widget=forms.CheckboxSelectMultiple,
    )
    review_overdue = django_filters.BooleanFilter(
        method="filter_review_overdue",
        label="Only children whose assessment review is overdue",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Child
        fields: list[str] = []
        form = GovukForm

    def __init__(self, *args, day=None, **kwargs):
        self.day = day or timezone.localdate()
        super().__init__(*args, **kwargs)
        self.filters["locality"].extra["choices"] = [(loc, loc) for loc in child_localities()]

    def fields_html(self) -> str:
        """The form's fields, as templates/cases/caseload_filter_fields.html renders
        them. With no filter chosen the HTML depends only on the choice lists, so
        it is cached under a key made of them (rendering the selects' options
        was a fifth of the caseload's time; benchmarks/README.md)."""
        form = self.form
        if form.errors or any(form.data.get(name) for name in form.fields):
            return render_to_string("cases/caseload_filter_fields.html", {"form": form})
        choices = [
            [(value, str(label)) for value, label in form.fields["locality"].choices],
            *(
                [(obj.pk, str(obj)) for obj in form.fields[name].queryset]
                for name in ("worker", "team")
            ),
        ]
        key = "caseload-filter:" + hashlib.sha256(repr(choices).encode()).hexdigest()
        html = cache.get(key)
        if html is None:
            html = render_to_string("cases/caseload_filter_fields.html", {"form": form})
            # Minutes, not hours: a shared cache outlives a release changing the template.
            cache.set(key, html, 300)
        return mark_safe(html)  # noqa: S308 (rendered by the template above)

    def filter_name(self, qs, name, value):
        for word in value.split():
            qs = qs.filter(
                Q(given_name__icontains=word)
                | Q(family_name__icontains=word)
                | Q(preferred_name__icontains=word)
            )
        return qs

    def filter_age_band(self, qs, name, value):
        after, up_to = age_band_range(value, day=self.day)
        return qs.filter(date_of_birth__gt=after, date_of_birth__lte=up_to)

    def filter_outcome_type(self, qs, name, value):
        current = Outcome.objects.filter(
            current_outcomes_q(self.day), child=OuterRef("pk"), outcome_type=value
        )
        return qs.filter(Exists(current))

    def filter_flags(self, qs, name, value):
        for code in value:
            qs = qs.filter(caseload_flag_q(code, self.day))
        return qs

    def filter_review_overdue(self, qs, name, value):
        if value:
            qs = qs.filter(LessThan(next_review_due(self.day), self.day))
        return qs
