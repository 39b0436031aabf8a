"""Counted nouns: "11 dimensions", "١١ بُعدًا" — numbers that agree with their noun.

English has two forms (one, many).  Arabic has more: 1 takes the singular followed by
"واحد", 2 the dual, 3–10 the plural, 11–99 the singular in the accusative (تمييز منصوب),
100 and its multiples the singular in the genitive; above 100 the last two digits decide
(``docs/glossary.md`` states the rule).  Label templates write ``{total:dimension}`` and
:func:`assessment.text.label` renders the number with its noun in the label's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["NOUNS", "Noun", "counted"]


@dataclass(frozen=True)
class Noun:
    """A noun's forms: English singular and plural; Arabic singular, "one", dual, plural (3–10),
    accusative singular (11–99) and genitive singular (hundreds)."""

    en_one: str
    en_many: str
    ar_one: str
    ar_one_word: str
    ar_two: str
    ar_few: str
    ar_many: str
    ar_hundreds: str


#: The nouns label templates may count.
NOUNS: Mapping[str, Noun] = MappingProxyType(
    {
        "dimension": Noun(
            "dimension", "dimensions", "بُعد", "واحد", "بُعدان", "أبعاد", "بُعدًا", "بُعدٍ"
        ),
        "indicator": Noun(
            "indicator", "indicators", "مؤشر", "واحد", "مؤشران", "مؤشرات", "مؤشرًا", "مؤشرٍ"
        ),
        "vote": Noun("vote", "votes", "صوت", "واحد", "صوتان", "أصوات", "صوتًا", "صوتٍ"),
        "participant": Noun(
            "participant", "participants", "مشارك", "واحد", "مشاركان", "مشاركين", "مشاركًا", "مشاركٍ"
        ),
        "client": Noun("client", "clients", "عميل", "واحد", "عميلان", "عملاء", "عميلًا", "عميلٍ"),
        # The roadmap's moves (issue 15): خطوة is feminine, so "one" is واحدة.
        "move": Noun("move", "moves", "خطوة", "واحدة", "خطوتان", "خطوات", "خطوةً", "خطوةٍ"),
        "expert": Noun("expert", "experts", "خبير", "واحد", "خبيران", "خبراء", "خبيرًا", "خبيرٍ"),
        "respondent": Noun(
            "respondent", "respondents", "مشارك", "واحد", "مشاركان", "مشاركين", "مشاركًا", "مشاركٍ"
        ),
    }
)


def counted(n: int, noun: str, lang: str = "en", number: str | None = None) -> str:
    """``n`` with ``noun`` in the form the number takes in ``lang``.

    Parameters
    ----------
    n
        The count (a whole number, >= 0).
    noun
        A key of :data:`NOUNS`.
    lang
        ``en`` or ``ar`` (other languages use English).
    number
        How to write the digits (e.g. Arabic-Indic); ``str(n)`` by default.

    Examples
    --------
    >>> counted(11, "dimension"), counted(1, "vote")
    ('11 dimensions', '1 vote')
    >>> counted(11, "dimension", "ar"), counted(2, "dimension", "ar"), counted(3, "dimension", "ar")
    ('11 بُعدًا', 'بُعدان', '3 أبعاد')
    """
    forms = NOUNS[noun]
    digits = number if number is not None else str(n)
    if lang != "ar":
        return f"{digits} {forms.en_one if n == 1 else forms.en_many}"
    if n == 1:
        return f"{forms.ar_one} {forms.ar_one_word}"
    if n == 2:
        return forms.ar_two
    tail = n % 100
    if n >= 100 and tail == 0:
        return f"{digits} {forms.ar_hundreds}"
    if 3 <= tail <= 10:
        return f"{digits} {forms.ar_few}"
    if tail in (1, 2) and n > 100:  # 101, 102: the singular in the genitive, like 100
        return f"{digits} {forms.ar_hundreds}"
    if tail == 0:  # 0
        return f"{digits} {forms.ar_few}"
    return f"{digits} {forms.ar_many}"
