"""Hostile rubrics: bounded before validation (issue 18, finding 10).

A few kilobytes of YAML aliases used to expand into tens of thousands of duplicate indicators:
15 s, 600 MB and 12 MB of messages at 4 KB; a ``MemoryError`` traceback at 11 KB.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SMALL_RUBRIC, run_cli
from helpers.hostile import alias_rubric

from assessment.exceptions import RubricError
from assessment.rubric import load_rubric


@pytest.mark.parametrize("fan_out", [300, 3000], ids=["4KB", "35KB"])
def test_an_alias_bomb_is_refused_before_validation(tmp_path: Path, fan_out: int) -> None:
    bomb = alias_rubric(tmp_path / "bomb.yaml", fan_out)
    assert bomb.stat().st_size < 40_000
    with pytest.raises(RubricError, match=r"expands to [\d,]+ YAML nodes once its aliases"):
        load_rubric(bomb)
    proc = run_cli("rubric", "show", "--rubric", str(bomb))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr) < 1_000
    assert "ASSESSMENT_MAX_RUBRIC_NODES" in proc.stderr


def test_aliases_that_multiply_a_rubric_are_refused_even_when_small(tmp_path: Path) -> None:
    bomb = alias_rubric(tmp_path / "bomb.yaml", 30)  # 900 indicators from 30 written
    with pytest.raises(RubricError, match="aliases may at most multiply a rubric by 10"):
        load_rubric(bomb)


def test_a_few_anchors_are_fine(tmp_path: Path) -> None:
    text = SMALL_RUBRIC.read_text(encoding="utf-8")
    text = text.replace("name: Data quality", "name: &dq Data quality")
    text = text.replace("name: Ownership", "name: *dq")
    path = tmp_path / "anchors.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_rubric(path).dimensions[1].name == {"en": "Data quality"}


def test_a_large_rubric_file_is_refused_by_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSESSMENT_MAX_RUBRIC_BYTES", "1000")
    path = tmp_path / "r.yaml"
    path.write_text(SMALL_RUBRIC.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(RubricError, match=r"has [\d,]+ bytes; the limit is 1,000"):
        load_rubric(path)


def test_a_rubric_with_many_problems_lists_the_first_and_counts_the_rest(tmp_path: Path) -> None:
    lines = SMALL_RUBRIC.read_text(encoding="utf-8").splitlines()
    extra = [f"  - {{id: d{k}, name: D, weight: -1, indicators: []}}" for k in range(200)]
    at = lines.index("targets:")
    path = tmp_path / "r.yaml"
    path.write_text("\n".join([*lines[:at], *extra, *lines[at:]]) + "\n", encoding="utf-8")
    with pytest.raises(RubricError) as info:
        load_rubric(path)
    shown = str(info.value).splitlines()
    assert len(info.value.problems) >= 200
    assert len(shown) == 1 + 20 + 1
    assert shown[-1] == f"  ... and {len(info.value.problems) - 20} more problem(s)"
