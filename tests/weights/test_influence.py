"""Which weights matter (:mod:`assessment.weights.influence`): absolute influence, break-even."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from assessment.weights.influence import (
    break_even,
    break_even_table,
    export_tables,
    influence,
    rank_reversals,
)
from assessment.weights.portfolio import Portfolio
from assessment.weights.sensitivity import one_at_a_time


def _portfolio() -> Portfolio:
    # A weight's change moves a client's index in proportion to (its score there - its
    # weighted mean score).  x splits the clients (a: 5 - 3.18, b: 1 - 2.82, i.e. +1.82 and
    # -1.82), so its signed mean change is 0 though it moves each client most; y is a little
    # above both means (+0.42, +0.78): the largest signed mean, the smallest absolute one.
    scores = np.array([[5.0, 3.6, 1.5], [1.0, 3.6, 3.6]])
    return Portfolio(
        client_ids=np.array(["a", "b"], dtype=object),
        dimension_ids=("x", "y", "z"),
        scores=scores,
        gaps=np.zeros_like(scores),
        weights=np.array([0.3, 0.3, 0.4]),
        n_levels=5,
    )


def test_tornado_order_is_by_mean_absolute_change_not_the_signed_mean():
    """Issue 17: the signed mean let rises and falls cancel and put the most influential last."""
    oat = one_at_a_time(_portfolio(), step=0.2)
    table = influence(oat)
    signed = oat.groupby("dimension_id")[["delta_low", "delta_high"]].mean()
    swing = (signed["delta_high"] - signed["delta_low"]).abs().sort_values(ascending=False)
    assert swing.index[-1] == "x"  # the signed view: x last, its rises and falls cancel
    assert swing["x"] == pytest.approx(0, abs=1e-9)
    assert table.index[0] == "x"  # the honest view: x moves each client most
    assert table.index[-1] == "y"
    assert table.loc["x", "mean_abs"] > table.loc["y", "mean_abs"]
    expected = oat.assign(a=np.maximum(oat["delta_low"].abs(), oat["delta_high"].abs())).groupby(
        "dimension_id"
    )["a"]
    assert table["mean_abs"].to_dict() == pytest.approx(expected.mean().to_dict())
    assert table["max_abs"].to_dict() == pytest.approx(expected.max().to_dict())
    one = influence(oat, client_id="b")
    assert one.loc["x", "max_client"] == "b"


def test_influence_on_the_sample_portfolio_is_ordered_and_complete(portfolio):
    table = influence(one_at_a_time(portfolio))
    assert set(table.index) == set(portfolio.dimension_ids)
    assert table["mean_abs"].is_monotonic_decreasing
    assert (table["max_abs"] >= table["mean_abs"] - 1e-12).all()


def test_break_even_finds_the_weight_where_the_level_changes(portfolio):
    cid = str(portfolio.client_ids[0])
    base = portfolio.weights / portfolio.weights.sum()
    found = 0
    for k, dim in enumerate(portfolio.dimension_ids):
        r = break_even(portfolio, dim, cid)
        assert r["weight"] == pytest.approx(base[k])
        for side in ("below", "above"):
            at = r[f"level_change_{side}"]
            if at is None:
                continue
            if not 1e-6 < at < 1 - 1e-6:
                continue
            found += 1
            inside = at - 1e-6 if side == "above" else at + 1e-6
            beyond = at + 1e-6 if side == "above" else at - 1e-6
            lv = [_level_at(portfolio, k, x, cid) for x in (inside, beyond)]
            assert lv == [r["level"], r[f"level_{side}"]], (dim, side)
        for row in r["overtakes"].itertuples():
            if not 1e-6 < row.at < 1 - 1e-6:
                continue  # a crossing at the very end of the range
            o = row.other
            before = _index_at(portfolio, k, row.at - 1e-6 * np.sign(row.change), cid, o)
            after = _index_at(portfolio, k, row.at + 1e-6 * np.sign(row.change), cid, o)
            assert np.sign(before) != np.sign(after), (dim, o)
    assert found > 0


def _moved(p: Portfolio, k: int, x: float) -> np.ndarray:
    base = p.weights / p.weights.sum()
    w = base * (1 - x) / (1 - base[k])
    w[k] = x
    return w


def _level_at(p: Portfolio, k: int, x: float, cid: str) -> int:
    levels = p.level(_moved(p, k, x))
    return int(levels[list(p.client_ids).index(cid)])


def _index_at(p: Portfolio, k: int, x: float, cid: str, other: str) -> float:
    index = p.index(_moved(p, k, x))
    ids = list(p.client_ids)
    return float(index[ids.index(cid)] - index[ids.index(other)])


def test_rank_reversals_agree_with_recomputed_indices(portfolio):
    flips = rank_reversals(portfolio, step=0.2)
    base = portfolio.index()
    ids = list(portfolio.client_ids)
    for r in flips.itertuples():
        k = portfolio.dimension_ids.index(r.dimension_id)
        w = portfolio.weights / portfolio.weights.sum()
        w = w.copy()
        w[k] *= 0.8 if r.direction == "down" else 1.2
        new = portfolio.index(w / w.sum())
        up, down = ids.index(r.client_up), ids.index(r.client_down)
        assert base[up] < base[down]
        assert new[up] > new[down]
    assert rank_reversals(_portfolio(), step=0.2).columns[0] == "dimension_id"


def test_tables_export_to_csv_and_xlsx(tmp_path: Path, portfolio):
    tables = {
        "influence": influence(one_at_a_time(portfolio)),
        "break_even": break_even_table(portfolio, str(portfolio.client_ids[0])),
    }
    written = export_tables(tmp_path / "sens.csv", tables)
    assert [p.name for p in written] == ["sens.csv", "sens-break_even.csv"]
    back = pd.read_csv(written[0])
    assert back.columns[0] == "dimension_id"
    assert len(back) == len(portfolio.dimension_ids)
    (book,) = export_tables(tmp_path / "sens.xlsx", tables)
    sheets = pd.read_excel(book, sheet_name=None)
    assert set(sheets) == {"influence", "break_even"}
