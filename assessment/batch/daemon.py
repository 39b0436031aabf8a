"""The warm report server kept between commands: the server (POSIX only).

Why it exists, where its socket lives and how commands reach it: :mod:`.daemon_client`.  This
module is the server process, started by :func:`~.daemon_client.start_in_background` as
``python -c "from assessment.batch.daemon import main; main()"``.

It imports what a report and the command line need, rehearses a report on synthetic data
(:func:`~assessment.batch.fork_server.rehearse`: no client data ever reaches it), and then
waits.  For each command it forks a **command child** from that warm state: the child takes
the caller's terminal (the three descriptors sent over the socket), working directory,
environment and arguments, and runs ``maturity ARGS``.  A report it renders runs in a job
runner the child forks from itself (:class:`LocalForker`): still one process per report,
executing the notebook, now from a process that is already warm.  The server itself only ever
forks, so each command starts from the same clean, rehearsed state.

The shape::

    maturity report ... ──socket (args, cwd, env, fds 0-2)──> warm server
          │ <── {"pid"} ... {"exit": code} ──────────────┐       └─fork─> command child
          └ Ctrl-C / SIGTERM passed on to the child      └──────────────── (runs the CLI)
                                                                    └─fork─> job runner
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import gc
import importlib
import io
import json
import os
import select
import signal
import socket
import struct
import sys
import tempfile
import time
from multiprocessing import Pipe
from pathlib import Path
from typing import Any

from assessment.batch import daemon_client
from assessment.batch.fork_server import _import_preloaded, _reap, _run_job, rehearse

__all__ = ["LocalForker", "main"]

#: What every command child needs, imported before the server forks (on top of the fork
#: server's :data:`~assessment.batch.fork_server.PRELOAD` and the caller's modules).
#: ``assessment.deck.slides``: python-pptx, which a report imports only for a deck; a warm
#: server imports it once, off every command's path.
_COMMAND_MODULES = ("click", "assessment.batch.run", "assessment.deck.slides")


class LocalForker:
    """A fork server that is this process: each job runs in a child forked from here.

    Used in a warm server's command child (see the module docstring), where starting a fork
    server would import everything again.  Same protocol as
    :func:`~assessment.batch.fork_client.fork_job`.
    """

    address = ""
    authkey = b""

    def fork_job(
        self, job: Any, *, on_start: Any = None, seconds: float | None = None
    ) -> tuple[str, Any]:
        """Run ``job`` in a child of this process; ``(status, outcome)`` as ``fork_job``."""
        mine, theirs = Pipe()
        request = {"job": job, "cwd": os.getcwd(), "env": dict(os.environ)}
        pid = os.fork()
        if pid == 0:  # the job runner
            mine.close()
            try:
                devnull = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):  # as a fork server's runner: not on the user's terminal
                    os.dup2(devnull, fd)
                _run_job(theirs, request, os.getppid())
            finally:
                os._exit(0)
        theirs.close()
        try:
            _kind, runner = mine.recv()
            if on_start is not None:
                on_start(runner)
            if seconds is not None and not mine.poll(seconds):
                return "late", None
            return mine.recv()
        except (EOFError, OSError):
            return "died", None
        finally:
            mine.close()
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)  # a runner still exiting is reaped with us

    def preload(self, *, parsed: Any = None, **kwargs: Any) -> str:
        """Keep the inputs the command parsed as it planned, for the runners it forks (the
        command child is warm: nothing else to load)."""
        if parsed is not None:
            from assessment.inputs import adopt_inputs  # local: loaded by the planning

            adopt_inputs(*parsed)
        return "ok"

    def stop(self) -> None:
        """Nothing to stop: job runners end with their reports."""


def _peer_uid(conn: socket.socket) -> int:
    """The user id of the process at the other end of ``conn`` (Linux ``SO_PEERCRED``)."""
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", creds)[1]


def _receive(conn: socket.socket) -> tuple[dict[str, Any], list[int]]:
    """One request (a JSON line, at most ``MAX_REQUEST`` bytes) and the descriptors sent."""
    data, fds = b"", []
    while b"\n" not in data:
        chunk, got, _, _ = socket.recv_fds(conn, 65536, 3)
        fds.extend(got)
        if not chunk or len(data) + len(chunk) > daemon_client.MAX_REQUEST:
            break
        data += chunk
    line = data.split(b"\n", 1)[0]
    return json.loads(line) if line else {}, fds


def _text_stream(fd: int, env: dict[str, str], *, write: bool) -> io.TextIOWrapper:
    encoding = (env.get("PYTHONIOENCODING") or "utf-8").split(":")[0] or "utf-8"
    raw = open(fd, "wb" if write else "rb", buffering=0, closefd=False)  # noqa: SIM115
    buffered = io.BufferedWriter(raw) if write else io.BufferedReader(raw)
    return io.TextIOWrapper(buffered, encoding=encoding, errors="replace", line_buffering=write)


def _run_command(conn: socket.socket, request: dict[str, Any], fds: list[int]) -> None:
    """In a command child: become the caller's command and run it; never returns."""
    code = 1
    try:
        os.setsid()
        for target, fd in zip((0, 1, 2), fds, strict=False):
            os.dup2(fd, target)
        for fd in fds:
            os.close(fd)
        env = {str(k): str(v) for k, v in dict(request.get("env") or {}).items()}
        os.environ.clear()
        os.environ.update(env)
        os.chdir(request.get("cwd") or "/")
        sys.stdin = _text_stream(0, env, write=False)
        sys.stdout = _text_stream(1, env, write=True)
        sys.stderr = _text_stream(2, env, write=True)
        for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGPIPE):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        argv = [str(a) for a in request.get("argv") or []]
        sys.argv = ["maturity", *argv]
        conn.sendall(json.dumps({"pid": os.getpid()}).encode() + b"\n")
        code = _main(argv)
    finally:
        with contextlib.suppress(Exception):
            atexit._run_exitfuncs()  # the command's private folder and the like
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        with contextlib.suppress(OSError):
            conn.sendall(json.dumps({"exit": code}).encode() + b"\n")
        os._exit(code)


def _entry(name: str) -> Any:
    """The callable ``"module:attribute"`` names (the caller's command-line entry point)."""
    module, _, attribute = name.partition(":")
    return getattr(importlib.import_module(module), attribute)


def _main(argv: list[str]) -> int:
    """Run the command line as ``maturity ARGV`` would; its exit code."""
    from assessment.batch.engines.fork import ForkEngine

    ForkEngine.local = LocalForker()  # reports fork from this warm child, not a new server
    daemon_client.IN_SERVER = True  # run the command here, start no other server
    try:
        _ENTRY["run"](argv)
    except SystemExit as exc:
        if exc.code is None:
            return 0
        if isinstance(exc.code, int):
            return exc.code
        print(exc.code, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


class _Server:
    """The listening socket, the idle clock and the requests."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.started = time.time()
        self.last = time.monotonic()
        self.served = 0
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        path.unlink(missing_ok=True)
        old = os.umask(0o177)  # the socket is created 0600
        try:
            self.sock.bind(str(path))
        finally:
            os.umask(old)
        self.sock.listen(8)

    def serve(self, idle: float) -> None:
        while True:
            left = idle - (time.monotonic() - self.last)
            if left <= 0 or not self.path.exists():
                return  # idle too long, or our socket was removed (stop, a newer server)
            if not select.select([self.sock], [], [], min(left, 5.0))[0]:
                continue
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            if self._handle(conn) == "stop":
                return

    def _handle(self, conn: socket.socket) -> str:
        fds: list[int] = []
        try:
            conn.settimeout(5)
            if _peer_uid(conn) != os.getuid():
                return "refused"  # only this user's commands
            request, fds = _receive(conn)
            kind = request.get("kind")
            if kind == "status":
                conn.sendall(json.dumps(self._status()).encode() + b"\n")
            elif kind == "stop":
                conn.sendall(b'{"stopping": true}\n')
                return "stop"
            elif kind == "command" and len(fds) == 3:
                self.last = time.monotonic()
                self.served += 1
                if os.fork() == 0:
                    self.sock.close()
                    conn.settimeout(None)
                    _run_command(conn, request, fds)
            return str(kind)
        except (OSError, ValueError):
            return "error"
        finally:
            for fd in fds:
                with contextlib.suppress(OSError):
                    os.close(fd)
            conn.close()
            self.last = time.monotonic()

    def _status(self) -> dict[str, Any]:
        return {
            "pid": os.getpid(),
            "started": self.started,
            "idle_seconds": round(time.monotonic() - self.last, 1),
            "served": self.served,
            "python": sys.executable,
        }

    def close(self) -> None:
        self.sock.close()
        with contextlib.suppress(OSError):
            if self.path.exists():
                self.path.unlink()


#: The command-line entry point commands run through (set by :func:`main`).
_ENTRY: dict[str, Any] = {}


def main() -> None:
    """Entry point of the warm server's interpreter (see :mod:`.daemon_client`).

    Its arguments (``sys.argv[1:]``) are the entry point that runs a command,
    ``"module:function"`` called with the command's arguments (the caller names it: this layer
    does not know the command line), then modules to import before forking.
    """
    try:
        base = daemon_client.folder()
        path = daemon_client.socket_path(daemon_client.fingerprint())
    except OSError:
        os._exit(2)
    # One server per code version: whoever holds the lock is (or is becoming) it.
    lock = os.open(base / f"{path.stem}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os._exit(0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _import_preloaded()
    entry, *modules = sys.argv[1:] or [""]
    for name in (*_COMMAND_MODULES, *modules):
        importlib.import_module(name)
    try:
        _ENTRY["run"] = _entry(entry)
    except (ImportError, AttributeError, ValueError):
        os._exit(2)
    with tempfile.TemporaryDirectory(prefix="assessment-daemon-rehearsal-") as folder:
        rehearse(Path(folder))
    gc.collect()
    gc.freeze()  # shared with every command child, untouched
    signal.signal(signal.SIGCHLD, _reap)
    server = _Server(path)
    # A newer version of this installation replaces the older ones.
    daemon_client.stop(keep=path.name, same_install=True)
    try:
        server.serve(daemon_client.idle_seconds())
    finally:
        server.close()
        os.close(lock)
        with contextlib.suppress(OSError):
            (base / f"{path.stem}.lock").unlink()
        os._exit(0)
