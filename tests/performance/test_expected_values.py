"""The exact values expected from ../shared/examples/service-small
(examples/README.md): every object of the ``kpis`` and ``kpi_return`` lists,
floats to 2 decimal places, counts and nulls exactly; through the public API
and through the commands' JSON output."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from performance import indicators
from tests.performance.conftest import EXPECTED

EXPECTED_VALUES = json.loads(EXPECTED.read_text())


def assert_same(expected, actual, path="$"):
    """Same keys, counts and nulls exactly, floats to 2 decimal places."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: expected an object, got {actual!r}"
        assert list(actual) == list(expected), f"{path}: keys {list(actual)} != {list(expected)}"
        for key, value in expected.items():
            assert_same(value, actual[key], f"{path}.{key}")
    elif isinstance(expected, float):
        assert isinstance(actual, float), f"{path}: expected a float, got {actual!r}"
        assert round(actual, 2) == round(expected, 2), f"{path}: {actual} != {expected}"
    else:
        assert type(actual) is type(expected), f"{path}: {actual!r} is not like {expected!r}"
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"


def period_id(case):
    period = case["period"]
    return f"{period['start']}..{period['end']}@{period['as_of']}"


def quarter_id(case):
    return f"{case['quarter']}@{case['as_of']}"


@pytest.mark.django_db
@pytest.mark.parametrize("expected", EXPECTED_VALUES["kpis"], ids=period_id)
def test_kpis_match_expected(service_small, expected):
    period = expected["period"]
    actual = indicators.kpis(
        start=date.fromisoformat(period["start"]),
        end=date.fromisoformat(period["end"]),
        as_of=date.fromisoformat(period["as_of"]),
    )
    assert_same(expected, json.loads(json.dumps(actual)))


@pytest.mark.django_db
@pytest.mark.parametrize("expected", EXPECTED_VALUES["kpis"], ids=period_id)
def test_kpis_command_prints_expected_json(service_small, expected):
    period = expected["period"]
    out = StringIO()
    call_command(
        "kpis",
        "--start",
        period["start"],
        "--end",
        period["end"],
        "--as-of",
        period["as_of"],
        "--json",
        stdout=out,
    )
    assert_same(expected, json.loads(out.getvalue()))


@pytest.mark.django_db
@pytest.mark.parametrize("expected", EXPECTED_VALUES["kpi_return"], ids=quarter_id)
def test_kpi_return_matches_expected(service_small, expected):
    actual = indicators.kpi_return(
        quarter=expected["quarter"], as_of=date.fromisoformat(expected["as_of"])
    )
    assert_same(expected, json.loads(json.dumps(actual)))


@pytest.mark.django_db
@pytest.mark.parametrize("expected", EXPECTED_VALUES["kpi_return"], ids=quarter_id)
def test_kpi_return_command_prints_expected_json(service_small, expected):
    out = StringIO()
    call_command(
        "kpi_return",
        "--quarter",
        expected["quarter"],
        "--as-of",
        expected["as_of"],
        "--json",
        stdout=out,
    )
    assert_same(expected, json.loads(out.getvalue()))


def test_expected_file_is_a_faithful_copy():
    """tests/performance/data holds a copy of the shared file; never edited."""

    from tests.paths import SHARED_EXAMPLES

    shared = SHARED_EXAMPLES / "service-small.expected.json"
    if shared.exists():
        assert json.loads(shared.read_text()) == EXPECTED_VALUES


NATIONAL_DRILLDOWNS = [
    ("fte.count", ("fte", "count")),
    ("custody.sentences", ("custody", "sentences")),
    ("custody.court_sentences", ("custody", "court_sentences")),
    ("reoffending.cohort", ("reoffending", "cohort")),
    ("reoffending.reoffenders", ("reoffending", "reoffenders")),
    ("reoffending.reoffences", ("reoffending", "reoffences")),
    ("serious_violence.offences", ("serious_violence", "offences")),
]


@pytest.mark.django_db
@pytest.mark.parametrize("expected", EXPECTED_VALUES["kpis"], ids=period_id)
def test_records_behind_each_national_figure_are_as_many_as_the_figure(service_small, expected):
    period = {key: date.fromisoformat(value) for key, value in expected["period"].items()}
    for figure, (section, key) in NATIONAL_DRILLDOWNS:
        if expected[section] is None:
            continue
        rows = indicators.records_behind(figure, **period)
        assert len(rows) == expected[section][key], figure
        assert all(
            {"child_id", "child_source_id", "given_name", "family_name"} <= set(r) for r in rows
        )
    rows = indicators.records_behind("oocd.decisions", **period)
    assert len(rows) == sum(expected["oocd"]["decisions"].values())


KPI_RETURN_DRILLDOWNS = [
    "children",
    "accommodation.suitable_at_end",
    "ete.suitable_at_end",
    "ete.full_time_offered_at_end",
    "send.with_plan",
    "mental_health.attended",
    "substance_misuse.need",
    "oocd.completed",
    "wider_services.supported",
    "victims.victims",
    "victims.engaged",
]


@pytest.mark.django_db
@pytest.mark.parametrize("expected", EXPECTED_VALUES["kpi_return"], ids=quarter_id)
def test_records_behind_kpi_return_figures_are_as_many_as_the_figure(service_small, expected):
    as_of = date.fromisoformat(expected["as_of"])
    for figure in KPI_RETURN_DRILLDOWNS:
        section, _, key = figure.partition(".")
        value = expected[section] if not key else expected[section][key]
        rows = indicators.records_behind(figure, quarter=expected["quarter"], as_of=as_of)
        assert len(rows) == value, figure


@pytest.mark.django_db
@pytest.mark.parametrize("expected", EXPECTED_VALUES["kpi_return"], ids=quarter_id)
def test_breakdown_all_row_is_the_return(service_small, expected):
    as_of = date.fromisoformat(expected["as_of"])
    rows = indicators.kpi_return_breakdown(quarter=expected["quarter"], as_of=as_of)
    whole = {(r["kpi"], r["measure"]): r["value"] for r in rows if r["dimension"] == "all"}
    assert whole[("population", "children")] == expected["children"]
    for kpi in ("accommodation", "ete", "victims", "oocd"):
        for measure, value in expected[kpi].items():
            assert whole[(kpi, measure)] == value, (kpi, measure)
    by_type = [r for r in rows if r["dimension"] == "type_of_order" and r["measure"] == "children"]
    assert {r["group"]: r["value"] for r in by_type} == expected["by_type"]
