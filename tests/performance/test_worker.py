"""The indicator tasks through a REAL Celery worker (solo pool) and a real Redis
broker, against the test database (PostgreSQL): the snapshot appears; a rerun
replaces it (still one per period); a run that raises half-way, and a worker
killed with SIGKILL half-way, leave the previous snapshot intact.

Needs PostgreSQL (the worker is another process and must see the test's
committed data) and Redis on 127.0.0.1:6379 (db 6, this app's test db).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.db import connection

from performance.models import IndicatorRun, Snapshot
from performance.periods import quarter_ends, twelve_months_ending
from tests.performance.pages_data import seed

pytestmark = [pytest.mark.worker, pytest.mark.slow]

BROKER = os.environ.get("PERF_TEST_BROKER_URL", "redis://127.0.0.1:6379/6")
ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgresql://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _wait(predicate, *, timeout: float, what: str, worker=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if worker is not None and worker.proc.poll() is not None:
            pytest.fail(f"the worker exited while waiting for {what}:\n{worker.log()}")
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}" + (f":\n{worker.log()}" if worker else ""))


class Worker:
    def __init__(self, tmp_path: Path, name: str = "worker", **extra_env: str):
        self.log_path = tmp_path / f"{name}.log"
        env = {
            **extra_env,
            **os.environ,
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": BROKER,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "REDIS_URL": "",
            "DJANGO_SETTINGS_MODULE": "yjs.settings",
            **extra_env,
        }
        self._log = self.log_path.open("w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "yjs",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"perfpages-test-{name}-{os.getpid()}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        _wait(lambda: "ready." in self.log(), timeout=90, what="the worker to start", worker=self)

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    def kill(self, sig=signal.SIGKILL) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()


@pytest.fixture
def broker():
    client = redis.Redis.from_url(BROKER)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        pytest.fail(f"Redis is not reachable at {BROKER}: {exc}")
    client.flushdb()  # db 6 belongs to these tests
    # Not the current app: shared tasks sent later in the session (other test
    # modules) must still go through yjs.celery.app, which knows them.
    sender = Celery("perfpages-test-sender", broker=BROKER, set_as_current=False)
    yield sender
    sender.close()
    client.flushdb()


@pytest.fixture
def worker(transactional_db, broker, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: the worker is another process and must share the test "
            "database (set DATABASE_URL=postgres://...)"
        )
    w = Worker(tmp_path)
    yield w
    w.stop()


def send(broker, *, run: IndicatorRun, as_of: date, periods: list[tuple]) -> None:
    broker.send_task(
        "performance.tasks.indicators_refresh",
        kwargs={
            "run_id": run.pk,
            "as_of": as_of.isoformat(),
            "periods": [[ind, s.isoformat(), e.isoformat()] for ind, s, e in periods],
        },
    )


def finished(run: IndicatorRun):
    run.refresh_from_db()
    return run.status in ("done", "failed") and run


def run_and_wait(broker, worker, *, as_of, periods) -> IndicatorRun:
    run = IndicatorRun.objects.create(trigger="manual")
    send(broker, run=run, as_of=as_of, periods=periods)
    return _wait(lambda: finished(run), timeout=120, what=f"run {run.pk}", worker=worker)


def test_worker_computes_replaces_and_survives_failure_and_kill(worker, broker, tmp_path):
    data = seed()
    current = data["periods"].current
    period = ("kpis", current.start, current.end)
    first_as_of = data["as_of"] - timedelta(days=2)

    # 1. The task runs in the worker; the snapshot appears.
    run = run_and_wait(broker, worker, as_of=first_as_of, periods=[period])
    assert run.status == "done", run.error
    snapshot = Snapshot.objects.get()
    assert snapshot.as_of == first_as_of
    assert snapshot.data["fte"]["count"] == 3

    # 2. Rerun: still one snapshot for the period, replaced in place.
    second_as_of = data["as_of"] - timedelta(days=1)
    run = run_and_wait(broker, worker, as_of=second_as_of, periods=[period])
    assert run.status == "done", run.error
    replaced = Snapshot.objects.get()
    assert replaced.pk == snapshot.pk
    assert replaced.as_of == second_as_of
    assert replaced.computed_at > snapshot.computed_at

    # 3. A run that raises half-way (an injected period that ends before it
    # starts, after the good one has been computed) changes nothing.
    bad = ("kpis", date(2025, 7, 1), date(2025, 6, 30))
    run = run_and_wait(broker, worker, as_of=data["as_of"], periods=[period, bad])
    assert run.status == "failed"
    assert "before" in run.error
    intact = Snapshot.objects.get()
    assert (intact.as_of, intact.computed_at, intact.data) == (
        replaced.as_of,
        replaced.computed_at,
        replaced.data,
    )

    # 4. kill -9 the worker half-way through a long run: the previous snapshot
    # is intact and there is still exactly one.
    # 80 twelve-month periods ending on successive quarter ends, current first.
    ends = quarter_ends(current.end, 80)[::-1]
    long_periods = [("kpis", p.start, p.end) for p in map(twelve_months_ending, ends)]
    assert long_periods[0] == period
    run = IndicatorRun.objects.create(trigger="manual")
    send(broker, run=run, as_of=data["as_of"], periods=long_periods)

    def half_way():
        run.refresh_from_db()
        return run.status == "running" and 0 < run.progress < 90

    _wait(half_way, timeout=120, what="the long run to be half-way", worker=worker)
    worker.kill(signal.SIGKILL)
    assert worker.proc.returncode == -signal.SIGKILL
    survivor = Snapshot.objects.filter(indicator="kpis")
    assert survivor.count() == 1
    assert (survivor[0].as_of, survivor[0].computed_at) == (
        replaced.as_of,
        replaced.computed_at,
    )
    run.refresh_from_db()
    assert run.status == "running"  # it never finished; nothing was stored

    # 5. The killed task was never acknowledged: Redis hands it to the next
    # worker once its visibility timeout has passed (short here), and running
    # it again is safe: the run finishes and each period has one snapshot.
    again = Worker(tmp_path, name="restarted", CELERY_VISIBILITY_TIMEOUT="3")
    try:
        run = _wait(lambda: finished(run), timeout=240, what="the redelivered run", worker=again)
        assert run.status == "done", run.error
        assert "performance.tasks.indicators_refresh" in again.log()  # it ran there
    finally:
        again.stop()
    snapshots = Snapshot.objects.filter(indicator="kpis")
    assert snapshots.count() == len({(s, e) for _, s, e in long_periods})
    current_snapshot = snapshots.get(period_start=current.start, period_end=current.end)
    assert current_snapshot.pk == replaced.pk
    assert current_snapshot.as_of == data["as_of"]
