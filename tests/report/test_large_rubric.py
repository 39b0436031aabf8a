"""A report of a large rubric scales with it (issue 18, finding 16).

A 10,000-indicator rubric took 170-200 s per report: the agreement chart drew one row per
indicator, and the dimension sections looked every indicator up by walking the rubric.
``benchmarks/hostile.py large-rubric`` measures per-report time against the number of
indicators; these tests check the shape of the result, not a time.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers.hostile import large_rubric

from assessment import report
from assessment.limits import REPORT_ROWS
from assessment.rubric import Rubric, load_rubric

INDICATORS = 300


@pytest.fixture(name="large", scope="module")
def fixture_large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Rubric, Path]:
    """A 300-indicator rubric and answers where three respondents often disagree."""
    folder = tmp_path_factory.mktemp("large")
    rubric = load_rubric(large_rubric(folder / "large.yaml", INDICATORS))
    rng = np.random.default_rng(3)
    rows = [
        ("c1", "2025-01-01", f"R{r}", "CMO", i, int(rng.integers(1, 4)))
        for r in range(3)
        for i in rubric.indicator_table.index
    ]
    answers = folder / "answers.csv"
    pd.DataFrame(
        rows, columns=["client_id", "date", "respondent", "role", "indicator_id", "value"]
    ).to_csv(answers, index=False)
    return rubric, answers


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_agreement_section_shows_the_worst_hotspots_only(
    large: tuple[Rubric, Path], lang: str
) -> None:
    rubric, answers = large
    ctx = report.prepare("c1", rubric=rubric, answers=[answers], lang=lang, bootstrap=0)
    hotspots = int(ctx.latest(ctx.result.indicators)["hotspot"].sum())
    assert hotspots > REPORT_ROWS.value  # the case this is about
    html = str(report.agreement_section(ctx))
    table = re.search(r'<table class="hotspot-table">.*?</table>', html, re.S).group(0)
    assert table.count("<tr>") == REPORT_ROWS.value + 1  # the header, then the worst ones
    assert html.count("data:image/png;base64,") == 1
    if lang == "en":
        assert f"This rubric has {INDICATORS} indicators" in html
        assert f"{hotspots - REPORT_ROWS.value} more are not" in html


def test_sections_look_indicators_up_in_constant_time(
    large: tuple[Rubric, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    rubric, answers = large
    ctx = report.prepare("c1", rubric=rubric, answers=[answers], bootstrap=0)
    walks: list[str] = []
    real = Rubric.indicator
    monkeypatch.setattr(Rubric, "indicator", lambda self, i: walks.append(i) or real(self, i))
    html = str(report.dimension_sections(ctx)) + str(report.agreement_section(ctx))
    assert html.count("<tr>") > INDICATORS
    # The chart labels its (at most REPORT_ROWS) rows through the rubric; no section walks
    # the rubric once per indicator.
    assert len(walks) <= REPORT_ROWS.value


def test_a_small_rubric_keeps_one_row_per_indicator(
    large: tuple[Rubric, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    rubric, answers = large
    monkeypatch.setenv("ASSESSMENT_MAX_REPORT_ROWS", str(INDICATORS))
    ctx = report.prepare("c1", rubric=rubric, answers=[answers], bootstrap=0)
    html = str(report.agreement_section(ctx))
    assert "This rubric has" not in html
    assert "more are not" not in html
