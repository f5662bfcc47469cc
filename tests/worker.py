"""A real Celery worker for tests marked ``worker``: ``celery -A yjs worker
--pool=solo`` as a subprocess on the test database (PostgreSQL only: the
worker is another process and must see the test's committed rows) and a Redis
broker, with this process's Celery app pointed at the same broker."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def database_url() -> str:
    s = connection.settings_dict
    user = s.get("USER") or "postgres"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{s['NAME']}"


def reset_connections(app) -> None:
    """Forget pooled broker connections made under the previous broker URL
    (earlier eager tests in the same session may have built them)."""
    # kombu keeps connection and producer pools in process-wide registries
    # keyed by broker URL: closing one pool without clearing the registry
    # leaves a closed pool for the next caller ("Acquire on closed pool").
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    # Routes are cached on first use; forget them so task_routes applies.
    app.amqp._rtable = None
    app.amqp.__dict__.pop("router", None)


@contextlib.contextmanager
def running_worker(*, broker_url: str, timeout: float = 60):
    """Start a worker, wait until it is ready, yield its log path, stop it."""
    if connection.vendor != "postgresql":
        pytest.skip("a real worker needs PostgreSQL (set DATABASE_URL)")
    # The worker sees only committed rows: no transaction may be open here.
    assert not connection.in_atomic_block, "a transaction is open: the worker cannot see its rows"
    from yjs.celery import app

    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DJANGO_SETTINGS_MODULE": "yjs.settings",
        "LOG_LEVEL": "INFO",
    }
    # A queue of our own: another run of the same tests at the same time (same
    # Redis database, another test database) must not take our messages.
    queue = f"yjs-test-{uuid.uuid4().hex[:12]}"
    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager", "task_routes")}
    app.conf.update(
        broker_url=broker_url, task_always_eager=False, task_routes={"*": {"queue": queue}}
    )
    reset_connections(app)
    with tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False) as log:
        log_path = Path(log.name)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "yjs",
            "worker",
            "--pool=solo",
            f"--queues={queue}",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--logfile={log_path}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + timeout
        while "ready." not in log_path.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the Celery worker did not start:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.2)
        yield log_path
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        app.conf.update(saved)
        reset_connections(app)
        connection.close()
