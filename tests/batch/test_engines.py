"""The fork engine (processes forked from a warm server): isolation, crashes, parity, registry."""

from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
import pytest
from helpers import SAMPLE_ANSWERS, SAMPLE_INPUTS

from assessment.batch import default_notebook, plan, run_batch
from assessment.report import SECTIONS

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix", reason="the fork server needs fork()"),
]

INPUTS, ANSWERS = SAMPLE_INPUTS, SAMPLE_ANSWERS
FIRST, SECOND = "c01-fanous-souq", "c03-dalia-clinics"

# The first client's report vandalises everything a process can share; the second checks
# that it sees none of it.  Sorted client order plus one worker makes the order certain.
MUTATE = f"""
import os, random, sys
import numpy as np
import matplotlib
import assessment.report as _r
import assessment.inputs as _resp
if client_id == {FIRST!r}:
    _r.CSS = "/* vandalised */"
    for _data in _resp._REMEMBERED.values():  # the batch's preloaded inputs
        _data.answers["comment"] = "vandalised"
    sys.modules["assessment_leak"] = object()
    random.seed(1); np.random.seed(1)
    matplotlib.rcParams["font.size"] = 31
    os.environ["ASSESSMENT_LEAK"] = "yes"
    os.chdir("/")
else:
    problems = []
    if _r.CSS.startswith("/* vandalised"):
        problems.append("module state")
    if any((d.answers["comment"] == "vandalised").all() for d in _resp._REMEMBERED.values()):
        problems.append("preloaded inputs")
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
    outcomes = run_batch(batch, jobs=1, quiet=True, engine="fork")
    assert [o.status for o in outcomes] == ["ok", "ok"], [o.error for o in outcomes]


def test_a_killed_kernel_leaves_the_other_reports_intact(tmp_path):
    nb = notebook_with(tmp_path, CRASH, "crashing.ipynb")
    out = tmp_path / "out"
    batch = plan(
        ANSWERS, out_dir=out, notebook=nb, only=[FIRST, SECOND, "c05-nayzak-mobile"], **INPUTS
    )
    outcomes = {o.client_id: o for o in run_batch(batch, jobs=2, quiet=True, engine="fork")}
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
    for engine in ("fork", "fresh"):
        out = tmp_path / engine
        batch = plan(ANSWERS, out_dir=out, only=clients, **INPUTS)
        outcomes = run_batch(batch, jobs=2, quiet=True, engine=engine)
        assert all(o.status == "ok" for o in outcomes), [o.error for o in outcomes]
        results[engine] = {c: normalise((out / c / "report.html").read_text()) for c in clients}
    for cid in clients:
        assert results["fork"][cid] == results["fresh"][cid], cid


PROBE = """
import assessment.inputs as _resp
from assessment.report import Html
Html(f"<p id='probe'>remembered={len(_resp._REMEMBERED)}</p>")
"""


def test_fast_reports_get_the_inputs_the_server_preloaded(tmp_path):
    nb = notebook_with(tmp_path, PROBE, "probe.ipynb")
    out = tmp_path / "out"
    batch = plan(ANSWERS, out_dir=out, notebook=nb, only=[FIRST], **INPUTS)
    outcomes = run_batch(batch, jobs=1, quiet=True, engine="fork")
    assert outcomes[0].status == "ok", outcomes[0].error
    assert "remembered=1" in (out / FIRST / "report.html").read_text(encoding="utf-8")


def test_a_dead_job_runner_fails_only_its_report(tmp_path, monkeypatch):
    import signal

    from assessment.batch.engines.fork import ForkedPool

    started = ForkedPool._started

    def kill_first(self, job, pid):
        started(self, job, pid)
        if job.client_id == FIRST:
            os.kill(pid, signal.SIGKILL)

    monkeypatch.setattr(ForkedPool, "_started", kill_first)
    out = tmp_path / "out"
    batch = plan(ANSWERS, out_dir=out, only=[FIRST, SECOND], **INPUTS)
    outcomes = {o.client_id: o for o in run_batch(batch, jobs=2, quiet=True, engine="fork")}
    assert outcomes[FIRST].status == "failed"
    assert "died without an answer" in outcomes[FIRST].error
    assert outcomes[SECOND].status == "ok"
    assert (out / SECOND / "report.html").is_file()
    assert not (out / FIRST / "report.html").exists()


def test_the_fast_engine_refuses_a_dask_scheduler(tmp_path):
    from assessment.exceptions import ParameterError

    batch = plan(ANSWERS, out_dir=tmp_path / "out", only=[FIRST], **INPUTS)
    with pytest.raises(ParameterError, match="--engine fresh with --scheduler"):
        run_batch(batch, quiet=True, engine="fork", scheduler="tcp://127.0.0.1:1")


def test_a_server_that_cannot_start_falls_back_to_fresh_kernels_unless_asked_for(
    tmp_path, monkeypatch, capsys
):
    from assessment.batch import fork_client as kernels
    from assessment.exceptions import EngineError

    def broken(cls, timeout=120, **options):
        raise OSError("no fork here")

    monkeypatch.setattr(kernels.ForkServer, "start", classmethod(broken))
    batch = plan(ANSWERS, out_dir=tmp_path / "explicit", only=[FIRST], **INPUTS)
    with pytest.raises(EngineError, match=r"no fork here.*--engine fresh"):
        run_batch(batch, quiet=True, engine="fork")
    batch = plan(ANSWERS, out_dir=tmp_path / "default", only=[FIRST], **INPUTS)
    outcomes = run_batch(batch, quiet=True)
    assert outcomes[0].status == "ok", outcomes[0].error
    assert "using fresh kernels" in capsys.readouterr().err
    assert any("fork engine unavailable" in w for w in batch.warnings)


def test_the_rehearsal_renders_a_whole_report_in_both_languages(tmp_path):
    from assessment.batch.fork_server import rehearse

    rehearse(tmp_path)  # raises on any failing section
    assert {p.name for p in tmp_path.iterdir()} == {"answers.csv", "clients.csv", "peers.csv"}


def test_the_rehearsal_runs_in_steps_while_nobody_waits(tmp_path):
    import socket

    from assessment.batch.fork_server import _Rehearsal, rehearsal_steps

    (tmp_path / "steps").mkdir()
    steps = list(rehearsal_steps(tmp_path / "steps"))
    assert steps[:3] == ["data", "prepare en", "header en"]
    # A whole report in each language: every section, then the export.
    for lang in ("en", "ar"):
        assert [s for s in steps if s.endswith(f" {lang}")][-1] == f"export {lang}"
        assert len([s for s in steps if s.endswith(f" {lang}")]) == len(SECTIONS) + 2
    assert steps[-1] == "export ar"
    address = str(tmp_path / "socket")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen()
    try:
        rehearsal = _Rehearsal()
        assert rehearsal.while_idle(listener)  # nobody waits: one step
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(address)
            assert not rehearsal.while_idle(listener)  # a request waits: it goes first
        rehearsal.finish()  # what a batch of several reports asks for
        assert not rehearsal.while_idle(listener)
        assert not Path(rehearsal._folder).exists()  # done, its files removed

        # A batch whose reports are all in English does not wait for the Arabic pass.
        english = _Rehearsal(idle=False)
        done = []
        original = english._steps
        english._steps = (done.append(step) or step for step in original)
        english.finish(["en"])
        assert "export en" in done
        assert not [s for s in done if s.endswith(" ar")]

        single = _Rehearsal(idle=False)  # a server for one report never rehearses
        assert not single.while_idle(listener)
        single.close()
        assert not Path(single._folder).exists()
    finally:
        listener.close()


def test_an_engine_for_one_report_starts_a_server_that_does_not_rehearse(monkeypatch):
    from assessment.batch import fork_client
    from assessment.batch.engines import create_engine

    started = []

    def start(cls, timeout=120, **options):
        started.append(options)
        raise OSError("not started in this test")

    monkeypatch.setattr(fork_client.ForkServer, "start", classmethod(start))
    create_engine("fork", reports=1).start()
    create_engine("fork").start()
    create_engine("fork", reports=12).start()
    assert [o["rehearse"] for o in started] == [False, True, True]


def test_a_batch_tells_its_server_the_languages_and_hands_it_the_parsed_inputs(tmp_path):
    from assessment.batch.engines import create_engine

    requests = []

    class Server:
        def preload(self, **request):
            requests.append(request)
            return "ok"

    batch = plan(ANSWERS, out_dir=tmp_path, only=[FIRST, SECOND], lang="ar", **INPUTS)
    engine = create_engine("fork")
    engine.server = Server()
    assert engine.prepare(batch) is engine
    (request,) = requests
    assert request["langs"] == {"ar"}
    assert request["rehearse"] is True
    assert request["parsed"] is batch.parsed
    assert batch.parsed[0] is not None
    assert request["answers"] == batch.data_files["answers"]


def test_the_fresh_pool_knows_its_workers_to_stop_them():
    from assessment.batch.engines.fresh import ProcessPool

    pool = ProcessPool(2)
    try:
        ran_in = {pool.executor.submit(os.getpid).result(timeout=120) for _ in range(4)}
        workers = pool.worker_pids()
        pool.stop([])
        # Every worker that ran a task announced itself, so Ctrl-C reaches it.
        assert ran_in
        assert ran_in <= workers
        assert os.getpid() not in workers
    finally:
        pool.close()


UNGUARDED_SCRIPT = """
import sys
from pathlib import Path
from assessment.batch import plan, run_batch

out = Path(sys.argv[1])
with (out.parent / "runs.log").open("a") as log:  # top-level code, no __main__ guard
    log.write("ran\\n")
batch = plan({answers!r}, out_dir=out, only=[{first!r}], **{inputs!r})
(outcome,) = run_batch(batch, quiet=True, engine="fork")
print(outcome.status, outcome.error)
"""


@pytest.mark.parametrize("how", ["file", "stdin"])
def test_the_fast_engine_works_from_any_script(tmp_path, how):
    # multiprocessing's spawn re-imports the caller's __main__ in a new process: that re-ran
    # an unguarded script's top-level code, and failed for a script read from stdin.
    import subprocess
    import sys

    source = UNGUARDED_SCRIPT.format(
        answers=[str(a) for a in ANSWERS],
        first=FIRST,
        inputs={k: str(v) for k, v in INPUTS.items()},
    )
    out = tmp_path / "out"
    cmd = [sys.executable]
    if how == "file":
        script = tmp_path / "render.py"
        script.write_text(source, encoding="utf-8")
        cmd += [str(script), str(out)]
    else:
        cmd += ["-", str(out)]
    proc = subprocess.run(
        cmd,
        input=source if how == "stdin" else None,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split()[0] == "ok", proc.stdout
    assert (tmp_path / "runs.log").read_text() == "ran\n"  # the script ran once, not twice
    assert (out / FIRST / "report.html").is_file()


def test_a_server_that_dies_at_start_says_why(tmp_path, monkeypatch):
    import sys

    from assessment.batch import fork_client as kernels

    fake = tmp_path / "python"
    fake.write_text("#!/bin/sh\necho 'ImportError: no module named assessment' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(fake))
    with pytest.raises(RuntimeError, match="exited while warming up: ImportError: no module"):
        kernels.ForkServer.start(timeout=60)


def test_a_server_left_running_goes_when_its_caller_exits():
    import subprocess
    import sys

    code = (
        "from assessment.batch.fork_client import ForkServer; print(ForkServer.start().process.pid)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    pid = int(proc.stdout.split()[-1])
    # Stopped (and reaped) by the caller on its way out, not an orphan that notices its
    # parent has gone a second later.
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return
    os.kill(pid, 9)
    pytest.fail("the fork server outlived the process that started it")


def test_engines_are_chosen_by_name_from_the_registry():
    from assessment.batch.engines import (
        ForkEngine,
        FreshEngine,
        create_engine,
        default_engine_name,
        registry,
    )
    from assessment.exceptions import ParameterError

    assert registry.names() == ["fork", "fresh"]
    assert registry.get("fast") is ForkEngine  # the former name still works
    assert isinstance(create_engine("fresh"), FreshEngine)
    assert create_engine("fresh").explicit
    assert not create_engine(None).explicit  # the default may fall back
    assert default_engine_name("tcp://127.0.0.1:1") == "fresh"
    with pytest.raises(ParameterError, match="unknown engine 'warp'; the engines are fork, fresh"):
        create_engine("warp")


def test_the_command_line_offers_exactly_the_registered_engines():
    import click

    from assessment.batch.engines import registry
    from assessment.cli.reports import batch

    option = next(p for p in batch.params if p.name == "engine")
    assert isinstance(option.type, click.Choice)
    assert sorted(option.type.choices) == registry.choices()


def test_a_kernel_forked_by_the_server_runs_a_notebook(tmp_path: Path) -> None:
    """Without ``in_runner`` the server forks ipykernels; it imports what they need
    (``KERNEL_PRELOAD``) at the first such request, not at start, and the kernel works."""
    import papermill as pm

    from assessment.batch import kernel_manager_class
    from assessment.batch.fork_client import ForkServer
    from assessment.batch.jobs import ForkedKernels

    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("import sys\nvalue = 6 * 7"))
    nb.cells.append(
        nbformat.v4.new_code_cell("print(value, 'ipykernel' in sys.modules, type(get_ipython()))")
    )
    source, out = tmp_path / "in.ipynb", tmp_path / "out.ipynb"
    nbformat.write(nb, source)
    with ForkServer.start(timeout=60, rehearse=False) as server:
        forked = ForkedKernels(server.address, server.authkey, in_runner=False)
        for name in ("first", "second"):  # the second kernel inherits the modules
            result = pm.execute_notebook(
                str(source),
                str(out),
                kernel_name="python3",
                progress_bar=False,
                execution_timeout=60,
                start_timeout=60,
                kernel_manager_class=kernel_manager_class(tmp_path / f"{name}.log", forked),
            )
            text = result.cells[1].outputs[0]["text"]
            assert text.startswith("42 True "), text
            assert "ZMQInteractiveShell" in text  # a real ipykernel, not the runner's shell
