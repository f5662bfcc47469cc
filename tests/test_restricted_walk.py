"""A restricted child, walked through every URL that points at the child or
at anything recorded under it (read from the access matrix, so a new child URL
is walked too): staff who may read children but may not open restricted
records, and are not the allocated worker, get "not found" for every such URL,
by GET and by POST, however they came by the ids; the allocated worker and the
managers get what the matrix says. Lists never name the child to them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import test_access_matrix as matrix
from tests.test_access_matrix import ACCESS, EVERYONE, PC, SM, TM, VW, P
from yjs.permissions import Cap, Role, has_capability

world = matrix.world  # the fixture: one of everything a URL can point at

# World entries that belong to the child: a URL reached through any of them
# shows or changes the child's record.
CHILD_OBJECTS = {
    "child",
    "offence",
    "outcome",
    "assessment",
    "plan_item",
    "contact",
    "note",
    "accommodation",
    "victim",
    "referral",
}
# Not "scrutiny_review": the scrutiny panel reviews cases anonymised (police
# reference, age, offences, decision), never the child's name or record.


class Reading(dict):
    """A world that remembers which entries a URL's kwargs were built from."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.read: set[str] = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)


def child_urls(world) -> dict[str, str]:
    urls = {}
    for name, entry in sorted(ACCESS.items()):
        if not entry.kwargs:
            continue
        reading = Reading(world)
        kwargs = entry.kwargs(reading)
        if reading.read & CHILD_OBJECTS:
            urls[name] = reverse(name, kwargs=kwargs) + entry.query
    return urls


@pytest.fixture
def restricted(world, users, make_user):
    """The matrix's child, restricted and allocated to another practitioner."""
    allocated = make_user(Role.PRACTITIONER, username="allocated_worker")
    child = world["child"]
    child.restricted = True
    child.allocated_worker = allocated
    child.save()
    return allocated


def test_the_walk_covers_the_childs_pages(world):
    urls = child_urls(world)
    # A guard against the walk silently covering nothing.
    assert {"cases:child", "cases:outcome_edit", "cases:victim_detail", "panels:referral"} <= set(
        urls
    )
    assert len(urls) >= 30


def test_staff_who_may_not_open_it_get_not_found_everywhere(world, restricted, users, client):
    outsiders = [
        role
        for role in sorted(EVERYONE)
        if has_capability(users[role], Cap.VIEW_CHILDREN)
        and not has_capability(users[role], Cap.OPEN_RESTRICTED)
    ]
    assert set(outsiders) >= {P, PC, VW}
    failures = []
    for name, url in child_urls(world).items():
        entry = ACCESS[name]
        for role in outsiders:
            if role not in entry.allowed:
                continue  # refused by role already (the matrix checks that)
            client.force_login(users[role])
            for method in ("get", "post"):
                status = getattr(client, method)(url).status_code
                if method == "get" and entry.post_only and status == 405:
                    continue  # the method is refused before anything is looked up
                if status != 404:
                    failures.append(f"{method.upper()} {name} as {role}: {status}")
    assert not failures, "\n".join(failures)


def test_the_allocated_worker_and_managers_still_reach_it(world, restricted, users, client):
    failures = []
    for name, url in child_urls(world).items():
        entry = ACCESS[name]
        if entry.post_only:
            continue
        for label, user in (
            ("allocated", restricted),
            (TM, users[TM]),
            (SM, users[SM]),
        ):
            role = P if label == "allocated" else label
            if role not in entry.allowed:
                continue
            client.force_login(user)
            status = client.get(url).status_code
            if status != entry.expected(role):
                failures.append(f"{name} as {label}: {status}, expected {entry.expected(role)}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "name,kwargs,query,managers_see_it",
    [
        ("cases:caseload_scope", {"scope": "all"}, "", True),
        ("cases:caseload_scope", {"scope": "team"}, "", False),
        ("panels:referrals", None, "?status=decided", True),
        ("cases:victims", None, "", False),
    ],
)
def test_lists_do_not_name_the_child_to_outsiders(
    name, kwargs, query, managers_see_it, world, restricted, users, client
):
    url = reverse(name, kwargs=kwargs) + query
    family_name = world["child"].family_name
    for role in (P, PC, VW):
        if role not in ACCESS[name].allowed:
            continue
        client.force_login(users[role])
        response = client.get(url)
        assert response.status_code == 200, (name, role)
        assert family_name not in response.content.decode(), (name, role)
    if managers_see_it:  # the list would name the child: the test can fail
        client.force_login(users[SM])
        assert family_name in client.get(url).content.decode()
