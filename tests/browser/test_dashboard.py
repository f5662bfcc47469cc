"""A service manager's performance journey in a real browser: the dashboard
with its trends and comparators, drilling from the FTE figure to the children,
the other performance pages, and downloading the KPI return. axe-core checks
every page."""

import pytest

from performance.selectors import default_quarter
from tests.browser.conftest import axe_check
from tests.performance.pages_data import england_comparator, seed
from yjs.permissions import Role


@pytest.mark.django_db(transaction=True)
def test_manager_dashboard_drill_down_and_kpi_return(page, live_server, make_user, sign_in, visit):
    data = seed()
    england_comparator(indicator="fte_rate_per_100k", period=data["periods"].current, value=150)
    manager = make_user(Role.SERVICE_MANAGER, username="perf_manager")
    sign_in(page, manager)

    page.get_by_role("link", name="Performance").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Performance"
    axe_check(page)

    # Trends: an inline SVG chart per figure, with its figures as a table.
    fte = page.locator("#fte_rate_per_100k")
    assert fte.locator("svg[role=img]").count() == 1
    fte.get_by_text("Figures in the chart").click()
    assert fte.locator("table").last.locator("tbody tr").count() == 8
    # Comparators beside our figure.
    comparators = fte.locator("table", has_text="Comparators")
    assert "England" in comparators.inner_text()
    assert "150.00" in comparators.inner_text()
    axe_check(page)

    # Drill down from the FTE figure to the children behind it.
    fte.locator("a[data-drill=fte_rate_per_100k]").click()
    page.wait_for_load_state()
    axe_check(page)
    records = page.locator("#records").inner_text()
    for child in data["fte_children"]:
        assert child.family_name in records
    assert "Custody" not in records

    for path in (
        "/performance/caseload-profile/",
        "/performance/disproportionality/",
        "/performance/reoffending-tracker/",
        "/performance/data-completeness/",
        "/performance/comparators/",
        "/performance/population/",
    ):
        visit(page, path)

    # The KPI return, and its download.
    visit(page, "/performance/kpi-return/")
    quarter = default_quarter()
    assert page.get_by_role("heading", level=1).inner_text() == f"KPI return {quarter}"
    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"Download the return for {quarter} (XLSX workbook)").click()
    download = download_info.value
    assert download.suggested_filename == f"kpi_return_{quarter}.xlsx"
    with page.expect_download() as csv_info:
        page.get_by_role("link", name=f"Download the return for {quarter} (CSV)").click()
    assert csv_info.value.suggested_filename == f"kpi_return_{quarter}.csv"


@pytest.mark.django_db(transaction=True)
def test_board_member_sees_figures_without_links(page, live_server, make_user, sign_in, visit):
    seed()
    member = make_user(Role.BOARD_MEMBER, username="perf_board")
    sign_in(page, member)
    visit(page, "/performance/")
    assert page.locator("a[data-drill]").count() == 0
    assert page.get_by_role("button", name="Recalculate the figures now").count() == 0
    response = page.goto(
        f"{live_server.url}/performance/drill/fte.count/?start=2025-01-01&end=2025-12-31"
    )
    assert response.status == 403
