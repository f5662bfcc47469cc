"""Caseloads: mine, my team, unallocated, all; filtered, sorted, paginated and
exportable to CSV (Cap.EXPORT_CASELOAD)."""

from __future__ import annotations

import csv

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_tables2 import RequestConfig

from cases.filters import CaseloadFilter
from cases.selectors import CASELOAD_SCOPES, caseload_annotate, caseload_children
from cases.tables import CaseloadTable
from yjs.audit.services import Action, audit_record
from yjs.permissions import Cap, capability_required

PER_PAGE = 25
# Cells starting with these are run as formulas by spreadsheets (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(cell) -> str:
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _filtered(request, scope: str):
    if scope not in CASELOAD_SCOPES:
        raise Http404("No such caseload")
    day = timezone.localdate()
    children = caseload_children(user=request.user, scope=scope)
    filterset = CaseloadFilter(request.GET or None, queryset=children, day=day)
    return filterset, filterset.qs, day


@capability_required(Cap.VIEW_CHILDREN)
def caseload(request, scope: str = "mine"):
    filterset, children, day = _filtered(request, scope)
    table = CaseloadTable(children, day=day)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    count = table.paginator.count
    table.caption = f"{CASELOAD_SCOPES[scope]}: {count} child{'ren' if count != 1 else ''}"
    audit_record(
        user=request.user,
        action=Action.VIEW,
        request=request,
        summary=f"Viewed caseload: {CASELOAD_SCOPES[scope]}",
    )
    return render(
        request,
        "cases/caseload_list.html",
        {
            "filter": filterset,
            "table": table,
            "scope": scope,
            "scopes": CASELOAD_SCOPES,
            "title": CASELOAD_SCOPES[scope],
            "query": request.GET.urlencode(),
        },
    )


@capability_required(Cap.EXPORT_CASELOAD)
def caseload_export(request, scope: str):
    filterset, children, day = _filtered(request, scope)
    table = CaseloadTable(caseload_annotate(children, day=day), day=day)
    RequestConfig(request, paginate=False).configure(table)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="caseload-{scope}-{day}.csv"'
    writer = csv.writer(response)
    rows = 0
    for row in table.as_values():
        writer.writerow([_safe(cell) for cell in row])
        rows += 1
    audit_record(
        user=request.user,
        action=Action.EXPORT,
        request=request,
        summary=f"Exported caseload to CSV: {CASELOAD_SCOPES[scope]}, {max(rows - 1, 0)} children",
    )
    return response
