"""Bidi and translation of the Arabic report (issue 15): user strings isolated, labels Arabic.

The review found "Sawsan Capital Bank (بنك سوسن كابيتال)" with its bracket at the wrong end,
English comments losing their full stop to the far side, "10+" and "0.67-" for signed numbers,
"UTC 20:20", and sectors, units and the resourcing table left in English.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from helpers import SAMPLES

from assessment import report
from assessment.rubric import load_rubric

FILES = {
    "answers": [SAMPLES / "answers.csv", SAMPLES / "answers_forms_export.csv"],
    "clients": SAMPLES / "clients.csv",
    "peers": SAMPLES / "peers.csv",
    "targets": SAMPLES / "targets.csv",
}
MIXED = "Sawsan Capital Bank (بنك سوسن كابيتال)"


@pytest.fixture(name="mixed", scope="module")
def fixture_mixed(tmp_path_factory) -> report.ReportContext:
    """An Arabic report on a client whose answers carry mixed-direction names and comments."""
    tmp = tmp_path_factory.mktemp("bidi")
    answers = pd.read_csv(FILES["answers"][0], dtype=str, keep_default_na=False)
    mine = answers["client_id"] == "c04-sawsan-bank"
    latest = answers.loc[mine, "date"].max()
    first = answers.index[mine & (answers["date"] == latest)][:3]
    answers.loc[first[0], "comment"] = "We answer within 2 hours (on weekdays)."
    answers.loc[first[1], "comment"] = "نرد خلال ساعتين (أيام العمل) via WhatsApp."
    answers.loc[first[2], "respondent"] = "Reem A. (ريم)"
    answers.to_csv(tmp / "answers.csv", index=False)
    files = {**FILES, "answers": [tmp / "answers.csv", FILES["answers"][1]]}
    return report.prepare("c04-sawsan-bank", lang="ar", bootstrap=0, **files)


def test_the_client_name_is_one_isolate_with_its_brackets(mixed: report.ReportContext) -> None:
    header = str(report.header(mixed))
    assert f"<h1><bdi>{MIXED}</bdi></h1>" in header
    # the confidentiality line holds the same isolate, not a bare name
    assert re.search(r"class=\"confidential\">[^<]*<bdi>" + re.escape(MIXED) + "</bdi>", header)


def test_people_are_isolated_with_their_role_inside(mixed: report.ReportContext) -> None:
    header = str(report.header(mixed))
    assert "<bdi>Reem A. (ريم)" in header
    assert "، " in header  # the Arabic comma separates the people


def test_comments_keep_their_full_stop_and_brackets(mixed: report.ReportContext) -> None:
    html = str(report.dimension_sections(mixed))
    assert "<span dir='auto'>We answer within 2 hours (on weekdays).</span>" in html
    assert "<span dir='auto'>نرد خلال ساعتين (أيام العمل) via WhatsApp.</span>" in html
    assert re.search(r"<span class='who'><bdi>[^<]+</bdi>", html)  # who said it, isolated


def test_signed_numbers_dates_and_times_read_left_to_right(mixed: report.ReportContext) -> None:
    summary = str(report.executive_summary(mixed))
    assert re.search(r'<bdi dir="ltr">\+\d+</bdi>', summary)  # "+11", never "11+"
    assert re.search(r'<bdi dir="ltr">\d{4}-\d{2}-\d{2}</bdi>', summary)
    trend = str(report.trend_section(mixed))
    assert re.search(r'<bdi dir="ltr">[+−]\d', trend)
    assert not re.search(r"\d-</", trend)  # no "0.67-"
    appendix = str(report.appendix(mixed))
    assert re.search(r'<bdi dir="ltr">\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC</bdi>', appendix)


def test_values_units_and_the_resourcing_table_are_translated(
    mixed: report.ReportContext,
) -> None:
    header = str(report.header(mixed))
    for arabic in ("المصارف", "مؤسسة كبرى", "الإمارات"):
        assert arabic in header
    for english in ("banking", "enterprise", "United Arab Emirates"):
        assert english not in header
    resourcing = str(report.resourcing_section(mixed))
    assert "ساعات العمل" in resourcing
    assert not re.search(r">\s*(coverage|agents|business|FTE today)\s*<", resourcing)
    assert "messages/day" not in resourcing


def _arabic_texts(node: object) -> str:
    if isinstance(node, dict):
        return " ".join(
            (v if k == "ar" and isinstance(v, str) else _arabic_texts(v)) for k, v in node.items()
        )
    if isinstance(node, list):
        return " ".join(_arabic_texts(v) for v in node)
    return ""


def test_the_arabic_report_has_no_latin_label_text(mixed: report.ReportContext) -> None:
    """Latin script only in names, ids and references (and in the rubric's own Arabic texts)."""
    html = "".join(str(section(mixed)) for section in report.SECTIONS)
    # What may stay in Latin script: charts (images), user strings (<bdi>, dir=auto), ids and
    # hashes (<code>), references (cited as published) and left-to-right isolates.
    for pattern in (
        r"<(style|figure)[^>]*>.*?</\1>",
        r"<ol class='refs'>.*?</ol>",
        r"<bdi[^>]*>.*?</bdi>",
        r"<span dir='auto'>.*?</span>",
        r"<code[^>]*>.*?</code>",
        r"<sub>.*?</sub>",
    ):
        html = re.sub(pattern, " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    rubric = load_rubric("social-media")
    allowed = set(re.findall(r"[A-Za-z][A-Za-z_]+", _arabic_texts(rubric.model_dump())))
    # Named methods and abbreviations the Arabic labels keep in Latin script on purpose.
    allowed |= {"Erlang", "PDF", "SHA", "r_wg", "rwg"}
    latin = set(re.findall(r"[A-Za-z][A-Za-z_]+", text)) - allowed
    assert not latin, sorted(latin)
