"""The portfolio index page a partner uses: every client's story in one row, and the failures.

Each row: the client's name (linked to its report), sector, index, change since the last
assessment, peer percentile, the care desk's FTE gap, the top move, whether the data are
stale, and links to the HTML, PDF and deck.  The table and the chart share one order (highest
index first, as :func:`~assessment.charts.portfolio_rows` sorts), and every figure comes from
:func:`~assessment.report.figures.headline`, so the index page and each report agree (issue 15).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import pandas as pd

from assessment import charts
from assessment.report.context import ReportContext
from assessment.report.figures import headline
from assessment.report.html import esc, figure_html, html_table
from assessment.report.page import page
from assessment.rubric import translate
from assessment.scoring import ScoreResult
from assessment.text import ENTRIES, format_compact, format_number, label

__all__ = ["STALE_MONTHS", "portfolio_page", "portfolio_parts", "portfolio_rows"]

#: An assessment older than this many months is flagged as stale on the portfolio page.
STALE_MONTHS = 12

_PER_CLIENT = ("answers", "indicators", "dimensions", "overall", "recommendations", "benchmark")


def _per_client(result: ScoreResult) -> dict[str, ScoreResult]:
    """Every client's slice of ``result``, split in one pass per table (not one per client)."""
    groups = {
        name: dict(tuple(frame.groupby("client_id", sort=False)))
        if frame is not None and not frame.empty and "client_id" in frame
        else {}
        for name in _PER_CLIENT
        for frame in [getattr(result, name)]
    }
    out = {}
    for cid in result.overall["client_id"].unique():
        parts = {
            name: groups[name].get(cid, getattr(result, name).iloc[0:0]).reset_index(drop=True)
            for name in _PER_CLIENT
        }
        out[str(cid)] = replace(result, **parts)
    return out


def _months_between(earlier: str, later: dt.date) -> int:
    try:
        then = dt.date.fromisoformat(str(earlier)[:10])
    except ValueError:
        return 0
    return (later.year - then.year) * 12 + later.month - then.month - (later.day < then.day)


def portfolio_rows(
    result: ScoreResult,
    clients: pd.DataFrame | None = None,
    *,
    lang: str = "en",
    today: dt.date | None = None,
) -> pd.DataFrame:
    """One row per client with the figures of its one-pager, in the portfolio's order.

    Columns: ``client_id, name, sector, date, index, level, change, percentile, fte_today,
    fte_needed, fte_gap, top_move_dimension, top_move, months_old, stale``.  ``fte_gap`` is
    the business-hours need minus today's FTE (positive: people missing).
    """
    today = today or dt.datetime.now(dt.UTC).date()
    info = (
        {str(r["client_id"]): r for r in clients.to_dict("records")} if clients is not None else {}
    )
    staffing = {"aht_minutes": 6.0, "answer_within_minutes": 60.0, "service_level": 0.8}
    rows = []
    for cid, mine in _per_client(result).items():
        client = {k: v for k, v in info.get(cid, {}).items() if v != ""}
        ctx = ReportContext(
            client_id=cid,
            rubric=result.rubric,
            result=mine,
            client={"client_id": cid, "name": cid, **client},
            lang=lang,
            staffing=staffing,
        )
        h = headline(ctx)
        move = h.moves[0] if h.moves else None
        low = h.fte_needed[0] if h.fte_needed else None
        months = _months_between(ctx.date, today)
        rows.append(
            {
                "client_id": cid,
                "name": str(ctx.client.get("name") or cid),
                "sector": str(client.get("sector", "")),
                "date": ctx.date,
                "index": h.index,
                "level": h.level,
                "change": h.change,
                "percentile": h.percentile,
                "fte_today": h.fte_now,
                "fte_needed": low,
                "fte_gap": None if low is None or h.fte_now is None else low - h.fte_now,
                "top_move_dimension": move.dimension_id if move else "",
                "top_move": move.step if move else "",
                "months_old": months,
                "stale": months > STALE_MONTHS,
            }
        )
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    return frame.sort_values(
        ["index", "client_id"], ascending=[False, True], na_position="last"
    ).reset_index(drop=True)


def _links(cid: str, outcome: Any, t: Any) -> str:
    files = set(getattr(outcome, "files", []) or [])
    links = [
        f'<a href="{esc(cid)}/{name}">{t(key)}</a>'
        for name, key in (
            ("report.html", "report"),
            ("report.pdf", "portfolio.pdf"),
            ("deck.pptx", "portfolio.deck"),
        )
        if name in files
    ]
    return " · ".join(links) or "–"


def _row(rec: Any, outcome: Any, lang: str, dim_names: Mapping[str, str]) -> list[str]:
    t = lambda key, **kw: esc(label(key, lang, **kw))  # noqa: E731
    cid = str(rec.client_id)
    name = f'<bdi data-client="{esc(cid)}">{esc(rec.name)}</bdi>'
    status = getattr(outcome, "status", "not rendered")
    has_report = "report.html" in (getattr(outcome, "files", []) or [])
    link = f'<a href="{esc(cid)}/report.html">{name}</a>' if has_report else name
    key = f"value.sector.{rec.sector}"
    sector = t(key) if key in ENTRIES else (f"<bdi>{esc(rec.sector)}</bdi>" if rec.sector else "–")
    change = "–"
    if pd.notna(rec.change):
        sign = "+" if rec.change > 0 else ("−" if rec.change < 0 else "±")
        change = f'<bdi dir="ltr">{sign}{format_number(abs(rec.change), 0)}</bdi>'
    gap = "–"
    if pd.notna(rec.fte_gap):
        sign = "+" if rec.fte_gap > 0 else ("−" if rec.fte_gap < 0 else "±")
        gap = f'<bdi dir="ltr">{sign}{format_compact(abs(rec.fte_gap), 1)}</bdi>'
    move = (
        f"<strong>{esc(dim_names.get(rec.top_move_dimension, rec.top_move_dimension))}</strong>: "
        f"{esc(rec.top_move)}"
        if rec.top_move
        else "–"
    )
    stale = (
        f'<span class="stale">{t("portfolio.stale_flag", months=int(rec.months_old))}</span>'
        if rec.stale
        else t("portfolio.fresh")
    )
    failed = f' <span class="status-failed">{t("failed")}</span>' if status == "failed" else ""
    return [
        link + failed,
        sector,
        format_number(rec.index, 0),
        change,
        format_number(rec.percentile, 0),
        gap,
        move,
        stale,
        _links(cid, outcome, t),
    ]


def _failures(outcomes: Mapping[str, Any], t: Any) -> str:
    failures = [o for o in outcomes.values() if getattr(o, "status", "") == "failed"]
    if not failures:
        return ""
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
    return f'<section id="failures"><h2>{t("failures")}</h2><ul>{items}</ul></section>'


def portfolio_parts(batch: Any, *, lang: str = "en") -> tuple[pd.DataFrame, str] | None:
    """What the portfolio index shows that does not depend on how the reports went: every
    client's row of figures (:func:`portfolio_rows`) and the chart's HTML; ``None`` without
    scores.

    A batch computes it while its reports render (issue 19: about 10 ms per client, 2 s at
    200 clients, no longer after the last report).
    """
    rubric = batch.result.rubric if batch.result is not None else None
    if rubric is None or batch.summary.empty:
        return None
    ids = set(batch.summary["client_id"])
    rows = portfolio_rows(batch.result, batch.clients, lang=lang)
    rows = rows.loc[rows["client_id"].isin(ids)].reset_index(drop=True)
    ax = charts.portfolio(batch.summary, rubric=rubric, lang=lang)
    return rows, figure_html(ax, label("portfolio_title", lang))


def portfolio_page(
    batch: Any,
    outcomes: Mapping[str, Any],
    *,
    lang: str = "en",
    parts: tuple[pd.DataFrame, str] | None = None,
) -> str:
    """The portfolio index: every client's headline figures, links and failures.

    ``parts`` is :func:`portfolio_parts` when computed already (computed here otherwise).
    """
    t = lambda key, **kw: esc(label(key, lang, **kw))  # noqa: E731
    rubric = batch.result.rubric if batch.result is not None else None
    chart, table = "", ""
    if parts is None:
        parts = portfolio_parts(batch, lang=lang)
    if rubric is not None and parts is not None:
        rows, chart = parts
        dim_names = {d.id: translate(d.name, lang) for d in rubric.dimensions}
        keys = ["client", "sector", "maturity_index", "portfolio.change", "percentile"]
        keys += ["portfolio.fte_gap", "portfolio.top_move", "portfolio.stale", "portfolio.files"]
        table = html_table(
            [t(k) for k in keys],
            [_row(r, outcomes.get(r.client_id), lang, dim_names) for r in rows.itertuples()],
            "portfolio-table",
        )
    body = (
        f'<header class="report-header"><p class="eyebrow">{esc(batch.rubric_label)}</p>'
        f"<h1>{t('portfolio_title')}</h1></header>{chart}{table}{_failures(outcomes, t)}"
    )
    return page(body, title=label("portfolio_title", lang), lang=lang)
