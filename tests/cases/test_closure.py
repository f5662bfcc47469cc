"""The closure step of an order or intervention, and the child's position on
a day (cases.positions, interchange.md "Episodes": open on day D when
start_date <= D and (end blank or D <= end))."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from cases.models import (
    AccommodationEpisode,
    CareStatus,
    EteEpisode,
    HealthNeed,
    PlanItem,
    Programme,
    SendEpisode,
)
from cases.positions import child_position_on, school_leaving_date
from tests.factories import ChildFactory, OutcomeFactory
from yjs.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def child():
    return ChildFactory(
        given_name="Kai", family_name="Testclosure", date_of_birth=date(2008, 5, 17)
    )


def accommodation(
    child, start, end=None, suitability="suitable", primary=True, kind="with_parents"
):
    return AccommodationEpisode.objects.create(
        child=child,
        accommodation_type=kind,
        suitability=suitability,
        primary_residence=primary,
        start_date=start,
        end_date=end,
    )


def ete(child, start, end=None, suitability="suitable", offered=10, attended=10):
    return EteEpisode.objects.create(
        child=child,
        provision="college",
        suitability=suitability,
        hours_offered=offered,
        hours_attended=attended,
        start_date=start,
        end_date=end,
    )


def test_an_episode_is_open_on_its_first_and_last_day_only(child):
    accommodation(child, date(2024, 1, 10), date(2024, 3, 31))
    assert child_position_on(child=child, day=date(2024, 1, 9)).accommodation_suitable is None
    assert child_position_on(child=child, day=date(2024, 1, 10)).accommodation_suitable is True
    assert child_position_on(child=child, day=date(2024, 3, 31)).accommodation_suitable is True
    assert child_position_on(child=child, day=date(2024, 4, 1)).accommodation_suitable is None


def test_every_open_record_must_be_suitable_and_unknown_counts_as_not(child):
    accommodation(child, date(2024, 1, 1))
    accommodation(child, date(2024, 2, 1), suitability="unknown", kind="with_family")
    accommodation(child, date(2024, 1, 1), suitability="unsuitable", primary=False, kind="other")
    assert child_position_on(child=child, day=date(2024, 1, 15)).accommodation_suitable is True
    # The second primary residence is unknown: not suitable (domain.md, 2023 KPIs).
    assert child_position_on(child=child, day=date(2024, 2, 15)).accommodation_suitable is False


def test_ete_hours_are_summed_over_open_episodes(child):
    ete(child, date(2024, 1, 1), offered=15, attended=12)
    ete(child, date(2024, 1, 1), date(2024, 6, 30), offered=10, attended=8.5)
    position = child_position_on(child=child, day=date(2024, 3, 1))
    assert position.ete_hours_offered == Decimal("25")
    assert position.ete_hours_attended == Decimal("20.5")
    assert position.ete_hours_band == "16 to 24 hours"
    assert position.school_age  # turns 16 in May 2024: school age to 28 June 2024
    assert not position.ete_full_time
    later = child_position_on(child=child, day=date(2024, 7, 1))
    assert not later.school_age
    assert later.ete_hours_attended == Decimal("12")


def test_school_leaving_date_is_the_last_friday_of_june():
    assert school_leaving_date(date(2008, 5, 17)) == date(2024, 6, 28)
    # Turning 16 in September falls in the next school year.
    assert school_leaving_date(date(2008, 9, 1)) == date(2025, 6, 27)


def test_statuses_send_and_health_needs_on_a_day(child):
    CareStatus.objects.create(child=child, status="looked_after", start_date=date(2024, 1, 1))
    SendEpisode.objects.create(child=child, plan="sen_support", start_date=date(2023, 9, 1))
    HealthNeed.objects.create(
        child=child,
        kind="substance_misuse",
        screened_date=date(2024, 2, 1),
        attended_start_date=date(2024, 2, 10),
        attended_end_date=date(2024, 4, 1),
    )
    position = child_position_on(child=child, day=date(2024, 3, 1))
    assert [s.status for s in position.care_statuses] == ["looked_after"]
    assert position.send_identified and position.send_formal_plan
    assert len(position.health_needs) == 1
    assert child_position_on(child=child, day=date(2024, 4, 2)).health_needs == []


@pytest.fixture
def order(child):
    return OutcomeFactory(
        child=child, outcome_date=date(2024, 1, 15), outcome_type="referral_order"
    )


def close_url(order):
    return reverse("cases:outcome_close", args=[order.child.pk, order.pk])


def test_the_closure_page_shows_the_position_at_start_and_end(client_as, child, order):
    accommodation(child, date(2024, 1, 1), date(2024, 3, 31), suitability="unsuitable")
    accommodation(child, date(2024, 4, 1), kind="foster_care")
    ete(child, date(2024, 5, 1), offered=25, attended=25)
    client = client_as("practitioner")
    html = client.get(close_url(order)).content.decode()
    assert "At the start: 15 January 2024" in html
    assert "At the end" not in html  # no end date yet
    html = client.post(close_url(order), {"end_date": "2024-07-14", "preview": "1"})
    html = html.content.decode()
    assert "At the end: 14 July 2024" in html
    start, end = html.split("At the end")
    assert "Not suitable" in start and "Foster care" in end
    assert "25 of 25 hours a week attended" in end
    order.refresh_from_db()
    assert order.end_date is None  # previewing saves nothing


def test_closing_an_order_records_end_and_completion(client_as, order):
    response = client_as("practitioner").post(
        close_url(order),
        {"end_date": "2024-07-14", "successfully_completed": "Y", "version": "1", "save": "1"},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.end_date == date(2024, 7, 14)
    assert order.successfully_completed is True
    event = AuditEvent.objects.get(action="update", child_id=order.child_id)
    assert "completed" in event.summary


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"end_date": "2024-01-14"}, "is before the outcome date"),
        ({"end_date": "", "successfully_completed": "Y"}, "This field is required"),
        ({"end_date": "2024-13-01"}, "Enter a valid date"),
    ],
)
def test_closing_an_order_is_checked(client_as, order, data, message):
    response = client_as("practitioner").post(close_url(order), {**data, "save": "1"})
    assert response.status_code == 200
    assert message in response.content.decode()
    order.refresh_from_db()
    assert order.end_date is None and order.successfully_completed is None


def test_a_stale_closure_is_refused(client_as, order):
    order.requirements = "changed elsewhere"
    order.version = 2
    order.save()
    response = client_as("practitioner").post(
        close_url(order), {"end_date": "2024-07-14", "version": "1", "save": "1"}
    )
    assert "Someone else changed this" in response.content.decode()
    order.refresh_from_db()
    assert order.end_date is None


def test_closure_needs_edit_rights(client_as, order):
    assert client_as("victim_worker").get(close_url(order)).status_code == 403
    assert client_as("board_member").get(close_url(order)).status_code == 403


@pytest.fixture
def item(child, order):
    programme = Programme.objects.create(name="Knife crime awareness", category="knife_crime")
    return PlanItem.objects.create(
        child=child,
        programme=programme,
        outcome=order,
        planned_start_date=date(2024, 2, 1),
        actual_start_date=date(2024, 2, 8),
        status="in_progress",
    )


def item_url(item):
    return reverse("cases:plan_item_close", args=[item.child.pk, item.pk])


def test_closing_an_intervention(client_as, child, item):
    ete(child, date(2024, 1, 1), offered=20, attended=5, suitability="unsuitable")
    client = client_as("practitioner")
    html = client.get(item_url(item)).content.decode()
    assert "At the start: 8 February 2024" in html  # the actual start
    response = client.post(
        item_url(item),
        {
            "end_date": "2024-05-01",
            "status": "completed",
            "successfully_completed": "Y",
            "version": "1",
            "save": "1",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.end_date, item.status, item.successfully_completed) == (
        date(2024, 5, 1),
        "completed",
        True,
    )
    assert AuditEvent.objects.filter(action="update", object_type="cases.planitem").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"end_date": "2024-02-07", "status": "completed"}, "is before the start date"),
        (
            {"end_date": "2024-05-01", "status": "ended", "successfully_completed": "Y"},
            "ended early or was cancelled was not completed",
        ),
        ({"end_date": "2024-05-01", "status": "planned"}, "Select a valid choice"),
    ],
)
def test_closing_an_intervention_is_checked(client_as, item, data, message):
    response = client_as("practitioner").post(item_url(item), {**data, "save": "1"})
    assert response.status_code == 200
    assert message in response.content.decode()
    item.refresh_from_db()
    assert item.end_date is None and item.status == "in_progress"
