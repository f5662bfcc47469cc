"""The board's pages: who may read, who may change, and that changes are saved
through the services (audited)."""

from datetime import date

import pytest
from django.urls import reverse

from governance.demo import governance_seed
from governance.models import Action, Agency, Attendance, BoardMeeting, BoardMember
from yjs.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PAGES = [
    "governance:home",
    "governance:actions",
    "governance:priorities",
    "governance:budget",
]


@pytest.fixture
def seeded():
    governance_seed(today=date.today())


@pytest.mark.parametrize("name", PAGES)
def test_board_member_reads_the_board_pages(client_as, seeded, name):
    response = client_as("board_member").get(reverse(name))
    assert response.status_code == 200
    assert b"Add a" not in response.content  # no change buttons without MANAGE_GOVERNANCE


@pytest.mark.parametrize("role", ["practitioner", "administrator", "panel_chair"])
def test_roles_without_governance_are_refused(client_as, role):
    assert client_as(role).get(reverse("governance:home")).status_code == 403


def test_home_shows_kpi8_for_the_chosen_quarter(client_as, seeded):
    meeting = BoardMeeting.objects.order_by("date").first()
    response = client_as("service_manager").get(
        reverse("governance:home"), {"quarter": meeting.quarter}
    )
    assert response.status_code == 200
    assert b"of 5" in response.content


def test_board_member_cannot_change_records(client_as, seeded):
    client = client_as("board_member")
    assert client.get(reverse("governance:action_add")).status_code == 403
    meeting = BoardMeeting.objects.first()
    assert client.post(reverse("governance:meeting", args=[meeting.pk]), {}).status_code == 403


def test_manager_adds_an_action_and_it_is_audited(client_as, users):
    client = client_as("service_manager")
    response = client.post(
        reverse("governance:action_add"),
        {
            "description": "Present the ETE deep dive",
            "owner": "Head of Service",
            "due_date": "2024-09-30",
            "status": "open",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.description == "Present the ETE deep dive"
    assert AuditEvent.objects.filter(
        object_type="governance.action", object_id=str(action.pk), action="create"
    ).exists()
    listing = client.get(reverse("governance:actions"))
    assert b"(overdue)" in listing.content or action.due_date >= date.today()


def test_invalid_member_shows_the_error_summary(client_as):
    agency = Agency.objects.create(name="Police", sector="police")
    response = client_as("service_manager").post(
        reverse("governance:member_add"),
        {
            "name": "Pat Example",
            "role": "Inspector",
            "agency": agency.pk,
            "seniority": "senior",
            "start_date": "2024-05-01",
            "end_date": "2024-01-01",
        },
    )
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert not BoardMember.objects.exists()


def test_manager_records_attendance(client_as, seeded):
    meeting = BoardMeeting.objects.order_by("-date").first()
    member = BoardMember.objects.filter(end_date__isnull=True).first()
    client = client_as("service_manager")
    page = client.get(reverse("governance:meeting", args=[meeting.pk]))
    assert page.status_code == 200
    response = client.post(
        reverse("governance:meeting", args=[meeting.pk]), {f"member_{member.pk}": "apologies"}
    )
    assert response.status_code == 302
    assert Attendance.objects.get(meeting=meeting, member=member).status == "apologies"


def test_budget_contribution_is_replaced_not_duplicated(client_as, seeded):
    agency = Agency.objects.get(name="Northshire Constabulary")
    client = client_as("service_manager")
    data = {
        "financial_year": 2030,
        "agency": agency.pk,
        "staffing_costs": "1000",
        "payments_in_kind": "0",
        "other_delegated_funds": "0",
    }
    assert client.post(reverse("governance:budget_add"), data).status_code == 302
    data["staffing_costs"] = "2500"
    assert client.post(reverse("governance:budget_add"), data).status_code == 302
    page = client.get(reverse("governance:budget"), {"year": 2030})
    assert b"2,500" in page.content
    assert agency.contributions.filter(financial_year=2030).count() == 1
