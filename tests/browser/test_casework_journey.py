"""A practitioner's casework in a real browser: find a child through the
caseload filters, record an offence, an outcome, an assessment (whose review
becomes overdue), an intervention that started late, a contact and a note to
the child; then see the overdue review and the late start on the caseload.
axe-core checks every page on the way."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Assessment, CaseNote, Contact, Offence, Outcome, PlanItem, Programme
from tests.browser.conftest import axe_check
from tests.factories import ChildFactory
from yjs.dates import add_months, add_years
from yjs.permissions import Role


def _submit(page, name="Save"):
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_practitioner_casework_journey(page, live_server, make_user, sign_in, visit):
    today = timezone.localdate()
    worker = make_user(Role.PRACTITIONER, username="journey_worker")
    child = ChildFactory(
        given_name="Zara",
        family_name="Journeychild",
        date_of_birth=add_years(today, -15),
        allocated_worker=worker,
        locality="North",
    )
    ChildFactory(family_name="Otherchild", date_of_birth=add_years(today, -12))
    Programme.objects.create(name="Knife crime awareness", category="knife_crime")

    sign_in(page, worker)
    visit(page, "/caseload/all/")

    # Find the child through the filters.
    page.get_by_text("Filter the children").click()
    page.get_by_label("Name").fill("journey")
    page.get_by_label("Age (optional)").select_option("15-17")
    _submit(page, "Apply filters")
    axe_check(page)
    assert page.get_by_role("link", name="Zara Journeychild").is_visible()
    assert page.get_by_text("Otherchild").count() == 0
    page.get_by_role("link", name="Zara Journeychild").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Zara Journeychild")
    axe_check(page)

    # An offence: first with a mistake, to see the error summary.
    page.get_by_role("link", name="Offence").click()
    axe_check(page)
    page.get_by_label("Date of the offence").fill((today - timedelta(days=200)).isoformat())
    page.get_by_label("Category").select_option("robbery")
    page.get_by_label("Seriousness score").fill("9")
    _submit(page)
    assert page.locator(".govuk-error-summary").is_visible()
    assert "must be between 1 and 8" in page.locator(".govuk-error-summary").inner_text()
    axe_check(page)
    page.get_by_label("Seriousness score").fill("5")
    page.get_by_label("A knife or offensive weapon was involved").check()
    _submit(page)
    assert page.get_by_text("Offence recorded").is_visible()
    axe_check(page)
    offence = Offence.objects.get(child=child)

    # An outcome for that offence.
    page.get_by_role("link", name="Outcome").click()
    axe_check(page)
    page.get_by_label("Outcome", exact=True).select_option("referral_order")
    page.get_by_label(str(offence)).check()
    page.get_by_label("Date of the decision or sentence").fill(
        (today - timedelta(days=150)).isoformat()
    )
    _submit(page)
    assert page.get_by_text("Outcome recorded").is_visible()
    assert Outcome.objects.get(child=child).tier == "first_tier"

    # An assessment four months ago: its review (3 months on) is now overdue.
    assessed = add_months(today, -4)
    page.get_by_role("link", name="Assessment").click()
    axe_check(page)
    page.get_by_label("Date of the assessment").fill(assessed.isoformat())
    page.locator("input[name=likelihood_of_reoffending][value=medium]").check()
    page.locator("input[name=risk_of_serious_harm][value=high]").check()
    page.locator("input[name=safety_and_wellbeing][value=medium]").check()
    page.locator("input[name=intervention_level][value=enhanced]").check()
    _submit(page)
    assert page.get_by_text("Assessment recorded").is_visible()
    assert Assessment.objects.get(child=child).next_review_due == add_months(assessed, 3)
    assert page.get_by_text("is overdue").is_visible()
    axe_check(page)

    # An intervention that started a week after it was planned.
    page.get_by_role("link", name="Intervention").click()
    axe_check(page)
    page.get_by_label("Programme").select_option(label="Knife crime awareness")
    page.get_by_label("Planned start date").fill((today - timedelta(days=14)).isoformat())
    page.get_by_label("Actual start date").fill((today - timedelta(days=7)).isoformat())
    page.locator("input[name=status][value=in_progress]").check()
    _submit(page)
    assert page.get_by_text("Intervention added").is_visible()
    assert PlanItem.objects.get(child=child).actual_start_date == today - timedelta(days=7)

    # A contact.
    page.get_by_role("link", name="Contact").click()
    axe_check(page)
    page.get_by_label("Date and time").fill(f"{(today - timedelta(days=1)).isoformat()}T10:30")
    page.get_by_label("Type of contact").select_option("home_visit")
    page.locator("input[name=attendance][value=attended]").check()
    _submit(page)
    assert page.get_by_text("Contact recorded").is_visible()
    assert Contact.objects.filter(child=child).count() == 1

    # A note written to the child.
    page.get_by_role("link", name="Note to the child").click()
    axe_check(page)
    assert page.get_by_text("Write to the child").first.is_visible()
    page.get_by_label("Note to the child").fill(
        "I visited you at home today. You told me college is going well."
    )
    _submit(page)
    assert page.get_by_text("Note saved").is_visible()
    assert CaseNote.objects.get(child=child).author == worker
    timeline = page.locator(".yjs-timeline").inner_text()
    assert "Note to the child" in timeline and "Late start" in timeline
    axe_check(page)

    # The caseload shows the overdue review and the late start.
    visit(page, "/caseload/")
    row = page.locator("tr", has_text="Zara Journeychild")
    assert "Overdue" in row.inner_text()
    assert "1 late" in row.inner_text()
    assert "Referral order" in row.inner_text()
    page.get_by_text("Filter the children").click()
    page.get_by_label("Only children whose assessment review is overdue").check()
    _submit(page, "Apply filters")
    axe_check(page)
    assert page.get_by_role("link", name="Zara Journeychild").is_visible()


@pytest.mark.django_db(transaction=True)
def test_two_people_change_the_same_note(browser, live_server, make_user, sign_in):
    """Optimistic locking in two real browser sessions: the second save is
    refused with a message at the top, and what was typed stays in the form."""
    first_user = make_user(Role.PRACTITIONER, username="first_editor")
    second_user = make_user(Role.TEAM_MANAGER, username="second_editor")
    child = ChildFactory(allocated_worker=first_user)
    note = CaseNote.objects.create(
        child=child, written_on=timezone.localdate(), text="I met you today.", author=first_user
    )
    url = f"{live_server.url}/children/{child.pk}/notes/{note.pk}/"
    contexts = [
        browser.new_context(bypass_csp=True, locale="en-GB", timezone_id="Europe/London")
        for _ in range(2)
    ]
    first, second = (context.new_page() for context in contexts)
    sign_in(first, first_user)
    sign_in(second, second_user)
    first.goto(url)
    second.goto(url)

    first.get_by_label("Note to the child").fill("I met you today. We talked about college.")
    _submit(first)
    assert first.get_by_text("Changes saved").is_visible()

    second.get_by_label("Note to the child").fill("I met you today. You seemed tired.")
    _submit(second)
    summary = second.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "Someone else changed this" in summary.inner_text()
    assert second.get_by_label("Note to the child").input_value() == (
        "I met you today. You seemed tired."
    )
    assert second.get_by_text("We talked about college.").is_visible()  # the latest version
    axe_check(second)
    note.refresh_from_db()
    assert note.text == "I met you today. We talked about college."

    # Saving again, having seen the latest version, replaces it.
    _submit(second)
    assert second.get_by_text("Changes saved").is_visible()
    note.refresh_from_db()
    assert note.text == "I met you today. You seemed tired." and note.version == 3
    for context in contexts:
        context.close()
