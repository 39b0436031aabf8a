"""Regenerate the issue-15 images in ``docs/images/``: the one-pager and two deck slides.

* ``onepager-en.png``, ``onepager-ar.png``: the executive one-pager of ``c04-sawsan-bank``
  (synthetic samples), photographed in headless Chromium at 1,000 pixels wide;
* ``deck-onepager.png``, ``deck-roadmap.png``: two slides of the English steering-committee
  deck, converted by LibreOffice (``soffice``) to PDF and rasterised with ``pypdfium2``.  Both
  are needed only here (``apt-get install libreoffice-impress``, ``pip install pypdfium2``);
  without them the deck images are skipped with a note.

Run: ``python docs/screenshot_deliverable.py``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
CLIENT = "c04-sawsan-bank"
IMAGES = ROOT / "docs" / "images"
FILES = {
    "answers": [SAMPLES / "answers.csv", SAMPLES / "answers_forms_export.csv"],
    "clients": SAMPLES / "clients.csv",
    "peers": SAMPLES / "peers.csv",
    "targets": SAMPLES / "targets.csv",
}


def one_pagers(tmp: Path) -> None:
    """Photograph the one-pager section of an English and an Arabic report."""
    from playwright.sync_api import sync_playwright

    from assessment import report
    from assessment.report.pdf import CHROMIUM_FLAGS, find_chromium

    flags = [f for f in CHROMIUM_FLAGS if f != "--headless"]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=find_chromium(), args=flags, headless=True)
        page = browser.new_page(viewport={"width": 1000, "height": 1400})
        for lang in ("en", "ar"):
            ctx = report.prepare(CLIENT, lang=lang, bootstrap=0, **FILES)
            html = tmp / f"{lang}.html"
            body = str(report.executive_summary(ctx))
            html.write_text(report.page(body, title="one-pager", lang=lang), encoding="utf-8")
            page.goto(html.as_uri())
            target = IMAGES / f"onepager-{lang}.png"
            page.locator("main.report").screenshot(path=str(target))
            print(f"wrote {target.relative_to(ROOT)}")
        browser.close()


def deck_slides(tmp: Path) -> None:
    """Two slides of the English deck, through LibreOffice and pypdfium2."""
    soffice = shutil.which("soffice")
    try:
        import pypdfium2 as pdfium
    except ImportError:
        pdfium = None
    if soffice is None or pdfium is None:
        print("deck images skipped: needs soffice (LibreOffice) and pypdfium2")
        return
    from assessment import report
    from assessment.deck import write_deck

    ctx = report.prepare(CLIENT, bootstrap=0, **FILES)
    deck = write_deck(ctx, tmp / "deck.pptx")
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp), str(deck)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = pdfium.PdfDocument(str(tmp / "deck.pdf"))
    for number, name in ((1, "deck-onepager.png"), (3, "deck-roadmap.png")):
        pdf[number].render(scale=1.4).to_pil().save(IMAGES / name)
        print(f"wrote docs/images/{name}")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="screenshot-") as tmp:
        one_pagers(Path(tmp))
        deck_slides(Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
