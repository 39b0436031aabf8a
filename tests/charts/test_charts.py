"""The charts package as callers use it: every chart's signature, Axes, languages, no pyplot.

Each chart's own tests are in the module named like its home: ``test_profile.py`` for
:mod:`assessment.charts.profile` and so on.
"""

from __future__ import annotations

import inspect
import string
import subprocess
import sys
import warnings

import matplotlib as mpl
import pandas as pd
import pytest
from helpers import ROOT
from helpers.charts import CHART_NAMES, all_charts, draw
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from assessment import charts
from assessment.rubric import translate
from assessment.scoring import score
from assessment.text import ENTRIES

#: Every chart function of the package.
CHARTS = [
    "radar",
    "gap_bars",
    "indicator_heatmap",
    "agreement",
    "benchmark_distribution",
    "trend",
    "staffing_chart",
    "portfolio",
    "tornado",
    "level_probability",
    "rank_stability",
]
#: Names callers used before the package was split (``from assessment import charts``).
PUBLIC = [
    *CHARTS,
    "CATEGORICAL",
    "LEVEL_CMAP",
    "LEVEL_COLORS",
    "MISSING_COLOR",
    "NA_COLOR",
    "OKABE_ITO",
    "REPORT_WIDTH",
    "TREND_LEGEND_WRAP",
    "TREND_LEVEL_WRAP",
    "FitLayout",
    "figure_to_png_bytes",
    "figure_to_svg",
    "level_color",
    "level_colors",
    "rc_params",
    "save_figure",
    "shape_text",
    "style",
]


def test_the_public_api_is_re_exported():
    assert sorted(PUBLIC) == sorted(charts.__all__)
    for name in PUBLIC:
        assert getattr(charts, name) is not None, name
    assert callable(charts.style)  # the function, not a module of that name


@pytest.mark.parametrize("name", CHARTS)
def test_one_signature_data_then_keyword_ax_and_lang(name):
    params = inspect.signature(getattr(charts, name)).parameters
    keyword = [p for p in params.values() if p.kind is inspect.Parameter.KEYWORD_ONLY]
    assert [p.name for p in keyword[:2]] == ["ax", "lang"]
    assert (keyword[0].default, keyword[1].default) == (None, "en")
    positional = [p for p in params.values() if p.kind is not inspect.Parameter.KEYWORD_ONLY]
    assert all(p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for p in positional)
    assert 1 <= len(positional) <= 2  # the data (and, for a table, its rubric)


def test_charts_leave_global_rcparams_alone(result, staffing):
    before = dict(mpl.rcParams)
    charts.radar(result, client_id="acme")
    charts.indicator_heatmap(result)
    charts.staffing_chart(staffing, lang="ar")
    assert dict(mpl.rcParams) == before


@pytest.mark.parametrize("name", CHART_NAMES)
def test_returns_axes_and_uses_a_supplied_one(name, result, staffing):
    fig = Figure(figsize=(6.5, 4))
    ax = fig.add_subplot(projection="polar" if name == "radar" else None)
    out = all_charts(result, staffing)[name](ax=ax)
    assert out is ax
    assert fig.axes == [ax]  # no chart adds a twin or a colorbar Axes (issue 15)
    draw(out)
    own = all_charts(result, staffing)[name]()  # drawn by the Arabic test below
    assert isinstance(own, Axes)
    assert own.figure is not fig


@pytest.mark.parametrize("name", CHART_NAMES)
def test_arabic_draws_without_warnings(name, arabic_result, staffing):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = all_charts(arabic_result, staffing)[name](lang="ar")
    draw(ax)
    texts = " ".join(t.get_text() for t in ax.figure.findobj(mpl.text.Text))
    assert any("\u0600" <= ch <= "\u06ff" for ch in texts)  # Arabic labels are there
    if name == "radar":
        rubric = arabic_result.rubric
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


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(k for k in ENTRIES if k.startswith("chart.")))
def test_chart_labels_are_in_both_languages_with_the_same_fields(key):
    entry = ENTRIES[key]
    assert entry["en"]
    assert entry["ar"]
    assert _fields(entry["en"]) == _fields(entry["ar"])
