"""The report's opening sections: title block, contents, executive summary, radar, priorities."""

from __future__ import annotations

import contextlib
from typing import Any

import pandas as pd

from assessment import charts
from assessment.report.context import ReportContext, level_badge, section
from assessment.report.details import has_agreement, has_benchmark, has_resourcing, has_trend
from assessment.report.html import Html, esc, figure_html, html_table
from assessment.rubric import translate
from assessment.text import label

__all__ = ["contents", "header", "priorities_section", "radar_chart", "radar_section"]


def header(ctx: ReportContext) -> Html:
    """The cover: client, date, sector, size, region, respondents, and the contents list."""
    c = ctx.client
    answers = ctx.latest(ctx.result.answers)
    people = answers[["respondent", "role"]].drop_duplicates()
    roles = {r.id: r.name for r in ctx.rubric.roles}
    # Each person is one isolate, name and role together, so that an English "Tariq M. (Head
    # of social media)" keeps its order and brackets in an Arabic list.
    names = ctx.t("list_separator").join(
        "<bdi>"
        + esc(r.respondent)
        + (f" ({ctx.tr(roles[r.role]) if r.role in roles else esc(r.role)})" if r.role else "")
        + "</bdi>"
        for r in people.itertuples()
    )
    facts = [
        (ctx.t("assessment_date"), ctx.ltr(esc(ctx.digits(ctx.date)))),
        (ctx.t("sector"), ctx.value("sector", c.get("sector"))),
        (ctx.t("size_band"), ctx.value("size_band", c.get("size_band"))),
        (ctx.t("region"), ctx.value("region", c.get("region"))),
        (ctx.t("respondents"), f"{ctx.digits(len(people))}: {names}"),
    ]
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts)
    name = ctx.user(c.get("name", ctx.client_id))
    return Html(
        f'<header class="report-header cover"><p class="eyebrow">{ctx.tr(ctx.rubric.name)}</p>'
        f"<h1>{name}</h1>"
        f'<p class="subtitle">{ctx.t("report_title")}</p><dl class="facts">{dl}</dl>'
        f'<p class="confidential">{ctx.th("confidential", client=name)}</p></header>'
    )


def _present(ctx: ReportContext) -> list[tuple[str, str]]:
    """The sections this report prints, as (anchor, label key), in page order."""
    checks = {
        "agreement": has_agreement,
        "benchmark": has_benchmark,
        "trend": has_trend,
        "resourcing": has_resourcing,
        "appendix": lambda c: c.appendix,
    }
    return [(a, k) for a, k in _SECTIONS if a not in checks or checks[a](ctx)]


_SECTIONS = (
    ("executive-summary", "executive_summary"),
    ("roadmap", "roadmap"),
    ("radar", "radar"),
    ("priorities", "priorities"),
    ("dimensions", "dimensions"),
    ("agreement", "agreement"),
    ("benchmark", "benchmark"),
    ("trend", "trend"),
    ("resourcing", "resourcing"),
    ("appendix", "appendix"),
)


def contents(ctx: ReportContext) -> Html:
    """The contents list: a link to every section printed, and its page once printed.

    The page numbers are filled in by the PDF printer
    (:func:`~assessment.report.pdf.html_to_pdf`), which reads where each link landed, in the
    report's numerals; on screen the list is a navigation bar.
    """
    # The printer writes each page number with these digits: the report's numerals.
    digits = esc(ctx.digits("0123456789"))
    items = "".join(
        f'<li><a href="#{anchor}">{ctx.t(key)}</a>'
        f'<span class="toc-page" data-page-of="{anchor}" data-digits="{digits}"></span></li>'
        for anchor, key in _present(ctx)
    )
    return Html(
        f'<nav class="toc"><h2 class="toc-title">{ctx.t("contents")}</h2><ol>{items}</ol></nav>'
    )


def _radar_profiles(ctx: ReportContext) -> dict[str, dict[str, float]]:
    dims = ctx.latest(ctx.result.dimensions)
    profiles = {
        label("target", ctx.lang): dict(zip(dims["dimension_id"], dims["target"], strict=True))
    }
    for pid in ctx.radar_targets:
        sub = ctx.result.targets.loc[ctx.result.targets["profile_id"] == pid]
        if not sub.empty:
            name = pid
            with contextlib.suppress(KeyError):
                name = translate(ctx.rubric.target_profile(pid).name, ctx.lang) or pid
            profiles[name] = dict(zip(sub["dimension_id"], sub["target"], strict=True))
    return profiles


def _peer_median(ctx: ReportContext) -> dict[str, float] | None:
    bench = ctx.latest(ctx.result.benchmark)
    if bench.empty or bench["peer_median"].isna().all():
        return None
    dims = bench.loc[bench["measure"] != "index"]
    return dict(zip(dims["measure"], dims["peer_median"], strict=True))


def radar_chart(ctx: ReportContext) -> Any:
    """The radar's Axes: the current profile against the target(s) and the peer median."""
    return charts.radar(
        ctx.latest(ctx.result.dimensions),
        ctx.rubric,
        targets=_radar_profiles(ctx),
        peer_median=_peer_median(ctx),
        lang=ctx.lang,
    )


def radar_section(ctx: ReportContext) -> Html:
    """Radar of the current profile against the target(s) and the peer median."""
    return section(ctx, "radar", figure_html(radar_chart(ctx), label("radar", ctx.lang)))


def priorities_section(ctx: ReportContext) -> Html:
    """Dimensions ranked by priority (weight x gap) with gates and intervals."""
    dims = ctx.latest(ctx.result.dimensions).sort_values(
        ["priority", "order"], ascending=[False, True]
    )
    rows = []
    for r in dims.itertuples():
        ci = f"{ctx.num(r.ci_low)}–{ctx.num(r.ci_high)}" if not pd.isna(r.ci_low) else "–"
        gate = esc(
            ", ".join(
                translate(ctx.rubric.indicator(g).name, ctx.lang)
                for g in r.capped_by.split(",")
                if g
            )
        )
        rows.append(
            [
                f'<a href="#dim-{esc(r.dimension_id)}">{ctx.dim_name(r.dimension_id)}</a>',
                ctx.num(r.score, 2),
                level_badge(ctx, r.level),
                ci,
                ctx.num(r.target),
                ctx.num(r.gap, 2),
                ctx.num(r.weight, 2),
                ctx.num(r.priority, 3),
                gate or "",
            ]
        )
    keys = ["dimension", "score", "level", "confidence", "target", "gap", "weight", "priority"]
    if any(row[-1] for row in rows):  # a column no gate fills is left out, not printed empty
        keys.append("gated_by")
    else:
        rows = [row[:-1] for row in rows]
    table = html_table([ctx.t(k) for k in keys], rows, "priorities-table")
    ax = charts.gap_bars(ctx.latest(ctx.result.dimensions), ctx.rubric, lang=ctx.lang)
    return section(ctx, "priorities", table + figure_html(ax, label("priorities", ctx.lang)))
