"""The PDF printer a job runner starts before its report exists (issue 19).

A report's runner starts Chromium while the notebook's cells run and prints the moment the
HTML is written; these tests check that such a printer prints a page written after it
started (contents page numbers included), that a browser that cannot start is one clear
error, and that closing the printer leaves no browser process behind.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import processes_marked
from helpers.browser import browser_unavailable, find_chromium

from assessment.exceptions import AssessmentError
from assessment.report.pdf import Printer, section_pages

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Printer test</title></head>
<body>
<nav><a href="#first">First section</a> <span data-page-of="first">?</span>
<a href="#second">Second section</a> page <span data-page-of="second">?</span></nav>
<h2 id="first">First section</h2><p>Body text.</p>
<h2 id="second" style="break-before: page">Second section</h2><p>More text.</p>
<h2 id="third" style="break-before: page">Third section</h2><p>Last.</p>
</body></html>"""


@pytest.fixture(name="chromium", autouse=True)
def fixture_chromium() -> str:
    path = find_chromium()
    if path is None:
        browser_unavailable("Chromium not found (chromium on PATH or ASSESSMENT_CHROMIUM)")
    return path


def _descendants(pid: int) -> set[int]:
    """Live processes below ``pid`` (from /proc), zombies left out."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if state != "Z":
            parents[int(entry.name)] = int(ppid)
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found |= frontier
    return found


def test_a_printer_started_before_its_page_exists_prints_it_with_contents_pages(
    tmp_path: Path,
) -> None:
    from pypdf import PdfReader

    html, pdf = tmp_path / "report.html", tmp_path / "report.pdf"
    with Printer(timeout=60) as printer:
        html.write_text(PAGE, encoding="utf-8")  # written after the browser started
        assert printer.print(html, pdf, client="Client & Co", lang="en") == pdf
    data = pdf.read_bytes()
    assert section_pages(data) == {"first": 1, "second": 2}  # the linked sections
    reader = PdfReader(pdf)
    assert len(reader.pages) == 3
    contents = reader.pages[0].extract_text()
    # The second print carries the page numbers the first one found.
    assert "First section 1" in contents
    assert "Second section page 2" in contents
    # The running header and footer (pypdf spaces glyph runs freely).
    assert "Client&Co" in "".join(contents.split())
    assert "Page1of3" in "".join(contents.split())
    assert not [p for p in tmp_path.iterdir() if p.name not in {"report.html", "report.pdf"}]


#: A 1x1 PNG, stretched by CSS: a chart as tall as most of a page.
_PIXEL = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)

TALL_IMAGES = f"""<!doctype html><html><head><meta charset="utf-8"><title>Images</title></head>
<body><nav><a href="#after">After the charts</a> <span data-page-of="after">?</span></nav>
<img alt="chart" src="{_PIXEL}" style="display:block;width:100mm;height:150mm">
<img alt="chart" src="{_PIXEL}" style="display:block;width:100mm;height:150mm">
<h2 id="after">After the charts</h2><p>Text.</p></body></html>"""


def test_the_contents_count_the_pages_images_take_and_the_pdf_keeps_them(
    tmp_path: Path,
) -> None:
    """The layout print hides images but keeps their boxes: the section after two tall
    images is on page 2, and the deliverable has both images drawn."""
    from pypdf import PdfReader

    html, pdf = tmp_path / "images.html", tmp_path / "images.pdf"
    html.write_text(TALL_IMAGES, encoding="utf-8")
    with Printer(timeout=60) as printer:
        printer.print(html, pdf, client="Client", lang="en")
    assert section_pages(pdf.read_bytes()) == {"after": 2}
    reader = PdfReader(pdf)
    assert "After the charts 2" in reader.pages[0].extract_text()
    assert sum(len(page.images) for page in reader.pages) == 2


def test_contents_page_numbers_are_written_in_the_pages_numerals(tmp_path: Path) -> None:
    from pypdf import PdfReader

    html, pdf = tmp_path / "ar.html", tmp_path / "ar.pdf"
    indic = "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"
    html.write_text(
        PAGE.replace('data-page-of="second"', f'data-page-of="second" data-digits="{indic}"'),
        encoding="utf-8",
    )
    with Printer(timeout=60) as printer:
        printer.print(html, pdf, lang="ar")
    contents = PdfReader(pdf).pages[0].extract_text()
    assert "page \u0662" in contents  # the second section, page 2, in Arabic-Indic digits
    assert "First section 1" in contents  # no data-digits: Western digits


def test_a_page_without_contents_is_printed_with_header_and_footer(tmp_path: Path) -> None:
    from pypdf import PdfReader

    html, pdf = tmp_path / "plain.html", tmp_path / "plain.pdf"
    html.write_text("<!doctype html><title>t</title><p>Only text.</p>", encoding="utf-8")
    with Printer(timeout=60) as printer:
        printer.print(html, pdf, client="Plain client", lang="en")
    text = "".join(PdfReader(pdf).pages[0].extract_text().split())
    assert "Onlytext." in text
    assert "Plainclient" in text
    assert "Page1of1" in text


def test_a_printer_prints_several_pages_one_after_another(tmp_path: Path) -> None:
    html = tmp_path / "page.html"
    html.write_text(PAGE, encoding="utf-8")
    with Printer(timeout=60) as printer:
        for name in ("a.pdf", "b.pdf"):
            printer.print(html, tmp_path / name)
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")
    assert section_pages((tmp_path / "b.pdf").read_bytes())["second"] == 2


def test_closing_a_printer_leaves_no_browser_process(tmp_path: Path) -> None:
    before = _descendants(os.getpid())
    printer = Printer(timeout=60)
    printer._started.result()  # the browser is up
    assert _descendants(os.getpid()) - before, "the printer started no process"
    printer.close()
    assert _descendants(os.getpid()) - before == set()


def test_a_browser_that_cannot_start_is_one_error_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSESSMENT_CHROMIUM", "/bin/false")  # exits at once
    html = tmp_path / "page.html"
    html.write_text(PAGE, encoding="utf-8")
    printer = Printer(timeout=20)
    with pytest.raises(AssessmentError, match=r"Chromium could not print .*page\.html"):
        printer.print(html, tmp_path / "page.pdf")
    printer.close()  # never raises, even for a browser that never started
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]


def test_a_process_that_exits_while_its_printer_closes_leaves_no_browser(tmp_path: Path) -> None:
    """``close(wait=False)`` returns at once (``maturity report`` does not wait for the browser
    to close): a process that exits meanwhile takes its browser processes with it."""
    import subprocess
    import sys
    import time
    import uuid

    marker = uuid.uuid4().hex
    script = (
        "import sys\n"
        "from assessment.report.pdf import Printer\n"
        "p = Printer(timeout=60)\n"
        "p._started.result()\n"
        "print('up', flush=True)\n"
        "sys.stdin.readline()\n"
        "p.close(wait=False)\n"
    )
    env = {**os.environ, "ASSESSMENT_TEST_MARK": marker}
    with subprocess.Popen(
        [sys.executable, "-c", script],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            assert proc.stdout.readline().strip() == "up"
            # Python, Playwright's driver and Chromium's processes carry the marker.
            assert len(processes_marked(marker)) >= 3
            proc.stdin.write("\n")
            proc.stdin.flush()
            assert proc.wait(timeout=60) == 0
        finally:
            proc.kill()
    deadline = time.monotonic() + 15
    while processes_marked(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_marked(marker) == set()
