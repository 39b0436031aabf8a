"""The questions of a rubric as a respondent sees them, and the way back from their labels.

Every questionnaire (workbook, XLSForm, Forms sheet, printout) is written from one
:func:`catalogue`, and every survey export is read back through it: a question is found by its
indicator id, its short code (``[Q3]`` at the start of a title), or its text in either
language; an option by its value, its code name, its label in either language, or a leading
level number (``Level 4 - ...``, ``المستوى ٤``).

Codes are numbered in rubric order (``Q1``... for indicators, ``F1``... for facts); a form is
read back with the rubric (and version) it was written from, which the questionnaires name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assessment.text import label

if TYPE_CHECKING:  # pragma: no cover
    from assessment.rubric import Rubric

__all__ = [
    "DONT_KNOW",
    "DONT_KNOW_TOKENS",
    "Option",
    "Question",
    "catalogue",
    "normalise_digits",
    "normalise_text",
]

#: The value a "don't know" answer has in the long format: it counts as not answered.
DONT_KNOW = "dont_know"
#: Spellings of "don't know" (compared after :func:`normalise_text`).
DONT_KNOW_TOKENS = frozenset(
    {
        "dk",
        "dont_know",
        "don't know",
        "don’t know",
        "dont know",
        "do not know",
        "i don't know",
        "unknown",
        "لا أعرف",
        "لا اعرف",
        "لا أدري",
    }
)

#: Arabic-Indic (U+0660) and Eastern Arabic-Indic (U+06F0, Persian/Urdu) digits, the Arabic
#: decimal separator (٫) and thousands separator (٬).
_DIGITS = str.maketrans(
    {
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
        "٫": ".",
        "٬": ",",
    }
)


def normalise_digits(text: str) -> str:
    """``text`` with Arabic-Indic digits and separators as ASCII (``'١٫٥'`` -> ``'1.5'``)."""
    return text.translate(_DIGITS)


_SPACES = re.compile(r"\s+")
#: Marks that survey tools add around a title: a required star, a trailing colon or "?".
_EDGES = re.compile(r"^[\s*:؟?.]+|[\s*:؟?.]+$")


def normalise_text(text: str) -> str:
    """A header or label as compared: NFKC, case-folded, spaces collapsed, edges trimmed.

    Tools add a ``*`` to required questions, editors swap straight and curly quotes, and
    people retype a question with another amount of spacing: none of that changes the
    question.
    """
    text = unicodedata.normalize("NFKC", normalise_digits(str(text)))
    text = text.replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", "-")
    text = text.replace("\u0640", "")  # Arabic tatweel is decoration
    return _EDGES.sub("", _SPACES.sub(" ", text.casefold())).strip()


@dataclass(frozen=True)
class Option:
    """One answer option of a choice question.

    Attributes
    ----------
    value
        What the long answers format holds for it: ``"3"``, ``"yes"``, ``"NA"`` or
        :data:`DONT_KNOW`.
    name
        The choice name in an XLSForm (letters, digits and ``_`` only).
    labels
        The label in each language (``{"en": ..., "ar": ...}``).
    """

    value: str
    name: str
    labels: dict[str, str]


@dataclass(frozen=True)
class Question:
    """One question of a questionnaire: an indicator (anchored, boolean, measured) or a fact.

    Attributes
    ----------
    id, code
        The indicator or fact id, and its short code (``Q3``, ``F1``).
    kind
        ``anchored``, ``boolean``, ``measured`` or ``fact``.
    section
        The dimension's name per language (facts: the "facts" label).
    text
        The question per language (the indicator's name when it has no question).
    descriptors
        Anchored: each level's descriptor per language.
    options
        Choice questions: the options, "don't know" and (where allowed) N/A included.
    unit, minimum, maximum
        Numeric questions: the unit and the bounds a fact declares.
    asked_of
        Role ids asked this question (empty: everyone).
    """

    id: str
    code: str
    kind: str
    dimension_id: str
    section: dict[str, str]
    text: dict[str, str]
    descriptors: dict[int, dict[str, str]] = field(default_factory=dict)
    options: tuple[Option, ...] = ()
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    allow_na: bool = False
    asked_of: tuple[str, ...] = ()
    hint: dict[str, str] = field(default_factory=dict)

    @property
    def numeric(self) -> bool:
        """Whether the answer is a number (measured indicators and facts)."""
        return self.kind in ("measured", "fact")

    def title(self, lang: str = "en") -> str:
        """``[Q3] Does the organisation ...?``: the code first, so exports map back exactly."""
        return f"[{self.code}] {self.text.get(lang) or self.text['en']}"

    def asked(self, role: str | None) -> bool:
        """Whether a respondent in ``role`` (a role id, ``None``: anyone) is asked this."""
        return role is None or not self.asked_of or role in self.asked_of


def _texts(value: dict[str, str] | None, fallback: dict[str, str]) -> dict[str, str]:
    value = dict(value or fallback)
    return {"en": value["en"], "ar": value.get("ar") or value["en"]}


def _labels(key: str, **values: object) -> dict[str, str]:
    return {lang: label(key, lang, **values) for lang in ("en", "ar")}


def _level_options(rubric: Rubric, descriptors: dict[int, dict[str, str]]) -> list[Option]:
    out = []
    for n in range(1, rubric.n_levels + 1):
        labels = {}
        for lang in ("en", "ar"):
            text = descriptors.get(n, {}).get(lang) or rubric.level_name(n, lang)
            labels[lang] = label("questionnaire.level_option", lang, level=n, text=text)
        out.append(Option(str(n), str(n), labels))
    return out


def _tail_options(allow_na: bool) -> list[Option]:
    tail = [Option(DONT_KNOW, "dk", _labels("questionnaire.dont_know"))]
    if allow_na:
        tail.append(Option("NA", "na", _labels("questionnaire.not_applicable")))
    return tail


def catalogue(rubric: Rubric, role: str | None = None) -> list[Question]:
    """The questions of ``rubric`` in order (indicators by dimension, then facts).

    Computed indicators are not asked (their facts are).  With ``role`` (a role id), only the
    questions that role is asked.  Codes do not depend on ``role``: ``Q7`` is the same
    question in every role's questionnaire.
    """
    out: list[Question] = []
    n_ind = 0
    for dim, ind in rubric.iter_indicators():
        if ind.kind == "computed":
            continue
        n_ind += 1
        descriptors = {
            n: _texts(spec.descriptor, spec.descriptor) for n, spec in sorted(ind.levels.items())
        }
        options: list[Option] = []
        if ind.kind == "anchored":
            options = _level_options(rubric, descriptors)
        elif ind.kind == "boolean":
            options = [
                Option("yes", "yes", _labels("questionnaire.yes")),
                Option("no", "no", _labels("questionnaire.no")),
            ]
        if options:
            options += _tail_options(ind.allow_na)
        out.append(
            Question(
                id=ind.id,
                code=f"Q{n_ind}",
                kind=ind.kind,
                dimension_id=dim.id,
                section=_texts(dim.name, dim.name),
                text=_texts(ind.question, ind.name),
                descriptors=descriptors if ind.kind == "anchored" else {},
                options=tuple(options),
                unit=ind.unit or "",
                allow_na=ind.allow_na,
                asked_of=tuple(ind.asked_of),
                hint=_texts(ind.evidence_hint, {"en": ""}) if ind.evidence_hint else {},
            )
        )
    for n, fact in enumerate(rubric.facts, start=1):
        out.append(
            Question(
                id=fact.id,
                code=f"F{n}",
                kind="fact",
                dimension_id="",
                section=_labels("questionnaire.facts"),
                text=_texts(fact.question, fact.name),
                unit=fact.unit,
                minimum=fact.minimum,
                maximum=fact.maximum,
                asked_of=tuple(fact.asked_of),
            )
        )
    return [q for q in out if q.asked(role)]
