"""Which assessment a chart draws (:mod:`assessment.charts.selection`)."""

from __future__ import annotations

import numpy as np
import pytest
from helpers.charts import ROWS

from assessment import charts
from assessment.charts import selection
from assessment.scoring import score


def test_ambiguous_or_unknown_assessment(result):
    with pytest.raises(ValueError, match="client_id="):
        charts.gap_bars(result)
    with pytest.raises(ValueError, match="no scored assessment"):
        charts.gap_bars(result, client_id="nobody")
    with pytest.raises(ValueError, match="2024-01-01"):
        charts.gap_bars(result, client_id="acme", date="2024-01-01")


def test_select_defaults_to_the_only_client_and_its_latest_date(result, small_rubric, make_answers):
    assert selection.select_assessment(result, "acme", None) == ("acme", "2025-07-15")
    assert selection.select_assessment(result, "acme", "2025-01-15") == ("acme", "2025-01-15")
    gamma = [row for row in ROWS if row[0] == "gamma"]
    alone = score(small_rubric, make_answers(small_rubric, gamma, date="2025-03-01"))
    assert selection.select_assessment(alone, None, None) == ("gamma", "2025-03-01")


def test_assessment_rows_are_one_client_and_date(result):
    rows = selection.assessment_rows(result.dimensions, "acme", "2025-01-15")
    assert set(rows["client_id"]) == {"acme"}
    assert set(rows["date"]) == {"2025-01-15"}
    assert len(rows) == len(result.rubric.dimension_table)


def test_dimension_rows_narrow_a_table_to_one_assessment(result):
    dims = result.dimensions
    with pytest.raises(ValueError, match="several assessments"):
        selection.dimension_rows(dims, None, None)
    with pytest.raises(ValueError, match="dimension_id"):
        selection.dimension_rows(dims.drop(columns="dimension_id"), None, None)
    rows = selection.dimension_rows(dims, "acme", "2025-07-15")
    assert list(rows["dimension_id"]) == list(result.rubric.dimension_table.index)
    assert set(rows["date"]) == {"2025-07-15"}


def test_respondent_table_has_one_row_per_answer(first):
    table = selection.respondent_table(first, "acme", "2025-01-15")
    assert list(table.columns) == ["respondent", "indicator_id", "is_na", "level"]
    dq = table.loc[table["indicator_id"] == "dq_checks"]
    assert list(dq["respondent"]) == ["ann", "bob", "cat"]
    np.testing.assert_array_equal(dq["level"], [1, 3, 4])
    na = table.loc[table["indicator_id"] == "dq_incidents_per_month"]
    assert bool(na["is_na"].iloc[0])
    assert np.isnan(na["level"].iloc[0])
