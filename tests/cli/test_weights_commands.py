"""``maturity weights`` (issue 17): per-expert AHP, hierarchy, BWM, ratings, ranking, saving
variants, sensitivity; ``maturity score``'s rubric naming and rank; ``rubric compare``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from helpers import run_cli

DIMS = [
    "strategy", "team", "budget", "insight", "content", "care", "crisis", "governance",
    "advocacy", "tooling", "measurement",
]  # fmt: skip


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(name="experts")
def fixture_experts(tmp_path: Path) -> list[Path]:
    """Three experts over three items: two consistent, the third at CR well above 0.10."""
    head = "id,care,crisis,strategy\n"
    return [
        _write(tmp_path / "ann.csv", head + "care,1,3,1/2\ncrisis,,1,1/5\nstrategy,,,1\n"),
        _write(tmp_path / "bob.csv", head + "care,1,2,1/3\ncrisis,,1,1/4\nstrategy,,,1\n"),
        _write(tmp_path / "cy.csv", head + "care,1,5,1/3\ncrisis,,1,3\nstrategy,,,1\n"),
    ]


def test_ahp_shows_every_expert_and_flags_the_inconsistent_one(experts: list[Path]):
    result = run_cli("weights", "ahp", "--any-ids", *map(str, experts))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "ann.csv" in out
    assert "cy.csv" in out
    assert "consensus S*" in out
    assert "INCONSISTENT: " in out
    assert "cy.csv has CR" in out
    assert "warning: expert cy.csv has CR" in result.stderr
    js = json.loads(
        run_cli("weights", "ahp", "--any-ids", "--format", "json", *map(str, experts)).stdout
    )
    assert js["inconsistent_experts"] == ["cy.csv"]
    assert js["experts"]["ann.csv"]["cr"] < 0.10
    aip = run_cli("weights", "ahp", "--any-ids", "--aggregation", "aip", *map(str, experts))
    assert "geometric mean of their priorities (AIP)" in aip.stdout


def test_a_blank_pair_is_completed_not_an_error(tmp_path: Path):
    m = _write(
        tmp_path / "m.csv",
        "id,a,b,c,d\na,1,1,5,2\nb,,1,3,4\nc,,,1,\nd,,,,1\n",
    )
    result = run_cli("weights", "ahp", "--any-ids", str(m))
    assert result.returncode == 0, result.stderr
    assert "completed for" in result.stdout
    assert "c vs d = 0.73" in result.stdout


def _full(tmp_path: Path, name: str, bad: bool = False) -> Path:
    """An 11 x 11 matrix over the rubric's dimensions (upper triangle), optionally with four
    reversed judgements."""
    weights = dict(zip(DIMS, [12, 12, 8, 8, 7, 12, 10, 8, 6, 6, 11], strict=True))
    rows = []
    for i, a in enumerate(DIMS):
        cells = []
        for j, b in enumerate(DIMS):
            if j < i:
                cells.append("")
                continue
            v = weights[a] / weights[b]
            if bad and (a, b) in {("strategy", "tooling"), ("team", "advocacy"),
                                  ("care", "advocacy"), ("care", "tooling")}:  # fmt: skip
                v = 1 / 7
            cells.append(f"{v:.6f}")
        rows.append(f"{a}," + ",".join(cells))
    return _write(tmp_path / name, "id," + ",".join(DIMS) + "\n" + "\n".join(rows) + "\n")


def test_saving_needs_accept_inconsistent_and_never_overwrites(tmp_path: Path):
    good, bad = _full(tmp_path, "good.csv"), _full(tmp_path, "bad.csv", bad=True)
    out = tmp_path / "v.yaml"
    refused = run_cli("weights", "ahp", str(good), str(bad), "--save", str(out))
    assert refused.returncode == 2
    assert "--accept-inconsistent" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert not out.exists()
    saved = run_cli(
        "weights", "ahp", str(good), str(bad), "--save", str(out), "--accept-inconsistent",
        "--analyst", "Lina", "--note", "panel",
    )  # fmt: skip
    assert saved.returncode == 0, saved.stderr
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    prov = data["provenance"]
    assert prov["method"] == "ahp"
    assert prov["accepted_inconsistent"] is True
    assert prov["analyst"] == "Lina"
    assert [e["name"] for e in prov["experts"]] == ["good.csv", "bad.csv"]
    assert prov["experts"][1]["cr"] >= 0.10
    again = run_cli("weights", "ahp", str(good), "--save", str(out))
    assert again.returncode == 2
    assert "exists" in again.stderr
    assert "--force" in again.stderr
    forced = run_cli("weights", "ahp", str(good), "--save", str(out), "--force")
    assert forced.returncode == 0, forced.stderr


def test_bwm_rate_rank_and_hierarchy_write_the_same_kind_of_variant(tmp_path: Path):
    # Consistent BWM judgements (a_jW = a_BW / a_Bj): xi = 0.
    best = dict(zip(DIMS, [1, 2, 3, 3, 4, 2, 2, 3, 6, 5, 2], strict=True))
    worst = {d: 6 / best[d] for d in DIMS}
    bwm = _write(
        tmp_path / "bwm.csv",
        "id,best_to_others,others_to_worst\n"
        + "".join(f"{d},{best[d]},{worst[d]}\n" for d in DIMS),
    )
    pts = _write(
        tmp_path / "pts.csv", "id,value\n" + "".join(f"{d},{p}\n" for d, p in zip(
            DIMS, [10, 10, 5, 5, 5, 20, 10, 5, 10, 10, 10], strict=True))
    )  # fmt: skip
    clusters = _write(
        tmp_path / "clusters.csv",
        "id,cluster\n"
        + "".join(f"{d},{'people' if d in {'team', 'advocacy'} else 'rest'}\n" for d in DIMS),
    )
    top = _write(tmp_path / "top.csv", "id,people,rest\npeople,1,1/3\nrest,,1\n")
    people = _write(tmp_path / "people.csv", "id,team,advocacy\nteam,1,2\nadvocacy,,1\n")
    rest = _full(tmp_path, "rest.csv")
    rest_ids = [d for d in DIMS if d not in {"team", "advocacy"}]
    frame = [line.split(",") for line in rest.read_text(encoding="utf-8").splitlines()]
    keep = [0] + [k + 1 for k, d in enumerate(DIMS) if d in rest_ids]
    _write(
        rest,
        "\n".join(",".join(r[k] for k in keep) for r in frame if r[0] not in {"team", "advocacy"})
        + "\n",
    )
    runs = {
        "bwm": ("bwm", str(bwm)),
        "points": ("rate", "--method", "points", str(pts)),
        "roc": ("rank", ",".join(DIMS)),
        "ahp-hierarchy": (
            "hierarchy", str(clusters), "--top", str(top), "--within", f"people={people}",
            "--within", f"rest={rest}",
        ),
    }  # fmt: skip
    for method, args in runs.items():
        out = tmp_path / f"{method}.yaml"
        result = run_cli("weights", *args, "--save", str(out), "--analyst", "Omar")
        assert result.returncode == 0, (method, result.stderr)
        data = yaml.safe_load(out.read_text(encoding="utf-8"))
        assert data["provenance"]["method"] == method
        assert data["provenance"]["analyst"] == "Omar"
        assert data["provenance"]["parent_id"] == "social-media"
        assert data["id"].startswith(f"social-media-{method}-")
        assert data["provenance"]["inputs"], method
        assert sum(d["weight"] for d in data["dimensions"]) == pytest.approx(1)
    bad = _write(tmp_path / "bad.csv", "id,value\nstrategy,ten\n")
    result = run_cli("weights", "rate", str(bad))
    assert result.returncode == 2
    assert "bad.csv, row 2, column 'value': expected a number; found 'ten'" in result.stderr


def test_sensitivity_ranks_influence_by_absolute_change_and_exports(tmp_path: Path):
    out = tmp_path / "sens.xlsx"
    result = run_cli(
        "weights", "sensitivity", "--draws", "200", "--client", "c01-fanous-souq",
        "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "by mean absolute change of the index" in result.stdout
    assert "Break-even weights for c01-fanous-souq" in result.stdout
    assert "Rank reversals" in result.stdout
    assert out.exists()
    missing = run_cli("weights", "sensitivity", "--draws", "10", "--client", "nobody")
    assert missing.returncode == 2
    assert "--client 'nobody'" in missing.stderr


def test_score_names_the_rubric_and_ranks_in_every_format(tmp_path: Path):
    table = run_cli("score", "--samples")
    assert table.returncode == 0, table.stderr
    assert table.stdout.startswith("rubric: social-media 2.0.0 (")
    assert " rank " in table.stdout.splitlines()[1]
    rows = json.loads(run_cli("score", "--samples", "--format", "json").stdout)
    assert {r["rubric_id"] for r in rows} == {"social-media"}
    assert len({r["rubric_hash"] for r in rows}) == 1
    ranks = sorted((r["rank"], -r["index"]) for r in rows)
    assert ranks[0][0] == 1
    assert [i for _, i in ranks] == sorted(i for _, i in ranks)
    csv = run_cli("score", "--samples", "--format", "csv").stdout.splitlines()[0].split(",")
    assert {"rank", "rubric_id", "rubric_version", "rubric_hash"} <= set(csv)


def test_rubric_compare_shows_who_moves(tmp_path: Path):
    out = tmp_path / "v.yaml"
    made = run_cli("weights", "rank", ",".join(reversed(DIMS)), "--save", str(out))
    assert made.returncode == 0, made.stderr
    result = run_cli("rubric", "compare", "social-media", str(out), "--samples")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("A: social-media 2.0.0 (")
    assert "B: social-media-roc-" in result.stdout
    assert "variant of social-media 2.0.0" in result.stdout
    assert "level A→B" in result.stdout
    assert "client(s) change level or rank" in result.stdout
    js = json.loads(
        run_cli(
            "rubric", "compare", "social-media", str(out), "--samples", "--format", "json"
        ).stdout
    )
    moved = [c for c in js["clients"] if c["changed"]]
    assert moved
    assert all(c["level_a"] != c["level_b"] or c["rank_a"] != c["rank_b"] for c in moved)
    changed = run_cli("rubric", "compare", "social-media", str(out), "--samples", "--changed")
    assert changed.stdout.count("\n") < result.stdout.count("\n")
