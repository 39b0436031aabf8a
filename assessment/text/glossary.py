"""The glossary: each domain term fixed once, in English and Arabic, with the wordings to avoid.

Reports, charts, the workshop, the CLI and the packaged rubric use the same Arabic word for
each term on every screen.  ``docs/glossary.md`` presents this table for translators and
reviewers (a test keeps the two in step); :func:`violations` finds avoided wordings in a text,
and ``maturity rubric lint`` runs it over a rubric's Arabic texts.

Matching ignores Arabic diacritics (tashkeel), so ``بُعد`` and ``بعد`` are the same word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = ["GLOSSARY", "Term", "strip_diacritics", "violations"]

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")


def strip_diacritics(text: str) -> str:
    """``text`` without Arabic diacritics (fatha, damma, kasra, shadda, sukun, tanwin...)."""
    return _DIACRITICS.sub("", text)


@dataclass(frozen=True)
class Term:
    """One glossary entry: the English term, the Arabic term, and wordings to avoid.

    ``avoid`` holds regular expressions, matched against text without diacritics.
    """

    en: str
    ar: str
    avoid: tuple[str, ...] = ()
    note: str = ""
    patterns: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "patterns", tuple(re.compile(a) for a in self.avoid))


#: The glossary, by key.  Keys are the English term in snake case.
GLOSSARY: Mapping[str, Term] = MappingProxyType(
    {
        "dimension": Term(
            "dimension",
            "بُعد",
            avoid=(r"محور", r"محاور"),
            note="محور also means a content pillar and a hub; a content pillar is ركيزة "
            "المحتوى, a hub مركز التنسيق.",
        ),
        "not_applicable": Term(
            "not applicable", "لا ينطبق", avoid=(r"غير منطبق", r"غير قابل للتطبيق")
        ),
        "holding_statement": Term(
            "holding statement",
            "بيان مبدئي",
            avoid=(r"بيان(ات)? (احتفاظ|انتظار|تمهيدي)",),
        ),
        "listening_and_insight": Term(
            "listening and insight", "الرصد وتحليل الرؤى", avoid=(r"استخبار",)
        ),
        "business_goals": Term("business goals", "أهداف الأعمال", avoid=(r"أهداف العمل",)),
        "accountable": Term("accountable", "يُساءَل", avoid=(r"محاسب(ة)? أمام",)),
        "ad_hoc_efforts": Term("ad hoc efforts", "جهود ارتجالية", avoid=(r"جهود عشوائية",)),
        "community_management": Term(
            "community management",
            "إدارة المجتمعات الرقمية",
            avoid=(r"إدارة المجتمع(?!ات)",),
        ),
        "employee_advocates": Term(
            "employee advocates",
            "سفراء العلامة من الموظفين",
            avoid=(r"مناصرة الموظفين", r"مناصري العلامة"),
        ),
        "confidence_interval": Term("confidence interval", "فترة الثقة", avoid=(r"نطاق الثقة",)),
    }
)


def violations(text: str) -> Iterator[tuple[str, str]]:
    """``(term key, avoided wording found)`` for each avoided wording in an Arabic ``text``."""
    plain = strip_diacritics(text)
    for key, term in GLOSSARY.items():
        for pattern in term.patterns:
            match = pattern.search(plain)
            if match:
                yield key, match.group(0)
