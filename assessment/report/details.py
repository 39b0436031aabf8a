"""The report's detail sections: each dimension, agreement, benchmark, trend, resourcing."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from assessment import charts
from assessment.limits import REPORT_ROWS
from assessment.report.context import ReportContext, level_badge, section
from assessment.report.figures import rounded, staffing
from assessment.report.html import Html, esc, figure_html, html_table
from assessment.rubric import translate
from assessment.text import label

__all__ = [
    "agreement_section",
    "benchmark_chart",
    "benchmark_section",
    "dimension_sections",
    "has_agreement",
    "has_benchmark",
    "has_resourcing",
    "has_trend",
    "resourcing_section",
    "trend_section",
]


# Sections with nothing to say are left out, not printed as an apology (issue 15); the
# contents list asks the same questions.
def has_agreement(ctx: ReportContext) -> bool:
    """Whether more than one respondent answered an indicator (agreement can be measured)."""
    inds = ctx.latest(ctx.result.indicators)
    return bool(len(inds)) and inds["n"].max() >= 2


def has_benchmark(ctx: ReportContext) -> bool:
    """Whether the index has a percentile among enough peers."""
    bench = ctx.latest(ctx.result.benchmark)
    idx = bench.loc[bench["measure"] == "index"]
    return not idx.empty and not pd.isna(idx["percentile"].iloc[0])


def has_trend(ctx: ReportContext) -> bool:
    """Whether the client has an earlier assessment to compare with."""
    return ctx.result.overall["date"].nunique() >= 2


def has_resourcing(ctx: ReportContext) -> bool:
    """Whether the clients table gives this client's inbound message volume."""
    volume = pd.to_numeric(pd.Series([ctx.client.get("messages_per_day")]), errors="coerce")[0]
    return not pd.isna(volume) and volume > 0


def _answer_text(ctx: ReportContext, row: Any) -> str:
    if row.status in ("na", "missing", "not_asked"):
        return ctx.t(row.status)
    ind = ctx.indicator(row.indicator_id)
    if ind.numeric:
        text = f"{ctx.num(row.value, 2)} {ctx.unit(ind.unit)}".strip()
    elif ind.kind == "boolean":
        text = ctx.t("yes") if row.level == ind.yes_level else ctx.t("no")
    else:
        text = ctx.t("chart.sensitivity.level", level=ctx.num(row.level))
    # Which answers rest on evidence, and which the evidence cap lowered.
    if getattr(row, "evidence_capped", False):
        text += f"<br><span class='note'>{ctx.t('evidence_capped')}</span>"
    elif getattr(row, "evidenced", False):
        text += f"<br><span class='note'>{ctx.t('evidenced')}</span>"
    return text


def dimension_sections(ctx: ReportContext) -> Html:
    """One section per dimension: score, level, gap, evidence and next steps."""
    dims = ctx.latest(ctx.result.dimensions)
    inds = ctx.latest(ctx.result.indicators)
    answers = ctx.latest(ctx.result.answers)
    comments = answers.loc[answers["comment"] != ""]
    parts = []
    for d in dims.itertuples():
        dim = ctx.rubric.dimension(d.dimension_id)
        rows = []
        for r in inds.loc[inds["dimension_id"] == d.dimension_id].itertuples():
            ind = ctx.indicator(r.indicator_id)
            lvl = int(np.floor(r.level)) if not pd.isna(r.level) else None
            observed = esc(ind.level_text(lvl, ctx.lang)) if lvl in ind.levels else "–"
            step = esc(ind.next_step(lvl, ctx.lang)) if lvl and r.gap > 0 else ""
            rows.append(
                [
                    ctx.tr(ind.name),
                    _answer_text(ctx, r),
                    observed,
                    step,
                ]
            )
        table = html_table(
            [ctx.t("indicator"), ctx.t("answer"), ctx.t("what_it_means"), ctx.t("next_step")],
            rows,
            "indicator-table",
        )
        notes = comments.loc[comments["dimension_id"] == d.dimension_id]
        quotes = "".join(
            f"<li><span class='who'>{ctx.user(q.respondent)}"
            f"{' (' + ctx.user(q.role) + ')' if q.role else ''}</span>: "
            f"<span dir='auto'>{esc(q.comment)}</span></li>"
            for q in notes.itertuples()
        )
        evidence = (
            f"<h4>{ctx.t('evidence')}</h4><ul class='evidence'>{quotes}</ul>" if quotes else ""
        )
        level_text = (
            ctx.tr(dim.levels.get(int(d.level))) if dim.levels and not pd.isna(d.level) else ""
        )
        gated = ""
        if d.capped_by:
            gated = (
                f"<p class='gate'>{ctx.t('gated_by')}: "
                + esc(
                    ", ".join(
                        translate(ctx.indicator(g).name, ctx.lang) for g in d.capped_by.split(",")
                    )
                )
                + "</p>"
            )
        parts.append(
            f'<article class="dimension" id="dim-{esc(d.dimension_id)}">'
            f"<h3>{ctx.dim_name(d.dimension_id)}</h3>"
            f"<p class='dim-stats'>{ctx.t('score')} <strong>{ctx.num(d.score, 2)}</strong> · "
            f"{level_badge(ctx, d.level)} · {ctx.t('target')} {ctx.num(d.target)} · "
            f"{ctx.t('gap')} {ctx.num(d.gap, 2)}</p>"
            f"<p class='dim-level'>{level_text}</p>{gated}{table}{evidence}</article>"
        )
    return Html(f'<section id="dimensions">{"".join(parts)}</section>')


def agreement_section(ctx: ReportContext) -> Html:
    """Respondent spread per indicator and the disagreement hotspots.

    A rubric of more than :data:`~assessment.limits.REPORT_ROWS` indicators is not drawn one
    row per indicator (10,000 rows took two minutes and an unreadable figure; issue 18): the
    chart and the table show the hotspots with the least agreement, and say how many there are.
    """
    inds = ctx.latest(ctx.result.indicators)
    intro = f"<p>{ctx.t('agreement_intro', threshold=ctx.result.options.rwg_threshold)}</p>"
    if not has_agreement(ctx):
        return Html("")
    limit = REPORT_ROWS.value
    hot = inds.loc[inds["hotspot"]].sort_values("rwg")
    listed = hot.head(limit)
    hot_html = _hotspot_table(ctx, listed) if not hot.empty else f"<p>{ctx.t('no_hotspots')}</p>"
    if len(hot) > len(listed):
        more = ctx.t("hotspots_more", shown=len(listed), more=len(hot) - len(listed))
        hot_html += f"<p class='note'>{more}</p>"
    if len(inds) <= limit:
        ax = charts.agreement(ctx.result, client_id=ctx.client_id, date=ctx.date, lang=ctx.lang)
    elif not listed.empty:
        ax = charts.agreement(
            ctx.result,
            client_id=ctx.client_id,
            date=ctx.date,
            lang=ctx.lang,
            indicators=list(listed["indicator_id"]),
        )
        intro += (
            f"<p class='note'>{ctx.t('agreement_large', total=len(inds), shown=len(listed))}</p>"
        )
    else:
        return section(ctx, "agreement", intro + hot_html)
    return section(
        ctx, "agreement", intro + figure_html(ax, label("agreement", ctx.lang)) + hot_html
    )


def _hotspot_table(ctx: ReportContext, hot: pd.DataFrame) -> str:
    """The hotspots, least agreement first."""
    rows = [
        [
            ctx.tr(ctx.indicator(r.indicator_id).name),
            ctx.dim_name(r.dimension_id),
            ctx.num(r.rwg, 2),
            ctx.num(r.iqr, 1),
            f"{ctx.num(r.range, 0)}",
        ]
        for r in hot.itertuples()
    ]
    return f"<h3>{ctx.t('hotspots')}</h3>" + html_table(
        [ctx.t("indicator"), ctx.t("dimension"), "r<sub>wg</sub>", ctx.t("spread"), "Δ"],
        rows,
        "hotspot-table",
    )


def benchmark_section(ctx: ReportContext) -> Html:
    """Percentile of the index and each dimension within the peer group."""
    if not has_benchmark(ctx):
        return Html("")
    bench = ctx.latest(ctx.result.benchmark)
    idx = bench.loc[bench["measure"] == "index"].iloc[0]
    rows = []
    for r in bench.itertuples():
        name = ctx.t("maturity_index") if r.measure == "index" else ctx.dim_name(r.measure)
        digits = 0 if r.measure == "index" else 2
        rows.append(
            [
                name,
                ctx.num(r.value, digits),
                ctx.num(r.peer_median, digits),
                ctx.num(r.percentile, 0),
            ]
        )
    table = html_table(
        [ctx.t("dimension"), ctx.t("score"), ctx.t("peer_median"), ctx.t("percentile")],
        rows,
        "benchmark-table",
    )
    peers = ctx.t(f"chart.benchmark.peers.{idx['peer_group']}", n=int(idx["n_peers"]))
    group = f"<p class='note'>{peers}</p>"
    ax = benchmark_chart(ctx)
    return section(ctx, "benchmark", figure_html(ax, label("benchmark", ctx.lang)) + group + table)


def benchmark_chart(ctx: ReportContext) -> Any:
    """The benchmark's Axes: the client's index among its peers."""
    return charts.benchmark_distribution(
        ctx.result, client_id=ctx.client_id, date=ctx.date, clients=ctx.clients, lang=ctx.lang
    )


def trend_section(ctx: ReportContext) -> Html:
    """Index and dimension scores across this client's assessments."""
    if not has_trend(ctx):
        return Html("")
    overall = ctx.result.overall.sort_values("date")
    prev, last = overall.iloc[-2], overall.iloc[-1]
    dims = ctx.result.dimensions.pivot(index="dimension_id", columns="date", values="score")
    rows = [
        [
            ctx.t("maturity_index"),
            ctx.num(rounded(prev["index"]), 0),
            ctx.num(rounded(last["index"]), 0),
            _signed(ctx, rounded(last["index"]) - rounded(prev["index"]), 0),
        ]
    ]
    for d in ctx.rubric.dimensions:
        a, b = dims.loc[d.id, prev["date"]], dims.loc[d.id, last["date"]]
        rows.append([ctx.dim_name(d.id), ctx.num(a, 2), ctx.num(b, 2), _signed(ctx, b - a, 2)])
    table = html_table(
        [
            "",
            ctx.ltr(esc(ctx.digits(prev["date"]))),
            ctx.ltr(esc(ctx.digits(last["date"]))),
            ctx.t("change"),
        ],
        rows,
        "trend-table",
    )
    ax = charts.trend(ctx.result, client_id=ctx.client_id, show="both", lang=ctx.lang)
    return section(ctx, "trend", figure_html(ax, label("trend", ctx.lang)) + table)


def _signed(ctx: ReportContext, value: float, digits: int) -> str:
    if pd.isna(value):
        return "–"
    cls = "up" if value > 0 else ("down" if value < 0 else "flat")
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return f"<span class='{cls}'>{ctx.ltr(sign + ctx.num(abs(value), digits))}</span>"


def resourcing_section(ctx: ReportContext) -> Html:
    """Care-desk staffing (Erlang C) for each coverage option against today's FTE."""
    table = staffing(ctx)
    if table is None:
        return Html("")
    rows = [
        [
            ctx.t(f"staffing.option.{cov}"),
            ctx.num(r.coverage_hours_per_week, 0),
            ctx.num(r.agents, 0),
            ctx.num(100 * r.service_level, 0) + "%",
            ctx.num(r.fte, 1),
            ctx.num(r.current_fte, 1),
        ]
        for cov, r in zip(table.index, table.itertuples(), strict=True)
    ]
    keys = ["coverage", "hours", "agents", "service_level", "fte", "fte_today"]
    staffing_html = html_table([ctx.t(f"staffing.{k}") for k in keys], rows, "staffing-table")
    volume = float(ctx.client.get("messages_per_day"))
    intro = ctx.th(
        "resourcing.intro",
        messages=ctx.num(volume, 0),
        aht=ctx.num(ctx.staffing["aht_minutes"], 0),
        share=ctx.num(100 * ctx.staffing["service_level"], 0),
        within=ctx.num(ctx.staffing["answer_within_minutes"], 0),
    )
    ax = charts.staffing_chart(table, lang=ctx.lang)
    return section(
        ctx,
        "resourcing",
        f"<p>{intro}</p>" + figure_html(ax, label("resourcing", ctx.lang)) + staffing_html,
    )
