"""Serving a workshop until Ctrl-C: what ``maturity workshop`` runs.

Two servers, one store:

* the **participant app** (:mod:`.web`, Starlette under uvicorn) runs in this process on
  ``host:port``: the phones' join page and ballots, and, behind the facilitator's token, the
  projector (join code, QR code, results on demand, pacing, who has finished);
* the **facilitator's page** (``workshop.ipynb``) runs in Voilà, a child process on loopback
  only, behind the same token (Voilà's ``--token``).  No participant page is a kernel.

Restarts and faults (issue 16): the participant socket is bound with ``SO_REUSEADDR``, so the
same port is free again the moment the command stops; Voilà is started with a parent-death
signal (``PR_SET_PDEATHSIG``) in a session of its own, so even a SIGKILL of the command leaves
no server behind; the served folder holds a pid file, and folders left by a killed command
are removed when the next one starts (:func:`clean_stale_folders`).  The room's join code and
tokens live in the store, so links, QR codes and open phones stay valid across a restart.

The steps are separate functions so they can be tested without a server: :func:`free_port`,
:func:`lan_address`, :func:`app_folder`, :func:`voila_command`, :func:`public_url`,
:func:`banner`, :func:`wait_until_listening`, :func:`stop`.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from assessment.batch import packaged_notebook
from assessment.exceptions import AssessmentError, InputError, MissingDependencyError
from assessment.workshop.records import Workshop

__all__ = [
    "LOOPBACK",
    "NOTEBOOKS",
    "Serving",
    "app_folder",
    "banner",
    "clean_stale_folders",
    "free_port",
    "lan_address",
    "public_url",
    "serve",
    "stop",
    "voila_command",
    "wait_until_listening",
]

#: The notebook Voilà serves: the facilitator's page (participants use :mod:`.web`).
NOTEBOOKS = ("workshop.ipynb",)
#: Prefix of the served folders in the temporary folder, and the pid file inside each.
FOLDER_PREFIX = "maturity-workshop-"
PID_FILE = "owner.pid"
#: Addresses that only this machine can reach.
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
#: Addresses that listen on every interface, and where this machine reaches them.
WILDCARD = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}  # noqa: S104
#: Name of Voilà's log in the served folder (its tail is shown when Voilà fails).
LOG_NAME = "voila.log"
#: Seconds Voilà may take to start listening, and to stop after SIGTERM.
START_TIMEOUT = 90.0
STOP_TIMEOUT = 20.0


def free_port(host: str, port: int) -> int:
    """``port`` if it can be bound on ``host`` (any free port for 0); else a clear error.

    Parameters
    ----------
    host
        Address to listen on (IPv4, IPv6 or a name).
    port
        Port to check; 0 picks a free one.

    Returns
    -------
    int
        The port to listen on.

    Raises
    ------
    InputError
        When the port is taken or the address is not this machine's.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # As the servers bind: connections of a stopped run waiting in TIME_WAIT do not
        # keep the port (the "Address already in use" for a minute after a restart).
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise InputError(
                f"cannot listen on {host}:{port} ({exc.strerror}); choose another --port"
                + ("" if exc.errno == errno.EADDRINUSE else " or --host")
            ) from None
        return int(probe.getsockname()[1])


def lan_address() -> str:
    """This machine's address on the local network (for the participants' link).

    Returns
    -------
    str
        The address of the interface that routes to the network, else the host name.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            # Connecting a UDP socket sends nothing; it only picks the outgoing interface.
            s.connect(("10.255.255.255", 1))
            return str(s.getsockname()[0])
        except OSError:
            return socket.gethostname()


def app_folder() -> Path:
    """A fresh temporary folder holding a copy of the facilitator's notebook and a pid file.

    Voilà offers every notebook of the folder it serves as a runnable page; a copy holding only
    the facilitator's app keeps the report notebook (and anything else) off the server.  The
    caller removes the folder; :func:`clean_stale_folders` removes it if the caller was killed.

    Returns
    -------
    pathlib.Path
        The folder.

    Raises
    ------
    InputError
        When the package's notebooks are missing (a broken installation).
    """

    sources = {name: packaged_notebook(name) for name in NOTEBOOKS}
    missing = [str(path) for path in sources.values() if not path.is_file()]
    if missing:
        raise InputError(f"workshop notebooks not found: {', '.join(missing)}")
    folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX))
    for name, path in sources.items():
        shutil.copy2(path, folder / name)
    (folder / PID_FILE).write_text(str(os.getpid()), encoding="ascii")
    return folder


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def clean_stale_folders(root: Path | None = None) -> list[Path]:
    """Remove served folders whose command is gone (killed before it could clean up).

    Parameters
    ----------
    root
        The folder to look in (default: the temporary folder).

    Returns
    -------
    list of pathlib.Path
        The folders removed.
    """
    base = Path(root or tempfile.gettempdir())
    removed = []
    for folder in base.glob(f"{FOLDER_PREFIX}*"):
        try:
            if not folder.is_dir() or folder.stat().st_uid != os.getuid():
                continue
            pid = int((folder / PID_FILE).read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            continue  # not ours, or being created right now
        if not _alive(pid):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def voila_command(folder: Path, *, host: str, port: int) -> list[str]:
    """The command line that serves ``folder`` with Voilà on ``host:port``.

    The facilitator's token reaches Voilà through a config file in the private folder
    (``JUPYTER_CONFIG_DIR``), not the command line, which other users of the machine can read.

    Parameters
    ----------
    folder
        The folder of :func:`app_folder`.
    host, port
        Where to listen; the port must be free (:func:`free_port`).

    Returns
    -------
    list of str
        Arguments for :class:`subprocess.Popen`, with this interpreter.
    """
    return [
        sys.executable,
        "-m",
        "voila",
        str(folder),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={host}",
        "--Voila.port_retries=0",
        # Voilà's page without its CDN stylesheets (Font Awesome): see template_path().
        "--template=offline",
        # Voilà's shutdown request on tab close is refused for want of an XSRF token
        # (voila-dashboards/voila#1458), so kernels of closed tabs are culled once idle;
        # pages still open stay connected and are never culled.
        "--MappingKernelManager.cull_idle_timeout=900",
        "--MappingKernelManager.cull_interval=60",
    ]


def template_path() -> str:
    """The folder to put first on ``JUPYTER_PATH``: it holds Voilà's ``offline`` template.

    That template is Voilà's own page less the two Font Awesome stylesheets it fetches from a
    CDN, so the facilitator's page loads nothing from the internet (issue 16).
    """
    return str(resources.files("assessment.workshop") / "jupyter")


def _reachable(host: str, *, lan: Callable[[], str] = lan_address) -> str:
    shown = lan() if host in ("0.0.0.0", "::", "") else host  # noqa: S104
    return f"[{shown}]" if ":" in shown else shown


def public_url(host: str, port: int, *, lan: Callable[[], str] = lan_address) -> str:
    """The address phones open: ``http://HOST:PORT``.

    Parameters
    ----------
    host, port
        Where the participant app listens.  On a wildcard address (``0.0.0.0``, ``::``) the
        link shows this machine's network address instead, which phones can reach.
    lan
        Finds that address (:func:`lan_address`; tests pass their own).

    Returns
    -------
    str
        The base of the participants' links; an IPv6 address is bracketed.
    """
    return f"http://{_reachable(host, lan=lan)}:{port}"


@dataclass(frozen=True)
class Serving:
    """What :func:`serve` serves: the workshop, the room and where each page is."""

    workshop: Workshop
    client_name: str
    store_file: Path
    join_code: str
    host_token: str
    participants: str
    projector: str
    facilitator: str


def banner(s: Serving) -> str:
    """What :func:`serve` prints once both servers listen: the workshop and its links.

    The facilitator's links carry the token; the participants' link never does.

    Returns
    -------
    str
        Several lines, without a final newline.
    """
    code = f"{s.join_code[:3]} {s.join_code[3:]}"
    return (
        f"Workshop #{s.workshop.id}: {s.client_name} on {s.workshop.date} "
        f"(store {s.store_file})\n"
        f"Participants: {s.participants}  join code {code} (the projector shows a QR code)\n"
        f"Projector:    {s.projector}/host?token={s.host_token}\n"
        f"Facilitator:  {s.facilitator}/voila/render/workshop.ipynb?token={s.host_token}\n"
        "  (the two facilitator links hold its token: do not share them)\n"
        "Press Ctrl-C to stop; every vote is already saved."
    )


def _log_tail(log_path: Path) -> str:
    """The end of Voilà's log, for an error message."""
    return log_path.read_text(encoding="utf-8", errors="replace")[-2000:]


def wait_until_listening(
    proc: subprocess.Popen[Any],
    host: str,
    port: int,
    log_path: Path,
    *,
    timeout: float = START_TIMEOUT,
) -> None:
    """Wait until the server accepts connections on ``host:port``.

    Parameters
    ----------
    proc
        The server process.
    host, port
        Where it listens (a wildcard address is probed on this machine's loopback).
    log_path
        The server's log, quoted when it fails.
    timeout
        Seconds to wait.

    Raises
    ------
    AssessmentError
        When the process exits first (with the end of its log) or ``timeout`` passes.
    """
    deadline = time.monotonic() + timeout
    probe_host = WILDCARD.get(host, host)
    while True:
        if proc.poll() is not None:
            raise AssessmentError(f"the workshop server did not start:\n{_log_tail(log_path)}")
        try:
            socket.create_connection((probe_host, port), timeout=0.5).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise AssessmentError(
                    f"the workshop server did not start in {timeout:g} s"
                ) from None
            time.sleep(0.2)


def stop(proc: subprocess.Popen[Any], *, timeout: float = STOP_TIMEOUT) -> None:
    """Stop the server: SIGTERM, then SIGKILL after ``timeout`` seconds (a no-op once it exited).

    Voilà stops its event loop on SIGTERM and shuts its kernels down before exiting (SIGINT may
    be ignored in it, inherited from a background shell).

    Parameters
    ----------
    proc
        The server process.
    timeout
        Seconds to wait for a clean exit.
    """
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _on_stop(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def _stop_signals_interrupt() -> Iterator[None]:
    """Inside: Ctrl-C, SIGTERM and a closed terminal (SIGHUP) raise ``KeyboardInterrupt``.

    SIGINT is set explicitly because a shell starting us in the background leaves it ignored.
    The previous handlers are restored on the way out.
    """
    names = ("SIGINT", "SIGTERM", "SIGHUP")
    signals = [getattr(signal, n) for n in names if hasattr(signal, n)]
    previous = {sig: signal.signal(sig, _on_stop) for sig in signals}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _print(message: str, err: bool = False) -> None:
    print(message, file=sys.stderr if err else sys.stdout, flush=True)


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """In Voilà's process: be sent SIGTERM when the command dies, even by SIGKILL (Linux)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    if os.getppid() == 1:  # the command died before prctl: do not outlive it
        os._exit(1)


def _start_voila(folder: Path, port: int, env: Mapping[str, str], token: str) -> Any:
    log_path = folder / LOG_NAME
    # The token goes in a config file in the private (0700) folder, not on the command line,
    # which every user of the machine can read (ps).
    config = folder / "config"
    config.mkdir(mode=0o700)
    (config / "voila.json").write_text(json.dumps({"Voila": {"token": token}}), encoding="utf-8")
    with log_path.open("wb") as log:
        # A session of its own: Ctrl-C reaches only us, and we stop Voilà exactly once.
        return subprocess.Popen(
            voila_command(folder, host="127.0.0.1", port=port),
            env={
                **env,
                "JUPYTER_CONFIG_DIR": str(config),
                "JUPYTER_PATH": os.pathsep.join(
                    p for p in (template_path(), env.get("JUPYTER_PATH", "")) if p
                ),
            },
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )


def serve(
    serving: Serving,
    *,
    host: str,
    port: int,
    env: Mapping[str, str],
    app: Any,
    echo: Callable[..., Any] = _print,
) -> None:
    """Serve the participant app here and the facilitator's page in Voilà, until Ctrl-C.

    Must run in the main thread (it handles the stop signals).

    Parameters
    ----------
    serving
        The workshop, its room and its links (:func:`banner` prints them).
    host, port
        Where the participant app listens; the port must be free (:func:`free_port`).
    env
        Voilà's whole environment: the caller's plus :data:`~.config.ENV`, which the
        facilitator's kernel inherits.
    app
        The participant app (:func:`.web.create_app`).
    echo
        Prints a line: ``echo(text)`` to standard output, ``echo(text, err=True)`` to standard
        error (:func:`click.echo` fits).

    Raises
    ------
    MissingDependencyError
        Without Voilà or uvicorn (the ``workshop`` extra).
    AssessmentError
        When a server does not start.
    """
    for module in ("voila", "uvicorn"):
        if importlib.util.find_spec(module) is None:
            raise MissingDependencyError(module, "workshop")
    import uvicorn  # local: only a served workshop needs it

    clean_stale_folders()
    folder = app_folder()
    voila_port = int(serving.facilitator.rsplit(":", 1)[1])
    proc: subprocess.Popen[bytes] | None = None
    sock: socket.socket | None = None
    stopping = False
    try:
        with _stop_signals_interrupt():
            proc = _start_voila(folder, voila_port, env, serving.host_token)
            config = uvicorn.Config(
                app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=3
            )
            sock = config.bind_socket()  # SO_REUSEADDR: a restart gets the same port at once
            sock.listen(2048)  # phones arriving before the loop runs wait in the backlog
            wait_until_listening(proc, "127.0.0.1", voila_port, folder / LOG_NAME)
            echo(banner(serving))
            uvicorn.Server(config).run(sockets=[sock])  # until SIGINT/SIGTERM (re-raised)
            stopping = True
    except KeyboardInterrupt:
        stopping = True
    finally:
        if sock is not None:
            sock.close()
        if proc is not None:
            stop(proc)
        shutil.rmtree(folder, ignore_errors=True)
    if stopping:
        echo(f"stopped; the workshop is saved in {serving.store_file}", err=True)
