"""The report's opening sections: title block, contents, executive summary, radar, priorities."""

from __future__ import annotations

import contextlib

import pandas as pd

from assessment import charts
from assessment.report.context import ReportContext, level_badge, section
from assessment.report.html import Html, esc, figure_html, html_table
from assessment.rubric import translate
from assessment.text import label

__all__ = ["contents", "executive_summary", "header", "priorities_section", "radar_section"]


def header(ctx: ReportContext) -> Html:
    """Title block: client, date, sector, size, region, respondents."""
    c = ctx.client
    answers = ctx.latest(ctx.result.answers)
    people = answers[["respondent", "role"]].drop_duplicates()
    roles = ", ".join(
        f"{esc(r.respondent)}" + (f" ({esc(r.role)})" if r.role else "")
        for r in people.itertuples()
    )
    facts = [
        (ctx.t("assessment_date"), esc(ctx.digits(ctx.date))),
        (ctx.t("sector"), esc(c.get("sector", "–"))),
        (ctx.t("size_band"), esc(c.get("size_band", "–"))),
        (ctx.t("region"), esc(c.get("region", "–"))),
        (ctx.t("respondents"), f"{ctx.digits(len(people))}: {roles}"),
    ]
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts)
    return Html(
        f'<header class="report-header"><p class="eyebrow">{ctx.tr(ctx.rubric.name)}</p>'
        f"<h1>{esc(c.get('name', ctx.client_id))}</h1>"
        f'<p class="subtitle">{ctx.t("report_title")}</p><dl class="facts">{dl}</dl></header>'
    )


def _top_priorities(ctx: ReportContext, n: int = 3) -> pd.DataFrame:
    dims = ctx.latest(ctx.result.dimensions)
    return (
        dims.loc[dims["priority"] > 0]
        .sort_values(["priority", "order"], ascending=[False, True])
        .head(n)
    )


def _first_step(ctx: ReportContext, dimension_id: str) -> str:
    rec = ctx.latest(ctx.result.recommendations)
    rec = rec.loc[(rec["dimension_id"] == dimension_id) & (rec["next_step"] != "")]
    if rec.empty:
        return ""
    top = rec.iloc[0]
    ind = ctx.rubric.indicator(top["indicator_id"])
    return ind.next_step(int(top["from_level"]), ctx.lang)


_SECTIONS = (
    ("executive-summary", "executive_summary"),
    ("radar", "radar"),
    ("priorities", "priorities"),
    ("dimensions", "dimensions"),
    ("agreement", "agreement"),
    ("benchmark", "benchmark"),
    ("trend", "trend"),
    ("resourcing", "resourcing"),
    ("methodology", "methodology"),
)


def contents(ctx: ReportContext) -> Html:
    """A navigation bar linking to every section."""
    links = "".join(f'<a href="#{anchor}">{ctx.t(key)}</a>' for anchor, key in _SECTIONS)
    return Html(f'<nav class="toc">{links}</nav>')


def executive_summary(ctx: ReportContext) -> Html:
    """Index, level, 2007 count, weakest link and the top three priorities."""
    o = ctx.latest(ctx.result.overall).iloc[0]
    total = int(o["n_dimensions"])
    count = int(o["count_2007"])
    sentence = (
        ctx.t("count_2007_sentence", count=count, total=total)
        if count
        else ctx.t("count_2007_none")
    )
    cards = [
        (ctx.t("maturity_index"), f"{ctx.num(o['index'], 0)}", ctx.t("of_100"), "index"),
        (ctx.t("staged_level"), level_badge(ctx, o["level"]), "", "level"),
        (ctx.t("count_2007"), ctx.digits(count), f"/ {ctx.digits(total)}", "count-2007"),
        (ctx.t("weakest_link"), level_badge(ctx, o["weakest_link"]), "", "weakest"),
    ]
    card_html = "".join(
        f'<div class="card" data-metric="{m}"><div class="card-label">{k}</div>'
        f'<div class="card-value">{v}</div><div class="card-unit">{u}</div></div>'
        for k, v, u, m in cards
    )
    items = []
    # Placeholders from Unicode's private use area: esc() removes control characters, and no
    # label contains these.
    name, step_at = "\ue000", "\ue001"
    for row in _top_priorities(ctx).itertuples():
        step = esc(_first_step(ctx, row.dimension_id))
        items.append(
            "<li>"
            + ctx.t(
                "priority_sentence",
                dimension=name,
                score=ctx.num(row.score),
                target=ctx.num(row.target),
                step=step_at,
            )
            .replace(name, f"<strong>{ctx.dim_name(row.dimension_id)}</strong>")
            .replace(step_at, step)
            + "</li>"
        )
    prio = (
        f"<ol class='priorities'>{''.join(items)}</ol>"
        if items
        else (f"<p>{ctx.t('no_priorities')}</p>")
    )
    coverage = f"{ctx.t('coverage')}: {ctx.num(100 * o['coverage'], 0)}%"
    body = (
        f'<div class="cards">{card_html}</div><p class="headline">{sentence}</p>'
        f"<h3>{ctx.t('top_priorities')}</h3>{prio}<p class='note'>{coverage}</p>"
    )
    return section(ctx, "executive_summary", body)


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


def radar_section(ctx: ReportContext) -> Html:
    """Radar of the current profile against the target(s) and the peer median."""
    ax = charts.radar(
        ctx.latest(ctx.result.dimensions),
        ctx.rubric,
        targets=_radar_profiles(ctx),
        peer_median=_peer_median(ctx),
        lang=ctx.lang,
    )
    return section(ctx, "radar", figure_html(ax, label("radar", ctx.lang)))


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
    table = html_table(
        [
            ctx.t(k)
            for k in (
                "dimension",
                "score",
                "level",
                "confidence",
                "target",
                "gap",
                "weight",
                "priority",
                "gated_by",
            )
        ],
        rows,
        "priorities-table",
    )
    ax = charts.gap_bars(ctx.latest(ctx.result.dimensions), ctx.rubric, lang=ctx.lang)
    return section(ctx, "priorities", table + figure_html(ax, label("priorities", ctx.lang)))
