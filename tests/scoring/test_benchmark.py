"""Peer percentiles (:mod:`assessment.scoring.benchmark`).

Uses the data-stewardship rubric: quality (w .6): dq_checks (anchored, gate >=2 else cap <3),
dq_incidents_per_month (measured, lower is better, [10, 3, 1], NA allowed); ownership (w .4):
owner_named (boolean yes=4 no=1), catalogue_coverage_pct (measured, higher is better,
[25, 60, 90]).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from assessment.scoring import peer_index, score


def test_peer_benchmark_percentiles_and_anonymity_floor(small_rubric, make_answers):
    rng = np.random.default_rng(1)
    peers = pd.DataFrame(
        {
            "peer_id": [f"p{i}" for i in range(40)],
            "sector": ["retail"] * 30 + ["bank"] * 10,
            "size_band": ["small"] * 15 + ["large"] * 15 + ["small"] * 10,
            "region": "",
            "quality": rng.uniform(1, 4, 40).round(2),
            "ownership": rng.uniform(1, 4, 40).round(2),
        }
    )
    clients = pd.DataFrame(
        {
            "client_id": ["a", "b"],
            "name": ["A", "B"],
            "sector": ["retail", "bank"],
            "size_band": ["small", "large"],
            "region": "",
            "target_profile": "",
            "lang": "",
        }
    )
    rows = [("a", "x", "dq_checks", 3), ("b", "x", "dq_checks", 2)]
    r = score(
        small_rubric,
        make_answers(small_rubric, rows),
        clients=clients,
        peers=peers,
        anonymity_floor=12,
    )
    b = r.benchmark.set_index(["client_id", "measure"])
    assert b.loc[("a", "index"), "peer_group"] == "sector+size"
    assert b.loc[("a", "index"), "n_peers"] == 15
    assert b.loc[("b", "index"), "peer_group"] == "all"  # bank: 10 peers < floor 12
    pool = peer_index(peers.iloc[:15], small_rubric).to_numpy()
    x = r.overall.set_index("client_id").loc["a", "index"]
    expected = stats.percentileofscore(pool, x, kind="mean")
    assert b.loc[("a", "index"), "percentile"] == pytest.approx(expected)
    r = score(
        small_rubric,
        make_answers(small_rubric, rows),
        clients=clients,
        peers=peers,
        anonymity_floor=41,
    )
    assert r.benchmark["percentile"].isna().all()  # never from fewer peers than the floor
