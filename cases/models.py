"""The child and everything recorded about the child.

Field names and codes follow ../shared/interchange.md so that the service
extract maps onto these tables column for column. Imported rows keep the
source system's identifier in ``source_id``; a re-import updates by it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cases import vocab

SOURCE_ID = {"max_length": 64, "null": True, "blank": True, "unique": True}


class Versioned(models.Model):
    """Optimistic locking: every save through a service bumps ``version``; a save
    whose form carried an older version is refused (cases.services)."""

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ChildQuerySet(models.QuerySet):
    def visible_to(self, user) -> ChildQuerySet:
        """Children whose record ``user`` may open (yjs.permissions.may_open_child)."""
        from yjs.permissions import Cap, has_capability

        if not has_capability(user, Cap.VIEW_CHILDREN):
            return self.none()
        if has_capability(user, Cap.OPEN_RESTRICTED):
            return self
        return self.filter(models.Q(restricted=False) | models.Q(allocated_worker=user))


class Child(Versioned):
    source_id = models.CharField(**SOURCE_ID)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=vocab.SEX)
    ethnicity = models.CharField(max_length=20, choices=vocab.ETHNICITY)
    locality = models.CharField(max_length=100, blank=True)
    looked_after = models.BooleanField(default=False)
    address = models.TextField(blank=True)
    school = models.CharField(max_length=200, blank=True)
    first_language = models.CharField(max_length=100, blank=True)
    allocated_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="allocated_children",
    )
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    restricted = models.BooleanField(
        default=False,
        help_text="Only the allocated worker and managers can open a restricted record.",
    )

    objects = ChildQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "children"
        ordering = ["family_name", "given_name", "id"]
        indexes = [
            models.Index(fields=["family_name", "given_name"]),
            # The caseload filter's list of localities (cases.selectors.child_localities)
            # and the filter itself.
            models.Index(fields=["locality"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class StatusEpisode(Versioned):
    """Statuses outside the KPI files: NEET, missing, exploitation, MAPPA."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="status_episodes")
    status = models.CharField(max_length=20, choices=vocab.OTHER_STATUS)
    detail = models.CharField(
        max_length=100,
        blank=True,
        help_text="For MAPPA: category and level, e.g. 'Category 2, level 1'.",
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        # Caseload flags (cases.selectors.CASELOAD_FLAGS): on a long caseload
        # PostgreSQL reads every episode of one status into a hash.
        indexes = [models.Index(fields=["status", "child"])]


class Offence(Versioned):
    source_id = models.CharField(**SOURCE_ID)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="offences")
    offence_date = models.DateField()
    category = models.CharField(max_length=40, choices=vocab.OFFENCE_CATEGORY)
    seriousness_score = models.PositiveSmallIntegerField()
    gravity_score = models.PositiveSmallIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)
    weapon = models.BooleanField(default=False)

    class Meta:
        ordering = ["-offence_date", "-id"]
        indexes = [models.Index(fields=["child", "offence_date"])]

    def __str__(self) -> str:
        return f"{self.get_category_display()} on {self.offence_date:%-d %B %Y}"


class Outcome(Versioned):
    """An outcome (disposal): out of court or by a court. ``tier`` is derived
    from ``outcome_type`` on every save, never typed in or imported."""

    source_id = models.CharField(**SOURCE_ID)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="outcomes")
    offences = models.ManyToManyField(Offence, related_name="outcomes", through="OutcomeOffence")
    outcome_date = models.DateField()
    outcome_type = models.CharField(max_length=40, choices=vocab.OUTCOME_TYPE)
    tier = models.CharField(max_length=20, choices=vocab.TIER, editable=False)
    end_date = models.DateField(null=True, blank=True)
    release_date = models.DateField(null=True, blank=True)
    yjs_intervention = models.BooleanField(default=False)
    successfully_completed = models.BooleanField(null=True, blank=True)
    requirements = models.TextField(blank=True)

    class Meta:
        ordering = ["-outcome_date", "-id"]
        indexes = [
            models.Index(fields=["child", "outcome_date"]),
            # The indicators read outcomes by date (court sentences, index
            # events) and by release date (custodial index events): covering
            # indexes with the child's date of birth, made in migration 0009.
            models.Index(fields=["end_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_type_display()} on {self.outcome_date:%-d %B %Y}"

    def save(self, *args, **kwargs):
        self.tier = vocab.TIER_OF[self.outcome_type]
        super().save(*args, **kwargs)

    @property
    def is_substantive(self) -> bool:
        return self.outcome_type in vocab.SUBSTANTIVE

    @property
    def is_custodial(self) -> bool:
        return self.tier == vocab.Tier.CUSTODY


class OutcomeOffence(models.Model):
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE)
    offence = models.ForeignKey(Offence, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["outcome", "offence"], name="outcome_offence_unique")
        ]
        indexes = [models.Index(fields=["offence", "outcome"])]


class Remand(Versioned):
    source_id = models.CharField(**SOURCE_ID)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="remands")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    remand_type = models.CharField(max_length=40, choices=vocab.REMAND_TYPE)

    class Meta:
        ordering = ["-start_date", "-id"]


# --- Episodes that feed the 2023 KPIs (interchange.md, "Episodes") -----------


class Episode(Versioned):
    """Open on day D when start_date <= D and (end_date is blank or D <= end_date)."""

    source_id = models.CharField(**SOURCE_ID)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-start_date", "-id"]


class AccommodationEpisode(Episode):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="accommodation")
    accommodation_type = models.CharField(max_length=30, choices=vocab.ACCOMMODATION_TYPE)
    suitability = models.CharField(max_length=12, choices=vocab.SUITABILITY)
    primary_residence = models.BooleanField(default=True)


class EteEpisode(Episode):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="ete")
    provision = models.CharField(max_length=30, choices=vocab.ETE_PROVISION)
    suitability = models.CharField(max_length=12, choices=vocab.SUITABILITY)
    hours_offered = models.DecimalField(max_digits=4, decimal_places=1)
    hours_attended = models.DecimalField(max_digits=4, decimal_places=1)


class CareStatus(Episode):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="care_statuses")
    status = models.CharField(max_length=20, choices=vocab.CARE_STATUS)

    class Meta(Episode.Meta):
        verbose_name_plural = "care statuses"
        # Caseload flags, as StatusEpisode's index.
        indexes = [models.Index(fields=["status", "child"])]


class SendEpisode(Episode):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="send")
    plan = models.CharField(max_length=12, choices=vocab.SEND_PLAN)


class HealthNeed(Versioned):
    """Mental health or substance misuse: screened → offered → attended."""

    source_id = models.CharField(**SOURCE_ID)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="health_needs")
    kind = models.CharField(max_length=20, choices=vocab.HEALTH_KIND)
    screened_date = models.DateField()
    referred_date = models.DateField(null=True, blank=True)
    offered_date = models.DateField(null=True, blank=True)
    attended_start_date = models.DateField(null=True, blank=True)
    attended_end_date = models.DateField(null=True, blank=True)
    intervention_type = models.CharField(
        max_length=20, choices=vocab.HEALTH_INTERVENTION, blank=True
    )

    class Meta:
        ordering = ["-screened_date", "-id"]


class Victim(Versioned):
    """A victim of one or more offences (possibly of several children). Contact
    details are never part of an extract and are shown only to those allowed
    (yjs.permissions.may_see_victim_contact)."""

    source_id = models.CharField(**SOURCE_ID)
    offences = models.ManyToManyField(Offence, related_name="victims")
    victim_type = models.CharField(max_length=10, choices=vocab.VICTIM_TYPE)
    consent_to_contact = models.BooleanField(default=False)
    contacted_date = models.DateField(null=True, blank=True)
    views_sought_prior = models.BooleanField(null=True, blank=True)
    views = models.TextField(blank=True, help_text="The victim's views, recorded with consent.")
    rj_offered = models.BooleanField(null=True, blank=True)
    rj_engaged = models.BooleanField(null=True, blank=True)
    rj_type = models.CharField(max_length=10, choices=vocab.RJ_TYPE, blank=True)
    rj_start_date = models.DateField(null=True, blank=True)
    rj_end_date = models.DateField(null=True, blank=True)
    progress_requested = models.BooleanField(null=True, blank=True)
    progress_provided = models.BooleanField(null=True, blank=True)
    support_requested = models.BooleanField(null=True, blank=True)
    support_provided = models.BooleanField(null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(null=True, blank=True)
    # Contact details: restricted.
    contact_name = models.CharField(max_length=200, blank=True)
    contact_phone = models.CharField(max_length=50, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_address = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]


# --- Casework ----------------------------------------------------------------


class Assessment(Versioned):
    """AssetPlus-style ratings; reviewed at least every 3 months."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="assessments")
    assessment_date = models.DateField()
    likelihood_of_reoffending = models.CharField(max_length=10, choices=vocab.LOW_MEDIUM_HIGH)
    risk_of_serious_harm = models.CharField(max_length=10, choices=vocab.LOW_TO_VERY_HIGH)
    safety_and_wellbeing = models.CharField(max_length=10, choices=vocab.LOW_TO_VERY_HIGH)
    intervention_level = models.CharField(max_length=10, choices=vocab.INTERVENTION_LEVEL)
    next_review_due = models.DateField()
    summary = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-assessment_date", "-id"]
        indexes = [models.Index(fields=["child", "-assessment_date"])]


class Programme(models.Model):
    """The directory of intervention programmes the service offers."""

    name = models.CharField(max_length=200, unique=True)
    category = models.CharField(max_length=30, choices=vocab.PROGRAMME_CATEGORY)
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PlanItem(Versioned):
    """An intervention on the child's plan, with planned and actual start dates."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="plan_items")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="plan_items")
    outcome = models.ForeignKey(
        Outcome, null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_items"
    )
    planned_start_date = models.DateField()
    actual_start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=vocab.PLAN_STATUS, default="planned")
    successfully_completed = models.BooleanField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-planned_start_date", "-id"]


class Contact(Versioned):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="contacts")
    contact_date = models.DateTimeField()
    contact_type = models.CharField(max_length=20, choices=vocab.CONTACT_TYPE)
    attendance = models.CharField(max_length=20, choices=vocab.ATTENDANCE)
    compliance_action = models.CharField(
        max_length=10, choices=vocab.COMPLIANCE_ACTION, default="none"
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-contact_date", "-id"]


class CaseNote(Versioned):
    """A note written to the child, in the first person and plain English."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="notes")
    written_on = models.DateField()
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-written_on", "-id"]


class ImportJob(models.Model):
    """A service extract uploaded in the browser: validated, previewed, then
    committed by a Celery task that reports progress."""

    class Status(models.TextChoices):
        VALIDATING = "validating", "Checking the files"
        INVALID = "invalid", "Problems found"
        READY = "ready", "Ready to import"
        IMPORTING = "importing", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to="imports/")
    original_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.VALIDATING)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    stage = models.CharField(max_length=200, blank=True)
    counts = models.JSONField(default=dict, blank=True)  # rows per file
    problems = models.JSONField(default=list, blank=True)  # "file.csv:ROW: column: message"

    class Meta:
        ordering = ["-created_at", "-id"]
