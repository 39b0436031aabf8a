"""What every ``maturity score`` output carries: the rubric's name, version and hash, a rank.

Issue 17: results scored under two variants looked the same; every format now names the rubric
(``rubric_id``, ``rubric_version``, ``rubric_hash`` columns, or a header line for the table)
and ranks the clients (competition rank by index: ties share the best rank).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd

    from assessment.rubric import Rubric

__all__ = ["ranked", "rubric_header"]


def ranked(summary: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """``summary`` with ``rank`` after ``level`` and the rubric's id, version and hash last."""
    from assessment.weights.compare import competition_rank  # local: keeps --help fast

    out = summary.copy()
    at = list(out.columns).index("level") + 1 if "level" in out else len(out.columns)
    out.insert(at, "rank", competition_rank(out["index"]))
    out["rubric_id"] = rubric.id
    out["rubric_version"] = rubric.version
    out["rubric_hash"] = rubric.content_hash
    return out


def rubric_header(rubric: Rubric) -> str:
    """The table format's first line: ``rubric: id version (hash12)``."""
    from assessment.weights.compare import rubric_label  # local: keeps --help fast

    return f"rubric: {rubric_label(rubric)}"
