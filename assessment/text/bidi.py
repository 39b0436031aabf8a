"""Text direction: which languages are right to left.

HTML pages set ``dir`` from :func:`direction`; user-supplied strings are isolated where they are
shown (``<bdi>``/``dir="auto"``) so that a Latin name inside Arabic text keeps its punctuation.
"""

from __future__ import annotations

__all__ = ["RTL_LANGUAGES", "direction"]

#: Languages written right to left.
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})


def direction(lang: str) -> str:
    """``"rtl"`` for right-to-left languages, else ``"ltr"``."""
    return "rtl" if lang in RTL_LANGUAGES else "ltr"
