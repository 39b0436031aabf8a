"""The internal appendix: method, caveats, proposals, hashes and provenance (issue 15).

What a consultant needs to defend the numbers but a client does not read: the weights' status,
the thresholds that are our proposal, the references with their caveats, the SHA-256 of every
input.  It is the report's last section, on a page of its own, and one option leaves it out
(``appendix=False``; ``maturity report --no-appendix``).
"""

from __future__ import annotations

from pathlib import Path

from assessment import __version__
from assessment.report.context import ReportContext, section
from assessment.report.html import Html, esc, html_table
from assessment.rubric import missing_translations, source_id
from assessment.text import label

__all__ = ["appendix", "methodology"]


def _facts(ctx: ReportContext) -> list[tuple[str, str]]:
    r = ctx.rubric
    facts = [
        (ctx.t("rubric"), f"{ctx.tr(r.name)} ({ctx.ltr(esc(r.id))})"),
        (ctx.t("version"), ctx.ltr(esc(r.version))),
        (ctx.t("content_hash"), f"<code class='hash'>{esc(r.content_hash)}</code>"),
        (
            ctx.t("weights_status"),
            f"{ctx.t('value.weights_status.' + r.weights_status)}. {ctx.tr(r.weights_note)}",
        ),
        (ctx.t("aggregation"), ctx.t(f"value.aggregate.{ctx.result.options.aggregate}")),
        (
            ctx.t("answers_files"),
            "<br>".join(
                f"{ctx.user(Path(p).name)}: <code class='hash'>{esc(h)}</code>"
                for p, h in ctx.sources.items()
            )
            or "–",
        ),
        (ctx.t("toolkit_version"), ctx.ltr(esc(__version__))),
        (ctx.t("run_date"), ctx.ltr(esc(ctx.digits(ctx.run_date)))),
    ]
    if r.provenance and r.provenance.parent_hash:
        facts.append(
            (
                ctx.t("appendix.parent"),
                f"{esc(r.provenance.parent_id)} {esc(r.provenance.parent_version)}"
                f" <code class='hash'>{esc(r.provenance.parent_hash[:12])}</code> "
                f"{ctx.user(r.provenance.note or '')}",
            )
        )
    return facts


def appendix(ctx: ReportContext) -> Html:
    """Rubric identity, weights, formulas, proposals, references, inputs' hashes, versions."""
    if not ctx.appendix:
        return Html("")
    r = ctx.rubric
    opts = ctx.result.options
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in _facts(ctx))
    caveat = (
        f"<p class='note'>{ctx.t('appendix.weights_proposal')}</p>"
        if r.weights_status == "proposal"
        else ""
    )
    weights = html_table(
        [ctx.t("dimension"), ctx.t("weight")],
        [[ctx.tr(d.name), ctx.num(d.weight, 3)] for d in r.dimensions],
        "weights-table",
    )
    formula = ctx.t(
        "formula_note",
        aggregate=label(f"value.aggregate.{opts.aggregate}", ctx.lang),
        share=round(100 * opts.staged_share),
    )
    proposals = "".join(f"<li>{ctx.tr(i.name)}</li>" for _, i in r.iter_indicators() if i.proposal)
    proposal_html = (
        f"<h3>{ctx.t('appendix.proposals')}</h3><ul class='proposals'>{proposals}</ul>"
        if proposals
        else ""
    )
    cited = {source_id(s) for _, i in r.iter_indicators() for s in i.sources}
    refs = "".join(
        f"<li dir='ltr'>{esc(ref.citation)}{' (' + esc(ref.year) + ')' if ref.year else ''}"
        f"{'. ' + esc(ref.note) if ref.note else ''}</li>"
        for ref in r.references
        if ref.id in cited
    )
    fallback = missing_translations(r, ctx.lang) if ctx.lang != "en" else []
    note = f"<p class='note'>{ctx.t('fallback_note', count=len(fallback))}</p>" if fallback else ""
    body = (
        f"{caveat}<dl class='facts'>{dl}</dl><p>{formula}</p>{note}{weights}{proposal_html}"
        f"<h3>{ctx.t('references')}</h3><ol class='refs'>{refs}</ol>"
    )
    return section(ctx, "appendix", body)


#: The section's name before issue 15: custom report notebooks that call it keep working.
methodology = appendix
