"""Celery tasks of cases: thin and idempotent (style.md): they take ids and
call a service (cases.extract.jobs, cases.retention)."""

from datetime import date

from celery import shared_task

from cases.extract import jobs
from cases.retention import retention_apply


@shared_task
def import_job_check_task(job_id: int) -> None:
    jobs.import_job_check(job_id=job_id)


@shared_task
def import_job_import_task(job_id: int, user_id: int | None = None) -> None:
    jobs.import_job_import(job_id=job_id, user_id=user_id)


@shared_task(name="cases.tasks.retention_apply")
def retention_apply_task(today: str | None = None) -> dict:
    """The data-retention rule (cases.retention), from Celery beat; ``today``
    as YYYY-MM-DD for a rerun of a missed day. Returns the counts."""
    report = retention_apply(today=date.fromisoformat(today) if today else None)
    return report.counts
