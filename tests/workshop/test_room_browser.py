"""The workshop room in a real browser: ``maturity workshop`` on loopback, phones in Chromium.

Phones join by code on a phone viewport; a participant reaches neither the facilitator's pages
nor a colleague's ballot, by URL or by name; two people with one name stay two; a restart of
the command mid-vote, with pages left open, loses no vote; Arabic pages are right to left.
Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from helpers import ROOT
from helpers.browser import edge_gaps, watch

from assessment.rubric import load_rubric
from assessment.workshop.store import open_store

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

CLIENT = "c01-fanous-souq"
DATE = "2025-06-01"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@dataclass
class Room:
    """A running ``maturity workshop`` and the links it printed."""

    proc: subprocess.Popen[str]
    participants: str
    code: str
    projector: str
    facilitator: str
    store: Path


def _read_lines(stream: object, sink: queue.Queue[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        sink.put(line)


def _stop(proc: subprocess.Popen[str], sig: int = signal.SIGTERM) -> int:
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
    try:
        return proc.wait(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        return proc.wait(timeout=10)


def _start(store: Path, port: int, *extra: str) -> Room:
    proc = subprocess.Popen(
        [sys.executable, "-m", "assessment", "workshop", "--client", CLIENT, "--store",
         str(store), "--date", DATE, "--port", str(port), *extra],
        cwd=store.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own group: the test stops it as a terminal would
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_read_lines, args=(proc.stdout, lines), daemon=True).start()
    seen: list[str] = []
    deadline = time.monotonic() + 120
    while not any(s.startswith("Facilitator:") for s in seen):
        if proc.poll() is not None:
            pytest.fail(f"the workshop command exited: {proc.stderr.read()}")  # type: ignore[union-attr]
        if time.monotonic() > deadline:
            _stop(proc)
            pytest.fail(f"the workshop server did not start; printed: {seen}")
        with contextlib.suppress(queue.Empty):
            seen.append(lines.get(timeout=0.5).strip())
    urls = {s.split(":", 1)[0]: s.split(":", 1)[1].strip() for s in seen if ": " in s}
    participants, _, code = urls["Participants"].partition("  join code ")
    return Room(
        proc,
        participants,
        code.split(" (")[0].replace(" ", ""),
        urls["Projector"],
        urls["Facilitator"],
        store,
    )


@contextlib.contextmanager
def running(tmp_path: Path, *extra: str, port: int = 0) -> Iterator[Room]:
    store = tmp_path / "workshop.sqlite"
    if not store.exists():
        with open_store(store) as s:
            s.create_workshop(CLIENT, load_rubric("social-media"), date=DATE)
    room = _start(store, port, *extra)
    try:
        yield room
    finally:
        _stop(room.proc)
        for stream in (room.proc.stdout, room.proc.stderr):
            if stream is not None:
                stream.close()


def _join(page: Page, room: Room, name: str, role: str = "") -> None:
    page.goto(room.participants + "/")
    page.fill("input[name=code]", room.code.lower())
    if name:
        page.fill("input[name=name]", name)
    if role:
        page.select_option("select[name=role]", role)
    page.click("button[type=submit]")
    try:
        page.wait_for_selector("form.vote", timeout=20_000)
    except Exception:
        print(page.url, page.inner_text("body"))
        raise


def _status(url: str, cookie: str = "") -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def _cookie_header(context: BrowserContext) -> str:
    return "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())


def _votes(store: Path) -> list[tuple[str, str, str]]:
    with open_store(store) as s:
        w = s.find_workshop(CLIENT, DATE)
        assert w is not None
        votes = s.votes(w.id, latest=False)
    return list(votes[["respondent", "indicator_id", "value"]].itertuples(index=False, name=None))


def test_phones_join_by_code_and_stay_out_of_others_pages(
    tmp_path: Path, browser: Browser, artifacts: Path
) -> None:
    with running(tmp_path, "--clients", str(ROOT / "data/samples/clients.csv"),
                 "--targets", str(ROOT / "data/samples/targets.csv")) as room:  # fmt: skip
        one, two = browser.new_context(**PHONE), browser.new_context(**PHONE)
        try:
            sara = one.new_page()
            log = watch(sara)
            sara.goto(f"{room.participants}/j/{room.code}")
            assert sara.input_value("input[name=code]") == room.code  # the QR link fills it
            sara.screenshot(path=artifacts / "room-join-phone.png", full_page=True)
            _join(sara, room, "Sara Mansour", "social_lead")
            assert "Fanous Souq Retail" in sara.inner_text("header")  # the name, not the id
            box = sara.locator("button.choice").first.bounding_box()
            assert box is not None
            assert box["height"] >= 48
            sara.click("button.choice[value='2']")
            sara.wait_for_selector(".progress[data-done='1']", timeout=20_000)

            # A colleague with the same name (any case) is another person with a blank ballot.
            twin = two.new_page()
            _join(twin, room, "sara mansour")
            assert twin.locator(".progress").get_attribute("data-done") == "0"
            twin.goto(f"{room.participants}/q/1")
            assert twin.locator("button.choice.mine").count() == 0
            twin.click("button.choice[value='4']")
            twin.wait_for_selector(".progress[data-done='1']", timeout=20_000)

            # The numeric keypad for measured answers.
            twin.goto(f"{room.participants}/q/3")
            assert twin.get_attribute("input.number", "inputmode") == "decimal"

            # Neither the facilitator's pages nor anything else, with a participant's cookie.
            cookie = _cookie_header(one)
            for path in ("/host/projector", "/host/links", "/host/state", "/host?token=guess",
                         "/voila/render/workshop.ipynb", "/workshop.ipynb"):  # fmt: skip
                assert _status(room.participants + path, cookie) in (403, 404), path
            assert _status(room.facilitator.split("?")[0]) in (403, 302, 200)
            # Voilà without the token redirects to its login page, never the facilitator's app.
            sara.goto(room.facilitator.split("?")[0])
            assert "login" in sara.url
            assert sara.locator(".ws-status").count() == 0
            assert _status(room.participants + "/host/projector") == 403
            # No personal link but one's own token opens a ballot.
            assert _status(room.participants + "/p/Sara%20Mansour") == 404
            assert not log.page_errors, log.page_errors
            local = (room.participants, room.facilitator.split("/voila")[0])
            foreign = [u for u in log.requests if not u.startswith(local)]
            assert not foreign, foreign  # every asset is local
        finally:
            one.close()
            two.close()
        votes = _votes(room.store)
        assert sorted(votes) == [
            ("Sara Mansour", "strategy_documented", "2"),
            ("sara mansour", "strategy_documented", "4"),
        ]

        # The projector: join code and QR code, results only once revealed.
        desk = browser.new_context(viewport={"width": 1400, "height": 900})
        try:
            projector = desk.new_page()
            projector.goto(room.projector)
            assert projector.url.endswith("/host/projector")  # the token left the address bar
            assert projector.locator(".qr svg").count() == 1
            assert room.code[:3] in projector.inner_text(".code")
            assert projector.locator(".results").count() == 0
            projector.click("button[value='reveal']")
            projector.wait_for_selector(".results", timeout=10_000)
            assert "Sara Mansour" in projector.inner_text(".people")
            projector.screenshot(path=artifacts / "room-projector.png", full_page=True)
        finally:
            desk.close()


def test_a_restart_mid_vote_loses_no_vote(tmp_path: Path, browser: Browser) -> None:
    phone = browser.new_context(**PHONE)
    try:
        with running(tmp_path) as room:
            port = int(room.participants.rsplit(":", 1)[1])
            page = phone.new_page()
            _join(page, room, "Layla")
            page.click("button.choice[value='3']")
            page.wait_for_selector(".progress[data-done='1']", timeout=20_000)
            _stop(room.proc, signal.SIGINT)
        # The server is down; the open page keeps the answer on the phone.
        page.click("button.choice[value='2']")
        page.wait_for_selector("#banner:not([hidden])", timeout=10_000)
        started = time.monotonic()
        with running(tmp_path, port=port) as again:  # the same port, at once
            assert time.monotonic() - started < 60
            page.wait_for_function(
                "() => (localStorage.getItem('maturity-queue') || '[]') === '[]'",
                timeout=30_000,
            )
            page.wait_for_selector("#banner[hidden]", state="attached", timeout=15_000)
            assert _votes(again.store) == [
                ("Layla", "strategy_documented", "3"),
                ("Layla", "strategy_exec_sponsor", "2"),
            ]
    finally:
        phone.close()


def test_killing_the_command_leaves_no_server(tmp_path: Path) -> None:
    with running(tmp_path) as room:
        facilitator_port = int(room.facilitator.split("/voila")[0].rsplit(":", 1)[1])
        os.killpg(room.proc.pid, 0)
        room.proc.kill()  # SIGKILL to the command only: Voilà must not outlive it
        room.proc.wait(timeout=10)
        deadline = time.monotonic() + 30
        while _listening(facilitator_port) and time.monotonic() < deadline:
            time.sleep(0.3)
        assert not _listening(facilitator_port)


def _listening(port: int) -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def test_arabic_pages_are_right_to_left(tmp_path: Path, browser: Browser, artifacts: Path) -> None:
    with running(tmp_path, "--lang", "ar") as room:
        phone = browser.new_context(**PHONE)
        try:
            page = phone.new_page()
            page.goto(room.participants + "/")
            assert page.get_attribute("html", "dir") == "rtl"
            _join(page, room, "هالة", "leadership")
            page.screenshot(path=artifacts / "room-question-ar.png", full_page=True)
            right_gap, left_gap = edge_gaps(page, "main h1")
            assert right_gap < 2, right_gap  # the text starts at the right edge
            assert left_gap > right_gap
            choice = page.locator("button.choice").first.bounding_box()
            label_box = page.locator("button.choice .what").first.bounding_box()
            assert choice
            assert label_box
            # The answer's label starts at the button's right edge.
            assert (choice["x"] + choice["width"]) - (label_box["x"] + label_box["width"]) < 30
            assert re.search(r"[\u0600-\u06FF]", page.inner_text("main"))
        finally:
            phone.close()
        desk = browser.new_context(viewport={"width": 1400, "height": 900})
        try:
            projector = desk.new_page()
            projector.goto(room.projector)
            assert projector.get_attribute("html", "dir") == "rtl"
            right_gap, _ = edge_gaps(projector, ".question-panel h1")
            assert right_gap < 2, right_gap
            projector.screenshot(path=artifacts / "room-projector-ar.png", full_page=True)
        finally:
            desk.close()


def test_a_phones_vote_reaches_the_facilitators_page_live(
    tmp_path: Path, browser: Browser, artifacts: Path
) -> None:
    with running(tmp_path, "--poll", "0.5") as room:
        desk = browser.new_context(viewport={"width": 1400, "height": 1000})
        phone = browser.new_context(**PHONE)
        try:
            facilitator = desk.new_page()
            f_log = watch(facilitator)
            facilitator.goto(room.facilitator)
            facilitator.wait_for_selector(".ws-status[data-votes='0']", timeout=90_000)
            assert room.code[:3] in facilitator.inner_text(".ws-room")  # the join code
            assert facilitator.locator(".ws-room svg").count() == 1  # and its QR code
            participant = phone.new_page()
            _join(participant, room, "Browser Tester", "leadership")
            participant.click("button.choice[value='4']")
            participant.wait_for_selector(".progress[data-done='1']", timeout=20_000)
            # The facilitator's page polls the store: the vote is counted.
            facilitator.wait_for_selector(".ws-status[data-votes='1']", timeout=30_000)
            assert "1 vote ·" in facilitator.inner_text(".ws-status")
            facilitator.screenshot(path=artifacts / "room-facilitator.png", full_page=True)
            assert not f_log.page_errors, f_log.page_errors
            local = (room.facilitator.split("/voila")[0], "ws://127.0.0.1", "data:", "blob:")
            foreign = [u for u in f_log.requests if not u.startswith(local)]
            assert not foreign, foreign  # no CDN: Font Awesome is gone from Voilà's page
        finally:
            phone.close()
            desk.close()


def test_arabic_facilitator_page_is_right_to_left(
    tmp_path: Path, browser: Browser, artifacts: Path
) -> None:
    samples = ROOT / "data/samples"
    files = ("--clients", str(samples / "clients.csv"), "--targets", str(samples / "targets.csv"))
    with running(tmp_path, "--lang", "ar", *files) as room:
        desk = browser.new_context(viewport={"width": 1400, "height": 1000})
        try:
            page = desk.new_page()
            page.goto(room.facilitator)
            page.wait_for_selector(".ws-status", timeout=90_000)
            page.wait_for_selector(".ws-rtl", timeout=10_000)
            right_gap, left_gap = edge_gaps(page, ".ws-status")
            assert right_gap < 2, right_gap  # the status line starts at the right edge
            assert left_gap > right_gap
            # The tabs run right to left, and no tab name is cut.
            tabs = page.locator(".lm-TabBar-tab")
            first, second = tabs.nth(0).bounding_box(), tabs.nth(1).bounding_box()
            assert first
            assert second
            assert first["x"] > second["x"]
            cut = page.evaluate(
                """() => Array.from(document.querySelectorAll('.lm-TabBar-tabLabel'))
                    .filter((el) => el.scrollWidth > el.clientWidth + 1).length"""
            )
            assert cut == 0
            assert "Workshop" not in page.inner_text(".ws-facilitator")
            assert "Fanous Souq Retail" in page.inner_text("h2")  # the client's name, not its id
            page.screenshot(path=artifacts / "room-facilitator-ar.png", full_page=True)
        finally:
            desk.close()


def test_phones_follow_the_question_the_facilitator_pushes(
    tmp_path: Path, browser: Browser
) -> None:
    with running(tmp_path) as room:
        phone = browser.new_context(**PHONE)
        desk = browser.new_context(viewport={"width": 1400, "height": 900})
        try:
            page = phone.new_page()
            _join(page, room, "Omar")
            assert page.url.endswith("/q/1")
            projector = desk.new_page()
            projector.goto(room.projector)
            projector.click("button[value='next']")  # question 2 on the screen
            projector.wait_for_selector("text=Question 2 of", timeout=10_000)
            projector.click("button[value='pace']")  # every phone follows it
            page.wait_for_url("**/q/2", timeout=15_000)
            projector.click("button[value='next']")
            page.wait_for_url("**/q/3", timeout=15_000)
            projector.click("button[value='free']")
            page.goto(room.participants + "/q/1")  # free again: any question
            assert page.url.endswith("/q/1")
        finally:
            desk.close()
            phone.close()
