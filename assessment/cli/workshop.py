"""``maturity workshop``: check a workshop's inputs, then serve it with Voilà; back up a store."""

from __future__ import annotations

import os
from pathlib import Path

import click

from assessment.cli.common import clients_option, echo, rubric_option, targets_option

__all__ = ["workshop"]


@click.group(invoke_without_command=True)
@click.option("--client", "client_id", help="Client id of the workshop (required to serve it).")
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
@click.pass_context
def workshop(
    ctx: click.Context,
    client_id: str | None,
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
    Copy a store with "maturity workshop backup STORE COPY", not by copying the file.
    """
    if ctx.invoked_subcommand is not None:
        return
    if not client_id:
        raise click.UsageError("Missing option '--client'.", ctx=ctx)
    import importlib.util  # local: the dependency check comes before the heavy imports

    from assessment.exceptions import MissingDependencyError  # local: keeps --help fast

    if importlib.util.find_spec("voila") is None:
        raise MissingDependencyError("voila", "workshop")
    # local: keeps --help and the missing-extra message fast
    from assessment.inputs import check_safe_id, load_clients, load_peers, load_targets
    from assessment.rubric import load_rubric
    from assessment.workshop import ENV
    from assessment.workshop.serve import LOOPBACK, free_port, serve
    from assessment.workshop.store import open_store

    check_safe_id(client_id)
    store_file = Path(store_path).resolve()
    # Check every file now: a typo should fail here, not in the middle of the workshop.
    with open_store(store_file) as store:
        found = store.find_workshop(client_id, workshop_date)
        if found is None:
            found = store.create_workshop(client_id, load_rubric(rubric_ref), date=workshop_date)
            echo(f"created workshop #{found.id} for {client_id} on {found.date}", err=True)
        rubric = store.rubric(found.id)
    target_df = load_targets(targets, rubric) if targets else None
    if clients:
        load_clients(clients, rubric, targets=target_df)
    if peers:
        load_peers(peers, rubric)
    port = free_port(host, port)
    if host not in LOOPBACK:
        echo(
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
    serve(found, store_file, host=host, port=port, env=env, echo=_echo)


@workshop.command("backup")
@click.argument("store", type=click.Path(dir_okay=False))
@click.argument("copy", type=click.Path(dir_okay=False))
def workshop_backup(store: str, copy: str) -> None:
    """Copy the workshop store STORE into the file COPY, safely while a session runs.

    During a session the latest votes are in STORE-wal, not yet in STORE itself, so copying
    the file loses them.  This copies with SQLite's backup API into one self-contained file
    (replaced atomically if it exists), after checking that STORE is not damaged.
    """
    from assessment.workshop.store_file import backup  # local: keeps --help fast

    votes = backup(store, copy)
    echo(f"wrote {copy} ({votes} votes)", err=True)


def _echo(message: str, err: bool = False) -> None:
    echo(message, err=err)
