"""The rules for a child's data: one implementation, used by the forms, the
service extract import and the services alike (architecture.md).

Two layers:

* *parsers* turn the text of a CSV cell or form field into a value, raising
  ``Invalid`` with a plain-English message (``parse_date``, ``parse_flag``...);
* *rules* check typed values together and return a list of ``Problem``
  (field name as in interchange.md, message). An empty list means valid.

Messages are written to be shown as they are: in an import report as
``file.csv:ROW: column: message`` and in a form's error summary.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from cases import vocab
from yjs.dates import add_years

# Earliest date the service accepts anywhere: guards against typos like 1024.
EARLIEST_DATE = date(1900, 1, 1)
MAX_ID_LENGTH = 64
MAX_TEXT_LENGTH = 10_000
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Control characters other than tab, line feed and carriage return (a browser
# sends a new line as CR LF), C1 included; PostgreSQL refuses NUL in text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Half of a UTF-16 pair: not text, and cannot be encoded to store it.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class Invalid(ValueError):
    """A value that cannot be accepted; ``str()`` is the message."""


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


# --- Parsers -----------------------------------------------------------------


def check_characters(value: str) -> str:
    """Free text the service can store and show: the forms run every text
    field through this (yjs.forms), the import through ``parse_text``."""
    if _CONTROL.search(value):
        raise Invalid("must not contain control characters")
    if _SURROGATE.search(value):
        raise Invalid("contains characters that are not valid text")
    return value


def check_date(value: date) -> date:
    """A date no earlier than the service accepts anywhere (forms and import)."""
    if value < EARLIEST_DATE:
        raise Invalid(f"{value.isoformat()} is before {EARLIEST_DATE.year}")
    return value


def parse_text(value: str, *, max_length: int = 200, required: bool = False) -> str:
    if value is None:
        value = ""
    check_characters(value)
    if required and not value.strip():
        raise Invalid("is required")
    if len(value) > max_length:
        raise Invalid(f"must be {max_length} characters or fewer")
    return value


def parse_id(value: str) -> str:
    value = parse_text(value, max_length=MAX_ID_LENGTH, required=True)
    if value != value.strip():
        raise Invalid("must not start or end with spaces")
    return value


def parse_id_list(value: str) -> list[str]:
    """``;``-separated identifiers, at least one, no repeats."""
    if not (value or "").strip():
        raise Invalid("is required")
    ids = [part.strip() for part in value.split(";")]
    if any(not part for part in ids):
        raise Invalid("has an empty identifier between ';' separators")
    for part in ids:
        parse_id(part)
    if len(set(ids)) != len(ids):
        raise Invalid("lists the same identifier twice")
    return ids


def parse_date(value: str, *, required: bool = True) -> date | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise Invalid("is required")
        return None
    if not _DATE.match(value):
        raise Invalid(f"{_shown(value)} is not a date in the form YYYY-MM-DD")
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"{_shown(value)} is not a real date") from None
    return check_date(parsed)


def parse_flag(value: str, *, required: bool = False, default: bool | None = None) -> bool | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise Invalid("is required")
        return default
    if value == "Y":
        return True
    if value == "N":
        return False
    raise Invalid(f"{_shown(value)} must be Y or N")


def parse_int(
    value: str, *, low: int, high: int | None = None, required: bool = True
) -> int | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise Invalid("is required")
        return None
    if not re.fullmatch(r"[+-]?\d{1,12}", value):
        raise Invalid(f"{_shown(value)} is not a whole number")
    number = int(value)
    if number < low or (high is not None and number > high):
        raise Invalid(f"{number} must be {_range(low, high)}")
    return number


def parse_hours(value: str, *, low: float = 0, high: float = 60) -> Decimal:
    value = (value or "").strip()
    if not value:
        raise Invalid("is required")
    if not re.fullmatch(r"\d{1,3}(\.\d{1,2})?", value):
        raise Invalid(f"{_shown(value)} is not a number of hours")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise Invalid(f"{_shown(value)} is not a number of hours") from None
    if number < Decimal(str(low)) or number > Decimal(str(high)):
        raise Invalid(f"{value} must be between {low:g} and {high:g} hours")
    return number.quantize(Decimal("0.1")) if number == number.quantize(Decimal("0.1")) else number


def parse_code(value: str, choices, *, required: bool = True) -> str:
    value = (value or "").strip()
    if not value:
        if required:
            raise Invalid("is required")
        return ""
    allowed = choices if isinstance(choices, frozenset) else _allowed_codes(choices)
    if value not in allowed:
        raise Invalid(f"{_shown(value)} is not one of: {', '.join(sorted(allowed))}")
    return value


_CODES_CACHE: dict[int, tuple[object, frozenset[str]]] = {}


def _allowed_codes(choices) -> frozenset[str]:
    """The codes of a choice list, computed once per list (the import parses
    millions of cells against the same few lists)."""
    cached = _CODES_CACHE.get(id(choices))
    if cached is None or cached[0] is not choices:
        if len(_CODES_CACHE) > 256:  # lists built per call: do not grow without end
            _CODES_CACHE.clear()
        cached = (choices, vocab.codes(choices))
        _CODES_CACHE[id(choices)] = cached
    return cached[1]


def _shown(value: str) -> str:
    value = _SURROGATE.sub("?", _CONTROL.sub("?", value))
    return repr(value if len(value) <= 40 else value[:37] + "...")


def _range(low: int, high: int | None) -> str:
    return f"at least {low}" if high is None else f"between {low} and {high}"


# --- Rules -------------------------------------------------------------------


def child_problems(*, date_of_birth: date | None, today: date) -> list[Problem]:
    problems = []
    if date_of_birth and date_of_birth > today:
        problems.append(Problem("date_of_birth", "must not be in the future"))
    return problems


def tenth_birthday(date_of_birth: date) -> date:
    return add_years(date_of_birth, 10)


def offence_problems(
    *,
    date_of_birth: date | None,
    offence_date: date | None,
    today: date,
    seriousness_score: int | None = None,
    gravity_score: int | None = None,
) -> list[Problem]:
    problems = []
    if offence_date:
        if offence_date > today:
            problems.append(Problem("offence_date", "must not be in the future"))
        if date_of_birth and offence_date < tenth_birthday(date_of_birth):
            problems.append(
                Problem(
                    "offence_date",
                    f"{offence_date} is before the child's 10th birthday "
                    f"({tenth_birthday(date_of_birth)}): "
                    "a child under 10 cannot be held responsible for an offence",
                )
            )
    if seriousness_score is not None and not 1 <= seriousness_score <= 8:
        problems.append(Problem("seriousness_score", "must be between 1 and 8"))
    if gravity_score is not None and not 1 <= gravity_score <= 4:
        problems.append(Problem("gravity_score", "must be between 1 and 4"))
    return problems


def outcome_problems(
    *,
    outcome_type: str,
    outcome_date: date | None,
    offence_dates: Iterable[date] = (),
    end_date: date | None = None,
    release_date: date | None = None,
    successfully_completed: bool | None = None,
    today: date | None = None,
) -> list[Problem]:
    problems = []
    custodial = outcome_type in vocab.CUSTODIAL
    if outcome_date:
        if today and outcome_date > today:
            problems.append(Problem("outcome_date", "must not be in the future"))
        latest = max(offence_dates, default=None)
        if latest and outcome_date < latest:
            problems.append(
                Problem("outcome_date", f"{outcome_date} is before its offence on {latest}")
            )
        if end_date and end_date < outcome_date:
            problems.append(Problem("end_date", f"{end_date} is before the outcome date"))
        if release_date and release_date < outcome_date:
            problems.append(Problem("release_date", f"{release_date} is before the outcome date"))
    if release_date and not custodial:
        problems.append(
            Problem("release_date", "is only for custodial sentences (DTO, long-term detention)")
        )
    if successfully_completed is not None and not end_date:
        problems.append(
            Problem("successfully_completed", "can only be recorded once the order has an end date")
        )
    return problems


def episode_problems(*, start_date: date | None, end_date: date | None) -> list[Problem]:
    if start_date and end_date and end_date < start_date:
        return [Problem("end_date", f"{end_date} is before the start date {start_date}")]
    return []


def ete_problems(*, hours_offered: Decimal | None, hours_attended: Decimal | None) -> list[Problem]:
    if hours_offered is not None and hours_attended is not None and hours_attended > hours_offered:
        return [Problem("hours_attended", "must not be more than the hours offered")]
    return []


def health_problems(
    *,
    kind: str,
    screened_date: date | None,
    offered_date: date | None,
    attended_start_date: date | None,
    attended_end_date: date | None,
    intervention_type: str,
) -> list[Problem]:
    problems = []
    if screened_date:
        if offered_date and offered_date < screened_date:
            problems.append(Problem("offered_date", "is before the screened date"))
        if attended_start_date and attended_start_date < screened_date:
            problems.append(Problem("attended_start_date", "is before the screened date"))
    if attended_end_date and not attended_start_date:
        problems.append(Problem("attended_end_date", "needs an attended start date"))
    if attended_start_date and attended_end_date and attended_end_date < attended_start_date:
        problems.append(Problem("attended_end_date", "is before the attended start date"))
    if offered_date and not intervention_type:
        problems.append(
            Problem("intervention_type", "is required when an intervention was offered")
        )
    if intervention_type and kind in vocab.HEALTH_INTERVENTIONS_FOR:
        allowed = vocab.HEALTH_INTERVENTIONS_FOR[kind]
        if intervention_type not in allowed:
            problems.append(
                Problem(
                    "intervention_type",
                    f"{intervention_type!r} is not a {kind.replace('_', ' ')} intervention "
                    f"(one of: {', '.join(sorted(allowed))})",
                )
            )
    return problems


def victim_problems(
    *,
    consent_to_contact: bool | None,
    rj_engaged: bool | None,
    rj_type: str,
    progress_requested: bool | None,
    progress_provided: bool | None,
    support_requested: bool | None,
    support_provided: bool | None,
    satisfaction: int | None = None,
) -> list[Problem]:
    problems = []
    if rj_engaged and not consent_to_contact:
        problems.append(Problem("rj_engaged", "needs the victim's consent to contact"))
    if rj_engaged and not rj_type:
        problems.append(Problem("rj_type", "is required when the victim engaged with RJ"))
    if rj_type and not rj_engaged:
        problems.append(Problem("rj_type", "is only for a victim who engaged with RJ"))
    if progress_provided and not progress_requested:
        problems.append(Problem("progress_provided", "needs progress information to be requested"))
    if support_provided and not support_requested:
        problems.append(Problem("support_provided", "needs support information to be requested"))
    if satisfaction is not None and not 1 <= satisfaction <= 5:
        problems.append(Problem("satisfaction", "must be between 1 and 5"))
    return problems


def referral_problems(
    *,
    referral_date: date | None,
    admission: bool | None,
    panel_date: date | None,
    decision: str,
    offence_dates: Iterable[date] = (),
    today: date | None = None,
) -> list[Problem]:
    problems = []
    if referral_date and today and referral_date > today:
        problems.append(Problem("referral_date", "must not be in the future"))
    latest = max(offence_dates, default=None)
    if referral_date and latest and referral_date < latest:
        problems.append(
            Problem("referral_date", f"{referral_date} is before its offence on {latest}")
        )
    if panel_date and referral_date and panel_date < referral_date:
        problems.append(Problem("panel_date", f"{panel_date} is before the referral date"))
    if panel_date and not decision:
        problems.append(Problem("decision", "is required when there is a panel date"))
    if decision and not panel_date:
        problems.append(Problem("panel_date", "is required when there is a decision"))
    if decision in vocab.NEEDS_ADMISSION and admission is False:
        label = dict(vocab.OOCD_DECISION)[decision].lower()
        problems.append(
            Problem("decision", f"a {label} needs the child's admission of the offence")
        )
    return problems
