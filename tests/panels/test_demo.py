"""panels_seed: an upcoming meeting with referrals awaiting a decision."""

from datetime import date

import pytest

from panels.demo import panels_seed
from panels.models import OocdReferral, PanelMeeting
from tests.factories import ChildFactory


@pytest.mark.django_db
def test_panels_seed_puts_undecided_referrals_on_a_meeting(chair):
    for _ in range(3):
        OocdReferral.objects.create(
            child=ChildFactory(), referral_date=date(2024, 5, 1), admission=True
        )
    OocdReferral.objects.create(
        child=ChildFactory(),
        referral_date=date(2024, 5, 1),
        admission=True,
        panel_date=date(2024, 5, 20),
        decision="outcome_22",
    )
    meeting = panels_seed(today=date(2024, 6, 3))
    assert meeting.meeting_date == date(2024, 6, 3)
    assert meeting.chair == chair
    assert meeting.referrals.count() == 3
    assert not meeting.referrals.exclude(decision="").exists()
    assert meeting.attendees.values("agency").distinct().count() == 6
    # Idempotent.
    assert panels_seed(today=date(2024, 6, 3)) == meeting
    assert PanelMeeting.objects.count() == 1 and meeting.referrals.count() == 3
