"""Serving the two workshop notebooks with Voilà, until Ctrl-C: what ``maturity workshop`` runs.

:func:`serve` runs Voilà in a process of its own on a private copy of the two notebooks
(``workshop.ipynb`` for the facilitator, ``vote.ipynb`` for the participants), waits until it
listens, prints both addresses, and on Ctrl-C, SIGTERM or a closed terminal stops it cleanly.
Every vote is in the store the moment it is cast, so stopping loses nothing.

The steps are separate functions so they can be tested without a server: :func:`free_port`,
:func:`lan_address`, :func:`app_folder`, :func:`voila_command`, :func:`base_url`,
:func:`banner`, :func:`wait_until_listening`, :func:`stop`.  The command checks its inputs and
sets the kernels' environment (:data:`assessment.workshop.config.ENV`) before calling
:func:`serve`.
"""

from __future__ import annotations

import contextlib
import errno
import importlib.util
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from assessment.batch import packaged_notebook
from assessment.exceptions import AssessmentError, InputError, MissingDependencyError
from assessment.workshop.records import Workshop

__all__ = [
    "LOOPBACK",
    "NOTEBOOKS",
    "app_folder",
    "banner",
    "base_url",
    "free_port",
    "lan_address",
    "serve",
    "stop",
    "voila_command",
    "wait_until_listening",
]

#: The served notebooks: the facilitator's page and the participants' page.
NOTEBOOKS = ("workshop.ipynb", "vote.ipynb")
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
    """A fresh temporary folder holding a copy of the two workshop notebooks.

    Voilà offers every notebook of the folder it serves as a runnable page; a copy holding only
    the two apps keeps the report notebook (and anything else) off the network.  The caller
    removes the folder.

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
    folder = Path(tempfile.mkdtemp(prefix="maturity-workshop-"))
    for name, path in sources.items():
        shutil.copy2(path, folder / name)
    return folder


def voila_command(folder: Path, *, host: str, port: int) -> list[str]:
    """The command line that serves ``folder`` with Voilà on ``host:port``.

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
        # Voilà's shutdown request on tab close is refused for want of an XSRF token
        # (voila-dashboards/voila#1458), so kernels of closed tabs are culled once idle;
        # pages still open stay connected and are never culled.
        "--MappingKernelManager.cull_idle_timeout=900",
        "--MappingKernelManager.cull_interval=60",
    ]


def base_url(host: str, port: int, *, lan: Callable[[], str] = lan_address) -> str:
    """The address people open: ``http://HOST:PORT/voila/render``.

    Parameters
    ----------
    host, port
        Where Voilà listens.  On a wildcard address (``0.0.0.0``, ``::``) the link shows this
        machine's network address instead, which is what phones on the network can reach.
    lan
        Finds that address (:func:`lan_address`; tests pass their own).

    Returns
    -------
    str
        The base of both pages' links; an IPv6 address is bracketed.
    """
    shown = lan() if host in ("0.0.0.0", "::", "") else host  # noqa: S104
    return f"http://{'[' + shown + ']' if ':' in shown else shown}:{port}/voila/render"


def banner(workshop: Workshop, store_file: Path, base: str) -> str:
    """What :func:`serve` prints once Voilà listens: the workshop and both pages' links.

    Parameters
    ----------
    workshop
        The workshop served.
    store_file
        Its store.
    base
        The pages' base address (:func:`base_url`).

    Returns
    -------
    str
        Several lines, without a final newline.
    """
    return (
        f"Workshop #{workshop.id}: {workshop.client_id} on {workshop.date} (store {store_file})\n"
        f"Facilitator:  {base}/workshop.ipynb\n"
        f"Participants: {base}/vote.ipynb?workshop={workshop.id}\n"
        "  (a personal link can add &name=...&role=..., e.g. &name=Layla&role=CMO)\n"
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


def serve(
    workshop: Workshop,
    store_file: Path,
    *,
    host: str,
    port: int,
    env: Mapping[str, str],
    echo: Callable[..., Any] = _print,
) -> None:
    """Run Voilà on a private copy of the two notebooks until Ctrl-C (or SIGTERM).

    Must run in the main thread (it handles the stop signals).

    Parameters
    ----------
    workshop
        The workshop served (for the banner and the participants' link).
    store_file
        Its store (for the banner).
    host, port
        Where to listen; the port must be free (:func:`free_port`).
    env
        The server's whole environment: the caller's plus :data:`~.config.ENV`, which the
        notebooks' kernels inherit.
    echo
        Prints a line: ``echo(text)`` to standard output, ``echo(text, err=True)`` to standard
        error (:func:`click.echo` fits).

    Raises
    ------
    MissingDependencyError
        Without Voilà (the ``workshop`` extra).
    AssessmentError
        When the server does not start, or stops on its own with an error.
    """

    if importlib.util.find_spec("voila") is None:
        raise MissingDependencyError("voila", "workshop")
    folder = app_folder()
    log_path = folder / LOG_NAME
    proc: subprocess.Popen[bytes] | None = None
    stopping = False
    try:
        with _stop_signals_interrupt():
            with log_path.open("wb") as log:
                # A session of its own: Ctrl-C reaches only us, and we stop Voilà exactly once.
                proc = subprocess.Popen(
                    voila_command(folder, host=host, port=port),
                    env=dict(env),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            wait_until_listening(proc, host, port, log_path)
            echo(banner(workshop, store_file, base_url(host, port)))
            code = proc.wait()
            if code:
                raise AssessmentError(
                    f"the workshop server stopped with exit code {code}:\n{_log_tail(log_path)}"
                )
    except KeyboardInterrupt:
        stopping = True
    finally:
        if proc is not None:
            stop(proc)
        shutil.rmtree(folder, ignore_errors=True)
    if stopping:
        echo(f"stopped; the workshop is saved in {store_file}", err=True)
