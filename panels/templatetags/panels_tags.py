"""Small helpers for the OOCD panel's templates."""

from django import template
from django.urls import NoReverseMatch, reverse

from yjs.dates import age_on

register = template.Library()


@register.filter
def child_url(child) -> str:
    """The child's page (cases:child), or "" where it is not available."""
    try:
        return reverse("cases:child", kwargs={"pk": child.pk})
    except NoReverseMatch:
        return ""


@register.filter
def age_at(child, day) -> int | str:
    if not day:
        return ""
    return age_on(child.date_of_birth, day)


@register.filter
def pct_or_dash(value) -> str:
    return "–" if value is None else f"{value:.2f}%"


@register.filter
def any_errors(forms) -> bool:
    return any(form is not None and form.errors for form in forms)
