"""Property-based tests of the rules for a child's data (cases.validation),
shared by the forms and the service extract import.

Whatever arrives, random or hostile (huge strings, control characters and
NUL, lone surrogates, dates out of range, SQL, HTML and CSV-formula
injection), a parser either refuses it with ``Invalid`` and a message a
person can read, or returns it exactly; the rules return problems and never
raise. The forms are driven through the test client the same way: a page
with the GOV.UK error summary, or a redirect with the value stored exactly.
"""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from cases import validation as v
from cases import vocab
from cases.models import CaseNote, Child, Offence
from tests.factories import ChildFactory

PURE = settings(max_examples=100, deadline=None)
# No shrinking through the database: a failure is reported as found, not minimised
# for minutes.
VIEWS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)

ADVERSARIAL = [
    "",
    " ",
    "\t",
    "\r\n",
    "\x00",
    "a\x00b",
    "\x1b[31mred\x1b[0m",
    "\x7f",
    "\x85",
    "\u2028",
    "\ufeff",
    "\u202eevil",
    "\U0001f600",
    "e\u0301",
    "'; DROP TABLE cases_child; --",
    "Robert'); DROP TABLE students;--",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "=cmd|' /C calc'!A0",
    "+SUM(1,1)",
    "-2+3",
    "@SUM(A1)",
    "{{ 7*7 }}",
    "{% debug %}",
    "%s%s%s%n",
    "../../etc/passwd",
    "Y",
    "N",
    "0",
    "-1",
    "1e9",
    "NaN",
    "Infinity",
    "١٢",
    "２",
    "0000-01-01",
    "9999-12-31",
    "2023-02-30",
    "2024-02-29",
    "2023-02-29",
    "1899-12-31",
    "1900-01-01",
    "2023-13-01",
    "２０２３-０１-０１",
    "2023-01-01\x00",
    "2023-1-1",
    "01/02/2023",
    "x" * 65,
    "x" * 10_001,
    "A" * 1_000_000,
    "\x00" * 1000,
    "; ;",
    "a;a",
    "a; b",
]
SURROGATES = [chr(c) for c in (0xD800, 0xDBFF, 0xDC00, 0xDFFF)]
CONTROLS = [chr(c) for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]]

# Any text: random, hostile pieces, control characters and lone surrogates, mixed.
pieces = st.one_of(
    st.text(max_size=30),
    st.sampled_from(ADVERSARIAL),
    st.sampled_from(CONTROLS),
    st.sampled_from(SURROGATES),
)
any_text = st.one_of(st.sampled_from(ADVERSARIAL), st.lists(pieces, max_size=6).map("".join))
# What can arrive over HTTP (a browser cannot send a lone surrogate).
http_pieces = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=30),
    st.sampled_from(ADVERSARIAL[:-3]),  # not the huge strings: a page stays fast
    st.sampled_from(CONTROLS),
)
http_text = st.lists(http_pieces, max_size=5).map("".join)
date_text = st.one_of(
    st.dates().map(date.isoformat),
    st.sampled_from([a for a in ADVERSARIAL if len(a) < 100]),
    st.text(max_size=12),
)


def forbidden(text: str) -> bool:
    """Characters the service never stores: control characters other than tab,
    line feed and carriage return (a browser sends CR LF), and lone surrogates."""
    return any(unicodedata.category(c) in ("Cc", "Cs") and c not in "\t\n\r" for c in text)


def outcome(parser, value, *args, **kwargs):
    """``(True, result)`` or ``(False, message)``; any other exception fails the test."""
    try:
        return True, parser(value, *args, **kwargs)
    except v.Invalid as error:
        message = str(error)
        assert message.strip(), f"{parser.__name__}({value[:40]!r}) refused without a message"
        assert not forbidden(message), f"message shows raw control characters: {message!r}"
        assert len(message) < 1000, "message repeats a huge value"
        return False, message


# --- Parsers ---------------------------------------------------------------------


@PURE
@given(value=any_text, max_length=st.integers(1, 20_000), required=st.booleans())
def test_parse_text_returns_exactly_what_it_accepts(value, max_length, required):
    accepted, result = outcome(v.parse_text, value, max_length=max_length, required=required)
    should_accept = (
        not forbidden(value) and len(value) <= max_length and not (required and not value.strip())
    )
    assert accepted == should_accept, (value[:60], result)
    if accepted:
        assert result == value and type(result) is str


@pytest.mark.parametrize("control", [c for c in CONTROLS if c not in "\t\n\r"] + SURROGATES)
def test_parse_text_refuses_every_control_character(control):
    with pytest.raises(v.Invalid, match="control characters|not valid text"):
        v.parse_text(f"Ava{control}Smith")


@pytest.mark.parametrize("kept", ["\t", "\n", "\r\n", "\u2028", "\ufeff", "e\u0301", "\U0001f600"])
def test_parse_text_keeps_tabs_newlines_and_odd_unicode(kept):
    assert v.parse_text(f"line{kept}line") == f"line{kept}line"


@PURE
@given(value=any_text)
def test_parse_id(value):
    accepted, result = outcome(v.parse_id, value)
    should_accept = (
        not forbidden(value) and 0 < len(value) <= v.MAX_ID_LENGTH and value == value.strip()
    )
    assert accepted == should_accept, (value[:60], result)
    if accepted:
        assert result == value


@PURE
@given(value=st.one_of(any_text, st.lists(any_text, max_size=4).map(";".join)))
def test_parse_id_list(value):
    accepted, result = outcome(v.parse_id_list, value)
    if accepted:
        assert result == [part.strip() for part in value.split(";")]
        assert len(set(result)) == len(result) and result
        for part in result:
            assert v.parse_id(part) == part


@PURE
@given(value=st.one_of(date_text, any_text))
def test_parse_date(value):
    accepted, result = outcome(v.parse_date, value)
    if accepted:
        assert isinstance(result, date)
        assert result.isoformat() == value.strip()
        assert result >= v.EARLIEST_DATE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0000-01-01", None),
        ("1899-12-31", None),
        ("2023-02-30", None),
        ("2023-02-29", None),
        ("2023-13-01", None),
        ("２０２３-０１-０１", None),
        ("2023-01-01\x00", None),
        ("1900-01-01", date(1900, 1, 1)),
        ("2024-02-29", date(2024, 2, 29)),
        ("9999-12-31", date(9999, 12, 31)),
    ],
)
def test_parse_date_edges(text, expected):
    if expected is None:
        with pytest.raises(v.Invalid):
            v.parse_date(text)
    else:
        assert v.parse_date(text) == expected


@PURE
@given(value=any_text, required=st.booleans(), default=st.sampled_from([None, True, False]))
def test_parse_flag(value, required, default):
    accepted, result = outcome(v.parse_flag, value, required=required, default=default)
    expected = {"Y": True, "N": False}.get(value.strip(), "refused")
    if not value.strip():
        expected = "refused" if required else default
    assert (result if accepted else "refused") == expected


@PURE
@given(
    value=st.one_of(any_text, st.integers(-(10**14), 10**14).map(str)),
    low=st.integers(-100, 100),
    span=st.one_of(st.none(), st.integers(0, 10**6)),
)
def test_parse_int(value, low, span):
    high = None if span is None else low + span
    accepted, result = outcome(v.parse_int, value, low=low, high=high)
    if accepted:
        assert type(result) is int and result == int(value.strip())
        assert low <= result and (high is None or result <= high)


@PURE
@given(
    value=st.one_of(
        any_text,
        st.decimals(-1000, 1000, places=2, allow_nan=False).map(str),
        st.sampled_from(["60", "60.0", "60.01", "0", "0.00", "1.234", "12.", ".5", "1e1"]),
    )
)
def test_parse_hours(value):
    accepted, result = outcome(v.parse_hours, value)
    if accepted:
        assert isinstance(result, Decimal) and result == Decimal(value.strip())
        assert 0 <= result <= 60


@PURE
@given(value=st.one_of(any_text, st.sampled_from(sorted(vocab.codes(vocab.OFFENCE_CATEGORY)))))
def test_parse_code(value):
    accepted, result = outcome(v.parse_code, value, vocab.OFFENCE_CATEGORY)
    if accepted:
        assert result == value.strip() and result in vocab.codes(vocab.OFFENCE_CATEGORY)


# --- Rules -----------------------------------------------------------------------

maybe_date = st.one_of(st.none(), st.dates())
maybe_flag = st.sampled_from([None, True, False])
maybe_int = st.one_of(st.none(), st.integers(-(10**6), 10**6))
maybe_hours = st.one_of(st.none(), st.decimals(0, 60, places=1, allow_nan=False))
code_or_junk = st.one_of(st.just(""), st.sampled_from(ADVERSARIAL[:-3]), st.text(max_size=10))


def problems_ok(problems) -> None:
    assert isinstance(problems, list)
    for problem in problems:
        assert isinstance(problem, v.Problem)
        assert problem.field and problem.message.strip()


@PURE
@given(
    date_of_birth=maybe_date,
    offence_date=maybe_date,
    today=st.dates(),
    seriousness_score=maybe_int,
    gravity_score=maybe_int,
)
def test_child_and_offence_rules_never_raise(
    date_of_birth, offence_date, today, seriousness_score, gravity_score
):
    problems_ok(v.child_problems(date_of_birth=date_of_birth, today=today))
    problems = v.offence_problems(
        date_of_birth=date_of_birth,
        offence_date=offence_date,
        today=today,
        seriousness_score=seriousness_score,
        gravity_score=gravity_score,
    )
    problems_ok(problems)
    if seriousness_score is not None and not 1 <= seriousness_score <= 8:
        assert "seriousness_score" in {p.field for p in problems}
    if offence_date and offence_date > today:
        assert "offence_date" in {p.field for p in problems}


@PURE
@given(
    outcome_type=st.one_of(st.sampled_from(sorted(vocab.codes(vocab.OUTCOME_TYPE))), code_or_junk),
    outcome_date=maybe_date,
    offence_dates=st.lists(st.dates(), max_size=3),
    end_date=maybe_date,
    release_date=maybe_date,
    successfully_completed=maybe_flag,
    today=maybe_date,
)
def test_outcome_rules_never_raise(**values):
    problems_ok(v.outcome_problems(**values))


@PURE
@given(
    start_date=maybe_date,
    end_date=maybe_date,
    hours_offered=maybe_hours,
    hours_attended=maybe_hours,
)
def test_episode_and_ete_rules_never_raise(start_date, end_date, hours_offered, hours_attended):
    problems = v.episode_problems(start_date=start_date, end_date=end_date)
    problems_ok(problems)
    assert bool(problems) == bool(start_date and end_date and end_date < start_date)
    problems = v.ete_problems(hours_offered=hours_offered, hours_attended=hours_attended)
    problems_ok(problems)
    over = hours_offered is not None and hours_attended is not None
    assert bool(problems) == (over and hours_attended > hours_offered)


@PURE
@given(
    kind=st.one_of(st.sampled_from(sorted(vocab.codes(vocab.HEALTH_KIND))), code_or_junk),
    screened_date=maybe_date,
    offered_date=maybe_date,
    attended_start_date=maybe_date,
    attended_end_date=maybe_date,
    intervention_type=st.one_of(
        st.sampled_from(sorted(vocab.codes(vocab.HEALTH_INTERVENTION))), code_or_junk
    ),
)
def test_health_rules_never_raise(**values):
    problems_ok(v.health_problems(**values))


@PURE
@given(
    consent_to_contact=maybe_flag,
    rj_engaged=maybe_flag,
    rj_type=st.one_of(st.sampled_from(sorted(vocab.codes(vocab.RJ_TYPE))), code_or_junk),
    progress_requested=maybe_flag,
    progress_provided=maybe_flag,
    support_requested=maybe_flag,
    support_provided=maybe_flag,
    satisfaction=maybe_int,
)
def test_victim_rules_never_raise(**values):
    problems_ok(v.victim_problems(**values))


@PURE
@given(
    referral_date=maybe_date,
    admission=maybe_flag,
    panel_date=maybe_date,
    decision=st.one_of(st.sampled_from(sorted(vocab.codes(vocab.OOCD_DECISION))), code_or_junk),
    offence_dates=st.lists(st.dates(), max_size=3),
    today=maybe_date,
)
def test_referral_rules_never_raise(**values):
    problems_ok(v.referral_problems(**values))


# --- Forms, through the test client -------------------------------------------------


def refused_on_the_page(response) -> bool:
    return response.status_code == 200 and "govuk-error-summary" in response.content.decode()


def stored_exactly(stored: str, typed: str) -> bool:
    """A form keeps what was typed, less leading and trailing white space."""
    return stored == typed.strip()


def _child_data(**values) -> dict:
    return {
        "given_name": "Noah",
        "family_name": "Synthetic",
        "date_of_birth": "2010-02-03",
        "sex": "M",
        "ethnicity": "mixed",
        **values,
    }


CHILD_TEXT = ("given_name", "family_name", "preferred_name", "locality", "address", "school")


@VIEWS
@given(
    text=st.fixed_dictionaries(dict.fromkeys(CHILD_TEXT, http_text)),
    date_of_birth=date_text,
)
@pytest.mark.django_db
def test_child_form_stores_exactly_or_explains(client_as, text, date_of_birth):
    client = client_as("practitioner")
    before = set(Child.objects.values_list("pk", flat=True))
    response = client.post(
        reverse("cases:child_create"), _child_data(**text, date_of_birth=date_of_birth)
    )
    created = Child.objects.exclude(pk__in=before)
    if response.status_code == 302:
        child = created.get()
        for name, typed in text.items():
            assert not forbidden(typed.strip()), f"{name} stored {typed!r}"
            assert stored_exactly(getattr(child, name), typed), name
        assert v.EARLIEST_DATE <= child.date_of_birth <= date.today() + timedelta(days=1)
        assert client.get(reverse("cases:child", args=[child.pk])).status_code == 200
    else:
        assert refused_on_the_page(response), response.status_code
        assert not created.exists()
        if any(forbidden(typed.strip()) for typed in text.values()):
            assert "control characters" in response.content.decode()


@pytest.fixture
def form_child(db):
    return ChildFactory(date_of_birth=date(2008, 5, 17))


@VIEWS
@given(
    offence_date=date_text,
    category=st.one_of(
        st.sampled_from(sorted(vocab.codes(vocab.OFFENCE_CATEGORY))),
        st.sampled_from(ADVERSARIAL[:-3]),
    ),
    seriousness_score=st.one_of(st.integers(-5, 12).map(str), st.sampled_from(ADVERSARIAL[:-3])),
    description=http_text,
)
def test_offence_form_stores_exactly_or_explains(
    client_as, form_child, offence_date, category, seriousness_score, description
):
    client = client_as("practitioner")
    before = set(Offence.objects.values_list("pk", flat=True))
    response = client.post(
        reverse("cases:offence_create", args=[form_child.pk]),
        {
            "offence_date": offence_date,
            "category": category,
            "seriousness_score": seriousness_score,
            "description": description,
        },
    )
    created = Offence.objects.exclude(pk__in=before)
    if response.status_code == 302:
        offence = created.get()
        assert offence.child_id == form_child.pk
        assert not forbidden(description.strip())
        assert stored_exactly(offence.description, description)
        assert offence.category == category
        assert 1 <= offence.seriousness_score <= 8
        assert offence.offence_date >= date(2018, 5, 17)  # the child's 10th birthday
        assert client.get(reverse("cases:child", args=[form_child.pk])).status_code == 200
    else:
        assert refused_on_the_page(response), response.status_code
        assert not created.exists()


@VIEWS
@given(text=st.one_of(http_text, st.sampled_from(["x" * 10_000, "x" * 10_001])))
def test_case_note_form_stores_exactly_or_explains(client_as, form_child, text):
    client = client_as("practitioner")
    before = set(CaseNote.objects.values_list("pk", flat=True))
    response = client.post(
        reverse("cases:note_create", args=[form_child.pk]),
        {"written_on": "2024-03-01", "text": text},
    )
    created = CaseNote.objects.exclude(pk__in=before)
    if response.status_code == 302:
        note = created.get()
        assert not forbidden(text.strip()) and text.strip()
        assert stored_exactly(note.text, text) and len(note.text) <= 10_000
    else:
        assert refused_on_the_page(response), response.status_code
        assert not created.exists()
