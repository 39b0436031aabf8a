"""The harness of the malformed-input corpora: write a case's files, run the CLI, check stderr.

A case ends with exit status 2, no Python traceback, nothing on standard output, and one
reported problem that contains every expected fragment.  Used by
``tests/inputs/test_malformed.py`` (data files) and ``tests/rubric/test_loading.py`` (rubrics);
imported as ``from helpers.malformed import Case, check_case``.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import NamedTuple

from helpers import run_cli

#: Placeholder in expected fragments for the folder of a case inside the shared run.
DIR = "{dir}"


class Case(NamedTuple):
    """One malformed input: files to write, the command to run, what one problem must say."""

    files: dict[str, str | bytes]
    argv: list[str]
    expect: tuple[str, ...]  # fragments that must all appear in ONE reported problem


def problems(stderr: str) -> list[str]:
    """Split stderr into reported problems: one per ``error:`` line or ``  - `` bullet.

    A problem may span lines (a message quoting a multi-line parser error), so lines are split
    only where a new problem starts.
    """
    return re.split(r"\n(?=  - |error: |Error: )", stderr.rstrip())


def assert_rejected(
    result: subprocess.CompletedProcess[str], *expect: str, within: str = ""
) -> None:
    """Exit 2, no traceback, no stdout, and one problem that contains every fragment.

    ``within`` restricts the search to the problems starting with that prefix (a case's folder
    in the shared run).
    """
    stderr = result.stderr
    assert result.returncode == 2, f"expected exit 2, got {result.returncode}; stderr:\n{stderr}"
    assert "Traceback" not in stderr, f"a traceback leaked to the user:\n{stderr}"
    assert result.stdout == "", f"nothing should be printed on stdout; got:\n{result.stdout}"
    candidates = [p for p in problems(stderr) if p.startswith(within)]
    matching = [p for p in candidates if all(fragment in p for fragment in expect)]
    assert matching, (
        f"no reported problem contains all of {list(expect)}; candidates:\n"
        + "\n".join(candidates or [stderr])
    )


def write_files(folder: Path, files: dict[str, str | bytes]) -> None:
    """Write ``files`` (text as UTF-8, bytes as they are) into ``folder``."""
    for name, content in files.items():
        if isinstance(content, bytes):
            (folder / name).write_bytes(content)
        else:
            (folder / name).write_text(content, encoding="utf-8")


def run_case(case: Case, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Write the case's files under ``tmp_path`` and run its command there."""
    write_files(tmp_path, case.files)
    return run_cli(*case.argv, cwd=tmp_path)


def check_case(case: Case, tmp_path: Path) -> None:
    """Run ``case`` on its own and check that its problem is reported."""
    expect = [fragment.replace(DIR, "") for fragment in case.expect]
    assert_rejected(run_case(case, tmp_path), *expect)
