"""Targets, gaps and recommendations (:mod:`assessment.scoring.targets`).

Uses the data-stewardship rubric: quality (w .6): dq_checks (anchored, gate >=2 else cap <3),
dq_incidents_per_month (measured, lower is better, [10, 3, 1], NA allowed); ownership (w .4):
owner_named (boolean yes=4 no=1), catalogue_coverage_pct (measured, higher is better,
[25, 60, 90]).
"""

from __future__ import annotations

import pandas as pd
import pytest

from assessment.exceptions import ParameterError
from assessment.scoring import score


def test_targets_gaps_and_recommendations(small_rubric, make_answers):
    rows = [
        ("t", "a", "dq_checks", 1),
        ("t", "a", "owner_named", "no"),
        ("t", "a", "catalogue_coverage_pct", 95),
    ]
    r = score(small_rubric, make_answers(small_rubric, rows))
    d = r.dimensions.set_index("dimension_id")
    # baseline profile: default 3
    assert d.loc["quality", "target"] == 3
    assert d.loc["quality", "gap"] == pytest.approx(2.0)
    assert d.loc["quality", "priority"] == pytest.approx(0.6 * 2.0)
    assert d.loc["ownership", "gap"] == pytest.approx(0.5)  # (1 + 4) / 2 = 2.5
    rec = r.recommendations
    assert list(rec["rank"]) == [1, 2]
    top = rec.iloc[0]
    assert top["indicator_id"] == "dq_checks"
    assert top["next_step"] == "Write the first checks"
    # priority_i = w_d * (v_i / sum v) * gap_i = .6 * 1/2 * 2
    assert top["priority"] == pytest.approx(0.6)
    custom = r.gaps_against({"quality": 4, "ownership": 4}).set_index("dimension_id")
    assert custom.loc["quality", "gap"] == pytest.approx(3.0)
    with pytest.raises(ParameterError, match="unknown target profile"):
        r.gaps_against("nope")


def test_client_target_profile_from_targets_file(small_rubric, make_answers):
    clients = pd.DataFrame(
        {
            "client_id": ["t"],
            "name": ["T"],
            "sector": [""],
            "size_band": [""],
            "region": [""],
            "target_profile": ["own"],
            "lang": [""],
        }
    )
    targets = pd.DataFrame({"profile_id": ["own"], "dimension_id": ["quality"], "target": [2.0]})
    r = score(
        small_rubric,
        make_answers(small_rubric, [("t", "a", "dq_checks", 1)]),
        clients=clients,
        targets=targets,
    )
    d = r.dimensions.set_index("dimension_id")
    assert d.loc["quality", "target"] == 2.0
    assert d.loc["ownership", "target"] == 4.0  # unlisted -> top of the scale
    assert r.overall["target_profile"].iloc[0] == "own"
