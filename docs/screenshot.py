"""Regenerate ``docs/images/report.png``: the top of a sample client's report, in Chromium.

Renders ``c01-fanous-souq`` from the synthetic samples with ``maturity report`` into a
temporary folder, then photographs the first 1,700 pixels of the page at 1,000 pixels wide
with headless Chromium (Debian's ``/usr/bin/chromium`` or ``$CHROMIUM``, as for PDFs).

Run: ``make screenshot`` (or ``python docs/screenshot.py``).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
CLIENT = "c01-fanous-souq"
TARGET = ROOT / "docs" / "images" / "report.png"


def main() -> int:
    from playwright.sync_api import sync_playwright

    from assessment.report.pdf import CHROMIUM_FLAGS, find_chromium

    with tempfile.TemporaryDirectory(prefix="screenshot-") as tmp:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "assessment",
                "report",
                CLIENT,
                "-q",
                "--out",
                tmp,
                "--clients",
                str(SAMPLES / "clients.csv"),
                "--peers",
                str(SAMPLES / "peers.csv"),
                "--targets",
                str(SAMPLES / "targets.csv"),
                "--answers",
                str(SAMPLES / "answers.csv"),
                "--answers",
                str(SAMPLES / "answers_forms_export.csv"),
            ],
            check=True,
        )
        page_file = Path(tmp) / CLIENT / "report.html"
        flags = [f for f in CHROMIUM_FLAGS if f != "--headless"]  # headless=True adds it
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=str(find_chromium()), args=flags, headless=True
            )
            page = browser.new_page(viewport={"width": 1000, "height": 1700})
            page.goto(page_file.as_uri())
            page.screenshot(path=str(TARGET), clip={"x": 0, "y": 0, "width": 1000, "height": 1700})
            browser.close()
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
