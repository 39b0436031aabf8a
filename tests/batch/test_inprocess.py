"""The in-process papermill engine (:mod:`assessment.batch.inprocess`): outputs as a kernel
sends them, errors with papermill's banner, the report's time limit, and the pool's backstop.

Each notebook runs in a new interpreter (the engine makes the process's one IPython shell).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from helpers import SAMPLES

RUN = r"""
import json, sys
import papermill as pm
from assessment.batch import inprocess
inprocess.register()
try:
    nb = pm.execute_notebook(sys.argv[1], sys.argv[2], engine_name=inprocess.ENGINE_NAME,
                             progress_bar=False, execution_timeout=float(sys.argv[3]))
    print(json.dumps({"ok": True}))
except Exception as exc:
    fields = {name: getattr(exc, name, None) for name in ("ename", "evalue", "exec_count")}
    print(json.dumps({"ok": False, "type": type(exc).__name__, **fields}))
"""


def execute(
    tmp_path: Path, *sources: str, timeout: float = 60
) -> tuple[dict, nbformat.NotebookNode]:
    """Execute a notebook of ``sources`` (a ``"md:"`` prefix makes a markdown cell)."""
    cells = [
        nbformat.v4.new_markdown_cell(s[3:])
        if s.startswith("md:")
        else nbformat.v4.new_code_cell(s)
        for s in sources
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    src, out = tmp_path / "in.ipynb", tmp_path / "out.ipynb"
    nbformat.write(nb, src)
    proc = subprocess.run(
        [sys.executable, "-c", RUN, str(src), str(out), str(timeout)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1]), nbformat.read(out, as_version=4)


def test_outputs_are_those_a_kernel_sends(tmp_path: Path) -> None:
    result, nb = execute(
        tmp_path,
        "md:# Title",
        "print('a'); print('b')\nimport sys; print('warn', file=sys.stderr)\n1 + 1",
        "",
        "from IPython.display import display, HTML, clear_output\n"
        "display(HTML('<b>x</b>'))\nclear_output(wait=True)\ndisplay(HTML('<i>y</i>'))",
        "x = 3;",
        "get_ipython() is not None",
        "%time z = 1",
    )
    assert result == {"ok": True}
    md, first, empty, shown, silent, shell, magic = nb.cells
    assert md.cell_type == "markdown"
    assert [o.output_type for o in first.outputs] == ["stream", "stream", "execute_result"]
    assert (first.outputs[0].name, first.outputs[0].text) == ("stdout", "a\nb\n")
    assert (first.outputs[1].name, first.outputs[1].text) == ("stderr", "warn\n")
    assert first.outputs[2].data["text/plain"] == "2"
    assert first.execution_count == first.outputs[2].execution_count == 1
    assert empty.execution_count is None
    assert empty.outputs == []
    assert [o.output_type for o in shown.outputs] == ["display_data"]  # cleared, then y
    assert shown.outputs[0].data["text/html"] == "<i>y</i>"
    assert (shown.execution_count, silent.execution_count) == (2, 3)
    assert silent.outputs == []  # a trailing ";" shows nothing
    assert shell.outputs[0].data["text/plain"] == "True"
    assert "Wall time" in magic.outputs[0].text
    assert all(c.metadata.papermill.status == "completed" for c in nb.cells)


def test_a_failing_cell_stops_the_notebook_with_papermills_banner(tmp_path: Path) -> None:
    result, nb = execute(tmp_path, "a = 1", "raise ValueError('broken answers')", "b = 2")
    assert result == {
        "ok": False,
        "type": "PapermillExecutionError",
        "ename": "ValueError",
        "evalue": "broken answers",
        "exec_count": 2,
    }
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert [o.output_type for o in errors] == ["error"]
    assert any("papermill-error-cell-tag" in c.metadata.get("tags", []) for c in nb.cells)
    assert nb.cells[-1].execution_count is None  # never ran
    assert nb.cells[-1].metadata.papermill.status == "pending"


def test_the_time_limit_stops_a_cell_that_swallows_exceptions(tmp_path: Path) -> None:
    loop = "import time\nwhile True:\n    try:\n        time.sleep(0.1)\n    except Exception:\n"
    loop += "        pass"
    result, _ = execute(tmp_path, "x = 1", loop, timeout=1)
    assert result["ok"] is False
    assert result["type"] == "CellTimeoutError"


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="the fork server needs fork()")
def test_a_runner_stuck_where_no_signal_reaches_is_killed_at_its_time(tmp_path, monkeypatch):
    """A cell that blocks SIGALRM cannot be stopped by the runner itself: the pool's backstop
    kills it ``RUNNER_GRACE`` seconds after its time limit, and the next report still runs."""
    from assessment.batch import default_notebook, plan, run_batch
    from assessment.batch.engines import fork

    monkeypatch.setattr(fork, "RUNNER_GRACE", 1)
    nb = nbformat.read(default_notebook(), as_version=4)
    block = (
        "import signal, time\nif client_id == 'c01-fanous-souq':\n"
        "    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})\n    time.sleep(600)"
    )
    nb.cells.insert(3, nbformat.v4.new_code_cell(block))
    path = tmp_path / "stuck.ipynb"
    nbformat.write(nb, path)
    batch = plan(
        [SAMPLES / "answers.csv", SAMPLES / "answers_forms_export.csv"],
        out_dir=tmp_path / "out",
        notebook=path,
        only=["c01-fanous-souq", "c03-dalia-clinics"],
        clients=SAMPLES / "clients.csv",
        peers=SAMPLES / "peers.csv",
        targets=SAMPLES / "targets.csv",
    )
    outcomes = {
        o.client_id: o for o in run_batch(batch, jobs=2, quiet=True, engine="fork", timeout=3)
    }
    stuck = outcomes["c01-fanous-souq"]
    assert stuck.status == "failed"
    assert "ran longer than 3 s" in stuck.error
    assert "killed" in stuck.error
    assert outcomes["c03-dalia-clinics"].status == "ok"
    assert not list((tmp_path / "out").rglob("*.tmp*"))


@pytest.mark.parametrize(
    ("kind", "fields"),
    [
        ("stream", {"name": "stderr", "text": "warning\n"}),
        ("display_data", {"metadata": {}, "data": {"text/html": "<p>x</p>"}}),
        ("execute_result", {"metadata": {}, "data": {"text/plain": "1"}, "execution_count": 3}),
        ("error", {"ename": "ValueError", "evalue": "bad", "traceback": ["line"]}),
    ],
)
def test_outputs_are_built_as_nbformat_builds_them_without_validating_each(kind, fields):
    import nbformat

    from assessment.batch.inprocess import _output

    assert _output(kind, **fields) == nbformat.v4.new_output(kind, **fields)
    # The notebook as a whole is still validated (papermill's write logs what is wrong).
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("", outputs=[])])
    nb.cells[0].outputs.append(_output(kind, **fields, unexpected=1))
    with pytest.raises(nbformat.ValidationError):
        nbformat.validate(nb)
