"""Print a report to PDF with headless Chromium (Debian's ``chromium``; nothing downloaded).

Playwright drives the machine's Chromium (``page.pdf()``): A4 or Letter, a running header
(client and report title) and footer (the confidentiality line and "page x of y") on every
page, backgrounds printed.  The report is printed twice: the first print tells, through the
PDF's named destinations, on which page each section of the contents list landed; those page
numbers are written into the contents list and the second print is the deliverable (issue 15).
The first print leaves out what does not move a page break (images, backgrounds, header and
footer) and takes a third of the time (issue 19).

The same browser, found the same way and started with the same flags, drives the browser tests
(``tests/helpers/browser.py``), so what the tests see is what a client's PDF gets.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import io
import os
import queue
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assessment.exceptions import AssessmentError, MissingChromiumError
from assessment.files import atomic_path
from assessment.text import direction, esc, label

__all__ = ["CHROMIUM_FLAGS", "PAPERS", "Printer", "find_chromium", "html_to_pdf", "section_pages"]


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-pdf-header-footer",
]

#: Paper sizes, as Playwright names them.
PAPERS = {"a4": "A4", "letter": "Letter"}

#: Page margins: room for the running header and footer.
_MARGIN = {"top": "20mm", "bottom": "18mm", "left": "15mm", "right": "15mm"}

_BAR = (
    "<div dir=\"{dir}\" style=\"font-family:'Noto Naskh Arabic','Noto Sans','DejaVu Sans',"
    "sans-serif;font-size:8px;color:#5b6475;width:100%;margin:0 15mm;display:flex;"
    'justify-content:space-between;gap:12px">{start}{end}</div>'
)


def find_chromium() -> str:
    """Path of a Chromium binary (``ASSESSMENT_CHROMIUM`` overrides the search).

    Raises
    ------
    MissingChromiumError
        With the install command when none is found.
    """
    explicit = os.environ.get("ASSESSMENT_CHROMIUM")
    candidates = (
        [explicit]
        if explicit
        else ["chromium", "chromium-browser", "google-chrome", "/usr/bin/chromium"]
    )
    for name in candidates:
        path = shutil.which(name) if name else None
        if path:
            return path
    raise MissingChromiumError()


def _templates(client: str, lang: str) -> tuple[str, str]:
    """The running header and footer (Chromium fills ``pageNumber`` and ``totalPages``)."""
    name = f"<bdi>{esc(client)}</bdi>"
    marks = {"client": "\ue000", "page": "\ue001", "pages": "\ue002"}
    confidential = esc(label("confidential", lang, client=marks["client"]))
    page_of = esc(label("page_of", lang, page=marks["page"], pages=marks["pages"]))
    fill = {
        marks["client"]: name,
        marks["page"]: '<span class="pageNumber"></span>',
        marks["pages"]: '<span class="totalPages"></span>',
    }
    for mark, markup in fill.items():
        confidential = confidential.replace(mark, markup)
        page_of = page_of.replace(mark, markup)
    d = direction(lang)
    header = _BAR.format(
        dir=d, start=f"<span>{name}</span>", end=f"<span>{esc(label('report_title', lang))}</span>"
    )
    footer = _BAR.format(
        dir=d, start=f"<span>{confidential}</span>", end=f'<span class="page-of">{page_of}</span>'
    )
    return header, footer


def section_pages(pdf: bytes) -> dict[str, int]:
    """Page (from 1) of every named destination (``#anchor`` link target) of a PDF."""
    from pypdf import PdfReader  # local: only printing needs it

    reader = PdfReader(io.BytesIO(pdf))
    pages = {}
    for name, dest in reader.named_destinations.items():
        number = reader.get_destination_page_number(dest)
        if number is not None and number >= 0:
            pages[str(name).lstrip("/")] = number + 1
    return pages


_FILL_CONTENTS = """pages => {
  let filled = 0;
  for (const el of document.querySelectorAll('[data-page-of]')) {
    const page = pages[el.dataset.pageOf];
    const digits = el.dataset.digits || '0123456789';  // the report's numerals
    if (page) {
      el.textContent = String(page).replace(/[0-9]/g, d => digits[d] || d);
      filled += 1;
    }
  }
  return filled;
}"""

#: While the layout print runs: images keep their boxes (so every page breaks where it will
#: in the deliverable) but are not drawn, which Chromium's PDF writer spends most time on.
_HIDE_IMAGES = """hide => {
  let style = document.getElementById('assessment-layout-print');
  if (hide && !style) {
    style = document.createElement('style');
    style.id = 'assessment-layout-print';
    style.textContent = 'img,svg,canvas,video,picture{visibility:hidden!important}';
    document.head.append(style);
  } else if (!hide && style) {
    style.remove();
  }
}"""

_HAS_CONTENTS = "() => document.querySelector('[data-page-of]') !== null"


def _print(page: Any, options: dict[str, Any]) -> bytes:
    """Print the page; a page with a contents list is laid out first to number it.

    The layout print only has to say on which page each section lands, so it prints without
    images, backgrounds, header or footer, none of which moves a page break (the margins are
    fixed): about 0.1 s instead of 0.3 s for a report (issue 19).
    """
    if not page.evaluate(_HAS_CONTENTS):
        return page.pdf(**options)  # nothing to number
    layout = {**options, "print_background": False, "display_header_footer": False}
    page.evaluate(_HIDE_IMAGES, True)
    pages = section_pages(page.pdf(**layout))
    page.evaluate(_HIDE_IMAGES, False)
    page.evaluate(_FILL_CONTENTS, pages)
    return page.pdf(**options)


def _close_quietly(page: Any) -> None:
    with contextlib.suppress(Exception):
        page.close()


class _Thread:
    """One daemon thread that runs the calls given to it, in order, each with its future.

    Playwright's sync API is bound to the thread that started it.  Unlike a
    ``ThreadPoolExecutor``'s thread, which the interpreter joins at exit, a daemon thread does
    not keep a command that has written its PDF waiting while the browser closes.
    """

    def __init__(self, name: str) -> None:
        self._calls: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[..., Any], *args: Any) -> concurrent.futures.Future[Any]:
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        self._calls.put((future, fn, args))
        return future

    def shutdown(self, *, wait: bool) -> None:
        """Stop after the calls already given; with ``wait``, until then."""
        self._calls.put(None)
        if wait:
            self._thread.join()

    def _run(self) -> None:
        while (call := self._calls.get()) is not None:
            future, fn, args = call
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(fn(*args))
                except BaseException as exc:  # the caller's .result() raises it
                    future.set_exception(exc)


class Printer:
    """A headless Chromium started ahead of the report it prints (issue 19).

    Starting Playwright and Chromium takes about a second, so a printer is started before
    the report exists: by ``maturity report`` as soon as its one report is planned (the
    browser starts on the core the planning has just freed: ``run_batch(print_here=True)``),
    and in a batch by each job runner before it executes the notebook.  It prints the moment
    the HTML is written.  Every Playwright call runs in the
    printer's own thread (Playwright's sync API is bound to the thread that started it, and
    refuses one whose asyncio loop runs, as a Jupyter kernel's does).  Use it as a context
    manager, or call :meth:`close`: the browser is closed (and its processes end) either way.

    Parameters
    ----------
    timeout
        Seconds the browser may take to start, and to load and print each page.

    Raises
    ------
    MissingChromiumError
        At once, when no Chromium is installed (a browser that fails to start raises
        :class:`~assessment.exceptions.AssessmentError` from :meth:`print`).
    """

    def __init__(self, timeout: float = 120) -> None:
        self._path = find_chromium()
        self._ms = timeout * 1000
        self._pool = _Thread("pdf")
        self._pw: Any = None
        self._browser: Any = None
        self._page: Any = None  # opened while the report is made; taken by the first print
        self._started = self._pool.submit(self._start)

    def _start(self) -> None:
        """In the printer's thread: Playwright, Chromium and a page (pypdf, for later)."""
        try:
            from playwright.sync_api import sync_playwright
        except ImportError as exc:  # pragma: no cover - a core dependency
            raise MissingChromiumError() from exc
        import pypdf  # noqa: F401  local: imported here, off the report's critical path

        self._pw = sync_playwright().start()
        self._browser = self._pw.chromium.launch(
            executable_path=self._path, headless=True, args=CHROMIUM_FLAGS, timeout=self._ms
        )
        self._page = self._new_page()

    def _new_page(self) -> Any:
        page = self._browser.new_page()
        page.set_default_timeout(self._ms)
        page.emulate_media(media="print")  # before the page loads: its first print is sooner
        return page

    def print(
        self, html: Path, pdf: Path, *, client: str = "", lang: str = "en", paper: str = "a4"
    ) -> Path:
        """Print the local HTML page ``html`` to ``pdf`` (atomically); see :func:`html_to_pdf`.

        Raises
        ------
        AssessmentError
            When Chromium could not start or print.
        """
        header, footer = _templates(client, lang)
        options = {
            "format": PAPERS.get(paper.lower(), "A4"),
            "print_background": True,
            "display_header_footer": True,
            "header_template": header,
            "footer_template": footer,
            "margin": _MARGIN,
            "outline": True,
        }
        with atomic_path(pdf) as tmp:
            tmp.write_bytes(self._call(self._print_page, html, options, what=str(html)))
        return pdf

    def _print_page(self, html: Path, options: dict[str, Any]) -> bytes:
        page, self._page = self._page or self._new_page(), None
        try:
            page.goto(html.resolve().as_uri(), wait_until="load")
            r = _print(page, options)
        except BaseException:
            page.close()
            raise
        # Closed after the PDF has gone back to the caller: the next call in this thread.
        self._pool.submit(_close_quietly, page)
        return r

    def _call(self, fn: Any, *args: Any, what: str) -> Any:
        """``fn(*args)`` in the printer's thread, once the browser has started."""
        from playwright.sync_api import Error  # local: imported by the printer's start

        try:
            self._started.result()
            return self._pool.submit(fn, *args).result()
        except Error as exc:
            raise AssessmentError(f"Chromium could not print {what} to PDF: {exc}") from exc

    def close(self, *, wait: bool = True) -> None:
        """Close the browser and stop Playwright (never raises).

        Without ``wait`` this returns at once and the printer's thread closes the browser
        (0.1-0.2 s) while the caller goes on (issue 19).  A process that ends meanwhile takes
        the browser with it: Playwright's driver stops the browser when its pipe from this
        process closes.
        """

        def stop() -> None:
            with contextlib.suppress(Exception):
                if self._browser is not None:
                    self._browser.close()
            with contextlib.suppress(Exception):
                if self._pw is not None:
                    self._pw.stop()

        with contextlib.suppress(Exception):
            self._started.exception()  # let the start finish (or fail) before stopping
        self._pool.submit(stop)
        self._pool.shutdown(wait=wait)

    def __enter__(self) -> Printer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def html_to_pdf(
    html: Path,
    pdf: Path,
    *,
    client: str = "",
    lang: str = "en",
    paper: str = "a4",
    timeout: float = 120,
) -> Path:
    """Print a local HTML report to a print-ready PDF with headless Chromium (atomically).

    Parameters
    ----------
    html, pdf
        The report page and the PDF to write.
    client
        The client's name for the running header and the confidentiality line.
    lang
        Language of the header and footer (and their direction).
    paper
        ``a4`` or ``letter``.
    timeout
        Seconds the browser may take to start, load and print.

    Raises
    ------
    MissingChromiumError
        When no Chromium (or no Playwright) is installed.
    AssessmentError
        When Chromium fails to print.

    See Also
    --------
    Printer : a browser started ahead, while the report is still being made.
    """
    with Printer(timeout) as printer:
        return printer.print(html, pdf, client=client, lang=lang, paper=paper)
