"""The audit walk: every page that shows or changes a child's data, opened by
a role allowed to, leaves an audit row (yjs.audit) naming the child.

The URLs come from the URL configuration and the access matrix
(tests/test_access_matrix.py: its ACCESS table and ``world`` fixture), so a
new URL that nobody has classified here fails ``test_every_url_is_classified``.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import test_access_matrix as matrix
from yjs.audit.models import AuditEvent

SM, PC = matrix.SM, matrix.PC

# The access matrix's objects (a child with one of everything under it).
world = matrix.world

# Pages of one child's record (the child is in the URL, or in the object it
# names): a GET by an allowed role writes a row with that child's id.
CHILD_PAGES: dict[str, str] = dict.fromkeys(
    (
        "cases:child",
        "cases:child_edit",
        "cases:child_allocate",
        "cases:offence_create",
        "cases:offence_edit",
        "cases:outcome_create",
        "cases:outcome_edit",
        "cases:assessment_create",
        "cases:assessment_edit",
        "cases:plan_item_create",
        "cases:plan_item_edit",
        "cases:contact_create",
        "cases:contact_edit",
        "cases:note_create",
        "cases:note_edit",
        "cases:child_episodes",
        "cases:episode_add",
        "cases:episode_edit",
        "cases:outcome_close",
        "cases:plan_item_close",
        "cases:victim_add",
        "cases:victim_link",
        "cases:victim_detail",
        "cases:victim_edit",
        "cases:subject_access",
        "cases:subject_access_json",
        "cases:subject_access_pdf",
        "panels:referral",
        "panels:referral_prepare",
        "panels:referral_amend",
        "panels:meeting",  # the agenda: every child on it
    ),
    "",
) | {"panels:referral_create": "?child={child}"}  # step 2: the chosen child

# Lists that name children: a GET writes a row for the request (one row for
# the list, not one per child listed).
CHILD_LISTS = {
    "cases:caseload",
    "cases:caseload_scope",
    "cases:caseload_export",
    "cases:victims",
    "panels:home",
    "panels:referrals",
    "panels:scrutiny_sample",
    "performance:drill",
    "performance:tracker",
    "performance:completeness",
}

# Changes to a child's data that only take POST (tested below where marked).
CHILD_ACTIONS = {
    "panels:agenda_add",
    "panels:meeting_sign_off",
    "panels:referral_decide",
    "panels:referral_sign_off",
    "panels:scrutiny_verdict",
}

# Creating a child: no child in the URL yet (a POST is tested below).
CHILD_CREATE = {"cases:child_create"}

# Pages with no child's data: figures only, staff, programmes, governance,
# the import (its report names files and rows), the audit log itself.
NOT_CHILD_DATA = {
    "home",
    "healthz",
    "login",
    "logout",
    "accounts:staff",
    "accounts:staff_create",
    "accounts:staff_edit",
    "accounts:staff_unlock",
    "audit:search",
    "cases:programmes",
    "cases:programme_create",
    "cases:programme_edit",
    "cases:import",
    "cases:import_job",
    "cases:import_job_status",
    "cases:import_job_commit",
    "panels:meeting_create",
    "panels:scrutiny",
    "panels:report",
    "performance:dashboard",
    "performance:refresh",
    "performance:run_status",
    "performance:profile",
    "performance:disproportionality",
    "performance:kpi_return",
    "performance:kpi_return_download",
    "performance:comparators",
    "performance:population",
    "performance:packs",
    "performance:pack_prepare",
    "performance:pack",
    "performance:pack_status",
    "performance:pack_download",
    "governance:home",
    "governance:agency_add",
    "governance:agency_edit",
    "governance:member_add",
    "governance:member_edit",
    "governance:meeting_add",
    "governance:meeting",
    "governance:actions",
    "governance:action_add",
    "governance:action_edit",
    "governance:priorities",
    "governance:priority_add",
    "governance:priority_edit",
    "governance:risk_add",
    "governance:risk_edit",
    "governance:budget",
    "governance:budget_add",
}

GROUPS = [set(CHILD_PAGES), CHILD_LISTS, CHILD_ACTIONS, CHILD_CREATE, NOT_CHILD_DATA]


def test_every_url_is_classified():
    names = matrix.url_names()
    seen = [name for group in GROUPS for name in group]
    assert len(seen) == len(set(seen)), "a URL is in two groups"
    missing = sorted(names - set(seen))
    stale = sorted(set(seen) - names)
    assert not missing, f"URLs not classified as child data or not: {missing}"
    assert not stale, f"classified URLs that no longer exist: {stale}"


def allowed_role(name: str) -> str:
    """A role that may open the page: the service manager where it may."""
    allowed = matrix.ACCESS[name].allowed
    return SM if SM in allowed else sorted(allowed)[0]


def url_of(name: str, w: dict, query: str = "") -> str:
    entry = matrix.ACCESS[name]
    url = reverse(name, kwargs=entry.kwargs(w) if entry.kwargs else None)
    return url + (query or entry.query)


@pytest.fixture
def walk(world):
    """The matrix's world with its referral on the meeting's agenda, decided
    in the service (not imported) so that it waits for sign-off."""
    world["referral"].meeting = world["panel_meeting"]
    world["referral"].decided_at = timezone.now()
    world["referral"].save(update_fields=["meeting", "decided_at"])
    return world


def rows_for(user, url: str):
    return AuditEvent.objects.filter(user=user, path=url)


@pytest.mark.parametrize("name", sorted(CHILD_PAGES))
def test_child_page_audits_the_child(name, walk, client, users):
    user = users[allowed_role(name)]
    url = url_of(name, walk, CHILD_PAGES[name].format(child=walk["child"].pk))
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, (name, response.status_code)
    children = set(rows_for(user, url).values_list("child_id", flat=True))
    assert walk["child"].pk in children, f"{name}: no audit row names the child ({children})"


@pytest.mark.parametrize("name", sorted(CHILD_LISTS))
def test_child_list_is_audited(name, walk, client, users):
    user = users[allowed_role(name)]
    url = url_of(name, walk)
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, (name, response.status_code)
    assert rows_for(user, url).filter(action__in=["view", "export"]).exists(), name


def _today() -> str:
    return date.today().isoformat()


# Valid POSTs of the main change forms: (data, the role posting).
POSTS = {
    "cases:child_create": lambda w: {
        "given_name": "Walk",
        "family_name": "Testchild",
        "date_of_birth": "2010-02-03",
        "sex": "F",
        "ethnicity": "white",
    },
    "cases:child_edit": lambda w: {
        "version": w["child"].version,
        "given_name": "Walked",
        "family_name": "Testchild",
        "date_of_birth": "2008-01-01",
        "sex": "F",
        "ethnicity": "white",
    },
    "cases:offence_create": lambda w: {
        "offence_date": "2024-03-01",
        "category": "robbery",
        "seriousness_score": "5",
    },
    "cases:note_create": lambda w: {"written_on": _today(), "text": "I met you today."},
    "cases:episode_add": lambda w: {
        "accommodation_type": "with_parents",
        "suitability": "suitable",
        "primary_residence": "on",
        "start_date": "2024-01-01",
    },
    "cases:outcome_close": lambda w: {
        "version": w["outcome"].version,
        "end_date": "2024-01-31",
        "successfully_completed": "Y",
        "save": "1",
    },
    "panels:referral_prepare": lambda w: {
        "version": w["referral"].version,
        "assessment_date": "2024-01-15",
        "child_voice": "I am sorry.",
    },
    "panels:referral_sign_off": lambda w: {},
}


@pytest.mark.parametrize("name", sorted(POSTS))
def test_change_is_audited(name, walk, client, users):
    user = users[allowed_role(name)]
    url = url_of(name, walk)
    client.force_login(user)
    response = client.post(url, POSTS[name](walk))
    assert response.status_code == 302, (name, response.status_code)
    rows = rows_for(user, url).filter(action__in=["create", "update"])
    if name == "cases:child_create":
        from cases.models import Child

        created = Child.objects.get(given_name="Walk")
        assert rows.filter(child_id=created.pk).exists(), name
    else:
        assert rows.filter(child_id=walk["child"].pk).exists(), f"{name}: change not audited"
