"""The steering-committee deck, opened with python-pptx: slides, native tables, RTL (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SAMPLES, run_cli
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from assessment import report
from assessment.deck import build_deck, write_deck
from assessment.report.figures import headline
from assessment.text import label

CLIENT = "c04-sawsan-bank"
FILES = {
    "answers": [SAMPLES / "answers.csv", SAMPLES / "answers_forms_export.csv"],
    "clients": SAMPLES / "clients.csv",
    "peers": SAMPLES / "peers.csv",
    "targets": SAMPLES / "targets.csv",
}


@pytest.fixture(name="decks", scope="module")
def fixture_decks(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("deck")
    decks = {}
    for lang in ("en", "ar"):
        ctx = report.prepare(CLIENT, lang=lang, bootstrap=0, **FILES)
        decks[lang] = write_deck(ctx, out / f"{lang}.pptx")
    return decks


def _texts(slide) -> list[str]:
    return [s.text_frame.text for s in slide.shapes if s.has_text_frame]


def test_the_deck_has_one_slide_per_committee_question(decks: dict[str, Path]) -> None:
    prs = Presentation(str(decks["en"]))
    titles = [_texts(s)[0] for s in prs.slides]
    assert "\u2068Sawsan Capital Bank (بنك سوسن كابيتال)\u2069" in titles[0]  # isolated
    expected = [
        "executive_summary",
        "radar",
        "roadmap",
        "benchmark",
        "resourcing",
        "deck.decisions",
    ]
    assert titles[1:] == [label(k) for k in expected]
    # every content slide carries the confidentiality line
    for slide in list(prs.slides)[1:]:
        assert any(t.startswith("Confidential: prepared for") for t in _texts(slide))
    assert "Sawsan Capital Bank" in prs.core_properties.title


def test_charts_are_pictures_and_tables_are_native(decks: dict[str, Path]) -> None:
    prs = Presentation(str(decks["en"]))
    slides = list(prs.slides)
    kinds = [[s.shape_type for s in slide.shapes] for slide in slides]
    assert MSO_SHAPE_TYPE.PICTURE in kinds[2]  # radar
    assert MSO_SHAPE_TYPE.PICTURE in kinds[4]  # benchmark
    tables = [s for slide in slides for s in slide.shapes if s.has_table]
    assert len(tables) >= 3  # one-pager, roadmap, people
    people = tables[-1].table
    assert people.cell(0, 0).text == label("staffing.coverage")
    assert people.cell(1, 0).text == label("staffing.option.business")


def test_the_one_pager_slide_agrees_with_the_report(decks: dict[str, Path]) -> None:
    ctx = report.prepare(CLIENT, bootstrap=0, **FILES)
    h = headline(ctx)
    prs = Presentation(str(decks["en"]))
    table = next(s for s in prs.slides[1].shapes if s.has_table).table
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0][1] == f"{h.index} / 100"
    assert any(
        row[1] == f"+{h.change}" or row[1].strip("\u2066\u2069") == f"+{h.change}" for row in cells
    )
    text = " ".join(_texts(prs.slides[1]))
    for move in h.moves:
        assert move.step in text


def test_an_arabic_deck_is_right_to_left(decks: dict[str, Path]) -> None:
    prs = Presentation(str(decks["ar"]))
    paragraphs = [
        p
        for slide in prs.slides
        for shape in slide.shapes
        if shape.has_text_frame
        for p in shape.text_frame.paragraphs
        if p.text.strip()
    ]
    assert paragraphs
    for p in paragraphs:
        assert p._p.pPr.get("rtl") == "1", p.text
    runs = [r for p in paragraphs for r in p.runs]
    assert all(r._r.rPr.get("lang") == "ar-SA" for r in runs)
    cs = {r._r.rPr.find("{http://schemas.openxmlformats.org/drawingml/2006/main}cs") for r in runs}
    assert None not in cs  # a complex-script font is named on every run
    tables = [s.table for slide in prs.slides for s in slide.shapes if s.has_table]
    assert tables
    for table in tables:
        assert table._tbl.tblPr.get("rtl") == "1"
        for row in table.rows:
            for cell in row.cells:
                for p in cell.text_frame.paragraphs:
                    assert p._p.pPr.get("rtl") == "1"
    assert label("executive_summary", "ar") in [_texts(s)[0] for s in prs.slides]


def test_write_deck_without_a_path_writes_nothing(tmp_path: Path) -> None:
    ctx = report.prepare(CLIENT, bootstrap=0, **FILES)
    assert write_deck(ctx, "") is None
    assert list(tmp_path.iterdir()) == []
    assert len(build_deck(ctx).slides) == 7


def test_a_report_without_a_deck_never_imports_python_pptx() -> None:
    """Every report's last cell calls ``write_deck``; only a deck needs python-pptx."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from assessment import deck\n"
        "assert deck.write_deck(None, '') is None\n"
        "print(sorted(m for m in sys.modules if m == 'pptx' or m.startswith('pptx.')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.slow
def test_batch_writes_a_deck_for_every_client_and_links_it(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    result = run_cli(
        "batch", "--samples", "--out", str(out), "--format", "pptx", "-q", "--jobs", "2"
    )
    assert result.returncode == 0, result.stderr
    decks = sorted(out.glob("*/deck.pptx"))
    assert len(decks) == 12
    for deck in decks:
        assert len(Presentation(str(deck)).slides) >= 5
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count('/deck.pptx"') == 12


def test_a_hostile_client_name_cannot_break_the_deck() -> None:
    """Control characters and bidi overrides in a name: python-pptx refuses them in XML."""
    import io

    ctx = report.prepare(CLIENT, bootstrap=0, **FILES)
    ctx.client["name"] = "Evil\x1b[31m \u202eReversed"
    prs = build_deck(ctx)
    prs.save(io.BytesIO())
    title = prs.slides[0].shapes[0].text_frame.text
    assert "\x1b" not in title
    assert "\u202e" not in title
    assert "Evil" in title
