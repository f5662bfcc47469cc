"""The dashboard: who may see it, and that its figures are the engine's."""

import re

import pytest
from django.urls import reverse

from performance import indicators
from performance.models import Snapshot
from tests.performance.pages_data import england_comparator, seed

pytestmark = pytest.mark.django_db


def figure_cell(html: str, key: str) -> str:
    match = re.search(rf'data-figure="{key}">([^<]*)<', html)
    assert match, f"no figure {key} on the page"
    return match.group(1).strip()


def test_practitioner_may_not_see_the_dashboard(client_as):
    assert client_as("practitioner").get(reverse("performance:dashboard")).status_code == 403


def test_board_member_sees_figures_but_no_drill_down_links(client_as):
    data = seed()
    response = client_as("board_member").get(reverse("performance:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-drill=" not in html
    assert "/performance/drill/" not in html
    # Figures only: no child's name appears.
    for child in data["fte_children"]:
        assert child.family_name not in html
    assert "Recalculate the figures now" not in html


def test_manager_sees_drill_down_links_and_the_recalculate_button(client_as):
    seed()
    html = client_as("service_manager").get(reverse("performance:dashboard")).content.decode()
    assert 'data-drill="fte_rate_per_100k"' in html
    assert "Recalculate the figures now" in html


def test_dashboard_figures_are_the_kpis_output(client_as):
    data = seed()
    period, as_of = data["periods"].current, data["as_of"]
    html = client_as("team_manager").get(reverse("performance:dashboard")).content.decode()
    expected = indicators.kpis(start=period.start, end=period.end, as_of=as_of)
    assert expected["fte"]["count"] == 3
    assert (
        figure_cell(html, "fte_rate_per_100k")
        == f"{expected['fte']['rate_per_100k']:,.2f} per 100,000"
    )
    assert figure_cell(html, "custody_rate_per_1000") == (
        f"{expected['custody']['rate_per_1000']:,.2f} per 1,000"
    )
    assert figure_cell(html, "custody_pct_of_court_sentences") == (
        f"{expected['custody']['pct_of_court_sentences']:,.2f}%"
    )
    snapshot = Snapshot.objects.get(
        indicator="kpis", period_start=period.start, period_end=period.end
    )
    assert snapshot.data == expected
    assert f"{expected['fte']['count']} first time entrants" in html


def test_snapshots_are_computed_once_and_reused(client_as):
    seed()
    client = client_as("service_manager")
    client.get(reverse("performance:dashboard"))
    first = {s.pk: s.computed_at for s in Snapshot.objects.all()}
    assert first
    client.get(reverse("performance:dashboard"))
    assert {s.pk: s.computed_at for s in Snapshot.objects.all()} == first


def test_comparators_and_rag_beside_the_figure(client_as):
    data = seed()
    period = data["periods"].current
    value = indicators.kpis(start=period.start, end=period.end, as_of=data["as_of"])["fte"][
        "rate_per_100k"
    ]
    # England lower than us: FTE is lower-is-better, so we are red.
    england_comparator(indicator="fte_rate_per_100k", period=period, value=round(value / 2, 2))
    html = client_as("board_member").get(reverse("performance:dashboard")).content.decode()
    row = re.search(r'data-figure="fte_rate_per_100k">.*?</tr>', html, re.S).group(0)
    assert f"{value / 2:.2f}" in row
    assert "govuk-tag--red" in row
    assert "Synthetic test figure" in html
    assert "<svg" in html and 'role="img"' in html
    assert "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_dashboard_reads_stored_snapshots_in_a_few_queries(
    client_as, django_assert_max_num_queries
):
    seed()
    client = client_as("board_member")
    client.get(reverse("performance:dashboard"))  # computes and stores the snapshots
    with django_assert_max_num_queries(12):
        response = client.get(reverse("performance:dashboard"))
    assert response.status_code == 200
