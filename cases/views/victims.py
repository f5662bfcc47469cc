"""Victims: the victim workers' list, and each victim as seen from a child's
record. Contact details only for yjs.permissions.may_see_victim_contact."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from cases import record_selectors
from cases.forms.records import VictimFilterForm, VictimForm, VictimLinkForm
from cases.selectors import child_get
from cases.services import records as services
from cases.views.records import save_or_show_problems
from yjs.audit.services import Action, audit_record
from yjs.permissions import Cap, capability_required, may_see_victim_contact


@capability_required(Cap.EDIT_VICTIMS)
def victim_list(request):
    filters = VictimFilterForm(request.GET or None, choices=record_selectors.VICTIM_FILTERS)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    victims = list(record_selectors.victims_for_worker(user=request.user, status=status))
    audit_record(
        user=request.user,
        action=Action.VIEW,
        object_type="cases.victim",
        request=request,
        summary=f"Viewed the victims list ({status or 'all'}): {len(victims)} victims",
    )
    return render(
        request,
        "cases/victim_list.html",
        {
            "filters": filters,
            "status": status,
            "status_label": dict(record_selectors.VICTIM_FILTERS).get(status, ""),
            "victims": victims,
            "show_contact": may_see_victim_contact(request.user),
        },
    )


def _form_page(request, *, child, form, victim=None):
    return render(
        request,
        "cases/victim_form.html",
        {
            "child": child,
            "form": form,
            "victim": victim,
            "title": "Change a victim's record" if victim else "Add a victim",
            "latest": getattr(form, "latest", None),
            "show_contact": may_see_victim_contact(request.user),
        },
    )


@capability_required(Cap.EDIT_VICTIMS)
def victim_add(request, child_pk: int):
    child = child_get(user=request.user, pk=child_pk, request=request)
    show_contact = may_see_victim_contact(request.user)
    form = VictimForm(request.POST or None, child=child, show_contact=show_contact)
    if request.method == "POST" and form.is_valid():
        victim = save_or_show_problems(
            form,
            lambda: services.victim_record(
                child=child,
                offences=form.cleaned_data["offences"],
                values=form.to_values(),
                by=request.user,
                request=request,
            ),
        )
        if victim is not None:
            messages.success(request, "Victim recorded")
            return redirect("cases:victim_detail", child_pk=child.pk, pk=victim.pk)
    return _form_page(request, child=child, form=form)


@capability_required(Cap.VIEW_CHILDREN)
def victim_detail(request, child_pk: int, pk: int):
    child = child_get(
        user=request.user, pk=child_pk, request=request, summary="Opened a victim's record"
    )
    victim = record_selectors.victim_get(child=child, pk=pk)
    return render(
        request,
        "cases/victim_detail.html",
        {
            "child": child,
            "victim": victim,
            "offences": victim.offences.filter(child=child),
            "show_contact": may_see_victim_contact(request.user),
            "rj_status": record_selectors.rj_status(victim),
        },
    )


@capability_required(Cap.EDIT_VICTIMS)
def victim_edit(request, child_pk: int, pk: int):
    child = child_get(user=request.user, pk=child_pk, request=request)
    victim = record_selectors.victim_get(child=child, pk=pk)
    show_contact = may_see_victim_contact(request.user)
    form = VictimForm(
        request.POST or None,
        child=child,
        show_contact=show_contact,
        initial=VictimForm.initial_for(victim, child=child),
    )
    if request.method == "POST" and form.is_valid():
        saved = save_or_show_problems(
            form,
            lambda: services.victim_update(
                victim=victim,
                child=child,
                offences=form.cleaned_data["offences"],
                expected_version=form.cleaned_data["version"] or 0,
                values=form.to_values(),
                by=request.user,
                request=request,
            ),
        )
        if saved is not None:
            messages.success(request, "Victim's record changed")
            return redirect("cases:victim_detail", child_pk=child.pk, pk=victim.pk)
    return _form_page(request, child=child, form=form, victim=victim)


@capability_required(Cap.EDIT_VICTIMS)
def victim_link(request, child_pk: int):
    child = child_get(user=request.user, pk=child_pk, request=request)
    show_contact = may_see_victim_contact(request.user)
    form = VictimLinkForm(
        request.POST or None,
        child=child,
        victims=record_selectors.victims_to_link(user=request.user, child=child),
        label=lambda v: record_selectors.victim_label(v, show_contact=show_contact),
    )
    if request.method == "POST" and form.is_valid():
        victim = save_or_show_problems(
            form,
            lambda: services.victim_link(
                victim=form.cleaned_data["victim"],
                child=child,
                offences=form.cleaned_data["offences"],
                by=request.user,
                request=request,
            ),
        )
        if victim is not None:
            messages.success(request, "Victim linked to this child's offences")
            return redirect("cases:victim_detail", child_pk=child.pk, pk=victim.pk)
    return render(request, "cases/victim_link.html", {"child": child, "form": form})
