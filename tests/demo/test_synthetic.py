"""The synthetic extract: valid, deterministic, and shaped like a service's."""

import csv
from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from cases.extract.framework import specs
from cases.extract.importer import extract_check
from cases.extract.reader import DirectorySource
from cases.models import Child, Outcome
from yjs.dates import age_on
from yjs.demo.synthetic import write_extract


def rows(directory, name):
    with open(directory / name, encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


@pytest.fixture(scope="module")
def extract(tmp_path_factory):
    directory = tmp_path_factory.mktemp("synthetic")
    counts = write_extract(directory, children=400, seed=7, first_year=2018, last_year=2024)
    return directory, counts


def test_it_writes_every_file_of_the_extract(extract):
    directory, counts = extract
    assert sorted(p.name for p in directory.iterdir()) == sorted(s.name for s in specs())
    for name, count in counts.items():
        assert len(rows(directory, name)) == count
        assert count > 0, name


def test_it_is_valid(extract):
    directory, _ = extract
    report = extract_check(DirectorySource(directory))
    assert report.problem_lines() == []


def test_the_same_seed_gives_the_same_files(tmp_path, extract):
    directory, _ = extract
    write_extract(tmp_path / "again", children=400, seed=7, first_year=2018, last_year=2024)
    write_extract(tmp_path / "other", children=400, seed=8, first_year=2018, last_year=2024)
    for name in ("children.csv", "outcomes.csv", "victims.csv", "population.csv"):
        assert (tmp_path / "again" / name).read_bytes() == (directory / name).read_bytes()
    assert (tmp_path / "other" / "children.csv").read_bytes() != (
        directory / "children.csv"
    ).read_bytes()


def test_it_looks_like_a_service(extract):
    directory, _ = extract
    births = {
        r["child_id"]: date.fromisoformat(r["date_of_birth"])
        for r in rows(directory, "children.csv")
    }
    offences = rows(directory, "offences.csv")
    for offence in offences:
        assert (
            10
            <= age_on(births[offence["child_id"]], date.fromisoformat(offence["offence_date"]))
            <= 17
        )
    per_child = Counter(o["child_id"] for o in offences)
    assert sum(1 for n in per_child.values() if n <= 2) > 0.7 * len(births)
    outcomes = rows(directory, "outcomes.csv")
    types = Counter(o["outcome_type"] for o in outcomes)
    for kind in ("outcome_22", "youth_caution", "referral_order", "detention_and_training_order"):
        assert types[kind] > 0, kind
    assert any(o["release_date"] for o in outcomes)
    referrals = rows(directory, "oocd_referrals.csv")
    assert sum(1 for r in referrals if r["outcome_id"]) > 0.5 * len(referrals)
    assert any(";" in v["offence_ids"] for v in rows(directory, "victims.csv"))
    years = {int(r["year"]) for r in rows(directory, "population.csv")}
    assert years == set(range(2018, 2025))


@pytest.mark.django_db
def test_a_generated_extract_imports_with_no_problems(tmp_path):
    write_extract(tmp_path, children=60, seed=3, first_year=2021, last_year=2024)
    out = StringIO()
    call_command("import_extract", str(tmp_path), stdout=out)
    assert Child.objects.count() == 60
    assert Outcome.objects.exists()
