"""``maturity daemon``: see and stop the warm report servers (issue 19).

What a warm report server is: :mod:`assessment.batch.daemon_client`.
"""

from __future__ import annotations

import time

import click

from assessment.cli.common import echo


@click.group()
def daemon() -> None:
    """The warm report server that makes the next `maturity report` start at once.

    `maturity report` starts one in the background after rendering a report itself; it stops
    after 10 idle minutes (ASSESSMENT_DAEMON_IDLE seconds). ASSESSMENT_DAEMON=0 turns it off.
    """


@daemon.command()
def status() -> None:
    """List this user's warm report servers (exit 1 when none runs)."""
    from assessment.batch import daemon_client

    found = daemon_client.status()
    if not found:
        echo("no warm report server is running")
        raise SystemExit(1)
    for server in found:
        age = time.time() - float(server.get("started", time.time()))
        version = "this code" if server["current"] else "older code or another installation"
        echo(
            f"pid {server['pid']}: {version}; up {age:.0f} s, idle {server['idle_seconds']} s, "
            f"{server['served']} command(s) served; {server['socket']}"
        )


@daemon.command()
def stop() -> None:
    """Stop every warm report server of this user."""
    from assessment.batch import daemon_client

    count = daemon_client.stop()
    echo(f"stopped {count} warm report server(s)")
