"""One word per term on every screen: the glossary, the label table and counted nouns."""

from __future__ import annotations

import re

import pytest
from helpers import ROOT

from assessment.text import ENTRIES, counted, label
from assessment.text.glossary import GLOSSARY, strip_diacritics, violations


def test_no_label_uses_a_wording_the_glossary_avoids():
    found = [(key, hit) for key, entry in ENTRIES.items() for hit in violations(entry["ar"])]
    assert found == []


def test_the_glossary_document_lists_every_term():
    doc = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    for key, term in GLOSSARY.items():
        assert term.ar in doc, key
        assert term.en in doc, key


def test_violations_ignore_diacritics_and_name_the_term():
    assert list(violations("هذا المحور مهم")) == [("dimension", "محور")]
    assert list(violations("هذا البُعد مهم")) == []
    assert strip_diacritics("بُعدًا") == "بعدا"


def test_not_applicable_is_the_same_word_everywhere():
    assert label("na", "ar") == label("workshop.na", "ar") == GLOSSARY["not_applicable"].ar


@pytest.mark.parametrize(
    ("n", "ar", "en"),
    [
        (1, "بُعد واحد", "1 dimension"),
        (2, "بُعدان", "2 dimensions"),
        (3, "3 أبعاد", "3 dimensions"),
        (10, "10 أبعاد", "10 dimensions"),
        (11, "11 بُعدًا", "11 dimensions"),
        (99, "99 بُعدًا", "99 dimensions"),
        (100, "100 بُعدٍ", "100 dimensions"),
        (103, "103 أبعاد", "103 dimensions"),
        (111, "111 بُعدًا", "111 dimensions"),
    ],
)
def test_arabic_numbers_agree_with_their_noun(n: int, ar: str, en: str):
    assert counted(n, "dimension", "ar") == ar
    assert counted(n, "dimension", "en") == en


def test_the_2007_sentence_counts_dimensions_in_arabic():
    text = label("count_2007_sentence", "ar", count=4, total=11)
    assert "11 بُعدًا" in text
    assert not re.search(r"محور|محاور", text)
