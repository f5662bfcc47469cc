"""Board pack journeys in a real browser: a service manager writes the
commentary, generates the pack, watches its progress and downloads it; a board
member downloads packs but can open no child's page. axe-core on every page.

The first journey runs the task eagerly (the embedded default); the second
runs it in a real Celery worker (PostgreSQL and Redis only), so the browser
sees the progress fragment update through htmx until the pack is ready."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from cases.models import Child
from governance.demo import governance_seed
from performance.models import BoardPack
from tests.browser.conftest import axe_check
from tests.paths import EXAMPLE
from tests.worker import running_worker
from yjs.permissions import Role

COMMENTARY = "Synthetic commentary: first time entrants fell again this quarter."
LONG = 240_000  # ms: generating under a loaded test machine can take a while


def load_service():
    call_command("import_extract", str(EXAMPLE), verbosity=0)
    governance_seed(today=date.today())


def prepare_and_generate(page, live_server, visit):
    visit(page, "/performance/packs/")
    page.get_by_role("link", name=re.compile("generate the pack for")).first.click()
    page.wait_for_load_state()
    axe_check(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Board pack for")
    page.get_by_label("Executive summary").fill(COMMENTARY)
    page.get_by_label("Budget and staffing").fill("Partner contributions are as agreed.")
    with page.expect_navigation(timeout=LONG):
        page.get_by_role("button", name="Save commentary and generate the pack").click()


def download_and_read(page) -> str:
    with page.expect_download(timeout=LONG) as download_info:
        page.get_by_role("link", name="Download the pack (PDF)").click()
    pdf = Path(download_info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def board_member_journey(page, live_server, make_user, sign_in, visit):
    page.context.clear_cookies()
    member = make_user(Role.BOARD_MEMBER, username="pack_board_member")
    sign_in(page, member)
    visit(page, "/performance/packs/")
    expect(page.get_by_role("link", name=re.compile("generate the pack"))).to_have_count(0)
    with page.expect_download(timeout=LONG) as download_info:
        page.get_by_role("link", name=re.compile("^Download")).first.click()
    assert Path(download_info.value.path()).read_bytes().startswith(b"%PDF")
    child = Child.objects.order_by("pk").first()
    response = page.goto(f"{live_server.url}/children/{child.pk}/")
    assert response.status in (403, 404)
    assert child.family_name not in page.content()
    response = page.goto(f"{live_server.url}/performance/packs/2024Q1/prepare/")
    assert response.status == 403


@pytest.mark.django_db(transaction=True)
def test_manager_generates_and_downloads_a_pack_and_a_board_member_reads_it(
    page, live_server, make_user, sign_in, visit
):
    page.set_default_timeout(LONG)
    load_service()
    manager = make_user(Role.SERVICE_MANAGER, username="pack_manager")
    sign_in(page, manager)
    prepare_and_generate(page, live_server, visit)
    # Eagerly run: the pack is ready when the page comes back.
    expect(page.get_by_role("heading", name="The pack is ready")).to_be_visible()
    axe_check(page)
    text = download_and_read(page)
    assert COMMENTARY in text
    assert "Partner contributions are as agreed." in text
    board_member_journey(page, live_server, make_user, sign_in, visit)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_manager_watches_a_pack_generated_by_the_worker(
    page, live_server, make_user, sign_in, visit
):
    page.set_default_timeout(LONG)
    with running_worker(broker_url="redis://127.0.0.1:6379/7"):
        load_service()
        manager = make_user(Role.SERVICE_MANAGER, username="pack_manager_w")
        sign_in(page, manager)
        prepare_and_generate(page, live_server, visit)
        # Queued for the worker: the page shows progress, and htmx updates it.
        status = page.locator("#pack-status")
        expect(status.get_by_role("status")).to_contain_text("% done")
        expect(page.locator("#pack-progress")).to_be_visible()
        axe_check(page)
        try:
            expect(page.get_by_role("heading", name="The pack is ready")).to_be_visible(
                timeout=LONG
            )
        except AssertionError:
            pack = BoardPack.objects.defer("pdf").get()
            raise AssertionError(
                f"pack {pack.status} {pack.progress}% {pack.stage!r} {pack.error!r}"
            ) from None
        axe_check(page)
        assert COMMENTARY in download_and_read(page)


@pytest.mark.django_db(transaction=True)
def test_board_records_pages_pass_axe(page, live_server, make_user, sign_in, visit):
    from governance.models import BoardMeeting

    governance_seed(today=date.today())
    manager = make_user(Role.SERVICE_MANAGER, username="board_records_manager")
    sign_in(page, manager)
    for path in ["/board/", "/board/actions/", "/board/priorities/", "/board/budget/"]:
        visit(page, path)
    meeting = BoardMeeting.objects.order_by("-date").first()
    visit(page, f"/board/meetings/{meeting.pk}/")
    page.get_by_role("button", name="Save attendance").click()
    page.wait_for_load_state()
    axe_check(page)
    visit(page, "/board/actions/add/")
    page.get_by_role("button", name="Save").click()  # nothing filled in
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_check(page)
    page.get_by_label("Description").fill("Bring the ETE deep dive to the next board")
    page.get_by_label("Owner").fill("Head of Service")
    page.get_by_label("Due date").fill("2020-01-31")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Actions log")
    row = page.get_by_role("row").filter(has_text="Bring the ETE deep dive")
    expect(row).to_contain_text("(overdue)")
    axe_check(page)
    for path in ["/board/members/add/", "/board/meetings/add/", "/board/budget/add/"]:
        visit(page, path)
