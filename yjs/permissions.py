"""Who may do what: the one place that says it.

Staff hold one or more *roles* (Django groups named as in ``Role``). A role
grants *capabilities*; views ask ``has_capability`` (or use
``CapabilityRequiredMixin`` / ``capability_required``), templates ask the
``can`` dict that ``yjs.context_processors.navigation`` provides. Object-level
rules (restricted children, victim contact details) are functions here too, so
selectors and templates share them.

| role | what it is for |
|---|---|
| practitioner | casework on children: records, plans, contacts, notes, referrals |
| team_manager | a practitioner's rights, plus oversight: allocation, exports, restricted children |
| panel_chair | the OOCD panel: meetings, decisions and their sign-off |
| victim_worker | RJ / victim work: victims' contact details, views and RJ |
| service_manager | everything about children and performance: imports, audit, the board pack |
| board_member | aggregate reports and board packs only; never a child's record |
| administrator | staff accounts and teams, the audit log; no children's records |
"""

from __future__ import annotations

import enum
from functools import wraps
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from yjs.accounts.models import User


class Role(enum.StrEnum):
    PRACTITIONER = "practitioner"
    TEAM_MANAGER = "team_manager"
    PANEL_CHAIR = "panel_chair"
    VICTIM_WORKER = "victim_worker"
    SERVICE_MANAGER = "service_manager"
    BOARD_MEMBER = "board_member"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.PRACTITIONER: "Practitioner",
    Role.TEAM_MANAGER: "Team manager",
    Role.PANEL_CHAIR: "OOCD panel chair",
    Role.VICTIM_WORKER: "RJ and victim worker",
    Role.SERVICE_MANAGER: "Service manager",
    Role.BOARD_MEMBER: "Board member",
    Role.ADMINISTRATOR: "Administrator",
}


class Cap(enum.StrEnum):
    """Capabilities. Names are ``<verb>_<thing>``."""

    # Children's records (cases)
    VIEW_CHILDREN = "view_children"  # open a child's record and caseloads
    EDIT_CHILDREN = "edit_children"  # record and change casework
    OPEN_RESTRICTED = "open_restricted"  # open any restricted child (else: allocated worker only)
    ALLOCATE_CHILDREN = "allocate_children"
    EXPORT_CASELOAD = "export_caseload"  # caseload tables to CSV
    EXPORT_CHILD_RECORD = "export_child_record"  # subject access: PDF and JSON
    VIEW_VICTIM_CONTACT = "view_victim_contact"
    EDIT_VICTIMS = "edit_victims"
    IMPORT_EXTRACT = "import_extract"
    MANAGE_PROGRAMMES = "manage_programmes"  # the directory of intervention programmes
    VIEW_CHILD_AUDIT = "view_child_audit"  # "who viewed this child"
    # OOCD panel (panels)
    RECORD_REFERRALS = "record_referrals"
    RUN_PANELS = "run_panels"  # meetings, agendas, decisions
    SIGN_OFF_DECISIONS = "sign_off_decisions"
    RECORD_SCRUTINY = "record_scrutiny"
    VIEW_PANEL_REPORT = "view_panel_report"  # aggregate figures only
    # Performance
    VIEW_PERFORMANCE = "view_performance"  # aggregate figures only
    DRILL_DOWN = "drill_down"  # the children behind a figure
    MANAGE_PERFORMANCE = "manage_performance"  # comparators, population, recompute
    DOWNLOAD_KPI_RETURN = "download_kpi_return"
    # Governance and the board pack
    VIEW_GOVERNANCE = "view_governance"
    MANAGE_GOVERNANCE = "manage_governance"
    VIEW_BOARD_PACKS = "view_board_packs"
    GENERATE_BOARD_PACK = "generate_board_pack"
    # Administration
    VIEW_AUDIT_LOG = "view_audit_log"
    MANAGE_STAFF = "manage_staff"


_CASEWORK = {
    Cap.VIEW_CHILDREN,
    Cap.EDIT_CHILDREN,
    Cap.RECORD_REFERRALS,
    Cap.VIEW_PANEL_REPORT,
}

ROLE_CAPABILITIES: dict[Role, frozenset[Cap]] = {
    Role.PRACTITIONER: frozenset(_CASEWORK),
    Role.TEAM_MANAGER: frozenset(
        _CASEWORK
        | {
            Cap.OPEN_RESTRICTED,
            Cap.ALLOCATE_CHILDREN,
            Cap.EXPORT_CASELOAD,
            Cap.EXPORT_CHILD_RECORD,
            Cap.VIEW_VICTIM_CONTACT,
            Cap.VIEW_PERFORMANCE,
            Cap.DRILL_DOWN,
            Cap.DOWNLOAD_KPI_RETURN,
        }
    ),
    Role.PANEL_CHAIR: frozenset(
        {
            Cap.VIEW_CHILDREN,
            Cap.RECORD_REFERRALS,
            Cap.RUN_PANELS,
            Cap.SIGN_OFF_DECISIONS,
            Cap.RECORD_SCRUTINY,
            Cap.VIEW_PANEL_REPORT,
        }
    ),
    Role.VICTIM_WORKER: frozenset(
        {
            Cap.VIEW_CHILDREN,
            Cap.VIEW_VICTIM_CONTACT,
            Cap.EDIT_VICTIMS,
            Cap.VIEW_PANEL_REPORT,
        }
    ),
    Role.SERVICE_MANAGER: frozenset(
        _CASEWORK
        | {
            Cap.OPEN_RESTRICTED,
            Cap.ALLOCATE_CHILDREN,
            Cap.EXPORT_CASELOAD,
            Cap.EXPORT_CHILD_RECORD,
            Cap.VIEW_VICTIM_CONTACT,
            Cap.EDIT_VICTIMS,
            Cap.IMPORT_EXTRACT,
            Cap.MANAGE_PROGRAMMES,
            Cap.VIEW_CHILD_AUDIT,
            Cap.RECORD_SCRUTINY,
            Cap.VIEW_PERFORMANCE,
            Cap.DRILL_DOWN,
            Cap.MANAGE_PERFORMANCE,
            Cap.DOWNLOAD_KPI_RETURN,
            Cap.VIEW_GOVERNANCE,
            Cap.MANAGE_GOVERNANCE,
            Cap.VIEW_BOARD_PACKS,
            Cap.GENERATE_BOARD_PACK,
            Cap.VIEW_AUDIT_LOG,
        }
    ),
    Role.BOARD_MEMBER: frozenset(
        {
            Cap.VIEW_PERFORMANCE,
            Cap.VIEW_PANEL_REPORT,
            Cap.VIEW_GOVERNANCE,
            Cap.VIEW_BOARD_PACKS,
        }
    ),
    Role.ADMINISTRATOR: frozenset({Cap.MANAGE_STAFF, Cap.VIEW_AUDIT_LOG}),
}

# Capabilities that expose a child's personal data. A role holding none of
# these (board members, administrators) can never open a child's record.
PERSONAL_DATA_CAPABILITIES = frozenset(
    {Cap.VIEW_CHILDREN, Cap.DRILL_DOWN, Cap.VIEW_VICTIM_CONTACT, Cap.EXPORT_CHILD_RECORD}
)


def user_roles(user: User) -> frozenset[Role]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_yjs_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(role for role in Role if role.value in names)
        user._yjs_roles = cached
    return cached


def user_capabilities(user: User) -> frozenset[Cap]:
    caps: set[Cap] = set()
    for role in user_roles(user):
        caps |= ROLE_CAPABILITIES[role]
    return frozenset(caps)


def has_capability(user: User, cap: Cap | str) -> bool:
    return Cap(cap) in user_capabilities(user)


def may_open_child(user: User, child) -> bool:
    """A child's record: casework roles only; a restricted child only for the
    allocated worker and those who may open restricted records."""
    if not has_capability(user, Cap.VIEW_CHILDREN):
        return False
    if child.restricted:
        return child.allocated_worker_id == user.pk or has_capability(user, Cap.OPEN_RESTRICTED)
    return True


def may_see_victim_contact(user: User) -> bool:
    return has_capability(user, Cap.VIEW_VICTIM_CONTACT)


def require(user: User, cap: Cap | str) -> None:
    if not has_capability(user, cap):
        raise PermissionDenied


def capability_required(cap: Cap):
    """Decorator for function views: signed in (middleware) and holding ``cap``."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require(request.user, cap)
            return view(request, *args, **kwargs)

        wrapped.required_capability = cap
        return wrapped

    return decorator


class CapabilityRequiredMixin:
    """For class-based views: set ``required_capability``. (Signing in is
    enforced for every view by LoginRequiredMiddleware.)"""

    required_capability: Cap | None = None

    def dispatch(self, request, *args, **kwargs):
        if self.required_capability is None:
            raise PermissionDenied
        require(request.user, self.required_capability)
        return super().dispatch(request, *args, **kwargs)
