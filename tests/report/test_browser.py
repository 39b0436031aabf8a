"""The rendered reports as a reader sees them: headless Chromium on the batch's HTML.

One batch renders three sample clients (one with two assessment dates, one with an Arabic name,
one whose answers come only from the forms export); the tests then open the portfolio index and
the reports from disk, follow the index's link, and check what a browser reports: console
errors, failed or non-local requests, broken images, leaked code, the headline number, and that
the page prints to PDF.  Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from helpers import SAMPLES
from helpers.browser import PageLog, image_report

from assessment.batch import plan, run_batch
from assessment.inputs import load_answers, load_clients, load_peers, load_targets
from assessment.rubric import load_rubric
from assessment.scoring import score

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

ANSWERS = [SAMPLES / "answers.csv", SAMPLES / "answers_forms_export.csv"]
INPUTS = {
    "clients": SAMPLES / "clients.csv",
    "peers": SAMPLES / "peers.csv",
    "targets": SAMPLES / "targets.csv",
}
#: Two assessment dates; an Arabic (right-to-left) name; answers only in the forms export.
CLIENTS = ["c01-fanous-souq", "c02-wadi-kharaz", "c12-jasmine-bridges"]
FIRST = CLIENTS[0]
#: Text that must never reach a client: notebook code and prompts.
LEAKS = ["report.prepare(", "In [", "Out[", "from assessment import", "client_id ="]
#: Input areas and prompts of nbconvert's classic and JupyterLab templates.
CODE_SELECTORS = ".input, .input_area, .prompt, .jp-InputArea, .jp-InputPrompt, .jp-OutputPrompt"


def client_names() -> dict[str, str]:
    """``client_id -> name`` straight from the sample clients table."""
    with (SAMPLES / "clients.csv").open(encoding="utf-8-sig", newline="") as fh:
        return {row["client_id"]: row["name"] for row in csv.DictReader(fh)}


@pytest.fixture(name="rendered", scope="module")
def fixture_rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Render the three clients' reports and the portfolio index once for the module."""
    out = tmp_path_factory.mktemp("browser-reports")
    batch = plan(answers=ANSWERS, out_dir=out, only=CLIENTS, **INPUTS)
    outcomes = run_batch(batch, jobs=2, quiet=True)
    problems = [f"{o.client_id}: {o.status} {o.error}" for o in outcomes if o.status != "ok"]
    assert not problems, problems
    return out


@pytest.fixture(name="engine_index", scope="module")
def fixture_engine_index() -> dict[str, float]:
    """The engine's index (latest assessment) per client, scored on the same files."""
    rubric = load_rubric("social-media")
    targets = load_targets(INPUTS["targets"], rubric)
    clients = load_clients(INPUTS["clients"], rubric, targets=targets)
    answers = load_answers(ANSWERS, rubric, clients=clients)
    peers = load_peers(INPUTS["peers"], rubric)
    result = score(rubric, answers, clients=clients, peers=peers, targets=targets)
    return result.summary().set_index("client_id")["index"].astype(float).to_dict()


def assert_clean(log: PageLog) -> None:
    """No console errors, uncaught exceptions, failed requests or network access."""
    assert not log.errors, f"console errors: {log.errors}"
    assert not log.failed_requests, f"failed requests: {log.failed_requests}"
    assert not log.non_local_requests(), f"non-local requests: {log.non_local_requests()}"


def assert_images_loaded(page: Page, minimum: int = 1) -> list[dict[str, Any]]:
    """Every ``<img>`` decoded (``naturalWidth > 0``); at least ``minimum`` of them."""
    images = image_report(page)
    assert len(images) >= minimum, f"expected >= {minimum} images, found {images}"
    broken = [img for img in images if not (img["complete"] and img["naturalWidth"] > 0)]
    assert not broken, f"images that did not load: {broken}"
    return images


def check_report(
    page: Page, log: PageLog, client_id: str, engine_index: dict[str, float], artifacts: Path
) -> None:
    """Every check on an open ``<client_id>/report.html``, then a full-page screenshot."""
    assert page.url.endswith(f"/{client_id}/report.html"), page.url
    assert page.locator("h1").count() == 1
    assert page.locator("h1").inner_text().strip() == client_names()[client_id]
    # Radar, priorities, agreement and benchmark at least (trend and resourcing need history
    # and message volumes, which not every sample client has).
    assert_images_loaded(page, minimum=4)
    assert_clean(log)
    card = page.locator('[data-metric="index"] .card-value').inner_text().strip()
    assert int(card) == round(engine_index[client_id]), (card, engine_index[client_id])
    text = page.inner_text("body")
    leaked = [s for s in LEAKS if s in text]
    assert not leaked, f"notebook code or prompts in the page: {leaked}"
    assert page.locator(CODE_SELECTORS).count() == 0, "code cells or prompts in the page"
    assert "Traceback" not in text
    page.screenshot(path=str(artifacts / f"report-{client_id}.png"), full_page=True)


def portfolio_rows(page: Page) -> dict[str, dict[str, Any]]:
    """The portfolio table by client id: name, link target and whether the report failed."""
    return page.evaluate(
        """() => Object.fromEntries(
            Array.from(document.querySelectorAll("table.portfolio-table tbody tr")).map((tr) => {
                const link = tr.querySelector("a");
                const who = tr.querySelector("[data-client]");
                return [who.dataset.client, {
                    name: who.textContent.trim(),
                    href: link ? link.getAttribute("href") : null,
                    failed: tr.querySelector(".status-failed") !== null,
                }];
            }))"""
    )


def test_index_lists_the_clients_and_loads_cleanly(
    rendered: Path, watched_page: tuple[Page, PageLog], artifacts: Path
) -> None:
    page, log = watched_page
    page.goto((rendered / "index.html").as_uri())
    assert_images_loaded(page, minimum=1)  # the portfolio chart
    assert_clean(log)
    rows = portfolio_rows(page)
    names = client_names()
    for cid in CLIENTS:
        assert rows.get(cid) == {
            "name": names[cid],
            "href": f"{cid}/report.html",
            "failed": False,
        }, rows.get(cid)
    linked = sorted(cid for cid, row in rows.items() if row["href"])
    assert linked == CLIENTS
    page.screenshot(path=str(artifacts / "index.png"), full_page=True)


def test_index_lists_only_the_clients_of_the_batch(
    rendered: Path, watched_page: tuple[Page, PageLog]
) -> None:
    page, _ = watched_page
    page.goto((rendered / "index.html").as_uri())
    assert sorted(portfolio_rows(page)) == CLIENTS


def test_first_link_opens_that_clients_report(
    rendered: Path,
    watched_page: tuple[Page, PageLog],
    engine_index: dict[str, float],
    artifacts: Path,
) -> None:
    page, log = watched_page
    page.goto((rendered / "index.html").as_uri())
    link = page.locator("table.portfolio-table tbody tr a").first
    assert link.get_attribute("href") == f"{FIRST}/report.html"
    with page.expect_navigation(url=f"**/{FIRST}/report.html"):
        link.click()
    page.wait_for_load_state("load")
    check_report(page, log, FIRST, engine_index, artifacts)
    # Two assessment dates: the trend section has a chart, not the "no trend" note.
    assert page.locator("#trend img").count() >= 1


@pytest.mark.parametrize("client_id", CLIENTS[1:])
def test_other_reports_render_cleanly(
    client_id: str,
    rendered: Path,
    watched_page: tuple[Page, PageLog],
    engine_index: dict[str, float],
    artifacts: Path,
) -> None:
    page, log = watched_page
    page.goto((rendered / client_id / "report.html").as_uri())
    check_report(page, log, client_id, engine_index, artifacts)


def test_report_prints_to_pdf(
    rendered: Path, watched_page: tuple[Page, PageLog], artifacts: Path
) -> None:
    page, log = watched_page
    page.goto((rendered / FIRST / "report.html").as_uri())
    pdf = artifacts / f"report-{FIRST}.pdf"
    pdf.unlink(missing_ok=True)
    page.pdf(path=str(pdf), format="A4", print_background=True)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF"), data[:16]
    assert len(data) > 10_000, len(data)
    assert_clean(log)
