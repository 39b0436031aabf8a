"""The participant app's pages and the projector, as server-rendered HTML: pure functions.

Every page works without JavaScript (forms post, links navigate); ``static/app.js`` adds
what a phone in a workshop room needs on top (answers sent in the background and kept on the
phone while the server is unreachable, the paced question followed).  Every text comes from
the label table, every value is escaped, every name is isolated (``<bdi>``) so a Latin name in
an Arabic line keeps its place; Arabic pages are right to left as a whole (``<html dir>``).
Assets are the app's own (``/static``): nothing is fetched from the internet.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from assessment.rubric import Rubric, translate
from assessment.text import direction, esc, format_number, label
from assessment.workshop.model import bands, choices
from assessment.workshop.room import Progress, Room

__all__ = [
    "Page",
    "error_page",
    "join_page",
    "links_page",
    "projector_page",
    "qr_svg",
    "question_page",
]

#: Version of the static assets, in their URLs: a new release is never served a stale copy.
ASSETS = "1"


def bdi(value: object) -> str:
    """A user-supplied text, escaped and isolated from the text around it."""
    return f"<bdi>{esc(value)}</bdi>"


@dataclass(frozen=True)
class Page:
    """What every page shows in its head: the language and the workshop's title."""

    lang: str
    client: str
    date: str


def _shell(page: Page, title: str, body: str, *, kind: str, data: str = "") -> str:
    lang = page.lang
    return (
        f"<!doctype html><html lang='{lang}' dir='{direction(lang)}'><head>"
        "<meta charset='utf-8'><meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<title>{esc(title)}</title>"
        f"<link rel='stylesheet' href='/static/app.css?v={ASSETS}'></head>"
        f"<body class='{kind}' {data}>"
        f"<header class='top'><span class='client'>{bdi(page.client)}</span>"
        f"<span class='date'>{bdi(page.date)}</span></header>"
        "<div id='banner' class='banner' role='status' hidden></div>"
        f"<main>{body}</main>"
        f"<script src='/static/app.js?v={ASSETS}' defer></script></body></html>"
    )


def error_page(page: Page, message: str, *, link: str = "/") -> str:
    """A page with one message and a link back (a refused page, a closed workshop)."""
    body = (
        f"<p class='message error'>{esc(message)}</p>"
        f"<p><a class='button' href='{esc(link)}'>{esc(label('room.join', page.lang))}</a></p>"
    )
    return _shell(page, message, body, kind="error")


def join_page(
    page: Page,
    rubric: Rubric,
    *,
    code: str = "",
    name: str = "",
    role: str = "",
    anonymous: bool = False,
    error: str = "",
) -> str:
    """The join form: the code (pre-filled from a QR link), the name and the role.

    Parameters
    ----------
    page
        Language and title.
    rubric
        Its roles fill the role list (each sees only the questions asked of their role).
    code, name, role
        Values to show again after a refused attempt.
    anonymous
        The room does not ask names.
    error
        A message above the form.
    """
    lang = page.lang
    opts = [f"<option value=''>{esc(label('room.role_any', lang))}</option>"]
    for r in rubric.roles:
        chosen = " selected" if r.id == role else ""
        opts.append(f"<option value='{esc(r.id)}'{chosen}>{esc(translate(r.name, lang))}</option>")
    name_field = (
        f"<p class='note'>{esc(label('room.anonymous_note', lang))}</p>"
        if anonymous
        else (
            f"<label>{esc(label('workshop.your_name', lang))}"
            f"<input name='name' value='{esc(name)}' maxlength='80' autocomplete='name' "
            "required dir='auto'></label>"
        )
    )
    body = (
        f"<h1>{esc(label('room.join_title', lang))}</h1>"
        + (f"<p class='message error' role='alert'>{esc(error)}</p>" if error else "")
        + "<form method='post' action='/join' class='join'>"
        f"<label>{esc(label('room.code', lang))}"
        f"<input name='code' value='{esc(code)}' maxlength='12' autocapitalize='characters' "
        f"autocomplete='off' required dir='ltr' aria-describedby='code-hint'></label>"
        f"<small id='code-hint'>{esc(label('room.code_hint', lang))}</small>"
        f"{name_field}"
        f"<label>{esc(label('workshop.your_role', lang))}<select name='role'>{''.join(opts)}"
        "</select></label>"
        f"<button type='submit' class='primary'>{esc(label('room.join', lang))}</button></form>"
    )
    return _shell(page, label("room.join_title", lang), body, kind="join")


@dataclass(frozen=True)
class Question:
    """One question on a participant's phone: where it is and what they answered."""

    id: str
    position: int
    total: int
    done: int
    mine: str | None
    comment: str
    name: str
    paced: bool
    revision: int


def _question_text(rubric: Rubric, qid: str, lang: str) -> tuple[str, str, str, str]:
    """(dimension name, question name, question text, evidence hint) of an indicator or fact."""
    try:
        ind = rubric.indicator(qid)
    except KeyError:
        fact = rubric.fact(qid)
        question = translate(fact.question, lang) if fact.question else ""
        return "", translate(fact.name, lang), question, ""
    dim = next(d for d, i in rubric.iter_indicators() if i.id == qid)
    question = translate(ind.question, lang) if ind.question else ""
    hint = translate(ind.evidence_hint, lang) if ind.evidence_hint else ""
    return translate(dim.name, lang), translate(ind.name, lang), question, hint


def _answer_controls(rubric: Rubric, q: Question, lang: str) -> str:
    """Buttons for levels, yes/no and NA; a number box (numeric keypad) for measured values."""
    try:
        ind = rubric.indicator(q.id)
        kind, unit, opts = ind.kind, ind.unit or "", choices(rubric, q.id, lang)
        is_indicator = True
    except KeyError:  # a fact: a number in its unit
        kind, unit, opts, is_indicator = "measured", rubric.fact(q.id).unit, [], False
    parts = []
    if kind == "measured":
        listing = "".join(
            f"<li><b>{lvl}</b> {esc(name)}: {esc(text)}</li>"
            for lvl, name, text in (bands(rubric, q.id, lang) if is_indicator else [])
            if text
        )
        value = "" if q.mine in (None, "NA") else q.mine
        parts.append(
            (f"<ul class='bands'>{listing}</ul>" if listing else "")
            + f"<label>{esc(label('room.number', lang, unit=unit))}"
            f"<input name='value' value='{esc(value)}' inputmode='decimal' type='text' "
            f"dir='ltr' autocomplete='off' class='number'></label>"
            f"<button type='submit' class='primary save'>{esc(label('workshop.save', lang))}"
            "</button>"
        )
    for c in opts:
        mine = " mine" if q.mine == c.value else ""
        pressed = "true" if mine else "false"
        text = f"<span class='what'>{esc(c.label)}</span>"
        if c.descriptor:
            text += f"<span class='desc'>{esc(c.descriptor)}</span>"
        parts.append(
            f"<button type='submit' name='value' value='{esc(c.value)}' "
            f"class='choice{mine}' aria-pressed='{pressed}'>{text}</button>"
        )
    return "".join(parts)


def question_page(page: Page, rubric: Rubric, q: Question, *, error: str = "") -> str:
    """A participant's question: the text, the answers, a comment field and the way around.

    Parameters
    ----------
    page
        Language and title.
    rubric
        The workshop's rubric.
    q
        The question and the participant's progress and answer.
    error
        A refused answer's message.
    """
    lang = page.lang
    dim, name, question, hint = _question_text(rubric, q.id, lang)
    k = q.position + 1
    done_line = label("workshop.answered", lang, done=q.done, total=q.total)
    progress = (
        f"<p class='progress' data-done='{q.done}'>"
        f"<span>{esc(label('room.question_of', lang, k=k, total=q.total))}</span> · "
        f"<span>{esc(done_line)}</span></p>"
        f"<progress max='{q.total}' value='{q.done}'></progress>"
    )
    finished = (
        f"<p class='message ok'>{esc(label('workshop.all_done', lang))}</p>"
        if q.done >= q.total
        else ""
    )
    text = (
        (f"<p class='dimension'>{esc(dim)}</p>" if dim else "")
        + f"<h1>{esc(name)}</h1>"
        + (f"<p class='question'>{esc(question)}</p>" if question else "")
        + (
            f"<p class='hint'><b>{esc(label('workshop.evidence_hint', lang))}:</b> {esc(hint)}</p>"
            if hint
            else ""
        )
    )
    prev_link = (
        f"<a rel='prev' class='button' href='/q/{k - 1}'>"
        f"{esc(label('workshop.previous', lang))}</a>"
        if k > 1
        else "<span></span>"
    )
    next_link = (
        f"<a rel='next' class='button' href='/q/{k + 1}'>{esc(label('workshop.next', lang))}</a>"
        if k < q.total
        else "<span></span>"
    )
    form = (
        f"<form method='post' action='/q/{k}' class='vote' data-question='{esc(q.id)}'>"
        f"{_answer_controls(rubric, q, lang)}"
        f"<label class='comment'>{esc(label('room.comment', lang))}"
        f"<textarea name='comment' maxlength='4000' rows='2' dir='auto' "
        f"placeholder='{esc(label('room.comment_hint', lang))}'>{esc(q.comment)}</textarea>"
        "</label></form>"
    )
    body = (
        f"<p class='who'>{label('room.you_are', lang, name=bdi(q.name))}</p>"
        + progress
        + (f"<p class='message error' role='alert'>{esc(error)}</p>" if error else "")
        + finished
        + f"<section class='card'>{text}{form}</section>"
        + f"<nav class='steps'>{prev_link}{next_link}</nav>"
    )
    data = (
        f"data-k='{k}' data-rev='{q.revision}' data-paced='{int(q.paced)}' "
        f"data-offline='{esc(label('room.offline', lang))}' "
        f"data-queued='{esc(label('room.queued', lang))}'"
    )
    return _shell(page, name, body, kind="ballot", data=data)


def wait_page(page: Page, name: str, revision: int) -> str:
    """A paced room before the facilitator pushed a question: wait, then follow it."""
    lang = page.lang
    body = (
        f"<p class='who'>{label('room.you_are', lang, name=bdi(name))}</p>"
        f"<p class='message'>{esc(label('room.wait', lang))}</p>"
    )
    data = (
        f"data-k='0' data-rev='{revision}' data-paced='1' "
        f"data-offline='{esc(label('room.offline', lang))}'"
    )
    return _shell(page, label("room.wait", lang), body, kind="ballot", data=data)


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as an inline SVG, drawn here (no network, no image file)."""
    import segno  # local: only the projector draws QR codes

    code = segno.make(url, error="m", micro=False)
    return str(code.svg_inline(scale=8, border=2, dark="#000", light="#fff", omitsize=True))


def _results(rubric: Rubric, qid: str, values: Sequence[str], lang: str) -> str:
    """The revealed results of a question: votes per answer, the median, spread, agreement."""
    if not values:
        return f"<p class='message'>{esc(label('workshop.no_votes', lang))}</p>"
    try:
        opts = choices(rubric, qid, lang)
    except KeyError:
        opts = []
    rows = []
    top = max(values.count(c.value) for c in opts) if opts else 1
    for c in opts:
        n = values.count(c.value)
        width = 0 if not top else round(100 * n / top)
        rows.append(
            f"<li><span class='what'>{esc(c.label)}</span>"
            f"<span class='bar' style='--w:{width}%'></span><b>{format_number(n, 0)}</b>"
            "</li>"
        )
    numbers = []
    for v in values:
        try:
            numbers.append(float(v))
        except ValueError:
            continue
    stats = ""
    if numbers:
        median = statistics.median(numbers)
        stats = f"<p>{esc(label('workshop.median', lang))}: <b>{format_number(median, 1)}</b>"
        if len(numbers) > 1:
            q1, _, q3 = statistics.quantiles(numbers, n=4, method="inclusive")
            stats += (
                f" · <abbr title='{esc(label('room.spread_tip', lang))}'>"
                f"{esc(label('room.spread', lang))}</abbr>: "
                f"<b>{format_number(q3 - q1, 1)}</b>"
            )
            if opts and opts[0].level is not None:
                n_levels = rubric.n_levels
                expected = (n_levels**2 - 1) / 12
                rwg = max(0.0, 1 - statistics.variance(numbers) / expected)
                stats += (
                    f" · <abbr title='{esc(label('room.agreement_tip', lang))}'>"
                    f"{esc(label('room.agreement', lang))}</abbr>: "
                    f"<b>{format_number(rwg, 2)}</b>"
                )
        stats += "</p>"
    return f"<ul class='results'>{''.join(rows)}</ul>{stats}"


def _people(progress: Iterable[Progress], lang: str) -> str:
    done = [p for p in progress if p.finished]
    going = [p for p in progress if not p.finished]

    def listing(people: list[Progress], title: str, cls: str) -> str:
        items = (
            "".join(
                f"<li>{bdi(p.name)} <small>{format_number(p.answered, 0)}/"
                f"{format_number(p.total, 0)}</small></li>"
                for p in people
            )
            or f"<li class='none'>{esc(label('room.nobody', lang))}</li>"
        )
        return f"<div class='{cls}'><h2>{esc(title)}</h2><ul>{items}</ul></div>"

    return (
        "<section class='people'>"
        + listing(done, label("room.finished", lang), "finished")
        + listing(going, label("room.answering", lang), "answering")
        + "</section>"
    )


@dataclass(frozen=True)
class Projection:
    """What the projector shows: the room, its link, the question on screen and its votes."""

    room: Room
    join_url: str
    questions: Sequence[str]
    position: int
    values: Sequence[str]
    people: Sequence[Progress]
    revision: int


def projector_page(page: Page, rubric: Rubric, p: Projection) -> str:
    """The facilitator's projector view: join code and QR, the question, results on demand."""
    lang = page.lang
    room = p.room
    code = room.join_code
    qid = p.questions[p.position]
    _, name, question, _ = _question_text(rubric, qid, lang)
    join = (
        f"<section class='join-panel'><div class='qr' role='img' "
        f"aria-label='{esc(label('room.scan', lang))}'>{qr_svg(p.join_url)}</div><div>"
        f"<p>{label('room.join_at', lang, url=bdi(p.join_url.split('/j/')[0]))}</p>"
        f"<p class='code' dir='ltr'>{esc(code[:3])} {esc(code[3:])}</p>"
        f"<p>{esc(label('room.joined', lang, n=len(p.people)))}</p></div></section>"
    )
    results = (
        _results(rubric, qid, p.values, lang)
        if room.revealed
        else f"<p class='message'>{esc(label('room.hidden', lang))}</p>"
    )
    k, total = p.position + 1, len(p.questions)
    controls = (
        "<form method='post' action='/host/control' class='controls'>"
        f"<input type='hidden' name='position' value='{p.position}'>"
        f"<button name='action' value='prev'{' disabled' if k == 1 else ''}>"
        f"{esc(label('workshop.previous', lang))}</button>"
        f"<button name='action' value='next'{' disabled' if k == total else ''}>"
        f"{esc(label('workshop.next', lang))}</button>"
        f"<button name='action' value='{'hide' if room.revealed else 'reveal'}' class='primary'>"
        f"{esc(label('room.hide' if room.revealed else 'room.reveal', lang))}</button>"
        f"<button name='action' value='{'free' if room.paced else 'pace'}'>"
        f"{esc(label('room.pace_off' if room.paced else 'room.pace_on', lang))}</button></form>"
    )
    mode = label("room.paced" if room.paced else "room.free", lang)
    body = (
        join + "<section class='card question-panel'>"
        f"<p class='progress'>{esc(label('room.question_of', lang, k=k, total=total))} · "
        f"{esc(label('room.answers_in', lang, n=len(p.values)))}</p>"
        f"<h1>{esc(name)}</h1>"
        + (f"<p class='question'>{esc(question)}</p>" if question else "")
        + f"<div class='results-panel'>{results}</div>{controls}"
        f"<p class='mode'>{esc(mode)} · <a href='/host/links'>{esc(label('room.links', lang))}"
        "</a></p></section>" + _people(p.people, lang)
    )
    data = f"data-rev='{p.revision}' data-host='1'"
    return _shell(page, label("room.projector", lang), body, kind="projector", data=data)


def links_page(page: Page, links: Mapping[str, str]) -> str:
    """The facilitator's personal links: a form for names, then one link and QR per person."""
    lang = page.lang
    rows = "".join(
        f"<li><span class='name'>{bdi(who)}</span><div class='qr small'>{qr_svg(url)}</div>"
        f"<code dir='ltr'>{esc(url)}</code></li>"
        for who, url in links.items()
    )
    body = (
        f"<h1>{esc(label('room.links', lang))}</h1>"
        f"<p>{esc(label('room.links_intro', lang))}</p>"
        "<form method='post' action='/host/links' class='join'>"
        f"<label>{esc(label('room.names', lang))}"
        "<textarea name='names' rows='6' dir='auto'></textarea></label>"
        f"<button type='submit' class='primary'>{esc(label('room.make_links', lang))}</button>"
        f"</form><ul class='links'>{rows}</ul>"
        f"<p><a class='button' href='/host/projector' target='_self'>"
        f"{esc(label('room.open_projector', lang))}</a></p>"
    )
    return _shell(page, label("room.links", lang), body, kind="links")
