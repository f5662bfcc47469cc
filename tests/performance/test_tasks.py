"""The Celery tasks, run eagerly here (the embedded default); the same tasks
through a real worker are in test_worker.py."""

from datetime import date

import pytest
from django.urls import reverse

from performance import services, tasks
from performance.models import IndicatorRun, Snapshot
from tests.performance.pages_data import seed

pytestmark = pytest.mark.django_db


def test_nightly_computes_the_current_periods_and_is_idempotent():
    data = seed()
    as_of = data["as_of"].isoformat()
    tasks.indicators_nightly.delay(as_of=as_of)
    wanted = services.current_periods(data["as_of"])
    keys = set(Snapshot.objects.values_list("indicator", "period_start", "period_end"))
    assert keys == set(wanted)
    first = {s.pk: s.computed_at for s in Snapshot.objects.all()}
    tasks.indicators_nightly.delay(as_of=as_of)
    assert Snapshot.objects.count() == len(wanted)
    # Same rows (no duplicates), recomputed.
    second = {s.pk: s.computed_at for s in Snapshot.objects.all()}
    assert second.keys() == first.keys()
    assert all(second[pk] > first[pk] for pk in first)
    runs = IndicatorRun.objects.all()
    assert [r.status for r in runs] == ["done", "done"]
    assert all(r.trigger == "nightly" and r.snapshots == len(wanted) for r in runs)


def test_nightly_task_has_the_name_beat_expects():
    from django.conf import settings

    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks.indicators_nightly.name in names


def test_refresh_with_injected_periods():
    tasks.indicators_refresh.delay(
        periods=[["kpis", "2025-01-01", "2025-12-31"]], as_of="2026-01-31"
    )
    snapshot = Snapshot.objects.get()
    assert snapshot.as_of == date(2026, 1, 31)


def test_manager_triggers_a_recalculation_from_the_dashboard(
    client_as, users, django_capture_on_commit_callbacks
):
    seed()
    client = client_as("service_manager")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("performance:refresh"), follow=True)
    assert response.status_code == 200
    run = IndicatorRun.objects.get()
    # Eager Celery: it has already run when the page comes back.
    assert run.status == "done"
    assert run.requested_by == users["service_manager"]
    html = response.content.decode()
    assert "being recalculated" in html
    assert f"as of <strong>{run.as_of:%-d %B %Y}</strong>" in html, html[:3000]
    assert Snapshot.objects.count() == len(services.current_periods(run.as_of))


@pytest.mark.parametrize("role", ["board_member", "team_manager", "practitioner"])
def test_only_managers_may_trigger_a_recalculation(client_as, role):
    assert client_as(role).post(reverse("performance:refresh")).status_code == 403
    assert not IndicatorRun.objects.exists()


def test_get_is_not_allowed_for_the_trigger(client_as):
    assert client_as("service_manager").get(reverse("performance:refresh")).status_code == 405


def test_run_status_fragment_shows_running_then_asks_htmx_to_reload(client_as):
    run = IndicatorRun.objects.create(status="running", progress=40)
    client = client_as("board_member")
    html = client.get(reverse("performance:run_status", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert "Recalculating the figures" in html.content.decode()
    assert "hx-trigger" in html.content.decode()
    assert "HX-Refresh" not in html
    IndicatorRun.objects.filter(pk=run.pk).update(status="done", as_of=date(2026, 1, 31))
    done = client.get(reverse("performance:run_status", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


def test_dashboard_says_a_run_is_going_and_disables_the_button(client_as):
    seed()
    IndicatorRun.objects.create(status="running", progress=30)
    html = client_as("service_manager").get(reverse("performance:dashboard")).content.decode()
    assert "Recalculating the figures: running, 30% done" in html
    assert 'hx-trigger="every 2s"' in html
    assert 'disabled aria-disabled="true"' in html
