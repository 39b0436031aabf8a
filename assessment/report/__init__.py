"""The client report: sections of HTML built from a score, and the self-contained page.

The report notebook (``notebooks/client_report.ipynb``) is a thin script over this module: it
calls :func:`prepare` once, then one function per section, each returning an
:class:`IPython.display.HTML` object.  Every user-supplied string (client names, comments,
evidence, rubric texts) passes through :func:`esc`; charts are embedded as base64 PNG so the
exported file loads nothing from the network.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import functools
import html
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from assessment import __version__
from assessment.rubric import Rubric, load_rubric, missing_translations, translate
from assessment.scoring import ScoreResult, score
from assessment.text import direction, format_digits, format_number, label

__all__ = [
    "SECTIONS",
    "ReportContext",
    "agreement_section",
    "benchmark_section",
    "contents",
    "dimension_sections",
    "esc",
    "executive_summary",
    "header",
    "methodology",
    "page",
    "prepare",
    "priorities_section",
    "radar_section",
    "resourcing_section",
    "trend_section",
]


def esc(value: object) -> str:
    """HTML-escape any value (quotes included) for safe inclusion in the report."""
    return html.escape("" if value is None else str(value), quote=True)


class Html:
    """A minimal rich-display object: renders as ``text/html`` in Jupyter.

    Used instead of :class:`IPython.display.HTML` so this module does not import IPython, and
    so the HTML is kept verbatim (no sanitising or warnings about iframes).
    """

    def __init__(self, markup: str) -> None:
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __str__(self) -> str:
        return self.markup

    def __repr__(self) -> str:  # plain-text fallback stays short: the report is HTML
        return f"<Html section, {len(self.markup)} characters>"


@dataclass
class ReportContext:
    """Everything the sections need, for one client and language."""

    client_id: str
    rubric: Rubric
    result: ScoreResult  # restricted to the client (all of its assessment dates)
    client: Mapping[str, Any]
    lang: str = "en"
    numerals: str = "western"
    radar_targets: Sequence[str] = ()
    staffing: Mapping[str, float] = field(default_factory=dict)
    sources: Mapping[str, str] = field(default_factory=dict)
    run_date: str = ""
    clients: pd.DataFrame | None = None

    @property
    def date(self) -> str:
        """The latest assessment date of the client."""
        return str(self.result.overall["date"].max())

    def latest(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Rows of ``frame`` for the latest assessment."""
        return frame.loc[frame["date"] == self.date].reset_index(drop=True)

    def t(self, key: str, **values: object) -> str:
        """Label ``key`` in the report language, HTML-escaped, in the report's numerals."""
        return esc(self.digits(label(key, self.lang, **values)))

    def digits(self, text: object) -> str:
        """``text`` with its digits in the report's numerals (dates, counts, labels)."""
        return format_digits(str(text), self.numerals)

    def num(self, value: float | None, digits: int = 1) -> str:
        """A formatted number in the report's numerals."""
        return format_number(value, digits, numerals=self.numerals)

    def tr(self, text: Mapping[str, str] | None) -> str:
        """A rubric text in the report language, HTML-escaped."""
        return esc(translate(text, self.lang))

    def dim_name(self, dimension_id: str) -> str:
        """Escaped name of a dimension."""
        return self.tr(self.rubric.dimension(dimension_id).name)


def prepare(
    client_id: str,
    *,
    rubric: str | Path | Rubric = "social-media",
    answers: str | Path | Sequence[str | Path],
    clients: str | Path | None = None,
    peers: str | Path | None = None,
    targets: str | Path | None = None,
    lang: str = "en",
    numerals: str = "western",
    radar_targets: Sequence[str] = (),
    bootstrap: int = 1000,
    aht_minutes: float = 6.0,
    answer_within_minutes: float = 60.0,
    service_level: float = 0.8,
) -> ReportContext:
    """Load the inputs, score them and keep what one client's report needs.

    Parameters
    ----------
    client_id
        The client to report on.
    rubric, answers, clients, peers, targets
        As for ``maturity score``: a rubric name or path, one or more answer files and the
        optional tables.
    lang
        Report language (``en`` or ``ar``); texts without a translation fall back to English.
    numerals
        ``western`` or ``arabic-indic`` digits.
    radar_targets
        Extra target profiles to draw on the radar besides the client's own.
    bootstrap
        Resamples for the dimension confidence intervals (0 to skip).
    aht_minutes, answer_within_minutes, service_level
        Care-desk assumptions for the resourcing section (message volume and current FTE come
        from the clients table columns ``messages_per_day`` and ``social_fte``).

    Raises
    ------
    assessment.exceptions.InputError
        When a file is invalid or the client has no answers.
    """
    from assessment.exceptions import ParameterError
    from assessment.inputs import check_safe_id, load_inputs

    check_safe_id(client_id)
    rub = rubric if isinstance(rubric, Rubric) else load_rubric(rubric)
    files = [answers] if isinstance(answers, str | Path) else list(answers)
    data = load_inputs(files, rub, clients=clients, peers=peers, targets=targets)
    answer_df, client_df, peer_df, target_df = data.answers, data.clients, data.peers, data.targets
    mine = answer_df.loc[answer_df["client_id"] == client_id]
    if mine.empty:
        raise ParameterError(f"client {client_id!r} has no answers in {', '.join(map(str, files))}")
    result = score(
        rub, mine, clients=client_df, peers=peer_df, targets=target_df, bootstrap=bootstrap
    )
    info: dict[str, Any] = {"client_id": client_id, "name": client_id}
    if client_df is not None:
        row = client_df.loc[client_df["client_id"] == client_id]
        if not row.empty:
            info.update({k: v for k, v in row.iloc[0].items() if v != ""})
    staffing = {
        "aht_minutes": aht_minutes,
        "answer_within_minutes": answer_within_minutes,
        "service_level": service_level,
    }
    return ReportContext(
        client_id=client_id,
        rubric=rub,
        result=result,
        client=info,
        lang=lang,
        numerals=numerals,
        radar_targets=tuple(radar_targets),
        staffing=staffing,
        sources=answer_df.attrs.get("sources", {}),
        run_date=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        clients=client_df,
    )


# -- small HTML helpers ------------------------------------------------------------------------


#: zlib level of the report's PNGs.  On the sample clients' charts level 4 is the knee:
#: lower levels save under a millisecond a chart but grow the files by a sixth; higher
#: ones save 1-2% of the size for a quarter more encoding time.
PNG_COMPRESS_LEVEL = 4


def figure_html(ax: Any, alt: str, *, dpi: int = 120) -> str:
    """The Axes' figure as an inline base64 PNG ``<img>`` (no files, no network).

    The charts lay themselves out (:class:`~assessment.charts.FitLayout` or fixed margins),
    so no "tight" bounding box is requested: that would draw every figure twice.  The PNG is
    ``dpi`` x the figure size in inches, in pixels.
    """
    from assessment.charts import figure_to_png_bytes

    png = figure_to_png_bytes(ax.figure, dpi=dpi, compress_level=PNG_COMPRESS_LEVEL)
    data = base64.b64encode(png).decode("ascii")
    return f'<figure><img alt="{esc(alt)}" src="data:image/png;base64,{data}"></figure>'


def _table(headers: Iterable[str], rows: Iterable[Iterable[str]], cls: str = "") -> str:
    """An HTML table; cells must already be escaped."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _section(ctx: ReportContext, key: str, body: str, anchor: str | None = None) -> Html:
    anchor = anchor or key.replace("_", "-")
    return Html(f'<section id="{esc(anchor)}"><h2>{ctx.t(key)}</h2>{body}</section>')


def _level_badge(ctx: ReportContext, level: float | None) -> str:
    if level is None or pd.isna(level):
        return "–"
    lvl = int(level)
    return (
        f'<span class="badge level-{lvl}">L{lvl} {esc(ctx.rubric.level_name(lvl, ctx.lang))}</span>'
    )


# -- sections ----------------------------------------------------------------------------------


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
        (ctx.t("staged_level"), _level_badge(ctx, o["level"]), "", "level"),
        (ctx.t("count_2007"), ctx.digits(count), f"/ {ctx.digits(total)}", "count-2007"),
        (ctx.t("weakest_link"), _level_badge(ctx, o["weakest_link"]), "", "weakest"),
    ]
    card_html = "".join(
        f'<div class="card" data-metric="{m}"><div class="card-label">{k}</div>'
        f'<div class="card-value">{v}</div><div class="card-unit">{u}</div></div>'
        for k, v, u, m in cards
    )
    items = []
    for row in _top_priorities(ctx).itertuples():
        step = esc(_first_step(ctx, row.dimension_id))
        items.append(
            "<li>"
            + ctx.t(
                "priority_sentence",
                dimension="\x00",
                score=ctx.num(row.score),
                target=ctx.num(row.target),
                step="\x01",
            )
            .replace("\x00", f"<strong>{ctx.dim_name(row.dimension_id)}</strong>")
            .replace("\x01", step)
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
    return _section(ctx, "executive_summary", body)


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
    from assessment import charts

    ax = charts.radar(
        ctx.latest(ctx.result.dimensions),
        ctx.rubric,
        targets=_radar_profiles(ctx),
        peer_median=_peer_median(ctx),
        lang=ctx.lang,
    )
    return _section(ctx, "radar", figure_html(ax, label("radar", ctx.lang)))


def priorities_section(ctx: ReportContext) -> Html:
    """Dimensions ranked by priority (weight x gap) with gates and intervals."""
    from assessment import charts

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
                _level_badge(ctx, r.level),
                ci,
                ctx.num(r.target),
                ctx.num(r.gap, 2),
                ctx.num(r.weight, 2),
                ctx.num(r.priority, 3),
                gate or "",
            ]
        )
    table = _table(
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
    return _section(ctx, "priorities", table + figure_html(ax, label("priorities", ctx.lang)))


def _answer_text(ctx: ReportContext, row: Any) -> str:
    if row.status == "na":
        return ctx.t("na")
    if row.status == "missing":
        return ctx.t("missing")
    ind = ctx.rubric.indicator(row.indicator_id)
    if ind.kind == "measured":
        return f"{ctx.num(row.value, 2)} {esc(ind.unit or '')}".strip()
    if ind.kind == "boolean":
        return ctx.t("yes") if row.level == ind.yes_level else ctx.t("no")
    return f"L{ctx.num(row.level)}"


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
            ind = ctx.rubric.indicator(r.indicator_id)
            lvl = int(np.floor(r.level)) if not pd.isna(r.level) else None
            observed = esc(ind.level_text(lvl, ctx.lang)) if lvl in ind.levels else "–"
            step = esc(ind.next_step(lvl, ctx.lang)) if lvl and r.gap > 0 else ""
            star = "" if ind.sources else "*"
            rows.append(
                [
                    ctx.tr(ind.name) + star,
                    _answer_text(ctx, r),
                    observed,
                    step,
                ]
            )
        table = _table(
            [ctx.t("indicator"), ctx.t("answer"), ctx.t("what_it_means"), ctx.t("next_step")],
            rows,
            "indicator-table",
        )
        notes = comments.loc[comments["dimension_id"] == d.dimension_id]
        quotes = "".join(
            f"<li><span class='who'>{esc(q.respondent)}"
            f"{' (' + esc(q.role) + ')' if q.role else ''}</span>: {esc(q.comment)}</li>"
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
                        translate(ctx.rubric.indicator(g).name, ctx.lang)
                        for g in d.capped_by.split(",")
                    )
                )
                + "</p>"
            )
        parts.append(
            f'<article class="dimension" id="dim-{esc(d.dimension_id)}">'
            f"<h3>{ctx.dim_name(d.dimension_id)}</h3>"
            f"<p class='dim-stats'>{ctx.t('score')} <strong>{ctx.num(d.score, 2)}</strong> · "
            f"{_level_badge(ctx, d.level)} · {ctx.t('target')} {ctx.num(d.target)} · "
            f"{ctx.t('gap')} {ctx.num(d.gap, 2)}</p>"
            f"<p class='dim-level'>{level_text}</p>{gated}{table}{evidence}</article>"
        )
    note = f"<p class='note'>{ctx.t('proposal_note')}</p>"
    return Html(f'<section id="dimensions">{"".join(parts)}{note}</section>')


def agreement_section(ctx: ReportContext) -> Html:
    """Respondent spread per indicator and the disagreement hotspots."""
    from assessment import charts

    inds = ctx.latest(ctx.result.indicators)
    intro = f"<p>{ctx.t('agreement_intro', threshold=ctx.result.options.rwg_threshold)}</p>"
    if inds["n"].max() < 2:
        return _section(ctx, "agreement", intro + f"<p>{ctx.t('no_hotspots')}</p>")
    hot = inds.loc[inds["hotspot"]].sort_values("rwg")
    if hot.empty:
        hot_html = f"<p>{ctx.t('no_hotspots')}</p>"
    else:
        rows = [
            [
                ctx.tr(ctx.rubric.indicator(r.indicator_id).name),
                ctx.dim_name(r.dimension_id),
                ctx.num(r.rwg, 2),
                ctx.num(r.iqr, 1),
                f"{ctx.num(r.range, 0)}",
            ]
            for r in hot.itertuples()
        ]
        hot_html = f"<h3>{ctx.t('hotspots')}</h3>" + _table(
            [ctx.t("indicator"), ctx.t("dimension"), "r<sub>wg</sub>", ctx.t("spread"), "Δ"],
            rows,
            "hotspot-table",
        )
    ax = charts.agreement(ctx.result, client_id=ctx.client_id, date=ctx.date, lang=ctx.lang)
    return _section(
        ctx, "agreement", intro + figure_html(ax, label("agreement", ctx.lang)) + hot_html
    )


def benchmark_section(ctx: ReportContext) -> Html:
    """Percentile of the index and each dimension within the peer group."""
    from assessment import charts

    bench = ctx.latest(ctx.result.benchmark)
    if bench.empty:
        return _section(ctx, "benchmark", f"<p>{ctx.t('no_peers')}</p>")
    idx = bench.loc[bench["measure"] == "index"].iloc[0]
    floor = ctx.result.options.anonymity_floor
    if pd.isna(idx["percentile"]):
        return _section(ctx, "benchmark", f"<p>{ctx.t('benchmark_suppressed', floor=floor)}</p>")
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
    table = _table(
        [ctx.t("dimension"), ctx.t("score"), ctx.t("peer_median"), ctx.t("percentile")],
        rows,
        "benchmark-table",
    )
    group = (
        f"<p class='note'>{ctx.t('peer_group')}: {esc(idx['peer_group'])} · "
        f"{ctx.t('n_peers')}: {int(idx['n_peers'])}</p>"
    )
    ax = charts.benchmark_distribution(
        ctx.result, client_id=ctx.client_id, date=ctx.date, clients=ctx.clients, lang=ctx.lang
    )
    return _section(ctx, "benchmark", figure_html(ax, label("benchmark", ctx.lang)) + group + table)


def trend_section(ctx: ReportContext) -> Html:
    """Index and dimension scores across this client's assessments."""
    from assessment import charts

    overall = ctx.result.overall.sort_values("date")
    if len(overall) < 2:
        return _section(ctx, "trend", f"<p>{ctx.t('no_trend')}</p>")
    prev, last = overall.iloc[-2], overall.iloc[-1]
    dims = ctx.result.dimensions.pivot(index="dimension_id", columns="date", values="score")
    rows = [
        [
            ctx.t("maturity_index"),
            ctx.num(prev["index"], 0),
            ctx.num(last["index"], 0),
            _signed(ctx, last["index"] - prev["index"], 0),
        ]
    ]
    for d in ctx.rubric.dimensions:
        a, b = dims.loc[d.id, prev["date"]], dims.loc[d.id, last["date"]]
        rows.append([ctx.dim_name(d.id), ctx.num(a, 2), ctx.num(b, 2), _signed(ctx, b - a, 2)])
    table = _table(
        ["", esc(ctx.digits(prev["date"])), esc(ctx.digits(last["date"])), ctx.t("change")],
        rows,
        "trend-table",
    )
    ax = charts.trend(ctx.result, client_id=ctx.client_id, show="both", lang=ctx.lang)
    return _section(ctx, "trend", figure_html(ax, label("trend", ctx.lang)) + table)


def _signed(ctx: ReportContext, value: float, digits: int) -> str:
    if pd.isna(value):
        return "–"
    cls = "up" if value > 0 else ("down" if value < 0 else "flat")
    sign = "+" if value > 0 else ""
    return f"<span class='{cls}'>{sign}{ctx.num(value, digits)}</span>"


def resourcing_section(ctx: ReportContext) -> Html:
    """Care-desk staffing (Erlang C) for each coverage option against today's FTE."""
    from assessment import charts
    from assessment.scoring.staffing import staffing_table

    volume = pd.to_numeric(pd.Series([ctx.client.get("messages_per_day")]), errors="coerce")[0]
    if pd.isna(volume):
        return _section(ctx, "resourcing", f"<p>{ctx.t('resourcing_missing')}</p>")
    fte = pd.to_numeric(pd.Series([ctx.client.get("social_fte")]), errors="coerce")[0]
    table = staffing_table(
        messages_per_day=float(volume),
        aht_minutes=ctx.staffing["aht_minutes"],
        answer_within_minutes=ctx.staffing["answer_within_minutes"],
        service_level=ctx.staffing["service_level"],
        current_fte=None if pd.isna(fte) else float(fte),
    )
    rows = [
        [
            esc(cov),
            ctx.num(r.coverage_hours_per_week, 0),
            f"{int(r.agents)}",
            ctx.num(100 * r.service_level, 0) + "%",
            ctx.num(r.fte, 1),
            ctx.num(r.current_fte, 1),
        ]
        for cov, r in zip(table.index, table.itertuples(), strict=True)
    ]
    html_table = _table(
        ["coverage", "h/week", "agents", "service level", "FTE", "FTE today"],
        rows,
        "staffing-table",
    )
    intro = (
        f"<p>{esc(int(volume))} messages/day · AHT {ctx.num(ctx.staffing['aht_minutes'], 0)} min "
        f"· {ctx.num(100 * ctx.staffing['service_level'], 0)}% within "
        f"{ctx.num(ctx.staffing['answer_within_minutes'], 0)} min (Erlang C)</p>"
    )
    ax = charts.staffing_chart(table, lang=ctx.lang)
    return _section(
        ctx, "resourcing", intro + figure_html(ax, label("resourcing", ctx.lang)) + html_table
    )


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
    weights = _table(
        [ctx.t("dimension"), ctx.t("weight")],
        [[ctx.tr(d.name), ctx.num(d.weight, 3)] for d in r.dimensions],
        "weights-table",
    )
    formula = ctx.t("formula_note", aggregate=opts.aggregate, share=round(100 * opts.staged_share))
    cited = {s for _, i in r.iter_indicators() for s in i.sources}
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
    return _section(ctx, "methodology", body)


# -- page --------------------------------------------------------------------------------------

CSS = """
:root{--ink:#1d2433;--muted:#5b6475;--line:#d8dde6;--accent:#0072B2;--bg:#ffffff;
--l1:#440154;--l2:#3b528b;--l3:#21918c;--l4:#5ec962;--l5:#fde725}
*{box-sizing:border-box}
body{margin:0;background:#f4f6f9;color:var(--ink);
font:15px/1.55 "Noto Naskh Arabic","Noto Sans","DejaVu Sans",system-ui,sans-serif}
main.report{max-width:960px;margin:24px auto;background:var(--bg);padding:40px 48px;
box-shadow:0 1px 4px rgba(0,0,0,.08)}
h1{font-size:30px;margin:.1em 0}h2{font-size:22px;border-bottom:2px solid var(--accent);
padding-bottom:4px;margin-top:2em}h3{font-size:17px;margin-top:1.4em}h4{font-size:15px}
.eyebrow{color:var(--accent);text-transform:uppercase;letter-spacing:.06em;font-size:12px;margin:0}
.subtitle{color:var(--muted);margin-top:0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;font-size:14px}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
.cards{display:grid;grid-template-columns:repeat(4,1fr);gap:12px;margin:12px 0}
.card{border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.card-label{color:var(--muted);font-size:12px}.card-value{font-size:28px;font-weight:700}
.card-unit{color:var(--muted);font-size:12px}
.headline{font-size:17px;font-weight:600}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:13px;font-weight:600;
color:#111;white-space:nowrap}
.level-1,.level-2,.level-3{color:#fff}.level-1{background:var(--l1)}.level-2{background:var(--l2)}
.level-3{background:var(--l3)}.level-4{background:var(--l4)}.level-5{background:var(--l5)}
table{border-collapse:collapse;width:100%;margin:10px 0;font-size:13.5px}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:start;vertical-align:top}
th{background:#f0f3f7;font-weight:600}
figure{margin:12px 0;text-align:center}figure img{max-width:100%;height:auto}
.note{color:var(--muted);font-size:13px}.gate{color:#b3001b;font-weight:600}
.up{color:#007a55;font-weight:600}.down{color:#b3001b;font-weight:600}
ul.evidence li{margin:4px 0}.who{color:var(--muted)}
article.dimension{border-top:1px solid var(--line);padding-top:6px}
nav.toc{font-size:13px;color:var(--muted)}nav.toc a{margin-inline-end:12px}
a{color:var(--accent)}
.jp-Cell,.jp-OutputArea,.jp-OutputArea-child,.jp-OutputArea-output,.jp-RenderedHTMLCommon{
margin:0;padding:0;border:0}
.jp-OutputPrompt,.jp-InputPrompt{display:none}
.error-output pre,.jp-RenderedText pre{white-space:pre-wrap;background:#fff3f0;padding:8px;
border-inline-start:4px solid #b3001b;font-size:12px}
footer{margin-top:3em;color:var(--muted);font-size:12px;text-align:center}
.status-failed{color:#b3001b;font-weight:700}.status-ok{color:#007a55}
.status-pending{color:var(--muted)}
@media print{body{background:#fff}main.report{box-shadow:none;margin:0;max-width:none;padding:0}
section,article{break-inside:avoid-page}h2{break-after:avoid}}
@page{size:A4;margin:16mm}
"""


#: The report's sections in page order, as ``notebooks/client_report.ipynb`` calls them (one
#: cell each); a test keeps the two in step.
SECTIONS: tuple[Callable[[ReportContext], Html], ...] = (
    header,
    contents,
    executive_summary,
    radar_section,
    priorities_section,
    dimension_sections,
    agreement_section,
    benchmark_section,
    trend_section,
    resourcing_section,
    methodology,
)


def page(body: str, *, title: str, lang: str = "en") -> str:
    """Wrap ``body`` (already escaped HTML) in a complete, self-contained page.

    No external scripts, stylesheets or fonts: the CSS is inline and images are data URIs.
    """
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}" dir="{direction(lang)}">\n<head>\n'
        '<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, '
        'initial-scale=1">\n'
        f'<meta name="generator" content="assessment {esc(__version__)}">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f'<main class="report">\n{body}\n<footer>{esc(label("generated_by", lang))} '
        f"{esc(__version__)}</footer>\n</main>\n</body>\n</html>\n"
    )


# -- notebook -> HTML --------------------------------------------------------------------------


def notebook_to_html(nb: Any, *, title: str, lang: str = "en") -> str:
    """Export an executed report notebook as one self-contained HTML page.

    Code, prompts and the injected-parameters cell are dropped; so are stream outputs (stray
    prints and warnings stay in the ``.ipynb`` for debugging but are not part of a client
    deliverable).  Error outputs are kept, so a failed report shows where it failed.
    """
    import copy

    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        cell["outputs"] = [
            out
            for out in cell.get("outputs", [])
            if out.get("output_type") != "stream"
            and not (
                out.get("output_type") in ("execute_result", "display_data")
                and set(out.get("data", {})) <= {"text/plain"}
            )
        ]
    with _EXPORT_LOCK:  # an exporter registers per-call filters on itself
        body, _ = _html_exporter().from_notebook_node(nb)
    return page(body, title=title, lang=lang)


_EXPORT_LOCK = threading.Lock()


@functools.cache
def _html_exporter() -> Any:
    """One HTML exporter per process: its Jinja environment compiles the templates once.

    A new exporter per report recompiled them every time (about half of the export's cost);
    the fast engine's fork server builds this one while rehearsing, so every job runner
    inherits the compiled templates.
    """
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_markdown=False,
    )
    exporter.register_preprocessor(_strip_tags(), enabled=True)
    return exporter


def _strip_tags() -> Any:
    from nbconvert.preprocessors import TagRemovePreprocessor

    return TagRemovePreprocessor(
        remove_cell_tags={"injected-parameters", "parameters", "remove-cell"}, enabled=True
    )


# -- portfolio index ---------------------------------------------------------------------------


def portfolio_page(batch: Any, outcomes: Mapping[str, Any], *, lang: str = "en") -> str:
    """The portfolio index: every client's headline numbers, links and failures."""
    from assessment import charts

    t = lambda key, **kw: esc(label(key, lang, **kw))  # noqa: E731
    rubric = batch.result.rubric if batch.result is not None else None
    summary = batch.summary
    dim_names = (
        {d.id: translate(d.name, lang) for d in rubric.dimensions} if rubric is not None else {}
    )
    rows = []
    for rec in summary.itertuples(index=False):
        cid = str(rec.client_id)
        outcome = outcomes.get(cid)
        status = getattr(outcome, "status", "not rendered")
        has_report = outcome is not None and "report.html" in getattr(outcome, "files", [])
        name = esc(getattr(rec, "name", "") or cid)
        link = f'<a href="{esc(cid)}/report.html">{name}</a>' if has_report else name
        badge = {"ok": "ok", "skipped": "ok", "failed": "failed"}.get(status, "pending")
        rows.append(
            [
                link,
                f"<code>{esc(cid)}</code>",
                esc(rec.date),
                format_number(rec.index, 0),
                f'<span class="badge level-{int(rec.level)}">L{int(rec.level)}</span>'
                if pd.notna(rec.level)
                else "–",
                esc(rec.count_2007),
                esc(dim_names.get(rec.top_gap, rec.top_gap)),
                f'<span class="status-{badge}">{esc(status)}</span>',
            ]
        )
    table = _table(
        [
            t("client"),
            "id",
            t("assessment_date"),
            t("maturity_index"),
            t("level"),
            t("count_2007"),
            t("top_gap"),
            t("status"),
        ],
        rows,
        "portfolio-table",
    )
    failures = [o for o in outcomes.values() if getattr(o, "status", "") == "failed"]
    fail_html = ""
    if failures:
        items = "".join(
            f"<li><code>{esc(o.client_id)}</code>: "
            + (f"cell {esc(o.failed_cell)}: " if o.failed_cell is not None else "")
            + f"{esc(o.error)}"
            + (f"<pre>{esc(o.failed_source)}</pre>" if o.failed_source else "")
            + (
                f' (<a href="{esc(o.client_id)}/report.ipynb">notebook</a>)'
                if "report.ipynb" in o.files or o.failed_cell is not None
                else ""
            )
            + "</li>"
            for o in failures
        )
        fail_html = f'<section id="failures"><h2>{t("failures")}</h2><ul>{items}</ul></section>'
    chart = ""
    if rubric is not None and not summary.empty:
        ax = charts.portfolio(summary, rubric=rubric, lang=lang)
        chart = figure_html(ax, label("portfolio_title", lang))
    body = (
        f'<header class="report-header"><p class="eyebrow">{esc(batch.rubric_label)}</p>'
        f"<h1>{t('portfolio_title')}</h1></header>{chart}{table}{fail_html}"
    )
    return page(body, title=label("portfolio_title", lang), lang=lang)
