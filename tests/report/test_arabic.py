"""Arabic and English: translated rubric, RTL reports, fallbacks, numerals, no mixed labels."""

from __future__ import annotations

import re
import warnings

import pytest
from helpers import SAMPLES, SMALL_RUBRIC

from assessment import report
from assessment.batch import plan, run_batch
from assessment.rubric import load_rubric, missing_translations
from assessment.text import LABELS, format_digits, label

FILES = {
    "answers": [SAMPLES / "answers.csv", SAMPLES / "answers_forms_export.csv"],
    "clients": SAMPLES / "clients.csv",
    "peers": SAMPLES / "peers.csv",
    "targets": SAMPLES / "targets.csv",
}


def all_sections(ctx: report.ReportContext) -> str:
    return "".join(str(section(ctx)) for section in report.SECTIONS)


def test_every_report_label_has_an_arabic_version():
    assert set(LABELS["ar"]) == set(LABELS["en"])
    for key, text in LABELS["ar"].items():
        assert re.search(r"[\u0600-\u06FF]", text), f"label {key!r} is not Arabic"


@pytest.fixture(name="arabic_ctx", scope="module")
def fixture_arabic_ctx() -> report.ReportContext:
    """An Arabic report context with Arabic-Indic digits, for a client with history."""
    return report.prepare(
        "c04-sawsan-bank", lang="ar", numerals="arabic-indic", bootstrap=100, **FILES
    )


def test_arabic_report_is_rtl_and_never_mixes_labels(arabic_ctx):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph in any chart is a failure
        body = all_sections(arabic_ctx)
    html = report.page(body, title="t", lang="ar")
    assert '<html lang="ar" dir="rtl">' in html
    # Figures are images; references are cited as published (English titles).
    shown = re.sub(r"<ol class='refs'>.*?</ol>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<(style|figure)[^>]*>.*?</\1>", " ", shown, flags=re.S))
    # No English report label leaks into the Arabic report.
    for key, english in LABELS["en"].items():
        if "{" in english or len(english) < 6 or english == LABELS["ar"][key]:
            continue
        assert english not in text, f"English label {key!r} in the Arabic report"
    # Rubric texts appear in Arabic: dimension names and level names.
    rubric = arabic_ctx.rubric
    assert rubric.dimensions[0].name["ar"] in html
    assert rubric.level_name(1, "ar") in html or rubric.level_name(2, "ar") in html


def test_arabic_indic_numerals_are_used_consistently(arabic_ctx):
    html = str(report.executive_summary(arabic_ctx))
    card = re.search(r'data-metric="index".*?card-value">([^<]+)<', html, re.S).group(1)
    assert re.fullmatch(r"[٠-٩]+", card), card
    header = str(report.header(arabic_ctx))
    assert format_digits(arabic_ctx.date, "arabic-indic") in header
    assert not re.search(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", header)
    # The PDF printer writes the contents' page numbers with the digits the list carries.
    digits = set(re.findall(r'data-digits="([^"]+)"', str(report.contents(arabic_ctx))))
    assert digits == {"٠١٢٣٤٥٦٧٨٩"}


def test_english_only_rubric_falls_back_with_a_note_and_a_warning(tmp_path):
    answers = tmp_path / "answers.csv"
    answers.write_text(
        "client_id,date,respondent,role,indicator_id,value,comment\n"
        "acme,2025-01-01,ann,CEO,dq_checks,3,\nacme,2025-01-01,ann,CEO,owner_named,yes,\n",
        encoding="utf-8",
    )
    ctx = report.prepare("acme", rubric=SMALL_RUBRIC, answers=[answers], lang="ar", bootstrap=0)
    rubric = load_rubric(SMALL_RUBRIC)
    missing = missing_translations(rubric, "ar")
    assert missing
    html = str(report.methodology(ctx))
    assert label("fallback_note", "ar", count=len(missing)) in html
    assert "Data quality" in str(report.dimension_sections(ctx))  # English text, as fallback
    batch = plan([answers], rubric=SMALL_RUBRIC, out_dir=tmp_path / "r", lang="ar")
    assert batch.warnings
    assert "has no 'ar' text" in batch.warnings[0]


@pytest.mark.slow
def test_arabic_batch_for_two_clients(tmp_path):
    out = tmp_path / "reports"
    batch = plan(
        out_dir=out,
        lang="ar",
        only=["c01-fanous-souq", "c12-jasmine-bridges"],
        **{**FILES, "answers": FILES["answers"]},
    )
    outcomes = run_batch(batch, jobs=2, quiet=True)
    assert [o.status for o in outcomes] == ["ok", "ok"]
    for cid in ("c01-fanous-souq", "c12-jasmine-bridges"):
        html = (out / cid / "report.html").read_text(encoding="utf-8")
        assert '<html lang="ar" dir="rtl">' in html
        assert label("executive_summary", "ar") in html
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in index
    assert label("portfolio_title", "ar") in index
