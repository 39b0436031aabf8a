"""The printed report, opened with pypdf: pages, running header and footer, charts, margins.

Issue 15's review found headings alone at the foot of a page, a 38-row chart sliced through a
label, no header, footer or page number, and Arabic text pushed past the margin by long hashes.
These tests print one English (A4) and one Arabic (Letter) report through the command line and
read the PDFs back: where every image is drawn, what text every page carries, and where.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from helpers import run_cli

from assessment.report.pdf import section_pages
from assessment.text import label

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

CLIENT = "c04-sawsan-bank"
NAME = "Sawsan Capital Bank"
MM = 72 / 25.4
#: The printer's margins (assessment/report/pdf.py), in points; the body lies between them.
TOP, BOTTOM, SIDE = 20 * MM, 18 * MM, 15 * MM
TOLERANCE = 1.0


def _print(out: Path, *options: str) -> Path:
    result = run_cli("report", CLIENT, "--samples", "--pdf", "--out", str(out), "-q", *options)
    if "Chromium not found" in result.stderr:  # pragma: no cover - the browser fixtures' rule
        from helpers.browser import browser_unavailable

        browser_unavailable("Chromium not found")
    assert result.returncode == 0, result.stderr
    return out / CLIENT / "report.pdf"


@pytest.fixture(name="pdfs", scope="module")
def fixture_pdfs(tmp_path_factory) -> dict[str, Path]:
    """An English A4 report and an Arabic Letter report, printed by ``maturity report``."""
    out = tmp_path_factory.mktemp("pdf")
    return {
        "en": _print(out / "en", "--lang", "en"),
        "ar": _print(out / "ar", "--lang", "ar", "--paper", "letter"),
    }


def _layout(page) -> tuple[list[tuple[float, float, float, float]], list[tuple[float, float, str]]]:
    """Images (x0, y0, x1, y1) and text runs (x, y, text) of a page, in page coordinates."""
    images, texts = [], []

    def before(op, args, cm, tm):
        if op == b"Do":
            a, _, _, d, e, f = (float(v) for v in cm)
            images.append((min(e, e + a), min(f, f + d), max(e, e + a), max(f, f + d)))

    def text(run, cm, tm, font, size):
        if run.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            texts.append((x, y, unicodedata.normalize("NFKC", run)))

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return images, texts


def squash(text: str) -> str:
    """Text without whitespace: pypdf puts spaces between words and glyph runs freely."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _pages(path: Path):
    from pypdf import PdfReader

    reader = PdfReader(path)
    return reader, reader.pages


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_page_carries_the_header_the_page_number_and_the_confidentiality_line(
    pdfs: dict[str, Path], lang: str
) -> None:
    _, pages = _pages(pdfs[lang])
    n = len(pages)
    assert 12 <= n <= 40, n
    for number, page in enumerate(pages, start=1):
        text = squash(page.extract_text())
        assert squash(NAME) in text, f"page {number} has no running header with the client"
        if lang == "en":
            assert squash(f"Page {number} of {n}") in text, f"page {number}"
            assert squash("Confidential: prepared for") in text
        else:
            # Right-to-left runs come out of the PDF in visual order: look for the parts.
            assert "الصفحة" in text, f"page {number}"
            assert re.search(rf"(?<!\d){number}(?!\d)", text), f"page {number}"
            assert "سري" in text


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_no_chart_crosses_a_page_boundary(pdfs: dict[str, Path], lang: str) -> None:
    _, pages = _pages(pdfs[lang])
    charts = 0
    for number, page in enumerate(pages, start=1):
        height = float(page.mediabox.height)
        for _, y0, _, y1 in _layout(page)[0]:
            charts += 1
            where = f"page {number}: image at y {y0:.0f}-{y1:.0f} of {height:.0f}"
            assert y0 >= BOTTOM - TOLERANCE, where
            assert y1 <= height - TOP + TOLERANCE, where
    assert charts >= 5  # radar, priorities, agreement, benchmark, trend, resourcing


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_text_stays_inside_the_margins(pdfs: dict[str, Path], lang: str) -> None:
    """Every text run starts inside the side margins.

    Right-to-left text that overflows its box (a long hash in the Arabic methodology page)
    grows to the left: its run starts left of the margin, or off the page.
    """
    _, pages = _pages(pdfs[lang])
    for number, page in enumerate(pages, start=1):
        width = float(page.mediabox.width)
        for x, _, run in _layout(page)[1]:
            assert SIDE - TOLERANCE <= x <= width - SIDE + TOLERANCE, (number, x, run)


def test_the_contents_list_gives_the_page_of_every_section(pdfs: dict[str, Path]) -> None:
    path = pdfs["en"]
    landed = section_pages(path.read_bytes())
    first = squash(_pages(path)[1][0].extract_text())
    for anchor, key in [("executive-summary", "executive_summary"), ("roadmap", "roadmap")]:
        assert anchor in landed
        assert re.search(rf"{squash(label(key))}{landed[anchor]}(?!\d)", first), key
    # The one-pager is page 2: the cover and the contents fill page 1.
    assert landed["executive-summary"] == 2


def test_no_page_ends_with_a_heading(pdfs: dict[str, Path]) -> None:
    from assessment.report import prepare
    from assessment.rubric import translate

    ctx = prepare(CLIENT, answers=["sample:answers.csv"], bootstrap=0)
    headings = {label(k) for k in ("roadmap", "radar", "priorities", "agreement", "benchmark")}
    headings |= {translate(d.name) for d in ctx.rubric.dimensions}
    _, pages = _pages(pdfs["en"])
    for number, page in enumerate(pages[:-1], start=1):
        height = float(page.mediabox.height)
        body = [t for t in _layout(page)[1] if BOTTOM + 2 < t[1] < height - TOP - 2]
        if not body:
            continue
        lowest = min(y for _, y, _ in body)
        last = " ".join(r for _, y, r in body if abs(y - lowest) < 1).strip()
        assert last not in headings, f"page {number} ends with the heading {last!r}"


def test_paper_sizes_and_the_pdf_title(pdfs: dict[str, Path]) -> None:
    _, pages_en = _pages(pdfs["en"])
    reader_ar, pages_ar = _pages(pdfs["ar"])
    assert round(float(pages_en[0].mediabox.width)) == 596  # A4: 210 mm
    assert round(float(pages_ar[0].mediabox.height)) == 792  # Letter: 11 in
    assert reader_ar.metadata.title.startswith(NAME)
    assert "تقييم" in reader_ar.metadata.title  # the title metadata is translated too
