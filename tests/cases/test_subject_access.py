"""Subject access: one child's full record as JSON and PDF (cases.subject_access)."""

import io
import json
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cases.models import AccommodationEpisode, CaseNote, Remand
from cases.services.records import victim_record
from tests.factories import ChildFactory, OffenceFactory, OutcomeFactory
from yjs.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

CONTACT_NAME = "Penelope Syntheticvictim"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def child(users):
    child = ChildFactory(given_name="Zara", family_name="Testaccess", address="1 Synthetic Road")
    offence = OffenceFactory(child=child, description="Took a bicycle")
    OutcomeFactory(child=child, offences=[offence], outcome_date=date(2023, 4, 1))
    AccommodationEpisode.objects.create(
        child=child,
        accommodation_type="with_family",
        suitability="suitable",
        start_date=date(2023, 1, 1),
    )
    Remand.objects.create(child=child, remand_type="bail_supervision", start_date=date(2023, 3, 5))
    CaseNote.objects.create(child=child, written_on=date(2023, 5, 1), text="We met at the park.")
    victim_record(
        child=child,
        offences=[offence],
        values={
            "victim_type": "person",
            "consent_to_contact": True,
            "views": "Would like the bicycle back.",
            "contact_name": CONTACT_NAME,
            "contact_phone": "07700 900999",
        },
        by=users["victim_worker"],
    )
    return child


def test_the_json_export_holds_the_whole_record(client_as, child):
    response = client_as("team_manager").get(reverse("cases:subject_access_json", args=[child.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    data = json.loads(text)
    assert data["child"]["given_name"] == "Zara"
    assert data["child"]["address"] == "1 Synthetic Road"
    assert data["offences"][0]["description"] == "Took a bicycle"
    assert data["outcomes"][0]["outcome_type_label"] == "Referral order"
    assert data["accommodation"][0]["accommodation_type"] == "with_family"
    assert data["remands"][0]["start_date"] == "2023-03-05"
    assert data["notes"][0]["text"] == "We met at the park."
    assert data["victims"][0]["views"] == "Would like the bicycle back."
    for key in ("care_statuses", "ete", "send", "health_needs", "assessments", "plan_items"):
        assert data[key] == []
    assert "oocd_referrals" in data
    # Victims' personal contact details never leave the service.
    assert CONTACT_NAME not in text and "07700 900999" not in text
    assert "contact_name" not in text
    event = AuditEvent.objects.get(action="export", child_id=child.pk)
    assert "JSON" in event.summary


def test_the_pdf_export_has_the_name_sections_and_page_numbers(client_as, child):
    response = client_as("service_manager").get(
        reverse("cases:subject_access_pdf", args=[child.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Zara Testaccess" in text
    for heading in ("Identity", "Offences", "Outcomes", "Accommodation", "Remands", "Case notes"):
        assert heading in text
    assert "Victims (without their names or contact details)" in text
    assert "Would like the bicycle back." in text
    assert f"Page 1 of {len(reader.pages)}" in text
    assert CONTACT_NAME not in text
    assert reader.pages[0].mediabox.width == pytest.approx(595, abs=1)  # A4
    assert AuditEvent.objects.filter(action="export", child_id=child.pk).count() == 1


def test_the_export_page(client_as, child):
    html = client_as("team_manager").get(reverse("cases:subject_access", args=[child.pk]))
    assert html.status_code == 200
    assert "Download the record as a PDF" in html.content.decode()


@pytest.mark.parametrize("role", ["practitioner", "victim_worker", "board_member", "panel_chair"])
def test_only_managers_export(client_as, child, role):
    client = client_as(role)
    for name in ("subject_access", "subject_access_json", "subject_access_pdf"):
        assert client.get(reverse(f"cases:{name}", args=[child.pk])).status_code == 403
    assert not AuditEvent.objects.filter(action="export").exists()


def test_export_of_a_missing_child_is_not_found(client_as):
    url = reverse("cases:subject_access_json", args=[999999])
    assert client_as("team_manager").get(url).status_code == 404
