"""The portfolio index page: every client's headline numbers, links and failures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from assessment import charts
from assessment.report.html import esc, figure_html, html_table
from assessment.report.page import page
from assessment.rubric import translate
from assessment.text import format_number, label

__all__ = ["portfolio_page"]


def portfolio_page(batch: Any, outcomes: Mapping[str, Any], *, lang: str = "en") -> str:
    """The portfolio index: every client's headline numbers, links and failures."""
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
    table = html_table(
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
