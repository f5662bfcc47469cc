"""The access matrix: every URL, every role and anonymous, the status expected.

The list of URLs is read from the URL configuration, so a new URL without an
entry in ACCESS fails ``test_every_url_has_an_entry``: nobody can ship a page
without deciding who may reach it. GET requests only; a page that only takes
POST answers 405 to those allowed (the method is checked after the role).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from yjs.permissions import Role

P, TM, PC, VW, SM, BM, AD = (
    Role.PRACTITIONER.value,
    Role.TEAM_MANAGER.value,
    Role.PANEL_CHAIR.value,
    Role.VICTIM_WORKER.value,
    Role.SERVICE_MANAGER.value,
    Role.BOARD_MEMBER.value,
    Role.ADMINISTRATOR.value,
)
EVERYONE = frozenset({P, TM, PC, VW, SM, BM, AD})
CHILD_READERS = frozenset({P, TM, PC, VW, SM})  # Cap.VIEW_CHILDREN
CASEWORKERS = frozenset({P, TM, SM})  # Cap.EDIT_CHILDREN
MANAGERS = frozenset({TM, SM})
PANEL_REPORT = frozenset({P, TM, PC, VW, SM, BM})
PERFORMANCE = frozenset({TM, SM, BM})
BOARD = frozenset({SM, BM})


@dataclass(frozen=True)
class Access:
    allowed: frozenset[str]
    ok: int = 200
    denied: int = 403
    anonymous: int = 302  # to the sign-in page
    kwargs: object = None  # callable(world) -> dict
    other: dict = field(default_factory=dict)  # role -> status, where it differs
    query: str = ""
    post_only: bool = False  # GET answers 405 to everyone; POST is checked per role

    def expected(self, role: str) -> int:
        if role in self.other:
            return self.other[role]
        return self.ok if role in self.allowed else self.denied


def post_only(allowed, **kw) -> Access:
    """A POST-only action: GET is 405 for every signed-in role; an empty POST
    from a role outside ``allowed`` is 403 (test_post_only_actions_check_the_role)."""
    return Access(allowed, ok=405, denied=405, post_only=True, **kw)


def child(w):
    return {"pk": w["child"].pk}


def child_pk(w):
    return {"child_pk": w["child"].pk}


def child_record(name):
    return lambda w: {"pk": w["child"].pk, "record_pk": w[name].pk}


def child_and(name, **extra):
    return lambda w: {"child_pk": w["child"].pk, "pk": w[name].pk, **extra}


def obj(name):
    return lambda w: {"pk": w[name].pk}


# Child pages: roles that cannot read children are refused (403) before the
# record is looked at; roles that can read but not edit are refused too.
def child_page(allowed=CHILD_READERS, **kw):
    return Access(allowed, **kw)


ACCESS: dict[str, Access] = {
    # Foundation
    "home": Access(EVERYONE),
    "healthz": Access(EVERYONE, anonymous=200),
    "login": Access(EVERYONE, ok=302, anonymous=200),
    "logout": Access(EVERYONE, ok=405),
    "accounts:staff": Access(frozenset({AD})),
    "accounts:staff_create": Access(frozenset({AD})),
    "accounts:staff_edit": Access(frozenset({AD}), kwargs=obj("staff")),
    "accounts:staff_unlock": post_only(frozenset({AD}), kwargs=obj("staff")),
    "audit:search": Access(frozenset({SM, AD})),
    # Casework
    "cases:caseload": Access(CHILD_READERS),
    "cases:caseload_scope": Access(CHILD_READERS, kwargs=lambda w: {"scope": "all"}),
    "cases:caseload_export": Access(MANAGERS, kwargs=lambda w: {"scope": "all"}),
    "cases:child_create": Access(CASEWORKERS),
    "cases:child": child_page(kwargs=child),
    "cases:child_edit": child_page(CASEWORKERS, kwargs=child),
    "cases:child_allocate": child_page(MANAGERS, kwargs=child),
    "cases:offence_create": child_page(CASEWORKERS, kwargs=child),
    "cases:offence_edit": child_page(CASEWORKERS, kwargs=child_record("offence")),
    "cases:outcome_create": child_page(CASEWORKERS, kwargs=child),
    "cases:outcome_edit": child_page(CASEWORKERS, kwargs=child_record("outcome")),
    "cases:assessment_create": child_page(CASEWORKERS, kwargs=child),
    "cases:assessment_edit": child_page(CASEWORKERS, kwargs=child_record("assessment")),
    "cases:plan_item_create": child_page(CASEWORKERS, kwargs=child),
    "cases:plan_item_edit": child_page(CASEWORKERS, kwargs=child_record("plan_item")),
    "cases:contact_create": child_page(CASEWORKERS, kwargs=child),
    "cases:contact_edit": child_page(CASEWORKERS, kwargs=child_record("contact")),
    "cases:note_create": child_page(CASEWORKERS, kwargs=child),
    "cases:note_edit": child_page(CASEWORKERS, kwargs=child_record("note")),
    "cases:programmes": Access(CHILD_READERS),
    "cases:programme_create": Access(frozenset({SM})),
    "cases:programme_edit": Access(
        frozenset({SM}), kwargs=lambda w: {"programme_pk": w["programme"].pk}
    ),
    "cases:child_episodes": child_page(kwargs=child_pk),
    "cases:episode_add": child_page(
        CASEWORKERS, kwargs=lambda w: {"child_pk": w["child"].pk, "kind": "accommodation"}
    ),
    "cases:episode_edit": child_page(
        CASEWORKERS, kwargs=child_and("accommodation", kind="accommodation")
    ),
    "cases:outcome_close": child_page(CASEWORKERS, kwargs=child_and("outcome")),
    "cases:plan_item_close": child_page(CASEWORKERS, kwargs=child_and("plan_item")),
    "cases:victims": Access(frozenset({VW, SM})),
    "cases:victim_add": child_page(frozenset({VW, SM}), kwargs=child_pk),
    "cases:victim_link": child_page(frozenset({VW, SM}), kwargs=child_pk),
    "cases:victim_detail": child_page(kwargs=child_and("victim")),
    "cases:victim_edit": child_page(frozenset({VW, SM}), kwargs=child_and("victim")),
    "cases:subject_access": child_page(MANAGERS, kwargs=child_pk),
    "cases:subject_access_json": child_page(MANAGERS, kwargs=child_pk),
    "cases:subject_access_pdf": child_page(MANAGERS, kwargs=child_pk),
    "cases:import": Access(frozenset({SM})),
    "cases:import_job": Access(frozenset({SM}), kwargs=obj("import_job")),
    "cases:import_job_status": Access(frozenset({SM}), kwargs=obj("import_job")),
    "cases:import_job_commit": post_only(frozenset({SM}), kwargs=obj("import_job")),
    # OOCD panel
    "panels:home": Access(frozenset({PC})),
    "panels:meeting_create": Access(frozenset({PC})),
    "panels:meeting": Access(frozenset({PC}), kwargs=obj("panel_meeting")),
    "panels:agenda_add": post_only(frozenset({PC}), kwargs=obj("panel_meeting")),
    "panels:meeting_sign_off": post_only(frozenset({PC}), kwargs=obj("panel_meeting")),
    "panels:referrals": Access(frozenset({P, TM, PC, SM})),
    "panels:referral_create": Access(frozenset({P, TM, PC, SM})),
    "panels:referral": Access(frozenset({P, TM, PC, SM}), kwargs=obj("referral")),
    "panels:referral_prepare": Access(frozenset({P, TM, PC, SM}), kwargs=obj("referral")),
    "panels:referral_decide": post_only(frozenset({PC}), kwargs=obj("referral")),
    "panels:referral_sign_off": post_only(frozenset({PC}), kwargs=obj("referral")),
    "panels:referral_amend": Access(frozenset({PC}), kwargs=obj("referral")),
    "panels:scrutiny": Access(frozenset({PC, SM})),
    "panels:scrutiny_sample": Access(frozenset({PC, SM}), kwargs=lambda w: {"quarter": "2023Q4"}),
    "panels:scrutiny_verdict": post_only(frozenset({PC, SM}), kwargs=obj("scrutiny_review")),
    "panels:report": Access(PANEL_REPORT),
    # Performance
    "performance:dashboard": Access(PERFORMANCE),
    "performance:refresh": post_only(frozenset({SM})),
    "performance:run_status": Access(PERFORMANCE, kwargs=obj("indicator_run")),
    "performance:drill": Access(
        MANAGERS,
        kwargs=lambda w: {"figure": "fte.count"},
        query="?start=2023-07-01&end=2024-06-30&as_of=2026-01-31",
    ),
    "performance:profile": Access(PERFORMANCE),
    "performance:disproportionality": Access(PERFORMANCE),
    "performance:tracker": Access(MANAGERS),
    "performance:kpi_return": Access(MANAGERS),
    "performance:kpi_return_download": Access(
        MANAGERS, kwargs=lambda w: {"fmt": "csv"}, query="?quarter=2024Q1&as_of=2025-01-31"
    ),
    "performance:completeness": Access(MANAGERS),
    "performance:comparators": Access(frozenset({SM})),
    "performance:population": Access(frozenset({SM})),
    "performance:packs": Access(BOARD),
    "performance:pack_prepare": Access(frozenset({SM}), kwargs=lambda w: {"quarter": "2024Q1"}),
    "performance:pack": Access(BOARD, kwargs=obj("board_pack")),
    "performance:pack_status": Access(BOARD, kwargs=obj("board_pack")),
    "performance:pack_download": Access(BOARD, kwargs=obj("board_pack")),
    # Governance
    "governance:home": Access(BOARD),
    "governance:agency_add": Access(frozenset({SM})),
    "governance:agency_edit": Access(frozenset({SM}), kwargs=obj("agency")),
    "governance:member_add": Access(frozenset({SM})),
    "governance:member_edit": Access(frozenset({SM}), kwargs=obj("board_member")),
    "governance:meeting_add": Access(frozenset({SM})),
    "governance:meeting": Access(BOARD, kwargs=obj("board_meeting")),
    "governance:actions": Access(BOARD),
    "governance:action_add": Access(frozenset({SM})),
    "governance:action_edit": Access(frozenset({SM}), kwargs=obj("action")),
    "governance:priorities": Access(BOARD),
    "governance:priority_add": Access(frozenset({SM})),
    "governance:priority_edit": Access(frozenset({SM}), kwargs=obj("priority")),
    "governance:risk_add": Access(frozenset({SM})),
    "governance:risk_edit": Access(frozenset({SM}), kwargs=obj("risk")),
    "governance:budget": Access(BOARD),
    "governance:budget_add": Access(frozenset({SM})),
}


def url_names(patterns=None, namespace: str = "") -> set[str]:
    names = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_has_an_entry():
    names = url_names()
    missing = sorted(names - ACCESS.keys())
    stale = sorted(ACCESS.keys() - names)
    assert not missing, f"URLs with no access entry: {missing}"
    assert not stale, f"Access entries for URLs that no longer exist: {stale}"


@pytest.fixture
def world(db, users):
    """One of everything a URL can point at (synthetic)."""
    from cases import models as c
    from governance import models as g
    from panels import models as p
    from performance import models as perf

    today = timezone.localdate()
    kid = c.Child.objects.create(
        given_name="Matrix",
        family_name="Testchild",
        date_of_birth=date(2008, 1, 1),
        sex="F",
        ethnicity="white",
        allocated_worker=users[P],
    )
    offence = c.Offence.objects.create(
        child=kid, offence_date=date(2023, 1, 5), category="theft_and_handling", seriousness_score=2
    )
    outcome = c.Outcome.objects.create(
        child=kid,
        outcome_date=date(2023, 2, 1),
        outcome_type="referral_order",
        yjs_intervention=True,
    )
    outcome.offences.set([offence])
    programme = c.Programme.objects.create(name="Matrix programme", category="other")
    victim = c.Victim.objects.create(victim_type="person", consent_to_contact=True)
    victim.offences.set([offence])
    referral_offence = c.Offence.objects.create(
        child=kid, offence_date=date(2024, 1, 5), category="criminal_damage", seriousness_score=2
    )
    referral = p.OocdReferral.objects.create(
        child=kid,
        referral_date=date(2024, 1, 10),
        admission=True,
        panel_date=date(2024, 1, 20),
        decision="community_resolution",
    )
    referral.offences.set([referral_offence])
    sample = p.ScrutinySample.objects.create(quarter="2023Q4", seed="2023Q4", size=1)
    agency = g.Agency.objects.create(name="Matrix police", sector="police")
    return {
        "child": kid,
        "offence": offence,
        "outcome": outcome,
        "programme": programme,
        "victim": victim,
        "assessment": c.Assessment.objects.create(
            child=kid,
            assessment_date=today,
            likelihood_of_reoffending="low",
            risk_of_serious_harm="low",
            safety_and_wellbeing="low",
            intervention_level="standard",
            next_review_due=today + timedelta(days=90),
        ),
        "plan_item": c.PlanItem.objects.create(
            child=kid, programme=programme, planned_start_date=today
        ),
        "contact": c.Contact.objects.create(
            child=kid, contact_date=timezone.now(), contact_type="office", attendance="attended"
        ),
        "note": c.CaseNote.objects.create(child=kid, written_on=today, text="Hi"),
        "accommodation": c.AccommodationEpisode.objects.create(
            child=kid,
            start_date=date(2022, 1, 1),
            accommodation_type="with_parents",
            suitability="suitable",
        ),
        "import_job": c.ImportJob.objects.create(file="imports/none.zip", status="invalid"),
        "staff": users[P],
        "panel_meeting": p.PanelMeeting.objects.create(meeting_date=today, chair=users[PC]),
        "referral": referral,
        "scrutiny_review": p.ScrutinyReview.objects.create(sample=sample, referral=referral),
        "indicator_run": perf.IndicatorRun.objects.create(),
        "board_pack": perf.BoardPack.objects.create(
            quarter="2024Q1", status="done", pdf=b"%PDF-1.4 matrix"
        ),
        "agency": agency,
        "board_member": g.BoardMember.objects.create(
            name="Matrix Member", agency=agency, seniority="senior", start_date=date(2023, 1, 1)
        ),
        "board_meeting": g.BoardMeeting.objects.create(date=date(2024, 5, 1)),
        "action": g.Action.objects.create(
            description="Matrix action", owner="Someone", due_date=today
        ),
        "priority": g.PlanPriority.objects.create(title="Matrix priority", rag="green"),
        "risk": g.Risk.objects.create(description="Matrix risk", likelihood="low", impact="low"),
    }


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_access(name, world, client, users):
    entry = ACCESS[name]
    url = reverse(name, kwargs=entry.kwargs(world) if entry.kwargs else None) + entry.query
    results = {}
    client.logout()
    results["anonymous"] = client.get(url).status_code
    for role in sorted(EVERYONE):
        client.force_login(users[role])
        results[role] = client.get(url).status_code
    expected = {"anonymous": entry.anonymous} | {r: entry.expected(r) for r in sorted(EVERYONE)}
    assert results == expected, f"{name} ({url})"


@pytest.mark.parametrize("name", sorted(n for n, a in ACCESS.items() if a.post_only))
def test_post_only_actions_check_the_role(name, world, client, users):
    """An empty POST from a role that may not act is refused; from one that
    may, it gets past the role check (a form error, a redirect or a 404)."""
    entry = ACCESS[name]
    url = reverse(name, kwargs=entry.kwargs(world) if entry.kwargs else None)
    client.logout()
    assert client.post(url).status_code == 302
    for role in sorted(EVERYONE):
        client.force_login(users[role])
        status = client.post(url).status_code
        if role in entry.allowed:
            assert status != 403, f"{name}: {role} refused"
        else:
            assert status == 403, f"{name}: {role} got {status}"
