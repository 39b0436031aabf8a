"""The words an answer may be written with: not applicable, yes, no (any case)."""

from __future__ import annotations

__all__ = ["NA_TOKENS", "NO_TOKENS", "YES_TOKENS"]

#: Spellings accepted for "not applicable" (compared case-insensitively).
NA_TOKENS = frozenset({"na", "n/a", "n.a.", "not applicable", "غير منطبق", "لا ينطبق"})
YES_TOKENS = frozenset({"yes", "y", "true", "1", "نعم"})
NO_TOKENS = frozenset({"no", "n", "false", "0", "لا"})
