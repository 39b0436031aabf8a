"""The ``maturity`` command line on valid input, run in a subprocess as a user would.

Every test uses the small data-stewardship rubric and files written under a temporary directory;
numbers printed by ``maturity score`` are compared with :func:`assessment.scoring.score` run in
process on the same files.
"""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from helpers import SMALL_RUBRIC, cli_commands, run_cli

import assessment
from assessment.inputs import load_answers, load_clients, load_peers, load_targets
from assessment.rubric import Rubric, load_rubric, rubric_json_schema
from assessment.scoring import score
from assessment.scoring.staffing import plan_staffing, staffing_table

SMALL = str(SMALL_RUBRIC)
DIMENSIONS = ["quality", "ownership"]
#: Columns every csv/json score record must have (besides one per dimension id).
REQUIRED = ["client_id", "index", "level", "count_2007"]
#: Numeric summary columns compared with the in-process engine.
NUMERIC = ["index", "index_1_n", "level", "weakest_link", "count_2007", "coverage", *DIMENSIONS]

ANSWERS = """client_id,date,respondent,role,indicator_id,value,comment
acme,2025-01-01,ann,cdo,dq_checks,3,
acme,2025-01-01,bob,analyst,dq_checks,2,
acme,2025-01-01,ann,cdo,dq_incidents_per_month,2.5,
acme,2025-01-01,ann,cdo,owner_named,yes,
acme,2025-01-01,ann,cdo,catalogue_coverage_pct,70,
acme,2024-06-01,ann,cdo,dq_checks,1,
beta,2025-02-01,cat,cdo,dq_checks,1,
beta,2025-02-01,cat,cdo,dq_incidents_per_month,NA,
beta,2025-02-01,cat,cdo,owner_named,no,
beta,2025-02-01,cat,cdo,catalogue_coverage_pct,10,
gamma,2025-03-01,dan,cdo,dq_checks,4,
gamma,2025-03-01,eve,analyst,dq_checks,4,
gamma,2025-03-01,dan,cdo,dq_incidents_per_month,"0,5",
gamma,2025-03-01,dan,cdo,owner_named,yes,
gamma,2025-03-01,dan,cdo,catalogue_coverage_pct,95,
"""
CLIENTS = """client_id,name,sector,size_band,target_profile
acme,Acme Ltd,gov,large,stretch
beta,Beta plc,retail,small,
gamma,Gamma SA,gov,large,baseline
"""
TARGETS = "profile_id,dimension_id,target\nstretch,quality,4\nstretch,ownership,4\n"


def peers_csv() -> str:
    """Twelve peers, enough for the anonymity floor of the benchmark."""
    rows = [
        f"p{i:02d},gov,large,{1 + (i % 4) * 0.75:.2f},{1 + ((i * 7) % 4) * 0.8:.2f}"
        for i in range(12)
    ]
    return "peer_id,sector,size_band,quality,ownership\n" + "\n".join(rows) + "\n"


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    """Assert the command succeeded without a traceback; return it for chaining."""
    assert result.returncode == 0, f"exit {result.returncode}; stderr:\n{result.stderr}"
    assert "Traceback" not in result.stderr, result.stderr
    return result


def leftovers(folder: Path, *expected: str) -> list[str]:
    """Files in ``folder`` other than ``expected`` (temporary files left behind)."""
    return sorted(p.name for p in folder.iterdir() if p.name not in expected)


@pytest.fixture(name="inputs", scope="module")
def fixture_inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Valid answers, clients, targets and peers files for the small rubric."""
    folder = tmp_path_factory.mktemp("inputs")
    files = {
        "answers": ANSWERS,
        "clients": CLIENTS,
        "targets": TARGETS,
        "peers": peers_csv(),
    }
    paths = {}
    for name, text in files.items():
        paths[name] = folder / f"{name}.csv"
        paths[name].write_text(text, encoding="utf-8")
    return paths


@pytest.fixture(name="expected_summary", scope="module")
def fixture_expected_summary(small_rubric: Rubric, inputs: dict[str, Path]) -> pd.DataFrame:
    """The engine's summary, computed in process from the same files as the CLI reads."""
    targets = load_targets(inputs["targets"], small_rubric)
    clients = load_clients(inputs["clients"], small_rubric, targets=targets)
    peers = load_peers(inputs["peers"], small_rubric)
    answers = load_answers(inputs["answers"], small_rubric, clients=clients)
    result = score(small_rubric, answers, clients=clients, peers=peers, targets=targets)
    return result.summary()


def score_args(inputs: dict[str, Path], *extra: str) -> list[str]:
    """``score`` with every input file and ``extra`` options."""
    return [
        "score",
        "--rubric",
        SMALL,
        "--clients",
        str(inputs["clients"]),
        "--targets",
        str(inputs["targets"]),
        "--peers",
        str(inputs["peers"]),
        *extra,
        str(inputs["answers"]),
    ]


def assert_matches_engine(records: pd.DataFrame, expected: pd.DataFrame) -> None:
    """One record per client, required columns present, numbers equal to the engine's."""
    missing = [c for c in [*REQUIRED, *DIMENSIONS] if c not in records.columns]
    assert not missing, f"missing columns {missing}; got {list(records.columns)}"
    assert records["client_id"].tolist() == ["acme", "beta", "gamma"], "one record per client"
    assert records["client_id"].is_unique
    got = records.set_index("client_id")[NUMERIC].astype(float)
    want = expected.set_index("client_id")[NUMERIC].astype(float)
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-9)
    assert records.set_index("client_id")["target_profile"].to_dict() == {
        "acme": "stretch",
        "beta": "baseline",
        "gamma": "baseline",
    }


# -- version and help --------------------------------------------------------------------------


def test_version() -> None:
    result = ok(run_cli("--version"))
    assert result.stdout.strip() == f"maturity, version {assessment.__version__}"


# Generated from the click tree, so a new command gets its --help test automatically.
COMMANDS = cli_commands()


def test_every_documented_command_exists() -> None:
    for expected in (
        ["validate"],
        ["score"],
        ["report"],
        ["batch"],
        ["rubric", "show"],
        ["rubric", "schema"],
        ["rubric", "export"],
        ["staffing"],
    ):
        assert expected in COMMANDS, expected


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "maturity")
def test_help(command: list[str]) -> None:
    result = ok(run_cli(*command, "--help"))
    assert result.stdout.startswith("Usage: "), result.stdout
    assert result.stderr == ""
    if not command:
        for name in ("validate", "score", "rubric", "staffing"):
            assert f"  {name}" in result.stdout, f"{name} missing from the command list"


# -- validate --------------------------------------------------------------------------------------


def test_validate_ok(inputs: dict[str, Path]) -> None:
    result = ok(run_cli("validate", "--rubric", SMALL, str(inputs["answers"])))
    assert result.stdout == (
        "ok: 15 answers from 5 respondents, 3 clients, 4 assessments "
        "(rubric data-stewardship 0.4.0)\n"
    )
    assert result.stderr == ""


def test_validate_ok_notes_clients_without_answers(tmp_path: Path, inputs: dict[str, Path]) -> None:
    clients = tmp_path / "clients.csv"
    clients.write_text(CLIENTS + "delta,Delta GmbH,gov,small,\n", encoding="utf-8")
    args = ["--clients", str(clients), "--targets", str(inputs["targets"])]
    result = ok(run_cli("validate", "--rubric", SMALL, *args, str(inputs["answers"])))
    assert result.stdout.startswith("ok: 15 answers")
    assert "note: clients without answers: delta" in result.stdout


# -- score -----------------------------------------------------------------------------------------


def test_score_table(inputs: dict[str, Path], expected_summary: pd.DataFrame) -> None:
    result = ok(run_cli(*score_args(inputs)))
    rubric_line, *lines = result.stdout.splitlines()
    # Issue 17: the table names the rubric it was scored with, and ranks the clients.
    assert rubric_line.startswith("rubric: ")
    header = lines[0].split()
    assert "rank" in header
    for column in ["client_id", "name", "date", "index", "level", "level_name", "coverage"]:
        assert column in header, f"{column} missing from the table header {header}"
    assert "2007 count" in lines[0]
    assert len(lines) == 1 + 3, f"one line per client:\n{result.stdout}"
    expected = expected_summary.set_index("client_id")
    for line, client in zip(lines[1:], ["acme", "beta", "gamma"], strict=True):
        assert line.split()[0] == client
        assert f"{expected.loc[client, 'index']:.1f}" in line
        assert str(expected.loc[client, "date"]) in line
    assert "Acme Ltd" in lines[1], "the table shows the client name"


def test_score_csv(inputs: dict[str, Path], expected_summary: pd.DataFrame) -> None:
    result = ok(run_cli(*score_args(inputs, "--format", "csv")))
    records = pd.read_csv(io.StringIO(result.stdout), dtype={"client_id": str, "date": str})
    assert_matches_engine(records, expected_summary)
    assert records.set_index("client_id").loc["acme", "date"] == "2025-01-01", "latest date"


def test_score_json_to_file(
    tmp_path: Path, inputs: dict[str, Path], expected_summary: pd.DataFrame
) -> None:
    out = tmp_path / "out" / "scores.json"
    result = ok(run_cli(*score_args(inputs, "--format", "json", "--out", str(out))))
    assert result.stdout == ""
    assert f"wrote {out}" in result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    assert all(isinstance(r, dict) for r in data)
    assert_matches_engine(pd.DataFrame(data), expected_summary)
    assert leftovers(out.parent, "scores.json") == [], "temporary files left behind"


def test_score_json_to_stdout_is_valid_json(inputs: dict[str, Path]) -> None:
    result = ok(run_cli("score", "--rubric", SMALL, "--format", "json", str(inputs["answers"])))
    data = json.loads(result.stdout)
    assert [r["client_id"] for r in data] == ["acme", "beta", "gamma"]
    assert {r["target_profile"] for r in data} == {"baseline"}, "rubric's first target profile"


def test_score_xlsx(
    tmp_path: Path, inputs: dict[str, Path], expected_summary: pd.DataFrame
) -> None:
    out = tmp_path / "scores.xlsx"
    result = ok(run_cli(*score_args(inputs, "--format", "xlsx", "--out", str(out))))
    assert f"wrote {out}" in result.stderr
    sheets = pd.read_excel(out, sheet_name=None, dtype={"client_id": str, "date": str})
    assert list(sheets) == ["summary", "dimensions", "indicators", "recommendations", "benchmark"]
    assert_matches_engine(sheets["summary"], expected_summary)
    assert set(sheets["dimensions"]["dimension_id"]) == set(DIMENSIONS)
    assert leftovers(tmp_path, "scores.xlsx") == [], "temporary files left behind"


def test_score_out_replaces_existing_file_atomically(
    tmp_path: Path, inputs: dict[str, Path]
) -> None:
    out = tmp_path / "scores.csv"
    out.write_text("old content that must disappear\n", encoding="utf-8")
    ok(run_cli(*score_args(inputs, "--format", "csv", "--out", str(out))))
    text = out.read_text(encoding="utf-8")
    assert text.startswith("client_id,"), text
    assert "old content" not in text
    assert leftovers(tmp_path, "scores.csv") == [], "temporary files left behind"


def test_score_out_file_has_normal_permissions(tmp_path: Path, inputs: dict[str, Path]) -> None:
    reference = tmp_path / "reference.txt"
    reference.write_text("x", encoding="utf-8")
    mode = reference.stat().st_mode & 0o777
    if mode == 0o600:
        pytest.skip("the umask already makes new files private; nothing to compare")
    out = tmp_path / "scores.csv"
    ok(run_cli(*score_args(inputs, "--format", "csv", "--out", str(out))))
    assert out.stat().st_mode & 0o777 == mode, f"{oct(out.stat().st_mode & 0o777)} != {oct(mode)}"


@pytest.mark.parametrize(
    ("options", "column"),
    [(["--aggregate", "mean"], "quality"), (["--missing", "lowest"], "index")],
    ids=["aggregate-mean", "missing-lowest"],
)
def test_score_options_reach_the_engine(
    inputs: dict[str, Path], small_rubric: Rubric, options: list[str], column: str
) -> None:
    result = ok(
        run_cli("score", "--rubric", SMALL, "--format", "csv", *options, str(inputs["answers"]))
    )
    got = pd.read_csv(io.StringIO(result.stdout)).set_index("client_id")[column]
    answers = load_answers(inputs["answers"], small_rubric)
    kwargs = {options[0].removeprefix("--"): options[1]}
    want = score(small_rubric, answers, **kwargs).summary().set_index("client_id")[column]
    np.testing.assert_allclose(got.to_numpy(), want.to_numpy(), rtol=1e-9)


# -- rubric ----------------------------------------------------------------------------------------


def test_rubric_show(small_rubric: Rubric) -> None:
    out = ok(run_cli("rubric", "show", "--rubric", SMALL)).stdout
    assert out.startswith("Data stewardship maturity (test rubric)  (id data-stewardship, ")
    assert f"hash {small_rubric.content_hash}" in out
    assert "Levels: L1 Initial; L2 Repeatable; L3 Defined; L4 Optimised" in out
    assert "quality  Data quality  weight 0.600" in out
    for _, indicator in small_rubric.iter_indicators():
        assert f"  - {indicator.id}: " in out, f"{indicator.id} not listed"
    assert "[incidents; L2..L4 at <= [10.0, 3.0, 1.0]]" in out
    assert "gate: dq_checks below L2 caps quality below L3" in out
    assert "Target profiles: baseline" in out
    assert "Automated everywhere" not in out, "level descriptors only with --levels"


def test_rubric_show_levels(small_rubric: Rubric) -> None:
    out = ok(run_cli("rubric", "show", "--rubric", SMALL, "--levels", "--lang", "ar")).stdout
    for _, indicator in small_rubric.iter_indicators():
        for level in indicator.levels:
            line = f"      L{level}: {indicator.level_text(level)}"
            assert line in out, f"{line!r} missing (English is the fallback for ar)"


def test_rubric_schema(tmp_path: Path, small_rubric: Rubric) -> None:
    schema = json.loads(ok(run_cli("rubric", "schema")).stdout)
    assert schema == rubric_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False, "typos must be flagged by editors"
    assert {"id", "version", "name", "scale", "dimensions"} <= set(schema["required"])
    assert "Indicator" in schema["$defs"]
    out = tmp_path / "schema.json"
    ok(run_cli("rubric", "schema", "--out", str(out)))
    assert json.loads(out.read_text(encoding="utf-8")) == schema


def as_json(data: object) -> object:
    """``data`` as an editor sees it: JSON types only (YAML int keys become strings)."""
    return json.loads(json.dumps(data))


def test_rubric_schema_validates_the_canonical_export(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(ok(run_cli("rubric", "schema")).stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    exported = as_json(
        yaml.safe_load(
            ok(run_cli("rubric", "export", "--rubric", SMALL, "--format", "yaml")).stdout
        )
    )
    validator = jsonschema.Draft202012Validator(schema)
    assert [e.message for e in validator.iter_errors(exported)] == []
    typo = {**exported, "weigths_status": "agreed"}
    assert not validator.is_valid(typo), "an unknown key must fail validation"


RUBRIC_TABLE_COLUMNS = [
    "dimension_id",
    "dimension",
    "dimension_weight",
    "indicator_id",
    "indicator",
    "question",
    "kind",
    "indicator_weight",
    "allow_na",
    "level",
    "level_name",
    "threshold",
    "descriptor",
    "next_step",
    "evidence_hint",
    "sources",
    "proposal",
]


def test_rubric_export_csv(small_rubric: Rubric) -> None:
    out = ok(run_cli("rubric", "export", "--rubric", SMALL, "--format", "csv")).stdout
    table = pd.read_csv(io.StringIO(out), keep_default_na=False)
    assert list(table.columns) == RUBRIC_TABLE_COLUMNS
    n_levels = sum(len(i.levels) for _, i in small_rubric.iter_indicators())
    assert len(table) == n_levels, "one row per indicator level"
    row = table.loc[(table["indicator_id"] == "dq_incidents_per_month") & (table["level"] == 3)]
    assert row["threshold"].tolist() == ["<= 3 incidents"]
    cited = table.loc[table["indicator_id"] == "catalogue_coverage_pct", "sources"]
    # Each source with its citation, its year and what it supports (schema 2).
    assert set(cited) == {
        "Internal survey of 40 data teams (fictitious) (2024): "
        "Median coverage 60% and top decile 90% across 40 teams"
    }


def test_rubric_export_xlsx(tmp_path: Path, small_rubric: Rubric) -> None:
    out = tmp_path / "rubric.xlsx"
    result = ok(
        run_cli("rubric", "export", "--rubric", SMALL, "--format", "xlsx", "--out", str(out))
    )
    assert f"wrote {out}" in result.stderr
    sheets = pd.read_excel(out, sheet_name=None)
    assert list(sheets) == ["rubric", "references", "targets"]
    assert list(sheets["rubric"].columns) == RUBRIC_TABLE_COLUMNS
    assert sheets["references"]["id"].tolist() == ["internal_2024"]
    targets = sheets["targets"]
    assert sorted(targets["dimension_id"]) == sorted(DIMENSIONS)
    assert set(targets["target"]) == {3}
    assert leftovers(tmp_path, "rubric.xlsx") == [], "temporary files left behind"


def test_rubric_export_yaml_round_trips(tmp_path: Path, small_rubric: Rubric) -> None:
    out = tmp_path / "exported.yaml"
    ok(run_cli("rubric", "export", "--rubric", SMALL, "--format", "yaml", "--out", str(out)))
    again = load_rubric(out)
    assert again.content_hash == small_rubric.content_hash
    assert again == small_rubric
    assert leftovers(tmp_path, "exported.yaml") == []
    stdout = ok(run_cli("rubric", "export", "--rubric", SMALL, "--format", "yaml")).stdout
    assert stdout == out.read_text(encoding="utf-8"), "stdout and --out give the same YAML"


# -- staffing --------------------------------------------------------------------------------------

STAFFING = {"aht_minutes": 4.0, "answer_within_minutes": 15.0, "service_level": 0.8}
HOURLY = {**STAFFING, "messages_per_hour": 20.0}


def staffing_args(values: dict[str, float]) -> list[str]:
    """``staffing`` arguments from keyword values (``aht_minutes`` -> ``--aht-minutes``)."""
    args = ["staffing"]
    for name, value in values.items():
        args += [f"--{name.replace('_', '-')}", str(value)]
    return args


def test_staffing_text() -> None:
    out = ok(run_cli(*staffing_args({**HOURLY, "current_fte": 2.0}))).stdout
    expected = plan_staffing(**HOURLY, current_fte=2.0)
    assert "Erlang C model" in out
    assert f"On duty: {expected.agents} agents" in out
    assert f"FTE needed: {expected.fte:.2f}" in out
    assert "With 2 FTE today you cover" in out


def test_staffing_json() -> None:
    data = json.loads(ok(run_cli(*staffing_args(HOURLY), "--format", "json")).stdout)
    expected = plan_staffing(**HOURLY).to_dict()
    for key in ("agents", "service_level", "fte"):
        assert key in data, f"{key} missing from {sorted(data)}"
    assert data["agents"] == expected["agents"]
    assert data["service_level"] == pytest.approx(expected["service_level"])
    assert data["fte"] == pytest.approx(expected["fte"])
    assert data == pytest.approx(expected)
    assert "coverage_options" not in data


def test_staffing_messages_per_day_json() -> None:
    daily = {**STAFFING, "messages_per_day": 180.0}
    data = json.loads(ok(run_cli(*staffing_args(daily), "--format", "json")).stdout)
    expected = plan_staffing(**daily)
    assert data["messages_per_day"] == 180
    assert data["messages_per_hour"] == pytest.approx(180 / 9), "business hours: 9 h a day"
    assert data["agents"] == expected.agents


def test_staffing_compare_text() -> None:
    out = ok(run_cli(*staffing_args(HOURLY), "--compare")).stdout
    table = staffing_table(**HOURLY)
    assert out.startswith("Staffing for business hours")
    lines = out.splitlines()
    for coverage, row in table.iterrows():
        line = next((ln for ln in lines if ln.startswith(f"{coverage} ")), None)
        assert line is not None, f"no row for {coverage}:\n{out}"
        assert f"{row['fte']:.2f}" in line


def test_staffing_compare_json() -> None:
    data = json.loads(ok(run_cli(*staffing_args(HOURLY), "--compare", "--format", "json")).stdout)
    options = data["coverage_options"]
    assert [o["coverage"] for o in options] == ["business", "extended", "24x7"]
    table = staffing_table(**HOURLY)
    assert [o["fte"] for o in options] == pytest.approx(table["fte"].tolist())
    assert all(o["current_fte"] is None for o in options), "NaN becomes null"
    assert data["fte"] == pytest.approx(options[0]["fte"]), "the plan is the business option"
