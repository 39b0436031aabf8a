"""Fast kernels for batch reports: a pre-warmed fork server (POSIX only).

Most of a report's time in a fresh kernel is start-up: Python, then pandas, matplotlib (and its
font cache), scipy and IPython are imported again in every kernel.  The fork server imports all
of that **once**, in a clean process that never runs report code, and then forks one child per
report.  Each child becomes an ordinary ipykernel listening on the connection file the batch's
kernel manager wrote, so papermill and nbclient drive it exactly like a fresh kernel.

Isolation is the same as with fresh kernels: every report runs in its own process, forked from
the untouched warm parent, so module state, the global RNG, rcParams, the working directory and
environment variables that one report changes cannot reach the next.

The shape, like gunicorn's ``preload``::

    batch parent ──starts──> ForkServer (imports pandas, matplotlib, scipy, IPython, assessment)
    pool worker: papermill -> KernelManager -> "fork me a kernel for connection file F" ──┘
                                                         └──fork──> child: IPKernelApp(-f F)
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from multiprocessing.connection import Client, Listener
from pathlib import Path
from typing import Any

__all__ = ["PRELOAD", "ForkServer", "PidProcess", "fork_kernel"]

#: Modules the fork server imports before forking; everything a report kernel needs.
PRELOAD = (
    "numpy",
    "pandas",
    "scipy.stats",
    "matplotlib",
    "matplotlib.backends.backend_agg",
    "nbformat",
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "IPython.core.interactiveshell",
    "assessment.report",
    "assessment.charts",
    "assessment.staffing",
)


def _warm_up() -> None:
    """Import and exercise what reports use, so children inherit loaded fonts and caches."""
    import importlib

    os.environ.setdefault("MPLBACKEND", "Agg")
    for name in PRELOAD:
        importlib.import_module(name)
    from matplotlib.figure import Figure

    from assessment import charts
    from assessment.rubric import load_rubric

    load_rubric("social-media")  # parsed and validated once; children reuse the cached model

    # Draw once in each report language so font files (DejaVu, Noto Naskh Arabic) are loaded
    # and the text layout engine is initialised before forking.
    for lang in ("en", "ar"):
        with charts.style(lang):
            fig = Figure(figsize=(2, 1))
            ax = fig.add_subplot()
            ax.set_title("2007 ٢٠٠٧ نضج")
            fig.savefig(os.devnull, format="png")


def _reap(signum: int, frame: Any) -> None:
    # Collect finished kernels so that they do not linger as zombies (which look alive).
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _become_kernel(request: dict[str, Any]) -> None:
    """In the forked child: detach, set cwd/env/stderr, and run an ipykernel."""
    os.setsid()  # own process group: Ctrl-C in the terminal is the batch's business
    os.chdir(request.get("cwd") or "/")
    os.environ.clear()
    os.environ.update(request.get("env") or {})
    # ipykernel exits when the process named here goes away: watch the fork server, our real
    # parent, so that no kernel outlives the batch.
    os.environ["JPY_PARENT_PID"] = str(os.getppid())
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    log = request.get("log")
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644) if log else devnull
    os.dup2(fd, 2)
    # Close every other descriptor inherited from the fork server (its listening socket,
    # multiprocessing's resource-tracker pipe...): a kernel holding them keeps helper
    # processes, and the caller's pipes, alive after the batch has finished.
    os.closerange(3, os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 4096)
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
            with conn:
                try:
                    request = conn.recv()
                except (EOFError, OSError):
                    continue
                if request == "stop":
                    return
                pid = os.fork()
                if pid == 0:
                    listener.close()
                    try:
                        _become_kernel(request)
                    finally:
                        os._exit(0)
                conn.send(pid)


@dataclass
class ForkServer:
    """A running fork server; use as a context manager or call :meth:`stop`."""

    address: str
    authkey: bytes
    process: Any

    @classmethod
    def start(cls, timeout: float = 120) -> ForkServer:
        """Start a fork server and wait until it has preloaded everything."""
        import multiprocessing as mp

        if os.name != "posix":  # pragma: no cover - fork is POSIX only
            raise OSError("the fork server needs fork(); use the fresh engine")
        folder = tempfile.mkdtemp(prefix="assessment-forkserver-")
        address = os.path.join(folder, "socket")
        authkey = secrets.token_bytes(32)
        ctx = mp.get_context("spawn")  # a clean interpreter: no inherited threads or zmq state
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(
            target=_serve, args=(address, authkey, child), daemon=True, name="assessment-forkserver"
        )
        proc.start()
        if not parent.poll(timeout):
            proc.kill()
            raise TimeoutError("the fork server did not start in time")
        status, detail = parent.recv()
        if status != "ok":
            proc.join(timeout=5)
            raise RuntimeError(f"the fork server could not preload the report libraries: {detail}")
        return cls(address=address, authkey=authkey, process=proc)

    def stop(self) -> None:
        """Stop the server (kernels already forked finish on their own)."""
        try:
            with Client(self.address, family="AF_UNIX", authkey=self.authkey) as conn:
                conn.send("stop")
        except OSError:
            pass
        self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.kill()
        Path(self.address).unlink(missing_ok=True)
        Path(self.address).parent.rmdir()

    def __enter__(self) -> ForkServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def fork_kernel(address: str, authkey: bytes, request: dict[str, Any]) -> int:
    """Ask the fork server at ``address`` for a kernel; returns the kernel's pid."""
    with Client(address, family="AF_UNIX", authkey=authkey) as conn:
        conn.send(request)
        return int(conn.recv())


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
