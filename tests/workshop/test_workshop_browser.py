"""A live workshop in a real browser: ``maturity workshop`` on loopback, Voilà, headless Chromium.

One participant votes from a phone-sized page; the facilitator's page, polling the store, shows
the vote counted and the radar redrawn; the participant reloads and resumes where they were;
Ctrl-C stops the server cleanly.  Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from helpers import ROOT
from helpers.browser import PageLog, edge_gaps, watch

from assessment.rubric import load_rubric
from assessment.workshop.store import open_store

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

CLIENT = "c01-fanous-souq"
DATE = "2025-06-01"
#: Voilà's page template links Font Awesome from a CDN; offline, only the icons are missing.
TEMPLATE_CDN = "cdn.jsdelivr.net/npm/@fortawesome"
#: Voilà's kernel-shutdown beacon on page unload is refused with 403 for want of an XSRF token
#: (voila-dashboards/voila#1458); the command culls such kernels once idle instead.
SHUTDOWN_BEACON = "/voila/api/shutdown/"


@dataclass
class Server:
    """A running ``maturity workshop`` and what it printed."""

    proc: subprocess.Popen[str]
    facilitator: str
    participants: str
    port: int
    store: Path
    lines: list[str]


def _read_lines(stream: object, sink: queue.Queue[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        sink.put(line)


def _stop(proc: subprocess.Popen[str], sig: int) -> int:
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
    return proc.wait(timeout=40)


@pytest.fixture(name="server")
def fixture_server(tmp_path: Path) -> Iterator[Server]:
    """Start the workshop command on a free loopback port, with one earlier vote in the store."""
    with running_server(tmp_path) as server:
        yield server


@contextlib.contextmanager
def running_server(tmp_path: Path, *extra: str) -> Iterator[Server]:
    """``maturity workshop`` on a free loopback port (``extra``: more options, e.g. --lang)."""
    store_path = tmp_path / "workshop.sqlite"
    with open_store(store_path) as store:
        w = store.create_workshop(CLIENT, load_rubric("social-media"), date=DATE)
        store.vote(store.join(w.id, "Earlier voter", "CFO"), "strategy_documented", 2)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "assessment",
            "workshop",
            "--client",
            CLIENT,
            "--store",
            str(store_path),
            "--port",
            "0",
            "--poll",
            "0.5",
            *extra,
        ],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Its own process group, so the test can deliver Ctrl-C the way a terminal does.
        start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=_read_lines, args=(proc.stdout, lines), daemon=True)
    reader.start()
    seen: list[str] = []
    deadline = time.monotonic() + 120
    try:
        while not any(s.startswith("Participants:") for s in seen):
            if proc.poll() is not None:
                pytest.fail(f"the workshop command exited: {proc.stderr.read()}")  # type: ignore[union-attr]
            if time.monotonic() > deadline:
                pytest.fail(f"the workshop server did not start; printed: {seen}")
            try:
                seen.append(lines.get(timeout=0.5).strip())
            except queue.Empty:
                continue
        urls = {s.split(":", 1)[0]: s.split(":", 1)[1].strip() for s in seen if ": " in s}
        port = int(urls["Facilitator"].split(":")[2].split("/")[0])
        yield Server(proc, urls["Facilitator"], urls["Participants"], port, store_path, seen)
    finally:
        if proc.poll() is None:
            # SIGTERM also stops Voilà and its kernels cleanly (SIGKILL would orphan them).
            try:
                _stop(proc, signal.SIGTERM)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        reader.join(timeout=10)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def _assert_clean(log: PageLog, port: int) -> None:
    """No uncaught exceptions; nothing requested beyond the server but the template's icons."""
    assert not log.page_errors, log.page_errors
    known = (TEMPLATE_CDN, SHUTDOWN_BEACON)
    errors = [e for e in log.console_errors if not any(k in e for k in known)]
    assert not errors, errors
    failed = [f for f in log.failed_requests if TEMPLATE_CDN not in f]
    assert not failed, failed
    local = (f"http://127.0.0.1:{port}/", f"ws://127.0.0.1:{port}/", "data:", "blob:")
    foreign = [u for u in log.requests if not u.startswith(local) and TEMPLATE_CDN not in u]
    assert not foreign, foreign


#: The participant's second question: its heading, above its answer buttons.
NEXT_QUESTION = ".ws-vote h3:has-text('Executive sponsorship') >> nth=0"


def test_a_vote_reaches_the_facilitator_live(
    server: Server, browser: Browser, artifacts: Path
) -> None:
    assert server.facilitator == f"http://127.0.0.1:{server.port}/voila/render/workshop.ipynb"
    assert server.participants.startswith(
        f"http://127.0.0.1:{server.port}/voila/render/vote.ipynb?workshop="
    )

    desk = browser.new_context(viewport={"width": 1400, "height": 1000})
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        facilitator = desk.new_page()
        f_log = watch(facilitator)
        facilitator.goto(server.facilitator)
        facilitator.wait_for_selector(".ws-status[data-votes='1']", timeout=90_000)
        facilitator.wait_for_selector("img.ws-radar", timeout=30_000)
        radar_before = facilitator.get_attribute("img.ws-radar", "src")
        facilitator.screenshot(path=artifacts / "workshop-facilitator-before.png", full_page=True)

        participant = phone.new_page()
        p_log = watch(participant)
        participant.goto(f"{server.participants}&name=Browser%20Tester&role=CMO")
        participant.wait_for_selector(".ws-choice-4", timeout=90_000)
        assert participant.locator(".ws-progress").get_attribute("data-done") == "0"
        # Touch-sized answer buttons: at least 48 px tall on a phone.
        box = participant.locator(".ws-choice-4").bounding_box()
        assert box is not None
        assert box["height"] >= 48
        participant.screenshot(path=artifacts / "workshop-participant.png", full_page=True)
        participant.click(".ws-choice-4")
        participant.wait_for_selector(".ws-progress[data-done='1']", timeout=30_000)
        participant.wait_for_selector(".ws-message.ws-ok", timeout=10_000)
        # Saved, and on to the next indicator (executive sponsorship, anchored in rubric 2.0).
        participant.wait_for_selector(NEXT_QUESTION, timeout=10_000)
        participant.screenshot(path=artifacts / "workshop-participant-voted.png", full_page=True)

        # The facilitator's page polls the store: the vote is counted and the radar redrawn.
        facilitator.wait_for_selector(".ws-status[data-votes='2']", timeout=30_000)
        facilitator.wait_for_function(
            "(before) => document.querySelector('img.ws-radar').src !== before",
            arg=radar_before,
            timeout=30_000,
        )
        assert "2 participants" in facilitator.inner_text(".ws-status")
        first = facilitator.locator(".ws-consensus tr.ws-row").first
        assert first.get_attribute("data-indicator") == "strategy_documented"
        assert "ws-hot" in (first.get_attribute("class") or "")  # votes 2 and 4: a hotspot
        facilitator.screenshot(path=artifacts / "workshop-facilitator-after.png", full_page=True)

        # Closing the tab loses nothing: the same link resumes at the next indicator.
        participant.reload()
        participant.wait_for_selector(".ws-progress[data-done='1']", timeout=90_000)
        assert "Indicator 2 of" in participant.inner_text(".ws-progress")
        participant.wait_for_selector(NEXT_QUESTION, timeout=10_000)

        _assert_clean(f_log, server.port)
        _assert_clean(p_log, server.port)
    finally:
        phone.close()
        desk.close()

    with open_store(server.store) as store:
        votes = store.votes(store.find_workshop(CLIENT, DATE).id)  # type: ignore[union-attr]
    mine = votes.loc[votes["respondent"] == "Browser Tester"]
    assert mine[["role", "indicator_id", "value"]].values.tolist() == [
        ["CMO", "strategy_documented", "4"]
    ]

    # Ctrl-C: the command stops Voilà and its kernels and exits 0.
    assert _stop(server.proc, signal.SIGINT) == 0
    stderr = server.proc.stderr.read()  # type: ignore[union-attr]
    assert "stopped; the workshop is saved in" in stderr
    assert "Traceback" not in stderr
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", server.port), timeout=1).close()


def test_arabic_participant_page_is_right_to_left(
    tmp_path: Path, browser: Browser, artifacts: Path
) -> None:
    with running_server(tmp_path, "--lang", "ar") as server:
        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
        try:
            page = phone.new_page()
            log = watch(page)
            page.goto(server.participants + "&name=%D9%87%D8%A7%D9%84%D8%A9&role=CFO")
            page.wait_for_selector(".ws-vote div[dir='rtl']", timeout=90_000)
            page.screenshot(path=artifacts / "workshop-participant-ar.png", full_page=True)
            right_gap, left_gap = edge_gaps(
                page, ".ws-vote div[dir='rtl'] h3, .ws-vote div[dir='rtl'] p"
            )
            assert right_gap < 2, right_gap  # the text starts at the right edge
            assert left_gap > right_gap
            text = page.inner_text(".ws-vote")
            assert re.search(r"[\u0600-\u06FF]", text)  # Arabic labels, not English ones
            _assert_clean(log, server.port)
        finally:
            phone.close()
