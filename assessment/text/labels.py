"""The one table of user-facing labels: reports, charts, the workshop apps and the CLI.

Every string a client or a workshop participant reads comes from :data:`ENTRIES`, one entry per
key with every language side by side (written in :mod:`assessment.text.entries`, one module per
surface), so a translation is reviewed next to its source and the
same word is used on every screen (the Arabic terms follow ``docs/glossary.md``).  Rubric texts
are not here: they carry their own translations in the rubric file
(:func:`assessment.rubric.translate`).

Keys are grouped by the surface that introduced them; a key is reused wherever the meaning is
the same (``dimension``, ``level``, ``na`` ...), never copied under a second name.
"""

from __future__ import annotations

import importlib
import string
from collections.abc import Mapping
from types import MappingProxyType

from assessment.text.counting import NOUNS, counted
from assessment.text.entries import SURFACES

__all__ = ["ENTRIES", "LABELS", "LANGUAGES", "label"]

#: Languages every entry is written in.
LANGUAGES = ("en", "ar")


def _merge() -> dict[str, Mapping[str, str]]:
    """Every surface's entries in one table; a key defined by two surfaces is an error."""
    merged: dict[str, Mapping[str, str]] = {}
    for surface in SURFACES:
        module = importlib.import_module(f"assessment.text.entries.{surface}")
        twice = merged.keys() & module.ENTRIES.keys()
        if twice:
            raise ValueError(f"labels defined twice ({surface}): {', '.join(sorted(twice))}")
        merged.update(module.ENTRIES)
    return merged


#: Every label, by key: ``ENTRIES["dimension"] == {"en": "Dimension", "ar": "البُعد"}``.
ENTRIES: Mapping[str, Mapping[str, str]] = MappingProxyType(_merge())

#: The same table by language: ``LABELS["ar"]["dimension"]``.
LABELS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        lang: MappingProxyType({key: entry[lang] for key, entry in ENTRIES.items()})
        for lang in LANGUAGES
    }
)


class _Formatter(string.Formatter):
    """``{total:dimension}`` renders a count with its noun, in agreement, in the language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: object, format_spec: str) -> str:
        if format_spec in NOUNS:
            return counted(int(value), format_spec, self.lang)  # type: ignore[call-overload]
        return super().format_field(value, format_spec)


def label(key: str, lang: str = "en", **values: object) -> str:
    """The label ``key`` in ``lang`` (English for another language), with ``values`` filled in.

    Raises
    ------
    KeyError
        For a key that is not in the table: a typo must fail in tests, not show a blank.

    Examples
    --------
    >>> label("count_2007_sentence", "en", count=3, total=11)
    '3 of 11 dimensions are still resourced like 2007.'
    >>> label("count_2007_sentence", "ar", count=3, total=11)
    '3 من أصل 11 بُعدًا ما زالت تُدار بموارد عام 2007.'
    """
    entry = ENTRIES[key]
    text = entry.get(lang) or entry["en"]
    used = lang if lang in entry else "en"
    return _Formatter(used).format(text, **values) if values else text
