"""What every page's template needs: the service name and the navigation,
built from the user's capabilities (yjs.permissions)."""

from django.conf import settings
from django.urls import reverse

from yjs.permissions import Cap, user_capabilities

# (label, url name, capability that shows it)
NAVIGATION = [
    ("Caseloads", "cases:caseload", Cap.VIEW_CHILDREN),
    ("OOCD panel", "panels:home", Cap.RUN_PANELS),
    ("Referrals", "panels:referrals", Cap.RECORD_REFERRALS),
    ("Victims", "cases:victims", Cap.EDIT_VICTIMS),
    ("Panel report", "panels:report", Cap.VIEW_PANEL_REPORT),
    ("Performance", "performance:dashboard", Cap.VIEW_PERFORMANCE),
    ("Board", "governance:home", Cap.VIEW_GOVERNANCE),
    ("Board packs", "performance:packs", Cap.VIEW_BOARD_PACKS),
    ("Import", "cases:import", Cap.IMPORT_EXTRACT),
    ("Audit log", "audit:search", Cap.VIEW_AUDIT_LOG),
    ("Staff", "accounts:staff", Cap.MANAGE_STAFF),
]


def navigation(request):
    user = getattr(request, "user", None)
    caps = user_capabilities(user) if user is not None else frozenset()
    items = []
    seen = set()
    for label, name, cap in NAVIGATION:
        if cap not in caps or name in seen:
            continue
        url = reverse(name)
        seen.add(name)
        active = request.path.startswith(url) if url != "/" else request.path == "/"
        items.append({"label": label, "url": url, "active": active})
    return {
        "service_name": settings.YJS_SERVICE_NAME,
        "nav_items": items,
        "can": {cap.value: True for cap in caps},
    }
