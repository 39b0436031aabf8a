"""An Arabic report and portfolio index in headless Chromium: right to left, complete, printable."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SAMPLES
from helpers.browser import PageLog, edge_gaps, image_report

from assessment.batch import plan, run_batch
from assessment.text import label

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]
CLIENT = "c04-sawsan-bank"


@pytest.fixture(name="arabic_reports", scope="module")
def fixture_arabic_reports(tmp_path_factory) -> Path:
    """One Arabic report (Arabic-Indic digits) and its portfolio index."""
    out = tmp_path_factory.mktemp("arabic")
    batch = plan(
        [SAMPLES / "answers.csv"],
        clients=SAMPLES / "clients.csv",
        peers=SAMPLES / "peers.csv",
        targets=SAMPLES / "targets.csv",
        out_dir=out,
        lang="ar",
        numerals="arabic-indic",
        only=[CLIENT],
    )
    outcomes = run_batch(batch, jobs=1, quiet=True)
    assert outcomes[0].status == "ok", outcomes[0].error
    return out


def test_arabic_report_lays_out_right_to_left(
    arabic_reports: Path, watched_page: tuple, artifacts: Path
) -> None:
    page, log = watched_page
    log: PageLog
    page.set_viewport_size({"width": 1100, "height": 1400})
    page.goto((arabic_reports / CLIENT / "report.html").as_uri())
    page.wait_for_load_state("load")
    page.screenshot(path=artifacts / "report-ar.png", full_page=True)
    assert page.evaluate("document.documentElement.dir") == "rtl"
    right_gap, left_gap = edge_gaps(page, "h1")
    assert right_gap < 2, f"the heading does not start at the right edge ({right_gap}px)"
    assert left_gap > 50
    # The first table column is on the right, as Arabic readers expect.
    first, last = page.evaluate(
        """() => {
            const cells = document.querySelectorAll('.priorities-table thead th');
            return [cells[0].getBoundingClientRect().left,
                    cells[cells.length - 1].getBoundingClientRect().left];
        }"""
    )
    assert first > last
    assert label("executive_summary", "ar") in page.inner_text("body")
    assert all(img["naturalWidth"] > 0 for img in image_report(page))
    assert not log.console_errors
    assert not log.non_local_requests()


def test_arabic_report_prints_to_pdf(arabic_reports: Path, watched_page: tuple) -> None:
    page, _ = watched_page
    page.goto((arabic_reports / CLIENT / "report.html").as_uri())
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 50_000


def test_arabic_portfolio_index_is_right_to_left(
    arabic_reports: Path, watched_page: tuple, artifacts: Path
) -> None:
    page, _ = watched_page
    page.goto((arabic_reports / "index.html").as_uri())
    page.screenshot(path=artifacts / "index-ar.png", full_page=True)
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert edge_gaps(page, "h1")[0] < 2


def test_pdf_option_prints_with_debian_chromium(arabic_reports: Path, tmp_path: Path) -> None:
    # The same path as `maturity batch --pdf`: Playwright driving the machine's Chromium.
    from assessment.report.pdf import find_chromium, html_to_pdf

    try:
        find_chromium()
    except Exception as exc:
        import os

        if os.environ.get("ASSESSMENT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium is required here: {exc}")
        pytest.skip(str(exc))
    pdf = html_to_pdf(arabic_reports / CLIENT / "report.html", tmp_path / "report.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(data) > 50_000
    assert not list(tmp_path.glob("*.tmp*"))
