"""Writing the audit trail. Every view and change of a child's record calls
``audit_record`` (the child's selectors and services do it for their callers)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yjs.audit.models import AuditEvent

Action = AuditEvent.Action


def client_ip(request) -> str | None:
    if request is None:
        return None
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        # Behind the compose proxy the first X-Forwarded-For hop is the client.
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    user,
    action: str,
    child=None,
    child_id: int | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    summary: str = "",
    request=None,
) -> AuditEvent:
    if child is not None:
        child_id = child.pk
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    return AuditEvent.objects.create(
        user=user if authenticated else None,
        username=user.get_username() if authenticated else "",
        action=action,
        child_id=child_id,
        object_type=object_type,
        object_id=str(object_id or ""),
        summary=summary[:500],
        path=(request.get_full_path()[:500] if request is not None else ""),
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else ""),
    )
