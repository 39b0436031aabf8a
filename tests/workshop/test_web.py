"""The participant app over ASGI (no server, no browser): who may see what, and what is stored.

The browser tests (``test_room_browser.py``) drive the same routes through Chromium; these
check the rules one request at a time.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from assessment.rubric import load_rubric
from assessment.workshop import room
from assessment.workshop.store import open_store
from assessment.workshop.web import HOST_COOKIE, PARTICIPANT_COOKIE, AppConfig, create_app

with warnings.catch_warnings():  # starlette's test client warns about its httpx backend
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

URL = "http://127.0.0.1:8866"


@pytest.fixture(name="setup")
def fixture_setup(tmp_path: Path) -> tuple[Path, int, room.Room]:
    path = tmp_path / "ws.sqlite"
    with open_store(path) as store:
        wid = store.create_workshop("c01-test", load_rubric("social-media"), date="2025-06-01").id
        return path, wid, room.open_room(store, wid)


@contextlib.contextmanager
def _client(setup: tuple[Path, int, room.Room], lang: str = "en") -> Iterator[TestClient]:
    path, wid, _ = setup
    app = create_app(AppConfig(str(path), wid, lang=lang, client_name="Test <Client>"))
    with TestClient(app, base_url=URL) as client:
        yield client


@pytest.fixture(name="client")
def fixture_client(setup: tuple[Path, int, room.Room]) -> Iterator[TestClient]:
    with _client(setup) as client:
        yield client


def _join(client: TestClient, code: str, name: str, role: str = "") -> str:
    response = client.post(
        "/join", data={"code": code, "name": name, "role": role}, follow_redirects=False
    )
    assert response.status_code == 303
    return client.cookies[PARTICIPANT_COOKIE]


def test_join_needs_the_code_and_gives_a_token(client: TestClient, setup) -> None:
    _, _, r = setup
    page = client.get("/")
    assert page.status_code == 200
    assert "Test &lt;Client&gt;" in page.text  # the client's name, escaped
    assert "cdn" not in page.text.lower()
    wrong = client.post("/join", data={"code": "ZZZZZZ", "name": "Ann"})
    assert wrong.status_code == 400
    assert "No workshop has the code ZZZZZZ" in wrong.text
    token = _join(client, r.join_code.lower(), "Ann")
    assert len(token) >= 32
    assert "Ann" not in token
    response = client.get("/q/1")
    assert response.status_code == 200
    assert "strategy_documented" in response.text


def test_headers_keep_pages_private(client: TestClient) -> None:
    response = client.get("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-frame-options"] == "DENY"
    css = client.get("/static/app.css?v=1")
    assert css.status_code == 200
    assert "immutable" in css.headers["cache-control"]
    assert client.get("/static/").status_code == 404  # no listing


def test_a_participant_reaches_no_facilitator_page(client: TestClient, setup) -> None:
    _, _, r = setup
    _join(client, r.join_code, "Sara")
    for path in ("/host/projector", "/host/links", "/host/state", "/host?token=nope"):
        assert client.get(path).status_code == 403, path
    assert client.post("/host/control", data={"action": "reveal"}).status_code == 403
    assert client.post("/host/links", data={"names": "Eve"}).status_code == 403
    assert client.get("/voila/render/workshop.ipynb").status_code == 404
    # The facilitator's token opens them, through a cookie: the address loses the token.
    login = client.get(f"/host?token={r.host_token}", follow_redirects=False)
    assert login.status_code == 303
    assert login.headers["location"] == "/host/projector"
    assert client.cookies[HOST_COOKIE] == r.host_token
    assert client.get("/host/projector").status_code == 200


def test_a_form_from_another_site_is_refused(client: TestClient, setup) -> None:
    _, _, r = setup
    response = client.post(
        "/join",
        data={"code": r.join_code, "name": "Mallory"},
        headers={"origin": "http://evil.example"},
    )
    assert response.status_code == 403


def test_same_name_different_people_and_no_way_into_another_ballot(setup) -> None:
    path, wid, r = setup
    with _client(setup) as one, _client(setup) as two:
        _join(one, r.join_code, "Sara Mansour")
        _join(two, r.join_code, "sara mansour")
        one.post("/q/1", data={"value": "2", "comment": "we have a deck"})
        two.post("/q/1", data={"value": "4"})
        assert "aria-pressed='true'" in one.get("/q/1").text
        assert "we have a deck" in one.get("/q/1").text
        assert "we have a deck" not in two.get("/q/1").text
        # A typed name or a guessed token is nobody.
        assert two.get("/p/Sara%20Mansour").status_code == 404
    with open_store(path) as store:
        votes = store.votes(wid)
    assert sorted(zip(votes["respondent"], votes["value"], strict=True)) == [
        ("Sara Mansour", "2"),
        ("sara mansour", "4"),
    ]


def test_a_refused_answer_is_one_message_in_the_pages_language(setup) -> None:
    _, _, r = setup
    with _client(setup, "ar") as client:
        _join(client, r.join_code, "هالة")
        json = {"accept": "application/json"}
        response = client.post("/q/3", data={"value": "many"}, headers=json)
        assert response.status_code == 400
        assert response.json()["error"].startswith("أدخل رقمًا")
        page = client.post("/q/3", data={"value": "many"})
        assert page.status_code == 400
        assert "<html lang='ar' dir='rtl'>" in page.text
        assert "Traceback" not in page.text
        ok = client.post("/q/3", data={"value": "١٢٫٥"}, follow_redirects=False)
        assert ok.status_code == 303  # Arabic-Indic digits and decimal separator


def test_pacing_sends_every_phone_to_the_pushed_question(client: TestClient, setup) -> None:
    path, wid, r = setup
    _join(client, r.join_code, "Ann")
    with open_store(path) as store:
        room.set_room(store, wid, paced=True, current="crisis_plan")
        k = room.ballot(store.rubric(wid), "").index("crisis_plan") + 1
    assert client.get("/state").json()["k"] == k
    moved = client.get("/q/1", follow_redirects=False)
    assert moved.headers["location"] == f"/q/{k}"


def test_personal_links_for_a_list_and_for_a_new_device(client: TestClient, setup) -> None:
    _, _, r = setup
    client.get(f"/host?token={r.host_token}")
    made = client.post("/host/links", data={"names": "Layla\nOmar\nLayla"})
    assert made.status_code == 200
    assert made.text.count("/p/") == 3  # two Laylas, two links
    link = made.text.split("<code dir='ltr'>")[1].split("</code>")[0]
    with _client(setup) as phone:
        assert phone.get(link.replace(URL, "")).status_code == 200
        assert phone.get("/q/1").status_code == 200
    assert client.post("/host/links", data={"names": "x\n" * 501}).status_code == 400


def test_an_anonymous_room_asks_no_name(setup) -> None:
    path, wid, r = setup
    app = create_app(AppConfig(str(path), wid, anonymous=True))
    with TestClient(app, base_url=URL) as client:
        page = client.get("/")
        assert "name='name'" not in page.text
        assert "Anonymous workshop" in page.text
        _join(client, r.join_code, "")
        assert client.get("/q/1").status_code == 200
    with open_store(path) as store:
        assert [p.name for p in store.participants(wid)] == ["#1"]
