"""Subject access: a manager exports one child's full record (JSON or PDF)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from cases.selectors import child_get
from cases.services import today
from cases.subject_access import child_record_export
from yjs.permissions import Cap, capability_required

CONTENT_TYPES = {"json": "application/json", "pdf": "application/pdf"}


@capability_required(Cap.EXPORT_CHILD_RECORD)
def subject_access(request, child_pk: int):
    child = child_get(user=request.user, pk=child_pk, request=request)
    return render(request, "cases/subject_access_page.html", {"child": child})


def _download(request, child_pk: int, fmt: str) -> HttpResponse:
    child = child_get(user=request.user, pk=child_pk, request=request, audit=False)
    content = child_record_export(child=child, fmt=fmt, by=request.user, request=request)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    filename = f"record-{slugify(child.full_name)}-{today():%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@capability_required(Cap.EXPORT_CHILD_RECORD)
def subject_access_json(request, child_pk: int):
    return _download(request, child_pk, "json")


@capability_required(Cap.EXPORT_CHILD_RECORD)
def subject_access_pdf(request, child_pk: int):
    return _download(request, child_pk, "pdf")
