"""Celery tasks of the performance app: thin and idempotent (style.md, 6).

``indicators_nightly`` is scheduled by Celery beat (settings.CELERY_BEAT_SCHEDULE);
``indicators_refresh`` is what a manager's "Recalculate now" queues. Both call
``performance.services.indicator_run_execute``, which replaces each snapshot in
one transaction, so running either twice is harmless. With acks_late and
reject_on_worker_lost (settings) a worker killed half-way leaves the previous
snapshots in place and the message is delivered again.
"""

from __future__ import annotations

from datetime import date

from celery import shared_task

from performance import services


def _periods(periods: list | None) -> list[services.Wanted] | None:
    if periods is None:
        return None
    return [
        (ind, date.fromisoformat(start), date.fromisoformat(end)) for ind, start, end in periods
    ]


@shared_task(name="performance.tasks.indicators_nightly")
def indicators_nightly(as_of: str | None = None) -> int:
    run = services.indicator_run_execute(
        as_of=date.fromisoformat(as_of) if as_of else None, trigger="nightly"
    )
    return run.pk


@shared_task(name="performance.tasks.indicators_refresh")
def indicators_refresh(
    run_id: int | None = None, as_of: str | None = None, periods: list | None = None
) -> int:
    """``periods``: optional ``[[indicator, "YYYY-MM-DD", "YYYY-MM-DD"], ...]``
    (default: the current reporting periods)."""
    run = services.indicator_run_execute(
        run_id=run_id,
        as_of=date.fromisoformat(as_of) if as_of else None,
        periods=_periods(periods),
        trigger="manual",
    )
    return run.pk
