from __future__ import annotations

from django.db.models import Count, Max, QuerySet

from yjs.audit.models import AuditEvent


def audit_events(
    *, user=None, child_id=None, action=None, date_from=None, date_to=None, text: str = ""
) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.select_related("user")
    if user is not None:
        qs = qs.filter(user=user)
    if child_id is not None:
        qs = qs.filter(child_id=child_id)
    if action:
        qs = qs.filter(action=action)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    if text:
        qs = qs.filter(summary__icontains=text) | qs.filter(username__icontains=text)
    return qs.order_by("-at", "-id")


def child_viewers(*, child_id: int) -> list[dict]:
    """Who opened this child's record, latest first: one row per person."""
    return list(
        AuditEvent.objects.filter(child_id=child_id, action=AuditEvent.Action.VIEW)
        .values("username", "user__first_name", "user__last_name")
        .annotate(views=Count("id"), last_viewed=Max("at"))
        .order_by("-last_viewed")
    )
