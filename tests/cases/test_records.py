"""The child's statuses, episodes and remands: pages, validation, access,
audit and optimistic locking (cases.views.records, cases.services.records)."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import AccommodationEpisode, EteEpisode, HealthNeed, Remand, StatusEpisode
from tests.factories import ChildFactory
from yjs.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Staff are created per test; a slow hasher would dominate the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def child():
    return ChildFactory(given_name="Ruby", family_name="Testrecord")


def add_url(child, kind):
    return reverse("cases:episode_add", args=[child.pk, kind])


VALID = {
    "accommodation": {
        "accommodation_type": "with_parents",
        "suitability": "suitable",
        "primary_residence": "on",
        "start_date": "2024-01-10",
        "end_date": "",
    },
    "ete": {
        "provision": "college",
        "suitability": "suitable",
        "hours_offered": "16",
        "hours_attended": "12.5",
        "start_date": "2024-02-01",
    },
    "send": {"plan": "ehcp", "start_date": "2023-09-01"},
    "health": {
        "kind": "mental_health",
        "screened_date": "2024-01-05",
        "referred_date": "2024-01-06",
        "offered_date": "2024-01-10",
        "intervention_type": "help",
        "attended_start_date": "2024-01-15",
        "attended_end_date": "",
    },
    "care": {"status": "child_in_need", "start_date": "2023-06-01", "end_date": "2024-01-01"},
    "status": {
        "status": "mappa",
        "mappa_category": "2",
        "mappa_level": "1",
        "start_date": "2024-03-01",
    },
    "remand": {
        "remand_type": "bail_supervision",
        "start_date": "2024-04-01",
        "end_date": "2024-04-20",
    },
}


@pytest.mark.parametrize("kind", list(VALID))
def test_each_kind_is_recorded_and_audited(client_as, child, kind):
    client = client_as("practitioner")
    assert client.get(add_url(child, kind)).status_code == 200
    response = client.post(add_url(child, kind), VALID[kind])
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"].endswith(f"/children/{child.pk}/record/#{kind}")
    event = AuditEvent.objects.filter(child_id=child.pk, action="create").get()
    assert event.username == "practitioner"
    page = client.get(reverse("cases:child_episodes", args=[child.pk]))
    assert page.status_code == 200


def test_mappa_is_stored_with_category_and_level(client_as, child):
    client_as("practitioner").post(add_url(child, "status"), VALID["status"])
    assert StatusEpisode.objects.get(child=child).detail == "Category 2, level 1"


def test_record_page_lists_the_episodes_and_the_position_today(client_as, child):
    AccommodationEpisode.objects.create(
        child=child,
        accommodation_type="foster_care",
        suitability="unsuitable",
        start_date=date(2020, 1, 1),
    )
    Remand.objects.create(
        child=child, remand_type="youth_detention_accommodation", start_date=date(2024, 1, 2)
    )
    html = client_as("practitioner").get(reverse("cases:child_episodes", args=[child.pk]))
    html = html.content.decode()
    assert "Foster care" in html
    assert "Youth detention accommodation" in html
    assert "Not suitable" in html  # the position today
    assert html.count("<h1") == 1
    assert AuditEvent.objects.filter(child_id=child.pk, action="view").exists()


def errors_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("kind", "changes", "message"),
    [
        ("accommodation", {"end_date": "2024-01-01"}, "is before the start date"),
        ("accommodation", {"start_date": "2024-02-31"}, "Enter a valid date"),
        ("accommodation", {"start_date": ""}, "This field is required"),
        ("accommodation", {"suitability": "great"}, "Select a valid choice"),
        ("ete", {"hours_attended": "20"}, "must not be more than the hours offered"),
        ("ete", {"hours_offered": "61"}, "less than or equal to 60"),
        ("ete", {"end_date": "2024-01-31"}, "is before the start date"),
        ("health", {"intervention_type": "targeted"}, "is not a mental health intervention"),
        ("health", {"intervention_type": ""}, "is required when an intervention was offered"),
        ("health", {"offered_date": "2024-01-01"}, "is before the screened date"),
        ("health", {"referred_date": "2024-01-01"}, "is before the screened date"),
        (
            "health",
            {"attended_start_date": "", "attended_end_date": "2024-02-01"},
            "needs an attended start date",
        ),
        ("status", {"mappa_level": ""}, "is required for MAPPA"),
        ("remand", {"end_date": "2024-03-01"}, "is before the start date"),
        ("send", {"end_date": "2023-01-01"}, "is before the start date"),
        ("care", {"end_date": "2023-05-31"}, "is before the start date"),
    ],
)
def test_bad_values_are_refused_with_a_message(client_as, child, kind, changes, message):
    client = client_as("practitioner")
    response = client.post(add_url(child, kind), {**VALID[kind], **changes})
    html = errors_of(response)
    assert "There is a problem" in html
    assert message in html
    assert not AuditEvent.objects.filter(action="create").exists()
    model = {"ete": EteEpisode, "health": HealthNeed}.get(kind, AccommodationEpisode)
    assert not model.objects.exists()


def test_substance_misuse_takes_its_own_interventions(client_as, child):
    data = {**VALID["health"], "kind": "substance_misuse", "intervention_type": "specialist"}
    assert client_as("practitioner").post(add_url(child, "health"), data).status_code == 302
    assert HealthNeed.objects.get().intervention_type == "specialist"


@pytest.mark.parametrize("role", ["board_member", "administrator", "victim_worker", "panel_chair"])
def test_roles_without_edit_rights_cannot_add(client_as, child, role):
    response = client_as(role).post(add_url(child, "accommodation"), VALID["accommodation"])
    assert response.status_code == 403
    assert not AccommodationEpisode.objects.exists()


@pytest.mark.parametrize("role", ["board_member", "administrator"])
def test_roles_without_view_rights_cannot_see_the_record(client_as, child, role):
    response = client_as(role).get(reverse("cases:child_episodes", args=[child.pk]))
    assert response.status_code == 403


def test_a_restricted_child_is_not_found_for_other_practitioners(client_as, users, child):
    child.restricted = True
    child.save()
    client = client_as("practitioner")
    assert client.get(reverse("cases:child_episodes", args=[child.pk])).status_code == 404
    assert client.post(add_url(child, "ete"), VALID["ete"]).status_code == 404
    child.allocated_worker = users["practitioner"]
    child.save()
    assert client.get(reverse("cases:child_episodes", args=[child.pk])).status_code == 200


def test_unknown_kind_is_not_found(client_as, child):
    assert client_as("practitioner").get(add_url(child, "pets")).status_code == 404


def test_an_episode_of_another_child_is_not_found(client_as, child):
    other = ChildFactory()
    episode = EteEpisode.objects.create(
        child=other,
        provision="college",
        suitability="suitable",
        hours_offered=10,
        hours_attended=5,
        start_date=date(2024, 1, 1),
    )
    url = reverse("cases:episode_edit", args=[child.pk, "ete", episode.pk])
    assert client_as("practitioner").get(url).status_code == 404


def test_edit_changes_the_episode_and_audits(client_as, child):
    episode = EteEpisode.objects.create(
        child=child,
        provision="college",
        suitability="suitable",
        hours_offered=10,
        hours_attended=5,
        start_date=date(2024, 1, 1),
    )
    url = reverse("cases:episode_edit", args=[child.pk, "ete", episode.pk])
    client = client_as("practitioner")
    form = client.get(url)
    assert 'value="college" selected' in form.content.decode() or "selected" in (
        form.content.decode()
    )
    data = {**VALID["ete"], "hours_attended": "9", "version": "1"}
    assert client.post(url, data).status_code == 302
    episode.refresh_from_db()
    assert episode.hours_attended == Decimal("9")
    assert episode.version == 2
    assert AuditEvent.objects.filter(child_id=child.pk, action="update").count() == 1


def test_the_second_of_two_concurrent_edits_is_refused(users, child):
    """Two people open the same episode; the second save is refused, keeps the
    typed values, and can then be saved on purpose."""
    episode = AccommodationEpisode.objects.create(
        child=child,
        accommodation_type="with_parents",
        suitability="suitable",
        start_date=date(2024, 1, 1),
    )
    url = reverse("cases:episode_edit", args=[child.pk, "accommodation", episode.pk])
    first, second = Client(), Client()
    first.force_login(users["practitioner"])
    second.force_login(users["team_manager"])
    assert 'name="version" value="1"' in first.get(url).content.decode()
    assert 'name="version" value="1"' in second.get(url).content.decode()

    data = {**VALID["accommodation"], "start_date": "2024-01-01", "version": "1"}
    assert first.post(url, {**data, "accommodation_type": "with_family"}).status_code == 302
    response = second.post(url, {**data, "accommodation_type": "foster_care"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this" in html
    assert '<option value="foster_care" selected>' in html  # what was typed is kept
    assert 'name="version" value="2"' in html
    episode.refresh_from_db()
    assert episode.accommodation_type == "with_family"

    again = second.post(url, {**data, "accommodation_type": "foster_care", "version": "2"})
    assert again.status_code == 302
    episode.refresh_from_db()
    assert episode.accommodation_type == "foster_care"
    assert episode.version == 3


def test_the_record_page_query_count_does_not_grow(client_as, child, django_assert_max_num_queries):
    client = client_as("practitioner")
    url = reverse("cases:child_episodes", args=[child.pk])
    client.get(url)

    def add(n):
        for i in range(n):
            AccommodationEpisode.objects.create(
                child=child,
                accommodation_type="with_parents",
                suitability="suitable",
                start_date=date(2020, 1, 1 + i),
            )
            Remand.objects.create(
                child=child, remand_type="bail_supervision", start_date=date(2021, 1, 1 + i)
            )

    add(1)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    add(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
