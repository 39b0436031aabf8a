"""The ``maturity`` command line (also ``python -m assessment``).

What lives here
---------------
One module per command group, each a thin layer over the package:

=====================  =========================================================
:mod:`.data`           ``validate``, ``score``
:mod:`.rubric`         ``rubric show|lint|schema|export|diff|compare``
:mod:`.reports`        ``report``, ``batch``
:mod:`.daemon`         ``daemon status|stop`` (the warm report server)
:mod:`.weights`        ``weights ahp|hierarchy|bwm|rate|rank|sensitivity``
:mod:`.workshop`       ``workshop``
:mod:`.staffing`       ``staffing``
:mod:`.questionnaires` ``questionnaire``, ``import``
:mod:`.ranking`        what every ``score`` output carries: rubric id/version/hash, rank
:mod:`.common`         options and output helpers the commands share
=====================  =========================================================

Commands are imported only when invoked (:class:`LazyGroup`), and command modules import the
heavy libraries (pandas, papermill, matplotlib) inside the command functions, so ``maturity
--help``, ``maturity CMD --help`` and usage errors answer at once.

Exit codes: 0 success; 2 invalid input or usage (one clear message per problem on stderr, no
traceback); 1 anything else.  Each :class:`~assessment.exceptions.AssessmentError` subclass
carries its own exit code.

May import: every layer of the package (it is the top layer).
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import os
import sys
import threading
from typing import Any, NoReturn

import click

from assessment.exceptions import AssessmentError
from assessment.text import visible_controls

__all__ = ["COMMANDS", "LazyGroup", "exit_now", "main", "run_command"]

#: Command name -> ("module:attribute", one-line help shown by ``maturity --help``).
COMMANDS: dict[str, tuple[str, str]] = {
    "batch": ("assessment.cli.reports:batch", "Render every client's report and the portfolio."),
    "daemon": (
        "assessment.cli.daemon:daemon",
        "See or stop the warm report server that speeds up `report`.",
    ),
    "import": (
        "assessment.cli.questionnaires:import_answers",
        "Read survey exports or filled-in questionnaires; write long answers.",
    ),
    "questionnaire": (
        "assessment.cli.questionnaires:questionnaire",
        "Write questionnaires: workbook, XLSForm, Forms sheet, printout.",
    ),
    "report": ("assessment.cli.reports:report", "Render one client's report."),
    "rubric": ("assessment.cli.rubric:rubric", "Show, lint, export, compare a rubric."),
    "score": ("assessment.cli.data:score", "Score every client; print or save the results."),
    "staffing": ("assessment.cli.staffing:staffing", "Care-desk staffing (Erlang C) and FTE."),
    "validate": ("assessment.cli.data:validate", "Check answer files; report every problem."),
    "weights": (
        "assessment.cli.weights:weights",
        "Derive weights (AHP, BWM, ratings); save variants; test their effect.",
    ),
    "workshop": ("assessment.cli.workshop:workshop", "Run a live workshop (Voilà); back it up."),
}


def _fail(exc: AssessmentError) -> None:
    # Messages quote file content (names, values): no control character reaches the terminal.
    click.echo(visible_controls(f"error: {exc}"), err=True)
    sys.exit(exc.exit_code)


class LazyGroup(click.Group):
    """A click group whose commands are imported when used, and whose errors are messages.

    Our exceptions become ``error: ...`` on stderr with their own exit code; an ``OSError``
    on a file the user named becomes a message naming the file.
    """

    def __init__(self, *args: Any, lazy: dict[str, tuple[str, str]] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            module, _, attribute = self.lazy[cmd_name][0].partition(":")
            return getattr(importlib.import_module(module), attribute)
        return super().get_command(ctx, cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.exceptions.NoSuchCommand as exc:
            # click suggests from the commands it has loaded: here, none yet.
            raise click.exceptions.NoSuchCommand(
                exc.command_name, possibilities=self.list_commands(ctx), ctx=ctx
            ) from None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # The one-line help comes from COMMANDS: listing commands imports none of them.
        rows = [(name, self.lazy[name][1]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def main(self, args: Any = None, prog_name: str | None = None, **extra: Any) -> Any:
        """Hand a :data:`~assessment.batch.daemon_client.COMMANDS` command to a warm report
        server when one runs for this code (issue 19); otherwise run it here.

        Run as the ``maturity`` script (``args`` not given), the process ends with
        :func:`exit_now` once the command has run to its end: a report's command no longer
        waits 0.3 s for the interpreter to tear down pandas, matplotlib and papermill.
        """
        if args is not None or not extra.get("standalone_mode", True):
            # Called from Python (tests, a warm server's command child): return or raise.
            return self._main(args, prog_name, **extra)
        try:
            self._main(args, prog_name, **extra)
        except SystemExit as exc:
            if exc.code not in _QUICK_EXIT:
                # Interrupted (130) or killed: the interpreter's own exit, unhurried, while
                # the batch's stopped runners finish removing their temporary files.
                raise
            exit_now(exc.code)
        exit_now(0)  # pragma: no cover - standalone click always raises SystemExit

    def _main(self, args: Any, prog_name: str | None, **extra: Any) -> Any:
        from assessment.batch import daemon_client  # light: the standard library only

        argv = [str(a) for a in (sys.argv[1:] if args is None else args)]
        if argv and argv[0] in daemon_client.COMMANDS and not {"-h", "--help"} & set(argv):
            code = daemon_client.run(argv)
            if code is not None:
                sys.exit(code)
        return super().main(args=args, prog_name=prog_name, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AssessmentError as exc:
            _fail(exc)
        except OSError as exc:
            # Files the user named that cannot be written (permissions, full disk...).
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(visible_controls(f"error: {where}{exc.strerror or exc}"), err=True)
            sys.exit(2 if isinstance(exc, PermissionError | FileNotFoundError) else 1)


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(package_name="assessment", prog_name="maturity")
def main() -> None:
    """Score organisations' social-media maturity from "2007" to "modern"."""


#: Exit statuses of a command that ran to its end (done, failed, bad input): the process
#: ends with :func:`exit_now`.  Any other (130 after Ctrl-C) takes the interpreter's exit.
_QUICK_EXIT = (None, 0, 1, 2)


def exit_now(code: Any = 0) -> NoReturn:
    """End the process as the interpreter would, without tearing its heap down.

    Everything a normal exit does that anyone can observe still happens, in the same order:
    non-daemon threads are waited for (``threading._shutdown``, which also stops
    ``concurrent.futures`` pools), ``atexit`` handlers run (temporary folders removed, helper
    servers stopped), and stdout and stderr are flushed.  What is skipped is freeing every
    object and module one by one: after a report's command that took 0.3 s of a 3 s command
    on 2 cores (issue 19).  Files are never left half-written by it: this package writes
    every file to a temporary name, closes it and renames it before a command returns.

    Parameters
    ----------
    code
        What ``SystemExit`` carries: ``None`` (0), an exit status, or a message printed to
        stderr (exit status 1), as the interpreter treats them.
    """
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        with contextlib.suppress(Exception):
            print(code, file=sys.stderr)
        status = 1
    # Private, but what the interpreter itself calls first at exit; joining the non-daemon
    # threads by hand would skip the hooks concurrent.futures registers with it.
    shutdown = getattr(threading, "_shutdown", None)
    if shutdown is not None:
        shutdown()
    else:  # pragma: no cover - every supported CPython has it
        for thread in threading.enumerate():
            if thread is not threading.main_thread() and not thread.daemon:
                thread.join()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`maturity score | head`)
            status = status or 120  # what the interpreter returns when its flush fails
    os._exit(status)


def run_command(argv: list[str]) -> None:
    """Run ``maturity ARGV`` in this process (a warm report server's command child calls it);
    raises ``SystemExit`` with the exit code, as the ``maturity`` script does."""
    main.main(args=list(argv), prog_name="maturity", standalone_mode=True)
