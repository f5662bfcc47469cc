"""Browser journeys: Playwright for Python driving Debian's Chromium against
Django's live server, with axe-core checking every page visited.

Use the ``signed_in`` fixture to get a page signed in as a role, and call
``axe_check(page)`` after each page you visit (``visit`` does both)."""

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
# WCAG 2.0, 2.1 and 2.2, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe-core is injected as a script; the service's CSP (rightly) forbids that.
    return {
        **browser_context_args,
        "bypass_csp": True,
        "locale": "en-GB",
        "timezone_id": "Europe/London",
    }


def axe_check(page, *, context: str | None = None) -> None:
    """Run axe-core on the page as it is now; fail on any WCAG 2.2 A/AA violation."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        """async ([tags, context]) => await window.axe.run(context || document,
               {runOnly: {type: 'tag', values: tags}})""",
        [AXE_TAGS, context],
    )
    violations = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]
    assert not violations, f"axe-core on {page.url}:\n{json.dumps(violations, indent=1)}"


@pytest.fixture
def sign_in(live_server):
    """``sign_in(page, user)`` signs in through the real form."""

    def do(page, user, password: str = PASSWORD):
        page.goto(f"{live_server.url}/sign-in/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        return page

    return do


@pytest.fixture
def visit(live_server):
    """``visit(page, "/path/")`` opens a page, checks it is not an error and runs axe."""

    def do(page, path: str, *, status: int = 200):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == status, (
            f"{path}: {response.status if response else 'no response'}"
        )
        axe_check(page)
        return page

    return do
