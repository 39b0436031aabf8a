"""Placeholder."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def build_deck(ctx: Any) -> Any:
    raise NotImplementedError


def write_deck(ctx: Any, path: str | Path) -> Path | None:
    if not path:
        return None
    raise NotImplementedError
