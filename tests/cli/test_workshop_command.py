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

    def fake_serve(
        found: Any, store_file: Path, *, host: str, port: int, env: dict, echo: Any
    ) -> None:
        seen.update(found=found, store=store_file, host=host, port=port, env=env)

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
    # Opening the same client again resumes its workshop; 0.0.0.0 only with a warning.
    again = CliRunner().invoke(cli.main, [*args, "--host", "0.0.0.0"])
    assert again.exit_code == 0
    assert "created" not in again.output
    assert "warning: listening on 0.0.0.0" in again.output
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
