"""Browser fixtures: Debian's Chromium driven headless through Playwright.

Loaded from ``tests/conftest.py`` through ``pytest_plugins``.  Playwright is only asked to drive
the Chromium already installed on the machine, found and started exactly as the package does
for PDFs (:mod:`assessment.report.pdf`); it never downloads a browser.

When Playwright or Chromium is missing the browser tests are skipped, unless the environment
variable ``ASSESSMENT_REQUIRE_BROWSER=1`` is set (CI sets it in ``.ci/run``): then they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest

from assessment.exceptions import MissingChromiumError
from assessment.report.pdf import CHROMIUM_FLAGS
from assessment.report.pdf import find_chromium as pkg_find_chromium

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

from helpers import ROOT

#: Screenshots and PDFs written by the browser tests (gitignored).
ARTIFACTS = ROOT / "test-artifacts"
REQUIRE_ENV = "ASSESSMENT_REQUIRE_BROWSER"


def pytest_configure(config: pytest.Config) -> None:
    """Declare ``xdist_group`` so ``--strict-markers`` accepts it without pytest-xdist."""
    config.addinivalue_line(
        "markers", "xdist_group(name): run these tests in one pytest-xdist worker"
    )


def find_chromium() -> str | None:
    """Path of the Chromium the package would use for PDFs, or ``None`` when there is none."""
    try:
        return pkg_find_chromium()
    except MissingChromiumError:
        return None


def browser_unavailable(reason: str) -> NoReturn:
    """Skip the test, or fail it when ``ASSESSMENT_REQUIRE_BROWSER=1``."""
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{reason} ({REQUIRE_ENV}=1: the browser tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(name="browser", scope="session")
def fixture_browser() -> Iterator[Browser]:
    """A headless Chromium shared by the whole session."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        browser_unavailable(
            "playwright is not installed: .venv/bin/pip install playwright "
            "(it is in the [dev] extra; never run 'playwright install')"
        )
    executable = find_chromium()
    if executable is None:
        browser_unavailable(
            "Chromium not found (chromium on PATH or ASSESSMENT_CHROMIUM): "
            "sudo apt-get install -y chromium"
        )
    with sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_FLAGS
            )
        except Error as exc:
            browser_unavailable(f"Chromium at {executable} did not start: {exc}")
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(name="browser_context")
def fixture_browser_context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh, isolated browser context (no shared cookies or cache) per test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield context
    finally:
        context.close()


@pytest.fixture(name="artifacts", scope="session")
def fixture_artifacts() -> Path:
    """``test-artifacts/`` at the repository root, created when missing."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@dataclass
class PageLog:
    """What a page did: console errors, uncaught exceptions and every request."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        """Console errors and uncaught exceptions together."""
        return self.console_errors + self.page_errors

    def non_local_requests(self) -> list[str]:
        """Requested URLs that are neither ``file:`` nor ``data:``."""
        return [u for u in self.requests if not u.startswith(("file:", "data:"))]


def watch(page: Page) -> PageLog:
    """Start recording ``page``'s console errors, exceptions and requests."""
    log = PageLog()
    page.on(
        "console",
        lambda msg: (
            log.console_errors.append(f"{msg.text} ({msg.location})")
            if msg.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))
    page.on("request", lambda req: log.requests.append(req.url))
    page.on(
        "requestfailed",
        lambda req: log.failed_requests.append(f"{req.url[:120]}: {req.failure}"),
    )
    return log


@pytest.fixture(name="watched_page")
def fixture_watched_page(browser_context: BrowserContext) -> tuple[Page, PageLog]:
    """A new page whose console, exceptions and requests are recorded from the start."""
    page = browser_context.new_page()
    return page, watch(page)


def image_report(page: Page) -> list[dict[str, object]]:
    """Every ``<img>`` of the page: start of its source, alt text and natural size."""
    return page.evaluate(
        """() => Array.from(document.images).map((img) => ({
            src: img.currentSrc.slice(0, 40),
            alt: img.alt,
            complete: img.complete,
            naturalWidth: img.naturalWidth,
        }))"""
    )


def edge_gaps(page: Page, selector: str) -> tuple[float, float]:
    """For the first match of ``selector``: (container right - text right, text left -
    container left).  Right-to-left text starts at the right edge: the first gap is ~0."""
    return page.evaluate(
        """sel => {
            const el = document.querySelector(sel);
            const range = document.createRange();
            range.selectNodeContents(el);
            const text = range.getBoundingClientRect();
            const box = el.getBoundingClientRect();
            return [box.right - text.right, text.left - box.left];
        }""",
        selector,
    )
