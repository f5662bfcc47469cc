"""Two people deciding the same referral at the same moment (PostgreSQL row
locks): exactly one decision and one outcome are recorded."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection, connections

from cases.models import Outcome
from cases.services import today
from panels import services
from panels.models import OocdReferral
from tests.factories import ChildFactory, OffenceFactory


@pytest.mark.django_db(transaction=True)
def test_only_one_of_two_simultaneous_decisions_succeeds(chair):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    meeting = services.meeting_create(meeting_date=today(), chair=chair, by=chair)
    child = ChildFactory(date_of_birth=date(2010, 1, 1))
    offence = OffenceFactory(child=child, offence_date=today() - timedelta(days=9))
    referral = OocdReferral.objects.create(
        child=child, referral_date=today() - timedelta(days=8), admission=True, meeting=meeting
    )
    referral.offences.set([offence])

    barrier = threading.Barrier(2)
    results = []

    def decide(decision):
        try:
            barrier.wait()
            services.decision_record(
                referral=referral, decision=decision, rationale="Agreed", by=chair
            )
            results.append("ok")
        except services.DecisionRefused:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(d,)) for d in ("youth_caution", "outcome_22")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "refused"]
    assert Outcome.objects.filter(child=child).count() == 1
