"""The service extract: the example loads whole, round trips byte for byte,
and a re-import updates rather than duplicates (interchange.md)."""

import csv
import filecmp
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from cases import models
from cases.extract.exporter import extract_export
from cases.extract.importer import extract_import
from cases.extract.reader import DirectorySource
from panels.models import OocdReferral
from performance.models import Population
from tests.paths import EXAMPLE
from yjs.audit.models import AuditEvent

TABLES = {
    "children.csv": models.Child,
    "offences.csv": models.Offence,
    "outcomes.csv": models.Outcome,
    "remands.csv": models.Remand,
    "oocd_referrals.csv": OocdReferral,
    "population.csv": Population,
    "accommodation.csv": models.AccommodationEpisode,
    "ete.csv": models.EteEpisode,
    "care_statuses.csv": models.CareStatus,
    "send.csv": models.SendEpisode,
    "health.csv": models.HealthNeed,
    "victims.csv": models.Victim,
}


def csv_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def data_lines(path: Path) -> int:
    with open(path, encoding="utf-8") as stream:
        return sum(1 for line in stream if line.strip()) - 1


def table_counts() -> dict[str, int]:
    return {name: model.objects.count() for name, model in TABLES.items()}


def run_import(directory) -> str:
    out = StringIO()
    call_command("import_extract", str(directory), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_example_loads_every_row():
    output = run_import(EXAMPLE)
    for name in TABLES:
        assert table_counts()[name] == data_lines(EXAMPLE / name), name
    links = sum(len(r["offence_ids"].split(";")) for r in csv_rows(EXAMPLE / "outcomes.csv"))
    assert models.OutcomeOffence.objects.count() == links
    victim_links = sum(len(r["offence_ids"].split(";")) for r in csv_rows(EXAMPLE / "victims.csv"))
    assert models.Victim.offences.through.objects.count() == victim_links
    assert "children.csv: 600 rows" in output
    assert AuditEvent.objects.filter(action="import").count() == 1


@pytest.mark.django_db
def test_the_example_keeps_every_value():
    run_import(EXAMPLE)
    first = csv_rows(EXAMPLE / "outcomes.csv")[0]
    outcome = models.Outcome.objects.get(source_id=first["outcome_id"])
    assert outcome.outcome_date.isoformat() == first["outcome_date"]
    assert outcome.tier == "pre_court"
    assert outcome.child.source_id == first["child_id"]
    # Defaults of interchange.md: yjs_intervention Y for conditional cautions
    # and court sentences when blank, N otherwise.
    for row in csv_rows(EXAMPLE / "outcomes.csv"):
        if row["yjs_intervention"] == "":
            o = models.Outcome.objects.get(source_id=row["outcome_id"])
            expected = row["outcome_type"] == "youth_conditional_caution" or o.tier in {
                "first_tier",
                "community",
                "custody",
            }
            assert o.yjs_intervention is expected
    referral = csv_rows(EXAMPLE / "oocd_referrals.csv")[0]
    r = OocdReferral.objects.get(source_id=referral["referral_id"])
    assert r.outcome.source_id == referral["outcome_id"]
    assert sorted(o.source_id for o in r.offences.all()) == sorted(
        referral["offence_ids"].split(";")
    )


@pytest.mark.django_db
def test_a_reimport_updates_rather_than_duplicates():
    run_import(EXAMPLE)
    before = table_counts()
    child = models.Child.objects.get(source_id="C000001")
    run_import(EXAMPLE)
    assert table_counts() == before
    child.refresh_from_db()
    assert child.version == 2  # updated in place
    assert models.OutcomeOffence.objects.count() == sum(
        len(r["offence_ids"].split(";")) for r in csv_rows(EXAMPLE / "outcomes.csv")
    )


@pytest.mark.django_db
def test_export_import_export_is_byte_identical(tmp_path):
    run_import(EXAMPLE)
    first = tmp_path / "first"
    extract_export(first)
    # A fresh, empty database: delete everything the first import wrote.
    for model in TABLES.values():
        model.objects.all().delete()
    assert sum(table_counts().values()) == 0
    run_import(first)
    second = tmp_path / "second"
    extract_export(second)
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(TABLES)
    match, mismatch, errors = filecmp.cmpfiles(first, second, names, shallow=False)
    assert mismatch == [] and errors == []


@pytest.mark.django_db
def test_the_export_matches_the_example_modulo_formatting(tmp_path):
    run_import(EXAMPLE)
    extract_export(tmp_path)
    for name in TABLES:
        assert csv_rows(tmp_path / name)[0].keys() == csv_rows(EXAMPLE / name)[0].keys()
    assert (tmp_path / "children.csv").read_bytes() == (EXAMPLE / "children.csv").read_bytes()
    assert (tmp_path / "offences.csv").read_bytes() == (EXAMPLE / "offences.csv").read_bytes()


@pytest.mark.django_db
def test_records_created_in_the_application_get_a_stable_id(tmp_path):
    from tests.factories import ChildFactory, OffenceFactory

    run_import(EXAMPLE)
    child = ChildFactory(source_id=None)
    OffenceFactory(child=child, source_id=None)
    before = table_counts()
    extract_export(tmp_path / "a")
    child.refresh_from_db()
    assert child.source_id == f"YJS-C{child.pk}"
    report = extract_import(DirectorySource(tmp_path / "a"))
    assert report.imported
    assert table_counts() == before
    extract_export(tmp_path / "b")
    assert (tmp_path / "a" / "children.csv").read_bytes() == (
        tmp_path / "b" / "children.csv"
    ).read_bytes()


@pytest.mark.django_db
def test_the_export_command_writes_every_file_and_says_so(tmp_path):
    run_import(EXAMPLE)
    out = StringIO()
    call_command("export_extract", str(tmp_path / "out"), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "children.csv: 600 rows"
    assert lines[-1] == f"Exported {sum(table_counts().values())} rows to {tmp_path / 'out'}."
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(TABLES)
    assert AuditEvent.objects.filter(action="export").count() == 1


def test_a_zip_with_the_files_at_its_top_level_is_read(tmp_path):
    import zipfile

    from cases.extract.reader import ZipSource

    path = tmp_path / "extract.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ("children.csv", "offences.csv", "outcomes.csv"):
            archive.write(EXAMPLE / name, name)
    source = ZipSource(path)
    assert source.names() == {"children.csv", "offences.csv", "outcomes.csv"}
    with source.open("children.csv") as stream:
        assert stream.read() == (EXAMPLE / "children.csv").read_bytes()
