"""OOCD referrals from the police, panel meetings, the panel's decisions and
their scrutiny.

A decision other than charge creates the outcome on the child's record through
``cases.services`` (never by writing cases tables directly): see
panels/services.py. The service extract import (panels/extract.py) writes
referrals with the interchange.md fields only, so every other field here has a
default or may be blank.
"""

from django.conf import settings
from django.db import models

from cases import vocab
from cases.models import SOURCE_ID, Child, Offence, Outcome, PlanItem, Versioned

AGENCY = [
    ("police", "Police"),
    ("yjs", "Youth justice service"),
    ("rj", "Restorative justice"),
    ("health", "Health"),
    ("education", "Education"),
    ("social_care", "Children's social care"),
    ("other", "Other"),
]

# The police child gravity matrix: 1 to 4, moved by one for aggravating or
# mitigating factors and kept within 1 to 4 (domain.md, Vocabulary).
GRAVITY_MIN, GRAVITY_MAX = 1, 4
GRAVITY_ADJUSTMENT = [
    (1, "Up one: aggravating factors outweigh"),
    (0, "No change"),
    (-1, "Down one: mitigating factors outweigh"),
]

VERDICT = [("appropriate", "Appropriate"), ("not_appropriate", "Not appropriate")]


def final_gravity(score: int | None, adjustment: int) -> int | None:
    if score is None:
        return None
    return max(GRAVITY_MIN, min(GRAVITY_MAX, score + adjustment))


class PanelMeeting(Versioned):
    meeting_date = models.DateField()
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chaired_panels",
    )
    location = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["meeting_date", "id"]
        indexes = [models.Index(fields=["meeting_date"])]

    def __str__(self) -> str:
        return f"Panel meeting on {self.meeting_date:%-d %B %Y}"


class PanelAttendee(models.Model):
    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(max_length=200)
    agency = models.CharField(max_length=20, choices=AGENCY)
    role = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["agency", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_agency_display()})"


class OocdReferral(Versioned):
    source_id = models.CharField(**SOURCE_ID)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="oocd_referrals")
    offences = models.ManyToManyField(Offence, related_name="oocd_referrals")
    referral_date = models.DateField()
    admission = models.BooleanField()
    panel_date = models.DateField(null=True, blank=True)
    decision = models.CharField(max_length=30, choices=vocab.OOCD_DECISION, blank=True)
    outcome = models.ForeignKey(
        Outcome, null=True, blank=True, on_delete=models.SET_NULL, related_name="oocd_referrals"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The police referral (not part of the service extract).
    police_reference = models.CharField(max_length=50, blank=True)
    arresting_force = models.CharField(max_length=100, blank=True)
    gravity_score = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Child gravity matrix score before adjustment, 1 to 4."
    )
    gravity_adjustment = models.SmallIntegerField(choices=GRAVITY_ADJUSTMENT, default=0)
    aggravating_factors = models.TextField(blank=True)
    mitigating_factors = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    # Before the panel.
    assessment_date = models.DateField(null=True, blank=True)
    assessment_summary = models.TextField(blank=True)
    assessment_recommendation = models.TextField(blank=True)
    child_voice = models.TextField(blank=True)
    parent_voice = models.TextField(blank=True)
    # The panel.
    meeting = models.ForeignKey(
        PanelMeeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    rationale = models.TextField(blank=True)
    conditions = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    plan_item = models.ForeignKey(
        PlanItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="oocd_referrals"
    )

    class Meta:
        ordering = ["-referral_date", "-id"]
        indexes = [
            # The OOCD panel figures: decisions and days to decision by panel date,
            # on PostgreSQL from the index alone.
            models.Index(
                fields=["panel_date"],
                include=["decision", "referral_date"],
                name="panels_referral_panel_cov_idx",
            ),
            models.Index(fields=["referral_date"]),
        ]

    def __str__(self) -> str:
        return f"Referral of {self.referral_date:%-d %B %Y}"

    @property
    def final_gravity_score(self) -> int | None:
        return final_gravity(self.gravity_score, self.gravity_adjustment)

    @property
    def is_decided(self) -> bool:
        return bool(self.decision)

    @property
    def is_signed_off(self) -> bool:
        """Signed off in the service, or decided before it (an imported
        decision was final in the system it came from)."""
        return bool(self.signed_off_at) or (self.is_decided and self.decided_at is None)


class DecisionAmendment(models.Model):
    """A change to a decision after it was recorded: kept for ever, with the reason."""

    referral = models.ForeignKey(OocdReferral, on_delete=models.CASCADE, related_name="amendments")
    amended_at = models.DateTimeField(auto_now_add=True)
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField()
    was_signed_off = models.BooleanField(default=False)
    previous_decision = models.CharField(max_length=30, choices=vocab.OOCD_DECISION)
    new_decision = models.CharField(max_length=30, choices=vocab.OOCD_DECISION)
    previous_rationale = models.TextField(blank=True)
    new_rationale = models.TextField(blank=True)
    previous_conditions = models.TextField(blank=True)
    new_conditions = models.TextField(blank=True)

    class Meta:
        ordering = ["-amended_at", "-id"]


class ScrutinySample(models.Model):
    """The quarter's random sample of decisions for the OOCD scrutiny panel.
    Drawn once per quarter, seeded by the quarter label (reproducible)."""

    quarter = models.CharField(max_length=6, unique=True)
    seed = models.CharField(max_length=50)
    size = models.PositiveSmallIntegerField()
    eligible = models.PositiveIntegerField(default=0)
    drawn_at = models.DateTimeField(auto_now_add=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-quarter"]

    def __str__(self) -> str:
        return f"Scrutiny sample {self.quarter}"


class ScrutinyReview(models.Model):
    sample = models.ForeignKey(ScrutinySample, on_delete=models.CASCADE, related_name="reviews")
    referral = models.ForeignKey(
        OocdReferral, on_delete=models.CASCADE, related_name="scrutiny_reviews"
    )
    verdict = models.CharField(max_length=20, choices=VERDICT, blank=True)
    comments = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["referral__panel_date", "referral_id"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "referral"], name="scrutiny_review_unique")
        ]
