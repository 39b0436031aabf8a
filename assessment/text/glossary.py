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


#: The glossary, by key.  Keys are the English term in snake case.  Avoided wordings are
#: written without diacritics (matching strips them) and kept narrow: each must flag only a
#: competing synonym of *this* concept, never a legitimate use of the same word elsewhere.
GLOSSARY: Mapping[str, Term] = MappingProxyType(
    {
        # -- the rubric's own vocabulary ------------------------------------------------------
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
        "ad_hoc_efforts": Term("ad hoc efforts", "جهود ارتجالية", avoid=(r"جهود عشوائية",)),
        "fact": Term(
            "fact (a measured input)",
            "معطى (المعطيات)",
            note="A measured fact about the client that computed indicators use; not حقيقة, "
            "which reads as 'truth'.",
        ),
        "target_profile": Term("target profile", "الملف المستهدف"),
        "confidence_interval": Term("confidence interval", "فترة الثقة", avoid=(r"نطاق الثقة",)),
        "not_legal_advice": Term(
            "not legal advice",
            "ليس استشارة قانونية",
            avoid=(r"ليست? نصيحة قانونية",),
            note="The fixed disclaimer on every question that names a law or a licence.",
        ),
        # -- organisation and leadership ---------------------------------------------------------
        "business_goals": Term("business goals", "أهداف الأعمال", avoid=(r"أهداف العمل",)),
        "business_outcomes": Term(
            "business outcomes",
            "نتائج الأعمال",
            avoid=(r"مخرجات العمل", r"مخرجات الأعمال"),
            note="مخرجات are outputs; an outcome is a result.",
        ),
        "business_unit": Term(
            "business unit",
            "وحدة الأعمال",
            avoid=(r"وحد(?:ة|ات) (?:ال)?عمل\b",),
            note="The same 'business' as in أهداف الأعمال.",
        ),
        "accountable": Term("accountable", "يُساءَل", avoid=(r"محاسب(ة)? أمام",)),
        "executive_sponsor": Term(
            "executive sponsor",
            "الراعي التنفيذي",
            avoid=(r"راعي? من الإدارة العليا",),
            note="A named member of the executive team (الفريق التنفيذي).",
        ),
        "hub_and_spoke": Term(
            "hub and spoke",
            "نموذج مركز التنسيق والفرق الفرعية",
            note="Not المحور والأطراف: محور is kept for nothing (see dimension), and "
            "الأطراف المعنية already means stakeholders.",
        ),
        # -- listening, content and care ---------------------------------------------------------
        "listening_and_insight": Term(
            "listening and insight",
            "الرصد وتحليل الرؤى",
            avoid=(r"استخبار", r"الرصد الذكي"),
        ),
        "social_listening": Term(
            "social listening",
            "الرصد الاجتماعي",
            avoid=(r"الاستماع الاجتماعي", r"الإنصات الاجتماعي", r"مراقبة (?:ال)?إشارات"),
            note="Literal translations of 'listening' read as hearing audio.",
        ),
        "content_pillar": Term(
            "content pillar",
            "ركيزة المحتوى (ركائز المحتوى)",
            avoid=(r"أعمدة المحتوى",),
            note="Not محاور المحتوى: محور is avoided (see dimension).",
        ),
        "reach": Term("reach", "مدى الوصول", avoid=(r"مدى الانتشار",)),
        "accessibility": Term(
            "accessibility (of content)",
            "إتاحة المحتوى",
            avoid=(r"إمكانية الوصول",),
            note="إمكانية الوصول is easily read as reach (مدى الوصول) or as access to accounts.",
        ),
        "community_management": Term(
            "community management",
            "إدارة المجتمعات الرقمية",
            avoid=(r"إدارة المجتمع(?!ات)",),
        ),
        "customer_care": Term(
            "customer care",
            "خدمة العملاء",
            avoid=(r"رعاية العملاء", r"دعم العملاء"),
        ),
        "inbox": Term(
            "inbox (social inbox)",
            "صندوق الرسائل",
            avoid=(r"البريد الوارد",),
            note="البريد الوارد is an e-mail inbox.",
        ),
        "help_desk": Term(
            "help desk",
            "نظام مكتب المساعدة",
            avoid=(r"نظام الدعم الفني",),
        ),
        "messaging_apps": Term(
            "messaging apps",
            "تطبيقات المراسلة",
            avoid=(r"تطبيقات الدردشة", r"تطبيقات المحادثة"),
        ),
        "holding_statement": Term(
            "holding statement",
            "بيان مبدئي",
            avoid=(
                r"بيان(ات)? (احتفاظ|انتظار|تمهيدي)",
                r"بيانا? (?:ال)?أولي",
                r"بيانات (?:ال)?أولية (?:ال)?معتمدة",
            ),
            note="البيانات الأولية alone stays allowed: it also means raw data.",
        ),
        "employee_advocates": Term(
            "employee advocates",
            "سفراء العلامة من الموظفين",
            avoid=(r"مناصرة الموظفين", r"مناصري العلامة"),
        ),
        "generative_ai": Term(
            "generative AI",
            "الذكاء الاصطناعي التوليدي",
            avoid=(r"الذكاء الاصطناعي (?:ال)?مولد", r"الذكاء الاصطناعي (?:ال)?إنتاجي"),
        ),
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
