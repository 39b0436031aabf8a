"""``maturity workshop``: serve a live workshop (facilitator view and voting page) with Voilà."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from assessment.cli.common import clients_option, rubric_option, targets_option
from assessment.exceptions import AssessmentError, InputError

__all__ = ["workshop"]

#: Addresses that only this machine can reach.
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


@click.command()
@click.option("--client", "client_id", required=True, help="Client id of the workshop.")
@click.option(
    "--store",
    "store_path",
    default="workshops.sqlite",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Workshop store (SQLite file); created when missing.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8866,
    show_default=True,
    help="Port of the workshop server (0: any free port).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on.  0.0.0.0 lets phones and laptops on the network join; "
    "there is no password, so use it only on a network you trust.",
)
@rubric_option
@click.option(
    "--date",
    "workshop_date",
    help="Workshop date YYYY-MM-DD (default: the client's latest workshop, else today).",
)
@clients_option
@targets_option
@click.option(
    "--peers",
    type=click.Path(dir_okay=False),
    help="Peer benchmark population (CSV/XLSX) for the report.",
)
@click.option(
    "--out",
    "out_dir",
    default="reports",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder the workshop's report is written to.",
)
@click.option("--lang", type=click.Choice(["en", "ar"]), default="en", show_default=True)
@click.option(
    "--poll",
    type=click.FloatRange(min=0.2),
    default=2.0,
    show_default=True,
    help="Seconds between the facilitator view's checks for new votes.",
)
def workshop(
    client_id: str,
    store_path: str,
    port: int,
    host: str,
    rubric_ref: str,
    workshop_date: str | None,
    clients: str | None,
    targets: str | None,
    peers: str | None,
    out_dir: str,
    lang: str,
    poll: float,
) -> None:
    """Run a live workshop: a facilitator view and a voting page, served by Voilà.

    Prints the facilitator's and the participants' addresses and serves until Ctrl-C.  Every
    vote is saved in the store the moment it is cast; stopping the server loses nothing, and
    running the command again resumes the workshop.  Needs the [workshop] extra (Voilà).
    """
    import importlib.util
    import os

    from assessment.exceptions import MissingDependencyError  # local: keeps --help fast
    from assessment.inputs import check_safe_id, load_clients, load_peers, load_targets
    from assessment.rubric import load_rubric
    from assessment.workshop import ENV
    from assessment.workshop.store import open_store

    if importlib.util.find_spec("voila") is None:
        raise MissingDependencyError("voila", "workshop")
    check_safe_id(client_id)
    store_file = Path(store_path).resolve()
    # Check every file now: a typo should fail here, not in the middle of the workshop.
    with open_store(store_file) as store:
        found = store.find_workshop(client_id, workshop_date)
        if found is None:
            found = store.create_workshop(client_id, load_rubric(rubric_ref), date=workshop_date)
            click.echo(f"created workshop #{found.id} for {client_id} on {found.date}", err=True)
        rubric = store.rubric(found.id)
    target_df = load_targets(targets, rubric) if targets else None
    if clients:
        load_clients(clients, rubric, targets=target_df)
    if peers:
        load_peers(peers, rubric)
    port = _free_port(host, port)
    if host not in _LOOPBACK:
        click.echo(
            f"warning: listening on {host}: anyone who can reach this machine on port {port} "
            "can open the workshop and vote; there is no password. Use a network you trust.",
            err=True,
        )
    absolute = lambda p: str(Path(p).resolve()) if p else ""  # noqa: E731
    env = {
        **os.environ,
        ENV["store"]: str(store_file),
        ENV["client_id"]: client_id,
        ENV["workshop_id"]: str(found.id),
        ENV["rubric"]: absolute(rubric_ref) if Path(rubric_ref).is_file() else rubric_ref,
        ENV["clients"]: absolute(clients),
        ENV["targets"]: absolute(targets),
        ENV["peers"]: absolute(peers),
        ENV["reports"]: absolute(out_dir),
        ENV["lang"]: lang,
        ENV["poll_seconds"]: str(poll),
    }
    _serve_workshop(found, store_file, host=host, port=port, env=env)


def _free_port(host: str, port: int) -> int:
    """``port`` if it can be bound on ``host`` (any free port for 0); else a clear error."""
    import errno
    import socket

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


def _lan_address() -> str:
    """This machine's address on the local network (for the participants' link)."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            # Connecting a UDP socket sends nothing; it only picks the outgoing interface.
            s.connect(("10.255.255.255", 1))
            return str(s.getsockname()[0])
        except OSError:
            return socket.gethostname()


def _serve_workshop(
    found: Any, store_file: Path, *, host: str, port: int, env: dict[str, str]
) -> None:
    """Run Voilà on a private copy of the two notebooks until Ctrl-C (or SIGTERM)."""
    import shutil
    import signal
    import socket
    import subprocess
    import tempfile
    import time

    from assessment.batch import packaged_notebook

    source = packaged_notebook("workshop.ipynb").parent
    missing = [n for n in ("workshop.ipynb", "vote.ipynb") if not (source / n).is_file()]
    if missing:
        raise InputError(f"workshop notebooks not found in {source}: {', '.join(missing)}")
    # Serve a copy holding only the two apps: Voilà would otherwise offer every notebook of
    # the folder (the report notebook too) as a runnable page.
    folder = Path(tempfile.mkdtemp(prefix="maturity-workshop-"))
    for name in ("workshop.ipynb", "vote.ipynb"):
        shutil.copy2(source / name, folder / name)
    log_path = folder / "voila.log"
    command = [
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
    shown = _lan_address() if host in ("0.0.0.0", "::", "") else host  # noqa: S104
    base = f"http://{'[' + shown + ']' if ':' in shown else shown}:{port}/voila/render"
    stopping = False

    def on_stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    # Ctrl-C, SIGTERM and a closed terminal all stop the workshop the same clean way; SIGINT
    # is set explicitly because a shell starting us in the background leaves it ignored.
    stop_signals = [
        signal.SIGINT,
        signal.SIGTERM,
        *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else []),
    ]
    previous = {sig: signal.signal(sig, on_stop) for sig in stop_signals}
    with log_path.open("wb") as log:
        # A session of its own: Ctrl-C reaches only us, and we stop Voilà exactly once.
        proc = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 90
        wildcard = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}  # noqa: S104
        probe_host = wildcard.get(host, host)
        while True:
            if proc.poll() is not None:
                tail = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
                raise AssessmentError(f"the workshop server did not start:\n{tail}")
            try:
                socket.create_connection((probe_host, port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssessmentError("the workshop server did not start in 90 s") from None
                time.sleep(0.2)
        click.echo(
            f"Workshop #{found.id}: {found.client_id} on {found.date} (store {store_file})\n"
            f"Facilitator:  {base}/workshop.ipynb\n"
            f"Participants: {base}/vote.ipynb?workshop={found.id}\n"
            "  (a personal link can add &name=...&role=..., e.g. &name=Layla&role=CMO)\n"
            "Press Ctrl-C to stop; every vote is already saved."
        )
        code = proc.wait()
        if code:
            tail = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
            raise AssessmentError(f"the workshop server stopped with exit code {code}:\n{tail}")
    except KeyboardInterrupt:
        stopping = True
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if proc.poll() is None:
            # Voilà stops its event loop on SIGTERM and shuts its kernels down before exiting
            # (SIGINT may be ignored in it, inherited from a background shell).
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(folder, ignore_errors=True)
    if stopping:
        click.echo(f"stopped; the workshop is saved in {store_file}", err=True)
