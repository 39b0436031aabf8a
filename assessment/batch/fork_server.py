"""The fork engine's warm fork server (POSIX only).

Most of a report's time with fresh processes is start-up: Python, then pandas, matplotlib (and
its font cache), scipy, IPython, papermill and nbconvert are imported again for every report.
The fork server imports all of that **once**, in a clean process that never sees client data,
rehearses a report on built-in synthetic data (so every code path, font and template is
loaded), and then forks.  It answers as soon as the imports are done and rehearses a step at a
time while nobody waits: a batch asks it to finish the rehearsal before its reports are forked
(every report gains from it), a single report does not wait for it (issue 19).  It forks:

* a **job runner** per report: it executes the notebook with papermill, exports the HTML and
  sends the :class:`~assessment.batch.jobs.Outcome` back.  By default it runs the cells itself
  (:mod:`assessment.batch.inprocess`): forked for this one report, it is the report's kernel;
* a **kernel** per report only when a job asks for one
  (:attr:`~assessment.batch.jobs.ForkedKernels.in_runner` false): the child becomes an
  ordinary ipykernel on the connection file jupyter_client wrote, so papermill and nbclient
  drive it exactly like a freshly started kernel.

Isolation is the same as with fresh kernels: every report runs in its own processes, forked
from the untouched warm parent, so module state, the global RNG, rcParams, the working
directory and environment variables that one report changes cannot reach the next.

The shape, like gunicorn's ``preload``::

    batch parent ──starts──> ForkServer (imports + rehearsal; optionally the batch's inputs)
        │  "run job J" ─────────────────────┘ └──fork──> job runner: papermill (cells run
        │                                     │          here) + nbconvert
        │                                     ┌──────────── (only without in_runner:)
        │                                     │             "fork me a kernel for file F"
        │                                     └──fork──> kernel: IPKernelApp(-f F)
        └── waits for J's Outcome on the runner's connection

One caveat: jsonschema (imported by nbformat) eagerly compiles 39 Earley grammars from the
optional ``rfc3987_syntax`` package, about 1.2 s per process, only to check the ``iri``
formats that nothing here uses (python-jsonschema/jsonschema#1428).
:func:`skip_slow_optional_imports` keeps that module out of the fork server, so kernels forked
from it have a jsonschema without ``iri``/``iri-reference`` format checks.

This module is the server process itself, started by
:meth:`assessment.batch.fork_client.ForkServer.start` as
``python -c "from assessment.batch.fork_server import main; main()"``; nothing here runs in
the caller's process; only the warm report server (:mod:`assessment.batch.daemon`), itself a
server process, imports it to warm up and run job runners the same way.
:mod:`assessment.batch.fork_client` is the caller's side: starting the server and asking it
for job runners and kernels.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import select
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection, Listener
from pathlib import Path
from typing import Any

from assessment.batch.fork_client import skip_slow_optional_imports
from assessment.batch.lifetime import die_with_parent

__all__ = ["PRELOAD", "REHEARSAL_LANGS", "main", "rehearsal_steps", "rehearse"]

#: Modules the fork server imports before forking: everything a report kernel and a job runner
#: need.  ipykernel's modules stay here although a job runner executing the cells itself does
#: not import them: with them left to the first kernel request, runners stopped by Ctrl-C or
#: SIGTERM left a temporary notebook or an interrupted report behind in 3 of 18 runs of the
#: interrupt test (issue 19; the cause is not yet known).
PRELOAD = (
    "numpy",
    "pandas",
    "scipy.special",
    "matplotlib",
    "matplotlib.backends.backend_agg",
    "nbformat",
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "IPython.core.interactiveshell",
    # imported by every kernel as it starts (the debugger alone pulls in ~120 pydevd modules)
    "ipykernel.debugger",
    "IPython.core.debugger",
    "IPython.core.completerlib",
    "IPython.core.logger",
    "IPython.core.oinspect",
    "faulthandler",
    "IPython.extensions.storemagic",
    "sqlite3",
    "tornado.platform.asyncio",
    "tornado.queues",
    "tornado.locks",
    "assessment.report",  # its modules: assessment.report.MODULES, below
    "assessment.charts",
    "assessment.scoring.staffing",
    "assessment.deck",  # the notebook's last cell imports it (python-pptx only for a deck)
    # the job runner's side
    "jupyter_client.manager",
    "nbclient",
    "papermill",
    # not nbconvert: a report's export rarely needs it (report.page.html_cells); a batch's
    # rehearsal exports a notebook that does, so that runners inherit it compiled
    "assessment.batch.job",
)


def _import_preloaded() -> None:
    """Import what reports use (:data:`PRELOAD`), so children inherit loaded code."""
    skip_slow_optional_imports()
    os.environ.setdefault("MPLBACKEND", "Agg")
    # pydevd (imported with ipykernel's debugger) warns about frozen modules on import.
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    for name in PRELOAD:
        importlib.import_module(name)
    from assessment.report import MODULES  # the report package imports its modules lazily

    for name in MODULES:
        importlib.import_module(name)


def _freeze() -> None:
    """Keep the garbage collector off the objects that exist now.

    Objects that exist before a fork are shared by every child: frozen, the collector does
    not touch (and so copy) their memory pages in each child.
    """
    gc.collect()
    gc.freeze()


def rehearse(folder: Path) -> None:
    """Render a whole report on synthetic data written to ``folder``, in English and Arabic.

    A forked child only inherits what its parent has loaded: the first polar axes, mathtext
    label, legend, Arabic glyph, scipy routine or nbconvert template costs a report tens of
    milliseconds each.  The rehearsal loads all of them, on synthetic data only (no client data
    ever reaches the fork server), with the same functions the report notebook calls.  The
    server runs it a step at a time (:func:`rehearsal_steps`) while it has nothing else to do.
    """
    for _ in rehearsal_steps(folder):
        pass


#: The languages a rehearsal renders a whole report in, in this order.
REHEARSAL_LANGS = ("en", "ar")


def rehearsal_steps(
    folder: Path, wanted: Callable[[str], bool] = lambda lang: True
) -> Iterator[str]:
    """:func:`rehearse` in steps of a fraction of a second; yields the name of each step done.

    The fork server runs one step at a time while nobody waits for it, so that a single
    report is never kept waiting for a whole rehearsal (issue 19).  Each language of
    :data:`REHEARSAL_LANGS` gets a whole report (every section and the export: the Arabic
    pass loads the Arabic fonts, shaping and numerals in every chart); ``wanted(lang)``,
    asked before each step, skips the rest of a language no report of the batch is in.
    """
    # local: preloaded by the server before it rehearses
    import nbformat

    from assessment import report

    rub, cid = _rehearsal_data(folder)
    yield "data"
    for lang in REHEARSAL_LANGS:
        if not wanted(lang):
            continue
        ctx = report.prepare(
            cid,
            rubric=rub,
            answers=folder / "answers.csv",
            clients=folder / "clients.csv",
            peers=folder / "peers.csv",
            lang=lang,
            numerals="arabic-indic" if lang == "ar" else "western",
            radar_targets=["modern"],
        )
        yield f"prepare {lang}"
        html = []
        for section in report.SECTIONS:
            if not wanted(lang):
                break
            html.append(str(section(ctx)))
            yield f"{section.__name__} {lang}"
        else:
            nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Rehearsal")])
            nb.cells.append(nbformat.v4.new_code_cell("", outputs=[]))
            nb.cells[-1].outputs.append(
                nbformat.v4.new_output("display_data", data={"text/html": "".join(html)[:2000]})
            )
            report.notebook_to_html(nb, title="Rehearsal", lang=lang)
            yield f"export {lang}"


def _rehearsal_data(folder: Path) -> tuple[Any, str]:
    """Write the rehearsal's synthetic answers, peers and client; the rubric and client id."""
    import pandas as pd  # local: preloaded

    from assessment.rubric import load_rubric
    from assessment.samples import synthetic

    rub = load_rubric("social-media")
    profiles = synthetic.random_profiles(rub, 1, seed=7)
    cid = str(profiles.index[0])
    answers = pd.concat(
        [
            synthetic.synthetic_answers(rub, profiles, date=date, seed=k)
            for k, date in enumerate(("2024-03-01", "2025-03-01"))
        ]
    )
    answers.to_csv(folder / "answers.csv", index=False)
    synthetic.synthetic_peers(rub, 80, seed=7).to_csv(folder / "peers.csv", index=False)
    clients = {"client_id": cid, "name": "Rehearsal", "sector": "retail", "size_band": "small"}
    clients |= {"messages_per_day": 150, "social_fte": 1.5}
    pd.DataFrame([clients]).to_csv(folder / "clients.csv", index=False)
    return rub, cid


class _Rehearsal:
    """The server's rehearsal, run a step at a time while no request is waiting.

    It pauses at the first request (a report is then waiting: a whole rehearsal would cost it
    more than it saves), and a ``preload`` request that asks for it completes it first (a
    batch of many reports gains from it in every one).  Without ``idle`` it runs only when
    asked.  A failing step ends the rehearsal: the reports then show the error themselves.
    """

    def __init__(self, *, idle: bool = True) -> None:
        self._folder = tempfile.mkdtemp(prefix="assessment-rehearsal-")
        self._langs: set[str] | None = None  # every language until a batch says which
        self._steps: Iterator[str] | None = rehearsal_steps(
            Path(self._folder), lambda lang: self._langs is None or lang in self._langs
        )
        self.paused = not idle
        self._dirty = True  # objects created since the last freeze (the imports, first)

    def _step(self) -> bool:
        """Run one step; ``False`` once there is none left."""
        if self._steps is None:
            return False
        try:
            next(self._steps)
        except Exception:  # StopIteration, or a broken report: the reports will say
            self.close()
        self._dirty = True
        return self._steps is not None

    def while_idle(self, sock: Any) -> bool:
        """Run a step when nothing is waiting on ``sock``; whether one ran."""
        if self.paused or self._steps is None:
            return False
        if sock is None or select.select([sock], [], [], 0)[0]:
            return False
        return self._step()

    def finish(self, langs: Iterable[str] | None = None) -> None:
        """Run every remaining step (a batch is about to be forked); with ``langs``, only
        those of the languages its reports are in."""
        if langs is not None:
            self._langs = set(langs)
        while self._step():
            pass
        self.before_fork()

    def close(self) -> None:
        """End the rehearsal where it is and remove its files."""
        self._steps = None
        shutil.rmtree(self._folder, ignore_errors=True)

    def before_fork(self) -> None:
        """Pause, and freeze what the rehearsal loaded so that children share it."""
        self.paused = True
        if self._dirty:
            _freeze()
            self._dirty = False


def _reap(signum: int, frame: Any) -> None:
    # Collect finished kernels so that they do not linger as zombies (which look alive).
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _detach(request: dict[str, Any], server: int) -> None:
    """In a forked child: its own session, and the caller's working directory and environment.

    Its own session (process group) because Ctrl-C in the terminal is the batch's business;
    the batch stops its children itself.  Outside the batch's process group, a ``kill -9`` of
    that group would not reach it: it dies with the fork server (``server``, its parent)
    instead, which exits with the batch.
    """
    die_with_parent(server)
    os.setsid()
    os.chdir(request.get("cwd") or "/")
    os.environ.clear()
    os.environ.update(request.get("env") or {})


def _close_inherited(keep: int | None = None) -> None:
    """Close every descriptor above 2 inherited from the fork server, except ``keep``.

    The server's listening socket, multiprocessing's resource-tracker pipe and the like: a
    child holding them keeps helper processes, and the caller's pipes, alive after the batch.
    """
    top = os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 4096
    if keep is None:
        os.closerange(3, top)
    else:
        os.closerange(3, keep)
        os.closerange(keep + 1, top)


def _become_kernel(request: dict[str, Any], server: int) -> None:
    """In the forked child: detach, set cwd/env/stderr, and run an ipykernel."""
    _detach(request, server)
    # ipykernel exits when the process named here goes away: watch the fork server, our real
    # parent, so that no kernel outlives the batch.
    os.environ["JPY_PARENT_PID"] = str(os.getppid())
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    log = request.get("log")
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644) if log else devnull
    os.dup2(fd, 2)
    _close_inherited()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # In-memory history, as nbclient asks of the kernels it starts: report kernels running
    # side by side must not contend for (or keep open) ~/.ipython's history database.
    sys.argv = [
        "ipykernel_launcher",
        "-f",
        request["connection_file"],
        "--HistoryManager.hist_file=:memory:",
    ]
    from ipykernel.kernelapp import IPKernelApp  # local: preloaded; only kernels use it

    # parent_handle explicitly: its default was read from JPY_PARENT_PID when ipykernel was
    # imported in the fork server, before this child set it, which left the parent poller off
    # and let kernels outlive a fork server that died.
    app = IPKernelApp.instance(parent_handle=os.getppid())
    app.initialize(sys.argv[1:])
    app.start()


def _serve(address: str, authkey: bytes, ready: Any, rehearsal: _Rehearsal) -> None:
    """The fork server's main loop (runs in its own process)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the batch decides when to stop
    parent = os.getppid()
    # The server never writes to the terminal; not holding the caller's stdout/stderr means
    # a caller waiting for them to close (a pipe, a CI log) is never kept waiting by it.
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    try:
        _import_preloaded()
    except BaseException as exc:  # report why instead of letting the caller time out
        ready.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    signal.signal(signal.SIGCHLD, _reap)
    with Listener(address, family="AF_UNIX", authkey=authkey) as listener:
        ready.send(("ok", os.getpid()))
        # The listening socket, to wait with a timeout (Listener.accept has none).
        sock = getattr(getattr(listener, "_listener", None), "_socket", None)
        while True:
            if rehearsal.while_idle(sock):
                continue
            if sock is not None and not select.select([sock], [], [], 1.0)[0]:
                if os.getppid() != parent:
                    return  # the batch died without stopping us: do not linger
                continue
            try:
                conn = listener.accept()
            except (OSError, EOFError):
                continue
            try:
                request = conn.recv()
            except (EOFError, OSError):
                conn.close()
                continue
            if request == "stop":
                conn.close()
                return
            kind = request.get("kind", "kernel") if isinstance(request, dict) else None
            if kind == "preload":
                # A batch is about to be forked: now or never for the rehearsal.
                if request.get("rehearse"):
                    rehearsal.finish(request.get("langs"))
                rehearsal.before_fork()
                with conn:
                    conn.send(_preload(request))
                continue
            if kind not in ("kernel", "job"):
                conn.close()
                continue
            server = os.getpid()
            rehearsal.before_fork()
            pid = os.fork()
            if pid == 0:
                listener.close()
                try:
                    if kind == "job":
                        _run_job(conn, request, server)
                    else:
                        conn.close()
                        _become_kernel(request, server)
                finally:
                    os._exit(0)
            if kind == "kernel":
                conn.send(pid)
            # A job runner reports its own pid and outcome on this connection: the parent's
            # copy is simply closed.
            conn.close()


def main() -> None:
    """Entry point of the fork server's interpreter (see :meth:`ForkServer.start`)."""
    settings = json.load(sys.stdin)
    ready = Connection(settings["ready_fd"], readable=False)
    rehearsal = _Rehearsal(idle=settings.get("rehearse", True))
    try:
        _serve(settings["address"], bytes.fromhex(settings["authkey"]), ready, rehearsal)
    finally:
        rehearsal.close()
        # Nothing else is left to flush or release (its socket is closed, the caller removes
        # its files): skip tearing down a heap of preloaded modules, which the caller waits for.
        os._exit(0)


def _preload(request: dict[str, Any]) -> str:
    """Load a batch's data files into the server's cache before forking its reports.

    Every report of a batch reads the same files; parsed once, each forked report gets them
    from :func:`assessment.inputs.load_inputs`'s cache (checked against each file's size and
    modification time) instead of parsing them again.  The batch sends what it parsed as it
    planned (``parsed``, see :func:`assessment.inputs.adopt_inputs`); otherwise the server
    parses the files itself.  ``modules`` are imported first (python-pptx for a batch that
    writes decks), so that its reports inherit them.
    """
    try:
        for name in request.get("modules") or ():  # what this batch's reports need besides
            importlib.import_module(name)
        # local: a failure to import is reported like a failure to load
        from assessment.inputs import adopt_inputs, remember_inputs
        from assessment.rubric import load_rubric

        if request.get("parsed") is not None:  # parsed by the batch as it planned
            adopt_inputs(*request["parsed"])
            gc.freeze()
            return "ok"
        rub = load_rubric(request["rubric"])
        remember_inputs(
            request["answers"],
            rub,
            clients=request.get("clients") or None,
            peers=request.get("peers") or None,
            targets=request.get("targets") or None,
        )
    except Exception as exc:  # reports then load the files themselves, and report problems
        return f"not preloaded: {type(exc).__name__}: {exc}"
    gc.freeze()
    return "ok"


def _run_job(conn: Any, request: dict[str, Any], server: int) -> None:
    """In a forked child: render one report with :func:`assessment.batch.run_job`.

    Sends ``("pid", pid)`` first, then ``("outcome", Outcome)``, or ``("interrupted", None)``
    when the batch asked it to stop (SIGTERM).
    """
    _detach(request, server)
    _close_inherited(keep=conn.fileno())
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # subprocess (Chromium) reaps its own
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stopping = False

    def stop(signum: int, frame: Any) -> None:
        nonlocal stopping
        if not stopping:
            stopping = True
            raise KeyboardInterrupt  # unwinds papermill: kernel shut down, temp files removed

    signal.signal(signal.SIGTERM, stop)
    gc.unfreeze()
    # local: only job runners use it (preloaded in the server)
    from assessment.batch.job import run_job
    from assessment.batch.jobs import Outcome

    job = request["job"]
    try:
        conn.send(("pid", os.getpid()))
        try:
            outcome = run_job(job)
        except KeyboardInterrupt:
            conn.send(("interrupted", None))
            return
        except BaseException as exc:  # anything run_job did not turn into an Outcome
            outcome = Outcome(job.client_id, "failed", error=f"{type(exc).__name__}: {exc}")
        conn.send(("outcome", outcome))
    except (BrokenPipeError, OSError, KeyboardInterrupt):
        pass  # the batch is gone or stopping; nobody is waiting for the outcome
