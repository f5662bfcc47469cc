"""The browser import's tasks in a REAL Celery worker (Redis db 1, PostgreSQL):
the check and the import run in the worker, the job reports its progress, and
the example extract lands whole.

Run with DATABASE_URL=postgres://... and Redis on 127.0.0.1:6379."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.extract import jobs
from cases.models import ImportJob
from tests.cases.test_extract import EXAMPLE, TABLES, data_lines, table_counts
from tests.worker import running_worker

BROKER = "redis://127.0.0.1:6379/1"

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(transactional_db, settings, tmp_path, monkeypatch):
    # The worker is another process: it must find the upload where we store it.
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    monkeypatch.setenv("MEDIA_ROOT", str(media))
    with running_worker(broker_url=BROKER) as log:
        yield log


def watch(job_id: int, until: set[str], timeout: float = 240) -> tuple[ImportJob, list]:
    seen: list[tuple[str, int]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = ImportJob.objects.get(pk=job_id)
        state = (job.status, job.progress)
        if not seen or seen[-1] != state:
            seen.append(state)
        if job.status in until:
            return job, seen
        time.sleep(0.05)
    pytest.fail(f"the import job did not finish; states seen: {seen}")


def test_the_worker_checks_then_imports_the_example(worker, users):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(EXAMPLE.iterdir()):
            archive.write(path, path.name)
    upload = SimpleUploadedFile("example.zip", buffer.getvalue(), "application/zip")
    manager = users["service_manager"]

    job = jobs.import_job_create(upload=upload, by=manager)
    job, seen = watch(job.pk, {"ready", "invalid", "failed"})
    assert job.status == "ready", (job.problems, seen)
    assert job.counts["children.csv"] == 600
    assert sum(table_counts().values()) == 0  # the check writes nothing

    assert jobs.import_job_commit(job=job, by=manager)
    job, seen = watch(job.pk, {"done", "invalid", "failed"})
    assert job.status == "done", (job.stage, seen)
    assert any(status == "importing" for status, _ in seen)  # queued, then the worker took it
    for name in TABLES:
        assert table_counts()[name] == data_lines(EXAMPLE / name), name
