"""Views of a result (:mod:`assessment.scoring.result`): summary and latest assessments.

Uses the data-stewardship rubric: quality (w .6): dq_checks (anchored, gate >=2 else cap <3),
dq_incidents_per_month (measured, lower is better, [10, 3, 1], NA allowed); ownership (w .4):
owner_named (boolean yes=4 no=1), catalogue_coverage_pct (measured, higher is better,
[25, 60, 90]).
"""

from __future__ import annotations

import pandas as pd

from assessment.inputs import answers_from_frame
from assessment.scoring import score


def test_summary_has_contract_columns(small_rubric, make_answers):
    rows = [("a", "x", "dq_checks", 3)]
    s = score(small_rubric, make_answers(small_rubric, rows)).summary()
    for col in ["client_id", "index", "level", "count_2007", "quality", "ownership"]:
        assert col in s.columns


def test_latest_assessment_per_client(small_rubric):
    frame = pd.DataFrame(
        {
            "client_id": ["a", "a"],
            "date": ["2024-01-01", "2025-01-01"],
            "respondent": ["x", "x"],
            "role": "",
            "indicator_id": ["dq_checks", "dq_checks"],
            "value": ["1", "3"],
        }
    )
    r = score(small_rubric, answers_from_frame(frame, small_rubric))
    assert len(r.overall) == 2
    latest = r.summary()
    assert list(latest["date"]) == ["2025-01-01"]
    assert latest["quality"].iloc[0] == 3
