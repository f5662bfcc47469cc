"""Comparators: the CSV upload is validated row by row, all or nothing, and
the figures appear beside ours with a RAG status."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from performance import services
from performance.models import Comparator
from performance.selectors import rag_status

pytestmark = pytest.mark.django_db

HEADER = "indicator,period_start,period_end,group,group_name,value,source\n"
GOOD = (
    HEADER
    + "fte_rate_per_100k,2025-01-01,2025-12-31,england,England,151.2,YJB statistics 2025\n"
    + "fte_rate_per_100k,2025-01-01,2025-12-31,yjs_family,Family 4,160,YJB statistics 2025\n"
    + "custody_rate_per_1000,2025-01-01,2025-12-31,region,North West,0.09,YJB statistics 2025\n"
)


def upload(client, text: str, name: str = "comparators.csv"):
    return client.post(
        reverse("performance:comparators"),
        {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")},
    )


def test_a_good_file_is_saved(client_as):
    client = client_as("service_manager")
    response = upload(client, GOOD)
    assert response.status_code == 302
    assert Comparator.objects.count() == 3
    england = Comparator.objects.get(group="england")
    assert england.value == Decimal("151.20")
    assert england.period_end == date(2025, 12, 31)
    page = client.get(reverse("performance:comparators")).content.decode()
    assert "3 added, 0 replaced" in page
    assert "Family 4" in page


def test_upload_again_replaces_not_duplicates(client_as):
    client = client_as("service_manager")
    upload(client, GOOD)
    upload(client, GOOD.replace("151.2", "149.9"))
    assert Comparator.objects.count() == 3
    assert Comparator.objects.get(group="england").value == Decimal("149.90")


def test_one_bad_row_saves_nothing_and_says_which_rows(client_as):
    client = client_as("service_manager")
    bad = (
        GOOD
        + "not_an_indicator,2025-01-01,2025-12-31,england,England,1,x\n"
        + "fte_rate_per_100k,2025-31-01,2025-12-31,mars,,abc,x\n"
        + "fte_rate_per_100k,2025-12-31,2025-01-01,region,,-3,x\n"
        + "fte_rate_per_100k,2025-01-01,2025-12-31,england,England,150,repeat\n"
    )
    response = upload(client, bad)
    assert response.status_code == 400
    assert Comparator.objects.count() == 0
    html = response.content.decode()
    assert "nothing was saved" in html
    assert "Row 5: indicator: &#x27;not_an_indicator&#x27; is not a known indicator" in html
    assert "Row 6: period_start: &#x27;2025-31-01&#x27; is not a date like 2024-06-30" in html
    assert "Row 6: group: &#x27;mars&#x27; is not one of" in html
    assert "Row 6: value: &#x27;abc&#x27; is not a number" in html
    assert "Row 7: period_end: the period ends before it starts" in html
    assert "Row 7: value: must not be negative" in html
    assert "Row 8: repeats row 2" in html


def test_missing_columns_are_reported():
    rows, problems = services.comparators_validate(text="indicator,value\nfte_rate_per_100k,3\n")
    assert rows == []
    assert problems == [
        "Row 1: the header is missing period_start, period_end, group, group_name, source"
    ]


def test_not_a_csv_file(client_as):
    response = upload(client_as("service_manager"), GOOD, name="comparators.xlsx")
    assert response.status_code == 200
    assert "The file must be a CSV file" in response.content.decode()
    assert Comparator.objects.count() == 0


@pytest.mark.parametrize("role", ["board_member", "team_manager", "practitioner"])
def test_only_managers_may_upload(client_as, role):
    client = client_as(role)
    assert client.get(reverse("performance:comparators")).status_code == 403
    assert upload(client, GOOD).status_code == 403
    assert Comparator.objects.count() == 0


@pytest.mark.parametrize(
    ("value", "england", "good", "expected"),
    [
        (100, 100, "lower", "green"),
        (90, 100, "lower", "green"),
        (105, 100, "lower", "amber"),
        (105.01, 100, "lower", "red"),
        (96, 100, "higher", "amber"),
        (94, 100, "higher", "red"),
        (101, 100, "higher", "green"),
        (None, 100, "higher", "grey"),
        (50, None, "lower", "grey"),
        (50, 40, None, "grey"),
        (1, 0, "lower", "red"),
    ],
)
def test_rag_rule(value, england, good, expected):
    assert rag_status(value, england, good) == expected
