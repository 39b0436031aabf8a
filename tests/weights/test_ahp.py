"""AHP weights (published examples, exact recovery, properties), input checks, rubric variants."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from helpers import SAMPLES, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.exceptions import InputError, ParameterError
from assessment.inputs import load_answers, load_clients, load_targets
from assessment.rubric import Rubric, load_rubric
from assessment.scoring import score
from assessment.weights import (
    RANDOM_INDEX,
    SAATY_VALUES,
    ahp,
    ahp_group,
    ahp_hierarchy,
    combine_judgements,
    consistent_matrix,
    diff_rubrics,
    matrix_from_judgements,
    read_matrix,
    save_variant,
    validate_matrix,
)
from assessment.weights.sensitivity import Portfolio, compare_weights

# -- published worked example --------------------------------------------------------------------

HOUSE_IDS = [
    "size",
    "transportation",
    "neighborhood",
    "age",
    "yard",
    "modern_facilities",
    "general_condition",
    "financing",
]
HOUSE = [
    ["1", "5", "3", "7", "6", "6", "1/3", "1/4"],
    ["1/5", "1", "1/3", "5", "3", "3", "1/5", "1/7"],
    ["1/3", "3", "1", "6", "3", "4", "6", "1/5"],
    ["1/7", "1/5", "1/6", "1", "1/3", "1/4", "1/7", "1/8"],
    ["1/6", "1/3", "1/3", "3", "1", "1/2", "1/5", "1/6"],
    ["1/6", "1/3", "1/4", "4", "2", "1", "1/5", "1/6"],
    ["3", "5", "1/6", "7", "5", "5", "1", "1/2"],
    ["4", "7", "5", "8", "6", "6", "2", "1"],
]


def test_saaty_1990_house_example():
    """Saaty's house-buying example: criteria matrix, priorities, lambda_max, CI and CR.

    T. L. Saaty (1990), "How to make a decision: The Analytic Hierarchy Process", European
    Journal of Operational Research 48(1), 9-26, doi:10.1016/0377-2217(90)90057-I, table 2
    (reprinted as chapter 1 of Saaty & Vargas, *Models, Methods, Concepts & Applications of
    the Analytic Hierarchy Process*, 2001,
    https://ebin.pub/models-methods-concepts-amp-applications-of-the-analytic-hierarchy-process-1nbsped-978-1-4613-5667-7-978-1-4615-1665-1.html).
    Published: priorities .173 .054 .188 .018 .031 .036 .167 .333, lambda_max = 9.669,
    C.I. = .238, C.R. = .169.
    """
    r = ahp(HOUSE, ids=HOUSE_IDS)
    published = [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333]
    np.testing.assert_allclose(r.weights.to_numpy(), published, atol=5e-4)
    assert r.lambda_max == pytest.approx(9.669, abs=5e-4)
    assert r.ci == pytest.approx(0.238, abs=5e-4)
    assert r.cr == pytest.approx(0.169, abs=5e-4)
    assert r.ri == 1.41
    assert not r.consistent  # Saaty's own example is above the 10 % rule
    # Neighbourhood judged 6 times as important as general condition, while the weights make
    # them nearly equal: the judgement the analyst should revisit first.
    row, column, judgement, implied = r.most_inconsistent
    assert (row, column, judgement) == ("neighborhood", "general_condition", 6.0)
    assert implied == pytest.approx(0.188 / 0.167, rel=0.01)
    assert r.judgements().iloc[0]["suggestion"] == 1.0
    assert "most inconsistent judgement: neighborhood vs general_condition = 6" in r.to_text()


def test_random_index_table_is_saatys():
    assert [RANDOM_INDEX[n] for n in range(1, 11)] == [
        0,
        0,
        0.58,
        0.90,
        1.12,
        1.24,
        1.32,
        1.41,
        1.45,
        1.49,
    ]


@pytest.mark.parametrize("n", [1, 2])
def test_one_or_two_items_are_always_consistent(n):
    m = [[1]] if n == 1 else [[1, 7], ["1/7", 1]]
    r = ahp(m)
    assert r.cr == 0
    assert r.ci == 0
    assert r.lambda_max == pytest.approx(n)
    assert r.consistent
    if n == 2:
        assert r.weights.tolist() == pytest.approx([7 / 8, 1 / 8])


def test_exact_recovery_from_a_consistent_matrix(rubric: Rubric):
    w = rubric.dimension_table["weight"]
    r = ahp(consistent_matrix(w))
    np.testing.assert_allclose(r.weights.to_numpy(), w.to_numpy(), rtol=1e-12)
    assert r.lambda_max == pytest.approx(len(w), abs=1e-9)
    assert r.cr == pytest.approx(0, abs=1e-9)
    assert r.ri == 1.51  # 11 dimensions: Saaty's extended table


def test_more_than_fifteen_items_need_clusters():
    with pytest.raises(ParameterError, match="clusters"):
        ahp(np.ones((16, 16)))


# -- properties ------------------------------------------------------------------------------------


@st.composite
def reciprocal_matrices(draw, min_n=1, max_n=9):
    n = draw(st.integers(min_n, max_n))
    upper = draw(
        st.lists(
            st.sampled_from(SAATY_VALUES), min_size=n * (n - 1) // 2, max_size=n * (n - 1) // 2
        )
    )
    a = np.ones((n, n))
    a[np.triu_indices(n, 1)] = upper
    a[np.tril_indices(n, -1)] = 1 / a.T[np.tril_indices(n, -1)]
    return a


@settings(max_examples=60, deadline=None)
@given(reciprocal_matrices())
def test_weights_are_a_distribution(a):
    r = ahp(a)
    assert r.weights.sum() == pytest.approx(1.0)
    assert (r.weights > 0).all()
    assert r.lambda_max >= len(a) - 1e-9
    assert r.cr >= 0


@settings(max_examples=60, deadline=None)
@given(reciprocal_matrices(min_n=2), st.randoms(use_true_random=False))
def test_permuting_items_permutes_weights(a, rnd):
    n = len(a)
    ids = [f"d{k}" for k in range(n)]
    perm = list(range(n))
    rnd.shuffle(perm)
    r = ahp(a, ids=ids)
    p = ahp(a[np.ix_(perm, perm)], ids=[ids[k] for k in perm])
    pd.testing.assert_series_equal(p.weights[ids], r.weights[ids], rtol=1e-9, atol=1e-12)
    assert p.cr == pytest.approx(r.cr, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.12, 1.0), min_size=1, max_size=12))
def test_consistent_matrices_recover_their_weights(raw):
    # Weights within a factor 9 of each other, so every ratio is on Saaty's scale.
    w = np.array(raw) / sum(raw)
    r = ahp(consistent_matrix(pd.Series(w, index=[f"x{k}" for k in range(len(w))])))
    np.testing.assert_allclose(r.weights.to_numpy(), w, rtol=1e-9, atol=1e-12)
    assert r.cr == pytest.approx(0, abs=1e-9)


# -- several experts and hierarchies ---------------------------------------------------------------


def test_geometric_mean_of_consistent_experts():
    ids = ["a", "b", "c"]
    w1 = pd.Series([0.5, 0.3, 0.2], index=ids)
    w2 = pd.Series([0.2, 0.3, 0.5], index=ids)
    combined = combine_judgements([consistent_matrix(w1), consistent_matrix(w2)[::-1]])
    # A geometric mean of consistent matrices is consistent, with geometric-mean weights.
    r = ahp(combined)
    expected = np.sqrt(w1 * w2) / np.sqrt(w1 * w2).sum()
    np.testing.assert_allclose(r.weights[ids].to_numpy(), expected.to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(combined.to_numpy() * combined.to_numpy().T, 1.0)
    group = ahp_group([consistent_matrix(w1), consistent_matrix(w2)])
    assert group.n_experts == 2
    assert group.weights.sum() == pytest.approx(1)


def test_one_expert_group_is_plain_ahp():
    g = ahp_group([pd.DataFrame(HOUSE, index=HOUSE_IDS, columns=HOUSE_IDS)])
    r = ahp(HOUSE, ids=HOUSE_IDS)
    pd.testing.assert_series_equal(g.weights, r.weights)


def test_experts_must_compare_the_same_items():
    a = consistent_matrix({"a": 1, "b": 2})
    b = consistent_matrix({"a": 1, "c": 2})
    with pytest.raises(InputError, match="same ids"):
        combine_judgements([a, b], sources=["ann.csv", "bob.csv"])
    with pytest.raises(InputError, match="at least one"):
        combine_judgements([])


def test_hierarchy_multiplies_cluster_and_local_weights(rubric: Rubric):
    members = {
        "foundations": ["strategy", "team", "budget"],
        "engagement": ["insight", "content", "care", "advocacy"],
        "control": ["crisis", "governance"],
        "evidence": ["tooling", "measurement"],
    }
    clusters = consistent_matrix({"foundations": 4, "engagement": 3, "control": 2, "evidence": 1})
    within = {
        "foundations": consistent_matrix({"strategy": 3, "team": 2, "budget": 1}),
        "engagement": consistent_matrix({"insight": 1, "content": 1, "care": 2, "advocacy": 1}),
        "control": [
            matrix_from_judgements(["crisis", "governance"], {("crisis", "governance"): 3})
        ],
        "evidence": consistent_matrix({"tooling": 1, "measurement": 1}),
    }
    dims = [d.id for d in rubric.dimensions]
    h = ahp_hierarchy(clusters, members, within, known_ids=dims)
    assert h.weights.sum() == pytest.approx(1)
    assert h.weights["strategy"] == pytest.approx(0.4 * 0.5)
    assert h.weights["care"] == pytest.approx(0.3 * 0.4)
    assert h.weights["crisis"] == pytest.approx(0.2 * 0.75)
    assert h.consistent
    table = h.consistency()
    assert list(table["matrix"]) == ["clusters", "foundations", "engagement", "control", "evidence"]
    # The result feeds a variant directly.
    variant = rubric.with_weights(h.weights.to_dict())
    assert variant.dimension("strategy").weight == pytest.approx(0.2)


def test_hierarchy_single_item_cluster_and_errors():
    clusters = consistent_matrix({"x": 1, "y": 1})
    h = ahp_hierarchy(
        clusters, {"x": ["a"], "y": ["b", "c"]}, {"y": consistent_matrix({"b": 1, "c": 3})}
    )
    assert h.weights.to_dict() == pytest.approx({"a": 0.5, "b": 0.125, "c": 0.375})
    with pytest.raises(InputError, match="no comparison matrix"):
        ahp_hierarchy(clusters, {"x": ["a"], "y": ["b", "c"]}, {})
    with pytest.raises(InputError, match="more than one cluster"):
        ahp_hierarchy(clusters, {"x": ["a"], "y": ["a"]}, {})
    with pytest.raises(InputError, match="in no cluster"):
        ahp_hierarchy(
            clusters,
            {"x": ["a"], "y": ["b", "c"]},
            {"y": consistent_matrix({"b": 1, "c": 3})},
            known_ids=["a", "b", "c", "d"],
        )
    with pytest.raises(InputError, match="unknown id"):
        ahp_hierarchy(clusters, {"x": ["a"], "z": ["b"]}, {})


# -- validation ------------------------------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_with_fractions_and_blank_lower_triangle(tmp_path: Path):
    path = write(
        tmp_path / "m.csv",
        "id,care,crisis,strategy\ncare,1,3,1/2\ncrisis,,1,0.2\nstrategy,,,1\n",
    )
    m = read_matrix(path, known_ids=["care", "crisis", "strategy"])
    assert m.loc["crisis", "care"] == pytest.approx(1 / 3)
    assert m.loc["strategy", "crisis"] == pytest.approx(5)
    # Rows in another order than the header are fine.
    shuffled = write(
        tmp_path / "s.csv",
        "id,care,crisis\ncrisis,1/3,1\ncare,1,3\n",
    )
    assert read_matrix(shuffled).loc["care", "crisis"] == pytest.approx(3)


def test_rounded_decimals_are_made_exactly_reciprocal():
    m = validate_matrix([[1, 3, 7], [0.33, 1, 2], [0.14, 0.5, 1]], ids=["a", "b", "c"])
    a = m.to_numpy()
    np.testing.assert_allclose(a * a.T, 1.0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "id,a,b\na,1,3\nb,3,1\n",
            r"row 'a', column 'b' is 3 but row 'b', column 'a' is 3; expected reciprocals",
        ),
        ("id,a,b\na,1,-3\nb,,1\n", r"row 'a', column 'b': judgements must be positive"),
        ("id,a,b\na,1,0\nb,,1\n", r"row 'a', column 'b': judgements must be positive"),
        ("id,a,b\na,1,12\nb,,1\n", r"Saaty's scale, 1/9 \.\. 9; found 12"),
        (
            "id,a,b\na,1,lots\nb,,1\n",
            r"row 'a', column 'b': expected a number or a fraction such as 1/3; found 'lots'",
        ),
        ("id,a,b\na,2,3\nb,,1\n", r"compared with itself must be 1; found 2"),
        ("id,a,b\na,1,\nb,,1\n", r"no judgement \(the cell and its mirror"),
        ("id,a,b,c\na,1,3,1\nb,,1,1\n", r"must be square; found 2 rows and 3 columns"),
        ("id,a,b\na,1,3\nc,,1\n", r"the first column must list the same ids as the header row"),
        ("id,a,a\na,1,3\na,,1\n", r"ids must be unique; found \['a'\]"),
        ("id,a,zz\na,1,3\nzz,,1\n", r"unknown id\(s\) \['zz'\]; expected ids among"),
    ],
)
def test_invalid_matrix_files_name_file_row_and_column(tmp_path: Path, text: str, message: str):
    path = write(tmp_path / "judgements.csv", text)
    with pytest.raises(InputError, match=message) as info:
        read_matrix(path, known_ids=["a", "b", "c"])
    assert str(path) in str(info.value)


def test_missing_matrix_file(tmp_path: Path):
    with pytest.raises(InputError, match="no such file"):
        read_matrix(tmp_path / "nope.csv")


def test_array_input_checks():
    with pytest.raises(InputError, match="square"):
        validate_matrix([[1, 2, 3]])
    with pytest.raises(InputError, match="2 ids for a 3 x 3"):
        validate_matrix(np.ones((3, 3)), ids=["a", "b"])
    with pytest.raises(ParameterError, match="unknown pair"):
        matrix_from_judgements(["a", "b"], {("a", "z"): 3})


# -- CLI -------------------------------------------------------------------------------------------


@pytest.fixture(name="expert_files")
def fixture_expert_files(tmp_path: Path) -> list[Path]:
    ann = write(
        tmp_path / "ann.csv", "id,care,crisis,strategy\ncare,1,3,1/2\ncrisis,,1,1/5\nstrategy,,,1\n"
    )
    bob = write(
        tmp_path / "bob.csv", "id,strategy,care,crisis\nstrategy,1,3,5\ncare,,1,2\ncrisis,,,1\n"
    )
    return [ann, bob]


def test_cli_ahp_json_and_text(expert_files: list[Path]):
    result = run_cli("weights", "ahp", str(expert_files[0]), "--format", "json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    expected = ahp(read_matrix(expert_files[0]))
    assert payload["weights"] == pytest.approx(expected.weights.to_dict())
    assert {"weights", "lambda_max", "ci", "cr"} <= set(payload)
    assert payload["cr"] == pytest.approx(expected.cr)

    text = run_cli("weights", "ahp", *map(str, expert_files))
    assert text.returncode == 0, text.stderr
    group = ahp_group([read_matrix(p) for p in expert_files])
    assert f"care      {group.weights['care']:.4f}" in text.stdout
    assert "2 experts (geometric mean)" in text.stdout
    assert f"CR = {group.cr:.4f}" in text.stdout


def test_cli_ahp_errors_are_one_clear_message(tmp_path: Path):
    bad = write(tmp_path / "bad.csv", "id,care,crisis\ncare,1,3\ncrisis,3,1\n")
    result = run_cli("weights", "ahp", str(bad))
    assert result.returncode == 2
    assert "bad.csv" in result.stderr
    assert "expected reciprocals" in result.stderr
    assert "Traceback" not in result.stderr
    unknown = write(tmp_path / "clusters.csv", "id,people,process\npeople,1,2\nprocess,,1\n")
    result = run_cli("weights", "ahp", str(unknown))
    assert result.returncode == 2
    assert "unknown id(s) ['people', 'process']" in result.stderr
    assert run_cli("weights", "ahp", str(unknown), "--any-ids").returncode == 0


def test_cli_ahp_saves_a_variant(tmp_path: Path, rubric: Rubric):
    dims = [d.id for d in rubric.dimensions]
    m = consistent_matrix({d: 1 + k % 5 for k, d in enumerate(dims)})  # ratios within 1/9..9
    path = tmp_path / "full.csv"
    m.to_csv(path, index_label="id")
    out = tmp_path / "variant.yaml"
    result = run_cli("weights", "ahp", str(path), "--save", str(out), "--note", "workshop 2025")
    assert result.returncode == 0, result.stderr
    variant = load_rubric(out)
    assert variant.dimension("measurement").weight == pytest.approx(1 / 31)
    assert variant.dimension("care").weight == pytest.approx(1 / 31)
    assert variant.dimension("budget").weight == pytest.approx(3 / 31)
    assert variant.provenance.note == "workshop 2025"
    assert variant.provenance.parent_hash == rubric.content_hash


# -- rubric variants -------------------------------------------------------------------------------

TUNED = {"care": 0.2, "crisis": 0.15, "budget": 0.03}


@pytest.fixture(name="samples", scope="module")
def fixture_samples():
    rubric = load_rubric("social-media")
    targets = load_targets(SAMPLES / "targets.csv", rubric)
    clients = load_clients(SAMPLES / "clients.csv", rubric, targets=targets)
    answers = load_answers(
        [SAMPLES / "answers.csv", SAMPLES / "answers_forms_export.csv"], rubric, clients=clients
    )
    return rubric, answers, clients, targets


def test_variant_round_trip_gives_the_scores_tuning_showed(tmp_path: Path, samples):
    rubric, answers, clients, targets = samples
    result = score(rubric, answers, clients=clients, targets=targets)
    shown = compare_weights(Portfolio.from_result(result), TUNED).set_index("client_id")

    path = tmp_path / "social-media-care.yaml"
    saved = save_variant(
        rubric,
        {**rubric.dimension_table["weight"].to_dict(), **TUNED},
        path,
        note="care first",
        created="2025-06-01",
    )
    loaded = load_rubric(path)
    assert loaded == saved
    assert loaded.version == "1.0.1"
    assert loaded.weights_status == "derived"
    assert loaded.provenance.parent_id == rubric.id
    assert loaded.provenance.parent_version == rubric.version
    assert loaded.provenance.parent_hash == rubric.content_hash
    assert loaded.provenance.note == "care first"
    assert loaded.provenance.created == "2025-06-01"
    assert sum(d.weight for d in loaded.dimensions) == pytest.approx(1)
    # Same content apart from the weights.
    assert [i.id for _, i in loaded.iter_indicators()] == [
        i.id for _, i in rubric.iter_indicators()
    ]

    again = (
        score(loaded, answers, clients=clients, targets=targets).summary().set_index("client_id")
    )
    np.testing.assert_allclose(again.loc[shown.index, "index"], shown["index"], rtol=1e-12)
    assert (again.loc[shown.index, "level"].to_numpy() == shown["level"].to_numpy()).all()


def test_variant_needs_every_dimension(tmp_path: Path, rubric: Rubric):
    with pytest.raises(ParameterError, match=r"missing \['strategy'"):
        save_variant(rubric, {"care": 1.0}, tmp_path / "v.yaml")
    with pytest.raises(ParameterError, match="unknown"):
        save_variant(
            rubric, {**rubric.dimension_table["weight"].to_dict(), "vibes": 1}, tmp_path / "v.yaml"
        )
    with pytest.raises(ParameterError, match="positive"):
        save_variant(
            rubric, {**rubric.dimension_table["weight"].to_dict(), "care": 0}, tmp_path / "v.yaml"
        )
    assert not (tmp_path / "v.yaml").exists()


def test_diff_lists_weight_changes_first(tmp_path: Path, rubric: Rubric):
    path = tmp_path / "v.yaml"
    save_variant(rubric, {**rubric.dimension_table["weight"].to_dict(), **TUNED}, path, note="n")
    variant = load_rubric(path)
    changes = diff_rubrics(rubric, variant)
    paths = [c.path for c in changes]
    weight_paths = [p for p in paths if p.endswith(".weight")]
    assert paths[: len(weight_paths)] == weight_paths
    assert "dimensions[care].weight" in weight_paths
    assert "version" in paths
    assert "weights_status" in paths
    assert "provenance" in paths  # None -> a mapping in the parent/variant comparison
    assert diff_rubrics(rubric, rubric) == []
    # Structural changes are named by id.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["dimensions"][0]["indicators"][0]["thresholds"] = None
    data["dimensions"][0]["indicators"][0]["weight"] = 2.0
    edited = load_rubric(data)
    lines = [str(c) for c in diff_rubrics(variant, edited)]
    first = rubric.dimensions[0]
    assert f"~ dimensions[{first.id}].indicators[{first.indicators[0].id}].weight: 1 -> 2" in lines


def test_cli_rubric_diff(tmp_path: Path, rubric: Rubric):
    path = tmp_path / "v.yaml"
    save_variant(rubric, {**rubric.dimension_table["weight"].to_dict(), **TUNED}, path, note="n")
    result = run_cli("rubric", "diff", "social-media", str(path))
    assert result.returncode == 0, result.stderr
    assert "~ dimensions[care].weight: 0.12 ->" in result.stdout
    assert "~ version: '1.0.0' -> '1.0.1'" in result.stdout
    js = json.loads(run_cli("rubric", "diff", "social-media", str(path), "--format", "json").stdout)
    assert js["new"]["version"] == "1.0.1"
    assert any(c["path"] == "dimensions[care].weight" for c in js["changes"])
    same = run_cli("rubric", "diff", "social-media", "social-media")
    assert "no differences" in same.stdout
    missing = run_cli("rubric", "diff", "social-media", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2
    assert "not found" in missing.stderr


def test_saved_variant_renders_through_batch_plan_and_cli_score(tmp_path: Path, samples):
    rubric, answers, clients, targets = samples
    path = tmp_path / "variant.yaml"
    variant = save_variant(
        rubric, {**rubric.dimension_table["weight"].to_dict(), **TUNED}, path, note="care first"
    )
    expected = score(variant, answers, clients=clients, targets=targets).summary()

    from assessment.batch import plan

    answer_files = [SAMPLES / "answers.csv", SAMPLES / "answers_forms_export.csv"]
    batch = plan(
        answer_files,
        rubric=path,
        clients=SAMPLES / "clients.csv",
        targets=SAMPLES / "targets.csv",
        out_dir=tmp_path / "reports",
    )
    assert batch.result.rubric == variant
    assert batch.rubric_label.startswith(f"{variant.id} 1.0.1 ({variant.content_hash[:12]})")
    assert all(job.parameters["rubric"] == str(path.resolve()) for job in batch.jobs)
    np.testing.assert_allclose(batch.summary["index"], expected["index"])

    result = run_cli(
        "score",
        "--rubric",
        str(path),
        "--clients",
        str(SAMPLES / "clients.csv"),
        "--targets",
        str(SAMPLES / "targets.csv"),
        "--format",
        "json",
        *map(str, answer_files),
    )
    assert result.returncode == 0, result.stderr
    records = {r["client_id"]: r for r in json.loads(result.stdout)}
    for rec in expected.itertuples():
        assert records[rec.client_id]["index"] == pytest.approx(rec.index)
        assert records[rec.client_id]["level"] == rec.level


def test_report_methodology_states_the_variant_and_its_weights(tmp_path: Path, rubric: Rubric):
    from assessment import report

    path = tmp_path / "variant.yaml"
    variant = save_variant(
        rubric, {**rubric.dimension_table["weight"].to_dict(), **TUNED}, path, note="care first"
    )
    ctx = report.prepare(
        "c05-nayzak-mobile",
        rubric=path,
        answers=[SAMPLES / "answers.csv"],
        clients=SAMPLES / "clients.csv",
        targets=SAMPLES / "targets.csv",
        bootstrap=0,
    )
    html = report.methodology(ctx)._repr_html_()
    assert variant.content_hash in html
    assert "1.0.1" in html
    assert rubric.content_hash[:12] in html  # the parent
    assert "care first" in html
    assert f"{variant.dimension('care').weight:.3f}" in html
