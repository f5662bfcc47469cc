"""The other performance pages and who may open them."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from performance.models import Population
from tests.factories import ChildFactory, OutcomeFactory
from tests.performance.pages_data import seed

pytestmark = pytest.mark.django_db

AGGREGATE_PAGES = ["performance:dashboard", "performance:profile", "performance:disproportionality"]
MANAGER_PAGES = ["performance:comparators", "performance:population"]


@pytest.mark.parametrize("name", AGGREGATE_PAGES)
def test_aggregate_pages_for_board_members_not_practitioners(client_as, name):
    assert client_as("board_member").get(reverse(name)).status_code == 200
    assert client_as("practitioner").get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", MANAGER_PAGES)
def test_manager_pages(client_as, name):
    assert client_as("service_manager").get(reverse(name)).status_code == 200
    assert client_as("board_member").get(reverse(name)).status_code == 403
    assert client_as("team_manager").get(reverse(name)).status_code == 403


def drill_url(data):
    period = data["periods"].current
    return (
        reverse("performance:drill", kwargs={"figure": "fte.count"})
        + f"?start={period.start}&end={period.end}&as_of={data['as_of']}"
    )


def test_board_member_gets_403_on_drill_down(client_as):
    data = seed()
    assert client_as("board_member").get(drill_url(data)).status_code == 403


def test_drill_down_lists_the_first_time_entrants(client_as):
    data = seed()
    response = client_as("team_manager").get(drill_url(data))
    assert response.status_code == 200
    html = response.content.decode()
    for child in data["fte_children"]:
        assert child.family_name in html
    assert "Custody" not in html.split('id="records"', 1)[1]


def test_caseload_profile_counts_open_cases(client_as):
    data = seed()
    html = client_as("board_member").get(reverse("performance:profile")).content.decode()
    assert 'id="open-cases"' in html
    # Figures only, never names.
    for child in data["fte_children"]:
        assert child.family_name not in html


def test_disproportionality_rates_and_rri(client_as):
    seed()
    html = client_as("board_member").get(reverse("performance:disproportionality")).content.decode()
    assert "Black or Black British" in html
    assert "relative rate index" in html


def test_disproportionality_follows_the_indicator_runs(client_as, users, settings):
    """The page is worked out once per as-of date and indicator run: opening it
    again reads the cache; a new run (which warms the cache) shows new data."""
    from performance import services

    data = seed()
    url = reverse("performance:disproportionality") + f"?as_of={data['as_of'].isoformat()}"
    client = client_as("service_manager")
    first = client.get(url).content.decode()
    white_row = first.split(">White<", 1)[1].split("</tr>", 1)[0]
    with CaptureQueriesContext(connection) as again:
        assert client.get(url).content.decode().count(white_row) == 1
    assert len(again.captured_queries) < 15  # sign-in, audit, the latest run: no kpis

    # A new white first time entrant is not on the page until the next run.
    mid = data["periods"].current.start + timedelta(days=60)
    newcomer = ChildFactory(
        date_of_birth=data["fte_children"][1].date_of_birth, ethnicity="white", family_name="New"
    )
    OutcomeFactory(child=newcomer, outcome_date=mid, outcome_type="referral_order")
    assert white_row in client.get(url).content.decode()

    services.indicator_run_execute(as_of=data["as_of"], trigger="manual")
    after = client.get(url).content.decode()
    assert white_row not in after
    assert "after the indicator run that finished" in after


def test_population_year_saved(client_as):
    client = client_as("service_manager")
    response = client.post(
        reverse("performance:population"),
        {"year": 2024, "pop_M_white": "5000", "pop_F_white": "4800", "pop_M_black": ""},
    )
    assert response.status_code == 302
    assert Population.objects.get(year=2024, sex="M", ethnicity="white").population == 5000
    assert Population.objects.filter(year=2024).count() == 2
    page = client.get(reverse("performance:population") + "?year=2024").content.decode()
    assert 'value="5000"' in page
    assert "9800" in page


def test_population_rejects_negative(client_as):
    response = client_as("service_manager").post(
        reverse("performance:population"), {"year": 2024, "pop_M_white": "-1"}
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not Population.objects.exists()


def test_tracker_for_drill_down_roles_only(client_as):
    assert client_as("board_member").get(reverse("performance:tracker")).status_code == 403
    response = client_as("team_manager").get(reverse("performance:tracker"))
    assert response.status_code == 200
    assert "Live reoffending tracker" in response.content.decode()


def test_tracker_names_children_in_a_running_cohort(client_as):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import ChildFactory, OutcomeFactory

    today = timezone.localdate()
    child = ChildFactory(date_of_birth=today.replace(year=today.year - 15), family_name="Tracked")
    OutcomeFactory(child=child, outcome_date=today - timedelta(days=100))
    html = client_as("service_manager").get(reverse("performance:tracker")).content.decode()
    assert "Tracked" in html


def test_kpi_return_page_and_downloads(client_as):
    from io import BytesIO

    from openpyxl import load_workbook

    from performance import indicators
    from performance.selectors import default_quarter

    client = client_as("team_manager")
    quarter = default_quarter()
    page = client.get(reverse("performance:kpi_return"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"KPI return {quarter}" in html
    as_of = page.context["data"]["as_of"]
    assert page.context["data"]["data"] == indicators.kpi_return(quarter=quarter, as_of=as_of)
    query = f"?quarter={quarter}&as_of={as_of}"
    xlsx = client.get(reverse("performance:kpi_return_download", args=["xlsx"]) + query)
    assert xlsx.status_code == 200
    assert "attachment" in xlsx["Content-Disposition"]
    book = load_workbook(BytesIO(xlsx.content))
    assert "Return" in book.sheetnames
    csv = client.get(reverse("performance:kpi_return_download", args=["csv"]) + query)
    assert csv.status_code == 200
    assert csv["Content-Type"].startswith("text/csv")
    assert b"," in csv.content
    bad = client.get(reverse("performance:kpi_return_download", args=["pdf"]) + query)
    assert bad.status_code == 404


def test_kpi_return_not_for_board_members(client_as):
    client = client_as("board_member")
    assert client.get(reverse("performance:kpi_return")).status_code == 403
    url = reverse("performance:kpi_return_download", args=["csv"]) + "?quarter=2024Q1"
    assert client.get(url).status_code == 403


def test_kpi_return_bad_quarter_shows_an_error(client_as):
    response = client_as("service_manager").get(reverse("performance:kpi_return") + "?quarter=Q9")
    assert response.status_code == 200
    assert "Enter a quarter like 2024Q1" in response.content.decode()


def test_data_completeness_lists_children_missing_accommodation_and_ete(client_as):
    from datetime import timedelta

    from cases.models import AccommodationEpisode
    from performance.periods import quarter_period
    from performance.selectors import default_quarter
    from tests.factories import ChildFactory, OutcomeFactory

    quarter = default_quarter()
    period = quarter_period(quarter)
    start = period.end - timedelta(days=200)
    missing = ChildFactory(date_of_birth=start.replace(year=start.year - 15), family_name="Missing")
    OutcomeFactory(child=missing, outcome_date=start, end_date=period.end - timedelta(days=3))
    housed = ChildFactory(date_of_birth=start.replace(year=start.year - 15), family_name="Housed")
    OutcomeFactory(child=housed, outcome_date=start, end_date=period.end - timedelta(days=3))
    AccommodationEpisode.objects.create(
        child=housed,
        start_date=start,
        accommodation_type="with_parents",
        suitability="suitable",
        primary_residence=True,
    )
    assert client_as("board_member").get(reverse("performance:completeness")).status_code == 403
    html = client_as("service_manager").get(reverse("performance:completeness")).content.decode()
    table = html.split('id="records"', 1)[1]
    assert "Missing" in table
    assert "No accommodation (primary residence)" in table
    # Housed has accommodation but no ETE: listed for ETE only.
    housed_row = table.split("Housed", 1)[1].split("</tr>", 1)[0]
    assert "No education, training or employment" in housed_row
    assert "No accommodation" not in housed_row


def test_looked_after_share_of_first_time_entrants():
    from performance.selectors import disproportionality

    data = seed()
    looked_after = data["fte_children"][0]
    looked_after.looked_after = True
    looked_after.save()
    result = disproportionality(as_of=data["as_of"])
    fte = next(r for r in result["looked_after"] if r["label"] == "First time entrants")
    assert (fte["total"], fte["looked_after"], fte["pct"]) == (3, 1, 33.33)
    white = next(r for r in result["by_ethnicity"] if r["code"] == "white")
    black = next(r for r in result["by_ethnicity"] if r["code"] == "black")
    # Two white FTEs of 8,000 white children; one black FTE of 2,000 black children:
    # rates 0.25 and 0.5 per 1,000, RRI 2.
    assert white["rates"]["fte"] == 0.25
    assert black["rates"]["fte"] == 0.5
    assert black["rri"]["fte"] == 2.0


def test_oocd_decisions_drill_down_to_the_referrals(client_as):
    from datetime import timedelta

    from panels.models import OocdReferral
    from tests.factories import ChildFactory

    data = seed()
    period = data["periods"].current
    child = ChildFactory(family_name="Referred")
    OocdReferral.objects.create(
        child=child,
        referral_date=period.start + timedelta(days=10),
        panel_date=period.start + timedelta(days=20),
        admission=True,
        decision="community_resolution",
    )
    html = client_as("service_manager").get(reverse("performance:dashboard")).content.decode()
    assert "by decision" in html
    url = reverse("performance:drill", kwargs={"figure": "oocd.decisions.community_resolution"})
    assert url in html
    link = html.split(url, 1)[1].split('"', 1)[0].replace("&amp;", "&")
    records = client_as("service_manager").get(url + link).content.decode()
    assert "Referred" in records
    board = client_as("board_member").get(reverse("performance:dashboard")).content.decode()
    assert "by decision" in board and url not in board
