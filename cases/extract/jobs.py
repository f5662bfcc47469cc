"""Browser imports (ImportJob): upload, check, preview, commit.

Services for the views and the Celery tasks (cases.tasks). The check and the
import run in tasks; both are idempotent: a task for a job that is no longer
in the state it expects does nothing. Progress goes to the cache as well as
to the job row, because the import runs inside one transaction whose writes
(including the job's own progress) no one else sees until it commits.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from cases.extract.importer import ExtractProblems, extract_check, extract_import
from cases.extract.reader import UnsafeZip, ZipSource
from cases.models import ImportJob
from yjs.queue import QUEUE_DOWN, enqueue_on_commit

logger = logging.getLogger(__name__)

Status = ImportJob.Status
# Problems kept on the job for the preview (the count is always exact).
MAX_PROBLEMS_SHOWN = 5000


def max_upload_bytes() -> int:
    return getattr(settings, "YJS_IMPORT_MAX_UPLOAD_BYTES", 200 * 1024 * 1024)


def zip_source(path) -> ZipSource:
    return ZipSource(
        path,
        max_total_bytes=getattr(settings, "YJS_IMPORT_MAX_UNZIPPED_BYTES", 2 * 1024**3),
    )


def _progress_key(job_id: int) -> str:
    return f"yjs:import-job:{job_id}:progress"


def job_progress(job: ImportJob) -> tuple[int, str]:
    """The latest progress of a running job: from the cache when the task is
    inside its transaction, else from the row."""
    cached = cache.get(_progress_key(job.pk))
    if cached and job.status in (Status.VALIDATING, Status.IMPORTING):
        return cached
    return job.progress, job.stage


def _reporter(job: ImportJob):
    last = {"percent": -1}

    def report(percent: int, stage: str) -> None:
        if percent == last["percent"]:
            return
        last["percent"] = percent
        cache.set(_progress_key(job.pk), (percent, stage), timeout=3600)
        if not connection.in_atomic_block:
            ImportJob.objects.filter(pk=job.pk).update(progress=percent, stage=stage[:200])

    return report


def import_job_create(*, upload, by) -> ImportJob:
    """Store an uploaded zip and queue its check. ``upload`` has been through
    ImportUploadForm (size and zip layout already checked)."""
    job = ImportJob.objects.create(
        created_by=by,
        file=upload,
        original_name=upload.name[:200],
        status=Status.VALIDATING,
        stage="Waiting to start",
    )
    from cases.tasks import import_job_check_task

    def not_queued(exc: Exception) -> None:
        job.refresh_from_db()
        job.problems = [QUEUE_DOWN]
        _finish(job, status=Status.FAILED, stage=QUEUE_DOWN, keep_file=False)

    enqueue_on_commit(import_job_check_task, job.pk, on_failure=not_queued)
    return job


def _finish(job: ImportJob, *, status: str, report=None, stage: str, keep_file: bool) -> None:
    job.status = status
    job.progress = 100
    job.stage = stage[:200]
    if report is not None:
        job.counts = report.counts
        job.problems = report.problem_lines()[:MAX_PROBLEMS_SHOWN]
        if report.problem_count > len(job.problems):
            job.problems.append(f"… and {report.problem_count - len(job.problems):,} more problems")
    if status in (Status.DONE, Status.INVALID, Status.FAILED):
        job.finished_at = timezone.now()
    if not keep_file and job.file:
        # Children's personal data: do not keep the upload once it is no longer needed.
        job.file.delete(save=False)
    job.save()
    cache.delete(_progress_key(job.pk))


def import_job_check(*, job_id: int) -> None:
    job = ImportJob.objects.filter(pk=job_id, status=Status.VALIDATING).first()
    if job is None:
        return
    try:
        report = extract_check(zip_source(job.file.path), progress=_reporter(job))
    except UnsafeZip as error:
        job.problems = [str(error)]
        _finish(job, status=Status.INVALID, stage=str(error), keep_file=False)
        return
    if report.ok:
        _finish(job, status=Status.READY, report=report, stage="Ready to import", keep_file=True)
    else:
        _finish(
            job, status=Status.INVALID, report=report, stage=report.summary_line(), keep_file=False
        )


def import_job_commit(*, job: ImportJob, by) -> bool:
    """Queue the import of a checked job; False when it is not ready."""
    updated = ImportJob.objects.filter(pk=job.pk, status=Status.READY).update(
        status=Status.IMPORTING, progress=0, stage="Waiting to start"
    )
    if not updated:
        return False
    from cases.tasks import import_job_import_task

    def not_queued(exc: Exception) -> None:
        # Nothing was imported: the checked upload is still ready to try again.
        ImportJob.objects.filter(pk=job.pk, status=Status.IMPORTING).update(
            status=Status.READY, progress=0, stage=QUEUE_DOWN[:200]
        )

    enqueue_on_commit(import_job_import_task, job.pk, by.pk if by else None, on_failure=not_queued)
    return True


def import_job_import(*, job_id: int, user_id: int | None) -> None:
    from django.contrib.auth import get_user_model

    job = ImportJob.objects.filter(pk=job_id, status=Status.IMPORTING).first()
    if job is None:
        return
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    name = job.original_name or "an uploaded extract"
    try:
        report = extract_import(
            zip_source(job.file.path),
            by=user,
            progress=_reporter(job),
            summary_prefix=f"Imported {name} (import {job.pk})",
        )
    except ExtractProblems as problems:
        _finish(
            job,
            status=Status.INVALID,
            report=problems.report,
            stage=problems.report.summary_line(),
            keep_file=False,
        )
        return
    except Exception:
        logger.exception("Import job %s failed", job_id)
        _finish(
            job,
            status=Status.FAILED,
            stage="The import stopped with an unexpected error; nothing was imported.",
            keep_file=False,
        )
    _finish(job, status=Status.DONE, report=report, stage="Imported", keep_file=False)
