"""The batch runner with real kernels: isolation, resume, interruption, security, dask."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from helpers import ROOT, SAMPLE_ANSWERS, SAMPLE_INPUTS, run_cli

from assessment.batch import default_notebook, plan, run_batch, validate_parameters
from assessment.exceptions import InputError, ParameterError
from assessment.files import atomic_path

pytestmark = pytest.mark.slow

INPUTS, ANSWERS = SAMPLE_INPUTS, SAMPLE_ANSWERS
BROKEN = "c02-wadi-kharaz"


def card_index(html: str) -> str:
    return re.search(r'data-metric="index".*?card-value">([^<]+)<', html, re.S).group(1)


def broken_notebook(tmp_path: Path) -> Path:
    """The real report notebook plus a cell that fails for one client."""
    nb = nbformat.read(default_notebook(), as_version=4)
    nb.cells.insert(
        4,
        nbformat.v4.new_code_cell(
            f"if client_id == {BROKEN!r}:\n"
            "    raise ValueError('deliberately broken report for ' + client_id)"
        ),
    )
    path = tmp_path / "broken_report.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.fixture(name="two_reports", scope="module")
def fixture_two_reports(tmp_path_factory):
    """One batch for two clients (one with history), shared by the checks below."""
    out = tmp_path_factory.mktemp("reports")
    batch = plan(ANSWERS, out_dir=out, only=["c01-fanous-souq", "c05-nayzak-mobile"], **INPUTS)
    outcomes = run_batch(batch, jobs=2, quiet=True)
    return batch, outcomes, out


def test_reports_match_the_engine(two_reports):
    batch, outcomes, out = two_reports
    assert [o.status for o in outcomes] == ["ok", "ok"]
    summary = batch.summary.set_index("client_id")
    for cid in ("c01-fanous-souq", "c05-nayzak-mobile"):
        html = (out / cid / "report.html").read_text(encoding="utf-8")
        assert card_index(html) == f"{summary.loc[cid, 'index']:.0f}"
        assert "<script" not in html
        assert "report.prepare(" not in html  # no code in the deliverable
        assert not re.search(r"(?:src|href)=\"https?:", html)
        nb = nbformat.read(out / cid / "report.ipynb", as_version=4)
        assert any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)
    scores = pd.read_csv(out / "scores.csv")
    assert set(scores["client_id"]) >= {"c01-fanous-souq", "c05-nayzak-mobile"}
    manifest = json.loads((out / "manifest.json").read_text())
    assert {r["client_id"] for r in manifest["reports"]} == {"c01-fanous-souq", "c05-nayzak-mobile"}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="c01-fanous-souq/report.html"' in index
    assert not list(out.rglob("*.tmp*"))


def test_resume_skips_up_to_date_reports_and_redoes_changed_ones(two_reports, tmp_path):
    import shutil

    shared, _, shared_out = two_reports
    # Work on a copy: other tests compare against the shared reports.
    out = tmp_path / "copy"
    shutil.copytree(shared_out, out)
    batch = plan(ANSWERS, out_dir=out, only=["c01-fanous-souq", "c05-nayzak-mobile"], **INPUTS)
    assert [j.input_hash for j in batch.jobs] == [j.input_hash for j in shared.jobs]
    before = (out / "c01-fanous-souq" / "report.html").stat().st_mtime_ns
    again = run_batch(batch, jobs=2, quiet=True, resume=True)
    assert [o.status for o in again] == ["skipped", "skipped"]
    assert (out / "c01-fanous-souq" / "report.html").stat().st_mtime_ns == before
    # A changed input changes the hash: the report is rendered again.
    clients = pd.read_csv(INPUTS["clients"], dtype=str, keep_default_na=False)
    clients.loc[clients["client_id"] == "c01-fanous-souq", "name"] = "Fanous Souq (renamed)"
    clients.to_csv(tmp_path / "clients.csv", index=False)
    changed = plan(
        ANSWERS,
        out_dir=out,
        only=["c01-fanous-souq"],
        **{**INPUTS, "clients": tmp_path / "clients.csv"},
    )
    redo = run_batch(changed, jobs=1, quiet=True, resume=True)
    assert [o.status for o in redo] == ["ok"]
    assert "Fanous Souq (renamed)" in (out / "c01-fanous-souq" / "report.html").read_text()


def test_a_broken_client_does_not_stop_the_batch(tmp_path):
    nb = broken_notebook(tmp_path)
    out = tmp_path / "reports"
    proc = run_cli(
        "batch",
        "-q",
        "--jobs",
        "2",
        "--notebook",
        str(nb),
        "--out",
        str(out),
        "--clients",
        str(INPUTS["clients"]),
        "--targets",
        str(INPUTS["targets"]),
        *map(str, ANSWERS),
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"failed: {BROKEN}" in proc.stderr
    assert "deliberately broken" in proc.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    status = {r["client_id"]: r for r in manifest["reports"]}
    assert status[BROKEN]["status"] == "failed"
    assert sum(r["status"] == "ok" for r in manifest["reports"]) == len(status) - 1
    # Where the time went: the batch's phases, and each report's cells and export.
    assert set(manifest["timings"]) == {"before_rendering", "rendering"}
    assert 0 < manifest["timings"]["rendering"] <= manifest["seconds"]
    for rec in manifest["reports"]:
        assert 0 < rec["cells_seconds"] < rec["seconds"], rec
        assert 0 < rec["export_seconds"] < rec["seconds"], rec
    # The failed notebook is kept, with the error, for debugging.
    kept = nbformat.read(out / BROKEN / "report.ipynb", as_version=4)
    errors = [o for c in kept.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors
    assert errors[0].ename == "ValueError"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f"<code>{BROKEN}</code>: cell " in index
    assert "deliberately broken" in index
    for cid, rec in status.items():
        if cid != BROKEN:
            assert (out / cid / "report.html").is_file(), rec


def _like_a_terminal() -> None:
    # A shell running jobs in the background starts them with SIGINT ignored, and Python then
    # never raises KeyboardInterrupt; a terminal's foreground job has the default disposition.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize(
    ("how", "engine"),
    [("ctrl-c", "fork"), ("sigterm", "fork"), ("ctrl-c", "fresh")],
)
def test_interrupt_leaves_no_partial_files(tmp_path, how, engine):
    out = tmp_path / "reports"
    cmd = [
        sys.executable,
        "-m",
        "assessment",
        "batch",
        "--engine",
        engine,
        "--jobs",
        "2",
        "--out",
        str(out),
        "--clients",
        str(INPUTS["clients"]),
        "--targets",
        str(INPUTS["targets"]),
        *map(str, ANSWERS),
    ]
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=_like_a_terminal,
    )
    deadline = time.monotonic() + 120
    # Wait until at least one report is finished and others are still in flight.
    while time.monotonic() < deadline and not list(out.glob("*/report.html")):
        time.sleep(0.2)
    assert list(out.glob("*/report.html")), "no report finished in time"
    if how == "ctrl-c":
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole process group
    else:
        os.kill(proc.pid, signal.SIGTERM)  # kill, a CI timeout: only the batch itself
    try:
        _, stderr = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert not list(out.rglob("*.tmp*")), list(out.rglob("*.tmp*"))
    for html in out.glob("*/report.html"):
        assert html.read_text(encoding="utf-8").rstrip().endswith("</html>")
    finished = len(list(out.glob("*/report.html")))
    assert 0 < finished < 12
    # --resume continues where the batch stopped.
    resumed = run_cli(
        "batch",
        "-q",
        "--resume",
        "--jobs",
        "2",
        "--out",
        str(out),
        "--clients",
        str(INPUTS["clients"]),
        "--targets",
        str(INPUTS["targets"]),
        *map(str, ANSWERS),
    )
    assert resumed.returncode == 0, resumed.stderr
    assert f"{finished} up to date" in resumed.stdout


def test_atomic_path_cleans_up_on_keyboard_interrupt(tmp_path):
    target = tmp_path / "report.html"

    def write_half() -> None:
        with atomic_path(target) as tmp:
            tmp.write_text("<html>half")
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_half()
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_parameters_with_quotes_newlines_and_code_are_data(tmp_path):
    weird = tmp_path / "a\"b'c\n__import__('os').system('touch PWNED')#"
    weird.mkdir()
    for f in ANSWERS:
        (weird / f.name).write_bytes(f.read_bytes())
    answers = [weird / f.name for f in ANSWERS]
    out = tmp_path / "reports"
    batch = plan(answers, out_dir=out, only=["c05-nayzak-mobile"], **INPUTS)
    outcomes = run_batch(batch, jobs=1, quiet=True)
    assert outcomes[0].status == "ok", outcomes[0].error
    assert not list(tmp_path.rglob("PWNED"))
    assert not (ROOT / "notebooks" / "PWNED").exists()
    nb = nbformat.read(out / "c05-nayzak-mobile" / "report.ipynb", as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert "__import__" in injected.source  # present, but only inside a string literal


def test_parameters_are_validated_before_any_kernel_starts(tmp_path):
    nb = default_notebook()
    with pytest.raises(ParameterError, match="unknown parameter 'colour'"):
        validate_parameters(nb, {"colour": "red"})
    with pytest.raises(ParameterError, match="parameter 'bootstrap' expects int; found str"):
        validate_parameters(nb, {"bootstrap": "many"})
    with pytest.raises(ParameterError, match="no answers for client"):
        plan(ANSWERS, out_dir=tmp_path, only=["nobody"], **INPUTS)
    with pytest.raises(InputError, match="not found"):
        plan(ANSWERS, out_dir=tmp_path, notebook=tmp_path / "missing.ipynb")
    assert not list(tmp_path.iterdir())  # nothing was written


def test_unsafe_client_ids_are_rejected_before_rendering(tmp_path):
    bad = tmp_path / "answers.csv"
    bad.write_text(
        "client_id,date,respondent,role,indicator_id,value,comment\n"
        "../evil,2025-01-01,a,CEO,strategy_documented,2,\n",
        encoding="utf-8",
    )
    proc = run_cli("batch", "-q", "--out", str(tmp_path / "r"), str(bad))
    assert proc.returncode == 2
    assert "[unsafe_id]" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "r").exists()
    assert not (tmp_path / "evil").exists()


def test_help_notebook_documents_the_parameters():
    proc = subprocess.run(
        [
            str(Path(sys.executable).parent / "papermill"),
            "--help-notebook",
            str(default_notebook()),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    for name in ("client_id", "answers", "lang", "bootstrap"):
        assert name in proc.stdout
    assert "client to report on" in proc.stdout


def test_dask_local_cluster_gives_identical_reports(two_reports, tmp_path):
    distributed = pytest.importorskip("distributed")
    _, _, out = two_reports
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
    ) as cluster:
        dask_out = tmp_path / "dask"
        dask_batch = plan(
            ANSWERS, out_dir=dask_out, only=["c01-fanous-souq", "c05-nayzak-mobile"], **INPUTS
        )
        outcomes = run_batch(dask_batch, quiet=True, scheduler=cluster.scheduler_address)
    assert [o.status for o in outcomes] == ["ok", "ok"]

    def normalise(html: str) -> str:
        # Only the generation timestamp may differ between two renderings.
        return re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", "<when>", html)

    for cid in ("c01-fanous-souq", "c05-nayzak-mobile"):
        a = normalise((out / cid / "report.html").read_text(encoding="utf-8"))
        b = normalise((dask_out / cid / "report.html").read_text(encoding="utf-8"))
        assert a == b


def test_report_for_one_client_leaves_the_portfolio_alone(two_reports, tmp_path):
    import shutil

    _, _, shared_out = two_reports
    out = tmp_path / "copy"
    shutil.copytree(shared_out, out)
    index_before = (out / "index.html").read_text(encoding="utf-8")
    scores_before = (out / "scores.csv").read_text(encoding="utf-8")
    proc = run_cli(
        "report",
        "c05-nayzak-mobile",
        "-q",
        "--resume",
        "--out",
        str(out),
        *(f"--{k}={v}" for k, v in INPUTS.items()),
        *(f"--answers={a}" for a in ANSWERS),
    )
    assert proc.returncode == 0, proc.stderr
    assert "report: " in proc.stdout
    assert (out / "index.html").read_text(encoding="utf-8") == index_before
    assert (out / "scores.csv").read_text(encoding="utf-8") == scores_before


# -- one report (maturity report): the batch's report, from the executed notebook (issue 19) ------


def test_one_report_is_the_report_the_batch_renders(two_reports, tmp_path):
    from helpers.compare_reports import normalise

    _, _, batch_out = two_reports
    out = tmp_path / "one"
    proc = run_cli(
        "report",
        "c01-fanous-souq",
        "-q",
        "--out",
        str(out),
        *(f"--{k}={v}" for k, v in INPUTS.items()),
        *(f"--answers={a}" for a in ANSWERS),
    )
    assert proc.returncode == 0, proc.stderr
    one = normalise((out / "c01-fanous-souq" / "report.html").read_text(encoding="utf-8"))
    batch = normalise((batch_out / "c01-fanous-souq" / "report.html").read_text(encoding="utf-8"))
    assert one == batch
    # no portfolio files; the marker and lock are the batch's own (issue 18)
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "c01-fanous-souq"
    ]


def test_one_report_executes_the_notebook_it_is_given(tmp_path):
    # A user-edited template takes effect: its new cells run in the report's kernel.
    nb = nbformat.read(default_notebook(), as_version=4)
    nb.cells.insert(2, nbformat.v4.new_markdown_cell("## Edited by the consultant"))
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "from IPython.display import HTML\n"
            "HTML(f\"<p id='edited'>{client_id} computed {6 * 7} in its kernel</p>\")"
        )
    )
    edited = tmp_path / "edited.ipynb"
    nbformat.write(nb, edited)
    proc = run_cli(
        "report",
        "c04-sawsan-bank",
        "--samples",
        "-q",
        "--notebook",
        str(edited),
        "--out",
        str(tmp_path / "out"),
    )
    assert proc.returncode == 0, proc.stderr
    html = (tmp_path / "out" / "c04-sawsan-bank" / "report.html").read_text(encoding="utf-8")
    assert "Edited by the consultant" in html
    assert "<p id='edited'>c04-sawsan-bank computed 42 in its kernel</p>" in html.replace('"', "'")
    executed = nbformat.read(tmp_path / "out" / "c04-sawsan-bank" / "report.ipynb", as_version=4)
    assert executed.cells[-1].outputs  # executed, not copied
