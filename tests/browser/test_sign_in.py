"""Signing in as each role shows that role's navigation, in a real browser."""

import pytest

from tests.browser.conftest import axe_check
from yjs.permissions import Role

# What each role's navigation shows: exactly these links.
EXPECTED_NAV = {
    Role.PRACTITIONER: {"Caseloads", "Referrals", "Panel report"},
    Role.TEAM_MANAGER: {"Caseloads", "Referrals", "Panel report", "Performance"},
    Role.PANEL_CHAIR: {"Caseloads", "OOCD panel", "Referrals", "Panel report"},
    Role.VICTIM_WORKER: {"Caseloads", "Victims", "Panel report"},
    Role.SERVICE_MANAGER: {
        "Caseloads",
        "Referrals",
        "Victims",
        "Panel report",
        "Performance",
        "Board",
        "Board packs",
        "Import",
        "Audit log",
    },
    Role.BOARD_MEMBER: {"Panel report", "Performance", "Board", "Board packs"},
    Role.ADMINISTRATOR: {"Staff", "Audit log"},
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", list(Role))
def test_sign_in_shows_the_roles_navigation(page, live_server, make_user, sign_in, role):
    user = make_user(role, username=f"nav_{role.value}")
    sign_in(page, user)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Hello")
    axe_check(page)
    links = set()
    if page.locator("nav[aria-label=Menu]").count():
        links = set(page.locator("nav[aria-label=Menu] a").all_inner_texts())
    assert links == EXPECTED_NAV[role]
    # Every link the navigation offers opens for this role, without axe violations.
    for label in sorted(links):
        page.locator("nav[aria-label=Menu]").get_by_role("link", name=label, exact=True).click()
        page.wait_for_load_state()
        assert page.locator("h1").count() == 1, f"{role} → {label}: {page.url}"
        assert "cannot see this page" not in page.content(), f"{role} → {label}"
        axe_check(page)


@pytest.mark.django_db(transaction=True)
def test_wrong_password_shows_an_error_summary(page, live_server, make_user, sign_in):
    user = make_user(Role.PRACTITIONER, username="wrongpw")
    sign_in(page, user, password="not-the-password")
    assert page.locator(".govuk-error-summary").is_visible()
    axe_check(page)
