"""``maturity workshop``: the command's checks and the environment it gives the server.

The command still serves through the CLI's own copy of the serving code; these tests move with
it when it switches to :func:`assessment.workshop.serve.serve` (see ``test_serve.py``).
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from helpers import SAMPLES

from assessment import cli


def test_workshop_command_without_voila_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "voila" else real(name, *a)
    )
    result = CliRunner().invoke(
        cli.main, ["workshop", "--client", "c01", "--store", str(tmp_path / "w.sqlite")]
    )
    assert result.exit_code == 2
    assert "pip install 'assessment[workshop]'" in result.output
    assert "Traceback" not in result.output


def test_workshop_command_sets_the_environment_and_warns_off_loopback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}

    def fake_serve(serving: Any, *, host: str, port: int, env: dict, app: Any, echo: Any) -> None:
        seen.update(serving=serving, host=host, port=port, env=env, app=app)

    monkeypatch.setattr("assessment.workshop.serve.serve", fake_serve)
    args = ["workshop", "--client", "c01", "--store", str(tmp_path / "w.sqlite"), "--port", "0"]
    files = ["--clients", str(SAMPLES / "clients.csv"), "--targets", str(SAMPLES / "targets.csv")]
    ok = CliRunner().invoke(cli.main, [*args, *files])
    assert ok.exit_code == 0, ok.output
    assert "created workshop #1" in ok.output
    assert "warning" not in ok.output
    env = seen["env"]
    assert env["ASSESSMENT_WORKSHOP_STORE"] == str((tmp_path / "w.sqlite").resolve())
    assert env["ASSESSMENT_WORKSHOP_ID"] == "1"
    assert env["ASSESSMENT_WORKSHOP_POLL"] == "2.0"
    assert env["ASSESSMENT_WORKSHOP_CLIENTS"] == str((SAMPLES / "clients.csv").resolve())
    assert seen["host"] == "127.0.0.1"
    assert seen["port"] > 0
    serving = seen["serving"]
    assert serving.join_code in env["ASSESSMENT_WORKSHOP_JOIN_URL"]
    assert serving.host_token not in env["ASSESSMENT_WORKSHOP_JOIN_URL"]
    assert serving.host_token in env["ASSESSMENT_WORKSHOP_PROJECTOR_URL"]
    assert serving.facilitator.startswith("http://127.0.0.1:")  # Voilà on loopback only
    # Opening the same client again resumes its workshop; 0.0.0.0 only with a warning.
    again = CliRunner().invoke(cli.main, [*args, "--host", "0.0.0.0"])
    assert again.exit_code == 0
    assert "created" not in again.output
    assert "note: listening on 0.0.0.0" in again.output
    assert seen["serving"].facilitator.startswith("http://127.0.0.1:")
    assert seen["serving"].join_code == serving.join_code  # the same room, the same code
    assert seen["host"] == "0.0.0.0"


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (["--client", "../x"], "not safe"),
        (["--client", "c01", "--date", "tomorrow"], "not a date"),
        (["--client", "c01", "--clients", "missing.csv"], "no such file"),
    ],
)
def test_workshop_command_input_errors_exit_2(
    tmp_path: Path, extra: list[str], fragment: str
) -> None:
    result = CliRunner().invoke(
        cli.main, ["workshop", "--store", str(tmp_path / "w.sqlite"), "--port", "0", *extra]
    )
    assert result.exit_code == 2
    assert fragment in result.output
    assert "Traceback" not in result.output


def test_workshop_command_refuses_a_busy_port(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(
            cli.main,
            [
                "workshop",
                "--client",
                "c01",
                "--store",
                str(tmp_path / "w.sqlite"),
                "--port",
                str(port),
            ],
        )
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.output


def test_export_writes_every_vote_and_the_agreed_answers(tmp_path: Path) -> None:
    from helpers import run_cli

    from assessment.rubric import load_rubric
    from assessment.workshop.store import open_store

    store = tmp_path / "w.sqlite"
    with open_store(store) as s:
        wid = s.create_workshop("c01", load_rubric("social-media"), date="2025-06-01").id
        ann = s.join(wid, '=HYPERLINK("x")', "")
        s.vote(ann, "strategy_documented", 2)
        s.vote(ann, "strategy_documented", 3, comment="changed my mind")
        s.finalise(wid, {"strategy_documented": 3})
    out = run_cli("workshop", "export", str(store), str(tmp_path / "votes.csv"), "--what", "votes")
    assert out.returncode == 0, out.stderr
    text = (tmp_path / "votes.csv").read_text(encoding="utf-8")
    assert text.count("strategy_documented") == 2  # the history, not only the latest vote
    assert "'=HYPERLINK" in text  # a formula is written as text
    xlsx = run_cli("workshop", "export", str(store), str(tmp_path / "all.xlsx"))
    assert xlsx.returncode == 0, xlsx.stderr
    assert "2 votes, 1 agreed answers" in xlsx.stderr
    bad = run_cli("workshop", "export", str(store), str(tmp_path / "x.csv"))
    assert bad.returncode == 2
    assert "--what votes or --what agreed" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_links_gives_each_person_a_link_even_with_the_same_name(tmp_path: Path) -> None:
    from helpers import run_cli

    from assessment.rubric import load_rubric
    from assessment.workshop.store import open_store

    store = tmp_path / "w.sqlite"
    with open_store(store) as s:
        s.create_workshop("c01", load_rubric("social-media"), date="2025-06-01")
    names = tmp_path / "names.txt"
    names.write_text("Layla\nOmar\n\nLayla\n", encoding="utf-8")
    out_csv = tmp_path / "links.csv"
    url = "http://192.168.1.20:8866"
    out = run_cli("workshop", "links", str(store), str(names), str(out_csv), "--url", url)
    assert out.returncode == 0, out.stderr
    rows = out_csv.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "name,link"
    assert len(rows) == 4
    links = {r.split(",")[1] for r in rows[1:]}
    assert len(links) == 3
    assert all(link.startswith(f"{url}/p/") for link in links)
    bad = run_cli("workshop", "links", str(store), str(names), str(out_csv), "--url", "x")
    assert bad.returncode == 2
    assert "--url" in bad.stderr
