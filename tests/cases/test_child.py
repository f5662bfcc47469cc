"""The child's page: access, audit, summary, timeline, viewers, query counts;
creating, changing and allocating a child."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import (
    Assessment,
    CareStatus,
    CaseNote,
    Child,
    Contact,
    PlanItem,
    Programme,
    Remand,
    StatusEpisode,
)
from tests.factories import ChildFactory, OffenceFactory, OutcomeFactory
from yjs.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


@pytest.fixture
def child(users):
    return ChildFactory(allocated_worker=users["practitioner"], given_name="Ava")


def _events(child, n, programme):
    """``n`` of each kind of event on the child's record."""
    today = _today()
    for i in range(n):
        day = today - timedelta(days=200 - i)
        OutcomeFactory(child=child, outcome_date=day)
        Assessment.objects.create(
            child=child,
            assessment_date=day,
            likelihood_of_reoffending="medium",
            risk_of_serious_harm="low",
            safety_and_wellbeing="low",
            intervention_level="standard",
            next_review_due=day + timedelta(days=90),
        )
        PlanItem.objects.create(child=child, programme=programme, planned_start_date=day)
        Contact.objects.create(
            child=child,
            contact_date=timezone.now() - timedelta(days=200 - i),
            contact_type="office",
            attendance="attended",
        )
        CaseNote.objects.create(child=child, written_on=day, text=f"I met you, note {i}")


def test_practitioner_sees_the_page_and_it_is_audited(client_as, users, child):
    response = client_as("practitioner").get(reverse("cases:child", args=[child.pk]))
    assert response.status_code == 200
    assert child.full_name in response.content.decode()
    assert AuditEvent.objects.filter(
        child_id=child.pk, action="view", user=users["practitioner"]
    ).exists()


def test_board_member_and_administrator_get_403(client_as, child):
    for role in ("board_member", "administrator"):
        response = client_as(role).get(reverse("cases:child", args=[child.pk]))
        assert response.status_code == 403


def test_restricted_child_is_404_for_an_unallocated_practitioner(client_as, users, make_user):
    other = make_user("practitioner")
    restricted = ChildFactory(restricted=True, allocated_worker=other)
    url = reverse("cases:child", args=[restricted.pk])
    assert client_as("practitioner").get(url).status_code == 404
    assert client_as("team_manager").get(url).status_code == 200
    assert (
        client_as("practitioner")
        .get(reverse("cases:offence_create", args=[restricted.pk]))
        .status_code
        == 404
    )


def test_missing_child_is_404(client_as):
    assert client_as("practitioner").get(reverse("cases:child", args=[999999])).status_code == 404


def test_summary_shows_statuses_orders_ratings_and_review(client_as, child):
    today = _today()
    programme = Programme.objects.create(name="Group work", category="group_work")
    OutcomeFactory(child=child, outcome_date=today - timedelta(days=10))
    Assessment.objects.create(
        child=child,
        assessment_date=today - timedelta(days=100),
        likelihood_of_reoffending="high",
        risk_of_serious_harm="very_high",
        safety_and_wellbeing="low",
        intervention_level="intensive",
        next_review_due=today - timedelta(days=9),
    )
    CareStatus.objects.create(child=child, status="looked_after", start_date=today)
    CareStatus.objects.create(
        child=child,
        status="child_protection",
        start_date=today - timedelta(days=50),
        end_date=today - timedelta(days=1),
    )
    StatusEpisode.objects.create(
        child=child, status="mappa", detail="Category 2, level 1", start_date=today
    )
    Remand.objects.create(
        child=child, remand_type="bail_supervision", start_date=today - timedelta(days=3)
    )
    PlanItem.objects.create(
        child=child,
        programme=programme,
        planned_start_date=today - timedelta(days=8),
        actual_start_date=today - timedelta(days=2),
        status="in_progress",
    )
    page = client_as("practitioner").get(reverse("cases:child", args=[child.pk])).content.decode()
    assert "Referral order" in page
    assert "Very high" in page and "Intensive" in page
    assert "is overdue" in page
    assert "Looked after" in page and "Category 2, level 1" in page
    assert "Child protection plan" not in page  # ended yesterday
    assert "Late start" in page
    assert "Remanded" in page and "Bail supervision and support since" in page


def test_timeline_is_newest_first(client_as, child):
    today = _today()
    OffenceFactory(child=child, offence_date=today - timedelta(days=300), category="robbery")
    CaseNote.objects.create(child=child, written_on=today, text="I saw you today")
    page = client_as("practitioner").get(reverse("cases:child", args=[child.pk])).content.decode()
    assert page.index("I saw you today") < page.index("Offence: Robbery")


def test_who_viewed_only_for_service_managers(client_as, child):
    url = reverse("cases:child", args=[child.pk])
    client_as("practitioner").get(url)
    assert "Who viewed this child" not in client_as("practitioner").get(url).content.decode()
    page = client_as("service_manager").get(url).content.decode()
    assert "Who viewed this child" in page
    assert "(practitioner)" in page


def test_child_page_queries_do_not_grow_with_events(
    client_as, child, django_assert_max_num_queries
):
    programme = Programme.objects.create(name="Reparation", category="rj_reparation")
    client = client_as("service_manager")
    url = reverse("cases:child", args=[child.pk])
    _events(child, 2, programme)
    # A first request touches the session (at most once a minute): not counted.
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(20) as small:
        assert client.get(url).status_code == 200
    _events(child, 38, programme)
    with django_assert_max_num_queries(20) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


# --- Creating, changing, allocating -------------------------------------------


def _child_post(**overrides):
    data = {
        "given_name": "Noah",
        "family_name": "Synthetic",
        "preferred_name": "",
        "date_of_birth": "2010-02-03",
        "sex": "M",
        "ethnicity": "mixed",
        "locality": "South",
        "address": "",
        "school": "",
        "first_language": "English",
    }
    data.update(overrides)
    return data


def test_practitioner_adds_a_child_allocated_to_them(client_as, users):
    response = client_as("practitioner").post(reverse("cases:child_create"), _child_post())
    child = Child.objects.get(family_name="Synthetic")
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:child", args=[child.pk])
    assert child.allocated_worker == users["practitioner"]
    assert not child.restricted
    assert AuditEvent.objects.filter(child_id=child.pk, action="create").exists()


def test_practitioner_cannot_set_restricted(client_as):
    client = client_as("practitioner")
    assert "Restricted record" not in client.get(reverse("cases:child_create")).content.decode()
    client.post(reverse("cases:child_create"), _child_post(restricted="on"))
    assert not Child.objects.get(family_name="Synthetic").restricted


def test_manager_adds_a_restricted_child(client_as, users):
    client = client_as("team_manager")
    client.post(
        reverse("cases:child_create"),
        _child_post(restricted="on", allocated_worker=users["practitioner"].pk),
    )
    child = Child.objects.get(family_name="Synthetic")
    assert child.restricted and child.allocated_worker == users["practitioner"]


def test_date_of_birth_in_the_future_is_refused(client_as):
    future = (_today() + timedelta(days=5)).isoformat()
    response = client_as("practitioner").post(
        reverse("cases:child_create"), _child_post(date_of_birth=future)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and "must not be in the future" in page
    assert not Child.objects.filter(family_name="Synthetic").exists()


def test_edit_child_details(client_as, child):
    client = client_as("practitioner")
    url = reverse("cases:child_edit", args=[child.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _child_post(version=child.version, preferred_name="Avi"))
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.preferred_name == "Avi" and child.version == 2
    assert AuditEvent.objects.filter(child_id=child.pk, action="update").exists()


def test_allocation_needs_the_capability(client_as, users, child):
    url = reverse("cases:child_allocate", args=[child.pk])
    assert client_as("practitioner").get(url).status_code == 403
    response = client_as("team_manager").post(
        url, {"allocated_worker": users["team_manager"].pk, "team": "", "version": child.version}
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.allocated_worker == users["team_manager"]
    assert AuditEvent.objects.filter(child_id=child.pk, summary__startswith="Allocated").exists()


def test_board_member_cannot_add_a_child(client_as):
    assert client_as("board_member").get(reverse("cases:child_create")).status_code == 403
    assert client_as("victim_worker").get(reverse("cases:child_create")).status_code == 403


def test_timeline_links_to_the_closure_step_of_open_outcomes(client_as, child):
    open_outcome = OutcomeFactory(child=child, outcome_date=_today() - timedelta(days=5))
    page = client_as("practitioner").get(reverse("cases:child", args=[child.pk])).content.decode()
    close = reverse("cases:outcome_close", args=[child.pk, open_outcome.pk])
    assert close in page
    page = client_as("panel_chair").get(reverse("cases:child", args=[child.pk])).content.decode()
    assert close not in page
