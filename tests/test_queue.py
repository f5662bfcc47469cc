"""When the broker cannot take a task, the row the user is waiting on says so
(board pack, indicator run, browser import) instead of waiting for ever, and
the request that asked for it still answers. The broker here is a real Redis
URL on a port where nothing listens."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.extract import jobs
from cases.models import ImportJob
from performance import board_pack, services
from performance.models import BoardPack, IndicatorRun
from tests.worker import reset_connections
from yjs.celery import app
from yjs.queue import QUEUE_DOWN

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down():
    saved = {
        k: app.conf[k]
        for k in (
            "broker_url",
            "task_always_eager",
            "task_publish_retry",
            "broker_connection_timeout",
            "broker_connection_retry",
        )
    }
    app.conf.update(
        broker_url="redis://127.0.0.1:1/0",
        task_always_eager=False,
        task_publish_retry=False,
        broker_connection_timeout=1,
        broker_connection_retry=False,
    )
    reset_connections(app)
    yield
    app.conf.update(saved)
    reset_connections(app)


def test_a_board_pack_that_cannot_be_queued_fails_with_the_reason(
    broker_down, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pack = board_pack.board_pack_request(
            quarter="2024Q1", by=users["service_manager"], as_of=date(2024, 7, 31)
        )
    pack.refresh_from_db()
    assert pack.status == BoardPack.Status.FAILED
    assert pack.error == QUEUE_DOWN
    assert pack.pdf is None


def test_an_indicator_run_that_cannot_be_queued_fails_with_the_reason(
    broker_down, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.indicator_run_request(user=users["service_manager"])
    run.refresh_from_db()
    assert run.status == IndicatorRun.Status.FAILED
    assert run.error == QUEUE_DOWN


def test_an_import_that_cannot_be_queued_can_be_tried_again(
    broker_down, users, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("extract.zip", b"PK\x05\x06" + b"\0" * 18)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.import_job_create(upload=upload, by=users["service_manager"])
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.problems == [QUEUE_DOWN]
    assert not job.file  # the upload is not kept

    ready = ImportJob.objects.create(
        created_by=users["service_manager"],
        file=SimpleUploadedFile("extract.zip", b"PK\x05\x06" + b"\0" * 18),
        status=ImportJob.Status.READY,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.import_job_commit(job=ready, by=users["service_manager"])
    ready.refresh_from_db()
    assert ready.status == ImportJob.Status.READY
    assert ready.stage == QUEUE_DOWN[:200]
