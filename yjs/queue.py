"""Queueing Celery tasks once the current transaction commits.

A task queued for a row the user is waiting on (an import, a board pack, an
indicator run) must never leave that row waiting for ever when the broker is
down: ``enqueue_on_commit`` calls ``on_failure`` with the error so the row can
say what went wrong, and the request that asked for it still succeeds."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

logger = logging.getLogger(__name__)

QUEUE_DOWN = (
    "The task queue could not be reached, so this did not start. "
    "Try again later, or ask the administrator to check the worker and Redis."
)


def enqueue(task, *args, on_failure: Callable[[Exception], None], **kwargs) -> bool:
    """Send ``task`` now; on a broker error log it, call ``on_failure`` and
    return False. (Eagerly, the task runs here and its own errors propagate.)"""
    try:
        task.delay(*args, **kwargs)
    except Exception as exc:
        if task.app.conf.task_always_eager:
            raise
        logger.exception("Could not queue %s%s", task.name, args)
        on_failure(exc)
        return False
    return True


def enqueue_on_commit(task, *args, on_failure: Callable[[Exception], None], **kwargs) -> None:
    transaction.on_commit(lambda: enqueue(task, *args, on_failure=on_failure, **kwargs))
