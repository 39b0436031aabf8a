"""What the commands share: options for the data files, loading them, JSON-safe values.

Nothing heavy is imported at module level: ``maturity CMD --help`` imports this module.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

from assessment.exceptions import DataValidationError
from assessment.text import visible_controls

if TYPE_CHECKING:  # pragma: no cover - typing only
    from assessment.inputs import Inputs
    from assessment.rubric import Rubric

__all__ = [
    "RUBRIC_HELP",
    "clients_option",
    "echo",
    "errors_out_option",
    "jsonable",
    "load_run",
    "peers_option",
    "records",
    "rubric_option",
    "samples_option",
    "targets_option",
    "with_samples",
]

F = TypeVar("F", bound=Callable[..., Any])

RUBRIC_HELP = "Built-in rubric name (social-media) or path to a rubric YAML file."


def echo(message: object = "", *, err: bool = False, nl: bool = True) -> None:
    """:func:`click.echo` for text that may carry user data (names, comments, messages).

    Control characters and bidi overrides are written as visible ``\\u001b`` escapes
    (:func:`~assessment.text.visible_controls`): a client name must not be able to set the
    terminal's title, move its cursor or reverse what is shown.  ``--out FILE`` writes the
    exact data.
    """
    click.echo(visible_controls(str(message)), err=err, nl=nl)


def errors_out_option(f: F) -> F:
    """``--errors-out FILE``: when the inputs have problems, every one of them, as a CSV table.

    The terminal shows the first few problems of each kind (a file with every answer
    duplicated has a million); the table keeps all of them, one row each (file, row, column,
    value, reason, message), its text cells neutralised for spreadsheets.
    """

    @functools.wraps(f)
    def command(*args: Any, errors_out: str | None = None, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except DataValidationError as exc:
            if errors_out:
                from assessment.files import write_csv  # local: keeps --help fast

                write_csv(errors_out, exc.errors)
                echo(f"wrote all {len(exc.errors)} problem(s) to {errors_out}", err=True)
            raise

    return click.option(  # type: ignore[return-value]
        "--errors-out",
        type=click.Path(dir_okay=False),
        metavar="FILE",
        help="When the inputs have problems, write every one of them to FILE (CSV); the "
        "terminal lists the first few of each kind.",
    )(command)


def rubric_option(f: F) -> F:
    """``--rubric NAME|PATH`` (passed as ``rubric_ref``)."""
    return click.option(
        "--rubric", "rubric_ref", default="social-media", show_default=True, help=RUBRIC_HELP
    )(f)


def clients_option(f: F) -> F:
    """``--clients PATH``."""
    return click.option(
        "--clients",
        type=click.Path(dir_okay=False),
        help="Clients table (CSV/XLSX): client_id, name, sector, size_band, "
        "region, target_profile.",
    )(f)


def targets_option(f: F) -> F:
    """``--targets PATH``."""
    return click.option(
        "--targets",
        type=click.Path(dir_okay=False),
        help="Custom target profiles (CSV/XLSX): profile_id, dimension_id, target.",
    )(f)


def peers_option(f: F) -> F:
    """``--peers PATH``."""
    return click.option(
        "--peers",
        type=click.Path(dir_okay=False),
        help="Peer benchmark population (CSV/XLSX) for percentiles.",
    )(f)


def load_run(
    rubric_ref: str,
    answers: Sequence[str],
    clients: str | None = None,
    targets: str | None = None,
    peers: str | None = None,
    survey: dict[str, Any] | None = None,
) -> tuple[Rubric, Inputs]:
    """The rubric and a run's validated data files (every problem of every file at once).

    Prints the warnings of both on standard error: an outdated rubric variant, indicators
    nobody was asked.  ``survey`` holds :func:`survey_options`' values (issue 14).
    """
    from assessment.inputs import load_inputs  # local: keeps --help fast
    from assessment.rubric import load_rubric
    from assessment.rubric.checks import load_notes

    rubric = load_rubric(rubric_ref)
    extra: dict[str, Any] = {}
    if survey:
        from assessment.inputs.surveys import SurveyDefaults

        extra["window"] = survey["window"]
        if survey["client"] or survey["assessment"]:
            extra["survey"] = SurveyDefaults(survey["client"] or "", survey["assessment"] or "")
    data = load_inputs(answers, rubric, clients=clients, peers=peers, targets=targets, **extra)
    for note in [*load_notes(rubric), *data.answers.attrs.get("warnings", [])]:
        click.echo(f"warning: {note}", err=True)
    return rubric, data


def jsonable(value: Any) -> Any:
    """A value JSON can hold: NaN and pandas' NA become ``None``, numpy scalars Python ones."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is None or type(value).__name__ == "NAType":
        return None
    if hasattr(value, "item"):
        return jsonable(value.item())
    return value


def records(frame: Any) -> list[dict[str, Any]]:
    """A DataFrame as a list of JSON-safe records."""
    return [{k: jsonable(v) for k, v in rec.items()} for rec in frame.to_dict(orient="records")]


def samples_option(f: F) -> F:
    """``--samples``: the packaged sample portfolio fills in any data file not given."""
    return click.option(
        "--samples",
        is_flag=True,
        help="Use the packaged sample portfolio (synthetic) for every data file not given: "
        "answers, clients, peers, targets.",
    )(f)


def with_samples(
    samples: bool,
    answers: Sequence[str],
    **tables: str | None,
) -> tuple[tuple[str, ...], dict[str, str | None]]:
    """Answers and tables, with the packaged samples filling the gaps when ``samples``.

    Raises
    ------
    click.UsageError
        When no answer file is given and ``--samples`` is not set.
    """
    if samples:
        from assessment.samples import portfolio  # local: keeps --help fast

        packaged = portfolio()
        answers = answers or tuple(str(p) for p in packaged["answers"])  # type: ignore[union-attr]
        tables = {k: v or str(packaged[k]) for k, v in tables.items()}
    if not answers:
        raise click.UsageError("give answer files, or --samples for the packaged sample portfolio")
    return tuple(answers), tables


def survey_options(f: F) -> F:
    """``--client``, ``--assessment``, ``--window``: how survey exports become assessments.

    The command receives them together as ``survey`` (a dict) for :func:`load_run`.
    """

    @functools.wraps(f)
    def command(
        *args: Any, client: str | None, assessment: str | None, window: int, **kwargs: Any
    ) -> Any:
        survey = {"client": client, "assessment": assessment, "window": window}
        return f(*args, survey=survey, **kwargs)

    options = [
        click.option(
            "--client",
            "client",
            metavar="ID",
            help="The client of answer files without a client column (a form made for one "
            "client: Google or Microsoft Forms, SurveyMonkey).",
        ),
        click.option(
            "--assessment",
            "assessment",
            metavar="ID",
            help="The assessment (engagement) of answer files without an assessment column.",
        ),
        click.option(
            "--window",
            type=click.IntRange(0, 3650),
            default=45,
            show_default=True,
            help="Days: a client's submissions at most this far apart are one assessment "
            "(when no assessment column or --assessment says which).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command  # type: ignore[return-value]
