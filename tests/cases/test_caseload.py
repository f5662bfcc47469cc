"""Caseloads: scopes, filters, sorting, flags, overdue reviews, late starts,
CSV export permission and flat query counts."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cases.filters import CaseloadFilter
from cases.models import Assessment, CareStatus, Child, PlanItem, Programme, StatusEpisode
from cases.selectors import (
    CASELOAD_ANNOTATIONS,
    caseload_annotate,
    caseload_rows,
    child_localities,
)
from tests.factories import ChildFactory, OutcomeFactory
from yjs.audit.models import AuditEvent
from yjs.dates import add_years

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def _child(**kwargs):
    kwargs.setdefault("date_of_birth", add_years(_today(), -15))
    return ChildFactory(**kwargs)


def _rich_child(worker, team, programme, n):
    """A child with everything a caseload row shows."""
    today = _today()
    child = _child(allocated_worker=worker, team=team, family_name=f"Rich{n:03d}")
    OutcomeFactory(child=child, outcome_date=today - timedelta(days=30))
    Assessment.objects.create(
        child=child,
        assessment_date=today - timedelta(days=120),
        likelihood_of_reoffending="low",
        risk_of_serious_harm="low",
        safety_and_wellbeing="medium",
        intervention_level="standard",
        next_review_due=today - timedelta(days=30),
    )
    PlanItem.objects.create(
        child=child,
        programme=programme,
        planned_start_date=today - timedelta(days=20),
        actual_start_date=today - timedelta(days=10),
        status="in_progress",
    )
    CareStatus.objects.create(
        child=child, status="child_in_need", start_date=today - timedelta(days=60)
    )
    StatusEpisode.objects.create(child=child, status="neet", start_date=today - timedelta(days=5))
    return child


@pytest.fixture
def programme(db):
    return Programme.objects.create(name="Knife crime awareness", category="knife_crime")


def test_board_member_is_refused(client_as):
    client = client_as("board_member")
    assert client.get(reverse("cases:caseload")).status_code == 403
    assert client.get(reverse("cases:caseload_scope", args=["all"])).status_code == 403


def test_my_caseload_shows_only_my_children(client_as, users):
    mine = _child(allocated_worker=users["practitioner"], family_name="Minechild")
    other = _child(allocated_worker=users["team_manager"], family_name="Otherchild")
    client = client_as("practitioner")
    page = client.get(reverse("cases:caseload")).content.decode()
    assert mine.family_name in page
    assert other.family_name not in page
    page = client.get(reverse("cases:caseload_scope", args=["all"])).content.decode()
    assert mine.family_name in page and other.family_name in page


def test_unallocated_and_team(client_as, users, team):
    lonely = _child(family_name="Lonelychild")
    teamed = _child(allocated_worker=users["team_manager"], team=team, family_name="Teamchild")
    client = client_as("practitioner")
    page = client.get(reverse("cases:caseload_scope", args=["unallocated"])).content.decode()
    assert lonely.family_name in page and teamed.family_name not in page
    page = client.get(reverse("cases:caseload_scope", args=["team"])).content.decode()
    assert teamed.family_name in page and lonely.family_name not in page
    assert client.get(reverse("cases:caseload_scope", args=["nonsense"])).status_code == 404


def test_restricted_children_hidden_from_others(client_as, users):
    _child(restricted=True, family_name="Secretchild", allocated_worker=users["team_manager"])
    page = client_as("practitioner").get(reverse("cases:caseload_scope", args=["all"]))
    assert "Secretchild" not in page.content.decode()


def test_filters(client_as, users, team, programme):
    today = _today()
    young = _child(date_of_birth=add_years(today, -12), family_name="Youngchild", locality="East")
    old = _rich_child(users["practitioner"], team, programme, 1)
    client = client_as("practitioner")
    url = reverse("cases:caseload_scope", args=["all"])

    def names(**params):
        return client.get(url, params).content.decode()

    page = names(age_band="10-14")
    assert young.family_name in page and old.family_name not in page
    page = names(age_band="15-17")
    assert young.family_name not in page and old.family_name in page
    page = names(locality="East")
    assert young.family_name in page and old.family_name not in page
    page = names(name="rich0")
    assert old.family_name in page and young.family_name not in page
    page = names(flags=["child_in_need", "neet"])
    assert old.family_name in page and young.family_name not in page
    page = names(flags=["cse"])
    assert old.family_name not in page
    page = names(review_overdue="on")
    assert old.family_name in page and young.family_name not in page
    page = names(outcome_type="referral_order")
    assert old.family_name in page and young.family_name not in page
    page = names(worker=users["practitioner"].pk)
    assert old.family_name in page and young.family_name not in page
    page = names(team=team.pk)
    assert old.family_name in page and young.family_name not in page


def test_row_shows_overdue_late_and_flags(client_as, users, team, programme):
    _rich_child(users["practitioner"], team, programme, 1)
    page = client_as("practitioner").get(reverse("cases:caseload")).content.decode()
    assert "Overdue" in page
    assert "1 late" in page
    assert "CIN" in page and "NEET" in page
    assert "Referral order" in page


def test_planned_start_passed_without_start_is_late(client_as, users, programme):
    child = _child(allocated_worker=users["practitioner"])
    PlanItem.objects.create(
        child=child, programme=programme, planned_start_date=_today() - timedelta(days=3)
    )
    PlanItem.objects.create(
        child=child, programme=programme, planned_start_date=_today() + timedelta(days=3)
    )
    page = client_as("practitioner").get(reverse("cases:caseload")).content.decode()
    assert "1 late" in page


def test_sorting_by_age(client_as, users):
    today = _today()
    _child(date_of_birth=add_years(today, -11), family_name="Elevenchild")
    _child(date_of_birth=add_years(today, -16), family_name="Sixteenchild")
    client = client_as("practitioner")
    url = reverse("cases:caseload_scope", args=["all"])
    page = client.get(url, {"sort": "age"}).content.decode()
    assert page.index("Elevenchild") < page.index("Sixteenchild")
    page = client.get(url, {"sort": "-age"}).content.decode()
    assert page.index("Sixteenchild") < page.index("Elevenchild")


@pytest.mark.parametrize(
    "column", ["next_review_due", "late_starts", "current_order", "-next_review_due"]
)
def test_sorting_by_a_column_of_the_page(client_as, users, team, programme, column):
    rich = _rich_child(users["practitioner"], team, programme, 1)
    plain = _child(family_name="Plainchild")
    page = client_as("practitioner").get(
        reverse("cases:caseload_scope", args=["all"]), {"sort": column, "per_page": 1}
    )
    assert page.status_code == 200
    # Overdue review, one late start, an order: first ascending (NULLs last in
    # PostgreSQL, first in SQLite: compare the two orders instead).
    first = page.content.decode()
    other = client_as("practitioner").get(
        reverse("cases:caseload_scope", args=["all"]),
        {"sort": column[1:] if column.startswith("-") else f"-{column}", "per_page": 1},
    )
    second = other.content.decode()
    assert {rich.family_name in first, rich.family_name in second} == {True, False}
    assert {plain.family_name in first, plain.family_name in second} == {True, False}


def test_filter_fields_from_the_cache_are_the_rendered_ones(users, make_user):
    queryset = Child.objects.all()

    def rendered(filterset):
        return render_to_string("cases/caseload_filter_fields.html", {"form": filterset.form})

    cache.clear()
    unbound = CaseloadFilter(None, queryset=queryset)
    fresh = rendered(unbound)
    assert unbound.fields_html() == fresh
    # Sorting or paging only: the same HTML, from the cache.
    sorted_only = CaseloadFilter(QueryDict("sort=age&page=2"), queryset=queryset)
    assert rendered(sorted_only) == fresh
    assert sorted_only.fields_html() == fresh
    # A new member of staff changes a choice list, so the key.
    make_user("practitioner", first_name="Newly", last_name="Started")
    assert "Newly Started" in CaseloadFilter(None, queryset=queryset).fields_html()
    # Chosen filters are rendered, not cached.
    chosen = CaseloadFilter(QueryDict(f"worker={users['practitioner'].pk}"), queryset=queryset)
    assert chosen.fields_html() == rendered(chosen) != fresh


def test_page_columns_are_those_of_the_annotated_caseload(users, team, programme):
    """caseload_rows (the page shown) and caseload_annotate (sorting, the export)
    give every child the same columns."""
    today = _today()
    rich = _rich_child(users["practitioner"], team, programme, 1)
    # A later order and a later assessment win; ended records do not count.
    OutcomeFactory(
        child=rich,
        outcome_date=today - timedelta(days=3),
        outcome_type="youth_rehabilitation_order",
    )
    OutcomeFactory(
        child=rich,
        outcome_date=today - timedelta(days=2),
        outcome_type="detention_and_training_order",
        end_date=today - timedelta(days=1),
    )
    Assessment.objects.create(
        child=rich,
        assessment_date=today - timedelta(days=10),
        likelihood_of_reoffending="low",
        risk_of_serious_harm="low",
        safety_and_wellbeing="low",
        intervention_level="standard",
        next_review_due=today + timedelta(days=80),
    )
    ended = _child(family_name="Ended", looked_after=True)
    CareStatus.objects.create(
        child=ended,
        status="child_protection",
        start_date=today - timedelta(days=60),
        end_date=today - timedelta(days=1),
    )
    StatusEpisode.objects.create(child=ended, status="missing", start_date=today)
    PlanItem.objects.create(
        child=ended,
        programme=programme,
        planned_start_date=today - timedelta(days=3),
        status="cancelled",
    )
    _child(family_name="Nothing")
    annotated = {child.pk: child for child in caseload_annotate(Child.objects.all(), day=today)}
    page = caseload_rows(list(Child.objects.all()), day=today)
    assert len(page) == 3
    for child in page:
        for name in CASELOAD_ANNOTATIONS:
            assert bool(getattr(child, name)) == bool(getattr(annotated[child.pk], name)), name
            if not name.startswith("flag_"):
                assert getattr(child, name) == getattr(annotated[child.pk], name), name
    rich_row = next(child for child in page if child.pk == rich.pk)
    assert rich_row.current_order_type == "youth_rehabilitation_order"
    assert rich_row.next_review_due == today + timedelta(days=80)
    ended_row = next(child for child in page if child.pk == ended.pk)
    assert ended_row.flag_looked_after and ended_row.flag_missing
    assert not ended_row.flag_child_protection and ended_row.late_starts == 0


def test_viewing_a_caseload_is_audited(client_as, users):
    client_as("practitioner").get(reverse("cases:caseload"))
    assert AuditEvent.objects.filter(
        user=users["practitioner"], action="view", summary__contains="caseload"
    ).exists()


def test_csv_export_needs_the_capability(client_as, users, team, programme):
    _rich_child(users["practitioner"], team, programme, 1)
    url = reverse("cases:caseload_export", args=["all"])
    assert client_as("practitioner").get(url).status_code == 403
    response = client_as("team_manager").get(url, {"flags": ["neet"]})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    lines = text.strip().splitlines()
    assert lines[0].startswith("Name,Age,Allocated worker")
    assert len(lines) == 2 and "Rich001" in lines[1] and "CIN; NEET" in lines[1]
    assert AuditEvent.objects.filter(action="export", user=users["team_manager"]).exists()


def test_csv_export_neutralises_formulas(client_as, users):
    _child(given_name="=HYPERLINK(1)", family_name="Formula")
    response = client_as("team_manager").get(reverse("cases:caseload_export", args=["all"]))
    assert "'=HYPERLINK(1) Formula" in response.content.decode()


def test_export_link_only_for_those_allowed(client_as):
    link = "Download these children"
    assert link not in client_as("practitioner").get(reverse("cases:caseload")).content.decode()
    assert link in client_as("team_manager").get(reverse("cases:caseload")).content.decode()


def _page_queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_query_count_does_not_grow_with_children(
    client_as, users, team, programme, django_assert_max_num_queries
):
    client = client_as("team_manager")
    url = reverse("cases:caseload_scope", args=["all"]) + "?per_page=100"
    for n in range(5):
        _rich_child(users["practitioner"], team, programme, n)
    # Unfiltered, the filter's fields come from the cache after the first page
    # (two queries for its choice lists; five small ones for the page's columns).
    assert _page_queries(client, url, django_assert_max_num_queries, 19) == 19
    small = _page_queries(client, url, django_assert_max_num_queries, 17)
    for n in range(5, 60):
        _rich_child(users["practitioner"], team, programme, n)
    large = _page_queries(client, url, django_assert_max_num_queries, 17)
    assert large == small
    export = reverse("cases:caseload_export", args=["all"])
    with django_assert_max_num_queries(20):
        response = client.get(export)
    assert len(response.content.decode().strip().splitlines()) == 61


def test_board_member_cannot_export(client_as):
    assert (
        client_as("board_member").get(reverse("cases:caseload_export", args=["all"])).status_code
        == 403
    )


def test_age_band_boundaries(client_as):
    today = _today()
    _child(date_of_birth=add_years(today, -15), family_name="Fifteentoday")
    _child(date_of_birth=add_years(today, -15) + timedelta(days=1), family_name="Fourteenstill")
    page = (
        client_as("practitioner")
        .get(reverse("cases:caseload_scope", args=["all"]), {"age_band": "10-14"})
        .content.decode()
    )
    assert "Fourteenstill" in page and "Fifteentoday" not in page


def test_child_localities_are_the_distinct_non_empty_ones_sorted():
    for locality in ("West", "East", "", "West", "Market Town"):
        _child(locality=locality)
    assert child_localities() == ["East", "Market Town", "West"]


def test_the_page_cells_are_django_tables2s_cells(client_as, users, team, programme):
    """CaseloadTable.page_cells renders each cell without django-tables2's
    per-cell machinery: the same HTML for every kind of row (everything
    shown, nothing recorded, unallocated and without a team, a future review)."""
    _rich_child(users["practitioner"], team, programme, 1)
    _child(allocated_worker=None, team=None, family_name="Bare")
    future = _child(allocated_worker=users["practitioner"], team=team, family_name="Future")
    Assessment.objects.create(
        child=future,
        assessment_date=_today(),
        likelihood_of_reoffending="low",
        risk_of_serious_harm="low",
        safety_and_wellbeing="low",
        intervention_level="standard",
        next_review_due=_today() + timedelta(days=30),
    )
    response = client_as("service_manager").get(
        reverse("cases:caseload_scope", kwargs={"scope": "all"})
    )
    table = response.context["table"]
    ours = [[str(cell) for cell in cells] for cells in table.page_cells()]
    theirs = [[str(cell) for _, cell in row.items()] for row in table.paginated_rows]
    assert len(ours) == 3
    assert ours == theirs
