"""A corpus of malformed data files, each run through the ``maturity`` command line in a subprocess.

Every case must end with exit status 2, no Python traceback, nothing on standard output, and one
reported problem that names what is wrong precisely: the file, the row and column as Excel shows
them, the value found and the stable reason code (``[unknown_indicator]``...).  Malformed rubrics
have their own corpus in ``tests/rubric/test_loading.py``; both share the harness in
:mod:`helpers.malformed`.

All cases use the small data-stewardship rubric (4 levels) and files written under a temporary
directory, so they do not depend on the packaged rubric or the sample files.  Commands run with
that directory as ``cwd`` and name files relatively, so messages read ``answers.csv, row 3``.

Subprocesses cost about a second each, so the answer-file cases that need nothing but
``maturity validate FILE...`` share ONE run: every case's files go into a folder named after the
case (with its own client id, so cases cannot collide) and each case checks the problems reported
for its folder.  That also proves that one run reports the problems of every file.  Cases that need
options of their own (``--clients``), or that crash today (strict xfail), run on their own.

Small rubric: quality (dq_checks anchored, gate >= 2; dq_incidents_per_month measured, lower is
better, NA allowed); ownership (owner_named boolean yes=4/no=1; catalogue_coverage_pct measured,
higher is better, cites ``internal_2024``).  Target profile: ``baseline``.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from helpers import SMALL_RUBRIC, run_cli
from helpers.malformed import DIR, Case, assert_rejected, check_case, problems, write_files

SMALL = str(SMALL_RUBRIC)

HEADER = "client_id,date,respondent,role,indicator_id,value,comment"
GOOD = "acme,2025-01-01,ann,cdo,dq_checks,3,"
VALIDATE = ["validate", "--rubric", SMALL]


def long_csv(*rows: str) -> str:
    """A long-format answers CSV with the standard header."""
    return "\n".join([HEADER, *rows]) + "\n"


def validate_case(
    files: dict[str, str | bytes], *expect: str, args: list[str] | None = None
) -> Case:
    """``maturity validate`` of ``files`` (or of ``args`` when given)."""
    return Case(files, [*VALIDATE, *(args if args is not None else files)], expect)


def answers_case(*rows: str, expect: tuple[str, ...]) -> Case:
    """``maturity validate`` of one long answers file holding ``rows``."""
    return validate_case({"answers.csv": long_csv(*rows)}, *expect)


# -- answers corpus: validated together in one run ----------------------------------------------

GROUPED_ANSWER_CASES = [
    pytest.param(
        answers_case(
            GOOD,
            "acme,2025-01-01,bob,cdo,dq_chekcs,3,",
            expect=(
                f"{DIR}answers.csv, row 3, column 'indicator_id'",
                "unknown indicator 'dq_chekcs' for rubric 'data-stewardship'",
                "(did you mean 'dq_checks'?)",
                "[unknown_indicator]",
            ),
        ),
        id="answers-unknown-indicator-did-you-mean",
    ),
    pytest.param(
        answers_case(
            "acme,2025-01-01,ann,cdo,dq_checks,5,",
            expect=(
                f"{DIR}answers.csv, row 2, column 'value'",
                "expected a whole level from 1 to 4; found '5'",
                "[level_out_of_range]",
            ),
        ),
        id="answers-level-out-of-range",
    ),
    pytest.param(
        answers_case(
            GOOD,
            "acme,2025-01-01,bob,cdo,dq_checks,2.5,",
            expect=(
                f"{DIR}answers.csv, row 3, column 'value'",
                "expected a whole level from 1 to 4; found '2.5'",
                "[level_out_of_range]",
            ),
        ),
        id="answers-non-integer-level",
    ),
    pytest.param(
        answers_case(
            "acme,2025-01-01,ann,cdo,dq_checks,three,",
            expect=(
                f"{DIR}answers.csv, row 2, column 'value'",
                "expected a level from 1 to 4; found 'three'",
                "[not_a_level]",
            ),
        ),
        id="answers-level-not-a-number",
    ),
    pytest.param(
        answers_case(
            GOOD,
            "acme,2025-01-01,ann,cdo,dq_incidents_per_month,a few,",
            expect=(
                f"{DIR}answers.csv, row 3, column 'value'",
                "indicator 'dq_incidents_per_month' is measured: expected a number in incidents",
                "found 'a few'",
                "[not_a_number]",
            ),
        ),
        id="answers-non-numeric-measure",
    ),
    pytest.param(
        answers_case(
            "acme,2025-01-01,ann,cdo,catalogue_coverage_pct,n/a,",
            expect=(
                f"{DIR}answers.csv, row 2, column 'value'",
                "indicator 'catalogue_coverage_pct' does not allow NA; found 'n/a'",
                "[na_not_allowed]",
            ),
        ),
        id="answers-na-where-not-allowed",
    ),
    pytest.param(
        answers_case(
            GOOD,
            "acme,2025-01-01,bob,cdo,dq_checks,,",
            expect=(
                f"{DIR}answers.csv, row 3, column 'value'",
                "value is empty; give a level, a number, yes/no, or NA",
                "[missing_value]",
            ),
        ),
        id="answers-empty-value",
    ),
    pytest.param(
        answers_case(
            GOOD,
            ",2025-01-01,bob,cdo,dq_checks,3,",
            expect=(
                f"{DIR}answers.csv, row 3, column 'client_id'",
                "client_id is empty",
                "[missing_value]",
            ),
        ),
        id="answers-empty-client-id",
    ),
    pytest.param(
        answers_case(
            "acme,2025-01-01,ann,cdo,owner_named,maybe,",
            expect=(
                f"{DIR}answers.csv, row 2, column 'value'",
                "expected yes or no; found 'maybe'",
                "[not_yes_no]",
            ),
        ),
        id="answers-not-yes-no",
    ),
    pytest.param(
        answers_case(
            GOOD,
            "acme,31/12/2025,bob,cdo,dq_checks,3,",
            expect=(
                f"{DIR}answers.csv, row 3, column 'date'",
                "expected a date as YYYY-MM-DD; found '31/12/2025'",
                "[bad_date]",
            ),
        ),
        id="answers-bad-date",
    ),
    pytest.param(
        answers_case(
            GOOD,
            "acme,2025-01-01,bob,cdo,owner_named,yes,",
            "acme,2025-01-01,ann,cdo,dq_checks,2,",
            expect=(
                f"{DIR}answers.csv, row 4, column 'indicator_id'",
                "duplicate answer for respondent 'ann' on 'dq_checks'",
                f"(first given in {DIR}answers.csv, row 2)",
                "[duplicate_answer]",
            ),
        ),
        id="answers-duplicate-answer",
    ),
    pytest.param(
        validate_case(
            {"first.csv": long_csv(GOOD), "second.csv": long_csv(GOOD)},
            f"{DIR}second.csv, row 2, column 'indicator_id'",
            "duplicate answer for respondent 'ann' on 'dq_checks'",
            f"(first given in {DIR}first.csv, row 2)",
            "[duplicate_answer]",
        ),
        id="answers-duplicate-answer-across-two-files",
    ),
    pytest.param(
        answers_case(
            "../x,2025-01-01,ann,cdo,dq_checks,3,",
            expect=(
                f"{DIR}answers.csv, row 2, column 'client_id'",
                "client id must be 1-64 letters, digits",
                "found '../x'",
                "[unsafe_id]",
            ),
        ),
        id="answers-unsafe-client-id",
    ),
    pytest.param(
        validate_case(
            {"answers.csv": "client_id,date,respondent,indicator_id,value\nacme,2025-01-01,a,q,3"},
            f"{DIR}answers.csv, row 1, column 'role'",
            "missing column 'role'; found columns: client_id, date, respondent, indicator_id,",
            "[missing_column]",
        ),
        id="answers-missing-column",
    ),
    pytest.param(
        validate_case(
            {"answers.csv": ""},
            f"{DIR}answers.csv: the file is empty; expected a header row and data",
            "[empty_file]",
        ),
        id="answers-empty-file",
    ),
    pytest.param(
        validate_case(
            {"answers.csv": HEADER + "\n"},
            f"{DIR}answers.csv: the file has a header but no data rows",
            "[empty_file]",
        ),
        id="answers-header-only",
    ),
    pytest.param(
        validate_case(
            {"answers.csv": bytes(range(32)) * 8},
            f"{DIR}answers.csv: binary content; expected a CSV file or an .xlsx workbook",
            "[not_a_table]",
        ),
        id="answers-binary-file",
    ),
    pytest.param(
        validate_case(
            {"answers.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"},
            f"{DIR}answers.csv: not UTF-8 text (byte 0x89 at offset 0)",
            "[bad_encoding]",
        ),
        id="answers-png-image-named-csv",
    ),
    pytest.param(
        validate_case(
            {"answers.csv": long_csv("acme,2025-01-01,سارة,cdo,dq_checks,3,").encode("cp1256")},
            f"{DIR}answers.csv: not UTF-8 text (byte 0xd3 at offset",
            "'CSV UTF-8'",
            "[bad_encoding]",
        ),
        id="answers-not-utf8-cp1256",
    ),
    pytest.param(
        validate_case(
            {"answers.csv": long_csv("acme,2025-01-01,José,cdo,dq_checks,3,").encode("latin-1")},
            f"{DIR}answers.csv: not UTF-8 text (byte 0xe9 at offset",
            "[bad_encoding]",
        ),
        id="answers-not-utf8-latin1",
    ),
    pytest.param(
        validate_case(
            {"answers.xlsx": b"PK\x03\x04this is not really a zip archive"},
            f"{DIR}answers.xlsx: not a readable XLSX workbook (BadZipFile",
            "[not_a_table]",
        ),
        id="answers-corrupt-xlsx",
    ),
    pytest.param(
        validate_case(
            {
                "survey.csv": "Timestamp,client_id,date,respondent,role,dq_checks,dq_cheks\n"
                "2025-01-01 10:00,acme,2025-01-01,ann,cdo,3,2\n"
            },
            f"{DIR}survey.csv, row 1, column 'dq_cheks'",
            "column 'dq_cheks' is not an indicator of rubric 'data-stewardship'",
            "(did you mean 'dq_checks'?)",
            "[unknown_indicator]",
        ),
        id="answers-wide-export-unknown-column",
    ),
    pytest.param(
        validate_case(
            {}, f"{DIR}missing.csv: no such file", "[file_not_found]", args=["missing.csv"]
        ),
        id="answers-nonexistent-file",
    ),
    pytest.param(
        validate_case(
            {"answers.csv": long_csv(GOOD, "acme,2025-01-01,bob,cdo,dq_checks,3,,x,y")},
            f"{DIR}answers.csv, row 3",
            "row has 9 values but the header has 7 columns",
            "[not_a_table]",
        ),
        id="answers-ragged-row",
    ),
]


# -- answers corpus: cases with options of their own, and known crashes --------------------------

SOLO_ANSWER_CASES = [
    pytest.param(
        validate_case(
            {
                "clients.csv": "client_id,name\nacme,Acme Ltd\n",
                "answers.csv": long_csv(GOOD, "zeta,2025-01-01,zoe,cdo,dq_checks,2,"),
            },
            "answers.csv, row 3, column 'client_id'",
            "client id is not in the clients table; found 'zeta'",
            "[unknown_client]",
            args=["--clients", "clients.csv", "answers.csv"],
        ),
        id="answers-unknown-client-with-clients",
    ),
    pytest.param(
        validate_case(
            {"answers.csv": b"\xff\xfe" + long_csv(GOOD).encode("utf-16-le") + b"\x00"},
            "answers.csv: not",
            "[bad_encoding]",
        ),
        id="answers-truncated-utf16",
    ),
    pytest.param(
        validate_case(
            {"answers.csv": f"{HEADER},Value\n{GOOD},4\n"},
            "answers.csv, row 1, column 'value'",
            "[duplicate_column]",
        ),
        id="answers-duplicate-header-differing-in-case",
    ),
    pytest.param(
        answers_case(
            "acme,14/03/2025,ann,cdo,dq_checks,3,",
            "acme,2025-01-01T10:00:00+03:00,bob,cdo,dq_checks,3,",
            expect=("answers.csv, row 2, column 'date'", "found '14/03/2025'", "[bad_date]"),
        ),
        id="answers-day-first-date-next-to-zoned-datetime",
    ),
    pytest.param(
        answers_case(
            "acme,2025-01-01,ann,cdo,dq_checks,3,,extra",
            "acme,2025-01-01,bob,cdo,dq_checks,3,",
            expect=("answers.csv, row 2", "row has 8 values but the header has 7", "[not_a_table]"),
        ),
        id="answers-extra-field-in-first-row",
    ),
    pytest.param(
        answers_case(
            GOOD,
            "",
            "acme,2025-01-01,bob,cdo,dq_checks,9,",
            expect=("answers.csv, row 4, column 'value'", "[level_out_of_range]"),
        ),
        id="answers-row-number-after-blank-line",
    ),
]


# -- clients, targets, peers -------------------------------------------------------------------


def clients_case(table: str, *expect: str) -> Case:
    """``maturity validate --clients`` with a clients table (the answers file is valid)."""
    return validate_case(
        {"clients.csv": table, "answers.csv": long_csv(GOOD)},
        *expect,
        args=["--clients", "clients.csv", "answers.csv"],
    )


def score_case(option: str, table: str, *expect: str) -> Case:
    """``maturity score --targets/--peers FILE`` (the answers file is valid)."""
    name = f"{option.removeprefix('--')}.csv"
    return Case(
        {name: table, "answers.csv": long_csv(GOOD)},
        ["score", "--rubric", SMALL, option, name, "answers.csv"],
        expect,
    )


TABLE_CASES = [
    pytest.param(
        clients_case(
            "client_id,name\nacme,Acme Ltd\nacme,Acme again\n",
            "clients.csv, row 3, column 'client_id'",
            "client id appears more than once; found 'acme'",
            "[duplicate_id]",
        ),
        id="clients-duplicate-id",
    ),
    pytest.param(
        clients_case(
            "client_id,name,target_profile\nacme,Acme Ltd,ambitious\n",
            "clients.csv, row 2, column 'target_profile'",
            "unknown target profile; known: baseline; found 'ambitious'",
            "[unknown_target_profile]",
        ),
        id="clients-unknown-target-profile",
    ),
    pytest.param(
        clients_case(
            "client_id,name,messages_per_day,social_fte\nacme,Acme Ltd,lots,2\n",
            "clients.csv, row 2, column 'messages_per_day'",
            "expected a number of at least 0 (or empty when unknown); found 'lots'",
            "[not_a_number]",
        ),
        id="clients-message-volume-not-a-number",
    ),
    pytest.param(
        clients_case(
            "client_id,name,messages_per_day,social_fte\nacme,Acme Ltd,,-2\n",
            "clients.csv, row 2, column 'social_fte'",
            "expected a number of at least 0 (or empty when unknown); found '-2'",
            "[not_a_number]",
        ),
        id="clients-negative-fte",
    ),
    pytest.param(
        clients_case(
            "client_id,name\nacme,Acme Ltd\nbeta,\n",
            "clients.csv, row 3, column 'name'",
            "name is empty",
            "[missing_value]",
        ),
        id="clients-empty-name",
    ),
    pytest.param(
        clients_case(
            "client_id,name\nacme,Acme Ltd\n../../etc,Evil\n",
            "clients.csv, row 3, column 'client_id'",
            "client id must be 1-64 letters, digits",
            "found '../../etc'",
            "[unsafe_id]",
        ),
        id="clients-unsafe-id",
    ),
    pytest.param(
        score_case(
            "--targets",
            "profile_id,dimension_id,target\nstretch,quality,3\nstretch,ownershp,3\n",
            "targets.csv, row 3, column 'dimension_id'",
            "unknown dimension; known: ownership, quality; found 'ownershp'",
            "[unknown_dimension]",
        ),
        id="targets-unknown-dimension",
    ),
    pytest.param(
        score_case(
            "--targets",
            "profile_id,dimension_id,target\nstretch,quality,5\n",
            "targets.csv, row 2, column 'target'",
            "expected a target from 1 to 4; found '5'",
            "[level_out_of_range]",
        ),
        id="targets-target-out-of-range",
    ),
    pytest.param(
        score_case(
            "--peers",
            "peer_id,sector,size_band,quality,ownership\np1,gov,large,2.5,4.5\n",
            "peers.csv, row 2, column 'ownership'",
            "expected a score from 1 to 4; found '4.5'",
            "[score_out_of_range]",
        ),
        id="peers-score-out-of-range",
    ),
    pytest.param(
        score_case(
            "--peers",
            "peer_id,sector,size_band,quality\np1,gov,large,2.5\n",
            "peers.csv, row 1, column 'ownership'",
            "missing column 'ownership'",
            "[missing_column]",
        ),
        id="peers-missing-dimension-column",
    ),
]


# -- usage errors ------------------------------------------------------------------------------

STAFFING = ["staffing", "--aht-minutes", "4", "--answer-within-minutes", "15"]

USAGE_CASES = [
    pytest.param(
        Case(
            {"answers.csv": long_csv(GOOD)},
            ["score", "--rubric", SMALL, "--format", "xlsx", "answers.csv"],
            ("Error: --format xlsx writes a workbook: give --out FILE.xlsx",),
        ),
        id="usage-score-xlsx-without-out",
    ),
    pytest.param(
        Case(
            {},
            [
                *STAFFING,
                *("--service-level", "0.8"),
                *("--messages-per-hour", "20"),
                *("--messages-per-day", "200"),
            ],
            ("Error: give exactly one of --messages-per-hour and --messages-per-day",),
        ),
        id="usage-staffing-both-rates",
    ),
    pytest.param(
        Case(
            {},
            [*STAFFING, "--service-level", "0.8"],
            ("Error: give exactly one of --messages-per-hour and --messages-per-day",),
        ),
        id="usage-staffing-neither-rate",
    ),
    pytest.param(
        Case(
            {},
            [*STAFFING, "--messages-per-hour", "20", "--service-level", "80"],
            (
                "error: service_level must be a fraction strictly between 0 and 1",
                "got 80.0 (did you mean 0.8?)",
            ),
        ),
        id="usage-staffing-service-level-80",
    ),
    pytest.param(
        Case(
            {"answers.csv": long_csv(GOOD)},
            ["score", "--rubric", SMALL, "--colour", "answers.csv"],
            ("Error: No such option '--colour'",),
        ),
        id="usage-unknown-option",
    ),
    pytest.param(
        Case({}, ["scroe"], ("Error: No such command 'scroe'", "Did you mean 'score'?")),
        id="usage-unknown-command",
    ),
    pytest.param(
        Case(
            {},
            ["score", "--rubric", SMALL],
            ("Error: give answer files, or --samples for the packaged sample portfolio",),
        ),
        id="usage-score-without-answers",
    ),
]


# -- running -----------------------------------------------------------------------------------


def own_client(content: str | bytes, client: str) -> str | bytes:
    """``content`` with the client id ``acme`` replaced, so cases in one run cannot collide."""
    if isinstance(content, bytes):
        return re.sub(rb"\bacme\b", client.encode(), content)
    return re.sub(r"\bacme\b", client, content)


@pytest.fixture(name="grouped_answers_run", scope="module")
def fixture_grouped_answers_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> subprocess.CompletedProcess[str]:
    """ONE ``maturity validate`` over the files of every case in ``GROUPED_ANSWER_CASES``.

    Each case's files go into a folder named after the case id, with the client id ``acme``
    replaced by one of its own, so that no answer of one case duplicates another's.
    """
    root = tmp_path_factory.mktemp("grouped-answers")
    arguments: list[str] = []
    for number, param in enumerate(GROUPED_ANSWER_CASES):
        case: Case = param.values[0]
        assert case.argv[: len(VALIDATE)] == VALIDATE, f"{param.id} cannot share the run"
        folder = root / str(param.id)
        folder.mkdir()
        write_files(folder, {n: own_client(c, f"c{number:02d}") for n, c in case.files.items()})
        arguments += [f"{param.id}/{name}" for name in case.argv[len(VALIDATE) :]]
    return run_cli(*VALIDATE, *arguments, cwd=root)


@pytest.mark.parametrize("case", GROUPED_ANSWER_CASES)
def test_malformed_answers_are_rejected(
    case: Case,
    request: pytest.FixtureRequest,
    grouped_answers_run: subprocess.CompletedProcess[str],
) -> None:
    folder = f"{request.node.callspec.id}/"
    expect = [fragment.replace(DIR, folder) for fragment in case.expect]
    assert_rejected(grouped_answers_run, *expect, within=f"  - {folder}")


@pytest.mark.parametrize("case", SOLO_ANSWER_CASES)
def test_malformed_answers_with_own_run_are_rejected(case: Case, tmp_path: Path) -> None:
    check_case(case, tmp_path)


@pytest.mark.parametrize("case", TABLE_CASES)
def test_malformed_clients_targets_peers_are_rejected(case: Case, tmp_path: Path) -> None:
    check_case(case, tmp_path)


@pytest.mark.parametrize("case", USAGE_CASES)
def test_usage_error_is_rejected(case: Case, tmp_path: Path) -> None:
    check_case(case, tmp_path)


def test_answers_directory_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "answers").mkdir()
    result = run_cli(*VALIDATE, "answers", cwd=tmp_path)
    assert_rejected(result, "Error: Invalid value for '[ANSWERS]...'", "is a directory")


def test_grouped_run_reports_every_file(
    grouped_answers_run: subprocess.CompletedProcess[str],
) -> None:
    """The shared run reports exactly one problem per case: no file stops the others being
    checked, and no case's answers leak into another's (no cross-case duplicates)."""
    stderr = grouped_answers_run.stderr
    n = len(GROUPED_ANSWER_CASES)
    assert stderr.startswith(f"error: {n} problem(s) in the answers ("), stderr
    for param in GROUPED_ANSWER_CASES:
        count = stderr.count(f"\n  - {param.id}/")
        assert count == 1, f"{param.id}: {count} problems reported, expected 1:\n{stderr}"


# -- every problem in one run --------------------------------------------------------------------

MANY_PROBLEMS = long_csv(
    GOOD,  # row 2: fine
    "acme,2025-01-01,bob,cdo,dq_chekcs,3,",  # 3
    "acme,2025-01-01,bob,cdo,dq_checks,7,",  # 4
    "acme,2025-01-01,cat,cdo,dq_checks,two,",  # 5
    "acme,2025-01-01,dan,cdo,dq_incidents_per_month,many,",  # 6
    "acme,2025-01-01,dan,cdo,catalogue_coverage_pct,NA,",  # 7
    "acme,2025-01-01,eve,cdo,dq_checks,,",  # 8
    "acme,2025-01-01,eve,cdo,owner_named,maybe,",  # 9
    "acme,2025-13-45,fay,cdo,dq_checks,2,",  # 10
    "acme,2025-01-01,ann,cdo,dq_checks,2,",  # 11
    "../x,2025-01-01,gus,cdo,dq_checks,2,",  # 12
)

#: (row, column, reason) of each problem planted in MANY_PROBLEMS.
MANY_EXPECTED = [
    (3, "indicator_id", "unknown_indicator"),
    (4, "value", "level_out_of_range"),
    (5, "value", "not_a_level"),
    (6, "value", "not_a_number"),
    (7, "value", "na_not_allowed"),
    (8, "value", "missing_value"),
    (9, "value", "not_yes_no"),
    (10, "date", "bad_date"),
    (11, "indicator_id", "duplicate_answer"),
    (12, "client_id", "unsafe_id"),
]


def test_every_problem_in_one_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "answers.csv").write_text(MANY_PROBLEMS, encoding="utf-8")
    result = run_cli(*VALIDATE, "answers.csv", cwd=tmp_path)
    assert_rejected(result, f"{len(MANY_EXPECTED)} problem(s) in the answers (answers.csv)")
    reported = problems(result.stderr)
    for row, column, reason in MANY_EXPECTED:
        where = f"answers.csv, row {row}, column {column!r}"
        assert any(where in p and f"[{reason}]" in p for p in reported), (
            f"problem {where} [{reason}] not reported; stderr:\n{result.stderr}"
        )
    assert len(reported) == 1 + len(MANY_EXPECTED), f"unexpected extra problems:\n{result.stderr}"


def test_problems_in_several_files_are_reported_together(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "targets.csv": "profile_id,dimension_id,target\nbig,ownershp,3\nbig,quality,x\n",
            "clients.csv": "client_id,name,lang\nacme,Acme Ltd,en\nacme,Acme twice,Arabic\n",
            "a.csv": long_csv(GOOD, "acme,2025-01-01,bob,cdo,dq_checks,9,"),
            "b.csv": long_csv("acme,2025-01-01,cat,cdo,owner_named,perhaps,"),
        },
    )
    args = ["--targets", "targets.csv", "--clients", "clients.csv", "a.csv", "b.csv"]
    result = run_cli(*VALIDATE, *args, cwd=tmp_path)
    for expect in [
        ("targets.csv, row 2, column 'dimension_id'", "[unknown_dimension]"),
        ("targets.csv, row 3, column 'target'", "found 'x'", "[not_a_number]"),
        ("clients.csv, row 3, column 'client_id'", "[duplicate_id]"),
        ("clients.csv, row 3, column 'lang'", "found 'Arabic'", "[unknown_language]"),
        ("a.csv, row 3, column 'value'", "[level_out_of_range]"),
        ("b.csv, row 2, column 'value'", "[not_yes_no]"),
    ]:
        assert_rejected(result, *expect)
