"""A synthetic service extract (../shared/interchange.md) for demonstrations,
tests and benchmarks. Every name is invented from lists of common given and
family names; no real person is in it.

``write_extract(directory, children=600, seed=1, first_year=2018, last_year=2025)``
writes every file of the extract, streaming (one child at a time), so 250,000
children take a couple of minutes and little memory. The same seed gives the
same files, as long as ``last_year`` is before the current year (dates are
never after today, so a current ``last_year`` is cut at today).

The extract is valid: it passes every rule of cases.validation. It is also
shaped like a real service's: children aged 10–17 at their offences, most
with one or two offences; police referrals to the OOCD panel with decisions
that produce the outcomes; court sentences from discharges to custody with
release dates; remands; accommodation, ETE, care, SEND and health episodes
overlapping the orders (so the 2023 KPIs have something to count); victims
linked to offences, a few of them to offences of two children.
"""

from __future__ import annotations

import bisect
import csv
import itertools
import random
from datetime import date
from pathlib import Path

from yjs.dates import add_months, add_years

GIVEN_NAMES = {
    "F": [
        "Amelia",
        "Olivia",
        "Isla",
        "Ava",
        "Mia",
        "Ivy",
        "Lily",
        "Grace",
        "Freya",
        "Emily",
        "Sophia",
        "Ella",
        "Poppy",
        "Evie",
        "Chloe",
        "Zara",
        "Aisha",
        "Maryam",
        "Hannah",
        "Ruby",
        "Layla",
        "Jessica",
        "Millie",
        "Sienna",
        "Phoebe",
        "Esme",
        "Nia",
        "Amira",
        "Leah",
        "Erin",
    ],
    "M": [
        "Oliver",
        "George",
        "Noah",
        "Arthur",
        "Leo",
        "Harry",
        "Oscar",
        "Jack",
        "Charlie",
        "Jacob",
        "Thomas",
        "Alfie",
        "Freddie",
        "Theo",
        "Muhammad",
        "Joshua",
        "Kai",
        "Ethan",
        "Reuben",
        "Mason",
        "Tyler",
        "Kian",
        "Dylan",
        "Logan",
        "Callum",
        "Adam",
        "Ibrahim",
        "Samuel",
        "Jayden",
        "Finley",
    ],
}
FAMILY_NAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Hughes",
    "Edwards",
    "Khan",
    "Lewis",
    "Harris",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Morris",
    "Moore",
    "Clark",
    "Lee",
    "King",
    "Baker",
    "Harrison",
    "Morgan",
    "Allen",
    "James",
    "Scott",
    "Phillips",
    "Watson",
    "Davis",
    "Parker",
    "Price",
    "Bennett",
    "Young",
    "Griffiths",
    "Mitchell",
    "Kelly",
    "Cook",
    "Carter",
    "Richardson",
    "Bailey",
    "Collins",
    "Bell",
    "Shaw",
    "Murphy",
    "Miller",
    "Cox",
    "Richards",
    "Ali",
    "Begum",
    "Hussain",
    "Ahmed",
    "Mensah",
    "Okafor",
    "Nowak",
    "Kowalski",
    "O'Connor",
    "Campbell",
]
LOCALITIES = ["North", "South", "East", "West", "Central", "Riverside", "Hillside", "Market Town"]

ETHNICITY = [
    ("white", 72),
    ("asian", 9),
    ("black", 7),
    ("mixed", 6),
    ("other", 3),
    ("not_known", 3),
]
# Share of the 10–17 population, for population.csv.
POPULATION_SHARE = {
    "white": 0.76,
    "asian": 0.10,
    "black": 0.04,
    "mixed": 0.06,
    "other": 0.03,
    "not_known": 0.01,
}
CATEGORIES = [
    # (code, weight, seriousness range, weapon chance, has a victim)
    ("violence_against_the_person", 24, (2, 6), 0.12, True),
    ("theft_and_handling", 18, (1, 3), 0.0, True),
    ("criminal_damage", 10, (1, 3), 0.0, True),
    ("public_order", 9, (1, 3), 0.03, False),
    ("drugs", 9, (1, 5), 0.04, False),
    ("robbery", 6, (4, 7), 0.25, True),
    ("burglary", 6, (3, 6), 0.02, True),
    ("motoring", 7, (1, 4), 0.0, False),
    ("breach", 4, (2, 3), 0.0, False),
    ("sexual", 2, (4, 8), 0.0, True),
    ("fraud_and_forgery", 1, (2, 4), 0.0, True),
    ("other", 4, (1, 4), 0.02, False),
]
DESCRIPTIONS = {
    "violence_against_the_person": "assault in a public place",
    "theft_and_handling": "theft from a shop",
    "criminal_damage": "damage to a bus shelter",
    "robbery": "robbery of a mobile phone",
    "burglary": "burglary of a garden shed",
    "drugs": "possession of cannabis",
    "motoring": "riding a motorcycle without insurance",
}
# OOCD panel decisions when the child admits the offence, and when not.
DECISIONS_ADMITTED = [
    ("no_further_action", 6),
    ("community_resolution", 22),
    ("outcome_22", 24),
    ("youth_caution", 20),
    ("youth_conditional_caution", 12),
    ("charge", 16),
]
DECISIONS_NOT_ADMITTED = [("no_further_action", 40), ("outcome_22", 25), ("charge", 35)]
COURT = [
    ("absolute_discharge", 2),
    ("conditional_discharge", 9),
    ("fine", 6),
    ("referral_order", 38),
    ("youth_rehabilitation_order", 26),
    ("yro_intensive_supervision", 7),
    ("detention_and_training_order", 10),
    ("long_term_detention", 2),
]
# Months an order runs (None: no YJS intervention, so no end date).
ORDER_MONTHS = {
    "community_resolution": (1, 3),
    "outcome_22": (2, 4),
    "youth_caution": (2, 3),
    "youth_conditional_caution": (3, 4),
    "referral_order": (3, 12),
    "youth_rehabilitation_order": (6, 24),
    "yro_intensive_supervision": (6, 12),
    "detention_and_training_order": (4, 24),
    "long_term_detention": (24, 60),
}
ACCOMMODATION = [
    ("with_parents", 62),
    ("with_family", 12),
    ("foster_care", 8),
    ("residential_unit", 5),
    ("supported_lodgings", 4),
    ("independent_living", 2),
    ("temporary", 3),
    ("with_friends", 2),
    ("other", 2),
]
ETE_SCHOOL = [
    ("mainstream_school", 60),
    ("alternative_provision", 15),
    ("pupil_referral_unit", 12),
    ("special_school", 8),
    ("elective_home_education", 3),
    ("none", 2),
]
ETE_OLDER = [
    ("college", 45),
    ("training", 15),
    ("apprenticeship", 8),
    ("employment", 10),
    ("none", 22),
]
REMAND_TYPES = [
    ("youth_detention_accommodation", 35),
    ("local_authority_accommodation", 25),
    ("bail_supervision", 40),
]

HEADERS = {
    "children.csv": [
        "child_id",
        "given_name",
        "family_name",
        "date_of_birth",
        "sex",
        "ethnicity",
        "locality",
        "looked_after",
    ],
    "offences.csv": [
        "offence_id",
        "child_id",
        "offence_date",
        "category",
        "seriousness_score",
        "gravity_score",
        "description",
        "weapon",
    ],
    "outcomes.csv": [
        "outcome_id",
        "child_id",
        "offence_ids",
        "outcome_date",
        "outcome_type",
        "end_date",
        "release_date",
        "yjs_intervention",
        "successfully_completed",
    ],
    "remands.csv": ["remand_id", "child_id", "start_date", "end_date", "remand_type"],
    "oocd_referrals.csv": [
        "referral_id",
        "child_id",
        "offence_ids",
        "referral_date",
        "admission",
        "panel_date",
        "decision",
        "outcome_id",
    ],
    "population.csv": ["year", "sex", "ethnicity", "population"],
    "accommodation.csv": [
        "accommodation_id",
        "child_id",
        "start_date",
        "end_date",
        "accommodation_type",
        "suitability",
        "primary_residence",
    ],
    "ete.csv": [
        "ete_id",
        "child_id",
        "start_date",
        "end_date",
        "provision",
        "suitability",
        "hours_offered",
        "hours_attended",
    ],
    "care_statuses.csv": ["status_id", "child_id", "status", "start_date", "end_date"],
    "send.csv": ["send_id", "child_id", "start_date", "end_date", "plan"],
    "health.csv": [
        "need_id",
        "child_id",
        "kind",
        "screened_date",
        "offered_date",
        "attended_start_date",
        "attended_end_date",
        "intervention_type",
    ],
    "victims.csv": [
        "victim_id",
        "offence_ids",
        "victim_type",
        "consent_to_contact",
        "contacted_date",
        "views_sought_prior",
        "rj_offered",
        "rj_engaged",
        "rj_type",
        "progress_requested",
        "progress_provided",
        "support_requested",
        "support_provided",
        "satisfaction",
    ],
}


class _Picker:
    """Weighted choice in O(log n) with one random number."""

    def __init__(self, rng: random.Random, weighted):
        self.rng = rng
        self.items = [item for item, _ in weighted]
        self.cumulative = list(itertools.accumulate(weight for _, weight in weighted))
        self.total = self.cumulative[-1]

    def __call__(self):
        return self.items[bisect.bisect_right(self.cumulative, self.rng.random() * self.total)]


def _iso(day: int | None) -> str:
    return date.fromordinal(day).isoformat() if day else ""


def _yn(flag: bool | None) -> str:
    return "" if flag is None else ("Y" if flag else "N")


class _Writer:
    def __init__(self, directory: Path):
        self.streams = {}
        self.writers = {}
        self.counters = dict.fromkeys(HEADERS, 0)
        for name, header in HEADERS.items():
            stream = open(directory / name, "w", encoding="utf-8", newline="")  # noqa: SIM115
            self.streams[name] = stream
            self.writers[name] = csv.writer(stream, lineterminator="\r\n")
            self.writers[name].writerow(header)

    def next_id(self, name: str, prefix: str, width: int) -> str:
        self.counters[name] += 1
        return f"{prefix}{self.counters[name]:0{width}d}"

    def row(self, name: str, values: list) -> None:
        self.writers[name].writerow(values)

    def close(self) -> None:
        for stream in self.streams.values():
            stream.close()


def write_extract(
    directory: str | Path,
    *,
    children: int,
    seed: int = 1,
    first_year: int,
    last_year: int,
    offences_per_child: float = 1.8,
) -> dict[str, int]:
    """Write a valid, deterministic synthetic extract; returns rows per file.

    ``offences_per_child`` is the mean number of offences a child has (at
    least one each; most children have one or two at the default)."""
    if first_year > last_year:
        raise ValueError("first_year must not be after last_year")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    generator = _Generator(
        random.Random(seed),
        first=date(first_year, 1, 1).toordinal(),
        last=min(date(last_year, 12, 31), date.today()).toordinal(),
        offences_per_child=max(1.0, offences_per_child),
    )
    out = _Writer(directory)
    try:
        for number in range(1, children + 1):
            generator.child(out, number)
        _population(out, random.Random(seed + 1), first_year, last_year)
    finally:
        out.close()
    return dict(out.counters)


def _population(out: _Writer, rng: random.Random, first_year: int, last_year: int) -> None:
    base = 24_000 + rng.randint(-2000, 2000)
    for year in range(first_year, last_year + 1):
        total = base * (1 + 0.004 * (year - first_year))
        for sex, share in (("M", 0.512), ("F", 0.488)):
            for ethnicity, eshare in POPULATION_SHARE.items():
                figure = round(total * share * eshare * (1 + rng.uniform(-0.02, 0.02)))
                out.row("population.csv", [year, sex, ethnicity, figure])
                out.counters["population.csv"] += 1


class _Generator:
    def __init__(self, rng: random.Random, *, first: int, last: int, offences_per_child: float):
        self.rng = rng
        self.first = first
        self.last = last
        self.p_stop = 1 / offences_per_child
        self.ethnicity = _Picker(rng, ETHNICITY)
        self.category = _Picker(rng, [(c, c[1]) for c in CATEGORIES])
        self.decided_admitted = _Picker(rng, DECISIONS_ADMITTED)
        self.decided_not_admitted = _Picker(rng, DECISIONS_NOT_ADMITTED)
        self.court = _Picker(rng, COURT)
        self.accommodation = _Picker(rng, ACCOMMODATION)
        self.ete_school = _Picker(rng, ETE_SCHOOL)
        self.ete_older = _Picker(rng, ETE_OLDER)
        self.remand = _Picker(rng, REMAND_TYPES)
        self.age = _Picker(
            rng, [(10, 2), (11, 4), (12, 7), (13, 11), (14, 16), (15, 20), (16, 22), (17, 18)]
        )
        # The offences of the last child, for victims of two children's offence.
        self.previous_offences: list[str] = []

    def counts(self, out: _Writer) -> dict[str, int]:
        return dict(out.counters)

    # -- one child and everything about them ------------------------------------------

    def child(self, out: _Writer, number: int) -> None:
        rng = self.rng
        child_id = f"C{number:07d}"
        sex = "M" if rng.random() < 0.8 else "F"
        first_offence = rng.randint(self.first, self.last)
        age = self.age()
        dob = date.fromordinal(first_offence - age * 365 - rng.randint(6, 358))
        tenth = add_years(dob, 10).toordinal()
        eighteenth = add_years(dob, 18).toordinal()
        first_offence = max(first_offence, tenth)
        looked_after = rng.random() < 0.07
        out.row(
            "children.csv",
            [
                child_id,
                rng.choice(GIVEN_NAMES[sex]),
                rng.choice(FAMILY_NAMES),
                dob.isoformat(),
                sex,
                self.ethnicity(),
                rng.choice(LOCALITIES),
                _yn(looked_after),
            ],
        )
        out.counters["children.csv"] += 1

        # Offences: at least one, then each further one with probability 1 - p_stop.
        offence_days = [first_offence]
        while rng.random() > self.p_stop and len(offence_days) < 25:
            day = offence_days[-1] + rng.randint(15, 320)
            if day > self.last or day >= eighteenth:
                break
            offence_days.append(day)
        offences = []
        for day in offence_days:
            offence_id = out.next_id("offences.csv", "OF", 8)
            code, _, (low, high), weapon_chance, victim = self.category()
            seriousness = rng.randint(low, high)
            out.row(
                "offences.csv",
                [
                    offence_id,
                    child_id,
                    _iso(day),
                    code,
                    seriousness,
                    min(4, max(1, seriousness - rng.randint(0, 2))) if rng.random() < 0.7 else "",
                    DESCRIPTIONS.get(code, "") if rng.random() < 0.4 else "",
                    _yn(rng.random() < weapon_chance),
                ],
            )
            offences.append((offence_id, day, seriousness, victim))

        # Outcomes: offences close together are dealt with together.
        groups: list[list] = []
        for offence in offences:
            if groups and offence[1] - groups[-1][-1][1] < 40 and rng.random() < 0.5:
                groups[-1].append(offence)
            else:
                groups.append([offence])
        orders = []  # (start, end) of the child's orders, for the episodes
        substantive_before = False
        for group in groups:
            order = self.outcomes_for(out, child_id, group, substantive_before)
            if order:
                orders.append(order)
                substantive_before = True
        for offence_id, day, _, victim in offences:
            if victim and rng.random() < 0.55:
                self.victim(out, offence_id, day)
        self.previous_offences = [o[0] for o in offences]
        self.episodes(out, child_id, dob, offence_days[0], orders, looked_after)

    def outcomes_for(self, out: _Writer, child_id: str, group: list, repeat: bool):
        """The police referral and panel decision, or the court sentence, for
        a group of offences. Returns the (start, end) of any order made."""
        rng = self.rng
        ids = ";".join(o[0] for o in group)
        latest = max(o[1] for o in group)
        seriousness = max(o[2] for o in group)
        if seriousness <= 4 and rng.random() < (0.45 if repeat else 0.8):
            referral_day = latest + rng.randint(2, 30)
            if referral_day > self.last:
                return None
            admission = rng.random() < 0.82
            panel_day = referral_day + rng.randint(5, 45)
            referral_id = out.next_id("oocd_referrals.csv", "RF", 7)
            if panel_day > self.last:  # still waiting for the panel
                out.row(
                    "oocd_referrals.csv",
                    [referral_id, child_id, ids, _iso(referral_day), _yn(admission), "", "", ""],
                )
                return None
            decision = self.decided_admitted() if admission else self.decided_not_admitted()
            if decision == "charge":
                out.row(
                    "oocd_referrals.csv",
                    [
                        referral_id,
                        child_id,
                        ids,
                        _iso(referral_day),
                        _yn(admission),
                        _iso(panel_day),
                        decision,
                        "",
                    ],
                )
                return self.sentence(
                    out, child_id, ids, panel_day + rng.randint(20, 120), seriousness
                )
            outcome_id, order = self.outcome(out, child_id, ids, panel_day, decision)
            out.row(
                "oocd_referrals.csv",
                [
                    referral_id,
                    child_id,
                    ids,
                    _iso(referral_day),
                    _yn(admission),
                    _iso(panel_day),
                    decision,
                    outcome_id,
                ],
            )
            return order
        return self.sentence(out, child_id, ids, latest + rng.randint(30, 200), seriousness)

    def sentence(self, out: _Writer, child_id: str, ids: str, day: int, seriousness: int):
        rng = self.rng
        if day > self.last:
            return None
        kind = self.court()
        if seriousness >= 6 and rng.random() < 0.3:
            kind = "detention_and_training_order"
        if kind in ("detention_and_training_order", "yro_intensive_supervision") and (
            rng.random() < 0.4
        ):
            start = day - rng.randint(20, 90)
            remand_end = day if rng.random() < 0.9 else None
            out.row(
                "remands.csv",
                [
                    out.next_id("remands.csv", "RM", 7),
                    child_id,
                    _iso(max(start, self.first)),
                    _iso(remand_end),
                    self.remand(),
                ],
            )
        return self.outcome(out, child_id, ids, day, kind)[1]

    def outcome(self, out: _Writer, child_id: str, ids: str, day: int, kind: str):
        rng = self.rng
        outcome_id = out.next_id("outcomes.csv", "OU", 8)
        yjs = ""
        months = ORDER_MONTHS.get(kind)
        if kind in ("community_resolution", "outcome_22", "youth_caution"):
            with_programme = rng.random() < 0.55
            yjs = _yn(with_programme)
            if not with_programme:
                months = None
        end = release = None
        if months:
            length = rng.randint(*months)
            end = add_months(date.fromordinal(day), length).toordinal() + rng.randint(0, 20)
            if kind in ("detention_and_training_order", "long_term_detention"):
                release = day + (end - day) // 2
                if release > self.last:
                    release = None
            if end > self.last:
                end = None
        completed = None
        if end and rng.random() < 0.92:
            completed = rng.random() < 0.78
        out.row(
            "outcomes.csv",
            [
                outcome_id,
                child_id,
                ids,
                _iso(day),
                kind,
                _iso(end),
                _iso(release),
                yjs,
                _yn(completed),
            ],
        )
        order = (day, end or self.last) if months else None
        return outcome_id, order

    def victim(self, out: _Writer, offence_id: str, day: int) -> None:
        rng = self.rng
        ids = offence_id
        if self.previous_offences and rng.random() < 0.05:
            ids = f"{self.previous_offences[0]};{offence_id}"  # co-offending
        consent = rng.random() < 0.62
        contacted = day + rng.randint(7, 60) if consent and rng.random() < 0.85 else None
        if contacted and contacted > self.last:
            contacted = None
        engaged = consent and rng.random() < 0.35
        progress_requested = rng.random() < 0.4 if consent else None
        support_requested = rng.random() < 0.3 if consent else None
        out.row(
            "victims.csv",
            [
                out.next_id("victims.csv", "VI", 7),
                ids,
                "person" if rng.random() < 0.78 else "business",
                _yn(consent),
                _iso(contacted),
                _yn(rng.random() < 0.7) if consent else "",
                _yn(rng.random() < 0.6) if consent else "",
                _yn(engaged) if consent else "",
                rng.choice(("direct", "indirect")) if engaged else "",
                _yn(progress_requested),
                _yn(rng.random() < 0.8) if progress_requested else "",
                _yn(support_requested),
                _yn(rng.random() < 0.85) if support_requested else "",
                rng.randint(1, 5) if consent and rng.random() < 0.5 else "",
            ],
        )

    # -- episodes around the orders (interchange.md, "Episodes") -------------------------

    def episodes(self, out, child_id, dob, first_offence, orders, looked_after) -> None:
        rng = self.rng
        if not orders:
            return
        start = max(first_offence - rng.randint(60, 900), dob.toordinal() + 365 * 9)
        stop = max(end for _, end in orders)
        # Accommodation: consecutive episodes covering the orders.
        day = start
        while day <= stop:
            length = rng.randint(120, 900)
            end = day + length
            kind = "foster_care" if looked_after and rng.random() < 0.6 else self.accommodation()
            suitability = (
                "suitable"
                if rng.random() < 0.84
                else ("unsuitable" if rng.random() < 0.8 else "unknown")
            )
            out.row(
                "accommodation.csv",
                [
                    out.next_id("accommodation.csv", "AC", 7),
                    child_id,
                    _iso(day),
                    _iso(end if end <= self.last else None),
                    kind,
                    suitability,
                    "Y" if rng.random() < 0.97 else "N",
                ],
            )
            if end > self.last:
                break
            day = end + 1
        # Education, training or employment, by age.
        day = start
        sixteenth = add_years(dob, 16).toordinal()
        while day <= stop:
            end = day + rng.randint(150, 700)
            provision = self.ete_school() if day < sixteenth else self.ete_older()
            offered = 0 if provision == "none" else rng.choice((10, 15, 16, 20, 25, 25, 30))
            attended = round(offered * rng.uniform(0.3, 1.0), 1) if offered else 0
            suitability = (
                "unsuitable"
                if provision == "none" or rng.random() < 0.22
                else ("suitable" if rng.random() < 0.93 else "unknown")
            )
            out.row(
                "ete.csv",
                [
                    out.next_id("ete.csv", "ET", 7),
                    child_id,
                    _iso(day),
                    _iso(end if end <= self.last else None),
                    provision,
                    suitability,
                    offered,
                    f"{attended:.1f}",
                ],
            )
            if end > self.last:
                break
            day = end + 1
        if looked_after or rng.random() < 0.3:
            status = (
                "looked_after"
                if looked_after
                else rng.choice(
                    ("child_protection", "child_in_need", "child_in_need", "early_help")
                )
            )
            begin = min(start + rng.randint(0, 400), self.last)
            end = begin + rng.randint(90, 1000)
            out.row(
                "care_statuses.csv",
                [
                    out.next_id("care_statuses.csv", "CS", 7),
                    child_id,
                    status,
                    _iso(begin),
                    _iso(end if end <= self.last and rng.random() < 0.8 else None),
                ],
            )
        if rng.random() < 0.22:
            begin = dob.toordinal() + rng.randint(5 * 365, 13 * 365)
            end = begin + rng.randint(365, 2500)
            out.row(
                "send.csv",
                [
                    out.next_id("send.csv", "SE", 7),
                    child_id,
                    _iso(min(begin, self.last)),
                    _iso(end if end <= self.last and rng.random() < 0.6 else None),
                    rng.choice(("ehcp", "sen_support", "sen_support", "none")),
                ],
            )
        for kind, chance, types in (
            ("mental_health", 0.35, ("advice", "help", "additional_help", "risk_support")),
            ("substance_misuse", 0.22, ("targeted", "specialist", "complex_care")),
        ):
            if rng.random() >= chance:
                continue
            order_start = orders[0][0]
            screened = min(order_start + rng.randint(-60, 60), self.last)
            offered = screened + rng.randint(5, 40) if rng.random() < 0.75 else None
            attended = offered + rng.randint(3, 40) if offered and rng.random() < 0.7 else None
            if offered and offered > self.last:
                offered = attended = None
            if attended and attended > self.last:
                attended = None
            attended_end = attended + rng.randint(30, 300) if attended else None
            if attended_end and (attended_end > self.last or rng.random() < 0.3):
                attended_end = None
            out.row(
                "health.csv",
                [
                    out.next_id("health.csv", "HN", 7),
                    child_id,
                    kind,
                    _iso(screened),
                    _iso(offered),
                    _iso(attended),
                    _iso(attended_end),
                    rng.choice(types) if offered else "",
                ],
            )
