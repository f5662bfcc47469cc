"""Records journeys in a real browser, with axe-core on every page: a
practitioner records accommodation and ETE and closes an order through the
closure step; a victim worker records RJ engagement from the victims list."""

from datetime import date

import pytest

from cases.models import AccommodationEpisode, EteEpisode, Outcome, Victim
from cases.services.records import victim_record
from tests.browser.conftest import axe_check
from tests.factories import ChildFactory, OffenceFactory, OutcomeFactory
from yjs.permissions import Role


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def child():
    child = ChildFactory(
        given_name="Omar", family_name="Testjourney", date_of_birth=date(2008, 5, 17)
    )
    offence = OffenceFactory(child=child, offence_date=date(2024, 1, 2))
    OutcomeFactory(
        child=child,
        offences=[offence],
        outcome_date=date(2024, 1, 15),
        outcome_type="referral_order",
    )
    return child


def save_and_check(page):
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    axe_check(page)


@pytest.mark.django_db(transaction=True)
def test_practitioner_records_episodes_and_closes_an_order(
    page, live_server, make_user, sign_in, visit, child
):
    sign_in(page, make_user(Role.PRACTITIONER, username="journey_practitioner"))
    visit(page, f"/children/{child.pk}/record/")
    assert page.get_by_role("heading", level=1).inner_text() == "Statuses, episodes and victims"

    # Accommodation from before the order, still open.
    page.get_by_role("link", name="Add an accommodation episode").click()
    axe_check(page)
    page.get_by_label("Type of accommodation").select_option("with_parents")
    page.locator("#id_suitability_0").check()  # suitable
    page.get_by_label("Start date").fill("2023-12-01")
    save_and_check(page)
    assert page.get_by_text("Accommodation episode recorded").is_visible()

    # ETE: a first try with more hours attended than offered is refused.
    page.get_by_role("link", name="Add an education, training or employment episode").click()
    axe_check(page)
    page.get_by_label("Education, training or employment").select_option("college")
    page.locator("#id_suitability_0").check()
    page.get_by_label("Hours offered a week").fill("16")
    page.get_by_label("Hours attended a week").fill("20")
    page.get_by_label("Start date").fill("2024-03-01")
    save_and_check(page)
    assert page.locator(".govuk-error-summary").is_visible()
    assert "must not be more than the hours offered" in page.content()
    page.get_by_label("Hours attended a week").fill("16")
    save_and_check(page)
    assert page.get_by_text("recorded").first.is_visible()
    assert AccommodationEpisode.objects.filter(child=child).count() == 1
    assert EteEpisode.objects.get(child=child).hours_attended == 16

    # The closure step: the position at the start, then at the end.
    page.get_by_role("link", name="Record the end of the referral order").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.get_by_role("heading", name="At the start: 15 January 2024").is_visible()
    page.get_by_label("Date the order ended").fill("2024-07-14")
    page.get_by_role("button", name="Show the position at the end").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.get_by_role("heading", name="At the end: 14 July 2024").is_visible()
    assert "16 of 16 hours a week attended" in page.content()
    page.locator("#id_successfully_completed_0").check()  # yes
    page.get_by_role("button", name="Record the end of the order").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.get_by_text("The end of the referral order is recorded").is_visible()
    outcome = Outcome.objects.get(child=child)
    assert outcome.end_date == date(2024, 7, 14)
    assert outcome.successfully_completed is True


@pytest.mark.django_db(transaction=True)
def test_victim_worker_records_rj_engagement(page, live_server, make_user, sign_in, visit, child):
    worker = make_user(Role.VICTIM_WORKER, username="journey_victims")
    victim = victim_record(
        child=child,
        offences=child.offences.all(),
        values={"victim_type": "person", "contact_name": "Hana Syntheticvictim"},
        by=worker,
    )
    sign_in(page, worker)
    page.get_by_role("link", name="Victims").first.click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_label("Show").select_option("awaiting_contact")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_role("link", name="Hana Syntheticvictim").click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_role("link", name="Change this victim's record").click()
    page.wait_for_load_state()
    axe_check(page)

    page.locator("#id_consent_to_contact_0").check()
    page.get_by_label("Date first contacted").fill("2024-05-02")
    page.locator("#id_views_sought_prior_0").check()
    page.locator("#id_rj_offered_0").check()
    page.locator("#id_rj_engaged_0").check()
    page.locator("#id_rj_type_0").check()  # direct
    page.get_by_label("RJ start date").fill("2024-06-01")
    page.get_by_label("RJ end date").fill("2024-06-20")
    page.locator("#id_satisfaction_4").check()  # 5
    save_and_check(page)
    assert page.get_by_text("Engaged (direct)").is_visible()
    victim.refresh_from_db()
    assert victim.rj_engaged and victim.rj_type == "direct" and victim.satisfaction == 5
    assert Victim.objects.get().contact_name == "Hana Syntheticvictim"

    visit(page, "/victims/?status=rj_engaged")
    assert page.get_by_role("link", name="Hana Syntheticvictim").is_visible()
