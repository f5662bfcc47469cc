from django.core.paginator import Paginator
from django.shortcuts import render

from yjs.audit.forms import AuditSearchForm
from yjs.audit.selectors import audit_events
from yjs.permissions import Cap, capability_required


@capability_required(Cap.VIEW_AUDIT_LOG)
def audit_search(request):
    form = AuditSearchForm(request.GET or None)
    events = audit_events()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        events = audit_events(
            child_id=data["child_id"],
            action=data["action"] or None,
            date_from=data["date_from"],
            date_to=data["date_to"],
            text=data["text"],
        )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/audit_search.html", {"form": form, "page": page})
