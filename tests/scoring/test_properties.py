"""Properties that hold for ANY valid rubric, not just ours (hypothesis generates the rubrics).

Rubric 2.0's first finding: a perfect organisation must score the top of the scale in every
dimension (index 100) and a "2007" organisation the bottom (index 0).  The validator guarantees
it for schema 2 (an indicator that cannot reach the top or the bottom is rejected), so these
tests generate schema-2 rubrics of every shape the model allows (3 to 7 levels, anchored,
measured and yes/no indicators in either direction, weights, gates, NA) and check it.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.exceptions import RubricError
from assessment.inputs import answers_from_frame
from assessment.rubric import Rubric, lint, load_rubric
from assessment.scoring import score

PROPERTY_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def indicators(draw: st.DrawFn, n: int, prefix: str) -> dict:
    """One indicator of any kind, valid for an ``n``-level scale."""
    kind = draw(st.sampled_from(["anchored", "measured", "boolean"]))
    ind: dict = {
        "id": prefix,
        "name": f"Indicator {prefix}",
        "kind": kind,
        "weight": draw(st.floats(0.2, 5.0)),
        "proposal": True,
    }
    if kind == "boolean":
        top_is_yes = draw(st.booleans())
        ind["yes_level"], ind["no_level"] = (n, 1) if top_is_yes else (1, n)
        ind["levels"] = {
            1: {"descriptor": "worst", "next_step": "improve"},
            n: {"descriptor": "best"},
        }
        return ind
    ind["levels"] = {
        k: {"descriptor": f"L{k}", **({"next_step": "up"} if k < n else {})}
        for k in range(1, n + 1)
    }
    if kind == "measured":
        steps = draw(st.lists(st.floats(0.5, 10.0), min_size=n - 1, max_size=n - 1))
        rising = list(_cumsum(steps))
        ind["direction"] = draw(st.sampled_from(["lower_is_better", "higher_is_better"]))
        ind["thresholds"] = rising[::-1] if ind["direction"] == "lower_is_better" else rising
        ind["unit"] = "units"
    return ind


def _cumsum(values: list[float]) -> list[float]:
    total, out = 0.0, []
    for v in values:
        total += v
        out.append(round(total, 3))
    return out


@st.composite
def rubrics(draw: st.DrawFn) -> dict:
    """A schema-2 rubric: 3-7 levels, 1-4 dimensions of 1-4 indicators, gates, NA."""
    n = draw(st.integers(3, 7))
    n_dims = draw(st.integers(1, 4))
    raw = [draw(st.floats(0.1, 1.0)) for _ in range(n_dims)]
    weights = [w / sum(raw) for w in raw]
    weights[-1] = 1.0 - sum(weights[:-1])  # exactly 1 in floating point
    dimensions = []
    for d in range(n_dims):
        inds = [draw(indicators(n, f"d{d}i{i}")) for i in range(draw(st.integers(1, 4)))]
        gates = []
        if draw(st.booleans()):
            gated = draw(st.sampled_from([i["id"] for i in inds]))
            gates.append(
                {
                    "indicator": gated,
                    "min_level": draw(st.integers(2, n)),
                    "caps_below": draw(st.integers(2, n)),
                }
            )
        for ind in inds:
            # NA is allowed on some indicators, never on a gate (rubric 2.0).
            if not any(g["indicator"] == ind["id"] for g in gates) and draw(st.booleans()):
                ind["allow_na"] = True
                ind["na_when"] = "when it does not apply"
        dimensions.append(
            {
                "id": f"d{d}",
                "name": f"Dimension {d}",
                "weight": weights[d],
                "indicators": inds,
                "gates": gates,
            }
        )
    return {
        "schema_version": 2,
        "id": "generated",
        "version": "1.0.0",
        "name": "Generated rubric",
        "scale": [{"level": k, "name": f"L{k}"} for k in range(1, n + 1)],
        "dimensions": dimensions,
        "targets": [{"id": "top", "default": n}],
    }


def _answer(rubric: Rubric, indicator_id: str, best: bool) -> str:
    """The best (or worst) answer to an indicator, as a respondent would write it."""
    ind = rubric.indicator(indicator_id)
    n = rubric.n_levels
    if ind.kind == "anchored":
        return str(n if best else 1)
    if ind.kind == "boolean":
        yes_is_top = ind.yes_level == n
        return "yes" if best == yes_is_top else "no"
    t = ind.thresholds or []
    lower = ind.direction == "lower_is_better"
    # The last threshold reaches the top; beyond the first one in the wrong direction is L1.
    if best:
        return str(t[-1])
    return str(t[0] + 1 if lower else t[0] - 1)


def _score_all(rubric: Rubric, best: bool, respondents: int) -> pd.DataFrame:
    rows = [
        ("acme", "2025-01-01", f"r{k}", "", i.id, _answer(rubric, i.id, best))
        for k in range(respondents)
        for _, i in rubric.iter_indicators()
    ]
    frame = pd.DataFrame(
        rows, columns=["client_id", "date", "respondent", "role", "indicator_id", "value"]
    )
    return score(rubric, answers_from_frame(frame, rubric))


@PROPERTY_SETTINGS
@given(data=rubrics(), respondents=st.integers(1, 3))
def test_every_top_answer_gives_the_top_everywhere_and_index_100(data: dict, respondents: int):
    rubric = load_rubric(data)
    result = _score_all(rubric, best=True, respondents=respondents)
    assert result.dimensions["score"].tolist() == [float(rubric.n_levels)] * len(rubric.dimensions)
    assert result.overall["index"].iloc[0] == pytest.approx(100.0)
    assert int(result.overall["level"].iloc[0]) == rubric.n_levels
    assert int(result.overall["weakest_link"].iloc[0]) == rubric.n_levels


@PROPERTY_SETTINGS
@given(data=rubrics(), respondents=st.integers(1, 3))
def test_every_bottom_answer_gives_one_everywhere_and_index_0(data: dict, respondents: int):
    rubric = load_rubric(data)
    result = _score_all(rubric, best=False, respondents=respondents)
    assert result.dimensions["score"].tolist() == [1.0] * len(rubric.dimensions)
    assert result.overall["index"].iloc[0] == pytest.approx(0.0)
    assert int(result.overall["count_2007"].iloc[0]) == len(rubric.dimensions)


@PROPERTY_SETTINGS
@given(data=rubrics())
def test_generated_rubrics_lint_clean_apart_from_the_glossary(data: dict):
    # The generator writes English only: no glossary findings, and schema 2 loaded means no
    # quality problem is left.
    assert lint(load_rubric(data)) == []


@PROPERTY_SETTINGS
@given(data=rubrics(), level=st.integers(2, 6))
def test_schema_2_rejects_a_yes_no_indicator_that_cannot_reach_the_top(data: dict, level: int):
    n = len(data["scale"])
    data["dimensions"][0]["indicators"].append(
        {
            "id": "partial",
            "name": "Yes is not the top",
            "kind": "boolean",
            "yes_level": min(level, n - 1),
            "no_level": 1,
            "proposal": True,
            "levels": {
                1: {"descriptor": "no", "next_step": "do it"},
                min(level, n - 1): {"descriptor": "yes", "next_step": "do more"},
            },
        }
    )
    with pytest.raises(RubricError, match=r"indicator 'partial'.*cannot reach \d.*\[unreachable\]"):
        load_rubric(data)
    # The same rubric in schema 1 still loads, and lint names the problem.
    legacy = load_rubric({**data, "schema_version": 1})
    codes = {(p.where, p.code, p.severity) for p in lint(legacy)}
    assert ("indicator 'partial'", "unreachable", "warning") in codes
