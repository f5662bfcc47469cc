"""Snapshots: one per (indicator, period), replaced atomically on a rerun; a
failure half-way leaves the previous one intact."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from performance import indicators, services
from performance.models import IndicatorRun, Snapshot
from tests.performance.pages_data import seed

pytestmark = pytest.mark.django_db

START, END = date(2025, 1, 1), date(2025, 12, 31)


def test_store_twice_keeps_one_snapshot_replaced():
    first = services.snapshot_store(
        indicator="kpis", period_start=START, period_end=END, as_of=date(2026, 1, 5), data={"v": 1}
    )
    second = services.snapshot_store(
        indicator="kpis", period_start=START, period_end=END, as_of=date(2026, 1, 6), data={"v": 2}
    )
    assert Snapshot.objects.count() == 1
    assert second.pk == first.pk
    stored = Snapshot.objects.get()
    assert stored.data == {"v": 2}
    assert stored.as_of == date(2026, 1, 6)
    assert stored.rules_version == indicators.RULES_VERSION
    assert stored.computed_at >= first.computed_at


def test_database_refuses_a_duplicate_snapshot():
    services.snapshot_store(
        indicator="kpis", period_start=START, period_end=END, as_of=END, data={}
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Snapshot.objects.create(
            indicator="kpis",
            period_start=START,
            period_end=END,
            as_of=END,
            rules_version="x",
            computed_at="2026-01-01T00:00Z",
            data={},
        )


def test_refresh_stores_what_kpis_returns():
    data = seed()
    as_of = data["as_of"]
    period = data["periods"].current
    snapshot = services.snapshot_refresh(
        indicator="kpis", period_start=period.start, period_end=period.end, as_of=as_of
    )
    assert snapshot.data == indicators.kpis(start=period.start, end=period.end, as_of=as_of)
    assert snapshot.data["fte"]["count"] == 3


def test_kpi_return_snapshot_is_the_quarter_return():
    data = seed()
    quarter = data["periods"].quarter
    snapshot = services.snapshot_refresh(
        indicator="kpi_return",
        period_start=quarter.start,
        period_end=quarter.end,
        as_of=data["as_of"],
    )
    assert snapshot.data == indicators.kpi_return(quarter=quarter.quarter, as_of=data["as_of"])


def test_kpi_return_period_must_be_a_financial_quarter():
    with pytest.raises(ValueError, match="not a financial quarter"):
        services.snapshot_compute(
            indicator="kpi_return", period_start=START, period_end=END, as_of=END
        )


def test_a_run_that_fails_half_way_leaves_every_previous_snapshot_intact():
    data = seed()
    as_of = data["as_of"]
    good = data["periods"].current
    before = services.snapshot_store(
        indicator="kpis",
        period_start=good.start,
        period_end=good.end,
        as_of=date(2020, 1, 1),
        data={"old": True},
    )
    bad = ("kpis", date(2025, 7, 1), date(2025, 6, 30))  # ends before it starts
    with pytest.raises(ValueError):
        services.snapshots_refresh(periods=[("kpis", good.start, good.end), bad], as_of=as_of)
    after = Snapshot.objects.get()
    assert after.data == {"old": True}
    assert after.as_of == date(2020, 1, 1)
    assert after.computed_at == before.computed_at


def test_failed_run_is_recorded_and_reraised():
    with pytest.raises(ValueError):
        services.indicator_run_execute(
            periods=[("kpis", date(2025, 7, 1), date(2025, 6, 30))], as_of=date(2026, 1, 1)
        )
    run = IndicatorRun.objects.get()
    assert run.status == IndicatorRun.Status.FAILED
    assert "before" in run.error
    assert Snapshot.objects.count() == 0


def test_current_periods_cover_trend_cohorts_and_quarters():
    wanted = services.current_periods(date(2026, 1, 31))
    kpis = [w for w in wanted if w[0] == "kpis"]
    returns = [w for w in wanted if w[0] == "kpi_return"]
    assert ("kpis", date(2025, 1, 1), date(2025, 12, 31)) in kpis
    # indicators.md, Conventional cohort: as of 2026-01-31 the latest complete
    # cohort ends 2024-06-30.
    assert ("kpis", date(2023, 7, 1), date(2024, 6, 30)) in kpis
    assert len(set(kpis)) == len(kpis)
    assert len(returns) == 8
    assert returns[-1] == ("kpi_return", date(2025, 10, 1), date(2025, 12, 31))
