"""Broken extracts are rejected whole, each with the exact report lines
(interchange.md, "General rules": ``file.csv:ROW: column: what is wrong``,
then a count; nothing written; exit status non-zero)."""

import shutil
from io import StringIO

import pytest
from django.core.management import call_command

from cases import vocab
from tests.cases.test_extract import EXAMPLE, TABLES, table_counts

BASE = {
    "children.csv": [
        "child_id,given_name,family_name,date_of_birth,sex,ethnicity,locality,looked_after",
        "C1,Ava,Stone,2008-05-17,F,white,North,N",
        "C2,Leo,Marsh,2009-01-02,M,black,,",
    ],
    "offences.csv": [
        "offence_id,child_id,offence_date,category,seriousness_score,gravity_score,"
        "description,weapon",
        "O1,C1,2023-03-01,theft_and_handling,2,2,,N",
        "O2,C2,2023-04-01,robbery,5,,,Y",
    ],
    "outcomes.csv": [
        "outcome_id,child_id,offence_ids,outcome_date,outcome_type,end_date,release_date,"
        "yjs_intervention,successfully_completed",
        "U1,C1,O1,2023-04-10,youth_caution,2023-07-10,,N,Y",
        "U2,C2,O2,2023-06-01,detention_and_training_order,2024-06-01,2023-12-01,,",
    ],
    "oocd_referrals.csv": [
        "referral_id,child_id,offence_ids,referral_date,admission,panel_date,decision,outcome_id",
        "R1,C1,O1,2023-03-10,Y,2023-04-10,youth_caution,U1",
    ],
    "population.csv": ["year,sex,ethnicity,population", "2023,M,white,1000", "2023,F,white,990"],
    "remands.csv": [
        "remand_id,child_id,start_date,end_date,remand_type",
        "M1,C2,2023-04-02,2023-06-01,youth_detention_accommodation",
    ],
    "accommodation.csv": [
        "accommodation_id,child_id,start_date,end_date,accommodation_type,suitability,"
        "primary_residence",
        "A1,C1,2020-01-01,,with_parents,suitable,Y",
    ],
    "ete.csv": [
        "ete_id,child_id,start_date,end_date,provision,suitability,hours_offered,hours_attended",
        "E1,C1,2022-09-01,,mainstream_school,suitable,25,20.5",
    ],
    "care_statuses.csv": [
        "status_id,child_id,status,start_date,end_date",
        "S1,C2,child_in_need,2022-01-01,2023-01-01",
    ],
    "send.csv": ["send_id,child_id,start_date,end_date,plan", "N1,C1,2019-01-01,,ehcp"],
    "health.csv": [
        "need_id,child_id,kind,screened_date,offered_date,attended_start_date,"
        "attended_end_date,intervention_type",
        "H1,C1,mental_health,2023-04-01,2023-04-15,2023-05-01,,help",
    ],
    "victims.csv": [
        "victim_id,offence_ids,victim_type,consent_to_contact,contacted_date,"
        "views_sought_prior,rj_offered,rj_engaged,rj_type,progress_requested,"
        "progress_provided,support_requested,support_provided,satisfaction",
        "V1,O1;O2,person,Y,2023-05-01,Y,Y,Y,direct,Y,Y,N,N,4",
    ],
}


def write_extract(directory, changes=None, *, encoding="utf-8"):
    files = {name: list(lines) for name, lines in BASE.items()}
    for name, lines in (changes or {}).items():
        if lines is None:
            files.pop(name)
        else:
            files[name] = lines
    directory.mkdir(exist_ok=True)
    for name, lines in files.items():
        (directory / name).write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return directory


def replace(name, line, text):
    """BASE[name] with physical line ``line`` (header = 1) replaced."""
    lines = list(BASE[name])
    lines[line - 1] = text
    return lines


def import_fails(directory) -> list[str]:
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_extract", str(directory), stdout=out, stderr=err)
    assert exit_info.value.code == 1
    assert sum(table_counts().values()) == 0, table_counts()
    return err.getvalue().splitlines()


def expect(lines: list[str], problems: list[str]) -> None:
    n = len(problems)
    assert lines == [*problems, f"{n} problem{'s' if n != 1 else ''} found: nothing was imported."]


@pytest.mark.django_db
def test_the_base_extract_is_valid(tmp_path):
    out = StringIO()
    call_command("import_extract", str(write_extract(tmp_path / "x")), stdout=out)
    assert table_counts()["children.csv"] == 2
    assert out.getvalue().splitlines()[-1] == "Imported 16 rows."


CASES = {
    "bad date": (
        {"children.csv": replace("children.csv", 3, "C2,Leo,Marsh,2009-02-30,M,black,,")},
        ["children.csv:3: date_of_birth: '2009-02-30' is not a real date"],
    ),
    "date not ISO": (
        {"offences.csv": replace("offences.csv", 2, "O1,C1,01/03/2023,theft_and_handling,2,2,,N")},
        ["offences.csv:2: offence_date: '01/03/2023' is not a date in the form YYYY-MM-DD"],
    ),
    "unknown code": (
        {"offences.csv": replace("offences.csv", 3, "O2,C2,2023-04-01,arson,5,,,Y")},
        [
            "offences.csv:3: category: 'arson' is not one of: "
            + ", ".join(sorted(vocab.codes(vocab.OFFENCE_CATEGORY)))
        ],
    ),
    "bad flag": (
        {"children.csv": replace("children.csv", 2, "C1,Ava,Stone,2008-05-17,F,white,North,yes")},
        ["children.csv:2: looked_after: 'yes' must be Y or N"],
    ),
    "dangling child": (
        {"remands.csv": replace("remands.csv", 2, "M1,C9,2023-04-02,,bail_supervision")},
        ["remands.csv:2: child_id: 'C9' is not in children.csv"],
    ),
    "dangling offence": (
        {
            "outcomes.csv": replace(
                "outcomes.csv", 3, "U2,C2,O9,2023-06-01,detention_and_training_order,,,,"
            )
        },
        ["outcomes.csv:3: offence_ids: 'O9' is not in offences.csv"],
    ),
    "another child's offence": (
        {"outcomes.csv": replace("outcomes.csv", 3, "U2,C2,O1,2023-06-01,fine,,,,")},
        ["outcomes.csv:3: offence_ids: 'O1' is an offence of another child"],
    ),
    "dangling victim offence": (
        {"victims.csv": replace("victims.csv", 2, "V1,O1;O7,person,N,,,,,,,,,,")},
        ["victims.csv:2: offence_ids: 'O7' is not in offences.csv"],
    ),
    "duplicate ids": (
        {"children.csv": [*BASE["children.csv"], "C2,Max,Hill,2009-01-02,M,white,,N"]},
        ["children.csv:4: child_id: 'C2' is already used on row 3"],
    ),
    "duplicate population key": (
        {"population.csv": [*BASE["population.csv"], "2023,M,white,5"]},
        ["population.csv:4: ethnicity: 2023, M, white is already on row 2"],
    ),
    "caution without admission": (
        {
            "oocd_referrals.csv": replace(
                "oocd_referrals.csv", 2, "R1,C1,O1,2023-03-10,N,2023-04-10,youth_caution,U1"
            )
        },
        [
            "oocd_referrals.csv:2: decision: "
            "a youth caution needs the child's admission of the offence"
        ],
    ),
    "referral outcome of another type": (
        {
            "oocd_referrals.csv": replace(
                "oocd_referrals.csv", 2, "R1,C1,O1,2023-03-10,Y,2023-04-10,outcome_22,U1"
            )
        },
        [
            "oocd_referrals.csv:2: outcome_id: 'U1' is a youth_caution outcome but the "
            "decision is outcome_22"
        ],
    ),
    "release date on a fine": (
        {"outcomes.csv": replace("outcomes.csv", 3, "U2,C2,O2,2023-06-01,fine,,2023-12-01,,")},
        [
            "outcomes.csv:3: release_date: is only for custodial sentences "
            "(DTO, long-term detention)"
        ],
    ),
    "completed without an end date": (
        {"outcomes.csv": replace("outcomes.csv", 2, "U1,C1,O1,2023-04-10,youth_caution,,,N,Y")},
        [
            "outcomes.csv:2: successfully_completed: can only be recorded once the order "
            "has an end date"
        ],
    ),
    "outcome before its offence": (
        {"outcomes.csv": replace("outcomes.csv", 2, "U1,C1,O1,2023-02-10,youth_caution,,,N,")},
        ["outcomes.csv:2: outcome_date: 2023-02-10 is before its offence on 2023-03-01"],
    ),
    "offence before the 10th birthday": (
        {"offences.csv": replace("offences.csv", 2, "O1,C1,2018-03-01,theft_and_handling,2,,,N")},
        [
            "offences.csv:2: offence_date: 2018-03-01 is before the child's 10th birthday "
            "(2018-05-17): a child under 10 cannot be held responsible for an offence"
        ],
    ),
    "hours attended above offered": (
        {"ete.csv": replace("ete.csv", 2, "E1,C1,2022-09-01,,mainstream_school,suitable,25,30")},
        ["ete.csv:2: hours_attended: must not be more than the hours offered"],
    ),
    "intervention of the other kind": (
        {
            "health.csv": replace(
                "health.csv", 2, "H1,C1,substance_misuse,2023-04-01,2023-04-15,,,help"
            )
        },
        [
            "health.csv:2: intervention_type: 'help' is not a substance misuse intervention "
            "(one of: complex_care, specialist, targeted)"
        ],
    ),
    "rj engaged without consent, provided without requested": (
        {"victims.csv": replace("victims.csv", 2, "V1,O1,person,N,,,Y,Y,direct,N,Y,,,")},
        [
            "victims.csv:2: rj_engaged: needs the victim's consent to contact",
            "victims.csv:2: progress_provided: needs progress information to be requested",
        ],
    ),
    "episode ending before it starts": (
        {"send.csv": replace("send.csv", 2, "N1,C1,2019-01-01,2018-01-01,ehcp")},
        ["send.csv:2: end_date: 2018-01-01 is before the start date 2019-01-01"],
    ),
    "unknown column": (
        {
            "children.csv": [
                BASE["children.csv"][0] + ",nickname",
                *(line + "," for line in BASE["children.csv"][1:]),
            ]
        },
        [
            "children.csv:1: nickname: is not a column of children.csv (columns are: child_id, "
            "given_name, family_name, date_of_birth, sex, ethnicity, locality, looked_after)"
        ],
    ),
    "missing required column": (
        {
            "children.csv": [
                "child_id,given_name,family_name,date_of_birth,ethnicity,locality,looked_after",
                "C1,Ava,Stone,2008-05-17,white,North,N",
                "C2,Leo,Marsh,2009-01-02,black,,",
            ]
        },
        ["children.csv:1: sex: is a required column but is missing from the header"],
    ),
    "missing required file": (
        {"outcomes.csv": None},
        ["outcomes.csv:1: file: is a required file but is missing"],
    ),
    "unknown file": (
        {"ofences.csv": ["offence_id"]},
        [
            "ofences.csv:1: file: is not a file of the service extract (files are: children.csv, "
            "offences.csv, outcomes.csv, remands.csv, oocd_referrals.csv, population.csv, "
            "accommodation.csv, ete.csv, care_statuses.csv, send.csv, health.csv, victims.csv)"
        ],
    ),
    "wrong number of values": (
        {"send.csv": replace("send.csv", 2, "N1,C1,2019-01-01,ehcp")},
        ["send.csv:2: row: has 4 values but the header has 5 columns"],
    ),
    "line numbers count the lines of a quoted multi-line value": (
        {
            "offences.csv": [
                BASE["offences.csv"][0],
                'O1,C1,2023-03-01,theft_and_handling,2,2,"took a bike\r\nfrom a shed",N',
                "O2,C2,2023-04-01,robbery,9,,,Y",
            ]
        },
        ["offences.csv:4: seriousness_score: 9 must be between 1 and 8"],
    ),
    "problems in several files are all reported": (
        {
            "children.csv": replace("children.csv", 3, "C2,Leo,Marsh,2009-01-02,X,black,,"),
            "victims.csv": replace("victims.csv", 2, "V1,O1,shop,N,,,,,,,,,,"),
        },
        [
            "children.csv:3: sex: 'X' is not one of: F, M",
            "victims.csv:2: victim_type: 'shop' is not one of: business, person",
        ],
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(CASES))
def test_a_broken_extract_is_rejected_with_the_exact_problems(tmp_path, case):
    changes, problems = CASES[case]
    expect(import_fails(write_extract(tmp_path / "x", changes)), problems)


@pytest.mark.django_db
def test_a_file_that_is_not_utf8_is_rejected(tmp_path):
    directory = write_extract(tmp_path / "x")
    lines = list(BASE["children.csv"])
    lines[2] = "C2,Zoë,Marsh,2009-01-02,F,black,,"
    (directory / "children.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("latin-1"))
    expect(
        import_fails(directory),
        [
            "children.csv:3: file: is not valid UTF-8 text (byte 0xeb on this line): "
            "save the file as UTF-8 and try again"
        ],
    )


@pytest.mark.django_db
def test_a_byte_order_mark_is_accepted(tmp_path):
    directory = write_extract(tmp_path / "x")
    path = directory / "children.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    call_command("import_extract", str(directory), stdout=StringIO())
    assert table_counts()["children.csv"] == 2


@pytest.mark.django_db
def test_a_problem_only_on_the_last_row_of_the_last_file(tmp_path):
    directory = tmp_path / "example"
    shutil.copytree(EXAMPLE, directory)
    victims = directory / "victims.csv"
    lines = victims.read_bytes().decode().split("\r\n")
    assert lines[-1] == ""
    last = len(lines) - 1  # physical line number of the last row
    cells = lines[last - 1].split(",")
    cells[-1] = "9"
    lines[last - 1] = ",".join(cells)
    victims.write_bytes("\r\n".join(lines).encode())
    expect(
        import_fails(directory), [f"victims.csv:{last}: satisfaction: 9 must be between 1 and 5"]
    )
    assert set(table_counts()) == set(TABLES)


@pytest.mark.django_db
def test_a_missing_folder_is_a_clear_error(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="is not a folder"):
        call_command("import_extract", str(tmp_path / "nowhere"))


MORE_CASES = {
    "identifier longer than 64 characters": (
        {"send.csv": replace("send.csv", 2, f"{'N' * 65},C1,2019-01-01,,ehcp")},
        ["send.csv:2: send_id: must be 64 characters or fewer"],
    ),
    "a required value left blank": (
        {"children.csv": replace("children.csv", 2, "C1,,Stone,2008-05-17,F,white,North,N")},
        ["children.csv:2: given_name: is required"],
    ),
    "date of birth in the future": (
        {"children.csv": replace("children.csv", 3, "C2,Leo,Marsh,2099-01-02,M,black,,")},
        [
            "children.csv:3: date_of_birth: must not be in the future",
            # The child's offence is then also before their 10th birthday.
            "offences.csv:3: offence_date: 2023-04-01 is before the child's 10th birthday "
            "(2109-01-02): a child under 10 cannot be held responsible for an offence",
        ],
    ),
    "a decision without a panel date": (
        {
            "oocd_referrals.csv": replace(
                "oocd_referrals.csv", 2, "R1,C1,O1,2023-03-10,Y,,outcome_22,"
            )
        },
        ["oocd_referrals.csv:2: panel_date: is required when there is a decision"],
    ),
    "community resolution without admission (domain.md)": (
        {
            "oocd_referrals.csv": replace(
                "oocd_referrals.csv", 2, "R1,C1,O1,2023-03-10,N,2023-04-10,community_resolution,"
            )
        },
        [
            "oocd_referrals.csv:2: decision: "
            "a community resolution needs the child's admission of the offence"
        ],
    ),
    "referral outcome of another child": (
        {
            "oocd_referrals.csv": replace(
                "oocd_referrals.csv", 2, "R1,C1,O1,2023-03-10,Y,2023-06-01,charge,U2"
            )
        },
        [
            "oocd_referrals.csv:2: outcome_id: 'U2' is an outcome of another child",
            "oocd_referrals.csv:2: outcome_id: 'U2' is a detention_and_training_order outcome "
            "but the decision is charge",
        ],
    ),
    "hours out of range": (
        {"ete.csv": replace("ete.csv", 2, "E1,C1,2022-09-01,,mainstream_school,suitable,61,20")},
        ["ete.csv:2: hours_offered: 61 must be between 0 and 60 hours"],
    ),
    "satisfaction out of range and rj type without engagement": (
        {"victims.csv": replace("victims.csv", 2, "V1,O1,person,Y,,,,N,direct,,,,,0")},
        [
            "victims.csv:2: satisfaction: 0 must be between 1 and 5",
            "victims.csv:2: rj_type: is only for a victim who engaged with RJ",
        ],
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(MORE_CASES))
def test_more_broken_extracts(tmp_path, case):
    changes, problems = MORE_CASES[case]
    expect(import_fails(write_extract(tmp_path / "x", changes)), problems)


@pytest.mark.django_db
def test_defaults_apply_when_optional_flags_are_blank(tmp_path):
    from cases.models import Child, Outcome

    call_command("import_extract", str(write_extract(tmp_path / "x")), stdout=StringIO())
    assert Child.objects.get(source_id="C2").looked_after is False
    dto = Outcome.objects.get(source_id="U2")
    assert dto.yjs_intervention is True and dto.tier == "custody"
    assert dto.successfully_completed is None
    caution = Outcome.objects.get(source_id="U1")
    assert caution.yjs_intervention is False and caution.successfully_completed is True


@pytest.mark.django_db
def test_the_optional_files_may_be_left_out(tmp_path):
    optional = {name: None for name in BASE if name not in REQUIRED}
    call_command("import_extract", str(write_extract(tmp_path / "x", optional)), stdout=StringIO())
    counts = table_counts()
    assert counts["outcomes.csv"] == 2 and counts["victims.csv"] == 0


REQUIRED = {"children.csv", "offences.csv", "outcomes.csv"}
