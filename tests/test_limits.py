"""The limits: one table, each overridable from the environment (issue 18)."""

from __future__ import annotations

import pytest
from helpers import ROOT

from assessment import limits
from assessment.exceptions import ParameterError


def test_every_limit_is_documented_where_users_read_about_them() -> None:
    security = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    for limit in limits.LIMITS:
        assert f"``{limit.name}``" in (limits.__doc__ or ""), limit.name
        assert limit.variable in security, limit.variable


def test_a_limit_is_raised_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert limits.XLSX_CELLS.value == limits.XLSX_CELLS.default
    monkeypatch.setenv("ASSESSMENT_MAX_XLSX_CELLS", "5_000_000")
    assert limits.XLSX_CELLS.value == 5_000_000
    assert "5,000,000 (ASSESSMENT_MAX_XLSX_CELLS raises it)" in limits.XLSX_CELLS.hint()
    monkeypatch.setenv("ASSESSMENT_MAX_XLSX_CELLS", "lots")
    with pytest.raises(ParameterError, match="ASSESSMENT_MAX_XLSX_CELLS must be a whole number"):
        _ = limits.XLSX_CELLS.value
