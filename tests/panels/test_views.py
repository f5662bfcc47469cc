"""The panel's pages: who may do what, the one-page agenda, intake, report."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Child, Outcome
from cases.services import today
from panels import services
from panels.models import OocdReferral
from yjs.audit.models import AuditEvent
from yjs.permissions import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, make_user):
    def sign_in(role):
        user = make_user(role)
        client.force_login(user)
        client.user = user
        return client

    return sign_in


def decision_post(referral, decision, rationale="Reasons the child can read", **extra):
    data = {f"r{referral.pk}-decision": decision, f"r{referral.pk}-rationale": rationale}
    data.update({f"r{referral.pk}-{k}": v for k, v in extra.items()})
    return data


# --- Roles ------------------------------------------------------------------------


def test_a_practitioner_cannot_sign_off_decisions(signed_in, make_referral, meeting, chair):
    referral = services.decision_record(
        referral=make_referral(meeting=meeting),
        decision="youth_caution",
        rationale="x",
        by=chair,
    )
    client = signed_in(Role.PRACTITIONER)
    assert client.post(reverse("panels:meeting_sign_off", args=[meeting.pk])).status_code == 403
    assert client.post(reverse("panels:referral_sign_off", args=[referral.pk])).status_code == 403
    assert client.post(reverse("panels:referral_decide", args=[referral.pk])).status_code == 403
    assert client.get(reverse("panels:home")).status_code == 403
    referral.refresh_from_db()
    assert not referral.is_signed_off
    # A practitioner records referrals and prepares them.
    assert client.get(reverse("panels:referrals")).status_code == 200
    assert client.get(reverse("panels:referral_prepare", args=[referral.pk])).status_code == 200


def test_a_board_member_sees_only_the_aggregate_report(signed_in, make_referral, meeting):
    referral = make_referral(meeting=meeting)
    client = signed_in(Role.BOARD_MEMBER)
    assert client.get(reverse("panels:report")).status_code == 200
    for url in [
        reverse("panels:home"),
        reverse("panels:referrals"),
        reverse("panels:referral_create"),
        reverse("panels:referral", args=[referral.pk]),
        reverse("panels:meeting", args=[meeting.pk]),
        reverse("panels:scrutiny"),
    ]:
        assert client.get(url).status_code == 403, url


def test_a_chair_signs_off_and_then_only_an_amendment_changes_the_decision(
    signed_in, make_referral, meeting
):
    client = signed_in(Role.PANEL_CHAIR)
    referral = make_referral(meeting=meeting)
    client.post(
        reverse("panels:referral_decide", args=[referral.pk]),
        decision_post(referral, "youth_caution"),
    )
    response = client.post(reverse("panels:meeting_sign_off", args=[meeting.pk]), follow=True)
    assert "1 decision signed off" in response.content.decode()
    referral.refresh_from_db()
    assert referral.is_signed_off
    # Deciding again is refused: the decision stays.
    response = client.post(
        reverse("panels:referral_decide", args=[referral.pk]), decision_post(referral, "charge")
    )
    assert "already been decided" in response.content.decode()
    referral.refresh_from_db()
    assert referral.decision == "youth_caution"
    # The amendment needs a reason.
    url = reverse("panels:referral_amend", args=[referral.pk])
    data = {"decision": "community_resolution", "rationale": "Proportionate", "reason": ""}
    response = client.post(url, data)
    assert "There is a problem" in response.content.decode()
    response = client.post(url, {**data, "reason": "Police asked us to reconsider"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.decision == "community_resolution"
    detail = client.get(reverse("panels:referral", args=[referral.pk])).content.decode()
    assert "Police asked us to reconsider" in detail


# --- The agenda -------------------------------------------------------------------


def test_the_agenda_shows_each_referral_with_the_victims_views(signed_in, make_referral, meeting):
    referral = make_referral(meeting=meeting, victim_views="I would like an apology letter")
    client = signed_in(Role.PANEL_CHAIR)
    page = client.get(reverse("panels:meeting", args=[meeting.pk])).content.decode()
    assert referral.child.full_name in page
    assert "I would like an apology letter" in page
    assert AuditEvent.objects.filter(child_id=referral.child_id, action="view").exists()


def test_a_decision_through_htmx_returns_the_agenda_item(signed_in, make_referral, meeting):
    referral = make_referral(meeting=meeting)
    client = signed_in(Role.PANEL_CHAIR)
    response = client.post(
        reverse("panels:referral_decide", args=[referral.pk]),
        decision_post(referral, "outcome_22"),
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="referral-{referral.pk}"' in html and "<html" not in html
    assert "Decision recorded" in html
    assert Outcome.objects.get(child=referral.child).outcome_type == "outcome_22"


def test_no_admission_shows_the_error_summary(signed_in, make_referral, meeting):
    referral = make_referral(meeting=meeting, admission=False)
    client = signed_in(Role.PANEL_CHAIR)
    url = reverse("panels:referral_decide", args=[referral.pk])
    for headers in ({"HTTP_HX_REQUEST": "true"}, {}):
        response = client.post(url, decision_post(referral, "youth_caution"), **headers)
        html = response.content.decode()
        assert response.status_code == 200
        assert "govuk-error-summary" in html and "needs the child&#x27;s admission" in html
    assert not Outcome.objects.exists()


def test_the_agenda_page_queries_do_not_grow_with_referrals(signed_in, make_referral, meeting):
    client = signed_in(Role.PANEL_CHAIR)
    url = reverse("panels:meeting", args=[meeting.pk])
    counts = []
    for extra in (2, 6):
        for _ in range(extra):
            make_referral(meeting=meeting, victim_views="Views")
        client.get(url)  # warm the session and caches
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        audits = sum(1 for q in queries.captured_queries if "audit_auditevent" in q["sql"])
        counts.append(len(queries) - audits)
    assert counts[0] == counts[1]


def test_adding_referrals_to_the_agenda(signed_in, make_referral, meeting):
    waiting = make_referral()
    client = signed_in(Role.PANEL_CHAIR)
    response = client.post(
        reverse("panels:agenda_add", args=[meeting.pk]), {"referrals": [waiting.pk]}
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.meeting == meeting


def test_late_referrals_are_highlighted(signed_in, make_referral):
    make_referral(referral_date=today() - timedelta(days=40))
    client = signed_in(Role.PANEL_CHAIR)
    page = client.get(reverse("panels:home")).content.decode()
    assert "waiting more than 10 working days" in page
    assert "govuk-tag--red" in page


def test_a_restricted_child_is_not_shown_to_the_chair(signed_in, make_referral, meeting):
    referral = make_referral(meeting=meeting)
    Child.objects.filter(pk=referral.child_id).update(restricted=True)
    client = signed_in(Role.PANEL_CHAIR)
    assert client.get(reverse("panels:referral", args=[referral.pk])).status_code == 404
    page = client.get(reverse("panels:meeting", args=[meeting.pk])).content.decode()
    assert referral.child.full_name not in page


def test_scheduling_a_meeting_with_attendees(signed_in, chair):
    client = signed_in(Role.PANEL_CHAIR)
    data = {
        "meeting_date": str(today() + timedelta(days=7)),
        "chair": chair.pk,
        "location": "Room 1",
        "attendee-TOTAL_FORMS": "2",
        "attendee-INITIAL_FORMS": "0",
        "attendee-0-name": "PC Test",
        "attendee-0-agency": "police",
        "attendee-1-name": "Dr Test",
        "attendee-1-agency": "health",
    }
    response = client.post(reverse("panels:meeting_create"), data)
    assert response.status_code == 302
    meeting = chair.chaired_panels.get()
    assert sorted(meeting.attendees.values_list("agency", flat=True)) == ["health", "police"]


# --- Referral intake ----------------------------------------------------------------


def test_recording_a_referral_for_a_new_child(signed_in):
    client = signed_in(Role.PRACTITIONER)
    offence_day = today() - timedelta(days=4)
    data = {
        "child-given_name": "Rowan",
        "child-family_name": "Synthetic",
        "child-date_of_birth": "2011-03-04",
        "child-sex": "M",
        "child-ethnicity": "white",
        "referral_date": str(today() - timedelta(days=1)),
        "police_reference": "SYN/77",
        "arresting_force": "Synthetic Constabulary",
        "admission": "Y",
        "gravity_score": "3",
        "gravity_adjustment": "-1",
        "mitigating_factors": "Young, first offence",
        "reason": "Criminal damage to a bus shelter",
        "offence1-offence_date": str(offence_day),
        "offence1-category": "criminal_damage",
        "offence1-seriousness_score": "2",
    }
    url = reverse("panels:referral_create") + "?new=1"
    response = client.post(url, {**data, "offence1-category": ""})
    assert "There is a problem" in response.content.decode()
    assert not Child.objects.exists()
    response = client.post(url, data)
    assert response.status_code == 302
    referral = OocdReferral.objects.get()
    assert referral.child.full_name == "Rowan Synthetic"
    assert referral.final_gravity_score == 2
    assert referral.offences.get().category == "criminal_damage"


def test_a_known_childs_history_is_shown_with_the_referral_form(signed_in, make_referral, chair):
    earlier = make_referral(referral_date=today() - timedelta(days=300))
    client = signed_in(Role.PRACTITIONER)
    page = client.get(
        reverse("panels:referral_create") + f"?child={earlier.child_id}"
    ).content.decode()
    assert "Previous history" in page
    assert "Referred to the panel on" in page
    assert "Theft and handling" in page


def test_preparing_the_assessment_and_voices(signed_in, make_referral):
    referral = make_referral()
    client = signed_in(Role.PRACTITIONER)
    response = client.post(
        reverse("panels:referral_prepare", args=[referral.pk]),
        {
            "version": referral.version,
            "assessment_date": str(today()),
            "assessment_summary": "Low likelihood of reoffending",
            "assessment_recommendation": "Community resolution with reparation",
            "child_voice": "I am sorry",
            "parent_voice": "He has learned from this",
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.child_voice == "I am sorry"
    # A second save with the old version is refused (optimistic locking).
    response = client.post(
        reverse("panels:referral_prepare", args=[referral.pk]),
        {"version": referral.version - 1, "child_voice": "changed"},
    )
    assert "Someone else changed" in response.content.decode()


# --- Report and scrutiny -----------------------------------------------------------------


def test_the_report_refuses_an_unknown_quarter(signed_in):
    client = signed_in(Role.BOARD_MEMBER)
    assert client.get(reverse("panels:report") + "?quarter=2024Q9").status_code == 404


def test_drawing_and_reviewing_a_scrutiny_sample(signed_in, make_referral, meeting, chair):
    referral = services.decision_record(
        referral=make_referral(meeting=meeting),
        decision="community_resolution",
        rationale="x",
        by=chair,
    )
    client = signed_in(Role.PANEL_CHAIR)
    from yjs.dates import financial_quarter_of

    quarter = financial_quarter_of(referral.panel_date)
    response = client.post(reverse("panels:scrutiny"), {"quarter": quarter, "size": "5"})
    assert response.status_code == 302
    review = referral.scrutiny_reviews.get()
    response = client.post(
        reverse("panels:scrutiny_verdict", args=[review.pk]),
        {f"v{review.pk}-verdict": "appropriate", f"v{review.pk}-comments": "Proportionate"},
        HTTP_HX_REQUEST="true",
    )
    assert "Verdict saved" in response.content.decode()
    review.refresh_from_db()
    assert review.verdict == "appropriate"
    assert signed_in(Role.PRACTITIONER).get(reverse("panels:scrutiny")).status_code == 403
