"""The browser import: upload a zip, preview, commit, result (Cap.IMPORT_EXTRACT)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Child, ImportJob
from tests.cases.test_extract import EXAMPLE, TABLES, data_lines, table_counts
from yjs.audit.models import AuditEvent


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def zip_of(files: dict[str, bytes], *, folder: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(f"{folder}{name}", data)
    return buffer.getvalue()


def example_zip(**changes) -> bytes:
    files = {p.name: p.read_bytes() for p in EXAMPLE.iterdir()}
    files.update(changes)
    return zip_of(files, folder="service-small/")


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the tasks queued with transaction.on_commit (eager Celery) as a
    real request would once its transaction commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def upload(client, data: bytes, name="extract.zip", on_commit=None):
    post = lambda: client.post(  # noqa: E731
        reverse("cases:import"),
        {"file": SimpleUploadedFile(name, data, content_type="application/zip")},
    )
    if on_commit is None:
        return post()
    with on_commit():
        return post()


@pytest.mark.django_db
def test_a_service_manager_uploads_previews_and_commits(client_as, users, on_commit):
    client = client_as("service_manager")
    assert client.get(reverse("cases:import")).status_code == 200
    response = upload(client, example_zip(), on_commit=on_commit)
    job = ImportJob.objects.get()
    assert response.url == reverse("cases:import_job", args=[job.pk])
    # The check ran (eagerly): a preview with the rows of each file, nothing written.
    assert job.status == ImportJob.Status.READY
    assert job.counts["children.csv"] == 600
    assert Child.objects.count() == 0
    page = client.get(response.url).content.decode()
    assert "No problems found" in page and "children.csv" in page
    with on_commit():
        response = client.post(reverse("cases:import_job_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.finished_at
    for name in TABLES:
        assert table_counts()[name] == data_lines(EXAMPLE / name), name
    assert "Import complete" in client.get(response.url).content.decode()
    event = AuditEvent.objects.get(action="import")
    assert event.user == users["service_manager"]
    assert not job.file  # the upload is not kept once imported
    # A second commit of the same job does nothing.
    with on_commit():
        client.post(reverse("cases:import_job_commit", args=[job.pk]))
    assert AuditEvent.objects.filter(action="import").count() == 1


@pytest.mark.django_db
def test_the_status_fragment_polls_only_while_running(client_as, on_commit):
    client = client_as("service_manager")
    upload(client, example_zip(), on_commit=on_commit)
    job = ImportJob.objects.get()
    fragment = client.get(reverse("cases:import_job_status", args=[job.pk])).content.decode()
    assert "hx-get" not in fragment
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.IMPORTING, progress=40)
    fragment = client.get(reverse("cases:import_job_status", args=[job.pk])).content.decode()
    assert "hx-get" in fragment and "40% done" in fragment


@pytest.mark.django_db
def test_problems_are_shown_and_nothing_can_be_committed(client_as, on_commit):
    client = client_as("service_manager")
    children = (EXAMPLE / "children.csv").read_bytes().replace(b",F,white,", b",X,white,", 1)
    upload(client, example_zip(**{"children.csv": children}), on_commit=on_commit)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.INVALID
    assert job.problems == ["children.csv:2: sex: 'X' is not one of: F, M"]
    page = client.get(reverse("cases:import_job", args=[job.pk])).content.decode()
    assert "children.csv:2: sex: &#x27;X&#x27; is not one of: F, M" in page
    with on_commit():
        client.post(reverse("cases:import_job_commit", args=[job.pk]))
    assert sum(table_counts().values()) == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, message",
    [
        (b"not a zip", "The file is not a zip file."),
        (zip_of({"children.csv": b"x", "notes.txt": b"x"}), "only .csv files"),
        (zip_of({"a/b/children.csv": b"x"}), "not in sub-folders"),
        (zip_of({"a/children.csv": b"x", "b/offences.csv": b"x"}), "same folder"),
        (zip_of({"children.csv": b"0" * 5_000_000}), "compressed too much"),
        (zip_of({"../children.csv": b"x"}), "unsafe name"),
    ],
)
def test_unsafe_or_wrong_zips_are_refused(client_as, data, message):
    response = upload(client_as("service_manager"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_a_large_upload_is_refused(client_as, settings):
    settings.YJS_IMPORT_MAX_UPLOAD_BYTES = 1000
    response = upload(client_as("service_manager"), example_zip())
    assert "must be smaller than" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["practitioner", "team_manager", "board_member", "administrator"])
def test_only_those_who_may_import_can(client_as, role):
    client = client_as(role)
    assert client.get(reverse("cases:import")).status_code == 403
    assert upload(client, example_zip()).status_code == 403
