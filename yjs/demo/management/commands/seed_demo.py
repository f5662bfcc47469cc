"""Build the synthetic demo service: staff in every role across three teams, a
generated service extract loaded through the same import as real extracts,
casework on the open cases, OOCD panel meetings and a management board.

Deterministic: the same --seed and --today give the same service."""

from __future__ import annotations

import io
import random
import tempfile
from datetime import date, timedelta
from pathlib import Path

from django.core.management import BaseCommand, CommandError, call_command
from django.db import transaction
from django.db.models import Q

from cases import models as cases_models
from yjs.accounts.models import Team, User
from yjs.accounts.services import roles_ensure, staff_create
from yjs.dates import add_months
from yjs.demo import data


class Command(BaseCommand):
    help = "Build the deterministic synthetic demo service (never real people)."

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, default=1500)
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--today", type=date.fromisoformat, default=None)
        parser.add_argument(
            "--extract",
            type=Path,
            default=None,
            help="Load this service extract folder instead of generating one "
            "(e.g. ../shared/examples/service-small).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete all data first (the database must be the demo's).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Exit 0 if demo data is present, 1 if not; change nothing.",
        )
        parser.add_argument("--sign-ins", action="store_true", help="Only print the demo sign-ins.")

    def handle(self, *args, **options):
        if options["check"]:
            present = (
                cases_models.Child.objects.exists()
                and User.objects.filter(username="practitioner").exists()
            )
            if not present:
                raise CommandError("no demo data")
            return
        if options["sign_ins"]:
            self.print_sign_ins()
            return
        today = options["today"] or date.today()
        rng = random.Random(options["seed"])
        if options["reset"]:
            call_command("flush", interactive=False, verbosity=0)
        elif cases_models.Child.objects.exists():
            raise CommandError("The database already holds children: use --reset to rebuild.")
        roles_ensure()
        teams = self.seed_staff()
        self.seed_programmes()
        self.load_extract(options, today)
        self.allocate(teams, rng, today)
        self.seed_casework(rng, today)
        self.seed_other_apps(today)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo service ready: {cases_models.Child.objects.count():,} children, "
                f"{cases_models.Offence.objects.count():,} offences, "
                f"{cases_models.Outcome.objects.count():,} outcomes."
            )
        )
        self.print_sign_ins()

    def print_sign_ins(self):
        self.stdout.write(
            f"\nDemo sign-ins (synthetic accounts; password for all: {data.DEMO_PASSWORD}):"
        )
        for username, first, last, roles, _team, title in data.STAFF:
            self.stdout.write(f"  {username:<16} {first} {last}, {title} ({', '.join(roles)})")
        self.stdout.write("")

    def seed_staff(self) -> list[Team]:
        teams = [
            Team.objects.get_or_create(name=name, defaults={"locality": loc})[0]
            for name, loc in data.TEAMS
        ]
        for username, first, last, roles, team_index, title in data.STAFF:
            if User.objects.filter(username=username).exists():
                continue
            staff_create(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.org",
                password=data.DEMO_PASSWORD,
                roles=roles,
                team=teams[team_index] if team_index is not None else None,
                job_title=title,
            )
        return teams

    def seed_programmes(self):
        for name, category in data.PROGRAMMES:
            cases_models.Programme.objects.get_or_create(name=name, defaults={"category": category})

    def load_extract(self, options, today: date):
        if options["extract"]:
            call_command(
                "import_extract", str(options["extract"]), verbosity=0, stdout=io.StringIO()
            )
            return
        from yjs.demo.synthetic import write_extract

        with tempfile.TemporaryDirectory(prefix="yjs-demo-") as folder:
            write_extract(
                Path(folder),
                children=options["children"],
                seed=options["seed"],
                first_year=today.year - 6,
                last_year=today.year,
            )
            call_command("import_extract", folder, verbosity=0, stdout=io.StringIO())

    @transaction.atomic
    def allocate(self, teams: list[Team], rng: random.Random, today: date):
        """Children with an order still running get a team (by locality) and a
        worker; a few are restricted; the rest are closed cases, unallocated."""
        practitioners = {
            team.pk: list(
                User.objects.filter(team=team, groups__name="practitioner").order_by("username")
            )
            for team in teams
        }
        # An open case: an outcome of the last 18 months still running, for a
        # child who is still under 18.
        open_ids = set(
            cases_models.Outcome.objects.filter(
                Q(end_date__isnull=True) | Q(end_date__gte=today),
                outcome_date__gte=add_months(today, -18),
                child__date_of_birth__gt=add_months(today, -18 * 12),
            ).values_list("child_id", flat=True)
        )
        children = list(cases_models.Child.objects.order_by("pk"))
        localities = sorted({c.locality for c in children})
        team_of = {loc: teams[i % len(teams)] for i, loc in enumerate(localities)}
        for child in children:
            child.team = team_of[child.locality]
            if child.pk in open_ids:
                workers = practitioners[child.team.pk]
                # Leave about one open case in twelve unallocated, as in real services.
                child.allocated_worker = None if rng.random() < 0.08 else rng.choice(workers)
                child.restricted = rng.random() < 0.02
        cases_models.Child.objects.bulk_update(
            children, ["team", "allocated_worker", "restricted"], batch_size=1000
        )

    @transaction.atomic
    def seed_casework(self, rng: random.Random, today: date):
        """Assessments, plan items, contacts and notes on open cases, so that
        caseloads show reviews due and overdue and late intervention starts."""
        programmes = list(cases_models.Programme.objects.all())
        author = User.objects.get(username="practitioner")
        open_children = list(
            cases_models.Child.objects.filter(allocated_worker__isnull=False).order_by("pk")
        )
        assessments, items, contacts, notes = [], [], [], []
        levels = ["low", "medium", "high"]
        for child in open_children:
            assessed = today - timedelta(days=rng.randint(10, 160))
            assessments.append(
                cases_models.Assessment(
                    child=child,
                    assessment_date=assessed,
                    likelihood_of_reoffending=rng.choice(levels),
                    risk_of_serious_harm=rng.choice(["low", "low", "medium", "high", "very_high"]),
                    safety_and_wellbeing=rng.choice(levels),
                    intervention_level=rng.choice(["standard", "enhanced", "intensive"]),
                    next_review_due=add_months(assessed, 3),
                    summary="Assessment of strengths, needs and what will help.",
                    author=author,
                )
            )
            planned = today - timedelta(days=rng.randint(-20, 60))
            started = None
            if planned <= today and rng.random() < 0.7:
                started = planned + timedelta(days=rng.choice([0, 0, 0, 3, 12]))
                started = min(started, today)
            items.append(
                cases_models.PlanItem(
                    child=child,
                    programme=rng.choice(programmes),
                    planned_start_date=planned,
                    actual_start_date=started,
                    status="in_progress" if started else "planned",
                )
            )
            for weeks in (1, 2, 3):
                contacts.append(
                    cases_models.Contact(
                        child=child,
                        contact_date=_at(today - timedelta(weeks=weeks)),
                        contact_type=rng.choice(["office", "home_visit", "school", "phone"]),
                        attendance=rng.choice(
                            ["attended"] * 5 + ["failed_to_attend", "rescheduled"]
                        ),
                        recorded_by=child.allocated_worker,
                    )
                )
            notes.append(
                cases_models.CaseNote(
                    child=child,
                    written_on=today - timedelta(days=rng.randint(1, 30)),
                    author=child.allocated_worker,
                    text=(
                        f"Hi {child.given_name}, thanks for meeting me this week. We talked about "
                        "what you want to do next and agreed the next steps together."
                    ),
                )
            )
        cases_models.Assessment.objects.bulk_create(assessments, batch_size=1000)
        cases_models.PlanItem.objects.bulk_create(items, batch_size=1000)
        cases_models.Contact.objects.bulk_create(contacts, batch_size=1000)
        cases_models.CaseNote.objects.bulk_create(notes, batch_size=1000)

    def seed_other_apps(self, today: date):
        from governance.demo import governance_seed
        from panels.demo import panels_seed

        panels_seed(today=today)
        governance_seed(today=today)


def _at(day: date):
    from datetime import datetime, time

    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, time(10, 30)))
