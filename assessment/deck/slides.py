"""The steering-committee deck: one slide per question a committee asks (issue 15).

Title; the one-pager (six answers and the first three moves); the profile (radar); the
roadmap by horizon; the peer benchmark; people; the next decisions.  A slide with nothing to
say is left out, as in the report.  Every figure comes from
:mod:`assessment.report.figures`, so the deck and the report agree to the digit.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.util import Emu, Inches

from assessment.charts import figure_to_png_bytes
from assessment.deck.shapes import ACCENT, MUTED, add_table, add_text
from assessment.files import atomic_path
from assessment.report import ReportContext, radar_chart
from assessment.report.details import has_benchmark
from assessment.report.figures import MOVES_PER_HORIZON, Headline, Move, headline, roadmap
from assessment.report.figures import staffing as staffing_table
from assessment.rubric import HORIZONS, translate
from assessment.text import (
    format_compact,
    format_digits,
    format_number,
    format_ordinal,
    label,
    strip_controls,
)

__all__ = ["build_deck", "write_deck"]

#: 16:9 slides.
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.6)
_BODY = (MARGIN, Inches(1.45), WIDTH - 2 * MARGIN, HEIGHT - Inches(2.0))


class _Deck:
    """A presentation being built for one report context."""

    def __init__(self, ctx: ReportContext) -> None:
        self.ctx = ctx
        self.lang = ctx.lang
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = WIDTH, HEIGHT
        self.blank = self.prs.slide_layouts[6]

    def t(self, key: str, **values: object) -> str:
        """A plain-text label in the deck's language and numerals."""
        return format_digits(label(key, self.lang, **values), self.ctx.numerals)

    def num(self, value: float | None, digits: int = 0) -> str:
        return format_number(value, digits, numerals=self.ctx.numerals)

    def dim(self, dimension_id: str) -> str:
        return translate(self.ctx.rubric.dimension(dimension_id).name, self.lang)

    def slide(self, title: str) -> Any:
        """A blank slide with its title, and the confidentiality line at the foot."""
        slide = self.prs.slides.add_slide(self.blank)
        add_text(
            slide,
            (MARGIN, Inches(0.4), WIDTH - 2 * MARGIN, Inches(0.9)),
            [title],
            self.lang,
            size=28,
            bold=True,
            color=ACCENT,
        )
        add_text(
            slide,
            (MARGIN, HEIGHT - Inches(0.5), WIDTH - 2 * MARGIN, Inches(0.35)),
            [self.t("confidential", client=self.client)],
            self.lang,
            size=9,
            color=MUTED,
        )
        return slide

    @property
    def client(self) -> str:
        """The client's name as a first-strong isolate (U+2068 ... U+2069): a user string
        whose brackets and full stop stay where its writer put them, in either direction."""
        name = strip_controls(str(self.ctx.client.get("name") or self.ctx.client_id))
        return "\u2068" + name + "\u2069"

    def picture(self, slide: Any, ax: Any, box: tuple[int, int, int, int]) -> Any:
        """A chart as a PNG picture, fitted into ``box`` and centred (aspect kept)."""
        png = figure_to_png_bytes(ax.figure, dpi=150, compress_level=4)
        w_in, h_in = ax.figure.get_size_inches()
        left, top, width, height = box
        scale = min(width / w_in, height / h_in)
        w, h = int(w_in * scale), int(h_in * scale)
        return slide.shapes.add_picture(
            io.BytesIO(png),
            Emu(left + (width - w) // 2),
            Emu(top + (height - h) // 2),
            Emu(w),
            Emu(h),
        )


def _title(d: _Deck) -> None:
    slide = d.prs.slides.add_slide(d.blank)
    ctx = d.ctx
    add_text(
        slide,
        (MARGIN, Inches(2.2), WIDTH - 2 * MARGIN, Inches(3.2)),
        [
            (d.client, {"size": 40, "bold": True}),
            (d.t("report_title"), {"size": 24, "color": ACCENT}),
            (f"{d.t('assessment_date')}: {format_digits(ctx.date, ctx.numerals)}", {"size": 16}),
            (d.t("confidential", client=d.client), {"size": 12, "color": MUTED}),
        ],
        d.lang,
    )


def _answers(d: _Deck, h: Headline) -> list[list[str]]:
    """The one-pager's six answers as table rows: question, figure, what it means."""
    rows = [
        [
            d.t("onepager.where"),
            f"{d.num(h.index)} / {d.num(100)}",
            d.t("onepager.weakest", dimension=d.dim(h.weakest_id), level=h.weakest_level)
            if h.weakest_id
            else "–",
        ]
    ]
    if h.target_index is not None and h.index is not None:
        gap = h.target_index - h.index
        rows.append(
            [
                d.t("onepager.target"),
                d.num(h.target_index),
                d.t("onepager.points_to_go", points=gap) if gap > 0 else d.t("onepager.at_target"),
            ]
        )
    if h.percentile is not None:
        rows.append(
            [
                d.t("onepager.compare"),
                d.t(
                    "onepager.percentile_value",
                    pct=format_ordinal(h.percentile) if d.lang == "en" else h.percentile,
                ),
                d.t(f"onepager.peers.{h.peer_group or 'all'}", n=h.n_peers),
            ]
        )
    if h.change is not None:
        sign = "+" if h.change > 0 else ("−" if h.change < 0 else "±")
        rows.append(
            [
                d.t("onepager.moved"),
                "\u2066" + sign + d.num(abs(h.change)) + "\u2069",  # isolated: "+11", not "11+"
                d.t("onepager.since", date=h.previous_date, before=h.previous_index, after=h.index),
            ]
        )
    if h.fte_needed is not None and h.fte_now is not None:
        low, high = (format_compact(v, 1) for v in h.fte_needed)
        rows.append(
            [
                d.t("onepager.people"),
                d.t("onepager.fte_today", fte=format_compact(h.fte_now, 1)),
                d.t("onepager.fte_needed", low=low, high=high),
            ]
        )
    rows.append(
        [
            d.t("count_2007"),
            f"{d.num(h.count_2007)} / {d.num(h.n_dimensions)}",
            d.t("count_2007_sentence", count=h.count_2007, total=h.n_dimensions)
            if h.count_2007
            else d.t("count_2007_none"),
        ]
    )
    return rows


def _move_line(d: _Deck, move: Move) -> str:
    parts = [f"{d.dim(move.dimension_id)}: {move.step}"]
    meta = [d.t(f"roadmap.horizon.{move.horizon}")] if move.horizon else []
    if move.owner_role:
        meta.append(_role(d, move.owner_role))
    if move.quick_win:
        meta.append(d.t("quick_win"))
    return " ".join(parts) + (f" ({', '.join(meta)})" if meta else "")


def _role(d: _Deck, role_id: str) -> str:
    role = next((r for r in d.ctx.rubric.roles if r.id == role_id), None)
    return translate(role.name, d.lang) if role is not None else role_id


def _one_pager(d: _Deck, h: Headline) -> None:
    slide = d.slide(d.t("executive_summary"))
    left, top, width, _ = _BODY
    rows = _answers(d, h)
    add_table(
        slide,
        (left, top, width, Inches(0.45) * (len(rows) + 1)),
        [],
        rows,
        d.lang,
        size=13,
        widths=[2.2, 1.6, 5.2],
    )
    moves = [(d.t("onepager.first_moves"), {"bold": True, "size": 16})]
    moves += [f"{i}. {_move_line(d, m)}" for i, m in enumerate(h.moves, start=1)]
    add_text(
        slide,
        (left, top + Inches(0.45) * (len(rows) + 1) + Inches(0.3), width, Inches(2.0)),
        moves,
        d.lang,
        size=13,
    )


def _radar(d: _Deck) -> None:
    slide = d.slide(d.t("radar"))
    d.picture(slide, radar_chart(d.ctx), _BODY)


def _roadmap(d: _Deck) -> None:
    plan = roadmap(d.ctx)
    if not any(plan.by_horizon.values()):
        return
    slide = d.slide(d.t("roadmap"))
    rows = []
    for horizon in (*HORIZONS, ""):
        moves = sorted(plan.by_horizon.get(horizon, []), key=lambda m: (not m.quick_win, m.rank))
        title = d.t(f"roadmap.horizon.{horizon or 'none'}")
        if horizon and plan.projected.get(horizon) is not None:
            title += f" → {d.num(plan.projected[horizon])}"
        for i, m in enumerate(moves[: min(MOVES_PER_HORIZON, 3)]):
            rows.append(
                [
                    title if i == 0 else "",
                    f"{d.dim(m.dimension_id)}: {m.step}"
                    + (f" ({d.t('quick_win')})" if m.quick_win else ""),
                    d.t(f"effort.{m.effort}") if m.effort else "–",
                    _role(d, m.owner_role) if m.owner_role else "–",
                ]
            )
    left, top, width, height = _BODY
    add_table(
        slide,
        (left, top, width, min(height, Inches(0.5) * (len(rows) + 1))),
        ["", d.t("move"), d.t("effort"), d.t("owner")],
        rows,
        d.lang,
        size=10,
        widths=[1.6, 6.0, 0.9, 1.6],
    )


def _benchmark(d: _Deck) -> None:
    if not has_benchmark(d.ctx):
        return
    from assessment.report.details import benchmark_chart  # the report's own chart

    slide = d.slide(d.t("benchmark"))
    d.picture(slide, benchmark_chart(d.ctx), _BODY)


def _people(d: _Deck) -> None:
    table = staffing_table(d.ctx)
    if table is None:
        return
    slide = d.slide(d.t("resourcing"))
    rows = [
        [
            d.t(f"staffing.option.{cov}"),
            d.num(r.coverage_hours_per_week),
            d.num(r.agents),
            d.num(100 * r.service_level) + "%",
            d.num(r.fte, 1),
            d.num(r.current_fte, 1),
        ]
        for cov, r in zip(table.index, table.itertuples(), strict=True)
    ]
    keys = ["coverage", "hours", "agents", "service_level", "fte", "fte_today"]
    left, top, width, _ = _BODY
    add_table(
        slide,
        (left, top, width, Inches(0.5) * (len(rows) + 1)),
        [d.t(f"staffing.{k}") for k in keys],
        rows,
        d.lang,
        size=14,
    )


def _decisions(d: _Deck, h: Headline) -> None:
    if not h.moves:
        return
    slide = d.slide(d.t("deck.decisions"))
    lines = [f"{i}. {_move_line(d, m)}" for i, m in enumerate(h.moves, start=1)]
    plan = roadmap(d.ctx)
    if plan.scheduled and all(plan.projected[k] is not None for k in HORIZONS):
        first, second, third = (d.num(plan.projected[k]) for k in HORIZONS)
        lines.append((d.t("onepager.projection", first=first, second=second, third=third), {}))
    add_text(slide, _BODY, lines, d.lang, size=18)


def build_deck(ctx: ReportContext) -> Any:
    """The client's steering-committee deck (a python-pptx ``Presentation``)."""
    d = _Deck(ctx)
    h = headline(ctx)
    _title(d)
    _one_pager(d, h)
    _radar(d)
    _roadmap(d)
    _benchmark(d)
    _people(d)
    _decisions(d, h)
    d.prs.core_properties.title = d.t("report_file_title", client=d.client)
    d.prs.core_properties.language = "ar-SA" if d.lang == "ar" else "en-GB"
    return d.prs


def write_deck(ctx: ReportContext, path: str | Path) -> Path | None:
    """Write the deck to ``path`` atomically; nothing when ``path`` is empty."""
    if not path:
        return None
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    prs = build_deck(ctx)
    with atomic_path(target) as tmp:
        prs.save(str(tmp))
    return target
