"""``maturity questionnaire`` and ``maturity import``: send questionnaires, bring answers in.

``questionnaire`` writes, per client (and optionally per role), the fillable workbook, the
XLSForm, the Forms authoring sheet and the printable page (HTML, PDF); ``import`` reads any
survey export or filled-in workbook (see :mod:`assessment.inputs.surveys`) and writes the long
answers format, which ``validate``, ``score`` and ``batch`` read (they also read the exports
themselves, with the same ``--client`` and ``--assessment``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from assessment.cli.common import (
    clients_option,
    echo,
    errors_out_option,
    load_run,
    rubric_option,
    survey_options,
)

if TYPE_CHECKING:  # pragma: no cover
    from assessment.rubric import Rubric

__all__ = ["import_answers", "questionnaire"]

#: Format -> (file name ending, what it is).
FORMATS = {
    "xlsx": ("questionnaire.xlsx", "fillable workbook"),
    "xlsform": ("xlsform.xlsx", "XLSForm (KoboToolbox, ODK, Enketo)"),
    "forms": ("forms.xlsx", "Google / Microsoft Forms authoring sheet"),
    "html": ("questionnaire.html", "printable page"),
    "pdf": ("questionnaire.pdf", "printable PDF"),
}


def _clients(client: tuple[str, ...], clients_file: str | None, samples: bool) -> dict[str, str]:
    """Client id -> its language ("" when the clients table names none)."""
    from assessment.inputs import check_safe_id, load_clients  # local: keeps --help fast

    out = {check_safe_id(c): "" for c in client}
    path = clients_file
    if samples and not path:
        from assessment.samples import portfolio

        path = str(portfolio()["clients"])
    if path:
        table = load_clients(path)
        langs = table["lang"] if "lang" in table else [""] * len(table)
        out |= {str(c): str(lang or "") for c, lang in zip(table["client_id"], langs, strict=True)}
    if not out:
        raise click.UsageError(
            "name the clients: --client ID (repeatable), --clients FILE or --samples"
        )
    return out


def _roles(rubric: Rubric, role: str | None, per_role: bool) -> list[str | None]:
    ids = [r.id for r in rubric.roles]
    if role is None:
        return [*ids] if per_role else [None]
    if rubric.role_id(role) is None:
        import difflib

        close = difflib.get_close_matches(role, ids, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise click.BadParameter(
            f"{role!r} is no role of rubric {rubric.id!r}{hint}; roles: {', '.join(ids) or 'none'}",
            param_hint="--role",
        )
    return [rubric.role_id(role)]


def _write_one(rubric: Rubric, fmt: str, path: Path, **options: Any) -> None:
    # Each writer imported when used: keeps --help fast.
    if fmt == "xlsx":
        from assessment.questionnaire.workbook import write_workbook

        write_workbook(rubric, path, **options)
    elif fmt == "xlsform":
        from assessment.questionnaire.xlsform import write_xlsform

        write_xlsform(rubric, path, **options)
    elif fmt == "forms":
        from assessment.questionnaire.forms import write_forms_sheet

        options.pop("assessment")
        write_forms_sheet(rubric, path, **options)
    else:
        from assessment.questionnaire.printable import write_printable

        html = path.with_name(path.name.replace(".pdf", ".html"))
        write_printable(rubric, html, **options)
        if fmt == "pdf":
            from assessment.report.pdf import html_to_pdf

            html_to_pdf(html, path)


@click.command()
@rubric_option
@click.option("--client", "client", multiple=True, metavar="ID", help="A client (repeatable).")
@clients_option
@click.option("--samples", is_flag=True, help="Every client of the packaged sample portfolio.")
@click.option(
    "--assessment", default="", metavar="ID", help="The engagement the answers belong to."
)
@click.option("--role", metavar="ROLE", help="Only this role's questions (a role id or name).")
@click.option("--per-role", is_flag=True, help="One questionnaire per role of the rubric.")
@click.option(
    "--lang",
    "langs",
    multiple=True,
    type=click.Choice(["en", "ar"]),
    help="Language(s) (repeatable); default: each client's, else English.",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice([*FORMATS, "all"]),
    default=("xlsx",),
    show_default=True,
    help="What to write (repeatable): " + "; ".join(f"{k}: {v[1]}" for k, v in FORMATS.items()),
)
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Output folder.")
def questionnaire(
    rubric_ref: str,
    client: tuple[str, ...],
    clients: str | None,
    samples: bool,
    assessment: str,
    role: str | None,
    per_role: bool,
    langs: tuple[str, ...],
    formats: tuple[str, ...],
    out: str,
) -> None:
    """Write questionnaires for respondents: workbook, XLSForm, Forms sheet, printable page.

    Files are named CLIENT[-ROLE].LANG.KIND, e.g. c01.ar.questionnaire.xlsx.  Each reads back
    with `maturity import`, `validate` and `score`.
    """
    from assessment.rubric import load_rubric  # local: keeps --help fast

    rubric = load_rubric(rubric_ref)
    targets = _clients(client, clients, samples)
    roles = _roles(rubric, role, per_role)
    chosen = list(FORMATS) if "all" in formats else list(dict.fromkeys(formats))
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for cid, client_lang in targets.items():
        for lang in langs or (client_lang if client_lang in ("en", "ar") else "en",):
            for r in roles:
                for fmt in chosen:
                    stem = f"{cid}-{r}" if r else cid
                    path = folder / f"{stem}.{lang}.{FORMATS[fmt][0]}"
                    _write_one(
                        rubric, fmt, path, client=cid, assessment=assessment, role=r, lang=lang
                    )
                    written += 1
    echo(f"wrote {written} questionnaire file(s) to {folder} (rubric {rubric.id} {rubric.version})")


@click.command()
@rubric_option
@clients_option
@errors_out_option
@survey_options
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    help="The long answers file (.csv or .xlsx); default: CSV on standard output.",
)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def import_answers(
    rubric_ref: str,
    clients: str | None,
    out: str | None,
    files: tuple[str, ...],
    survey: dict[str, Any],
) -> None:
    """Read survey exports or filled-in workbooks; write the long answers format.

    Reads Google Forms (CSV), Microsoft Forms (XLSX), KoboToolbox (CSV/XLSX, names or labels),
    SurveyMonkey (CSV, two header rows) and `maturity questionnaire` workbooks.
    """
    from assessment.files import csv_text, write_csv, write_xlsx  # local: keeps --help fast
    from assessment.inputs.surveys import LONG_COLUMNS

    _, data = load_run(rubric_ref, files, clients, survey=survey)
    df = data.answers
    table = df.assign(
        date=df["submitted"],
        assessment=df["assessment"].where(df["assessment"] != "", df["date"].astype(str)),
    )[[c for c in LONG_COLUMNS if not c.startswith("_")]]  # the readers' columns, not the cells'
    table = table.astype(str)
    if out is None:
        echo(csv_text(table, line_end="\n"), nl=False)
    elif out.lower().endswith((".xlsx", ".xlsm")):
        write_xlsx(out, {"answers": table})
    else:
        write_csv(out, table)
    people = df[["client_id", "respondent"]].drop_duplicates().shape[0]
    echo(
        f"imported {len(df)} answers from {people} respondents, "
        f"{df[['client_id', 'date']].drop_duplicates().shape[0]} assessment(s)"
        + (f"; wrote {out}" if out else ""),
        err=True,
    )
