"""Writes to a child's record (see core.py). Submodules: core (offences,
outcomes, plan items, optimistic locking), casework, records."""

from cases.services.core import (
    StaleEdit,
    offence_record,
    outcome_record,
    plan_item_create,
    raise_problems,
    today,
    versioned_update,
)

__all__ = [
    "StaleEdit",
    "offence_record",
    "outcome_record",
    "plan_item_create",
    "raise_problems",
    "today",
    "versioned_update",
]
