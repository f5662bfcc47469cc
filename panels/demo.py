"""Demonstration data for the OOCD panel (called by seed_demo): an upcoming
panel meeting whose agenda holds referrals awaiting a decision."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from panels import services
from panels.models import OocdReferral, PanelMeeting
from yjs.permissions import Role

DEMO_LOCATION = "Demonstration panel room"
DEMO_ATTENDEES = [
    {"name": "PC Alex Morgan", "agency": "police", "role": "Youth diversion officer"},
    {"name": "Jordan Ellis", "agency": "yjs", "role": "OOCD case manager"},
    {"name": "Priya Shah", "agency": "rj", "role": "Restorative justice worker"},
    {"name": "Sam Okafor", "agency": "health", "role": "CAMHS practitioner"},
    {"name": "Chris Doyle", "agency": "education", "role": "Inclusion officer"},
    {"name": "Morgan Lee", "agency": "social_care", "role": "Social worker"},
]


@transaction.atomic
def panels_seed(*, today: date, agenda_size: int = 6) -> PanelMeeting:
    """A panel meeting on ``today`` (so the chair can record decisions at once)
    with up to ``agenda_size`` referrals that have no panel date on its agenda.
    Idempotent: running it again reuses the meeting and adds nothing twice."""
    from django.contrib.auth import get_user_model

    chair = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.PANEL_CHAIR.value)
        .order_by("pk")
        .first()
    )
    meeting = PanelMeeting.objects.filter(meeting_date=today, location=DEMO_LOCATION).first()
    if meeting is None:
        meeting = services.meeting_create(
            meeting_date=today,
            chair=chair,
            location=DEMO_LOCATION,
            attendees=DEMO_ATTENDEES,
            by=None,
        )
    free = max(0, agenda_size - meeting.referrals.count())
    waiting = list(
        OocdReferral.objects.filter(
            panel_date__isnull=True, decision="", meeting__isnull=True, referral_date__lte=today
        ).order_by("-referral_date", "pk")[:free]
    )
    if waiting:
        services.agenda_assign(meeting=meeting, referrals=waiting, by=None)
    return meeting
