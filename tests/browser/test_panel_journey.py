"""A panel chair works through the next meeting's agenda in a real browser:
reads a referral with the victim's views, records decisions (one refused for
want of an admission), signs them off and finds the outcomes on each child's page."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cases.models import Programme, Victim
from cases.services import today
from panels import services
from panels.models import OocdReferral
from tests.browser.conftest import axe_check
from tests.factories import ChildFactory, OffenceFactory
from yjs.permissions import Role


def referral_for(child, meeting, *, admission, victim_views=""):
    offence = OffenceFactory(child=child, offence_date=today() - timedelta(days=12))
    referral = OocdReferral.objects.create(
        child=child,
        referral_date=today() - timedelta(days=10),
        admission=admission,
        police_reference=f"SYN/{child.pk}",
        arresting_force="Synthetic Constabulary",
        gravity_score=2,
        reason="Synthetic referral for the browser journey",
        meeting=meeting,
        child_voice="I know it was wrong.",
    )
    referral.offences.set([offence])
    if victim_views:
        victim = Victim.objects.create(victim_type="person", consent_to_contact=True)
        victim.views = victim_views
        victim.save()
        victim.offences.set([offence])
    return referral


def record(page, referral, decision, rationale, **extra):
    item = page.locator(f"#referral-{referral.pk}")
    item.get_by_label(decision, exact=True).check()
    item.get_by_label("Why the panel made this decision").fill(rationale)
    if "programme" in extra:
        item.get_by_label("Agreed intervention").select_option(label=extra["programme"])
        item.get_by_label("Planned start date of the intervention").fill(extra["start"])
    item.get_by_role("button", name=re.compile("^Record the decision")).click()
    return page.locator(f"#referral-{referral.pk}")


@pytest.mark.django_db(transaction=True)
def test_a_chair_works_through_the_agenda(page, live_server, make_user, sign_in, visit):
    chair = make_user(Role.PANEL_CHAIR, username="journey_chair")
    meeting = services.meeting_create(
        meeting_date=today(),
        chair=chair,
        attendees=[
            {"name": "PC Synthetic", "agency": "police", "role": ""},
            {"name": "Sam Synthetic", "agency": "rj", "role": "RJ worker"},
        ],
        by=chair,
    )
    services.meeting_create(meeting_date=today() + timedelta(days=14), chair=chair, by=chair)
    Programme.objects.create(name="Reparation project", category="rj_reparation")
    ava = ChildFactory(given_name="Ava", family_name="Journeyone", date_of_birth=date(2010, 3, 1))
    ben = ChildFactory(given_name="Ben", family_name="Journeytwo", date_of_birth=date(2009, 7, 9))
    cat = ChildFactory(given_name="Cat", family_name="Journeythree", date_of_birth=date(2011, 1, 5))
    first = referral_for(
        ava, meeting, admission=True, victim_views="I would like a letter of apology."
    )
    second = referral_for(ben, meeting, admission=False)
    third = referral_for(cat, meeting, admission=True)

    sign_in(page, chair)
    visit(page, reverse("panels:home"))
    page.get_by_role("link", name=re.compile(today().strftime("%-d %B %Y"))).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(str(meeting))
    axe_check(page)

    # Read the first referral, victim's views included.
    page.get_by_role("link", name="Read the full referral for Ava Journeyone").click()
    expect(page.get_by_text("I would like a letter of apology.")).to_be_visible()
    expect(page.get_by_text("I know it was wrong.")).to_be_visible()
    axe_check(page)
    page.go_back()

    item = record(page, first, "Youth caution", "Ava admitted it and has apologised.")
    expect(item.get_by_text("Decision recorded for Ava Journeyone")).to_be_visible()
    axe_check(page)

    # No admission: a caution is refused and the error summary says why.
    item = record(page, second, "Youth caution", "Ben's second offence.")
    summary = item.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("needs the child's admission")
    expect(summary).to_be_focused()
    axe_check(page)
    item = record(page, second, "Outcome 22", "Ben will take part in diversionary activity.")
    expect(item.get_by_text("Decision recorded for Ben Journeytwo")).to_be_visible()

    start = (today() + timedelta(days=7)).isoformat()
    item = record(
        page,
        third,
        "Community resolution",
        "Cat will repair the damage with the reparation project.",
        programme="Reparation project",
        start=start,
    )
    expect(item.get_by_text("Decision recorded for Cat Journeythree")).to_be_visible()
    axe_check(page)

    # Sign off: the page reloads with every decision signed off.
    page.reload()
    page.get_by_role("button", name="Sign off 3 decisions").click()
    expect(page.get_by_text("3 decisions signed off")).to_be_visible()
    expect(page.locator(".govuk-tag--green")).to_have_count(3)
    axe_check(page)

    # The outcomes are on each child's record.
    for child, label in [
        (ava, "Youth caution"),
        (ben, "Outcome 22"),
        (cat, "Community resolution"),
    ]:
        visit(page, reverse("cases:child", kwargs={"pk": child.pk}))
        expect(page.get_by_role("heading", level=1)).to_contain_text(child.given_name)
        expect(page.get_by_text(label).first).to_be_visible()
    expect(page.get_by_text("Reparation project").first).to_be_visible()

    for referral in (first, second, third):
        referral.refresh_from_db()
        assert referral.is_signed_off and referral.outcome is not None


@pytest.mark.django_db(transaction=True)
def test_recording_a_referral_scheduling_scrutiny_and_the_report(
    page, live_server, make_user, sign_in, visit
):
    chair = make_user(Role.PANEL_CHAIR, username="intake_chair")
    sign_in(page, chair)
    visit(page, reverse("panels:referrals"))
    page.get_by_role("link", name="Record a police referral").click()
    axe_check(page)
    page.get_by_role("link", name="The child is not known to the service").click()
    axe_check(page)

    # Nothing filled in: the error summary lists what is missing.
    page.get_by_role("button", name="Record the referral").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_check(page)

    page.get_by_label("First name").fill("Dara")
    page.get_by_label("Last name").fill("Journeyfour")
    page.get_by_label("Date of birth").fill("2011-04-05")
    page.get_by_label("Female").check()
    page.get_by_label("Ethnicity").select_option(label="Mixed or multiple ethnic groups")
    page.get_by_label("Date of the police referral").fill((today() - timedelta(days=2)).isoformat())
    page.get_by_label("Police reference").fill("SYN/900")
    page.get_by_label("Arresting police force").fill("Synthetic Constabulary")
    page.locator("#id_admission_0").check()
    page.locator("#id_gravity_score_2").check()  # 3
    page.locator("#id_aggravating_factors").fill("Group offence")
    page.locator("#id_gravity_adjustment_0").check()
    page.get_by_label("Reason for the referral").fill("Criminal damage at a park")
    page.locator("#id_offence1-offence_date").fill((today() - timedelta(days=3)).isoformat())
    page.locator("#id_offence1-category").select_option(label="Criminal damage")
    page.locator("#id_offence1-seriousness_score").select_option(label="2")
    page.get_by_role("button", name="Record the referral").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dara Journeyfour")
    expect(page.get_by_text("Referral recorded for Dara Journeyfour")).to_be_visible()
    axe_check(page)
    referral = OocdReferral.objects.get(child__family_name="Journeyfour")
    assert referral.final_gravity_score == 4

    page.get_by_role("link", name="Record the YJS assessment and voices").click()
    axe_check(page)
    page.get_by_label("The child's views, in their words").fill("I want to make it right.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("I want to make it right.")).to_be_visible()

    visit(page, reverse("panels:meeting_create"))
    page.get_by_label("Date of the meeting").fill(today().isoformat())
    page.locator("#id_attendee-0-name").fill("PC Synthetic")
    page.locator("#id_attendee-0-agency").select_option(label="Police")
    page.get_by_role("button", name="Schedule the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Panel meeting on")
    page.get_by_label(re.compile("Dara Journeyfour")).check()
    page.get_by_role("button", name="Add to the agenda").click()
    expect(page.get_by_text("1 referral added to the agenda")).to_be_visible()
    axe_check(page)
    item = record(page, referral, "Outcome 22", "Diversionary activity agreed.")
    expect(item.get_by_text("Decision recorded for Dara Journeyfour")).to_be_visible()

    visit(page, reverse("panels:scrutiny"))
    page.get_by_role("button", name="Draw the sample").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Scrutiny sample")
    axe_check(page)
    page.get_by_label("Appropriate", exact=True).check()
    page.get_by_role("button", name=re.compile("^Save the verdict")).click()
    expect(page.get_by_text("Verdict saved.")).to_be_focused()
    axe_check(page)

    visit(page, reverse("panels:report"))
    expect(page.locator("#figure-total")).to_have_text("1")
    expect(page.locator("#figure-diverted")).to_have_text("100.00%")
