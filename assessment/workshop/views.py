"""HTML snippets of the workshop apps: pure functions from data to escaped markup.

The widgets only put these strings into ``ipywidgets.HTML`` values, so every piece of markup is
tested without a browser.  Every text that comes from a person or a rubric (client ids,
participant names, indicator names, notes) goes through :func:`assessment.report.esc`; the
``ws-*`` classes and ``data-*`` attributes are what the browser tests look for.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assessment.report import esc
from assessment.rubric import Indicator, Rubric, translate
from assessment.text import counted, direction, label
from assessment.workshop.model import Choice, bands, choices

if TYPE_CHECKING:  # pragma: no cover - typing only
    from assessment.workshop.model import LiveState
    from assessment.workshop.records import Workshop

__all__ = [
    "bands_html",
    "choice_caption",
    "consensus_html",
    "distribution_html",
    "download_link_html",
    "indicator_card_html",
    "indicator_summary_html",
    "progress_html",
    "question_html",
    "status_html",
    "vote_title_html",
]

#: Style of the level lists (no numbering: each item starts with its level).
_LEVEL_LIST = "list-style:none;padding-inline-start:0"


def _fmt(x: float, digits: int = 2) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def distribution_html(counts: Sequence[int]) -> str:
    """A tiny bar chart of votes per level, as inline HTML (no images, no scripts).

    Parameters
    ----------
    counts
        Votes per level, level 1 first.

    Returns
    -------
    str
        One bar per level over its level number.
    """
    top = max(max(counts, default=0), 1)
    bars = "".join(
        f"<span class='ws-bar' title='{k}: {c}' style='display:inline-block;width:14px;"
        f"margin-right:2px;vertical-align:bottom;background:#0072B2;"
        f"height:{2 + int(22 * c / top)}px;opacity:{1 if c else 0.15}'></span>"
        for k, c in enumerate(counts, start=1)
    )
    labels = "".join(
        f"<span style='display:inline-block;width:14px;margin-right:2px;text-align:center;"
        f"font-size:10px;color:#555'>{k}</span>"
        for k in range(1, len(counts) + 1)
    )
    return (
        f"<span class='ws-dist' style='display:inline-block;white-space:nowrap'>"
        f"{bars}<br>{labels}</span>"
    )


def _heading(h: str | tuple[str, str]) -> str:
    """A column heading; a plain word with its technical meaning as a tooltip."""
    if isinstance(h, str):
        return esc(h)
    word, tip = h
    return f"<abbr title='{esc(tip)}'>{esc(word)}</abbr>"


def consensus_html(state: LiveState, lang: str = "en", *, limit: int | None = None) -> str:
    """The consensus panel: one row per indicator, hotspots first.  Every text is escaped.

    Parameters
    ----------
    state
        The workshop's live state.
    lang
        Language of the headings and names.
    limit
        Show only the first ``limit`` rows (``None``: all).

    Returns
    -------
    str
        An introduction, the error of the state if any, and the table.
    """
    rubric = state.rubric
    threshold = state.result.options.rwg_threshold if state.result else 0.7
    rows = state.consensus if limit is None else state.consensus.head(limit)
    ind_names = {i.id: translate(i.name, lang) for _, i in rubric.iter_indicators()}
    dim_names = {d.id: translate(d.name, lang) for d in rubric.dimensions}
    head = [
        label("indicator", lang),
        label("dimension", lang),
        label("workshop.votes", lang),
        label("workshop.distribution", lang),
        label("workshop.median", lang),
        (label("room.spread", lang), label("room.spread_tip", lang)),
        label("workshop.range", lang),
        (label("room.agreement", lang), label("room.agreement_tip", lang)),
        label("workshop.hotspot", lang),
    ]
    body = []
    for r in rows.itertuples(index=False):
        style = " style='background:#FFF1E0'" if r.hotspot else ""
        median = "NA" if r.status == "na" else _fmt(r.level, 1)
        body.append(
            f"<tr class='ws-row{' ws-hot' if r.hotspot else ''}' "
            f"data-indicator='{esc(r.indicator_id)}'{style}>"
            f"<td>{esc(ind_names[r.indicator_id])}</td><td>{esc(dim_names[r.dimension_id])}</td>"
            f"<td>{int(r.n) + int(r.n_na)}</td><td>{distribution_html(r.distribution)}</td>"
            f"<td>{median}</td><td>{_fmt(r.iqr, 1)}</td><td>{_fmt(r.range, 0)}</td>"
            f"<td>{_fmt(r.rwg)}</td><td>{'◆' if r.hotspot else ''}</td></tr>"
        )
    header = "".join(
        f"<th style='text-align:start;padding:2px 6px'>{_heading(h)}</th>" for h in head
    )
    intro = esc(label("workshop.agenda_intro", lang, threshold=threshold))
    note = f"<p class='ws-error'>{esc(state.error)}</p>" if state.error else ""
    return (
        f"<div dir='{direction(lang)}' class='ws-consensus'><p>{intro}</p>{note}"
        f"<table style='border-collapse:collapse;font-size:13px'><thead><tr>{header}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def status_html(state: LiveState, lang: str = "en", *, name: str = "") -> str:
    """One line: client, date, vote and participant counts (``data-votes`` for tests).

    Parameters
    ----------
    state
        The workshop's live state.
    lang
        Language of the line.
    name
        The client's name (default: its id).

    Returns
    -------
    str
        The status line, with ``data-votes`` and ``data-revision`` attributes; the client's
        name and the date are isolated, so an Arabic line keeps them in place.
    """
    w = state.workshop
    final = f" · {esc(label('workshop.finalised', lang))}" if w.finalised else ""
    votes = counted(state.n_votes, "vote", lang)
    counts = f"{votes} · {counted(state.participants, 'participant', lang)}"
    return (
        f"<div dir='{direction(lang)}' class='ws-status' data-votes='{state.n_votes}' "
        f"data-revision='{state.revision}'><b><bdi>{esc(name or w.client_id)}</bdi></b> "
        f"<bdi>{esc(w.date)}</bdi> · <span class='ws-votes'>{esc(counts)}</span>{final}</div>"
    )


def indicator_summary_html(row: Mapping[str, Any], lang: str = "en") -> str:
    """The vote line on an indicator card: count, distribution, median, r_wg.

    Parameters
    ----------
    row
        One record of :func:`~assessment.workshop.model.consensus` (e.g. from
        ``to_dict("records")``).
    lang
        Language of the line.

    Returns
    -------
    str
        The line, or "No votes yet." without votes.
    """
    total = int(row["n"]) + int(row["n_na"])
    if total == 0:
        return f"<div class='ws-summary'>{esc(label('workshop.no_votes', lang))}</div>"
    hot = (
        f" · <b style='color:#D55E00'>{esc(label('workshop.hotspot', lang))}</b>"
        if row["hotspot"]
        else ""
    )
    return (
        f"<div class='ws-summary' data-votes='{total}'>"
        f"{esc(counted(total, 'vote', lang))} · "
        f"{esc(label('workshop.median', lang))} {_fmt(row['level'], 1)} · "
        f"<abbr title='{esc(label('room.agreement_tip', lang))}'>"
        f"{esc(label('room.agreement', lang))}</abbr> {_fmt(row['rwg'])}{hot}"
        f"<br>{distribution_html(row['distribution'])}</div>"
    )


def download_link_html(path: Path, lang: str = "en") -> str:
    """A link that downloads ``path`` from a ``data:`` URI (Voilà serves no arbitrary files).

    Parameters
    ----------
    path
        The HTML report to offer.
    lang
        Language of the link text.

    Returns
    -------
    str
        An ``<a download>`` element carrying the whole file.
    """
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return (
        f"<a class='ws-download' download='{esc(path.name)}' "
        f"href='data:text/html;base64,{data}'>{esc(label('workshop.download', lang))}</a>"
    )


# -- indicator texts -----------------------------------------------------------------------


def _level_items(items: Iterable[tuple[object, str, str]]) -> str:
    """``<li>`` items of ``(level, range, descriptor)``; an empty range is left out."""
    return "".join(
        f"<li><b>{lvl}</b> ({esc(rng)}): {esc(desc)}</li>"
        if rng
        else f"<li><b>{lvl}</b>: {esc(desc)}</li>"
        for lvl, rng, desc in items
    )


def bands_html(rubric: Rubric, indicator_id: str, lang: str = "en") -> str:
    """The value range and descriptor of each level of a measured indicator, as a list.

    Parameters
    ----------
    rubric, indicator_id
        The indicator (:func:`~assessment.workshop.model.bands`).
    lang
        Language of the descriptors.

    Returns
    -------
    str
        An unnumbered ``<ol>``, one item per level.
    """
    return f"<ol style='{_LEVEL_LIST}'>{_level_items(bands(rubric, indicator_id, lang))}</ol>"


def _choices_html(rubric: Rubric, ind: Indicator, lang: str) -> str:
    """The levels an anchored or boolean indicator's answers stand for, as a list."""
    items = (
        (esc(c.label) if ind.kind == "boolean" else c.level, "", c.descriptor)
        for c in choices(rubric, ind.id, lang)
        if c.level is not None
    )
    return f"<ol style='{_LEVEL_LIST}'>{_level_items(items)}</ol>"


def _evidence_html(ind: Indicator, lang: str, tag: str) -> str:
    """The evidence hint of an indicator in a ``tag`` element ("" without one)."""
    if not ind.evidence_hint:
        return ""
    return (
        f"<{tag} style='color:#555'><i>{esc(label('workshop.evidence_hint', lang))}:</i> "
        f"{esc(translate(ind.evidence_hint, lang))}</{tag}>"
    )


def indicator_card_html(rubric: Rubric, indicator_id: str, lang: str = "en") -> str:
    """The head of an indicator card on the facilitator's page.

    Parameters
    ----------
    rubric, indicator_id
        The indicator.
    lang
        Language of the texts.

    Returns
    -------
    str
        Name, question, the levels (value ranges for a measured indicator) and the evidence hint.
    """
    ind = rubric.indicator(indicator_id)
    parts = [f"<h4>{esc(translate(ind.name, lang))}</h4>"]
    if ind.question:
        parts.append(f"<div>{esc(translate(ind.question, lang))}</div>")
    if ind.kind == "measured":
        parts.append(bands_html(rubric, ind.id, lang))
    else:
        parts.append(_choices_html(rubric, ind, lang))
    parts.append(_evidence_html(ind, lang, "div"))
    return f"<div dir='{direction(lang)}'>{''.join(parts)}</div>"


# -- the participant's page ----------------------------------------------------------------


def vote_title_html(workshop: Workshop, lang: str = "en") -> str:
    """The head of the participant's page: client, date and what to do.

    Parameters
    ----------
    workshop
        The workshop voted in.
    lang
        Language of the welcome line.

    Returns
    -------
    str
        A heading and the welcome line.
    """
    return (
        f"<div dir='{direction(lang)}'><h3>{esc(workshop.client_id)} · {esc(workshop.date)}</h3>"
        f"<p>{esc(label('workshop.welcome', lang))}</p></div>"
    )


def progress_html(done: int, total: int, position: int, lang: str = "en") -> str:
    """How far a participant is: answers given and the indicator on screen.

    Parameters
    ----------
    done, total
        Indicators answered, and in all.
    position
        The indicator on screen (0 for the first).
    lang
        Language of the line.

    Returns
    -------
    str
        The line (``data-done`` for tests), with a thank-you once every indicator is answered.
    """
    finished = (
        f"<p class='ws-done'>{esc(label('workshop.all_done', lang))}</p>" if done == total else ""
    )
    return (
        f"<div dir='{direction(lang)}' class='ws-progress' data-done='{done}'>"
        f"{esc(label('workshop.answered', lang, done=done, total=total))} · "
        f"{esc(label('workshop.position', lang, k=position + 1, total=total))}{finished}</div>"
    )


def question_html(rubric: Rubric, indicator_id: str, mine: str | None, lang: str = "en") -> str:
    """The indicator on the participant's screen: dimension, name, question, hint, their answer.

    Parameters
    ----------
    rubric, indicator_id
        The indicator.
    mine
        The participant's current answer (``None``: not answered yet).
    lang
        Language of the texts.

    Returns
    -------
    str
        The block above the answer buttons.
    """
    ind = rubric.indicator(indicator_id)
    dim = next(d for d, i in rubric.iter_indicators() if i.id == indicator_id)
    parts = [
        f"<div style='color:#555'>{esc(translate(dim.name, lang))}</div>",
        f"<h3>{esc(translate(ind.name, lang))}</h3>",
    ]
    if ind.question:
        parts.append(f"<p>{esc(translate(ind.question, lang))}</p>")
    parts.append(_evidence_html(ind, lang, "p"))
    if mine is not None:
        parts.append(
            f"<p class='ws-mine'><b>{esc(label('workshop.your_vote', lang, value=mine))}</b></p>"
        )
    return f"<div dir='{direction(lang)}'>{''.join(parts)}</div>"


def choice_caption(choice: Choice, mine: str | None) -> str:
    """The text of an answer button: a tick when it is the participant's answer, then its label.

    Parameters
    ----------
    choice
        The answer the button gives.
    mine
        The participant's current answer.

    Returns
    -------
    str
        Plain text (a button description is not HTML).
    """
    text = choice.label if not choice.descriptor else f"{choice.label}: {choice.descriptor}"
    return ("✓ " if mine == choice.value else "") + text
