"""The child's record of episodes, statuses and remands, their forms, and the
closure step of an order or intervention. Views check the capability, fetch
the child through child_get (access check and audit), call one service."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from cases import record_selectors
from cases.forms.records import (
    EPISODE_FORMS,
    OutcomeClosureForm,
    PlanItemClosureForm,
    VersionedForm,
    add_problems,
)
from cases.positions import child_position_on
from cases.selectors import child_get
from cases.services import StaleEdit, today
from cases.services import records as services
from yjs.permissions import Cap, capability_required


def save_or_show_problems(form: VersionedForm, save: Callable):
    """Run ``save``; on a rule broken or a stale edit, put the problem on the
    form (which keeps what was typed) and return None.

    After a stale edit the form carries the latest version, so saving again
    deliberately replaces the other person's change."""
    try:
        return save()
    except ValidationError as error:
        add_problems(form, error)
    except StaleEdit as error:
        form.add_error(None, str(error))
        form.data = form.data.copy()
        form.data["version"] = error.obj.version
        form.latest = error.obj
    return None


def _kind(kind: str) -> services.Kind:
    if kind not in services.KINDS:
        raise Http404("No such kind of record")
    return services.KINDS[kind]


@capability_required(Cap.VIEW_CHILDREN)
def child_episodes(request, child_pk: int):
    child = child_get(
        user=request.user,
        pk=child_pk,
        request=request,
        summary="Opened the child's statuses, episodes and victims",
    )
    return render(
        request,
        "cases/episode_list.html",
        {
            "child": child,
            "position": child_position_on(child=child, day=today()),
            "sections": record_selectors.child_record_sections(child=child),
            "victims": record_selectors.child_victims(child=child),
            "outcomes": record_selectors.child_outcomes(child=child),
            "plan_items": record_selectors.child_plan_items(child=child),
        },
    )


def _episode_form_page(request, *, child, kind: services.Kind, form, episode=None):
    title = (
        f"Change {kind.name}"
        if episode
        else f"Add {'an' if kind.name[0] in 'aeiou' else 'a'} {kind.name}"
    )
    return render(
        request,
        "cases/episode_form.html",
        {
            "child": child,
            "kind": kind,
            "form": form,
            "episode": episode,
            "title": title,
            "latest": getattr(form, "latest", None),
        },
    )


@capability_required(Cap.EDIT_CHILDREN)
def episode_add(request, child_pk: int, kind: str):
    spec = _kind(kind)
    child = child_get(user=request.user, pk=child_pk, request=request)
    form_class = EPISODE_FORMS[kind]
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        episode = save_or_show_problems(
            form,
            lambda: services.episode_record(
                kind=kind, child=child, values=form.to_values(), by=request.user, request=request
            ),
        )
        if episode is not None:
            messages.success(request, f"{spec.name.capitalize()} recorded")
            return redirect(f"{reverse('cases:child_episodes', args=[child.pk])}#{kind}")
    return _episode_form_page(request, child=child, kind=spec, form=form)


@capability_required(Cap.EDIT_CHILDREN)
def episode_edit(request, child_pk: int, kind: str, pk: int):
    spec = _kind(kind)
    child = child_get(user=request.user, pk=child_pk, request=request)
    episode = record_selectors.episode_get(kind=kind, child=child, pk=pk)
    form_class = EPISODE_FORMS[kind]
    form = form_class(request.POST or None, initial=form_class.initial_from(episode))
    if request.method == "POST" and form.is_valid():
        saved = save_or_show_problems(
            form,
            lambda: services.episode_update(
                kind=kind,
                episode=episode,
                expected_version=form.cleaned_data["version"] or 0,
                values=form.to_values(),
                by=request.user,
                request=request,
            ),
        )
        if saved is not None:
            messages.success(request, f"{spec.name.capitalize()} changed")
            return redirect(f"{reverse('cases:child_episodes', args=[child.pk])}#{kind}")
    return _episode_form_page(request, child=child, kind=spec, form=form, episode=episode)


# --- Closure step ------------------------------------------------------------------


def _closure_page(request, *, child, form, subject: str, kind: str, start, end_day, obj):
    return render(
        request,
        "cases/closure_form.html",
        {
            "child": child,
            "form": form,
            "subject": subject,
            "kind": kind,
            "obj": obj,
            "start": child_position_on(child=child, day=start),
            "end": child_position_on(child=child, day=end_day) if end_day else None,
            "latest": getattr(form, "latest", None),
        },
    )


def _end_day(form, default):
    """The end date to show the position at: the one typed if it is a date."""
    if form.is_bound and form.is_valid():
        return form.cleaned_data["end_date"] or default
    if form.is_bound:
        return None
    return default


@capability_required(Cap.EDIT_CHILDREN)
def outcome_close(request, child_pk: int, pk: int):
    child = child_get(user=request.user, pk=child_pk, request=request)
    outcome = record_selectors.outcome_get(child=child, pk=pk)
    form = OutcomeClosureForm(
        request.POST or None, initial=OutcomeClosureForm.initial_from(outcome)
    )
    if request.method == "POST" and "save" in request.POST and form.is_valid():
        data = form.cleaned_data
        saved = save_or_show_problems(
            form,
            lambda: services.outcome_close(
                outcome=outcome,
                expected_version=data["version"] or 0,
                end_date=data["end_date"],
                successfully_completed=data["successfully_completed"],
                by=request.user,
                request=request,
            ),
        )
        if saved is not None:
            messages.success(
                request, f"The end of the {outcome.get_outcome_type_display().lower()} is recorded"
            )
            return redirect(f"{reverse('cases:child_episodes', args=[child.pk])}#orders")
    return _closure_page(
        request,
        child=child,
        form=form,
        subject=str(outcome),
        kind="order",
        start=outcome.outcome_date,
        end_day=_end_day(form, outcome.end_date),
        obj=outcome,
    )


@capability_required(Cap.EDIT_CHILDREN)
def plan_item_close(request, child_pk: int, pk: int):
    child = child_get(user=request.user, pk=child_pk, request=request)
    item = record_selectors.plan_item_get(child=child, pk=pk)
    initial = PlanItemClosureForm.initial_from(item)
    if initial.get("status") not in dict(services.CLOSING_STATUSES):
        initial["status"] = "completed"
    form = PlanItemClosureForm(request.POST or None, initial=initial)
    if request.method == "POST" and "save" in request.POST and form.is_valid():
        data = form.cleaned_data
        saved = save_or_show_problems(
            form,
            lambda: services.plan_item_close(
                item=item,
                expected_version=data["version"] or 0,
                end_date=data["end_date"],
                status=data["status"],
                successfully_completed=data["successfully_completed"],
                by=request.user,
                request=request,
            ),
        )
        if saved is not None:
            messages.success(request, f"The end of {item.programme} is recorded")
            return redirect(f"{reverse('cases:child_episodes', args=[child.pk])}#interventions")
    return _closure_page(
        request,
        child=child,
        form=form,
        subject=f"{item.programme}",
        kind="intervention",
        start=services.plan_item_start(item),
        end_day=_end_day(form, item.end_date),
        obj=item,
    )
