"""The parts of a child's record that panels owns, for the data-retention rule
(cases/retention.py): registered from PanelsConfig.ready, so cases needs no
knowledge of panels."""

from django.db.models import Q

from cases.retention import Part, register
from panels.models import DecisionAmendment, OocdReferral, ScrutinyReview

register(
    Part(
        OocdReferral,
        "OOCD referrals",
        blank=(
            "police_reference",
            "aggravating_factors",
            "mitigating_factors",
            "reason",
            "assessment_summary",
            "assessment_recommendation",
            "child_voice",
            "parent_voice",
            "rationale",
            "conditions",
        ),
        dates=("referral_date", "panel_date", "assessment_date", "decided_at", "signed_off_at"),
        # Awaiting the panel's decision.
        open=lambda day: Q(decision=""),
    ),
    Part(
        DecisionAmendment,
        "OOCD decision amendments",
        child="referral__child",
        blank=(
            "reason",
            "previous_rationale",
            "new_rationale",
            "previous_conditions",
            "new_conditions",
        ),
        dates=("amended_at",),
        versioned=False,
    ),
    # A scrutiny review is the service checking itself, not involvement with
    # the child: its date does not count, its comments are blanked.
    Part(
        ScrutinyReview,
        "OOCD scrutiny reviews",
        child="referral__child",
        blank=("comments",),
        versioned=False,
    ),
)
