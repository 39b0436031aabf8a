"""The participant app: a small Starlette app that serves the phones, no kernel per person.

One process serves every participant of one workshop from the same SQLite store as the
facilitator's page (:mod:`.store`).  Routes (everything else is a 404):

====================  =========================================================================
``GET /``, ``/j/C``   the join form (``/j/CODE``: pre-filled from the projector's QR code)
``POST /join``        join with the code: a new participant, their token set in a cookie
``GET /p/TOKEN``      a personal link (:func:`.room.participant_token`): sets the cookie
``GET /q[/K]``        question K of the participant's ballot (their role's questions)
``POST /q/K``         an answer (and comment) to question K; JSON for the page's script
``GET /state``        the room's revision and paced question, which open phones poll
``GET /host?token=``  the facilitator's token, exchanged for a cookie, then the projector
``/host/...``         the projector, its controls and personal links: facilitator only (403)
``/static/...``       the app's own CSS and script (no CDN)
====================  =========================================================================

A participant is their token, never a typed name: a cookie ``HttpOnly; SameSite=Lax`` (the
facilitator's is ``SameSite=Strict``), checked on every request; a request without it gets
the join form (pages) or 403 (answers, the facilitator's pages).  Every response carries a
strict content security policy (own scripts only) and ``Referrer-Policy: same-origin``;
a form posted from another site is refused (its ``Origin`` is not this server).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assessment.exceptions import InputError, ParameterError
from assessment.limits import WORKSHOP_NAMES
from assessment.text import label
from assessment.workshop import pages, room
from assessment.workshop.records import MAX_NAME, Participant
from assessment.workshop.store import Store, open_store

__all__ = ["HOST_COOKIE", "PARTICIPANT_COOKIE", "AppConfig", "create_app"]

PARTICIPANT_COOKIE = "maturity_participant"
HOST_COOKIE = "maturity_host"
#: Largest form accepted (a comment is at most 4,000 characters).
MAX_FORM = 32_768
#: A participant's cookie lasts through a two-day workshop.
COOKIE_SECONDS = 2 * 24 * 3600

_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        b"script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    ),
    (b"referrer-policy", b"same-origin"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
]


@dataclass(frozen=True)
class AppConfig:
    """What the participant app serves.

    Attributes
    ----------
    store
        Path of the workshop store.
    workshop_id
        The workshop served (the join code opens this one only).
    lang
        Language of every page.
    client_name
        The client's name as shown in the head of every page (default: the client id).
    public_url
        The address phones open (``http://192.168.1.20:8866``), for the QR code and links.
    anonymous
        Whether the room asks no names.
    """

    store: str
    workshop_id: int
    lang: str = "en"
    client_name: str = ""
    public_url: str = "http://127.0.0.1:8866"
    anonymous: bool | None = None


class _SecurityHeaders:
    """ASGI middleware: the security headers on every response; pages are never cached."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def send_with(message: Message) -> None:
            if message["type"] == "http.response.start":
                # Assets carry their version in the URL (pages.ASSETS): a phone keeps them.
                cache = b"public, max-age=86400, immutable" if static else b"no-store"
                extra = [(b"cache-control", cache)]
                message["headers"] = [*message.get("headers", []), *_HEADERS, *extra]
            await send(message)

        await self.app(scope, receive, send_with)


class _Room:
    """The app's state: the open store and the workshop, and the handlers' shared steps."""

    def __init__(self, config: AppConfig) -> None:
        self.config = config
        self.store: Store = open_store(config.store)
        self.wid = config.workshop_id
        self.rubric = self.store.rubric(self.wid)
        workshop = self.store.workshop(self.wid)
        self.page = pages.Page(config.lang, config.client_name or workshop.client_id, workshop.date)
        room.open_room(self.store, self.wid, anonymous=config.anonymous)

    @property
    def lang(self) -> str:
        return self.config.lang

    def html(self, text: str, status: int = 200) -> HTMLResponse:
        return HTMLResponse(text, status_code=status)

    def refuse(self, status: int, key: str) -> HTMLResponse:
        return self.html(pages.error_page(self.page, label(key, self.lang)), status)

    def participant(self, request: Request) -> Participant | None:
        found = room.participant_for_token(self.store, request.cookies.get(PARTICIPANT_COOKIE))
        return found if found is not None and found.workshop_id == self.wid else None

    def is_host(self, request: Request) -> bool:
        return room.is_host(room.get_room(self.store, self.wid), request.cookies.get(HOST_COOKIE))

    def ballot(self, person: Participant) -> list[str]:
        return room.ballot(self.rubric, person.role)

    def message(self, exc: Exception) -> str:
        """A refused answer or name as one plain sentence in the page's language."""
        text = str(exc)
        if isinstance(exc, InputError) and "finalised" in text:
            return label("workshop.closed", self.lang)
        if "too long" in text:
            return label("room.too_long", self.lang, limit=MAX_NAME if "name" in text else 4000)
        if "number" in text:
            return label("room.expects_number", self.lang, unit=_unit(self.rubric, text))
        if "is empty" in text and "name" in text:
            return label("room.name_needed", self.lang)
        return label("room.not_accepted", self.lang)


def _unit(rubric: Any, text: str) -> str:
    for _, ind in rubric.iter_indicators():
        if repr(ind.id) in text:
            return str(ind.unit or "")
    return next((f.unit for f in rubric.facts if repr(f.id) in text), "")


async def _form(request: Request) -> dict[str, str]:
    """The posted form (URL-encoded), first value per field; too large a body is empty."""
    body = await request.body()
    if len(body) > MAX_FORM:
        return {}
    parsed = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    return {k: v[0] for k, v in parsed.items()}


def _same_origin(request: Request) -> bool:
    """A browser's form post from another site names that site in ``Origin``: refuse it."""
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.headers.get("host", "")


def _set_cookie(response: Response, name: str, value: str, *, strict: bool = False) -> None:
    response.set_cookie(
        name,
        value,
        max_age=COOKIE_SECONDS,
        httponly=True,
        samesite="strict" if strict else "lax",
        path="/",
    )


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


Handler = Callable[[_Room, Request, dict[str, str]], Response]


def _route(state: _Room, fn: Handler, *, post: bool = False) -> Callable[..., Awaitable[Response]]:
    """An endpoint: read the form, check its origin, run ``fn`` in a worker thread.

    The store's calls are blocking SQLite calls; a thread keeps the event loop serving other
    phones while one waits for the write lock.
    """

    async def endpoint(request: Request) -> Response:
        form = await _form(request) if post else {}
        if post and not _same_origin(request):
            return state.refuse(403, "room.forbidden")
        return await run_in_threadpool(fn, state, request, form)

    return endpoint


# -- participants --------------------------------------------------------------------------


def _join_form(s: _Room, request: Request, _form: dict[str, str]) -> Response:
    if s.participant(request) is not None and "code" not in request.path_params:
        return RedirectResponse("/q", status_code=303)
    code = request.path_params.get("code", "")
    return s.html(
        pages.join_page(s.page, s.rubric, code=room.clean_code(code), anonymous=_anonymous(s))
    )


def _anonymous(s: _Room) -> bool:
    return room.get_room(s.store, s.wid).anonymous


def _join(s: _Room, request: Request, form: dict[str, str]) -> Response:
    code, name, role = form.get("code", ""), form.get("name", ""), form.get("role", "")
    again = {"code": room.clean_code(code), "name": name, "role": role}
    if room.workshop_for_code(s.store, code) != s.wid:
        error = label("room.bad_code", s.lang, code=room.clean_code(code) or "-")
        page = pages.join_page(s.page, s.rubric, anonymous=_anonymous(s), error=error, **again)
        return s.html(page, 400)
    try:
        person = room.new_participant(s.store, s.wid, name, role)
    except (ParameterError, InputError) as exc:
        page = pages.join_page(
            s.page, s.rubric, anonymous=_anonymous(s), error=s.message(exc), **again
        )
        return s.html(page, 400)
    response = RedirectResponse("/q", status_code=303)
    _set_cookie(response, PARTICIPANT_COOKIE, room.participant_token(s.store, person))
    return response


def _personal_link(s: _Room, request: Request, _form: dict[str, str]) -> Response:
    token = request.path_params["token"]
    person = room.participant_for_token(s.store, token)
    if person is None or person.workshop_id != s.wid:
        return s.refuse(404, "room.signed_out")
    response = RedirectResponse("/q", status_code=303)
    _set_cookie(response, PARTICIPANT_COOKIE, token)
    return response


def _paced_position(s: _Room, questions: list[str]) -> int | None:
    """0-based position of the pushed question in this ballot; -1: wait; None: not paced."""
    current = room.get_room(s.store, s.wid)
    if not current.paced:
        return None
    return questions.index(current.current) if current.current in questions else -1


def _first_question(s: _Room, request: Request, _form: dict[str, str]) -> Response:
    person = s.participant(request)
    if person is None:
        return RedirectResponse("/", status_code=303)
    questions = s.ballot(person)
    paced = _paced_position(s, questions)
    if paced is not None:
        return RedirectResponse(f"/q/{paced + 1}" if paced >= 0 else "/q/0", status_code=303)
    mine = room.my_answers(s.store, person)
    first = next((k for k, q in enumerate(questions) if q not in mine), 0)
    return RedirectResponse(f"/q/{first + 1}", status_code=303)


def _question(s: _Room, request: Request, _form: dict[str, str], error: str = "") -> Response:
    person = s.participant(request)
    if person is None:
        return RedirectResponse("/", status_code=303)
    questions = s.ballot(person)
    k = int(request.path_params["k"])
    paced = _paced_position(s, questions)
    revision = s.store.revision(s.wid)
    if paced is not None and paced + 1 != k:
        if paced < 0:
            return s.html(pages.wait_page(s.page, person.name, revision))
        return RedirectResponse(f"/q/{paced + 1}", status_code=303)
    if not 1 <= k <= len(questions):
        return RedirectResponse("/q", status_code=303)
    mine = room.my_answers(s.store, person)
    qid = questions[k - 1]
    value, comment = mine.get(qid, (None, ""))
    q = pages.Question(
        qid, k - 1, len(questions), sum(q in mine for q in questions), value, comment,
        person.name, paced is not None, revision,
    )  # fmt: skip
    return s.html(pages.question_page(s.page, s.rubric, q, error=error), 400 if error else 200)


def _answer(s: _Room, request: Request, form: dict[str, str]) -> Response:
    person = s.participant(request)
    if person is None:
        return s.refuse(403, "room.signed_out")
    questions = s.ballot(person)
    k = int(request.path_params["k"])
    if not 1 <= k <= len(questions):
        return s.refuse(404, "room.not_found")
    value = form.get("value", "").replace("٫", ".")  # the Arabic decimal separator
    nonce = form.get("nonce") or None
    try:
        s.store.vote(person, questions[k - 1], value, comment=form.get("comment", ""), token=nonce)
    except (ParameterError, InputError) as exc:
        if _wants_json(request):
            return JSONResponse({"ok": False, "error": s.message(exc)}, status_code=400)
        return _question(s, request, form, error=s.message(exc))
    paced = _paced_position(s, questions) is not None
    nxt = f"/q/{k + 1}" if k < len(questions) and not paced else f"/q/{k}"
    if _wants_json(request):
        return JSONResponse({"ok": True, "next": nxt})
    return RedirectResponse(nxt, status_code=303)


def _state(s: _Room, request: Request, _form: dict[str, str]) -> Response:
    person = s.participant(request)
    if person is None and not s.is_host(request):
        return JSONResponse({"ok": False}, status_code=403)
    current = room.get_room(s.store, s.wid)
    out: dict[str, Any] = {"ok": True, "rev": s.store.revision(s.wid), "paced": current.paced}
    if person is not None:
        paced = _paced_position(s, s.ballot(person))
        out["k"] = None if paced is None else paced + 1
    return JSONResponse(out)


# -- the facilitator -------------------------------------------------------------------------


def _host_login(s: _Room, request: Request, _form: dict[str, str]) -> Response:
    token = request.query_params.get("token", "")
    if not room.is_host(room.get_room(s.store, s.wid), token):
        return s.refuse(403, "room.forbidden")
    # The token leaves the address bar at once: the next page's URL has none.
    response = RedirectResponse("/host/projector", status_code=303)
    _set_cookie(response, HOST_COOKIE, token, strict=True)
    return response


def _host_only(fn: Handler) -> Handler:
    def guarded(s: _Room, request: Request, form: dict[str, str]) -> Response:
        if not s.is_host(request):
            if _wants_json(request):
                return JSONResponse({"ok": False}, status_code=403)
            return s.refuse(403, "room.forbidden")
        return fn(s, request, form)

    return guarded


def _projector(s: _Room, request: Request, _form: dict[str, str]) -> Response:
    current = room.get_room(s.store, s.wid)
    questions = room.ballot(s.rubric, "")
    position = questions.index(current.current) if current.current in questions else 0
    projection = pages.Projection(
        room=current,
        join_url=f"{s.config.public_url}/j/{current.join_code}",
        questions=questions,
        position=position,
        values=room.question_votes(s.store, s.wid, questions[position]),
        people=room.progress(s.store, s.wid),
        revision=s.store.revision(s.wid),
    )
    return s.html(pages.projector_page(s.page, s.rubric, projection))


def _control(s: _Room, request: Request, form: dict[str, str]) -> Response:
    questions = room.ballot(s.rubric, "")
    action = form.get("action", "")
    try:
        position = min(max(int(form.get("position", "0")), 0), len(questions) - 1)
    except ValueError:
        position = 0
    step = {"next": 1, "prev": -1}.get(action, 0)
    target = questions[min(max(position + step, 0), len(questions) - 1)]
    room.set_room(
        s.store,
        s.wid,
        current=target,
        revealed={"reveal": True, "hide": False}.get(action),
        paced={"pace": True, "free": False}.get(action),
    )
    return RedirectResponse("/host/projector", status_code=303)


def _host_state(s: _Room, request: Request, _form: dict[str, str]) -> Response:
    return JSONResponse({"ok": True, "rev": s.store.revision(s.wid)})


def _links(s: _Room, request: Request, form: dict[str, str]) -> Response:
    """New participants, one per line of the form, then every participant's personal link."""
    lines = [line for line in form.get("names", "").splitlines() if line.strip()]
    if len(lines) > WORKSHOP_NAMES.value:
        message = label("room.too_many", s.lang, limit=WORKSHOP_NAMES.value)
        return s.html(pages.error_page(s.page, message, link="/host/links"), 400)
    try:
        for line in lines:
            room.new_participant(s.store, s.wid, line, "")
    except (ParameterError, InputError) as exc:
        return s.html(pages.error_page(s.page, s.message(exc), link="/host/links"), 400)
    return RedirectResponse("/host/links", status_code=303)


def _all_links(s: _Room, request: Request, _form: dict[str, str]) -> Response:
    """Every participant's personal link: for a named list, or "me on a new device"."""
    links = {}
    for person in s.store.participants(s.wid):
        token = room.participant_token(s.store, person)
        links[f"{person.name} (#{person.id})"] = f"{s.config.public_url}/p/{token}"
    return s.html(pages.links_page(s.page, links))


def _not_found(s: _Room) -> Callable[..., Awaitable[Response]]:
    async def handler(request: Request, exc: Exception) -> Response:
        return s.refuse(404, "room.not_found")

    return handler


def static_folder() -> Path:
    """The folder of the app's CSS and script (inside the package)."""
    return Path(str(resources.files("assessment.workshop") / "static"))


def create_app(config: AppConfig) -> Starlette:
    """The participant app for one workshop (run it with uvicorn; see :mod:`.serve`).

    Parameters
    ----------
    config
        The store, workshop, language and public address.

    Returns
    -------
    starlette.applications.Starlette
        The ASGI app; its store is closed when the server shuts down.
    """
    s = _Room(config)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            s.store.close()

    routes = [
        Route("/", _route(s, _join_form)),
        Route("/j/{code}", _route(s, _join_form)),
        Route("/join", _route(s, _join, post=True), methods=["POST"]),
        Route("/p/{token}", _route(s, _personal_link)),
        Route("/q", _route(s, _first_question)),
        Route("/q/{k:int}", _route(s, _question)),
        Route("/q/{k:int}", _route(s, _answer, post=True), methods=["POST"]),
        Route("/state", _route(s, _state)),
        Route("/host", _route(s, _host_login)),
        Route("/host/projector", _route(s, _host_only(_projector))),
        Route("/host/state", _route(s, _host_only(_host_state))),
        Route("/host/control", _route(s, _host_only(_control), post=True), methods=["POST"]),
        Route("/host/links", _route(s, _host_only(_all_links))),
        Route("/host/links", _route(s, _host_only(_links), post=True), methods=["POST"]),
        Mount("/static", StaticFiles(directory=static_folder()), name="static"),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={404: _not_found(s), 405: _not_found(s)},
    )
    app.add_middleware(_SecurityHeaders)
    return app
