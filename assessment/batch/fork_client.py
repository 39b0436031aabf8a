"""Starting the fork server and asking it for job runners and kernels (the caller's side).

The server itself, and why it exists, are in :mod:`assessment.batch.fork_server`.

This module imports nothing heavy: a batch starts the server first, and the server imports the
report machinery on another core while the batch plans.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from multiprocessing.connection import Client, Connection
from pathlib import Path
from typing import Any

from assessment.batch.lifetime import private_folder

__all__ = ["ForkServer", "PidProcess", "fork_job", "fork_kernel", "skip_slow_optional_imports"]

#: How the server's interpreter is started (the settings follow on its stdin).
_SERVER_MAIN = "from assessment.batch.fork_server import main; main()"


def skip_slow_optional_imports() -> None:
    """Keep jsonschema from importing ``rfc3987_syntax`` in this process.

    jsonschema's format module imports it when installed and it builds 39 Earley parsers at
    import time (about 1.2 s on a 2-core machine), for the ``iri`` format checks only.  Nothing
    in a batch validates those formats; with the module marked missing, jsonschema simply does
    not register the two checks.  Call it before anything imports nbformat or jsonschema.
    """
    if "rfc3987_syntax" not in sys.modules:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]


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
    def start(cls, timeout: float = 120, *, wait: bool = True, rehearse: bool = True) -> ForkServer:
        """Start a fork server; with ``wait`` (default), also wait until it is warm.

        Without ``rehearse`` the server does not rehearse a report while it waits for requests
        (a single report is better off without: see :mod:`~assessment.batch.fork_server`).
        """
        if os.name != "posix":  # pragma: no cover - fork is POSIX only
            raise OSError("the fork server needs fork(); use the fresh engine")
        # In the batch's private folder: removed with it, even after a kill -9 (issue 18).
        folder = tempfile.mkdtemp(prefix="forkserver-", dir=private_folder())
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
                    [sys.executable, "-c", _SERVER_MAIN],
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
            settings = {
                "address": address,
                "authkey": authkey.hex(),
                "ready_fd": ready_write,
                "rehearse": rehearse,
            }
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

    def request(self, message: Any, timeout: float = 120) -> Any:
        """Send one request and return the server's reply (after waiting until it is warm).

        Raises
        ------
        TimeoutError
            When the server does not answer within ``timeout`` seconds.
        """
        self.wait_ready(timeout)
        with Client(self.address, family="AF_UNIX", authkey=self.authkey) as conn:
            conn.send(message)
            if not conn.poll(timeout):
                raise TimeoutError(f"the fork server did not answer within {timeout:.0f} s")
            return conn.recv()

    def preload(
        self,
        *,
        rehearse: bool = True,
        langs: Iterable[str] | None = None,
        modules: Iterable[str] = (),
        **files: Any,
    ) -> str:
        """Parse a batch's data files once in the server (see :func:`_preload`); ``"ok"``.

        With ``rehearse`` the server first finishes rehearsing a report, so that every report
        forked afterwards starts warm; without, reports start with what it has rehearsed so far.
        ``langs``, the languages of the batch's reports, spares it rehearsing the others;
        ``modules`` are imported by the server for the batch's reports (python-pptx for decks).
        """
        request = {"kind": "preload", "rehearse": rehearse, "modules": list(modules), **files}
        if langs is not None:
            request["langs"] = sorted(langs)
        return str(self.request(request))

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


def fork_job(
    address: str, authkey: bytes, job: Any, *, on_start: Any = None, seconds: float | None = None
) -> tuple[str, Any]:
    """Run ``job`` in a job runner forked by the server; returns ``(status, outcome)``.

    ``status`` is ``"outcome"`` (with the :class:`~assessment.batch.Outcome`),
    ``"interrupted"`` (the runner was asked to stop), ``"died"`` (it exited without an
    answer) or ``"late"`` (no answer within ``seconds`` of its start; the caller kills it);
    the outcome is ``None`` unless the status is ``"outcome"``.  ``on_start(pid)`` is called
    once the runner runs, so that the caller can signal it.
    """
    request = {"kind": "job", "job": job, "cwd": os.getcwd(), "env": dict(os.environ)}
    with Client(address, family="AF_UNIX", authkey=authkey) as conn:
        conn.send(request)
        try:
            kind, pid = conn.recv()
            if on_start is not None:
                on_start(pid)
            if seconds is not None and not conn.poll(seconds):
                return "late", None
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
