"""``maturity rubric show|schema|export|diff``: read, export and compare rubrics."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from assessment.cli.common import echo, rubric_option

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd

    from assessment.rubric import Rubric

__all__ = ["rubric", "rubric_table"]


@click.group()
def rubric() -> None:
    """Inspect a rubric: show it, print its JSON Schema, export it, compare two."""


def _emit(text: str, out: str | None) -> None:
    """Write ``text`` to ``out`` (atomically) or print it."""
    if out:
        from assessment.files import atomic_write_text  # local: keeps --help fast

        atomic_write_text(out, text)
        echo(f"wrote {out}", err=True)
    else:
        echo(text, nl=False)


def _outline(r: Rubric, lang: str, levels: bool) -> list[str]:
    from assessment.rubric import translate  # local: keeps --help fast

    t = lambda x: translate(x, lang)  # noqa: E731 - a local shorthand keeps the layout readable
    lines = [
        f"{t(r.name)}  (id {r.id}, version {r.version}, weights: {r.weights_status})",
        f"hash {r.content_hash}",
        "",
        "Levels: " + "; ".join(f"L{s.level} {t(s.name)}" for s in r.scale),
        "",
    ]
    for d in r.dimensions:
        lines.append(f"{d.id}  {t(d.name)}  weight {d.weight:.3f}")
        for i in d.indicators:
            extra = ""
            if i.kind == "measured":
                arrow = "<=" if i.direction == "lower_is_better" else ">="
                extra = f" [{i.unit or ''}; L2..L{r.n_levels} at {arrow} {i.thresholds}]"
            flags = (" NA-allowed" if i.allow_na else "") + (" (proposal)" if i.proposal else "")
            lines.append(f"  - {i.id}: {t(i.name)} ({i.kind}{extra}){flags}")
            if levels:
                lines.extend(f"      L{lvl}: {i.level_text(lvl, lang)}" for lvl in sorted(i.levels))
        lines.extend(
            f"  gate: {g.indicator} below L{g.min_level} caps {d.id} below L{g.caps_below}"
            for g in d.gates
        )
        lines.append("")
    if r.targets:
        lines.append("Target profiles: " + ", ".join(t_.id for t_ in r.targets))
    return lines


@rubric.command("show")
@rubric_option
@click.option("--lang", default="en", show_default=True, help="Language of the texts (en, ar).")
@click.option("--levels/--no-levels", default=False, help="Also print every level descriptor.")
def rubric_show(rubric_ref: str, lang: str, levels: bool) -> None:
    """Print a readable outline of the rubric."""
    from assessment.rubric import load_rubric  # local: keeps --help fast

    echo("\n".join(_outline(load_rubric(rubric_ref), lang, levels)))


@rubric.command("schema")
@click.option("--out", type=click.Path(dir_okay=False), help="Write to a file.")
def rubric_schema(out: str | None) -> None:
    """Print the JSON Schema of the rubric format (for editor validation)."""
    from assessment.rubric import rubric_json_schema  # local: keeps --help fast

    text = json.dumps(rubric_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if out:
        from assessment.files import atomic_write_text  # local: keeps --help fast

        atomic_write_text(out, text)
    else:
        echo(text, nl=False)


def rubric_table(r: Rubric, lang: str = "en") -> pd.DataFrame:
    """One row per indicator level: the rubric as people read it in a spreadsheet."""
    import pandas as pd  # local: keeps --help fast

    from assessment.rubric import translate

    refs = {ref.id: ref for ref in r.references}
    rows = []
    for d, i in r.iter_indicators():
        for lvl in sorted(i.levels):
            threshold = ""
            if i.thresholds and lvl >= 2:
                arrow = "<=" if i.direction == "lower_is_better" else ">="
                threshold = f"{arrow} {i.thresholds[lvl - 2]:g} {i.unit or ''}".strip()
            rows.append(
                {
                    "dimension_id": d.id,
                    "dimension": translate(d.name, lang),
                    "dimension_weight": d.weight,
                    "indicator_id": i.id,
                    "indicator": translate(i.name, lang),
                    "question": translate(i.question, lang),
                    "kind": i.kind,
                    "indicator_weight": i.weight,
                    "allow_na": i.allow_na,
                    "level": lvl,
                    "level_name": r.level_name(lvl, lang),
                    "threshold": threshold,
                    "descriptor": i.level_text(lvl, lang),
                    "next_step": i.next_step(lvl, lang),
                    "evidence_hint": translate(i.evidence_hint, lang),
                    "sources": "; ".join(_source_text(s, refs) for s in i.sources),
                    "proposal": i.proposal,
                }
            )
    return pd.DataFrame(rows)


def _source_text(source: object, refs: dict) -> str:
    """``Citation (year): what it supports`` for one source of an indicator."""
    from assessment.rubric import source_id  # local: keeps --help fast

    ref = refs.get(source_id(source))  # type: ignore[arg-type]
    text = f"{ref.citation} ({ref.year})" if ref else source_id(source)  # type: ignore[arg-type]
    supports = getattr(source, "supports", "")
    return f"{text}: {supports}" if supports else text


def _export_xlsx(r: Rubric, lang: str, out: str) -> None:
    import pandas as pd  # local: keeps --help fast

    from assessment.files import write_xlsx

    refs = pd.DataFrame([ref.model_dump() for ref in r.references])
    targets = pd.DataFrame(
        [
            {"profile_id": t.id, "dimension_id": d.id, "target": t.dimensions.get(d.id, t.default)}
            for t in r.targets
            for d in r.dimensions
        ]
    )
    # A rubric is untrusted data: write_xlsx keeps its texts from becoming formulas.
    write_xlsx(out, {"rubric": rubric_table(r, lang), "references": refs, "targets": targets})
    echo(f"wrote {out}", err=True)


@rubric.command("export")
@rubric_option
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx", "yaml"]), default="csv", show_default=True
)
@click.option("--lang", default="en", show_default=True)
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    help="Output file (required for xlsx; csv and yaml print otherwise).",
)
def rubric_export(rubric_ref: str, fmt: str, lang: str, out: str | None) -> None:
    """Export the rubric as a flat table (CSV/XLSX) or canonical YAML."""
    from assessment.rubric import dump_rubric, load_rubric  # local: keeps --help fast

    r = load_rubric(rubric_ref)
    if fmt == "xlsx":
        if not out:
            raise click.UsageError("--format xlsx writes a workbook: give --out FILE.xlsx")
        _export_xlsx(r, lang, out)
        return
    if fmt == "yaml":
        _emit(dump_rubric(r), out)
        return
    from assessment.files import csv_text  # local: keeps --help fast

    _emit(csv_text(rubric_table(r, lang), line_end="\r\n" if out else "\n"), out)


@rubric.command("diff")
@click.argument("old")
@click.argument("new")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--details", is_flag=True, help="Also list every changed field, one line each.")
def rubric_diff(old: str, new: str, fmt: str, details: bool) -> None:
    """What changed from rubric OLD to rubric NEW (built-in names or YAML paths).

    A migration note: weights as a table (old, new, Δ and %), dimensions and indicators
    removed, added and changed (kind, thresholds, proposal, who is asked...), roles, facts,
    target profiles and gates, and how many texts were reworded.  --details adds every
    changed field: "~ path: old -> new", "+ path: added", "- path: removed".
    """
    from assessment.rubric import load_rubric  # local: keeps --help fast
    from assessment.rubric.migration import migration
    from assessment.weights import diff_rubrics

    a, b = load_rubric(old), load_rubric(new)
    changes = diff_rubrics(a, b)
    if fmt == "json":
        payload = {
            "old": {"id": a.id, "version": a.version, "hash": a.content_hash},
            "new": {"id": b.id, "version": b.version, "hash": b.content_hash},
            "changes": [
                {"path": c.path, "kind": c.kind, "old": c.old, "new": c.new} for c in changes
            ],
        }
        echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    echo(f"--- {old}: {a.id} {a.version} ({a.content_hash[:12]})")
    echo(f"+++ {new}: {b.id} {b.version} ({b.content_hash[:12]})")
    note = migration(a, b)
    if note.empty:
        echo("no differences")
        return
    for line in note.lines():
        echo(line)
    if details:
        echo("Every change")
        for change in changes:
            echo(f"  {change}")


@rubric.command("lint")
@rubric_option
def rubric_lint(rubric_ref: str) -> None:
    """Check a rubric against the rules of rubric 2.0 and the Arabic glossary.

    Reports dimensions whose top or bottom level cannot be reached, thresholds and anchors
    not marked as proposals that no source note supports, NA answers that could stand in for
    a level 1, formulas the engine does not know, Arabic wording the glossary avoids
    (docs/glossary.md), and variants saved from an outdated rubric.  A rubric with structural
    errors does not load and exits 2 listing them; findings exit 1; a clean rubric exits 0.
    """
    import sys  # local: keeps --help fast

    from assessment.rubric import lint, load_rubric
    from assessment.scoring.formulas import registry

    r = load_rubric(rubric_ref)
    findings = [str(p) for p in lint(r)]
    findings += [
        f"indicator {ind.id!r}: {problem} [unknown_formula]"
        for _, ind in r.iter_indicators()
        if ind.formula is not None
        for problem in registry.check(ind.formula.function, ind.formula.inputs)
    ]
    for line in findings:
        echo(line)
    echo(
        f"{r.id} {r.version} (schema {r.schema_version}): "
        + (f"{len(findings)} finding(s)" if findings else "clean"),
        err=True,
    )
    sys.exit(1 if findings else 0)
