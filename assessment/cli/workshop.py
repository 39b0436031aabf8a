"""``maturity workshop``: check a workshop's inputs, then serve it; export it; back up a store."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

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
    help="Address the participants' app listens on.  0.0.0.0 lets phones on the room's "
    "network join (with the join code); the facilitator's pages stay behind their token.",
)
@click.option(
    "--facilitator-port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="Port of the facilitator's page (Voilà, on 127.0.0.1 only; 0: any free port).",
)
@click.option(
    "--anonymous/--named",
    default=None,
    help="Anonymous room: participants give no name.  Default: as the room was last served "
    "(named for a new one).",
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
    facilitator_port: int,
    anonymous: bool | None,
    rubric_ref: str,
    workshop_date: str | None,
    clients: str | None,
    targets: str | None,
    peers: str | None,
    out_dir: str,
    lang: str,
    poll: float,
) -> None:
    """Run a live workshop: phones join by code, the facilitator runs it from Voilà.

    Prints the participants' address and join code, and the facilitator's two links (the
    projector, with the QR code, and the facilitator's page), which hold the facilitator's
    token, and serves until Ctrl-C.  Every vote is saved in the store the moment it is cast;
    stopping loses nothing, and running the command again resumes the workshop on the same
    port at once, with the same code and links.  Needs the [workshop] extra.  Copy a store with
    "maturity workshop backup STORE COPY", not by copying the file.
    """
    if ctx.invoked_subcommand is not None:
        return
    if not client_id:
        raise click.UsageError("Missing option '--client'.", ctx=ctx)
    import importlib.util  # local: the dependency check comes before the heavy imports

    from assessment.exceptions import MissingDependencyError  # local: keeps --help fast

    for module in ("voila", "uvicorn", "starlette", "segno"):
        if importlib.util.find_spec(module) is None:
            raise MissingDependencyError(module, "workshop")
    # local: keeps --help and the missing-extra message fast
    from assessment.inputs import check_safe_id, load_clients, load_peers, load_targets
    from assessment.rubric import load_rubric
    from assessment.workshop import ENV
    from assessment.workshop.serve import free_port
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
    client_name = client_id
    if clients:
        table = load_clients(clients, rubric, targets=target_df)
        names = dict(zip(table["client_id"], table["name"], strict=True))
        client_name = str(names.get(client_id) or client_id)
    if peers:
        load_peers(peers, rubric)
    _serve(
        found,
        store_file,
        client_name,
        host=host,
        ports=(free_port(host, port), free_port("127.0.0.1", facilitator_port)),
        anonymous=anonymous,
        env_values={
            ENV["rubric"]: absolute(rubric_ref) if Path(rubric_ref).is_file() else rubric_ref,
            ENV["clients"]: absolute(clients),
            ENV["targets"]: absolute(targets),
            ENV["peers"]: absolute(peers),
            ENV["reports"]: absolute(out_dir),
            ENV["lang"]: lang,
            ENV["poll_seconds"]: str(poll),
        },
    )


def absolute(path: str | None) -> str:
    """``path`` made absolute for the server's environment; empty stays empty."""
    return str(Path(path).resolve()) if path else ""


def _serve(
    found: Any,
    store_file: Path,
    client_name: str,
    *,
    host: str,
    ports: tuple[int, int],
    anonymous: bool | None,
    env_values: dict[str, str],
) -> None:
    """Open the room, build the participant app and serve both pages until Ctrl-C."""
    from assessment.workshop import ENV
    from assessment.workshop.room import open_room
    from assessment.workshop.serve import LOOPBACK, Serving, public_url, serve
    from assessment.workshop.store import open_store
    from assessment.workshop.web import AppConfig, create_app

    port, facilitator_port = ports
    with open_store(store_file) as store:
        room = open_room(store, found.id, anonymous=anonymous)
    participants = public_url(host, port)
    if host not in LOOPBACK:
        echo(
            f"note: listening on {host}: anyone on this network can open the join page and, "
            "with the join code, take part; the facilitator's pages need their token.",
            err=True,
        )
    serving = Serving(
        workshop=found,
        client_name=client_name,
        store_file=store_file,
        join_code=room.join_code,
        host_token=room.host_token,
        participants=participants,
        projector=public_url("127.0.0.1" if host not in LOOPBACK else host, port),
        facilitator=f"http://127.0.0.1:{facilitator_port}",
    )
    env = {
        **os.environ,
        **env_values,
        ENV["store"]: str(store_file),
        ENV["client_id"]: found.client_id,
        ENV["workshop_id"]: str(found.id),
        ENV["join_url"]: f"{participants}/j/{room.join_code}",
        ENV["projector_url"]: f"{serving.projector}/host?token={room.host_token}",
    }
    lang = env_values[ENV["lang"]]
    app = create_app(
        AppConfig(
            str(store_file), found.id, lang=lang, client_name=client_name, public_url=participants
        )
    )
    serve(serving, host=host, port=port, env=env, app=app, echo=_echo)


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


@workshop.command("export")
@click.argument("store", type=click.Path(dir_okay=False, exists=True))
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--client", "client_id", help="Client id (default: the latest workshop).")
@click.option("--date", "workshop_date", help="Workshop date YYYY-MM-DD (default: the latest).")
@click.option(
    "--what",
    type=click.Choice(["votes", "agreed", "both"]),
    default="both",
    show_default=True,
    help="votes: every vote cast, history included (who, role, question, answer, comment, "
    "time); agreed: the agreed answers in the long answers format.  CSV takes one; XLSX "
    "writes both as two sheets.",
)
def workshop_export(
    store: str, out: str, client_id: str | None, workshop_date: str | None, what: str
) -> None:
    """Export a workshop from STORE into OUT (.csv or .xlsx): raw votes and agreed answers.

    Every vote is kept, the ones a participant later changed too, so the export is the full
    record of the session; cells that a spreadsheet would run as formulas are written as text.
    """
    from assessment.exceptions import ParameterError  # local: keeps --help fast
    from assessment.files import write_csv, write_xlsx
    from assessment.workshop.config import resolve_workshop
    from assessment.workshop.store import opened

    suffix = Path(out).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ParameterError(f"{out}: expected a .csv or .xlsx file; found {suffix or 'none'}")
    if suffix == ".csv" and what == "both":
        raise ParameterError("a CSV holds one table: add --what votes or --what agreed")
    with opened(store) as st:
        found = (
            st.find_workshop(client_id, workshop_date)
            if client_id
            else resolve_workshop(st, create=False)
        )
        if found is None:
            raise ParameterError(f"client {client_id!r} has no workshop in {store}")
        votes = st.votes(found.id, latest=False).drop(columns=["participant_id"])
        agreed = st.export_answers(found.id, source="agreed")
    tables = {"votes": votes, "agreed": agreed}
    if suffix == ".csv":
        write_csv(out, tables[what])
    else:
        write_xlsx(out, {k: v for k, v in tables.items() if what in (k, "both")})
    counts = f"{len(votes)} votes, {len(agreed)} agreed answers"
    echo(f"wrote {out} (workshop #{found.id}: {counts})", err=True)


@workshop.command("links")
@click.argument("store", type=click.Path(dir_okay=False, exists=True))
@click.argument("names", type=click.Path(dir_okay=False, exists=True))
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--client", "client_id", help="Client id (default: the latest workshop).")
@click.option("--date", "workshop_date", help="Workshop date YYYY-MM-DD (default: the latest).")
@click.option(
    "--url",
    required=True,
    help="The address phones open, as 'maturity workshop' prints it (http://HOST:PORT).",
)
def workshop_links(
    store: str,
    names: str,
    out: str,
    client_id: str | None,
    workshop_date: str | None,
    url: str,
) -> None:
    """Make a personal link per person of NAMES (one name a line) into the CSV file OUT.

    Whoever opens a link takes part as that person, on any device, with no code and no name
    to type: hand each one over privately (a message, a printed card).  Each line makes a new
    participant, so two people of the same name get two links.
    """
    import pandas as pd

    from assessment.exceptions import ParameterError  # local: keeps --help fast
    from assessment.files import write_csv
    from assessment.limits import WORKSHOP_NAMES
    from assessment.workshop.config import resolve_workshop
    from assessment.workshop.room import new_participant, participant_token
    from assessment.workshop.store import opened

    if not url.startswith(("http://", "https://")):
        raise ParameterError(f"--url: expected http://HOST:PORT; found {url!r}")
    with Path(names).open(encoding="utf-8-sig", errors="replace") as f:
        lines = [line.strip() for _, line in zip(range(WORKSHOP_NAMES.value + 1), f, strict=False)]
    people = [p for p in lines if p]
    if len(lines) > WORKSHOP_NAMES.value:
        raise ParameterError(
            f"{names}: more than {WORKSHOP_NAMES.value} lines; expected one name a line "
            "(raise the limit with ASSESSMENT_MAX_WORKSHOP_NAMES)"
        )
    if not people:
        raise ParameterError(f"{names}: no name found; expected one name a line")
    rows = []
    with opened(store) as st:
        found = (
            st.find_workshop(client_id, workshop_date)
            if client_id
            else resolve_workshop(st, create=False)
        )
        if found is None:
            raise ParameterError(f"client {client_id!r} has no workshop in {store}")
        for line, name in enumerate(people, start=1):
            try:
                person = new_participant(st, found.id, name)
            except ParameterError as exc:
                raise ParameterError(f"{names}, line {line}: {exc}") from None
            token = participant_token(st, person)
            rows.append((person.name, f"{url.rstrip('/')}/p/{token}"))
    write_csv(out, pd.DataFrame(rows, columns=["name", "link"]))
    echo(f"wrote {out} ({len(rows)} personal links for workshop #{found.id})", err=True)
