"""seed_demo builds a deterministic synthetic service through the real import."""

from datetime import date

import pytest
from django.core.management import call_command

from cases.models import Child, Offence, Outcome
from governance.models import BoardMeeting, BoardMember
from panels.models import OocdReferral, PanelMeeting
from yjs.accounts.models import Team, User
from yjs.permissions import Role

TODAY = date(2025, 11, 20)


def service_fingerprint():
    return (
        sorted(
            Child.objects.values_list(
                "source_id",
                "given_name",
                "family_name",
                "date_of_birth",
                "allocated_worker__username",
                "restricted",
            )
        ),
        Offence.objects.count(),
        Outcome.objects.count(),
    )


@pytest.mark.django_db(transaction=True)
def test_seed_demo_builds_a_whole_service_deterministically(capsys):
    call_command("seed_demo", "--children", "300", "--seed", "7", "--today", TODAY.isoformat())
    first = service_fingerprint()
    out = capsys.readouterr().out
    assert "Demo sign-ins" in out and "servicemanager" in out

    assert Child.objects.count() == 300
    assert Team.objects.count() == 3
    for role in Role:
        assert User.objects.filter(groups__name=role.value).exists(), role
    allocated = Child.objects.filter(allocated_worker__isnull=False)
    assert allocated.exists()
    assert all(c.team_id for c in allocated)
    assert OocdReferral.objects.exists()
    assert PanelMeeting.objects.exists()
    assert BoardMember.objects.exists() and BoardMeeting.objects.exists()

    call_command(
        "seed_demo", "--reset", "--children", "300", "--seed", "7", "--today", TODAY.isoformat()
    )
    assert service_fingerprint() == first


@pytest.mark.django_db(transaction=True)
def test_seed_demo_refuses_to_overwrite_without_reset():
    call_command("seed_demo", "--children", "50", "--today", TODAY.isoformat())
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--reset"):
        call_command("seed_demo", "--children", "50", "--today", TODAY.isoformat())
    call_command("seed_demo", "--check")
