"""The management board's records: partner agencies, members, meetings and
attendance (KPI 8), the actions log, youth justice plan priorities, risks to
delivery, and the budget and staffing tables (domain.md, "The service" and
"The 2023 KPIs", 8).

Nothing here is about a child: every record is about the partnership."""

from __future__ import annotations

from datetime import date

from django.db import models

from cases import vocab
from yjs.dates import financial_quarter_of


class Sector(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    EDUCATION = "education", "Education"
    POLICE = "police", "Police"
    PROBATION = "probation", "Probation"
    HEALTH = "health", "Health"
    OTHER = "other", "Other"


# KPI 8 counts these five; "other" attendees are excluded (domain.md, KPI 8).
STATUTORY_SECTORS: tuple[str, ...] = (
    Sector.CHILDRENS_SOCIAL_CARE,
    Sector.EDUCATION,
    Sector.POLICE,
    Sector.PROBATION,
    Sector.HEALTH,
)


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class Agency(models.Model):
    """A partner agency of the youth justice partnership."""

    name = models.CharField(max_length=200, unique=True)
    sector = models.CharField(max_length=30, choices=Sector.choices)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class BoardMember(models.Model):
    class Seniority(models.TextChoices):
        SENIOR = "senior", "Senior partner"
        DELEGATED = "delegated", "Delegate"

    name = models.CharField(max_length=200)
    role = models.CharField(
        max_length=200, help_text="Job title, for example Director of Children's Services."
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="members")
    seniority = models.CharField(max_length=10, choices=Seniority.choices)
    deputy_for = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputies",
        help_text="The senior member this person deputises for, if any.",
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["agency__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"

    def is_member_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class BoardMeeting(models.Model):
    date = models.DateField(unique=True)
    # Financial-year quarter of ``date`` (yjs.dates.financial_quarter_of), kept
    # so KPI 8 can select a quarter's meetings with one query.
    quarter = models.CharField(max_length=6, editable=False, db_index=True)
    papers = models.TextField(blank=True, help_text="The papers tabled, one a line.")

    class Meta:
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"Board meeting {self.date:%-d %B %Y}"

    def save(self, *args, **kwargs):
        self.quarter = financial_quarter_of(self.date)
        super().save(*args, **kwargs)


class Attendance(models.Model):
    class Status(models.TextChoices):
        ATTENDED = "attended", "Attended"
        SENT_DEPUTY = "sent_deputy", "Sent a deputy"
        APOLOGIES = "apologies", "Sent apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(BoardMeeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(BoardMember, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(max_length=12, choices=Status.choices)

    class Meta:
        ordering = ["meeting", "member"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"], name="attendance_once_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member.name}: {self.get_status_display()}"


class Action(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "No longer needed"

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    description = models.TextField()
    owner = models.CharField(max_length=200)
    meeting = models.ForeignKey(
        BoardMeeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    due_date = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    update = models.TextField(blank=True, help_text="Progress so far.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.description[:60]

    def is_overdue(self, today: date) -> bool:
        return self.status in self.OPEN_STATUSES and self.due_date < today


class PlanPriority(models.Model):
    """A priority of the youth justice plan, with its RAG progress."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    lead = models.CharField(max_length=200, blank=True)
    rag = models.CharField("Progress (RAG)", max_length=5, choices=Rag.choices)
    commentary = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "plan priorities"

    def __str__(self) -> str:
        return self.title


class Risk(models.Model):
    """A risk to delivery of the youth justice plan."""

    class Level(models.TextChoices):
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low"

    description = models.TextField()
    likelihood = models.CharField(max_length=6, choices=Level.choices)
    impact = models.CharField(max_length=6, choices=Level.choices)
    mitigation = models.TextField(blank=True)
    owner = models.CharField(max_length=200, blank=True)
    closed = models.BooleanField(default=False)

    class Meta:
        ordering = ["closed", "id"]

    def __str__(self) -> str:
        return self.description[:60]


class BudgetContribution(models.Model):
    """One agency's contribution to the pooled budget for a financial year
    (the YJB annual return's table B5). ``financial_year`` 2024 is April 2024
    to March 2025."""

    financial_year = models.PositiveSmallIntegerField()
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="contributions")
    staffing_costs = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    payments_in_kind = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    other_delegated_funds = models.DecimalField(max_digits=12, decimal_places=2, default=0)

    class Meta:
        ordering = ["-financial_year", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["financial_year", "agency"], name="budget_once_per_agency_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.financial_year}"

    @property
    def total(self):
        return self.staffing_costs + self.payments_in_kind + self.other_delegated_funds


class StaffRole(models.TextChoices):
    """Staff types of the YJB annual return's table B8."""

    STRATEGIC_MANAGER = "strategic_manager", "Strategic manager"
    OPERATIONAL_MANAGER = "operational_manager", "Operational manager"
    PRACTITIONER = "practitioner", "Practitioner"
    ADMINISTRATIVE = "administrative", "Administrative"
    SESSIONAL = "sessional", "Sessional"
    STUDENT = "student", "Student or trainee"
    VOLUNTEER = "volunteer", "Volunteer"


class StaffingCount(models.Model):
    """Headcount of the service's staff by role, ethnicity and sex for a
    financial year (table B8)."""

    financial_year = models.PositiveSmallIntegerField()
    role = models.CharField(max_length=30, choices=StaffRole.choices)
    ethnicity = models.CharField(max_length=20, choices=vocab.ETHNICITY)
    sex = models.CharField(max_length=1, choices=vocab.SEX)
    headcount = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-financial_year", "role", "ethnicity", "sex"]
        constraints = [
            models.UniqueConstraint(
                fields=["financial_year", "role", "ethnicity", "sex"],
                name="staffing_once_per_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.financial_year} {self.role} {self.ethnicity} {self.sex}: {self.headcount}"
