"""What every casework form page does: validate, call the service, show the
service's problems in the error summary, and refuse a stale edit while keeping
what the person typed (optimistic locking, cases.services.versioned_update)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from cases.forms.casework import apply_problems
from cases.services import StaleEdit


def describe(obj: models.Model, form: forms.Form) -> list[tuple[str, str]]:
    """The saved values of ``obj`` for the form's fields, as (label, text)."""
    rows = []
    for name, field in form.fields.items():
        if name == "version":
            continue
        try:
            value = getattr(obj, name)
        except AttributeError:
            continue
        display = getattr(obj, f"get_{name}_display", None)
        if display is not None:
            value = display()
        elif isinstance(value, models.Manager):
            value = "; ".join(str(v) for v in value.all())
        elif isinstance(value, bool):
            value = "Yes" if value else "No"
        elif isinstance(value, datetime):
            value = f"{timezone.localtime(value):%-d %B %Y %H:%M}"
        elif isinstance(value, date):
            value = f"{value:%-d %B %Y}"
        elif value is None:
            value = "Not recorded"
        rows.append((str(field.label), str(value)))
    return rows


def form_page(
    request,
    *,
    form: forms.Form,
    save: Callable[[dict], object],
    template: str,
    title: str,
    child=None,
    success: str,
    next_url: str | Callable[[object], str] | None = None,
    context: dict | None = None,
):
    """GET: show the form. POST: save through ``save(cleaned_data)``; on success
    redirect (to the child's page by default) with a success message."""
    latest = None
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except StaleEdit as stale:
            form.add_error(None, str(stale))
            latest = describe(stale.obj, form)
            # Keep everything typed; a second save is made against the latest version.
            data = form.data.copy()
            data["version"] = str(stale.obj.version)
            form.data = data
        except ValidationError as error:
            apply_problems(form, error)
        else:
            messages.success(request, success)
            if callable(next_url):
                return redirect(next_url(result))
            return redirect(next_url or reverse("cases:child", args=[child.pk]))
    return render(
        request,
        template,
        {
            "form": form,
            "title": title,
            "child": child,
            "latest": latest,
            "cancel_url": (
                reverse("cases:child", args=[child.pk])
                if child
                else (next_url if isinstance(next_url, str) else reverse("cases:caseload"))
            ),
            **(context or {}),
        },
    )
