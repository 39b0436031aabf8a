"""The warm report server kept between commands: the caller's side (standard library only).

One report from a cold start cannot beat the time it takes to import pandas, matplotlib,
IPython, papermill and nbconvert and to load fonts and templates once (about 3.5 s on a 2-core
machine, issue 19).  A consultant renders one client's report, edits an answer, renders it
again: the second and later commands need none of that.  So ``maturity report`` hands its whole
command to a **warm report server** when one is running, and starts one in the background after
it has rendered a report itself when none is.  The server (:mod:`assessment.batch.daemon`)
forks a child per command from its warm, rehearsed state; the child runs the command with the
caller's arguments, working directory, environment and terminal (its stdin, stdout and stderr
are passed over the socket), so what the user sees, the files written and the exit code are
those of the command run directly.  The report is still produced by executing the notebook.

* **Where**: one Unix socket per installation and code version in a folder only this user can
  enter (``$XDG_RUNTIME_DIR/assessment`` or ``$TMPDIR/assessment-daemon-<uid>``, mode 0700,
  checked before use); the server also checks that each caller runs as the same user.  Nothing
  listens on the network.
* **Which code**: the socket's name is a fingerprint of the interpreter and of every file of
  the package (path, size, modification time): a server never runs code older than the
  caller's; edit a file and the next command starts a new server (the old one stops).
* **How long**: it stops after :data:`IDLE_SECONDS` without a command
  (``ASSESSMENT_DAEMON_IDLE``), at ``maturity daemon stop``, or when a newer one starts.
* **Turn it off**: ``ASSESSMENT_DAEMON=0`` (the test suite and CI do; the daemon's own tests
  turn it on in a folder of their own).

May import: the standard library and :mod:`assessment.batch.lifetime` (imported by the CLI
before anything heavy).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

__all__ = [
    "COMMANDS",
    "IDLE_SECONDS",
    "enabled",
    "fingerprint",
    "folder",
    "run",
    "start_in_background",
    "status",
    "stop",
]

#: Commands handed to a warm server when one runs.
COMMANDS = ("report",)
#: Seconds without a command after which a server stops (``ASSESSMENT_DAEMON_IDLE``).
IDLE_SECONDS = 600
#: ``0``/``off``/``no``/``false`` turns the warm server off.
ENABLE_ENV = "ASSESSMENT_DAEMON"
IDLE_ENV = "ASSESSMENT_DAEMON_IDLE"
#: The folder of the sockets (tests use their own).
DIR_ENV = "ASSESSMENT_DAEMON_DIR"
#: The largest request a server reads (the caller's environment and arguments).
MAX_REQUEST = 1 << 20

_SERVER_MAIN = "from assessment.batch.daemon import main; main()"
_PACKAGE = Path(__file__).resolve().parents[1]


def enabled() -> bool:
    """Whether commands may use (and start) a warm server."""
    value = os.environ.get(ENABLE_ENV, "1").strip().lower()
    return value not in ("0", "off", "no", "false") and os.name == "posix"


def idle_seconds() -> float:
    """:data:`IDLE_SECONDS`, or ``ASSESSMENT_DAEMON_IDLE`` when it is a positive number."""
    with contextlib.suppress(ValueError):
        value = float(os.environ.get(IDLE_ENV, ""))
        if value > 0:
            return value
    return IDLE_SECONDS


def folder() -> Path:
    """The private folder of this user's servers, made on first use.

    Raises
    ------
    PermissionError
        When the folder exists but another user owns it or others may enter it (someone
        could then plant a socket that receives this user's terminal and environment).
    """
    if os.environ.get(DIR_ENV):
        base = Path(os.environ[DIR_ENV])
    elif os.environ.get("XDG_RUNTIME_DIR"):
        base = Path(os.environ["XDG_RUNTIME_DIR"], "assessment")
    else:
        base = Path(tempfile.gettempdir(), f"assessment-daemon-{os.getuid()}")
    with contextlib.suppress(FileExistsError):
        base.mkdir(mode=0o700, parents=False)
    info = base.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise PermissionError(f"{base}: not a private folder of this user (mode 0700)")
    return base


@functools.cache
def fingerprint() -> str:
    """A hash of the interpreter and of every file of the installed package.

    Path, size and modification time of each file: about 200 ``stat`` calls, a few ms; once
    per process (the code a process runs was loaded when it started).
    """
    digest = hashlib.sha256(f"{sys.executable}\0{sys.version}\0{_PACKAGE}".encode())
    for path in sorted(_PACKAGE.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        info = path.stat()
        digest.update(
            f"{path.relative_to(_PACKAGE)}\0{info.st_size}\0{info.st_mtime_ns}\n".encode()
        )
    return digest.hexdigest()[:20]


def _interpreter_tag() -> str:
    """The part of a socket's name shared by every code version of this installation."""
    return hashlib.sha256(f"{sys.executable}\0{_PACKAGE}".encode()).hexdigest()[:8]


def socket_path(code: str | None = None) -> Path:
    """This installation's socket for the code version ``code`` (default: the current one)."""
    return folder() / f"{_interpreter_tag()}-{code or fingerprint()}.sock"


def _connect(path: Path, timeout: float = 2.0) -> socket.socket | None:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(str(path))
    except OSError:
        sock.close()
        return None
    return sock


def _send(sock: socket.socket, message: dict[str, Any], fds: list[int] | None = None) -> None:
    data = json.dumps(message).encode("utf-8") + b"\n"
    if fds:
        socket.send_fds(sock, [data], fds)
    else:
        sock.sendall(data)


def _lines(sock: socket.socket) -> Any:
    """The JSON messages arriving on ``sock``, one per line, until it closes."""
    buffer = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            yield json.loads(line)


#: True in a warm server's command child: it runs its command itself.
IN_SERVER = False


def run(argv: list[str]) -> int | None:
    """Run ``maturity ARGV`` in a warm server; its exit code, or ``None`` when none ran it.

    ``None`` means "run it yourself": no server is running for this code, or it refused.
    Ctrl-C and SIGTERM received here are passed on to the command.
    """
    if IN_SERVER or not enabled():
        return None
    try:
        sock = _connect(socket_path())
    except OSError:
        return None
    if sock is None:
        return None
    with sock:
        request = {"kind": "command", "argv": argv, "cwd": os.getcwd(), "env": dict(os.environ)}
        try:
            _send(sock, request, [0, 1, 2])
            sock.settimeout(None)
            replies = _lines(sock)
            first = next(replies, None)
            if not first or "pid" not in first:
                return None
            child = int(first["pid"])
            forward = _forward_signals(child)
            try:
                for message in replies:
                    if "exit" in message:
                        return int(message["exit"])
            finally:
                forward()
        except (OSError, ValueError):
            return None
    print("error: the warm report server's process died; run again", file=sys.stderr)
    return 1


def _forward_signals(pid: int) -> Any:
    """Pass SIGINT/SIGTERM on to ``pid``; returns a function that restores the handlers."""

    def forward(signum: int, frame: Any) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)

    saved = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}

    def restore() -> None:
        for sig, handler in saved.items():
            signal.signal(sig, handler)

    return restore


def start_in_background(entry: str, modules: tuple[str, ...] = ()) -> bool:
    """Start a warm server for this code unless one runs; whether one was started.

    ``entry`` is ``"module:function"``, what runs a command: called with its arguments, it
    returns or raises ``SystemExit`` with the exit code (for ``maturity``:
    ``assessment.cli:run_command``); ``modules`` are imported before the server forks.  The
    server is a new session with no terminal; it warms up on its own and stops after
    :func:`idle_seconds` without a command.
    """
    if IN_SERVER or not enabled():
        return False
    try:
        path = socket_path()
    except OSError:
        return False
    probe = _connect(path, timeout=0.5)
    if probe is not None:
        probe.close()
        return False
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    env.pop("ASSESSMENT_PRIVATE_TMP", None)  # the caller's folder goes when the caller does
    subprocess.Popen(
        [sys.executable, "-c", _SERVER_MAIN, entry, *modules],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        close_fds=True,
        env=env,
        cwd="/",
    )
    return True


def _ask(path: Path, kind: str) -> dict[str, Any] | None:
    sock = _connect(path, timeout=2.0)
    if sock is None:
        return None
    with sock:
        try:
            _send(sock, {"kind": kind})
            return next(_lines(sock), None)
        except (OSError, ValueError):
            return None


def status() -> list[dict[str, Any]]:
    """Every warm server of this user that answers: pid, code version, idle seconds, ..."""
    found = []
    try:
        base = folder()
    except OSError:
        return found
    current = f"{_interpreter_tag()}-{fingerprint()}.sock"
    for path in sorted(base.glob("*.sock")):
        answer = _ask(path, "status")
        if answer is None:
            with contextlib.suppress(OSError):
                path.unlink()  # nobody listens: a server that was killed
            continue
        found.append({**answer, "socket": str(path), "current": path.name == current})
    return found


def stop(*, keep: str | None = None, same_install: bool = False) -> int:
    """Stop this user's warm servers (all, or those of this installation with ``same_install``)
    except the socket named ``keep``; how many were asked to stop."""
    stopped = 0
    try:
        base = folder()
    except OSError:
        return stopped
    prefix = f"{_interpreter_tag()}-" if same_install else ""
    for path in base.glob(f"{prefix}*.sock"):
        if path.name != keep and _ask(path, "stop") is not None:
            stopped += 1
    return stopped
