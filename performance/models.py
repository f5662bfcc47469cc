"""Population, comparators and indicator snapshots."""

from django.db import models

from cases import vocab


class Population(models.Model):
    """ONS mid-year estimate of residents aged 10–17 (interchange.md, population.csv)."""

    year = models.PositiveSmallIntegerField()
    sex = models.CharField(max_length=1, choices=vocab.SEX)
    ethnicity = models.CharField(max_length=20, choices=vocab.ETHNICITY)
    population = models.PositiveIntegerField()

    class Meta:
        ordering = ["year", "sex", "ethnicity"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sex", "ethnicity"], name="population_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.sex} {self.ethnicity}: {self.population}"


class Snapshot(models.Model):
    """The stored result of one indicator computation for one period.

    Immutable record of what was computed, from data as of ``as_of`` under
    ``rules_version``. A rerun for the same (indicator, period) replaces the
    row in one transaction, so there is never more than one and a failed run
    leaves the previous one in place."""

    indicator = models.CharField(max_length=50)
    period_start = models.DateField()
    period_end = models.DateField()
    as_of = models.DateField()
    rules_version = models.CharField(max_length=20)
    computed_at = models.DateTimeField()
    data = models.JSONField()

    class Meta:
        ordering = ["indicator", "-period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start", "period_end"], name="snapshot_unique_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period_start}..{self.period_end} as of {self.as_of}"


class Comparator(models.Model):
    """A published figure for a comparator group (domain.md, "Comparators")."""

    class Group(models.TextChoices):
        YJS_FAMILY = "yjs_family", "YJS family"
        REGION = "region", "Region"
        PCC_AREA = "pcc_area", "Police force (PCC) area"
        ENGLAND = "england", "England"
        ENGLAND_AND_WALES = "england_and_wales", "England and Wales"

    indicator = models.CharField(max_length=50)
    period_start = models.DateField()
    period_end = models.DateField()
    group = models.CharField(max_length=20, choices=Group.choices)
    group_name = models.CharField(max_length=100, blank=True)
    value = models.DecimalField(max_digits=12, decimal_places=2)
    source = models.CharField(max_length=200, blank=True)
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "-period_end", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start", "period_end", "group"],
                name="comparator_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.group} {self.period_end}: {self.value}"


class BoardPackCommentary(models.Model):
    """What managers write for a section of a quarter's board pack before generating it."""

    quarter = models.CharField(max_length=6)  # financial quarter, e.g. 2024Q1
    section = models.CharField(max_length=50)
    text = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["quarter", "section"]
        constraints = [
            models.UniqueConstraint(fields=["quarter", "section"], name="commentary_unique")
        ]


class BoardPack(models.Model):
    """A generated quarterly board pack. Once ``done`` it never changes."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to start"
        RUNNING = "running", "Being generated"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    quarter = models.CharField(max_length=6)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    stage = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    as_of = models.DateField(null=True, blank=True)
    rules_version = models.CharField(max_length=20, blank=True)
    commentary = models.JSONField(default=dict, blank=True)
    snapshots = models.ManyToManyField(Snapshot, blank=True, related_name="board_packs")
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True)
    pages = models.PositiveSmallIntegerField(null=True, blank=True)
    build_seconds = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Board pack {self.quarter} ({self.get_status_display()})"


class IndicatorRun(models.Model):
    """One recomputation of the snapshots (nightly by Celery beat, or asked for by
    a manager from the dashboard), so the page can say it is running and then
    show the new as-of date. The snapshots themselves are replaced all at once
    at the end of a successful run (performance.services.snapshots_refresh)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    trigger = models.CharField(max_length=10, default="manual")  # "nightly" or "manual"
    as_of = models.DateField(null=True, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    stage = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    snapshots = models.PositiveIntegerField(default=0)
    requested_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Indicator run {self.pk} ({self.get_status_display()})"
