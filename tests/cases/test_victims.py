"""Victims: the form's rules, who sees contact details, the victims list
(cases.views.victims, cases.services.records)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cases.models import Victim
from cases.services.records import victim_record, victim_update
from tests.factories import ChildFactory, OffenceFactory
from yjs.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

CONTACT_NAME = "Quentin Syntheticperson"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def offence():
    return OffenceFactory(child=ChildFactory(given_name="Leo", family_name="Testvictim"))


@pytest.fixture
def victim(offence, users):
    return victim_record(
        child=offence.child,
        offences=[offence],
        values={
            "victim_type": "person",
            "consent_to_contact": True,
            "contacted_date": date(2024, 5, 1),
            "contact_name": CONTACT_NAME,
            "contact_phone": "07700 900123",
        },
        by=users["victim_worker"],
    )


def form_data(offence, **changes):
    data = {
        "offences": [offence.pk],
        "victim_type": "person",
        "consent_to_contact": "Y",
        "contacted_date": "2024-05-02",
        "views_sought_prior": "Y",
        "views": "Wants an apology.",
        "rj_offered": "Y",
        "rj_engaged": "Y",
        "rj_type": "indirect",
        "rj_start_date": "2024-06-01",
        "rj_end_date": "2024-06-30",
        "progress_requested": "Y",
        "progress_provided": "Y",
        "support_requested": "N",
        "support_provided": "",
        "satisfaction": "4",
        "contact_name": CONTACT_NAME,
        "contact_phone": "",
        "contact_email": "",
        "contact_address": "",
    }
    data.update(changes)
    return data


def test_a_victim_worker_records_a_victim_with_rj(client_as, offence):
    client = client_as("victim_worker")
    url = reverse("cases:victim_add", args=[offence.child.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(offence))
    assert response.status_code == 302, response.content.decode()[:3000]
    victim = Victim.objects.get()
    assert victim.rj_engaged is True and victim.rj_type == "indirect"
    assert victim.satisfaction == 4
    assert victim.support_provided is None
    assert victim.contact_name == CONTACT_NAME
    assert list(victim.offences.all()) == [offence]
    assert AuditEvent.objects.filter(child_id=offence.child.pk, action="create").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"consent_to_contact": "N"}, "needs the victim&#x27;s consent to contact"),
        ({"rj_type": ""}, "is required when the victim engaged with RJ"),
        ({"rj_engaged": "N", "rj_start_date": "", "rj_end_date": ""}, "only for a victim who"),
        ({"rj_end_date": "2024-05-01"}, "is before the start date"),
        ({"progress_requested": "N"}, "needs progress information to be requested"),
        ({"support_provided": "Y"}, "needs support information to be requested"),
        ({"offences": []}, "This field is required"),
        ({"satisfaction": "6"}, "Select a valid choice"),
        ({"contacted_date": "2999-01-01"}, "must not be in the future"),
        ({"contact_email": "not-an-email"}, "Enter a valid email address"),
    ],
)
def test_victim_rules_are_checked(client_as, offence, changes, message):
    response = client_as("victim_worker").post(
        reverse("cases:victim_add", args=[offence.child.pk]), form_data(offence, **changes)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert not Victim.objects.exists()


def test_an_offence_of_another_child_cannot_be_chosen(client_as, offence):
    other = OffenceFactory()
    response = client_as("victim_worker").post(
        reverse("cases:victim_add", args=[offence.child.pk]), form_data(other)
    )
    assert response.status_code == 200
    assert not Victim.objects.exists()


def test_contact_details_are_shown_only_to_those_allowed(client_as, victim, offence):
    child = offence.child
    detail = reverse("cases:victim_detail", args=[child.pk, victim.pk])
    record = reverse("cases:child_episodes", args=[child.pk])
    for role in ("practitioner", "panel_chair"):
        client = client_as(role)
        for url in (detail, record):
            response = client.get(url)
            assert response.status_code == 200
            html = response.content.decode()
            assert CONTACT_NAME not in html
            assert "07700 900123" not in html
            assert "contact_name" not in html
    for role in ("victim_worker", "team_manager", "service_manager"):
        html = client_as(role).get(detail).content.decode()
        assert CONTACT_NAME in html, role
    edit = client_as("victim_worker").get(reverse("cases:victim_edit", args=[child.pk, victim.pk]))
    assert CONTACT_NAME in edit.content.decode()


def test_practitioners_cannot_change_victims(client_as, victim, offence):
    child = offence.child
    client = client_as("practitioner")
    assert client.get(reverse("cases:victim_add", args=[child.pk])).status_code == 403
    url = reverse("cases:victim_edit", args=[child.pk, victim.pk])
    assert client.post(url, form_data(offence)).status_code == 403
    assert client.get(reverse("cases:victims")).status_code == 403


def test_board_members_see_nothing(client_as, victim, offence):
    client = client_as("board_member")
    detail = reverse("cases:victim_detail", args=[offence.child.pk, victim.pk])
    assert client.get(detail).status_code == 403
    assert client.get(reverse("cases:victims")).status_code == 403


def test_only_permitted_staff_may_write_contact_details(users, offence):
    with pytest.raises(PermissionDenied):
        victim_record(
            child=offence.child,
            offences=[offence],
            values={"victim_type": "business", "contact_name": "X"},
            by=users["practitioner"],
        )


def test_a_victim_is_found_only_through_its_childs_record(client_as, victim):
    stranger = ChildFactory()
    url = reverse("cases:victim_detail", args=[stranger.pk, victim.pk])
    assert client_as("practitioner").get(url).status_code == 404


def test_editing_from_one_child_keeps_the_other_childs_offences(users, victim, offence):
    other_offence = OffenceFactory()
    victim.offences.add(other_offence)
    second = OffenceFactory(child=offence.child, offence_date=date(2023, 3, 2))
    victim_update(
        victim=victim,
        child=offence.child,
        offences=[second],
        expected_version=victim.version,
        values={"victim_type": "person", "consent_to_contact": True},
        by=users["victim_worker"],
    )
    assert set(victim.offences.all()) == {second, other_offence}
    # Both children's audit trails show the change.
    assert AuditEvent.objects.filter(action="update", child_id=other_offence.child_id).exists()
    assert AuditEvent.objects.filter(action="update", child_id=offence.child_id).exists()


def test_a_stale_victim_edit_is_refused(client_as, victim, offence):
    client = client_as("victim_worker")
    url = reverse("cases:victim_edit", args=[offence.child.pk, victim.pk])
    Victim.objects.filter(pk=victim.pk).update(version=5)
    response = client.post(url, form_data(offence, version="1", views="Typed views"))
    html = response.content.decode()
    assert "Someone else changed this" in html
    assert "Typed views" in html
    victim.refresh_from_db()
    assert victim.views == ""


def test_the_victims_list_filters_by_status(client_as, users, offence):
    def make(**values):
        return victim_record(
            child=offence.child,
            offences=[offence],
            values={"victim_type": "person", **values},
            by=users["victim_worker"],
        )

    waiting = make(contact_name="Awaiting Synthetic")
    engaged = make(
        consent_to_contact=True,
        contacted_date=date(2024, 1, 1),
        rj_offered=True,
        rj_engaged=True,
        rj_type="direct",
        contact_name="Engaged Synthetic",
    )
    refused = make(contacted_date=date(2024, 1, 1), contact_name="Refused Synthetic")
    client = client_as("victim_worker")
    url = reverse("cases:victims")

    def names(status=""):
        html = client.get(url, {"status": status} if status else {}).content.decode()
        return {v.contact_name for v in (waiting, engaged, refused) if v.contact_name in html}

    assert names() == {"Awaiting Synthetic", "Engaged Synthetic", "Refused Synthetic"}
    assert names("awaiting_contact") == {"Awaiting Synthetic"}
    assert names("consented") == {"Engaged Synthetic"}
    assert names("no_consent") == {"Refused Synthetic"}
    assert names("rj_engaged") == {"Engaged Synthetic"}
    assert names("rj_offered") == set()
    assert AuditEvent.objects.filter(object_type="cases.victim", action="view").exists()


def test_the_victims_list_leaves_out_restricted_children(client_as, victim, offence):
    offence.child.restricted = True
    offence.child.save()
    html = client_as("victim_worker").get(reverse("cases:victims")).content.decode()
    assert CONTACT_NAME not in html
    assert "Leo Testvictim" not in html


def test_the_victims_list_query_count_does_not_grow(
    client_as, users, offence, django_assert_max_num_queries
):
    client = client_as("victim_worker")
    client.get(reverse("cases:victims"))  # warm the session and roles

    def add(n):
        for i in range(n):
            child_offence = OffenceFactory()
            victim_record(
                child=child_offence.child,
                offences=[child_offence],
                values={"victim_type": "person", "contact_name": f"Synthetic {i}"},
                by=users["victim_worker"],
            )

    add(2)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("cases:victims"))
    add(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(reverse("cases:victims")).content.decode()
    assert "Synthetic 9" in html


def test_a_victim_is_linked_to_a_second_childs_offences(client_as, victim, offence):
    co_defendant = OffenceFactory(child=ChildFactory(given_name="Mia", family_name="Testcodef"))
    client = client_as("victim_worker")
    url = reverse("cases:victim_link", args=[co_defendant.child.pk])
    page = client.get(url).content.decode()
    assert CONTACT_NAME in page  # the victim worker picks the victim by name
    response = client.post(url, {"victim": victim.pk, "offences": [co_defendant.pk]})
    assert response.status_code == 302
    assert set(victim.offences.all()) == {offence, co_defendant}
    assert AuditEvent.objects.filter(action="update", child_id=co_defendant.child_id).exists()
    # Now on both children's records, and counted once in the victims list.
    for child in (offence.child, co_defendant.child):
        detail = reverse("cases:victim_detail", args=[child.pk, victim.pk])
        assert client.get(detail).status_code == 200
    html = client.get(reverse("cases:victims")).content.decode()
    assert html.count(CONTACT_NAME) == 1


def test_linking_needs_an_offence_of_this_child(client_as, victim):
    other = ChildFactory()
    url = reverse("cases:victim_link", args=[other.pk])
    assert client_as("practitioner").get(url).status_code == 403
    response = client_as("victim_worker").post(url, {"victim": victim.pk})
    assert response.status_code == 200
    assert victim.offences.count() == 1
