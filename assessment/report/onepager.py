"""The executive one-pager and the roadmap: what a CEO reads in 60 seconds, then the plan.

The one-pager answers six questions on one printed page: where the client is (index, level,
the weakest dimension by name), where it should be (the target profile as an index), how it
compares (peer percentile), how it moved (change since the last assessment), what it takes in
people (FTE today against the care desk's need) and the three first moves.  Every figure comes
from :func:`~assessment.report.figures.headline`, rounded once.
"""

from __future__ import annotations

from assessment.report.context import ReportContext, section
from assessment.report.figures import MOVES_PER_HORIZON, Headline, Move, headline, roadmap
from assessment.report.html import Html, esc, html_table
from assessment.rubric import HORIZONS
from assessment.text import format_compact, format_ordinal

__all__ = ["executive_summary", "roadmap_section"]


def _tile(metric: str, title: str, value: str, detail: str, unit: str = "") -> str:
    """One answer of the one-pager: the question, the figure (alone in ``.card-value``, which
    tests and scripts read), its unit and a line that explains it."""
    unit_html = f"<span class='tile-unit'>{unit}</span>" if unit else ""
    return (
        f'<div class="tile card" data-metric="{metric}"><div class="tile-title">{title}</div>'
        f'<div class="tile-figure"><span class="tile-value card-value">{value}</span>'
        f'{unit_html}</div><div class="tile-detail">{detail}</div></div>'
    )


def _signed(ctx: ReportContext, value: int) -> str:
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    cls = "up" if value > 0 else ("down" if value < 0 else "flat")
    return f"<span class='{cls}'>{ctx.ltr(sign + ctx.num(abs(value), 0))}</span>"


def _where(ctx: ReportContext, h: Headline) -> str:
    level = (
        ctx.th(
            "onepager.level_line",
            level=ctx.num(h.level, 0),
            name=esc(ctx.rubric.level_name(h.level, ctx.lang)),
        )
        if h.level is not None
        else ""
    )
    weakest = (
        ctx.th(
            "onepager.weakest",
            dimension=f"<strong>{ctx.dim_name(h.weakest_id)}</strong>",
            level=ctx.num(h.weakest_level, 0),
        )
        if h.weakest_id
        else ""
    )
    return _tile(
        "index",
        ctx.t("onepager.where"),
        ctx.num(h.index, 0),
        f"{level}<br>{weakest}",
        unit=f" / {ctx.num(100, 0)}",
    )


def _target(ctx: ReportContext, h: Headline) -> str:
    if h.target_index is None or h.index is None:
        return ""
    gap = h.target_index - h.index
    detail = (
        ctx.th("onepager.points_to_go", points=ctx.num(gap, 0))
        if gap > 0
        else ctx.t("onepager.at_target")
    )
    return _tile("target", ctx.t("onepager.target"), ctx.num(h.target_index, 0), detail)


def _compare(ctx: ReportContext, h: Headline) -> str:
    if h.percentile is None:
        return _tile("percentile", ctx.t("onepager.compare"), "–", ctx.t("onepager.no_peers"))
    value = ctx.th("onepager.percentile_value", pct=_ordinal(ctx, h.percentile))
    detail = ctx.th(f"onepager.peers.{h.peer_group or 'all'}", n=ctx.num(h.n_peers, 0))
    return _tile("percentile", ctx.t("onepager.compare"), value, detail)


def _ordinal(ctx: ReportContext, value: int) -> str:
    return ctx.num(value, 0) if ctx.lang != "en" else esc(format_ordinal(value))


def _moved(ctx: ReportContext, h: Headline) -> str:
    if h.change is None:
        return _tile("change", ctx.t("onepager.moved"), "–", ctx.t("onepager.first"))
    detail = ctx.th(
        "onepager.since",
        date=ctx.ltr(esc(ctx.digits(h.previous_date))),
        before=ctx.num(h.previous_index, 0),
        after=ctx.num(h.index, 0),
    )
    return _tile("change", ctx.t("onepager.moved"), _signed(ctx, h.change), detail)


def _people(ctx: ReportContext, h: Headline) -> str:
    if h.fte_needed is None:
        return _tile("people", ctx.t("onepager.people"), "–", ctx.t("onepager.no_people"))
    fte = lambda v: ctx.digits(format_compact(v, 1))  # noqa: E731 - 32, 22.5: no trailing .0
    today = ctx.th("onepager.fte_today", fte=fte(h.fte_now)) if h.fte_now is not None else ""
    low, high = h.fte_needed
    needed = ctx.th("onepager.fte_needed", low=fte(low), high=fte(high))
    value = fte(h.fte_now) if h.fte_now is not None else "–"
    return _tile("people", ctx.t("onepager.people"), value, f"{today}<br>{needed}")


def _still_2007(ctx: ReportContext, h: Headline) -> str:
    detail = (
        ctx.t("count_2007_sentence", count=h.count_2007, total=h.n_dimensions)
        if h.count_2007
        else ctx.t("count_2007_none")
    )
    return _tile(
        "count-2007",
        ctx.t("count_2007"),
        ctx.num(h.count_2007, 0),
        detail,
        unit=f" / {ctx.num(h.n_dimensions, 0)}",
    )


def _move_html(ctx: ReportContext, move: Move) -> str:
    meta = []
    if move.horizon:
        meta.append(ctx.t(f"roadmap.horizon.{move.horizon}"))
    if move.owner_role:
        meta.append(_role_name(ctx, move.owner_role))
    if move.quick_win:
        meta.append(f"<span class='quick-win'>{ctx.t('quick_win')}</span>")
    return (
        f"<li><strong>{ctx.dim_name(move.dimension_id)}</strong>: {esc(move.step)}"
        f"<div class='move-meta'>{' · '.join(meta)}</div></li>"
    )


def _role_name(ctx: ReportContext, role_id: str) -> str:
    role = next((r for r in ctx.rubric.roles if r.id == role_id), None)
    return ctx.tr(role.name) if role is not None else esc(role_id)


def executive_summary(ctx: ReportContext) -> Html:
    """The one-pager: six answers in tiles, the 2007 count, the three first moves."""
    h = headline(ctx)
    tiles = "".join(
        t
        for t in (
            _where(ctx, h),
            _target(ctx, h),
            _compare(ctx, h),
            _moved(ctx, h),
            _people(ctx, h),
            _still_2007(ctx, h),
        )
        if t
    )
    moves = "".join(_move_html(ctx, m) for m in h.moves)
    first = (
        f"<h3>{ctx.t('onepager.first_moves')}</h3><ol class='moves'>{moves}</ol>"
        if moves
        else f"<p>{ctx.t('no_priorities')}</p>"
    )
    plan = roadmap(ctx)
    projection = ""
    if plan.scheduled and all(plan.projected[k] is not None for k in HORIZONS):
        first_, second, third = (ctx.num(plan.projected[k], 0) for k in HORIZONS)
        projection = (
            f"<p class='projection'>"
            f"{ctx.th('onepager.projection', first=first_, second=second, third=third)}</p>"
        )
    body = f"<div class='tiles'>{tiles}</div>{first}{projection}"
    return section(ctx, "executive_summary", body)


def roadmap_section(ctx: ReportContext) -> Html:
    """The moves grouped by horizon, quick wins marked, with the index after each horizon."""
    plan = roadmap(ctx)
    if not any(plan.by_horizon.values()):
        return section(ctx, "roadmap", f"<p>{ctx.t('roadmap.none')}</p>")
    parts = [f"<p>{ctx.t('roadmap.intro')}</p>"]
    for horizon in (*HORIZONS, ""):
        moves = plan.by_horizon.get(horizon, [])
        if not moves:
            continue
        listed = sorted(moves, key=lambda m: (not m.quick_win, m.rank))[:MOVES_PER_HORIZON]
        rows = [
            [
                f"<strong>{ctx.dim_name(m.dimension_id)}</strong>: {esc(m.step)}"
                + (f" <span class='quick-win'>{ctx.t('quick_win')}</span>" if m.quick_win else ""),
                ctx.t(f"effort.{m.effort}") if m.effort else "–",
                _role_name(ctx, m.owner_role) if m.owner_role else "–",
            ]
            for m in listed
        ]
        table = html_table([ctx.t("move"), ctx.t("effort"), ctx.t("owner")], rows, "roadmap-table")
        more = (
            f"<p class='note'>{ctx.t('roadmap.more', n=len(moves) - len(listed))}</p>"
            if len(moves) > len(listed)
            else ""
        )
        title = ctx.t(f"roadmap.horizon.{horizon or 'none'}")
        projected = plan.projected.get(horizon)
        after = (
            f"<p class='projected'>{ctx.th('roadmap.projected', index=ctx.num(projected, 0))}</p>"
            if horizon and projected is not None
            else ""
        )
        parts.append(
            f"<div class='horizon' data-horizon='{horizon or 'none'}'><h3>{title}</h3>"
            f"{table}{more}{after}</div>"
        )
    if plan.scheduled:
        parts.append(f"<p class='note'>{ctx.t('roadmap.projection_note')}</p>")
    return section(ctx, "roadmap", "".join(parts))
