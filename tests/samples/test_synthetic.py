"""Tests of the synthetic data generators (:mod:`assessment.samples.synthetic`).

The generators must work for *any* valid rubric, so every property is checked on the 4-level
data-stewardship test rubric, on a 5-level rubric built here (with an inverted boolean, a
percentage, negative thresholds and tiny bands) and, once it exists, on the packaged rubric.
"""

from __future__ import annotations

from functools import partial
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd
import pytest
from helpers import SMALL_RUBRIC
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.rubric import Indicator, Rubric, load_rubric
from assessment.samples.synthetic import (
    ANSWER_COLUMNS,
    REGIONS,
    ROLES,
    SECTORS,
    SIZE_BAND_EMPLOYEES,
    SIZE_BANDS,
    random_profiles,
    synthetic_answers,
    synthetic_peers,
)
from assessment.samples.values import _band_values
from assessment.samples.who import default_roles

STEWARDSHIP = SMALL_RUBRIC


def _levels(levels: list[int]) -> dict[int, dict[str, str]]:
    top = max(levels)
    return {
        k: {"descriptor": f"level {k}", **({"next_step": "improve"} if k < top else {})}
        for k in levels
    }


def _five_level_rubric() -> Rubric:
    """A 5-level rubric exercising the unusual corners of the format."""
    full = _levels([1, 2, 3, 4, 5])
    common: dict[str, Any] = {"proposal": True}
    return load_rubric(
        {
            "id": "synthetic-five",
            "version": "1.0.0",
            "name": "Five-level test rubric",
            "scale": [{"level": k, "name": f"L{k}"} for k in range(1, 6)],
            "dimensions": [
                {
                    "id": "alpha",
                    "name": "Alpha",
                    "weight": 0.5,
                    "indicators": [
                        {"id": "a_level", "name": "A", "levels": full, **common},
                        {
                            "id": "a_hours",
                            "name": "Response time",
                            "kind": "measured",
                            "unit": "hours",
                            "direction": "lower_is_better",
                            "thresholds": [24, 4, 1, 0.5],
                            "levels": full,
                            **common,
                        },
                        {
                            "id": "a_manual",
                            "name": "Still posting by hand (inverted boolean)",
                            "kind": "boolean",
                            "yes_level": 1,
                            "no_level": 4,
                            "levels": _levels([1, 4]),
                            **common,
                        },
                    ],
                },
                {
                    "id": "beta",
                    "name": "Beta",
                    "weight": 0.5,
                    "indicators": [
                        {
                            "id": "b_share",
                            "name": "Share of posts tagged",
                            "kind": "measured",
                            "unit": "%",
                            "direction": "higher_is_better",
                            "thresholds": [20, 50, 80, 95],
                            "allow_na": True,
                            "levels": full,
                            **common,
                        },
                        {
                            "id": "b_growth",
                            "name": "Net sentiment change",
                            "kind": "measured",
                            "unit": "points",
                            "direction": "higher_is_better",
                            "thresholds": [-10, -2, 0, 0.01],
                            "levels": full,
                            **common,
                        },
                        {
                            "id": "b_policy",
                            "name": "Written policy",
                            "kind": "boolean",
                            "yes_level": 5,
                            "no_level": 1,
                            "allow_na": True,
                            "levels": _levels([1, 5]),
                            **common,
                        },
                        {
                            "id": "b_level",
                            "name": "B",
                            "allow_na": True,
                            "levels": full,
                            **common,
                        },
                    ],
                },
            ],
            "targets": [{"id": "top", "default": 5}],
        }
    )


@pytest.fixture(
    name="any_rubric",
    scope="module",
    params=[
        "data-stewardship",
        "five-level",
        "social-media",
    ],
)
def fixture_any_rubric(request: pytest.FixtureRequest) -> Rubric:
    """Each rubric the generators must handle (the conftest ``rubric`` is one of them)."""
    if request.param == "data-stewardship":
        return load_rubric(STEWARDSHIP)
    if request.param == "five-level":
        return _five_level_rubric()
    return load_rubric("social-media")


def _level_of_value(indicator: Indicator, value: np.ndarray) -> np.ndarray:
    """The rubric's reading of a measured value, written independently of the generator."""
    t = np.asarray(indicator.thresholds)
    if indicator.direction == "higher_is_better":
        return 1 + (value[:, None] >= t[None, :]).sum(axis=1)
    return 1 + (value[:, None] <= t[None, :]).sum(axis=1)


def _expected_level(rubric: Rubric, profiles: pd.DataFrame, answers: pd.DataFrame) -> np.ndarray:
    """Noise-free level of each answer: the rounded latent maturity of its dimension."""
    dim_of = rubric.indicator_table["dimension_id"]
    latent = profiles.stack()
    keys = pd.MultiIndex.from_arrays([answers["client_id"], answers["indicator_id"].map(dim_of)])
    return np.clip(np.rint(latent.reindex(keys).to_numpy()), 1, rubric.n_levels)


# -- answers ----------------------------------------------------------------------------------


def test_same_seed_gives_identical_frames(any_rubric: Rubric) -> None:
    rubric = any_rubric
    profiles = random_profiles(rubric, 30, seed=5)
    first = synthetic_answers(rubric, profiles, respondents=4, seed=11, comment_rate=0.2)
    again = synthetic_answers(rubric, profiles, respondents=4, seed=11, comment_rate=0.2)
    other = synthetic_answers(rubric, profiles, respondents=4, seed=12, comment_rate=0.2)
    pd.testing.assert_frame_equal(first, again)
    assert not first["value"].equals(other["value"])
    pd.testing.assert_frame_equal(random_profiles(rubric, 30, seed=5), profiles)
    pd.testing.assert_frame_equal(
        synthetic_peers(rubric, 40, seed=3), synthetic_peers(rubric, 40, seed=3)
    )


def test_columns_are_strings_without_missing_values(any_rubric: Rubric) -> None:
    rubric = any_rubric
    answers = synthetic_answers(rubric, random_profiles(rubric, 20, seed=1), seed=2)
    assert list(answers.columns) == list(ANSWER_COLUMNS)
    for column in ANSWER_COLUMNS:
        assert isinstance(answers[column].dtype, pd.StringDtype), column
    assert not answers.isna().any().any()
    assert set(answers["date"]) == {"2025-03-15"}
    if rubric.roles:  # the rubric's own role names: each one resolves to its role
        assert all(rubric.role_id(role) for role in set(answers["role"]))
    else:
        assert set(answers["role"]) <= set(ROLES)
    # Three default respondents are asked everything between them; computed indicators are
    # the engine's to derive, never answered.
    table = rubric.indicator_table
    assert set(answers["indicator_id"]) == set(table.index[table["kind"] != "computed"])
    assert set(answers["evidence"]) - {""}, "some answers cite a document"


def test_values_are_valid_for_the_rubric(any_rubric: Rubric) -> None:
    rubric = any_rubric
    n = rubric.n_levels
    answers = synthetic_answers(
        rubric, random_profiles(rubric, 200, seed=3), respondents=3, seed=4, noise=1.5
    )
    kind = answers["indicator_id"].map(rubric.indicator_table["kind"])
    allow_na = answers["indicator_id"].map(rubric.indicator_table["allow_na"]).astype(bool)
    is_na = answers["value"] == "NA"
    assert not (is_na & ~allow_na).any(), "NA given for an indicator that does not allow it"

    anchored = answers.loc[(kind == "anchored") & ~is_na, "value"]
    assert set(anchored) <= {str(k) for k in range(1, n + 1)}
    boolean = answers.loc[(kind == "boolean") & ~is_na, "value"]
    assert set(boolean) <= {"yes", "no"}
    measured = answers.loc[(kind == "measured") & ~is_na, "value"]
    numbers = pd.to_numeric(measured, errors="coerce")
    assert numbers.notna().all()
    assert np.isfinite(numbers).all()
    assert measured.str.fullmatch(r"-?\d+(\.\d+)?").all(), "plain decimal notation"
    assert not measured.str.fullmatch(r"-0(\.0+)?").any(), "no negative zero"


def test_noise_free_answers_reproduce_the_latent_level(any_rubric: Rubric) -> None:
    rubric = any_rubric
    n = rubric.n_levels
    # Cover every level of every dimension, avoiding .5 (where rounding is a tie).
    grid = np.linspace(1, n, 4 * n - 3)
    grid = np.where(np.isclose(grid % 1, 0.5), grid + 0.2, grid)
    profiles = pd.DataFrame(
        {d.id: np.roll(grid, k) for k, d in enumerate(rubric.dimensions)},
        index=pd.Index([f"c{k:02d}" for k in range(len(grid))], name="client_id"),
    )
    answers = synthetic_answers(rubric, profiles, respondents=2, seed=9, noise=0, na_rate=0)
    expected = _expected_level(rubric, profiles, answers)
    table = rubric.indicator_table
    kind = answers["indicator_id"].map(table["kind"]).to_numpy()

    anchored = kind == "anchored"
    assert (answers["value"].to_numpy()[anchored].astype(int) == expected[anchored]).all()

    boolean = kind == "boolean"
    yes_level = answers["indicator_id"].map(table["yes_level"]).to_numpy()[boolean]
    no_level = answers["indicator_id"].map(table["no_level"]).to_numpy()[boolean]
    # Nearer the yes level than the no level (ties count as yes) -> "yes".
    nearer_yes = np.abs(expected[boolean] - yes_level) <= np.abs(expected[boolean] - no_level)
    assert ((answers["value"].to_numpy()[boolean] == "yes") == nearer_yes).all()

    for indicator_id in table.index[table["kind"] == "measured"]:
        rows = (answers["indicator_id"] == indicator_id).to_numpy()
        values = answers.loc[rows, "value"].astype(float).to_numpy()
        mapped = _level_of_value(rubric.indicator(indicator_id), values)
        np.testing.assert_array_equal(mapped, expected[rows], err_msg=indicator_id)


def _asked(rubric: Rubric, role: str, item_id: str) -> bool:
    """The rubric's rule, read independently of the generator: is ``role`` asked ``item_id``?"""
    role_id = rubric.role_id(role) if rubric.roles else None
    try:
        asked_of = rubric.indicator(item_id).asked_of
    except KeyError:
        asked_of = rubric.fact(item_id).asked_of
    return role_id is None or not asked_of or role_id in asked_of


def test_measured_indicators_have_one_answer_per_client(any_rubric: Rubric) -> None:
    rubric = any_rubric
    counts = np.array([1, 2, 5, 3])
    profiles = random_profiles(rubric, len(counts), seed=2)
    answers = synthetic_answers(rubric, profiles, respondents=counts, seed=3)
    table = rubric.indicator_table
    measured = answers["indicator_id"].map(table["kind"]) == "measured"
    # Every respondent answers each question asked of their role; a measurement once.
    people = answers[["client_id", "respondent", "role"]].drop_duplicates()
    expected = 0
    for _, group in people.groupby("client_id"):
        for indicator_id, kind in table["kind"].items():
            asked = sum(_asked(rubric, role, indicator_id) for role in group["role"])
            if kind == "measured":
                expected += min(asked, 1)
            elif kind != "computed":
                expected += asked
    assert len(answers) == expected
    assert all(map(partial(_asked, rubric), answers["role"], answers["indicator_id"]))
    assert not answers.loc[measured].duplicated(["client_id", "indicator_id"]).any()
    lead, _ = default_roles(rubric)
    assert (answers.loc[answers["respondent"] == "r1", "role"] == lead[0]).all()
    if not rubric.roles:  # everyone is asked everything: the lead reports the measurements
        assert set(answers.loc[measured, "respondent"]) <= {"r1"}
    per_client = answers.groupby("client_id")["respondent"].nunique()
    np.testing.assert_array_equal(per_client.reindex(profiles.index).to_numpy(), counts)
    assert not answers.duplicated(["client_id", "respondent", "indicator_id"]).any()


def test_na_only_where_allowed(any_rubric: Rubric) -> None:
    rubric = any_rubric
    answers = synthetic_answers(rubric, random_profiles(rubric, 10, seed=1), seed=1, na_rate=1)
    allow_na = answers["indicator_id"].map(rubric.indicator_table["allow_na"]).astype(bool)
    assert ((answers["value"] == "NA") == allow_na).all()
    none = synthetic_answers(rubric, random_profiles(rubric, 10, seed=1), seed=1, na_rate=0)
    assert not (none["value"] == "NA").any()


def test_roster_per_client_dates_and_comments() -> None:
    rubric = load_rubric(STEWARDSHIP)
    profiles = random_profiles(rubric, 2, seed=1)
    a, b = profiles.index
    roster = pd.DataFrame(
        {
            "client_id": [b, a, b, a],
            "respondent": ["Hala S.", "Omar K.", "Nour A.", "Rania T."],
            "role": ["Content lead", "Head of social media", "Analyst", "Community manager"],
        }
    )
    answers = synthetic_answers(
        rubric,
        profiles,
        roster=roster,
        date=pd.Series(["2026-03-02", "2025-03-09"], index=[b, a]),
        seed=1,
        comment_rate=1,
    )
    assert answers["client_id"].iloc[0] == a  # profile order, not roster order
    assert set(answers.loc[answers["client_id"] == a, "date"]) == {"2025-03-09"}
    assert set(answers.loc[answers["client_id"] == b, "date"]) == {"2026-03-02"}
    measured = answers["indicator_id"].map(rubric.indicator_table["kind"]) == "measured"
    # The first roster row of each client reports the measurements.
    assert set(answers.loc[measured, "respondent"]) == {"Omar K.", "Hala S."}
    assert (answers["comment"] != "").all()
    with pytest.raises(ValueError, match="no respondent"):
        synthetic_answers(rubric, profiles, roster=roster.iloc[:1])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p: p.drop(columns=p.columns[0]), "lack a column"),
        (lambda p: p.assign(**{p.columns[0]: 0.5}), "within 1"),
        (lambda p: p.assign(**{p.columns[0]: np.nan}), "within 1"),
    ],
)
def test_invalid_profiles_are_rejected(change: Any, message: str) -> None:
    rubric = load_rubric(STEWARDSHIP)
    with pytest.raises(ValueError, match=message):
        synthetic_answers(rubric, change(random_profiles(rubric, 3, seed=1)))


def test_bad_arguments_are_rejected() -> None:
    rubric = load_rubric(STEWARDSHIP)
    profiles = random_profiles(rubric, 3, seed=1)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        synthetic_answers(rubric, profiles, date="15/03/2025")
    with pytest.raises(ValueError, match="one value per client"):
        synthetic_answers(rubric, profiles, respondents=[1, 2])
    with pytest.raises(ValueError, match="na_rate"):
        synthetic_answers(rubric, profiles, na_rate=1.5)
    empty = synthetic_answers(rubric, profiles.iloc[:0])
    assert list(empty.columns) == list(ANSWER_COLUMNS)
    assert empty.empty


def test_extra_profile_columns_are_ignored() -> None:
    rubric = load_rubric(STEWARDSHIP)
    profiles = random_profiles(rubric, 3, seed=1)
    plain = synthetic_answers(rubric, profiles, seed=1)
    extra = synthetic_answers(rubric, profiles.assign(unknown_dimension=9.0), seed=1)
    pd.testing.assert_frame_equal(plain, extra)


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(3, 10),
    # Thresholds as people write them: denormals such as 5e-324 are not a threshold anyone uses.
    start=st.floats(-1000, 1000, allow_nan=False).filter(lambda x: x == 0 or abs(x) >= 1e-6),
    gaps=st.lists(st.floats(0.001, 500, allow_nan=False), min_size=9, max_size=9),
    whole=st.booleans(),
    direction=st.sampled_from(["higher_is_better", "lower_is_better"]),
    unit=st.sampled_from([None, "%", "percent", "hours"]),
    seed=st.integers(0, 2**32 - 1),
)
def test_measured_bands_invert_any_thresholds(
    n: int,
    start: float,
    gaps: list[float],
    whole: bool,
    direction: str,
    unit: str | None,
    seed: int,
) -> None:
    steps = [start, *gaps[: n - 2]]
    if whole:  # whole-number thresholds: counts, drawn as whole numbers
        steps = [round(start), *(max(1, round(g)) for g in gaps[: n - 2])]
    thresholds = [float(x) for x in np.cumsum(steps)]
    if direction == "lower_is_better":
        thresholds = thresholds[::-1]
    indicator = Indicator.model_validate(
        {
            "id": "x",
            "name": "x",
            "kind": "measured",
            "direction": direction,
            "unit": unit,
            "thresholds": thresholds,
            "proposal": True,
            "levels": _levels(list(range(1, n + 1))),
        }
    )
    rng = np.random.default_rng(seed)
    level = np.tile(np.arange(1, n + 1), 3)
    # Random positions plus both extremes of every band.
    u = np.concatenate([rng.random(n), np.zeros(n), np.full(n, np.nextafter(1.0, 0.0))])
    values, decimals = _band_values(indicator, n, level, u)
    assert np.isfinite(values).all()
    np.testing.assert_array_equal(_level_of_value(indicator, values), level)
    # What is written is what is read: formatting must not cross a boundary either.
    written = np.char.mod(f"%.{decimals}f", values).astype(float)
    np.testing.assert_array_equal(_level_of_value(indicator, written), level)


def test_count_indicators_get_whole_numbers() -> None:
    rubric = load_rubric(STEWARDSHIP)  # dq_incidents_per_month: thresholds 10, 3, 1
    answers = synthetic_answers(rubric, random_profiles(rubric, 300, seed=1), seed=1, na_rate=0)
    counts = answers.loc[answers["indicator_id"] == "dq_incidents_per_month", "value"]
    assert counts.str.fullmatch(r"\d+").all()
    assert counts.astype(int).between(0, 15).all()


# -- practices, facts, not applicable, evidence -----------------------------------------------


def _single_client(rubric: Rubric, level: float = 3.0) -> pd.DataFrame:
    dims = [d.id for d in rubric.dimensions]
    return pd.DataFrame([[level] * len(dims)], columns=dims, index=pd.Index(["acme"]))


def test_indicator_levels_override_their_dimension(rubric: Rubric) -> None:
    profiles = _single_client(rubric, 4.6)
    practices = pd.DataFrame({"governance_approval": [1.2]}, index=["acme"])
    answers = synthetic_answers(
        rubric, profiles, respondents=6, indicator_levels=practices, seed=3, noise=0.4
    )
    levels = answers.set_index("indicator_id")["value"]
    assert set(levels["governance_approval"]) <= {"1", "2"}  # slow approvals, as told
    assert set(levels["governance_policy"]) <= {"4", "5"}  # the rest of governance is strong


@pytest.mark.parametrize(
    ("practices", "message"),
    [
        ({"team_capacity_ratio": [3.0]}, "does not allow"),  # computed from facts
        ({"not_an_indicator": [3.0]}, "does not allow"),
        ({"governance_approval": [7.0]}, "within 1..5"),
    ],
)
def test_bad_indicator_levels_are_rejected(rubric: Rubric, practices: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        synthetic_answers(
            rubric,
            _single_client(rubric),
            indicator_levels=pd.DataFrame(practices, index=["acme"]),
        )


def test_facts_are_checked_against_the_rubric(rubric: Rubric) -> None:
    desk = {"care_messages_per_day": [100.0], "care_coverage_hours_per_week": [200.0]}
    with pytest.raises(ValueError, match="care_coverage_hours_per_week"):
        synthetic_answers(rubric, _single_client(rubric), facts=pd.DataFrame(desk, index=["acme"]))
    with pytest.raises(ValueError, match="does not allow"):
        synthetic_answers(
            rubric, _single_client(rubric), facts=pd.DataFrame({"x": [1.0]}, index=["acme"])
        )
    with pytest.raises(ValueError, match="not in profiles"):
        synthetic_answers(
            rubric,
            _single_client(rubric),
            facts=pd.DataFrame({"care_messages_per_day": [1.0]}, index=["other"]),
        )


def test_not_applicable_is_the_clients_answer_not_a_respondents_whim(rubric: Rubric) -> None:
    profiles = pd.concat([_single_client(rubric)] * 2).set_axis(["small", "large"])
    why = "12 employees: a share of staff means little."
    answers = synthetic_answers(
        rubric,
        profiles,
        respondents=5,
        not_applicable={"small": {"advocacy_active_pct": why, "content_paid_influencer": ""}},
        seed=4,
        comment_rate=0,
    )
    na = answers.loc[answers["value"] == "NA"]
    assert set(na["client_id"]) == {"small"}
    assert set(na["indicator_id"]) == {"advocacy_active_pct", "content_paid_influencer"}
    small = answers.loc[answers["client_id"] == "small"]
    # Everyone asked answers NA; the reporter of the measurement gives the reason.
    paid = small.loc[small["indicator_id"] == "content_paid_influencer", "value"]
    assert len(paid) > 1
    assert (paid == "NA").all()
    assert list(na.loc[na["indicator_id"] == "advocacy_active_pct", "comment"]) == [why]
    with pytest.raises(ValueError, match="does not allow NA"):
        synthetic_answers(rubric, profiles, not_applicable={"small": ["governance_approval"]})
    with pytest.raises(ValueError, match="not in profiles"):
        synthetic_answers(rubric, profiles, not_applicable={"other": ["advocacy_active_pct"]})


def test_evidence_follows_the_level_and_the_clients_habit(rubric: Rubric) -> None:
    n = 40
    dims = [d.id for d in rubric.dimensions]
    index = pd.Index([f"c{k:02d}" for k in range(n)])
    high = pd.DataFrame(4.6, index=index, columns=dims)
    low = pd.DataFrame(1.8, index=index, columns=dims)

    def share(profiles: pd.DataFrame, rate: float) -> float:
        answers = synthetic_answers(
            rubric, profiles, respondents=4, evidence_rate=rate, seed=5, noise=0.3
        )
        return float((answers["evidence"] != "").mean())

    assert share(high, 0.0) == 0.0
    assert share(high, 0.9) > 2 * share(low, 0.9)  # documents sit at the evidenced levels
    assert share(high, 0.9) > 2 * share(high, 0.2)  # and with clients who keep them
    answers = synthetic_answers(rubric, high, respondents=4, evidence_rate=0.9, seed=5)
    cited = answers.loc[answers["evidence"] != ""]
    assert (cited["value"] != "1").all(), "nobody cites a document for 'nothing exists'"
    # One document per client and indicator: colleagues who cite it cite the same file.
    assert (cited.groupby(["client_id", "indicator_id"])["evidence"].nunique() == 1).all()
    assert cited["evidence"].str.fullmatch(r".+ \((\d{4})\)\.pdf|.+ - \d{4}-\d{2}\.xlsx").all()


def test_noise_is_cut_at_two_standard_deviations(rubric: Rubric) -> None:
    profiles = pd.concat([_single_client(rubric, 1.4)] * 200).set_axis(range(200))
    answers = synthetic_answers(rubric, profiles, respondents=5, seed=6, noise=0.5)
    anchored = answers["indicator_id"].map(rubric.indicator_table["kind"]) == "anchored"
    # 1.4 + 2 x 0.5 = 2.4: a respondent may say 2, never 3, however many answers are drawn.
    assert set(answers.loc[anchored, "value"]) == {"1", "2"}


# -- profiles and peers -----------------------------------------------------------------------


def test_random_profiles_shape_and_bounds(any_rubric: Rubric) -> None:
    rubric = any_rubric
    profiles = random_profiles(rubric, 120, seed=4)
    assert profiles.index.name == "client_id"
    assert profiles.index[0] == "org00001"
    assert profiles.index.is_unique
    assert list(profiles.columns) == [d.id for d in rubric.dimensions]
    values = profiles.to_numpy()
    assert ((values >= 1) & (values <= rubric.n_levels)).all()


def test_peers_shape_vocabulary_and_bounds(any_rubric: Rubric) -> None:
    rubric = any_rubric
    peers = synthetic_peers(rubric, 360, seed=2007)
    dims = [d.id for d in rubric.dimensions]
    assert list(peers.columns) == ["peer_id", "sector", "size_band", "region", *dims]
    assert len(peers) == 360
    assert peers["peer_id"].is_unique
    for column in ("peer_id", "sector", "size_band", "region"):
        assert isinstance(peers[column].dtype, pd.StringDtype)
    assert set(peers["sector"]) <= set(SECTORS)
    assert set(peers["size_band"]) == set(SIZE_BANDS)
    assert set(peers["region"]) <= set(REGIONS)
    scores = peers[dims].to_numpy()
    assert ((scores >= 1) & (scores <= rubric.n_levels)).all()
    np.testing.assert_array_equal(scores, np.round(scores, 2))


def test_peer_distribution_is_plausible() -> None:
    rubric = _five_level_rubric()
    peers = synthetic_peers(rubric, 4000, seed=1)
    scores = peers[["alpha", "beta"]]
    inside = ((scores >= 1.5) & (scores <= 3.5)).to_numpy().mean()
    assert inside > 0.75, "most organisations should sit between 1.5 and 3.5"
    assert scores["alpha"].corr(scores["beta"]) > 0.4, "dimensions share an organisation factor"
    by_size = scores.mean(axis=1).groupby(peers["size_band"]).mean()
    assert by_size["small"] < by_size["medium"] < by_size["large"] < by_size["enterprise"]


def test_size_band_ranges_are_contiguous() -> None:
    assert tuple(SIZE_BAND_EMPLOYEES) == SIZE_BANDS
    bounds = list(SIZE_BAND_EMPLOYEES.values())
    for (_, high), (low, _) in pairwise(bounds):
        assert high is not None
        assert low == high + 1
    assert bounds[-1][1] is None


def test_thousands_of_organisations_generate() -> None:
    # A sanity check that the vectorised path copes with volume; timing is for benchmarks.
    rubric = _five_level_rubric()
    profiles = random_profiles(rubric, 2000, seed=1)
    answers = synthetic_answers(rubric, profiles, respondents=5, seed=1)
    assert answers["client_id"].nunique() == 2000
    assert answers.groupby("client_id")["respondent"].nunique().eq(5).all()
