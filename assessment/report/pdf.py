"""Print a report to PDF with headless Chromium (Debian's ``chromium``; nothing downloaded).

The same browser, found the same way and started with the same flags, drives the browser tests
(``tests/helpers/browser.py``), so what the tests see is what a client's PDF gets.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from assessment.exceptions import AssessmentError, MissingChromiumError
from assessment.files import atomic_path

__all__ = ["CHROMIUM_FLAGS", "find_chromium", "html_to_pdf"]


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


def html_to_pdf(html: Path, pdf: Path, *, timeout: float = 120) -> Path:
    """Print a local HTML file to PDF with headless Chromium (atomically)."""
    browser = find_chromium()
    with atomic_path(pdf) as tmp, tempfile.TemporaryDirectory() as profile:
        cmd = [
            browser,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={tmp}",
            html.resolve().as_uri(),
        ]
        proc = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        if proc.returncode != 0 or not tmp.stat().st_size:
            raise AssessmentError(
                f"Chromium could not print {html} to PDF (exit {proc.returncode}): "
                f"{proc.stderr.decode(errors='replace')[-500:]}"
            )
    return pdf
