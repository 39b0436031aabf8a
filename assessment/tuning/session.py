"""What the tuning notebook works on, and how it shows tables: names, level names, fixed decimals.

:func:`prepare` loads and scores the portfolio once; every widget works from its
:class:`TuningSession`.  :func:`styled_table` renders a comparison table for people: client
names (isolated for bidi), level names, one decimal for indices, two for changes, never the six
decimals of a second ``.format()`` resetting the first.
"""

from __future__ import annotations

import glob
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from IPython.display import Image

from assessment import charts
from assessment.exceptions import ParameterError
from assessment.inputs import load_inputs
from assessment.report.html import esc
from assessment.rubric import Rubric, load_rubric, translate
from assessment.scoring import ScoreResult, score
from assessment.text import label
from assessment.weights.sensitivity import Portfolio

__all__ = [
    "RTL_STYLE",
    "TuningSession",
    "error_html",
    "figure",
    "prepare",
    "reading_row",
    "right_to_left",
    "styled_table",
]


@dataclass(frozen=True)
class TuningSession:
    """What the notebook tunes: the rubric, the scored portfolio and its dense view."""

    rubric: Rubric
    result: ScoreResult
    portfolio: Portfolio
    names: dict[str, str]

    def client_name(self, client_id: str) -> str:
        """The client's name from the clients table (its id when there is none)."""
        return self.names.get(client_id, client_id)

    def dimension_name(self, dimension_id: str, lang: str = "en") -> str:
        """The dimension's full name in ``lang``."""
        return translate(self.rubric.dimension(dimension_id).name, lang)

    def level_name(self, level: int, lang: str = "en") -> str:
        """``2 Present and reactive``: a level with its name."""
        return f"{level} {translate(self.rubric.scale[int(level) - 1].name, lang)}"


def _expand(answers: Sequence[str | Path]) -> list[str | Path]:
    files: list[str | Path] = []
    for entry in answers:
        text = str(entry)
        if any(ch in text for ch in "*?["):
            found = sorted(glob.glob(text))
            if not found:
                raise ParameterError(f"no answer file matches {text!r}")
            files.extend(found)
        else:
            files.append(entry)
    if not files:
        raise ParameterError("give at least one answers file")
    return files


def prepare(
    *,
    rubric: str | Path = "social-media",
    answers: Sequence[str | Path] = (),
    clients: str | Path | None = None,
    targets: str | Path | None = None,
) -> TuningSession:
    """Load and score the portfolio once; every widget works from the result.

    Parameters
    ----------
    rubric
        Built-in rubric name or a rubric YAML path.
    answers
        Answer files, as for ``maturity score``; an entry with ``*``, ``?`` or ``[`` is a glob
        pattern (``../data/samples/answers*.csv``), expanded in sorted order.
    clients, targets
        Input files, as for ``maturity score``.
    """
    files = _expand(answers)
    rub = load_rubric(rubric)
    data = load_inputs(list(files), rub, clients=clients, targets=targets)
    result = score(rub, data.answers, clients=data.clients, targets=data.targets)
    names: dict[str, str] = {}
    if data.clients is not None and "name" in data.clients:
        names = {
            str(k): str(v)
            for k, v in zip(data.clients["client_id"], data.clients["name"], strict=True)
            if isinstance(v, str) and v.strip()
        }
    return TuningSession(
        rubric=rub, result=result, portfolio=Portfolio.from_result(result), names=names
    )


def figure(ax: Any) -> Image:
    """A chart's figure as a PNG for display (charts never go through pyplot)."""
    return Image(data=charts.figure_to_png_bytes(ax.figure, dpi=110), format="png")


#: Arabic pages: every HTML block and table of a ``tuning-rtl`` panel reads right to left.
RTL_STYLE = (
    "<style>.tuning-rtl .widget-html-content, .tuning-rtl table, .tuning-rtl p, "
    ".tuning-rtl li {direction: rtl; text-align: right; unicode-bidi: isolate}"
    # The comparison grid's row names in its first column: on the right in Arabic.
    " .tuning-rtl .widget-gridbox {direction: rtl}</style>"
)


def right_to_left(widget: Any, lang: str) -> Any:
    """Mark a panel right to left when ``lang`` is Arabic (its HTML and tables); returns it."""
    import ipywidgets as widgets  # local: the session itself needs no widgets

    if lang == "ar":
        widget.add_class("tuning-rtl")
        widget.children = (widgets.HTML(RTL_STYLE), *widget.children)
    return widget


def reading_row(children: Sequence[Any], lang: str, **layout: Any) -> Any:
    """A row of widgets in reading order: the first child on the right in Arabic.

    A slider row is ``[name, slider, effective weight]``; in Arabic the name belongs on the
    right, where the eye starts.  ``direction: rtl`` on the page does not reorder a flex row
    of widgets, so the row itself is reversed (``flex-flow: row-reverse``, which also packs it
    against the right edge).

    Parameters
    ----------
    children
        The widgets, in the order they are read.
    lang
        ``"ar"`` reverses the row; other languages keep it left to right.
    **layout
        Further :class:`ipywidgets.Layout` properties.
    """
    import ipywidgets as widgets  # local: the session itself needs no widgets

    flow = "row-reverse" if lang == "ar" else "row"
    return widgets.HBox(list(children), layout=widgets.Layout(flex_flow=flow, **layout))


def error_html(exc: BaseException, lang: str = "en") -> str:
    """An error as the page shows it: in red, escaped, never only in a log console."""
    message = label("tuning.error", lang, message=str(exc))
    return f"<div class='tuning-error' style='color:#B8430A'><b>{esc(message)}</b></div>"


def _bdi(text: str) -> str:
    return f"<bdi>{esc(text)}</bdi>"


def styled_table(
    table: pd.DataFrame, session: TuningSession | None = None, lang: str = "en"
) -> str:
    """HTML of a :func:`~assessment.weights.sensitivity.compare_weights` table.

    Client names and level names when a session is given (ids otherwise), one decimal for
    indices and two for changes, rows whose level or rank changed shaded, rises green and
    falls red.
    """
    view = table.drop(columns=["changed"]).copy()
    if session is not None:
        view["client_id"] = [_bdi(session.client_name(c)) for c in view["client_id"]]
        for col in ("level_baseline", "level"):
            view[col] = [esc(session.level_name(v, lang)) for v in view[col]]
    else:
        view["client_id"] = [_bdi(c) for c in view["client_id"]]
    headers = {
        "client_id": label("client", lang),
        "index_baseline": label("tuning.col.index_before", lang),
        "index": label("tuning.col.index_after", lang),
        "delta": label("tuning.col.delta", lang),
        "level_baseline": label("tuning.col.level_before", lang),
        "level": label("tuning.col.level_after", lang),
        "rank_baseline": label("tuning.col.rank_before", lang),
        "rank": label("tuning.col.rank_after", lang),
        "rank_change": label("tuning.col.rank_change", lang),
    }

    def shade(row: pd.Series) -> list[str]:
        on = bool(table.loc[row.name, "changed"])
        return ["background-color: #FFF4CC" if on else ""] * len(row)

    def sign(v: float) -> str:
        if pd.isna(v) or abs(v) < 1e-9:
            return ""
        return "color: #007A52; font-weight: bold" if v > 0 else "color: #B8430A; font-weight: bold"

    # One .format() call: a second one would reset the columns of the first to 6 decimals.
    styler = (
        view.style.apply(shade, axis=1)
        .map(sign, subset=["delta", "rank_change"])
        .format(
            {
                "index_baseline": "{:.1f}",
                "index": "{:.1f}",
                "delta": "{:+.2f}",
                "rank_baseline": "{:d}",
                "rank": "{:d}",
                "rank_change": lambda v: f"{v:+d}" if v else "0",
            },
            escape=None,
        )
        .relabel_index([esc(headers.get(c, c)) for c in view.columns], axis=1)
        .hide(axis="index")
    )
    return styler.to_html()
