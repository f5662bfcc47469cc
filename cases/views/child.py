"""The child's page, and creating, changing and allocating a child."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse

from cases.forms.casework import AllocationForm, ChildForm
from cases.selectors import child_get, child_record
from cases.services.casework import (
    ALLOCATION_FIELDS,
    CHILD_FIELDS,
    child_allocate,
    child_create,
    child_update,
)
from cases.views._forms import form_page
from yjs.audit.selectors import child_viewers
from yjs.dates import age_on
from yjs.permissions import Cap, capability_required, has_capability

# Pages of the records helper (cases/urls_records.py) linked from the child's
# page: (label, URL name taking the child's pk). Names not (yet) defined are skipped.
# (label, URL name, capability that shows the link)
RECORD_LINKS = [
    ("Accommodation, education, health and statuses", "cases:child_episodes", Cap.VIEW_CHILDREN),
    ("Add a victim", "cases:victim_add", Cap.EDIT_VICTIMS),
    (
        "Subject access: the child's record to download",
        "cases:subject_access",
        Cap.EXPORT_CHILD_RECORD,
    ),
]


# The closure step of the records pages, linked from the timeline entry it ends.
CLOSE_LINKS = {"outcome": "cases:outcome_close", "plan_item": "cases:plan_item_close"}


def add_close_links(child, timeline) -> None:
    for entry in timeline:
        name = CLOSE_LINKS.get(entry.kind)
        if name and entry.obj.end_date is None:
            entry.close_url = reverse(name, args=[child.pk, entry.obj.pk])


def record_links(child, user) -> list[tuple[str, str]]:
    return [
        (label, reverse(name, args=[child.pk]))
        for label, name, cap in RECORD_LINKS
        if has_capability(user, cap)
    ]


@capability_required(Cap.VIEW_CHILDREN)
def child_detail(request, pk: int):
    child = child_get(user=request.user, pk=pk, request=request)
    record = child_record(child=child)
    if has_capability(request.user, Cap.EDIT_CHILDREN):
        add_close_links(child, record.timeline)
    viewers = None
    if has_capability(request.user, Cap.VIEW_CHILD_AUDIT):
        viewers = child_viewers(child_id=child.pk)
    return render(
        request,
        "cases/child_detail.html",
        {
            "child": child,
            "record": record,
            "viewers": viewers,
            "age": age_on(child.date_of_birth, record.day),
            "record_links": record_links(child, request.user),
        },
    )


@capability_required(Cap.EDIT_CHILDREN)
def child_create_view(request):
    may_allocate = has_capability(request.user, Cap.ALLOCATE_CHILDREN)
    initial = {}
    if may_allocate:
        initial = {"allocated_worker": request.user, "team": request.user.team}
    form = ChildForm(request.POST or None, may_allocate=may_allocate, initial=initial)

    def save(data):
        fields = {name: data[name] for name in CHILD_FIELDS}
        if may_allocate:
            fields.update({name: data[name] for name in ALLOCATION_FIELDS})
        else:
            # A practitioner who adds a child holds the case until it is allocated.
            fields.update(allocated_worker=request.user, team=request.user.team)
        return child_create(**fields, by=request.user, request=request)

    return form_page(
        request,
        form=form,
        save=save,
        template="cases/child_form.html",
        title="Add a child",
        success="Child added",
        next_url=lambda child: reverse("cases:child", args=[child.pk]),
    )


@capability_required(Cap.EDIT_CHILDREN)
def child_edit(request, pk: int):
    child = child_get(
        user=request.user, pk=pk, request=request, summary="Opened the child's details to change"
    )
    may_allocate = has_capability(request.user, Cap.ALLOCATE_CHILDREN)
    initial = {name: getattr(child, name) for name in CHILD_FIELDS + ALLOCATION_FIELDS}
    initial["version"] = child.version
    form = ChildForm(request.POST or None, may_allocate=may_allocate, initial=initial)

    def save(data):
        names = CHILD_FIELDS + (ALLOCATION_FIELDS if may_allocate else ())
        child_update(
            child=child,
            expected_version=data["version"],
            by=request.user,
            request=request,
            **{name: data[name] for name in names},
        )

    return form_page(
        request,
        form=form,
        save=save,
        template="cases/child_form.html",
        title=f"Change {child.full_name}'s details",
        child=child,
        success="Details saved",
    )


@capability_required(Cap.ALLOCATE_CHILDREN)
def child_allocate_view(request, pk: int):
    child = child_get(
        user=request.user, pk=pk, request=request, summary="Opened the allocation of the child"
    )
    form = AllocationForm(
        request.POST or None,
        initial={
            "allocated_worker": child.allocated_worker,
            "team": child.team,
            "version": child.version,
        },
    )

    def save(data):
        child_allocate(
            child=child,
            expected_version=data["version"],
            allocated_worker=data["allocated_worker"],
            team=data["team"],
            by=request.user,
            request=request,
        )

    return form_page(
        request,
        form=form,
        save=save,
        template="cases/child_allocate.html",
        title=f"Allocate {child.full_name}",
        child=child,
        success="Allocation saved",
    )
