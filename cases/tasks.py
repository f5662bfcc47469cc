"""Celery tasks of cases: thin and idempotent (style.md): they take ids and
call a service (cases.extract.jobs)."""

from celery import shared_task

from cases.extract import jobs


@shared_task
def import_job_check_task(job_id: int) -> None:
    jobs.import_job_check(job_id=job_id)


@shared_task
def import_job_import_task(job_id: int, user_id: int | None = None) -> None:
    jobs.import_job_import(job_id=job_id, user_id=user_id)
