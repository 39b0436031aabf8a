"""Fast batch reports: a pre-warmed fork server (POSIX only).

Most of a report's time with fresh processes is start-up: Python, then pandas, matplotlib (and
its font cache), scipy, IPython, papermill and nbconvert are imported again for every report.
The fork server imports all of that **once**, in a clean process that never sees client data,
rehearses a report on built-in synthetic data (so every code path, font and template is
loaded), and then forks:

* a **job runner** per report: it executes the notebook with papermill, exports the HTML and
  sends the :class:`~assessment.batch.Outcome` back;
* a **kernel** per report, asked for by that job runner's kernel manager: the child becomes an
  ordinary ipykernel on the connection file jupyter_client wrote, so papermill and nbclient
  drive it exactly like a freshly started kernel.

Isolation is the same as with fresh kernels: every report runs in its own processes, forked
from the untouched warm parent, so module state, the global RNG, rcParams, the working
directory and environment variables that one report changes cannot reach the next.

The shape, like gunicorn's ``preload``::

    batch parent ──starts──> ForkServer (imports + rehearsal; optionally the batch's inputs)
        │  "run job J" ─────────────────────┘ └──fork──> job runner: papermill + nbconvert
        │                                     ┌──────────── "fork me a kernel for file F"
        │                                     └──fork──> kernel: IPKernelApp(-f F)
        └── waits for J's Outcome on the runner's connection

One caveat: jsonschema (imported by nbformat) eagerly compiles 39 Earley grammars from the
optional ``rfc3987_syntax`` package, about 1.2 s per process, only to check the ``iri``
formats that nothing here uses (python-jsonschema/jsonschema#1428).
:func:`skip_slow_optional_imports` keeps that module out of the fork server, so kernels forked
from it have a jsonschema without ``iri``/``iri-reference`` format checks.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from multiprocessing.connection import Client, Listener
from pathlib import Path
from typing import Any

__all__ = [
    "PRELOAD",
    "ForkServer",
    "PidProcess",
    "fork_job",
    "fork_kernel",
    "skip_slow_optional_imports",
]

#: Modules the fork server imports before forking: everything a report kernel and a job runner
#: need.
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
    "assessment.report",
    "assessment.charts",
    "assessment.scoring.staffing",
    # the job runner's side
    "jupyter_client.manager",
    "nbclient",
    "papermill",
    "nbconvert",
    "assessment.batch",
)


def skip_slow_optional_imports() -> None:
    """Keep jsonschema from importing ``rfc3987_syntax`` in this process.

    jsonschema's format module imports it when installed and it builds 39 Earley parsers at
    import time (about 1.2 s on a 2-core machine), for the ``iri`` format checks only.  Nothing
    in a batch validates those formats; with the module marked missing, jsonschema simply does
    not register the two checks.  Call it before anything imports nbformat or jsonschema.
    """
    if "rfc3987_syntax" not in sys.modules:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]


def _warm_up() -> None:
    """Import and exercise what reports use, so children inherit loaded code, fonts and caches."""
    import importlib

    skip_slow_optional_imports()
    os.environ.setdefault("MPLBACKEND", "Agg")
    # pydevd (imported with ipykernel's debugger) warns about frozen modules on import.
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    for name in PRELOAD:
        importlib.import_module(name)
    with tempfile.TemporaryDirectory(prefix="assessment-rehearsal-") as folder:
        rehearse(Path(folder))
    # Objects that exist now are shared by every child: keep the garbage collector from
    # touching (and so copying) their memory pages in each child.
    gc.collect()
    gc.freeze()


def rehearse(folder: Path) -> None:
    """Render a whole report on synthetic data written to ``folder`` (and Arabic parts of one).

    A forked child only inherits what its parent has loaded: the first polar axes, mathtext
    label, legend, Arabic glyph, scipy routine or nbconvert template costs a report tens of
    milliseconds each.  The rehearsal loads all of them, on synthetic data only (no client data
    ever reaches the fork server), with the same functions the report notebook calls.
    """
    import nbformat
    import pandas as pd

    from assessment import report
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
    for lang in ("en", "ar"):
        # English exercises every section; the Arabic pass only adds what differs (fonts,
        # shaping, numerals), which a header and one chart with Arabic labels cover.
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
        todo = report.SECTIONS if lang == "en" else (report.header, report.radar_section)
        html = "".join(str(section(ctx)) for section in todo)
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Rehearsal")])
        nb.cells.append(nbformat.v4.new_code_cell("", outputs=[]))
        nb.cells[-1].outputs.append(
            nbformat.v4.new_output("display_data", data={"text/html": html[:2000]})
        )
        report.notebook_to_html(nb, title="Rehearsal", lang=lang)


def _reap(signum: int, frame: Any) -> None:
    # Collect finished kernels so that they do not linger as zombies (which look alive).
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _detach(request: dict[str, Any]) -> None:
    """In a forked child: its own session, and the caller's working directory and environment.

    Its own session (process group) because Ctrl-C in the terminal is the batch's business;
    the batch stops its children itself.
    """
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


def _become_kernel(request: dict[str, Any]) -> None:
    """In the forked child: detach, set cwd/env/stderr, and run an ipykernel."""
    _detach(request)
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
    from ipykernel.kernelapp import IPKernelApp

    # parent_handle explicitly: its default was read from JPY_PARENT_PID when ipykernel was
    # imported in the fork server, before this child set it, which left the parent poller off
    # and let kernels outlive a fork server that died.
    app = IPKernelApp.instance(parent_handle=os.getppid())
    app.initialize(sys.argv[1:])
    app.start()


def _serve(address: str, authkey: bytes, ready: Any) -> None:
    """The fork server's main loop (runs in its own process)."""
    import select

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the batch decides when to stop
    parent = os.getppid()
    # The server never writes to the terminal; not holding the caller's stdout/stderr means
    # a caller waiting for them to close (a pipe, a CI log) is never kept waiting by it.
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    try:
        _warm_up()
    except BaseException as exc:  # report why instead of letting the caller time out
        ready.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    signal.signal(signal.SIGCHLD, _reap)
    with Listener(address, family="AF_UNIX", authkey=authkey) as listener:
        ready.send(("ok", os.getpid()))
        # The listening socket, to wait with a timeout (Listener.accept has none).
        sock = getattr(getattr(listener, "_listener", None), "_socket", None)
        while True:
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
                with conn:
                    conn.send(_preload(request))
                continue
            if kind not in ("kernel", "job"):
                conn.close()
                continue
            pid = os.fork()
            if pid == 0:
                listener.close()
                try:
                    if kind == "job":
                        _run_job(conn, request)
                    else:
                        conn.close()
                        _become_kernel(request)
                finally:
                    os._exit(0)
            if kind == "kernel":
                conn.send(pid)
            # A job runner reports its own pid and outcome on this connection: the parent's
            # copy is simply closed.
            conn.close()


def _main() -> None:
    """Entry point of the fork server's interpreter (see :meth:`ForkServer.start`)."""
    import json
    from multiprocessing.connection import Connection

    settings = json.load(sys.stdin)
    ready = Connection(settings["ready_fd"], readable=False)
    _serve(settings["address"], bytes.fromhex(settings["authkey"]), ready)


def _preload(request: dict[str, Any]) -> str:
    """Load a batch's data files into the server's cache before forking its reports.

    Every report of a batch reads the same files; parsed once here, each forked report gets
    them from :func:`assessment.responses.load_inputs`'s cache (checked against each file's
    size and modification time) instead of parsing them again.
    """
    try:
        from assessment.inputs import remember_inputs
        from assessment.rubric import load_rubric

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


def _run_job(conn: Any, request: dict[str, Any]) -> None:
    """In a forked child: render one report with :func:`assessment.batch.run_job`.

    Sends ``("pid", pid)`` first, then ``("outcome", Outcome)``, or ``("interrupted", None)``
    when the batch asked it to stop (SIGTERM).
    """
    _detach(request)
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
    from assessment.batch import Outcome, run_job

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


_LOG_NAME = "server.log"


@dataclass
class ForkServer:
    """A running fork server; use as a context manager or call :meth:`stop`.

    :meth:`start` returns as soon as the server process exists; the first request waits until
    it has finished warming up (:meth:`wait_ready`), so a caller can do other work meanwhile.
    """

    address: str
    authkey: bytes
    process: Any
    _ready: Any = None  # the pipe the server reports on once warm
    _pid: int | None = None

    @classmethod
    def start(cls, timeout: float = 120, *, wait: bool = True) -> ForkServer:
        """Start a fork server; with ``wait`` (default), also wait until it is warm."""
        import json
        from multiprocessing.connection import Connection

        if os.name != "posix":  # pragma: no cover - fork is POSIX only
            raise OSError("the fork server needs fork(); use the fresh engine")
        folder = tempfile.mkdtemp(prefix="assessment-forkserver-")
        address = os.path.join(folder, "socket")
        authkey = secrets.token_bytes(32)
        ready_read, ready_write = os.pipe()
        # A new interpreter through subprocess, not multiprocessing's spawn: no inherited
        # threads or zmq state, and no re-import of the caller's __main__, which spawn does
        # and which fails for a script read from stdin and re-runs an unguarded script.
        # The caller's sys.path comes along so that an uninstalled checkout works too.
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        try:
            # Its stderr goes to a file until it starts serving (then to /dev/null): a failure
            # to start is reported through wait_ready, with the file's last line, not as a
            # traceback on the caller's terminal.
            with open(os.path.join(folder, _LOG_NAME), "wb") as log:
                proc = subprocess.Popen(
                    [
                        sys.executable,
                        "-c",
                        "from assessment.batch.forkserver import _main; _main()",
                    ],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.DEVNULL,
                    stderr=log,
                    pass_fds=(ready_write,),
                    env=env,
                )
        finally:
            os.close(ready_write)
        ready = Connection(ready_read, writable=False)
        assert proc.stdin is not None
        try:
            # The settings travel on stdin, never on the command line (the key is a secret).
            settings = {"address": address, "authkey": authkey.hex(), "ready_fd": ready_write}
            proc.stdin.write(json.dumps(settings).encode("utf-8"))
            proc.stdin.close()
        except OSError:
            pass  # it died at once; wait_ready reports that
        server = cls(address=address, authkey=authkey, process=proc, _ready=ready)
        # As multiprocessing does for daemon processes: a server the caller forgot to stop
        # goes when the caller's interpreter exits (stop() is idempotent).
        atexit.register(server.stop)
        if wait:
            server.wait_ready(timeout)
        return server

    def wait_ready(self, timeout: float = 120) -> None:
        """Block until the server has preloaded everything (at once when it already has).

        Raises
        ------
        TimeoutError, RuntimeError
            When the server did not get ready in time, or failed while warming up.
        """
        if self._pid is not None:
            return
        try:
            arrived = self._ready.poll(timeout)
            message = self._ready.recv() if arrived else None
        except (EOFError, OSError):
            message = ("error", "the fork server exited while warming up" + self._last_words())
        if message is None:
            self.process.kill()
            self.process.wait()
            raise TimeoutError("the fork server did not start in time")
        status, detail = message
        if status != "ok":
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=5)
            raise RuntimeError(f"the fork server could not preload the report libraries: {detail}")
        self._pid = int(detail)

    @property
    def _log(self) -> Path:
        """The server's stderr until it serves, next to its socket."""
        return Path(self.address).with_name(_LOG_NAME)

    def _last_words(self) -> str:
        """``": <last line of the server's stderr>"``, or nothing when it wrote none."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        try:
            text = self._log.read_text(errors="replace")
        except OSError:
            return ""
        lines = [line for line in text.splitlines() if line.strip()]
        return f": {lines[-1].strip()}" if lines else ""

    def request(self, message: Any) -> Any:
        """Send one request and return the server's reply (after waiting until it is warm)."""
        self.wait_ready()
        with Client(self.address, family="AF_UNIX", authkey=self.authkey) as conn:
            conn.send(message)
            return conn.recv()

    def preload(self, **files: Any) -> str:
        """Parse a batch's data files once in the server (see :func:`_preload`); ``"ok"``."""
        return str(self.request({"kind": "preload", **files}))

    def stop(self) -> None:
        """Stop the server (kernels and job runners already forked finish on their own)."""
        if self._pid is not None:
            try:
                with Client(self.address, family="AF_UNIX", authkey=self.authkey) as conn:
                    conn.send("stop")
            except OSError:
                pass
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=10)
        if self.process.poll() is None:
            self.process.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=5)
        Path(self.address).unlink(missing_ok=True)
        self._log.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            Path(self.address).parent.rmdir()

    def __enter__(self) -> ForkServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def fork_kernel(address: str, authkey: bytes, request: dict[str, Any]) -> int:
    """Ask the fork server at ``address`` for a kernel; returns the kernel's pid."""
    with Client(address, family="AF_UNIX", authkey=authkey) as conn:
        conn.send({"kind": "kernel", **request})
        return int(conn.recv())


def fork_job(address: str, authkey: bytes, job: Any, *, on_start: Any = None) -> tuple[str, Any]:
    """Run ``job`` in a job runner forked by the server; returns ``(status, outcome)``.

    ``status`` is ``"outcome"`` (with the :class:`~assessment.batch.Outcome`),
    ``"interrupted"`` (the runner was asked to stop) or ``"died"`` (it exited without an
    answer; the outcome is then ``None``).  ``on_start(pid)`` is called once the runner runs,
    so that the caller can signal it.
    """
    request = {"kind": "job", "job": job, "cwd": os.getcwd(), "env": dict(os.environ)}
    with Client(address, family="AF_UNIX", authkey=authkey) as conn:
        conn.send(request)
        try:
            kind, pid = conn.recv()
            if on_start is not None:
                on_start(pid)
            kind, outcome = conn.recv()
        except (EOFError, OSError):
            return "died", None
    return kind, outcome


class PidProcess:
    """The part of :class:`subprocess.Popen` that jupyter_client uses, for a forked kernel.

    The kernel is the fork server's child, not ours, so liveness is checked with signal 0
    (the fork server reaps it promptly when it exits).
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0
            except PermissionError:  # pragma: no cover - pid reused by another user
                self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                import subprocess

                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.02)
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)
