"""A service manager imports a service extract in the browser: upload a zip,
read the preview, commit, see it done (axe-core on every page)."""

import io
import zipfile

import pytest

from cases.models import Child
from tests.browser.conftest import axe_check
from tests.cases.test_extract import EXAMPLE
from yjs.permissions import Role


@pytest.mark.django_db(transaction=True)
def test_a_service_manager_imports_an_extract(
    page, live_server, make_user, sign_in, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = tmp_path / "service-small.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        for path in sorted(EXAMPLE.iterdir()):
            zipped.write(path, f"service-small/{path.name}")
    archive.write_bytes(buffer.getvalue())

    sign_in(page, make_user(Role.SERVICE_MANAGER, username="importer"))
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Import").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Import a service extract"
    axe_check(page)

    # Uploading something that is not a zip shows the error summary.
    bad = tmp_path / "notes.zip"
    bad.write_bytes(b"not a zip")
    page.get_by_label("Zip file of the extract's CSV files").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").is_visible()
    axe_check(page)

    page.get_by_label("Zip file of the extract's CSV files").set_input_files(str(archive))
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_role("heading", name="No problems found").wait_for(timeout=60_000)
    assert page.get_by_role("row", name="children.csv 600").is_visible()
    assert Child.objects.count() == 0
    axe_check(page)

    page.get_by_role("button", name="Import 5312 rows").click()
    page.get_by_role("heading", name="Import complete").wait_for(timeout=120_000)
    assert Child.objects.count() == 600
    axe_check(page)

    page.get_by_role("link", name="Back to imports").click()
    page.wait_for_load_state()
    assert page.get_by_role("cell", name="Imported").first.is_visible()
    axe_check(page)
