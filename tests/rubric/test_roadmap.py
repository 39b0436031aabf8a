"""The roadmap declaration on next steps: effort, horizon and owner role (issue 15)."""

from __future__ import annotations

import pytest
from helpers import SMALL_RUBRIC

from assessment.exceptions import RubricError
from assessment.rubric import HORIZONS, load_rubric


def test_every_next_step_of_the_packaged_rubric_is_on_the_roadmap_as_a_proposal():
    rubric = load_rubric("social-media")
    roles = {r.id for r in rubric.roles}
    steps = [
        (ind, level)
        for _, ind in rubric.iter_indicators()
        for level, spec in ind.levels.items()
        if spec.next_step
    ]
    assert len(steps) > 100
    for ind, level in steps:
        plan = ind.roadmap(level)
        assert plan is not None, f"{ind.id} level {level} has no roadmap"
        assert plan.horizon in HORIZONS
        assert plan.owner_role in roles
        assert plan.proposal, "no source supports an effort or a horizon in the packaged rubric"
    top = {ind.roadmap(max(ind.levels)) for _, ind in rubric.iter_indicators()}
    assert top == {None}, "the top level has no next step, so nothing to schedule"


def _with_roadmap(roadmap: dict, *, drop_step: bool = False) -> dict:
    data = load_rubric(SMALL_RUBRIC).model_dump(mode="json")
    levels = data["dimensions"][0]["indicators"][0]["levels"]
    first = levels[next(iter(levels))]
    first["roadmap"] = roadmap
    if drop_step:
        first["next_step"] = None
    return data


def test_a_roadmap_is_optional_and_loads():
    rubric = load_rubric(SMALL_RUBRIC)
    assert all(
        ind.roadmap(level) is None for _, ind in rubric.iter_indicators() for level in ind.levels
    )
    data = _with_roadmap({"effort": "low", "horizon": "90d"})
    ind = next(load_rubric(data).iter_indicators())[1]
    plan = ind.roadmap(min(ind.levels))
    assert (plan.effort, plan.horizon, plan.owner_role, plan.proposal) == (
        "low",
        "90d",
        None,
        False,
    )


@pytest.mark.parametrize(
    ("roadmap", "message"),
    [
        ({"effort": "low", "horizon": "2y"}, "horizon"),
        ({"effort": "tiny", "horizon": "90d"}, "effort"),
        ({"effort": "low", "horizon": "90d", "owner_role": "cfo"}, "roadmap owner 'cfo'"),
        ({"effort": "low", "horizon": "90d", "when": "soon"}, "when"),
    ],
    ids=["horizon", "effort", "unknown-owner", "unknown-key"],
)
def test_a_wrong_roadmap_is_refused_with_its_place(roadmap: dict, message: str):
    with pytest.raises(RubricError, match=message):
        load_rubric(_with_roadmap(roadmap))
