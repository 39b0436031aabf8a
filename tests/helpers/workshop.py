"""What the workshop tests share besides fixtures: the workshops' keys and widget finders.

The fixtures that build these workshops are in ``tests/workshop/conftest.py``.
"""

from __future__ import annotations

from typing import Any

#: The workshop of the app tests (fixture ``voted_wid``): a sample client, three voters.
CLIENT = "c01-fanous-souq"
DATE = "2025-06-01"
#: The empty workshop the store tests start from (fixture ``wid``).
EMPTY_CLIENT = "c01-test"
EMPTY_DATE = "2025-05-01"


def find(widget: Any, cls: str) -> list[Any]:
    """Every widget below ``widget`` carrying the DOM class ``cls``."""
    out = []
    if cls in getattr(widget, "_dom_classes", ()):
        out.append(widget)
    for child in getattr(widget, "children", ()):
        out.extend(find(child, cls))
    return out


def walk(widget: Any) -> list[Any]:
    """``widget`` and every widget below it."""
    out = [widget]
    for child in getattr(widget, "children", ()):
        out.extend(walk(child))
    return out
