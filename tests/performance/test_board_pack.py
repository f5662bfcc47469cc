"""The board pack: every figure as the engine computes it, board records,
no child's name, immutability, failure handling, the pages and the command.

Uses the example extract (../shared/examples/service-small) loaded through the
real import, plus the synthetic board (governance.demo)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from cases.models import Child
from governance import selectors as board
from governance.demo import governance_seed
from performance import board_pack, indicators
from performance.models import BoardPack, BoardPackCommentary
from yjs.audit.models import AuditEvent

QUARTER = "2024Q1"
AS_OF = date(2026, 1, 31)

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def two(value) -> str:
    return f"{float(value):,.2f}"


@pytest.fixture
def example_service(service_small):
    """The example extract (imported once per module: conftest.service_small)
    and the synthetic board."""
    governance_seed(today=AS_OF)


def test_small_numbers_are_suppressed_in_breakdowns_only():
    assert [board_pack.small(n) for n in (0, 1, 4, 5, 1234, None)] == [
        "0",
        "<5",
        "<5",
        "5",
        "1,234",
        "–",
    ]
    assert board_pack.small_pct(3, 42.86) == "*"
    assert board_pack.small_pct(7, 42.857) == "42.86%"
    assert board_pack.exact(3) == "3"  # headline figures are never suppressed


def test_pack_periods_are_anchored_on_the_quarter():
    periods = board_pack.pack_periods(QUARTER, AS_OF)
    assert (periods.current.start, periods.current.end) == (date(2023, 7, 1), date(2024, 6, 30))
    assert (periods.previous.end) == date(2024, 3, 31)
    assert len(periods.kpis) == 8
    # The latest complete cohort, but not after the quarter (indicators.md).
    assert periods.cohort.end == date(2024, 6, 30)
    assert board_pack.pack_periods(QUARTER, date(2025, 3, 1)).cohort.end == date(2023, 6, 30)
    assert (periods.quarter.start, periods.quarter.end) == (date(2024, 4, 1), date(2024, 6, 30))


def test_pack_prints_the_engines_figures_and_the_board_records(
    example_service, users, django_capture_on_commit_callbacks, client
):
    manager = users["service_manager"]
    board_pack.commentary_save(
        quarter=QUARTER,
        texts={"summary": "Synthetic summary for the board.", "fte": "Fewer first entrants."},
        by=manager,
    )
    with django_capture_on_commit_callbacks(execute=True):
        pack = board_pack.board_pack_request(quarter=QUARTER, by=manager, as_of=AS_OF)
    pack.refresh_from_db()
    assert pack.status == BoardPack.Status.DONE, pack.error
    assert pack.progress == 100
    assert pack.rules_version == indicators.RULES_VERSION
    assert pack.as_of == AS_OF
    assert pack.commentary["summary"] == "Synthetic summary for the board."
    assert pack.snapshots.filter(indicator="kpis").exists()
    assert pack.snapshots.filter(indicator="kpi_return").exists()
    assert pack.pages and pack.pages > 10
    assert AuditEvent.objects.filter(action="generate", object_id=str(pack.pk)).exists()

    pdf = bytes(pack.pdf)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)

    # Every national indicator exactly as kpis computes it.
    k = indicators.kpis(start=date(2023, 7, 1), end=date(2024, 6, 30), as_of=AS_OF)
    expected = [
        str(k["fte"]["count"]),
        two(k["fte"]["rate_per_100k"]),
        two(k["custody"]["rate_per_1000"]),
        two(k["custody"]["pct_of_court_sentences"]),
        str(k["custody"]["sentences"]),
        str(k["custody"]["court_sentences"]),
        two(k["reoffending"]["binary_rate_pct"]),
        two(k["reoffending"]["reoffences_per_reoffender"]),
        str(k["reoffending"]["cohort"]),
        str(k["reoffending"]["reoffenders"]),
        two(k["serious_violence"]["rate_per_10k"]),
        str(k["serious_violence"]["offences"]),
        two(k["oocd"]["diverted_pct"]),
        f"{k['oocd']['days_to_decision_median']:.1f}",
    ]
    # (the example's published values, as a cross-check of the engine itself)
    assert k["fte"] == {"count": 24, "rate_per_100k": 99.68}
    for figure in expected:
        assert figure in text, figure

    # The 2023 KPI headlines exactly as kpi_return computes them.
    r = indicators.kpi_return(quarter=QUARTER, as_of=AS_OF)
    assert f"ended in April to June 2024: {r['children']}" in " ".join(text.split())
    for path in [("ete", "pct_suitable_at_end"), ("accommodation", "pct_suitable_at_end")]:
        value = r[path[0]][path[1]]
        if value is not None:
            assert f"{value:.2f}%" in text

    # KPI 8 and the budget totals.
    attendance = board.board_attendance(quarter=QUARTER)
    assert f"{attendance['senior_count']} of 5" in text
    budget = board.budget_table(financial_year=2024)
    assert budget["totals"]["total"] > Decimal(0)
    for total in budget["totals"].values():
        assert f"{total:,.0f}" in text

    # Commentary is printed; no child's name is anywhere.
    assert "Synthetic summary for the board." in text
    flat = " ".join(text.split())
    names = Child.objects.values_list("given_name", "family_name")
    assert len(names) == 600
    leaked = [f"{g} {f}" for g, f in names if f"{g} {f}" in flat]
    assert leaked == []

    # A done pack never changes: building again leaves it exactly as it was.
    before = (pack.sha256, pack.completed_at)
    again = board_pack.board_pack_build(pack_id=pack.pk)
    assert (again.sha256, again.completed_at) == before

    # A board member downloads the stored bytes.
    client.force_login(users["board_member"])
    response = client.get(reverse("performance:pack_download", args=[pack.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == pdf
    listing = client.get(reverse("performance:packs"))
    assert reverse("performance:pack_download", args=[pack.pk]).encode() in listing.content


def test_the_command_writes_the_pack(example_service, tmp_path):
    out = tmp_path / "pack.pdf"
    BoardPackCommentary.objects.create(quarter=QUARTER, section="budget", text="Budget note.")
    call_command("board_pack", "--quarter", QUARTER, "--out", str(out), "--as-of", "2026-01-31")
    text = pdf_text(out.read_bytes())
    assert "Budget note." in text
    assert "Management board attendance (KPI 8)" in text
    pack = BoardPack.objects.get()
    assert pack.status == BoardPack.Status.DONE and pack.created_by is None
    with pytest.raises(CommandError, match="quarter like 2024Q1"):
        call_command("board_pack", "--quarter", "2024-Q1", "--out", str(out))


def test_a_failure_leaves_no_half_written_pack(users, django_capture_on_commit_callbacks):
    # The quarter has not ended by the as-of date: the build must fail cleanly.
    with django_capture_on_commit_callbacks(execute=True):
        pack = board_pack.board_pack_request(
            quarter=QUARTER, by=users["service_manager"], as_of=date(2024, 5, 1)
        )
    pack.refresh_from_db()
    assert pack.status == BoardPack.Status.FAILED
    assert "ends on 30 June 2024" in pack.error
    assert pack.pdf is None and pack.sha256 == "" and pack.pages is None
    assert not pack.snapshots.exists()


def test_pack_pages_check_capabilities(client_as, users):
    done = BoardPack.objects.create(quarter=QUARTER, status="done", pdf=b"%PDF-1.7 x")
    pending = BoardPack.objects.create(quarter="2024Q2")
    member = client_as("board_member")
    assert member.get(reverse("performance:packs")).status_code == 200
    assert member.get(reverse("performance:pack", args=[done.pk])).status_code == 200
    assert member.get(reverse("performance:pack", args=[pending.pk])).status_code == 404
    assert member.get(reverse("performance:pack_download", args=[pending.pk])).status_code == 404
    prepare = reverse("performance:pack_prepare", args=[QUARTER])
    assert member.get(prepare).status_code == 403
    assert member.post(prepare, {"generate": "1"}).status_code == 403
    assert client_as("practitioner").get(reverse("performance:packs")).status_code == 403


def test_manager_saves_commentary_and_sees_progress(client_as):
    client = client_as("service_manager")
    prepare = reverse("performance:pack_prepare", args=[QUARTER])
    page = client.get(prepare)
    assert page.status_code == 200
    assert b"Executive summary" in page.content
    response = client.post(prepare, {"summary": "Draft summary", "save": "1"})
    assert response.status_code == 302
    assert BoardPackCommentary.objects.get(quarter=QUARTER, section="summary").text == (
        "Draft summary"
    )
    assert b"Draft summary" in client.get(prepare).content
    pending = BoardPack.objects.create(quarter=QUARTER, status="running", progress=40, stage="x")
    status = client.get(reverse("performance:pack_status", args=[pending.pk]))
    assert b"40% done" in status.content
    assert b'hx-trigger="every 1s"' in status.content
    assert client.get(reverse("performance:pack_prepare", args=["2024Q9"])).status_code == 404
