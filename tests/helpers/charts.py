"""What the chart tests share besides fixtures: the scenario's answers, peers and helpers.

The fixtures built from these (``result``, ``first``, ``arabic_result`` ...) are in
``tests/charts/conftest.py``; import the plain values and helpers from here:
``from helpers.charts import CLIENTS, draw``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg

from assessment import charts
from assessment.rubric import Rubric
from assessment.scoring import ScoreResult

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
    """``n`` peers of the data-stewardship rubric, a third of them banks, half small."""
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


def draw(ax: Axes) -> None:
    """Render with Agg, turning every warning (e.g. "Glyph missing") into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        FigureCanvasAgg(ax.figure).draw()


def dims_of(result: ScoreResult, client: str, date: str) -> pd.DataFrame:
    """One assessment's rows of ``result.dimensions``, indexed by dimension id."""
    d = result.dimensions
    return d.loc[(d["client_id"] == client) & (d["date"] == date)].set_index("dimension_id")


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


#: The keys of :func:`all_charts`.
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
