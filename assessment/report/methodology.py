"""The report's methodology and provenance section."""

from __future__ import annotations

from pathlib import Path

from assessment import __version__
from assessment.report.context import ReportContext, section
from assessment.report.html import Html, esc, html_table
from assessment.rubric import missing_translations, source_id

__all__ = ["methodology"]


def methodology(ctx: ReportContext) -> Html:
    """Rubric identity, weights, formulas, inputs' hashes and versions."""
    r = ctx.rubric
    opts = ctx.result.options
    facts = [
        (ctx.t("rubric"), f"{ctx.tr(r.name)} ({esc(r.id)})"),
        (ctx.t("version"), esc(r.version)),
        (ctx.t("content_hash"), f"<code>{esc(r.content_hash)}</code>"),
        (ctx.t("weights_status"), f"{esc(r.weights_status)}. {ctx.tr(r.weights_note)}"),
        (ctx.t("aggregation"), esc(opts.aggregate)),
        (
            ctx.t("answers_files"),
            "<br>".join(
                f"{esc(Path(p).name)}: <code>{esc(h)}</code>" for p, h in ctx.sources.items()
            )
            or "–",
        ),
        (ctx.t("toolkit_version"), esc(__version__)),
        (ctx.t("run_date"), esc(ctx.run_date)),
    ]
    if r.provenance and r.provenance.parent_hash:
        facts.append(
            (
                "parent",
                f"{esc(r.provenance.parent_id)} {esc(r.provenance.parent_version)}"
                f" <code>{esc(r.provenance.parent_hash[:12])}</code> "
                f"{esc(r.provenance.note or '')}",
            )
        )
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts)
    weights = html_table(
        [ctx.t("dimension"), ctx.t("weight")],
        [[ctx.tr(d.name), ctx.num(d.weight, 3)] for d in r.dimensions],
        "weights-table",
    )
    formula = ctx.t("formula_note", aggregate=opts.aggregate, share=round(100 * opts.staged_share))
    cited = {source_id(s) for _, i in r.iter_indicators() for s in i.sources}
    refs = "".join(
        f"<li>{esc(ref.citation)}{' (' + esc(ref.year) + ')' if ref.year else ''}"
        f"{'. ' + esc(ref.note) if ref.note else ''}</li>"
        for ref in r.references
        if ref.id in cited
    )
    fallback = missing_translations(r, ctx.lang) if ctx.lang != "en" else []
    note = f"<p class='note'>{ctx.t('fallback_note', count=len(fallback))}</p>" if fallback else ""
    body = (
        f"<dl class='facts'>{dl}</dl><p>{formula}</p>{note}{weights}"
        f"<h3>{ctx.t('references')}</h3><ol class='refs'>{refs}</ol>"
    )
    return section(ctx, "methodology", body)
