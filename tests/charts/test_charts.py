"""Charts: the artists carry the numbers (not pixels), any rubric works, Arabic draws cleanly."""

from __future__ import annotations

import io
import subprocess
import sys
import warnings
from collections.abc import Callable
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from helpers import ROOT
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.projections.polar import PolarAxes

from assessment import charts
from assessment.charts import theme
from assessment.rubric import Rubric, translate
from assessment.scoring import ScoreResult, peer_index, score
from assessment.scoring.staffing import staffing_table
from assessment.text.numbers import format_compact, format_number, format_ordinal

# data-stewardship rubric (4 levels): quality (w .6): dq_checks (anchored, gate),
# dq_incidents_per_month (measured, lower is better, [10, 3, 1], NA allowed); ownership (w .4):
# owner_named (boolean yes=4 no=1), catalogue_coverage_pct (measured, higher is better).
ROWS = [
    # acme: respondents disagree on dq_checks (1, 3, 4: a hotspot), incidents are N/A.
    ("acme", "ann", "dq_checks", 1),
    ("acme", "bob", "dq_checks", 3),
    ("acme", "cat", "dq_checks", 4),
    ("acme", "ann", "dq_incidents_per_month", "NA"),
    ("acme", "ann", "owner_named", "yes"),
    ("acme", "bob", "owner_named", "yes"),
    ("acme", "cat", "owner_named", "yes"),
    ("acme", "ann", "catalogue_coverage_pct", 70),
    # beta: agreement; the catalogue question is left unanswered (missing).
    ("beta", "dan", "dq_checks", 2),
    ("beta", "eve", "dq_checks", 2),
    ("beta", "dan", "dq_incidents_per_month", 5),
    ("beta", "dan", "owner_named", "no"),
    ("beta", "eve", "owner_named", "no"),
    # gamma: one respondent, everything answered.
    ("gamma", "fay", "dq_checks", 3),
    ("gamma", "fay", "dq_incidents_per_month", 0.5),
    ("gamma", "fay", "owner_named", "yes"),
    ("gamma", "fay", "catalogue_coverage_pct", 95),
]
# acme again half a year later, further along.
ROWS_LATER = [
    ("acme", "ann", "dq_checks", 3),
    ("acme", "bob", "dq_checks", 3),
    ("acme", "ann", "dq_incidents_per_month", 2),
    ("acme", "ann", "owner_named", "yes"),
    ("acme", "ann", "catalogue_coverage_pct", 92),
]

CLIENTS = pd.DataFrame(
    {
        "client_id": ["acme", "beta", "gamma"],
        "sector": ["retail", "retail", "bank"],
        "size_band": ["small", "small", "large"],
        "target_profile": "",
    }
)


def make_peers(n: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "peer_id": [f"p{i}" for i in range(n)],
            "sector": np.where(np.arange(n) % 3 == 0, "bank", "retail"),
            "size_band": np.where(np.arange(n) % 2 == 0, "small", "large"),
            "region": "",
            "quality": rng.uniform(1, 4, n).round(2),
            "ownership": rng.uniform(1, 4, n).round(2),
        }
    )


def arabic_variant(rubric: Rubric) -> Rubric:
    """The rubric with Arabic names for the scale, dimensions, indicators and targets."""
    data = rubric.model_dump(mode="json")
    scale_ar = ["أولي", "قابل للتكرار", "محدد", "محسَّن"]
    for level, name in zip(data["scale"], scale_ar, strict=True):
        level["name"]["ar"] = name
    dims_ar = {"quality": "جودة البيانات", "ownership": "الملكية"}
    inds_ar = {
        "dq_checks": "فحوص الجودة الآلية",
        "dq_incidents_per_month": "حوادث البيانات شهريًا",
        "owner_named": "لكل مجموعة بيانات مالك مسمّى",
        "catalogue_coverage_pct": "نسبة مجموعات البيانات في الفهرس",
    }
    for d in data["dimensions"]:
        d["name"]["ar"] = dims_ar[d["id"]]
        for i in d["indicators"]:
            i["name"]["ar"] = inds_ar[i["id"]]
    for t in data["targets"]:
        t["name"] = {"en": "Baseline", "ar": "خط الأساس"}
    return Rubric.model_validate(data)


@pytest.fixture(name="result")
def fixture_result(small_rubric, make_answers) -> ScoreResult:
    answers = pd.concat(
        [
            make_answers(small_rubric, ROWS, date="2025-01-15"),
            make_answers(small_rubric, ROWS_LATER, date="2025-07-15"),
        ],
        ignore_index=True,
    )
    return score(small_rubric, answers, clients=CLIENTS, peers=make_peers(40))


@pytest.fixture(name="first")
def fixture_first(small_rubric, make_answers) -> ScoreResult:
    """Only the first round (one assessment per client), with peers."""
    answers = make_answers(small_rubric, ROWS, date="2025-01-15")
    return score(small_rubric, answers, clients=CLIENTS, peers=make_peers(40))


@pytest.fixture(name="staffing", scope="module")
def fixture_staffing() -> pd.DataFrame:
    return staffing_table(
        messages_per_hour=20,
        aht_minutes=6,
        answer_within_minutes=30,
        service_level=0.8,
        current_fte=3,
    )


def draw(ax: Axes) -> None:
    """Render with Agg, turning every warning (e.g. "Glyph missing") into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        FigureCanvasAgg(ax.figure).draw()


def dims_of(result: ScoreResult, client: str, date: str) -> pd.DataFrame:
    d = result.dimensions
    return d.loc[(d["client_id"] == client) & (d["date"] == date)].set_index("dimension_id")


# -- palette and style ---------------------------------------------------------------------------


def test_level_colors_are_one_scheme():
    for n in range(3, 11):
        colors = charts.level_colors(n)
        assert charts.LEVEL_COLORS[n] == colors
        assert len(set(colors)) == n
        assert [charts.level_color(k, n) for k in range(1, n + 1)] == list(colors)
    assert charts.level_color(np.nan, 4) == charts.NA_COLOR
    assert charts.level_color(2.5, 4) not in charts.level_colors(4)  # interpolated
    assert charts.level_color(9, 4) == charts.level_colors(4)[-1]  # clipped to the scale


def test_style_is_scoped_and_falls_back_to_dejavu():
    before = dict(mpl.rcParams)
    with charts.style("en"):
        assert mpl.rcParams["font.family"] == ["DejaVu Sans"]
    with charts.style("ar"):
        # A Naskh face first where one is installed (fonts-noto-core), DejaVu Sans always last.
        families = mpl.rcParams["font.family"]
        assert families[-1] == "DejaVu Sans"
        assert families[:-1] in ([], ["Noto Naskh Arabic"])
        assert mpl.rcParams["font.size"] == 9
    assert dict(mpl.rcParams) == before


def test_charts_leave_global_rcparams_alone(result, staffing):
    before = dict(mpl.rcParams)
    charts.radar(result, client_id="acme")
    charts.indicator_heatmap(result)
    charts.staffing_chart(staffing, lang="ar")
    assert dict(mpl.rcParams) == before


def test_shape_text_is_a_no_op_where_matplotlib_shapes(monkeypatch):
    assert charts.shape_text("Data quality", "ar") == "Data quality"
    assert charts.shape_text("جودة", "en") == "جودة"
    if theme._NATIVE_SHAPING:
        # libraqm shapes and orders Arabic itself; reshaping on top would reverse it again.
        assert charts.shape_text("جودة البيانات", "ar") == "جودة البيانات"
    # The fallback (old matplotlib with arabic_reshaper + python-bidi) works line by line.
    monkeypatch.setattr(theme, "_SHAPERS", (str.upper, lambda s: s[::-1]))
    assert charts.shape_text("ab\ncd", "ar") == "BA\nDC"
    assert charts.shape_text("ab", "en") == "ab"


# -- radar ---------------------------------------------------------------------------------------


def test_radar_lines_are_the_scores_closed(result, small_rubric):
    targets = {"baseline": {"quality": 3.0, "ownership": 3.0}, "stretch": {"quality": 4.0}}
    peer = {"quality": 2.2, "ownership": 2.9}
    ax = charts.radar(result, client_id="acme", targets=targets, peer_median=peer)
    assert isinstance(ax, PolarAxes)
    assert len(ax.lines) == 1 + len(targets) + 1
    dims = dims_of(result, "acme", "2025-07-15")  # latest assessment by default
    ids = list(small_rubric.dimension_table.index)
    want = [dims.at[d, "score"] for d in ids]
    current = ax.lines[0]
    np.testing.assert_allclose(current.get_ydata(), [*want, want[0]])
    theta = current.get_xdata()
    assert len(theta) == len(ids) + 1
    assert theta[0] == theta[-1]
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [3.0, 3.0, 3.0])
    np.testing.assert_allclose(ax.lines[2].get_ydata(), [4.0, np.nan, 4.0])  # unlisted: gap
    np.testing.assert_allclose(ax.lines[3].get_ydata(), [2.2, 2.9, 2.2])
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == [translate(d.name) for d in small_rubric.dimensions]
    assert ax.get_ylim() == (0, small_rubric.n_levels)
    assert [t.get_text() for t in ax.yaxis.get_ticklabels()] == ["1", "2", "3", "4"]


def test_radar_defaults_to_own_target_and_benchmark_median(first):
    ax = charts.radar(first, client_id="beta", date="2025-01-15")
    assert len(ax.lines) == 3  # current, the assessment's profile, peer median
    dims = dims_of(first, "beta", "2025-01-15")
    np.testing.assert_allclose(ax.lines[1].get_ydata()[:-1], dims["target"])
    bench = first.benchmark
    median = bench.loc[bench["client_id"] == "beta"].set_index("measure")["peer_median"]
    np.testing.assert_allclose(ax.lines[2].get_ydata()[:-1], median[["quality", "ownership"]])
    labels = ax.figure.legends[0].get_texts()
    assert "Baseline" in labels[1].get_text() or "baseline" in labels[1].get_text()
    assert len(charts.radar(first, client_id="beta", targets={}, peer_median={}).lines) == 1


def test_radar_and_gap_bars_from_a_dimensions_table(result, small_rubric):
    dims = result.dimensions
    with pytest.raises(ValueError, match="several assessments"):
        charts.radar(dims, small_rubric)
    ax = charts.radar(dims, small_rubric, client_id="acme", date="2025-01-15")
    want = dims_of(result, "acme", "2025-01-15")
    assert len(ax.lines) == 2  # current and the table's own target
    np.testing.assert_allclose(ax.lines[0].get_ydata()[:-1], want["score"])
    np.testing.assert_allclose(ax.lines[1].get_ydata()[:-1], want["target"])
    one = dims.loc[(dims["client_id"] == "beta")]
    ax = charts.gap_bars(one, small_rubric)
    expected = one.sort_values(["priority", "order"], ascending=[False, True])["priority"]
    np.testing.assert_allclose([b.get_width() for b in ax.containers[0]], expected)
    with pytest.raises(ValueError, match="rubric="):
        charts.gap_bars(one)


def test_radar_from_a_mapping_and_bad_axes(small_rubric):
    ax = charts.radar({"quality": 2.5, "ownership": 1.0}, small_rubric)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [2.5, 1.0, 2.5])
    assert len(ax.lines) == 1
    with pytest.raises(ValueError, match="rubric="):
        charts.radar({"quality": 2.5})
    with pytest.raises(ValueError, match="polar"):
        charts.radar({"quality": 2.5}, small_rubric, ax=Figure().add_subplot())


def test_ambiguous_or_unknown_assessment(result):
    with pytest.raises(ValueError, match="client_id="):
        charts.gap_bars(result)
    with pytest.raises(ValueError, match="no scored assessment"):
        charts.gap_bars(result, client_id="nobody")
    with pytest.raises(ValueError, match="2024-01-01"):
        charts.gap_bars(result, client_id="acme", date="2024-01-01")


# -- gaps ----------------------------------------------------------------------------------------


def test_gap_bars_sorted_by_priority(first, small_rubric):
    ax = charts.gap_bars(first, client_id="beta")
    dims = dims_of(first, "beta", "2025-01-15")
    order = dims.assign(o=dims["order"]).sort_values(["priority", "o"], ascending=[False, True])
    bars = ax.containers[0]
    np.testing.assert_allclose([b.get_width() for b in bars], order["priority"])
    names = {d.id: translate(d.name) for d in small_rubric.dimensions}
    assert [t.get_text() for t in ax.get_yticklabels()] == [names[d] for d in order.index]
    texts = [t.get_text() for t in ax.texts]
    assert texts == [f"gap {format_compact(g)}" for g in order["gap"]]
    assert ax.yaxis_inverted()  # highest priority on top


def test_gap_bars_against_another_profile(first):
    ax = charts.gap_bars(first, client_id="gamma", profile={"quality": 4, "ownership": 4})
    want = first.gaps_against({"quality": 4, "ownership": 4})
    want = want.loc[want["client_id"] == "gamma"].sort_values("priority", ascending=False)
    np.testing.assert_allclose([b.get_width() for b in ax.containers[0]], want["priority"])


# -- heatmap -------------------------------------------------------------------------------------


def test_heatmap_is_the_level_matrix(first, small_rubric):
    ax = charts.indicator_heatmap(first)
    ind = first.indicators
    want = (
        ind.pivot(index="indicator_id", columns="client_id", values="level")
        .reindex(index=small_rubric.indicator_table.index, columns=["acme", "beta", "gamma"])
        .to_numpy(dtype=float)
    )
    got = ax.images[0].get_array()
    np.testing.assert_array_equal(np.ma.filled(got.astype(float), np.nan), want)
    status = ind.set_index(["indicator_id", "client_id"])["status"]
    assert status[("dq_incidents_per_month", "acme")] == "na"
    assert status[("catalogue_coverage_pct", "beta")] == "missing"
    gids = [p.get_gid() for p in ax.patches]
    assert gids.count("na") == int((status == "na").sum())
    assert gids.count("missing") == int((status == "missing").sum())
    hatches = {p.get_gid(): p.get_hatch() for p in ax.patches}
    assert hatches["na"] != hatches["missing"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["acme", "beta", "gamma"]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        translate(i.name) for _, i in small_rubric.iter_indicators()
    ]
    cells = {t.get_text() for t in ax.texts}
    assert {"N/A", "?"} <= cells


def test_heatmap_columns_name_dates_when_a_client_has_several(result):
    ax = charts.indicator_heatmap(result, annotate=False)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["acme\n2025-01-15", "acme\n2025-07-15", "beta", "gamma"]
    assert ax.images[0].get_array().shape == (4, 4)
    assert not [t for t in ax.texts if t.get_text() in {"N/A", "?"}]


def test_heatmap_by_respondent(first, small_rubric):
    ax = charts.indicator_heatmap(first, by="respondent", client_id="acme")
    got = np.ma.filled(ax.images[0].get_array().astype(float), np.nan)
    # Columns ann, bob, cat; rows in rubric order.
    want = np.array(
        [
            [1, 3, 4],
            [np.nan, np.nan, np.nan],  # ann: NA; bob, cat: not asked (measured)
            [4, 4, 4],
            [3, np.nan, np.nan],  # 70 % -> level 3
        ]
    )
    np.testing.assert_array_equal(got, want)
    gids = [p.get_gid() for p in ax.patches]
    assert gids.count("na") == 1
    assert gids.count("missing") == 4
    assert [t.get_text() for t in ax.get_xticklabels()] == ["ann", "bob", "cat"]
    with pytest.raises(ValueError, match="by must be"):
        charts.indicator_heatmap(first, by="nonsense")  # type: ignore[arg-type]


# -- agreement -----------------------------------------------------------------------------------


def collection(ax: Axes, gid: str):
    (found,) = [c for c in ax.collections if c.get_gid() == gid]
    return found


def test_agreement_marks_hotspots(first):
    ind = first.indicators.set_index(["client_id", "indicator_id"]).loc["acme"]
    assert bool(ind.at["dq_checks", "hotspot"])
    ax = charts.agreement(first, client_id="acme")
    shown = ["dq_checks", "owner_named", "catalogue_coverage_pct"]  # the N/A one has no dots
    assert len(ax.get_yticklabels()) == len(shown)
    hot = collection(ax, "hotspots").get_offsets()
    assert len(hot) == int(ind.loc[shown, "hotspot"].sum()) == 1
    assert hot[0][1] == 0  # the first row: dq_checks
    medians = collection(ax, "indicator_level").get_offsets()
    np.testing.assert_allclose(medians[:, 0], ind.loc[shown, "level"])
    dots = collection(ax, "respondents").get_offsets()
    assert sorted(map(tuple, dots.tolist())) == [(1, 0), (3, 0), (3, 2), (4, 0), (4, 1)]
    rwg = [t.get_text() for t in ax.texts if t.get_gid() == "rwg"]
    assert rwg[0] == format_compact(ind.at["dq_checks", "rwg"])
    assert rwg[2] == "–"  # one respondent: r_wg undefined


@pytest.mark.parametrize("hotspots_only", [False, True])
def test_agreement_rwg_column_has_one_header_and_a_number_per_row(first, hotspots_only):
    ax = charts.agreement(first, client_id="acme", hotspots_only=hotspots_only)
    (header,) = [t for t in ax.texts if t.get_gid() == "rwg_header"]
    assert header.get_text() == r"$r_{wg}$"
    values = [t for t in ax.texts if t.get_gid() == "rwg"]
    assert len(values) == len(ax.get_yticklabels())
    # one number per row, top down, plain text: the header is the only mathtext
    assert [t.get_position()[1] for t in values] == list(range(len(values)))
    assert all("$" not in t.get_text() for t in values)
    # the header sits above the first row, in the same column
    assert header.get_position() == (values[0].get_position()[0], -0.5)


def test_agreement_without_hotspots(first):
    ax = charts.agreement(first, client_id="beta")
    assert len(collection(ax, "hotspots").get_offsets()) == 0
    ax = charts.agreement(first, client_id="acme", hotspots_only=True)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Automated quality checks"]


# -- benchmark -----------------------------------------------------------------------------------


def client_line(ax: Axes):
    (line,) = [ln for ln in ax.lines if ln.get_gid() == "client"]
    return line


def test_benchmark_line_at_the_client_index(first, small_rubric):
    ax = charts.benchmark_distribution(first, client_id="acme", clients=CLIENTS)
    value = float(first.overall.set_index("client_id").at["acme", "index"])
    np.testing.assert_allclose(client_line(ax).get_xdata(), [value, value])
    row = first.benchmark.set_index(["client_id", "measure"]).loc[("acme", "index")]
    assert row["peer_group"] == "sector+size"
    assert format_ordinal(row["percentile"]) in client_line(ax).get_label()
    # The histogram shows the same peer group the percentile came from.
    peers = make_peers(40)
    pool = peers.loc[(peers["sector"] == "retail") & (peers["size_band"] == "small")]
    assert sum(p.get_height() for p in ax.patches) == len(pool) == row["n_peers"]
    assert ax.get_xlim() == (0, 100)
    ax = charts.benchmark_distribution(first, client_id="acme")  # without the clients table
    assert sum(p.get_height() for p in ax.patches) == 40
    ax = charts.benchmark_distribution(first, client_id="gamma", measure="quality")
    q = dims_of(first, "gamma", "2025-01-15").at["quality", "score"]
    np.testing.assert_allclose(client_line(ax).get_xdata(), [q, q])
    assert ax.get_xlim() == (1, small_rubric.n_levels)


def test_benchmark_suppressed_by_the_anonymity_floor(small_rubric, make_answers):
    answers = make_answers(small_rubric, ROWS)
    r = score(small_rubric, answers, clients=CLIENTS, peers=make_peers(8), anonymity_floor=10)
    ax = charts.benchmark_distribution(r, client_id="acme")
    assert not ax.patches  # no histogram: it would expose the few peers
    assert any("suppressed" in t.get_text() for t in ax.texts)
    index = float(r.overall.set_index("client_id").at["acme", "index"])
    np.testing.assert_allclose(client_line(ax).get_xdata(), [index, index])
    assert "percentile" not in client_line(ax).get_label()


def test_benchmark_needs_peers(small_rubric, make_answers):
    r = score(small_rubric, make_answers(small_rubric, ROWS))
    with pytest.raises(ValueError, match="peers="):
        charts.benchmark_distribution(r, client_id="acme")


def test_peer_index_matches_histogram_data(first, small_rubric):
    # Sanity check of the helper the histogram relies on.
    idx = peer_index(make_peers(40), small_rubric)
    assert idx.between(0, 100).all()


# -- trend ---------------------------------------------------------------------------------------


def test_trend_index_across_dates(result, small_rubric):
    ax = charts.trend(result, client_id="acme")
    (line,) = [ln for ln in ax.lines if ln.get_gid() == "index"]
    want = result.overall.loc[result.overall["client_id"] == "acme"].sort_values("date")
    np.testing.assert_allclose(line.get_ydata(), want["index"])
    assert list(line.get_xdata()) == list(pd.to_datetime(want["date"]).to_numpy())
    ax = charts.trend(result, client_id="acme", show="both")
    twin = [a for a in ax.figure.axes if a is not ax]
    assert len(twin) == 1
    dim_lines = {ln.get_gid(): ln for ln in twin[0].lines}
    assert set(dim_lines) == {f"dimension:{d}" for d in small_rubric.dimension_table.index}
    quality = result.dimensions.query("client_id == 'acme' and dimension_id == 'quality'")
    np.testing.assert_allclose(
        dim_lines["dimension:quality"].get_ydata(), quality.sort_values("date")["score"]
    )
    # The index line and its value labels are drawn above the twin's dimension lines, on a
    # transparent background, and each label has a box that keeps it readable.
    assert ax.get_zorder() > twin[0].get_zorder()
    assert not ax.patch.get_visible()
    labels = [t for t in ax.texts if t.get_text()]
    assert len(labels) == len(want)
    assert all(t.get_bbox_patch() is not None for t in labels)
    ax = charts.trend(result, client_id="acme", show="dimensions", dimensions=["ownership"])
    assert [ln.get_gid() for ln in ax.lines] == ["dimension:ownership"]
    with pytest.raises(ValueError, match="show must be"):
        charts.trend(result, client_id="acme", show="all")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown dimensions"):
        charts.trend(result, client_id="acme", dimensions=["nope"])


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_radar_labels_wrap_wider_at_top_and_bottom(lang):
    from assessment.rubric import load_rubric

    rubric = load_rubric("social-media")
    scores = {d.id: 3.0 for d in rubric.dimensions}
    ax = charts.radar(scores, rubric=rubric, lang=lang, wrap=16)
    draw(ax)
    labels = ax.get_xticklabels()
    # The longest name (community care) sits near six o'clock: three lines, not five.
    assert max(t.get_text().count("\n") + 1 for t in labels) <= 3
    for text, angle in zip(labels, ax.get_xticks(), strict=True):
        # At the sides (|cos| ~ 0) names keep the narrow wrap; at the top and bottom, 1.6x.
        limit = 16 * (1 + 0.6 * abs(np.cos(angle))) + 0.5
        assert all(len(line) <= limit or " " not in line for line in text.get_text().split("\n"))
    page = ax.figure.bbox
    for text in labels:
        box = text.get_window_extent()
        assert page.x0 - 1 <= box.x0
        assert box.x1 <= page.x1 + 1


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_trend_legend_shares_rows_and_level_names_wrap(lang):
    from assessment.inputs import answers_from_frame
    from assessment.rubric import load_rubric
    from assessment.samples import synthetic

    rubric = load_rubric("social-media")
    profiles = synthetic.random_profiles(rubric, 1, seed=3)
    raw = pd.concat(
        [
            synthetic.synthetic_answers(rubric, profiles, date=date, seed=k)
            for k, date in enumerate(("2024-03-01", "2025-03-01"))
        ]
    )
    ax = charts.trend(score(rubric, answers_from_frame(raw, rubric)), show="both", lang=lang)
    draw(ax)
    (legend,) = ax.figure.legends
    assert len(legend.get_texts()) == len(rubric.dimensions) + 1  # the index and each dimension
    columns = {round(t.get_window_extent().x0) for t in legend.get_texts()}
    assert len(columns) >= 2  # 12 entries in one column made the figure twice as tall
    twin = next(a for a in ax.figure.axes if a is not ax)
    for tick in twin.get_yticklabels():
        for line in tick.get_text().split("\n"):
            assert len(line) <= charts.TREND_LEVEL_WRAP or " " not in line, line
    # Everything still fits on the figure.
    fig_box = ax.figure.bbox
    for artist in [legend, *twin.get_yticklabels()]:
        box = artist.get_window_extent()
        assert box.x0 >= fig_box.x0 - 1
        assert box.x1 <= fig_box.x1 + 1


# -- staffing ------------------------------------------------------------------------------------


def bars(ax: Axes, gid: str):
    return [p for p in ax.patches if p.get_gid() == gid]


def test_staffing_bars_are_required_and_current_fte(staffing):
    ax = charts.staffing_chart(staffing)
    np.testing.assert_allclose([b.get_height() for b in bars(ax, "required")], staffing["fte"])
    np.testing.assert_allclose(
        [b.get_height() for b in bars(ax, "current")], staffing["current_fte"]
    )
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0] == "Business hours\n45 h/week"
    assert any("gap +1.8" in t.get_text() for t in ax.texts)


def test_staffing_without_current_fte():
    table = staffing_table(
        messages_per_day=200, aht_minutes=6, answer_within_minutes=30, service_level=0.8
    )
    ax = charts.staffing_chart(table)
    assert len(ax.containers) == 1
    assert not bars(ax, "current")
    np.testing.assert_allclose([b.get_height() for b in bars(ax, "required")], table["fte"])
    with pytest.raises(ValueError, match="staffing_table"):
        charts.staffing_chart(table.drop(columns="fte"))


# -- portfolio -----------------------------------------------------------------------------------


def test_portfolio_one_bar_per_client(result, small_rubric):
    summary = result.summary()
    ax = charts.portfolio(summary, rubric=small_rubric)
    bars_ = ax.containers[0]
    assert len(bars_) == len(summary) == 3
    ordered = summary.sort_values("index", ascending=False)
    np.testing.assert_allclose([b.get_width() for b in bars_], ordered["index"])
    assert [t.get_text() for t in ax.get_yticklabels()] == list(ordered["client_id"])
    want = [charts.level_color(v, small_rubric.n_levels) for v in ordered["level"]]
    assert [mpl.colors.to_hex(b.get_facecolor()) for b in bars_] == want
    texts = [t.get_text() for t in ax.texts]
    assert texts == [
        f"{format_number(i, 0)}  ({c} at L1)"
        for i, c in zip(ordered["index"], ordered["count_2007"], strict=True)
    ]
    # A result works as well, and a summary without a rubric still draws.
    assert len(charts.portfolio(result).containers[0]) == 3
    assert len(charts.portfolio(summary).containers[0]) == 3
    with pytest.raises(ValueError, match="summary"):
        charts.portfolio(summary.drop(columns="count_2007"))


# -- every chart ---------------------------------------------------------------------------------


def all_charts(result: ScoreResult, staffing: pd.DataFrame) -> dict[str, Callable[..., Axes]]:
    """Every chart as ``f(ax=..., lang=...)`` on the acme client."""
    return {
        "radar": lambda **kw: charts.radar(result, client_id="acme", **kw),
        "gap_bars": lambda **kw: charts.gap_bars(result, client_id="acme", **kw),
        "heatmap": lambda **kw: charts.indicator_heatmap(result, **kw),
        "heatmap_respondents": lambda **kw: charts.indicator_heatmap(
            result, by="respondent", client_id="acme", **kw
        ),
        "agreement": lambda **kw: charts.agreement(result, client_id="acme", **kw),
        "benchmark": lambda **kw: charts.benchmark_distribution(
            result, client_id="acme", clients=CLIENTS, **kw
        ),
        "trend": lambda **kw: charts.trend(result, client_id="acme", show="both", **kw),
        "staffing": lambda **kw: charts.staffing_chart(staffing, **kw),
        "portfolio": lambda **kw: charts.portfolio(result, **kw),
    }


CHART_NAMES = [
    "radar",
    "gap_bars",
    "heatmap",
    "heatmap_respondents",
    "agreement",
    "benchmark",
    "trend",
    "staffing",
    "portfolio",
]


@pytest.mark.parametrize("name", CHART_NAMES)
def test_returns_axes_and_uses_a_supplied_one(name, result, staffing):
    fig = Figure(figsize=(6.5, 4))
    ax = fig.add_subplot(projection="polar" if name == "radar" else None)
    out = all_charts(result, staffing)[name](ax=ax)
    assert out is ax
    assert len(fig.axes) in (1, 2)  # the trend's twin axis is the only addition
    draw(out)
    own = all_charts(result, staffing)[name]()  # drawn by the Arabic test below
    assert isinstance(own, Axes)
    assert own.figure is not fig


@pytest.mark.parametrize("name", CHART_NAMES)
def test_arabic_draws_without_warnings(name, small_rubric, make_answers, staffing):
    rubric = arabic_variant(small_rubric)
    answers = pd.concat(
        [
            make_answers(rubric, ROWS, date="2025-01-15"),
            make_answers(rubric, ROWS_LATER, date="2025-07-15"),
        ],
        ignore_index=True,
    )
    result = score(rubric, answers, clients=CLIENTS, peers=make_peers(40))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = all_charts(result, staffing)[name](lang="ar")
    draw(ax)
    texts = " ".join(t.get_text() for t in ax.figure.findobj(mpl.text.Text))
    assert any("\u0600" <= ch <= "\u06ff" for ch in texts)  # Arabic labels are there
    if name == "radar":
        want = [charts.shape_text(translate(d.name, "ar"), "ar") for d in rubric.dimensions]
        assert [t.get_text() for t in ax.get_xticklabels()] == want


def test_five_level_rubric_with_synthetic_data(rubric, staffing):
    from assessment.inputs import answers_from_frame
    from assessment.samples import synthetic

    profiles = synthetic.random_profiles(rubric, 3, seed=3)
    raw = synthetic.synthetic_answers(rubric, profiles, respondents=4, seed=3)
    peers = synthetic.synthetic_peers(rubric, 60, seed=3)
    answers = answers_from_frame(raw, rubric)
    clients = pd.DataFrame(
        {
            "client_id": list(profiles.index),
            "sector": "retail",
            "size_band": "large",
            "target_profile": "",
        }
    )
    result = score(rubric, answers, clients=clients, peers=peers)
    client = str(profiles.index[0])
    ax = charts.radar(result, client_id=client)
    assert ax.get_ylim() == (0, 5)
    assert len(ax.get_xticklabels()) == len(rubric.dimensions)
    ax = charts.indicator_heatmap(result)
    assert ax.images[0].get_array().shape == (len(rubric.indicator_table), 3)
    for ax in (
        charts.agreement(result, client_id=client),
        charts.benchmark_distribution(result, client_id=client, clients=clients),
        charts.portfolio(result, lang="ar"),
    ):
        draw(ax)


# -- output --------------------------------------------------------------------------------------


# -- layout --------------------------------------------------------------------------------------

LAID_OUT = ["gap_bars", "heatmap", "agreement", "benchmark", "trend", "staffing", "portfolio"]


def arabic_result(small_rubric, make_answers) -> ScoreResult:
    rubric = arabic_variant(small_rubric)
    answers = pd.concat(
        [
            make_answers(rubric, ROWS, date="2025-01-15"),
            make_answers(rubric, ROWS_LATER, date="2025-07-15"),
        ],
        ignore_index=True,
    )
    return score(rubric, answers, clients=CLIENTS, peers=make_peers(40))


def laid_out(fig: Figure, engine: Any, dpi: float = 100) -> Any:
    """Run ``engine`` on ``fig`` at ``dpi`` and return the renderer it measured with."""
    fig.dpi = dpi
    with charts.style():
        engine.execute(fig)
    return fig.canvas.get_renderer()


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("name", LAID_OUT)
def test_fit_layout_keeps_every_label_and_the_legend_on_the_page(
    name, lang, result, small_rubric, make_answers, staffing
):
    data = result if lang == "en" else arabic_result(small_rubric, make_answers)
    fig = all_charts(data, staffing)[name](lang=lang).figure
    engine = fig.get_layout_engine()
    assert isinstance(engine, charts.FitLayout)
    renderer = laid_out(fig, engine)
    page = fig.bbox.padded(0.5)  # half a pixel of rounding
    decorations = [ax.get_tightbbox(renderer) for ax in fig.axes]
    for box in [*decorations, *(legend.get_window_extent(renderer) for legend in fig.legends)]:
        assert page.x0 <= box.x0, "a label sticks out on the left"
        assert box.x1 <= page.x1, "a label sticks out on the right"
        assert page.y0 <= box.y0, "a label sticks out at the bottom"
        assert box.y1 <= page.y1, "a label sticks out at the top"
    for legend in fig.legends:
        box = legend.get_window_extent(renderer)
        # below everything the Axes draw (tick labels, axis label), not over it
        assert all(box.y1 <= d.y0 + 0.5 for d in decorations)
    # The same room as constrained layout would give (within a few pixels).
    mine = fig.axes[0].get_position().transformed(fig.transFigure)
    laid_out(fig, ConstrainedLayoutEngine(h_pad=3 / 72, w_pad=3 / 72))
    theirs = fig.axes[0].get_position().transformed(fig.transFigure)
    np.testing.assert_allclose(mine.extents, theirs.extents, atol=12)


def test_fit_layout_hands_other_figures_to_constrained_layout(first, monkeypatch):
    handed: list[Figure] = []
    monkeypatch.setattr(ConstrainedLayoutEngine, "execute", lambda self, fig: handed.append(fig))
    ax = charts.gap_bars(first, client_id="acme")
    fig = ax.figure
    laid_out(fig, fig.get_layout_engine())
    assert handed == []
    fig.colorbar(mpl.cm.ScalarMappable(), ax=ax)  # a caller adds a colorbar
    laid_out(fig, fig.get_layout_engine())
    assert handed == [fig]
    other = charts.benchmark_distribution(first, client_id="acme", clients=CLIENTS).figure
    other.legend(loc="upper right")  # a legend the engine does not know where to keep
    laid_out(other, other.get_layout_engine())
    assert handed == [fig, other]


def test_png_of_a_laid_out_figure_leaves_it_as_it_was(first):
    fig = charts.agreement(first, client_id="acme").figure
    engine, dpi = fig.get_layout_engine(), fig.dpi
    png = charts.figure_to_png_bytes(fig, dpi=90, compress_level=3)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = (int(v) for v in np.frombuffer(png[16:24], dtype=">u4"))
    assert (width, height) == tuple(np.round(fig.get_size_inches() * 90).astype(int))
    assert fig.get_layout_engine() is engine
    assert fig.dpi == dpi
    assert charts.figure_to_png_bytes(fig, dpi=90, compress_level=3) == png


def test_png_is_the_rendered_pixels_losslessly(first):
    from PIL import Image

    fig = charts.agreement(first, client_id="acme", lang="ar").figure
    png = charts.figure_to_png_bytes(fig, dpi=80, compress_level=4)
    with Image.open(io.BytesIO(png)) as image:
        image.load()
        decoded = np.asarray(image)
        assert image.mode == "RGBA"
        np.testing.assert_allclose(image.info["dpi"], (80, 80), atol=0.01)
    # the same pixels as Agg draws (the layout is now fixed, so a plain draw repeats it)
    fig.dpi = 80
    fig.set_layout_engine(None)
    with charts.style():
        fig.canvas.draw()
    np.testing.assert_array_equal(decoded, np.asarray(fig.canvas.buffer_rgba()))
    assert charts.figure_to_png_bytes(fig, dpi=80, compress_level=9) != png  # level is used


def test_png_svg_and_files(first, tmp_path):
    fig = charts.gap_bars(first, client_id="acme").figure
    png = charts.figure_to_png_bytes(fig, dpi=72)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert charts.figure_to_png_bytes(fig, dpi=72) == png  # reproducible
    svg = charts.figure_to_svg(fig)
    assert "<svg" in svg
    assert svg == charts.figure_to_svg(fig)
    for suffix in ("png", "svg", "pdf"):
        path = charts.save_figure(fig, tmp_path / f"gaps.{suffix}", dpi=72)
        assert path.stat().st_size > 0


def test_no_pyplot_and_no_figure_registry():
    code = (
        "import sys\n"
        "from assessment import charts\n"
        "from assessment.rubric import load_rubric\n"
        "r = load_rubric('tests/data/rubrics/data-stewardship.yaml')\n"
        "ax = charts.radar({'quality': 2.0, 'ownership': 3.0}, r)\n"
        "charts.figure_to_png_bytes(ax.figure, dpi=50)\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot was imported'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
