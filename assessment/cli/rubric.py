"""``maturity rubric show|schema|export|diff|compare|lint``: read, export and compare rubrics."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from assessment.cli.common import (
    clients_option,
    echo,
    records,
    rubric_option,
    samples_option,
    targets_option,
    with_samples,
)

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
    for line in _provenance_lines(b):
        echo(f"    {line}")
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


def _provenance_lines(r: Rubric) -> list[str]:
    """A variant's audit trail in a few lines (nothing for a rubric without provenance)."""
    p = r.provenance
    if p is None:
        return []
    lines = [f"variant of {p.parent_id} {p.parent_version} ({(p.parent_hash or '')[:12]})"]
    how = [f"method {p.method}" if p.method else ""]
    how += [f"aggregation {p.aggregation}" if p.aggregation else ""]
    how += [f"CR {p.cr:.3f}" if p.cr is not None else ""]
    how += [f"consensus {p.consensus:.2f}" if p.consensus is not None else ""]
    how += [f"{len(p.experts)} expert(s)" if p.experts else ""]
    how += [
        f"analyst {p.analyst}" if p.analyst else "",
        f"created {p.created}" if p.created else "",
    ]
    lines.append(", ".join(h for h in how if h))
    lines += [f"  expert {e.name}: CR {e.cr:.3f}" for e in p.experts if e.cr is not None]
    if p.accepted_inconsistent:
        lines.append("  saved with --accept-inconsistent (a CR of 0.10 or more)")
    if p.note:
        lines.append(f"  note: {p.note}")
    return [line for line in lines if line.strip()]


def _compare_text(table: pd.DataFrame, names: dict[str, str]) -> str:
    """The comparison as an aligned table, changed rows marked with ``*``."""
    import pandas as pd  # local: keeps --help fast

    view = pd.DataFrame(
        {
            " ": ["*" if c else "" for c in table["changed"]],
            "client": [names.get(c, c) for c in table["client_id"]],
            "index A": table["index_a"].map(lambda v: f"{v:.1f}"),
            "index B": table["index_b"].map(lambda v: f"{v:.1f}"),
            "Δ": table["delta"].map(lambda v: f"{v:+.2f}"),
            "level A→B": [
                f"{a} → {b}" if a != b else f"{a}"
                for a, b in zip(table["level_a"], table["level_b"], strict=True)
            ],
            "rank A→B": [
                f"{a} → {b}" if a != b else f"{a}"
                for a, b in zip(table["rank_a"], table["rank_b"], strict=True)
            ],
        }
    )
    return view.to_string(index=False)


@rubric.command("compare")
@click.argument("rubric_a")
@click.argument("rubric_b")
@clients_option
@targets_option
@samples_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "csv", "json"]),
    default="text",
    show_default=True,
)
@click.option("--changed", "changed_only", is_flag=True, help="Only the clients that move.")
@click.argument("answers", nargs=-1, type=click.Path(dir_okay=False))
def rubric_compare(
    rubric_a: str,
    rubric_b: str,
    clients: str | None,
    targets: str | None,
    samples: bool,
    fmt: str,
    changed_only: bool,
    answers: tuple[str, ...],
) -> None:
    """Score the same answers under RUBRIC_A and RUBRIC_B: each client's index, level and rank.

    Rows where the level or the rank changes are marked with * (text) or changed=true
    (csv, json).  A and B are built-in names or YAML paths (e.g. a saved variant).
    """
    answers, files = with_samples(samples, answers, clients=clients, targets=targets)
    from assessment.cli.common import load_run  # local: keeps --help fast
    from assessment.files import csv_text
    from assessment.scoring import score as run_score
    from assessment.weights.compare import compare_results, rubric_label

    results = []
    data = None
    for ref in (rubric_a, rubric_b):
        rub, data = load_run(ref, answers, files["clients"], files["targets"])
        results.append(
            (rub, run_score(rub, data.answers, clients=data.clients, targets=data.targets))
        )
    (ra, a), (rb, b) = results
    table = compare_results(a, b)
    if changed_only:
        table = table.loc[table["changed"]]
    if fmt == "json":
        payload = {
            "a": {"id": ra.id, "version": ra.version, "hash": ra.content_hash},
            "b": {"id": rb.id, "version": rb.version, "hash": rb.content_hash},
            "clients": records(table),
        }
        echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    if fmt == "csv":
        out = table.assign(rubric_a=rubric_label(ra), rubric_b=rubric_label(rb))
        echo(csv_text(out, line_end="\n"), nl=False)
        return
    names: dict[str, str] = {}
    if data is not None and data.clients is not None:
        names = dict(zip(data.clients["client_id"], data.clients["name"], strict=True))
    echo(f"A: {rubric_label(ra)}")
    echo(f"B: {rubric_label(rb)}")
    for line in _provenance_lines(rb):
        echo(f"   {line}")
    echo(_compare_text(table, names))
    moved = int(table["changed"].sum())
    levels = int((table["level_a"] != table["level_b"]).sum())
    echo(f"{moved} client(s) change level or rank; {levels} change level")


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
