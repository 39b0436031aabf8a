"""Planning a batch: what is checked and scored before any kernel starts (no kernel here)."""

from __future__ import annotations

import pandas as pd
from helpers import SAMPLES

from assessment.batch import plan

INPUTS = {
    "clients": SAMPLES / "clients.csv",
    "peers": SAMPLES / "peers.csv",
    "targets": SAMPLES / "targets.csv",
}
ANSWERS = [SAMPLES / "answers.csv", SAMPLES / "answers_forms_export.csv"]


def test_one_client_is_scored_alone_with_the_portfolio_s_numbers(tmp_path):
    # maturity report scores only its client (issue 19); its scores, peer percentiles
    # included, are those the whole portfolio's scoring gives it.
    whole = plan(ANSWERS, out_dir=tmp_path, **INPUTS)
    one = plan(ANSWERS, out_dir=tmp_path, only=["c04-sawsan-bank"], **INPUTS)
    assert whole.result is not None
    assert one.result is not None
    assert set(one.result.overall["client_id"]) == {"c04-sawsan-bank"}
    mine = whole.summary.loc[whole.summary["client_id"] == "c04-sawsan-bank"]
    pd.testing.assert_frame_equal(one.summary, mine.reset_index(drop=True))
    for table in ("dimensions", "benchmark", "recommendations"):
        frame = getattr(whole.result, table)
        expected = frame.loc[frame["client_id"] == "c04-sawsan-bank"].reset_index(drop=True)
        pd.testing.assert_frame_equal(getattr(one.result, table), expected, check_dtype=False)
    assert [j.parameters for j in one.jobs] == [
        j.parameters for j in whole.jobs if j.client_id == "c04-sawsan-bank"
    ]
