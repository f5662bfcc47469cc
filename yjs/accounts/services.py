"""Staff accounts: created and changed only here."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from yjs.accounts.models import Team, User
from yjs.audit.services import Action, audit_record
from yjs.permissions import Role


def roles_ensure() -> None:
    """Every role exists as a group (migrations call this too)."""
    for role in Role:
        Group.objects.get_or_create(name=role.value)


@transaction.atomic
def staff_create(
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str = "",
    password: str,
    roles: list[str],
    team: Team | None = None,
    job_title: str = "",
    by: User | None = None,
    request=None,
) -> User:
    roles_ensure()
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        team=team,
        job_title=job_title,
    )
    user.set_password(password)
    user.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    if by is not None:
        audit_record(
            user=by,
            action=Action.CREATE,
            obj=user,
            request=request,
            summary=f"Created staff account {username} ({', '.join(roles)})",
        )
    return user


@transaction.atomic
def staff_update(
    *,
    user: User,
    roles: list[str],
    team: Team | None,
    job_title: str,
    is_active: bool,
    by: User,
    request=None,
) -> User:
    user.team = team
    user.job_title = job_title
    user.is_active = is_active
    user.save(update_fields=["team", "job_title", "is_active"])
    user.groups.set(Group.objects.filter(name__in=roles))
    audit_record(
        user=by,
        action=Action.UPDATE,
        obj=user,
        request=request,
        summary=f"Changed staff account {user.username}: roles {', '.join(roles) or 'none'}, "
        f"{'active' if is_active else 'inactive'}",
    )
    return user
