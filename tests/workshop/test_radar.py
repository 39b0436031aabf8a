"""The live radar: only the polygons are redrawn, and the same data gives the same PNG."""

from __future__ import annotations

import math

from assessment import workshop as ws
from assessment.rubric import Rubric


def test_live_radar_draws_scores_and_targets(rubric: Rubric) -> None:
    radar = ws.LiveRadar(rubric)
    ids = [d.id for d in rubric.dimensions]
    nan = dict.fromkeys(ids, math.nan)
    empty = radar.png(nan, dict.fromkeys(ids, 4.0))
    assert empty.startswith(b"\x89PNG")
    assert not radar.fill.get_visible()
    scores = {d: 1.0 + k % 4 for k, d in enumerate(ids)}
    full = radar.png(scores, dict.fromkeys(ids, 4.0))
    assert full != empty
    assert radar.fill.get_visible()
    assert list(radar.current.get_ydata()) == [*scores.values(), scores[ids[0]]]
    assert list(radar.target.get_ydata()) == [4.0] * (len(ids) + 1)
    # The same data gives the same picture: only the polygons are redrawn.
    assert radar.png(nan, dict.fromkeys(ids, 4.0)) == empty
