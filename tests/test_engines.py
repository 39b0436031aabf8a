"""The fast engine (kernels forked from a warm server): isolation, crashes, parity."""

from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
import pytest
from conftest import SAMPLES

from assessment.batch import default_notebook, plan, run_batch

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix", reason="the fork server needs fork()"),
]

INPUTS = {
    "clients": SAMPLES / "clients.csv",
    "peers": SAMPLES / "peers.csv",
    "targets": SAMPLES / "targets.csv",
}
ANSWERS = [SAMPLES / "answers.csv", SAMPLES / "answers_forms_export.csv"]
FIRST, SECOND = "c01-fanous-souq", "c03-dalia-clinics"

# The first client's report vandalises everything a process can share; the second checks
# that it sees none of it.  Sorted client order plus one worker makes the order certain.
MUTATE = f"""
import os, random, sys
import numpy as np
import matplotlib
import assessment.report as _r
if client_id == {FIRST!r}:
    _r.CSS = "/* vandalised */"
    sys.modules["assessment_leak"] = object()
    random.seed(1); np.random.seed(1)
    matplotlib.rcParams["font.size"] = 31
    os.environ["ASSESSMENT_LEAK"] = "yes"
    os.chdir("/")
else:
    problems = []
    if _r.CSS.startswith("/* vandalised"):
        problems.append("module state")
    if "assessment_leak" in sys.modules:
        problems.append("sys.modules")
    if matplotlib.rcParams["font.size"] == 31:
        problems.append("rcParams")
    if os.environ.get("ASSESSMENT_LEAK"):
        problems.append("environment")
    if os.getcwd() == "/":
        problems.append("working directory")
    random.seed(1); a = random.random(); np.random.seed(1); b = np.random.random()
    if problems:
        raise AssertionError("state leaked from the previous report: " + ", ".join(problems))
"""

CRASH = f"""
import os, signal
if client_id == {FIRST!r}:
    os.kill(os.getpid(), signal.SIGKILL)
"""


def notebook_with(tmp_path: Path, source: str, name: str) -> Path:
    nb = nbformat.read(default_notebook(), as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell(source))
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def test_state_does_not_leak_between_reports(tmp_path):
    nb = notebook_with(tmp_path, MUTATE, "mutating.ipynb")
    batch = plan(ANSWERS, out_dir=tmp_path / "out", notebook=nb, only=[FIRST, SECOND], **INPUTS)
    outcomes = run_batch(batch, jobs=1, quiet=True, engine="fast")
    assert [o.status for o in outcomes] == ["ok", "ok"], [o.error for o in outcomes]


def test_a_killed_kernel_leaves_the_other_reports_intact(tmp_path):
    nb = notebook_with(tmp_path, CRASH, "crashing.ipynb")
    out = tmp_path / "out"
    batch = plan(
        ANSWERS, out_dir=out, notebook=nb, only=[FIRST, SECOND, "c05-nayzak-mobile"], **INPUTS
    )
    outcomes = {o.client_id: o for o in run_batch(batch, jobs=2, quiet=True, engine="fast")}
    assert outcomes[FIRST].status == "failed"
    assert outcomes[FIRST].attempts == 2  # a dead kernel is retried once on a fresh one
    assert "DeadKernelError" in outcomes[FIRST].error or "died" in outcomes[FIRST].error
    for cid in (SECOND, "c05-nayzak-mobile"):
        assert outcomes[cid].status == "ok"
        assert (out / cid / "report.html").is_file()
    assert not list(out.rglob("*.tmp*"))


def normalise(html: str) -> str:
    # Only the generation timestamp may differ between two renderings of the same inputs.
    return re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", "<when>", html)


def test_fast_and_fresh_engines_give_the_same_reports(tmp_path):
    clients = [FIRST, "c05-nayzak-mobile", "c12-jasmine-bridges"]
    results = {}
    for engine in ("fast", "fresh"):
        out = tmp_path / engine
        batch = plan(ANSWERS, out_dir=out, only=clients, **INPUTS)
        outcomes = run_batch(batch, jobs=2, quiet=True, engine=engine)
        assert all(o.status == "ok" for o in outcomes), [o.error for o in outcomes]
        results[engine] = {c: normalise((out / c / "report.html").read_text()) for c in clients}
    for cid in clients:
        assert results["fast"][cid] == results["fresh"][cid], cid
