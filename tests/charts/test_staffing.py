"""Required vs current FTE (:mod:`assessment.charts.staffing`)."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from assessment import charts
from assessment.charts import staffing as staffing_module
from assessment.scoring.staffing import staffing_table


def bars(ax: Axes, gid: str):
    return [p for p in ax.patches if p.get_gid() == gid]


def test_staffing_bars_are_required_and_current_fte(staffing):
    ax = charts.staffing_chart(staffing)
    np.testing.assert_allclose([b.get_height() for b in bars(ax, "required")], staffing["fte"])
    np.testing.assert_allclose(
        [b.get_height() for b in bars(ax, "current")], staffing["current_fte"]
    )
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0] == "Business hours\n45 h/week"
    assert any("gap +1.8" in t.get_text() for t in ax.texts)


def test_staffing_without_current_fte():
    table = staffing_table(
        messages_per_day=200, aht_minutes=6, answer_within_minutes=30, service_level=0.8
    )
    ax = charts.staffing_chart(table)
    assert len(ax.containers) == 1
    assert not bars(ax, "current")
    np.testing.assert_allclose([b.get_height() for b in bars(ax, "required")], table["fte"])
    with pytest.raises(ValueError, match="staffing_table"):
        charts.staffing_chart(table.drop(columns="fte"))


def test_staffing_rows_are_the_bars_in_table_order(staffing):
    rows = staffing_module.staffing_rows(staffing)
    assert list(rows.index) == list(staffing.index)
    assert list(rows.columns) == ["hours", "required", "current", "gap"]
    np.testing.assert_allclose(rows["required"], staffing["fte"])
    np.testing.assert_allclose(rows["gap"], staffing["fte_gap"])
    without_gap = staffing_module.staffing_rows(staffing.drop(columns="fte_gap"))
    np.testing.assert_allclose(without_gap["gap"], staffing["fte"] - staffing["current_fte"])


def test_staffing_gap_in_arabic_has_no_sign(staffing):
    ax = charts.staffing_chart(staffing, lang="ar")
    gaps = [t.get_text() for t in ax.texts if "\n" in t.get_text()]
    assert gaps
    assert all("+" not in t and "−" not in t for t in gaps)


def test_staffing_chart_still_accepts_a_positional_ax(staffing):
    ax = Figure().add_subplot()
    with pytest.warns(DeprecationWarning, match=r"staffing_chart\(data, ax=ax\)"):
        assert charts.staffing_chart(staffing, ax) is ax
    assert bars(ax, "required")
