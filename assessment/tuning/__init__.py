"""Interactive weight tuning for the ``weight_tuning`` notebook: a thin shell over pure functions.

Everything computed here comes from :mod:`assessment.weights` (AHP, variants) and
:mod:`assessment.weights.sensitivity` (index, levels and ranks under other weights, Monte
Carlo); the classes only hold widgets, call those functions from callbacks and render into an
:class:`ipywidgets.Output`.  Each class exposes its state (``weights``, ``table()``,
``result()``) and its handlers as methods, so tests drive it without a browser: construct it,
set widget values, and read the state.

* :class:`WeightTuner` -- one slider per dimension weight (normalised live, the sum shown), a
  table of every client's index, level and rank against the baseline with changes
  highlighted, and a button that saves the weights as a rubric variant;
* :class:`AHPGrid` -- a pairwise-comparison entry grid (upper triangle, Saaty's scale) with the
  live consistency ratio (red at >= 0.10); it can push its weights into a tuner;
* :class:`SensitivityPanel` -- the Monte Carlo charts (level probability, rank stability,
  tornado) around the tuner's current weights, re-run with a button.

The widgets draw charts, so this package sits above :mod:`assessment.charts` (beside the
workshop), not inside :mod:`assessment.weights`, which stays free of widgets.

May import: :mod:`assessment.charts`, :mod:`assessment.weights`, :mod:`assessment.scoring`,
:mod:`assessment.inputs`, :mod:`assessment.rubric`, :mod:`assessment.exceptions`.
"""

from __future__ import annotations

import glob
import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
from IPython.display import HTML, Image, display

from assessment import charts
from assessment.exceptions import AssessmentError, ParameterError
from assessment.inputs import load_inputs
from assessment.rubric import Rubric, load_rubric, translate
from assessment.scoring import ScoreResult, score
from assessment.weights import (
    CR_THRESHOLD,
    SAATY_VALUES,
    AHPResult,
    ahp,
    combine_judgements,
    matrix_from_judgements,
    read_matrix,
    save_variant,
)
from assessment.weights.sensitivity import (
    Portfolio,
    SensitivityResult,
    compare_weights,
    normalise_weights,
    one_at_a_time,
    simulate,
)

__all__ = [
    "AHPGrid",
    "SensitivityPanel",
    "TuningSession",
    "WeightTuner",
    "figure",
    "prepare",
    "styled_table",
]


@dataclass(frozen=True)
class TuningSession:
    """What the notebook tunes: the rubric, the scored portfolio and its dense view."""

    rubric: Rubric
    result: ScoreResult
    portfolio: Portfolio


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
    answers = files
    rub = load_rubric(rubric)
    data = load_inputs(list(answers), rub, clients=clients, targets=targets)
    result = score(rub, data.answers, clients=data.clients, targets=data.targets)
    return TuningSession(rubric=rub, result=result, portfolio=Portfolio.from_result(result))


def figure(ax: Any) -> Image:
    """A chart's figure as a PNG for display (charts never go through pyplot)."""
    return Image(data=charts.figure_to_png_bytes(ax.figure, dpi=110), format="png")


def styled_table(table: pd.DataFrame) -> str:
    """HTML of a :func:`~assessment.sensitivity.compare_weights` table, changes highlighted.

    Rows whose level or rank changed are shaded; rises are green and falls red in the
    ``delta`` and ``rank_change`` columns.
    """
    view = table.drop(columns=["changed"])

    def shade(row: pd.Series) -> list[str]:
        on = bool(table.loc[row.name, "changed"])
        return ["background-color: #FFF4CC" if on else ""] * len(row)

    def sign(v: float) -> str:
        if pd.isna(v) or abs(v) < 1e-9:
            return ""
        return "color: #007A52; font-weight: bold" if v > 0 else "color: #B8430A; font-weight: bold"

    styler = (
        view.style.apply(shade, axis=1)
        .map(sign, subset=["delta", "rank_change"])
        .format({"index_baseline": "{:.1f}", "index": "{:.1f}", "delta": "{:+.2f}"})
        .format({"rank_change": "{:+d}"})
        .hide(axis="index")
    )
    return styler.to_html()


# -- sliders -----------------------------------------------------------------------------------


class WeightTuner:
    """Sliders per dimension weight and a live table of the portfolio under those weights.

    Parameters
    ----------
    session
        From :func:`prepare`.
    variant_path
        Default file for :meth:`save` (the text box can change it).
    note
        Default analyst's note for the variant.
    lang
        Language of the dimension names.

    Attributes
    ----------
    sliders
        Dimension id -> :class:`ipywidgets.FloatSlider` (raw, un-normalised weights).
    total, normalised
        Labels showing the sum of the raw weights and the normalised weights.
    output
        Where the table is rendered.
    widget
        The whole panel, for ``display``.
    """

    def __init__(
        self,
        session: TuningSession,
        *,
        variant_path: str | Path = "",
        note: str = "",
        lang: str = "en",
    ) -> None:
        self.session = session
        rubric = session.rubric
        self.sliders: dict[str, widgets.FloatSlider] = {
            d.id: widgets.FloatSlider(
                value=d.weight,
                min=0.0,
                max=1.0,
                step=0.005,
                readout_format=".3f",
                description=d.id,
                tooltip=translate(d.name, lang),
                continuous_update=False,
                layout=widgets.Layout(width="420px"),
            )
            for d in rubric.dimensions
        }
        self.total = widgets.HTML()
        self.normalised = widgets.HTML()
        self.output = widgets.Output()
        self.path = widgets.Text(value=str(variant_path), description="Save to")
        self.note = widgets.Text(value=note, description="Note")
        self.save_button = widgets.Button(description="Save variant", icon="save")
        self.reset_button = widgets.Button(description="Reset to rubric")
        self.status = widgets.HTML()
        self._listeners: list[Any] = []
        self._muted = False
        for slider in self.sliders.values():
            slider.observe(self.on_change, names="value")
        self.save_button.on_click(self.on_save)
        self.reset_button.on_click(self.on_reset)
        self.widget = widgets.VBox(
            [
                widgets.HBox(
                    [widgets.VBox(list(self.sliders.values())), self.normalised],
                ),
                self.total,
                widgets.HBox([self.reset_button]),
                self.output,
                widgets.HBox([self.path, self.note, self.save_button]),
                self.status,
            ]
        )
        self.refresh()

    # state --------------------------------------------------------------------------------

    @property
    def raw(self) -> pd.Series:
        """The slider values as set (they need not sum to 1)."""
        return pd.Series({k: s.value for k, s in self.sliders.items()}, dtype=float)

    @property
    def weights(self) -> pd.Series:
        """The slider values normalised to sum 1."""
        return normalise_weights(self.raw.to_dict(), list(self.sliders))

    def table(self) -> pd.DataFrame:
        """Every client's index, level and rank under the current weights vs the baseline."""
        return compare_weights(self.session.portfolio, self.weights.to_dict())

    def set_weights(self, weights: Mapping[str, float]) -> None:
        """Move the sliders to ``weights`` (normalised) and refresh once."""
        w = normalise_weights(dict(weights), list(self.sliders))
        self._muted = True
        try:
            for k, v in w.items():
                self.sliders[k].value = float(v)
        finally:
            self._muted = False
        self.refresh()

    def observe(self, callback: Any) -> None:
        """Call ``callback(tuner)`` after every refresh (the sensitivity panel listens)."""
        self._listeners.append(callback)

    # handlers -----------------------------------------------------------------------------

    def on_change(self, change: Any = None) -> None:
        """Slider moved: recompute and re-render (skipped while :meth:`set_weights` runs)."""
        if not self._muted:
            self.refresh()

    def on_reset(self, _button: Any = None) -> None:
        """Back to the rubric's weights."""
        self.set_weights({d.id: d.weight for d in self.session.rubric.dimensions})

    def on_save(self, _button: Any = None) -> None:
        """Save button: write the variant, report where (or the error) in ``status``."""
        try:
            variant = self.save()
        except AssessmentError as exc:
            self.status.value = f"<span style='color:#B8430A'>{html.escape(str(exc))}</span>"
        else:
            self.status.value = (
                f"Saved {html.escape(variant.id)} {html.escape(variant.version)} to "
                f"<code>{html.escape(self.path.value)}</code>"
            )

    def save(self, path: str | Path | None = None, note: str | None = None) -> Rubric:
        """Save the current weights as a rubric variant (see :func:`weights.save_variant`)."""
        target = str(path if path is not None else self.path.value).strip()
        if not target:
            raise ParameterError("give a file name to save the variant to")
        text = self.note.value if note is None else note
        return save_variant(self.session.rubric, self.weights.to_dict(), target, note=text or None)

    def refresh(self) -> None:
        """Recompute the normalised weights and the table; render them."""
        try:
            w = self.weights
        except ParameterError as exc:
            self.total.value = f"<span style='color:#B8430A'>{html.escape(str(exc))}</span>"
            return
        raw_sum = self.raw.sum()
        self.total.value = f"Sum of the sliders: <b>{raw_sum:.3f}</b> (weights are normalised to 1)"
        self.normalised.value = "<br>".join(
            f"{html.escape(k)}: <b>{v:.3f}</b>" for k, v in w.items()
        )
        table = self.table()
        self.last_table = table
        with self.output:
            self.output.clear_output(wait=True)
            display(HTML(styled_table(table)))
        for callback in self._listeners:
            callback(self)

    def _ipython_display_(self) -> None:
        display(self.widget)


# -- AHP grid ----------------------------------------------------------------------------------


def _saaty_label(value: float) -> str:
    return str(round(value)) if value >= 1 else f"1/{round(1 / value)}"


_OPTIONS = [(_saaty_label(v), float(v)) for v in reversed(SAATY_VALUES)]


class AHPGrid:
    """A pairwise comparison grid with live weights and consistency ratio.

    Each cell above the diagonal asks "how much more important is the row than the column?"
    on Saaty's scale (9 .. 1 .. 1/9); the mirror cell is its reciprocal.

    Parameters
    ----------
    ids
        The items compared (dimension ids).
    initial
        A starting matrix (e.g. from :func:`weights.read_matrix`); default all 1.
    tuner
        A :class:`WeightTuner` the "Use these weights" button updates.
    """

    def __init__(
        self,
        ids: Sequence[str],
        *,
        initial: pd.DataFrame | None = None,
        tuner: WeightTuner | None = None,
    ) -> None:
        self.ids = list(ids)
        self.tuner = tuner
        self.cells: dict[tuple[str, str], widgets.Dropdown] = {}
        n = len(self.ids)
        items: list[widgets.Widget] = [widgets.Label("")]
        items += [widgets.Label(i) for i in self.ids]
        for r, row in enumerate(self.ids):
            items.append(widgets.Label(row))
            for c, col in enumerate(self.ids):
                if c <= r:
                    items.append(widgets.Label("1" if c == r else ""))
                    continue
                cell = widgets.Dropdown(
                    options=_OPTIONS, value=1.0, layout=widgets.Layout(width="64px")
                )
                cell.observe(self.on_change, names="value")
                self.cells[(row, col)] = cell
                items.append(cell)
        self.grid = widgets.GridBox(
            items,
            layout=widgets.Layout(grid_template_columns=f"110px repeat({n}, 70px)"),
        )
        self.consistency = widgets.HTML()
        self.output = widgets.Output()
        self.apply_button = widgets.Button(description="Use these weights")
        self.apply_button.on_click(self.on_apply)
        self.widget = widgets.VBox([self.grid, self.consistency, self.output, self.apply_button])
        self._muted = False
        if initial is not None:
            self.set_matrix(initial)
        else:
            self.refresh()

    @classmethod
    def for_rubric(
        cls,
        rubric: Rubric,
        *,
        matrices: Sequence[str | Path] = (),
        tuner: WeightTuner | None = None,
    ) -> AHPGrid:
        """A grid over the rubric's dimensions, pre-filled from matrix CSVs (geometric mean)."""
        ids = [d.id for d in rubric.dimensions]
        initial = None
        if matrices:
            mats = [read_matrix(m, known_ids=ids) for m in matrices]
            initial = combine_judgements(mats, sources=[str(m) for m in matrices])
            missing = sorted(set(ids) - set(initial.index))
            if missing:
                raise ParameterError(f"the matrices do not compare dimensions {missing}")
        return cls(ids, initial=initial, tuner=tuner)

    # state --------------------------------------------------------------------------------

    @property
    def matrix(self) -> pd.DataFrame:
        """The full reciprocal matrix of the grid's judgements."""
        return matrix_from_judgements(self.ids, {k: c.value for k, c in self.cells.items()})

    def result(self) -> AHPResult:
        """AHP weights, lambda_max, CI and CR of the grid."""
        return ahp(self.matrix, source="AHP grid")

    def set(self, row: str, column: str, value: float) -> None:
        """Set one judgement (the nearest scale value); the mirror pair is accepted too."""
        if (row, column) not in self.cells:
            if (column, row) not in self.cells:
                raise ParameterError(f"no judgement cell for {row!r} vs {column!r}")
            row, column, value = column, row, 1.0 / value
        self.cells[(row, column)].value = _nearest(value)

    def set_matrix(self, matrix: pd.DataFrame) -> None:
        """Fill every cell from a matrix (values snapped to the scale), refresh once."""
        self._muted = True
        try:
            for (r, c), cell in self.cells.items():
                cell.value = _nearest(float(matrix.loc[r, c]))
        finally:
            self._muted = False
        self.refresh()

    # handlers -----------------------------------------------------------------------------

    def on_change(self, change: Any = None) -> None:
        """A judgement changed: recompute weights and CR."""
        if not self._muted:
            self.refresh()

    def on_apply(self, _button: Any = None) -> None:
        """Push the AHP weights into the tuner's sliders."""
        if self.tuner is not None:
            self.tuner.set_weights(self.result().weights.to_dict())

    def refresh(self) -> None:
        """Render the weights and the consistency ratio (red at >= 0.10)."""
        res = self.result()
        colour = "#007A52" if res.consistent else "#C00000"
        worst = res.most_inconsistent
        hint = ""
        if worst is not None and not res.consistent:
            hint = (
                f"; most inconsistent: {html.escape(worst[0])} vs {html.escape(worst[1])} "
                f"(judged {_saaty_label(_nearest(worst[2]))}, weights imply {worst[3]:.2f})"
            )
        self.consistency.value = (
            f"<span style='color:{colour}'><b>CR = {res.cr:.3f}</b></span> "
            f"(λmax = {res.lambda_max:.3f}, CI = {res.ci:.3f}; flagged at ≥ {CR_THRESHOLD:.2f})"
            f"{hint}"
        )
        self.last = res
        with self.output:
            self.output.clear_output(wait=True)
            display(res.weights.round(4).to_frame())

    def _ipython_display_(self) -> None:
        display(self.widget)


def _nearest(value: float) -> float:
    scale = np.array([v for _, v in _OPTIONS])
    return float(scale[np.abs(np.log(scale) - np.log(value)).argmin()])


# -- sensitivity -------------------------------------------------------------------------------


class SensitivityPanel:
    """Monte Carlo charts around the tuner's current weights, re-run with a button.

    Parameters
    ----------
    session
        From :func:`prepare`.
    tuner
        Centre the draws on its weights (default: the rubric's).
    draws, concentration, seed
        As for :func:`assessment.sensitivity.simulate`.
    step
        One-at-a-time change for the tornado (0.2 = +/- 20 %).
    client_id
        Client of the tornado (``None``: mean over clients).
    """

    def __init__(
        self,
        session: TuningSession,
        *,
        tuner: WeightTuner | None = None,
        draws: int = 500,
        concentration: float = 100.0,
        seed: int = 12345,
        step: float = 0.2,
        client_id: str | None = None,
    ) -> None:
        self.session = session
        self.tuner = tuner
        self.draws = draws
        self.concentration = concentration
        self.seed = seed
        self.step = step
        self.client_id = client_id
        self.output = widgets.Output()
        self.run_button = widgets.Button(description="Re-run with current weights")
        self.run_button.on_click(self.on_run)
        self.widget = widgets.VBox([self.run_button, self.output])
        self.run()

    def portfolio(self) -> Portfolio:
        """The portfolio with the tuner's weights as the baseline."""
        p = self.session.portfolio
        if self.tuner is None:
            return p
        w = self.tuner.weights.reindex(list(p.dimension_ids)).to_numpy(dtype=float)
        return replace(p, weights=w)

    def run(self) -> SensitivityResult:
        """Simulate, then render the summary and the three charts."""
        p = self.portfolio()
        self.result = simulate(
            p, draws=self.draws, concentration=self.concentration, seed=self.seed
        )
        self.oat = one_at_a_time(p, step=self.step)
        rubric = self.session.rubric
        with self.output:
            self.output.clear_output(wait=True)
            print(self.result.to_text())
            display(figure(charts.level_probability(self.result, rubric=rubric)))
            display(figure(charts.rank_stability(self.result)))
            display(figure(charts.tornado(self.oat, client_id=self.client_id, rubric=rubric)))
        return self.result

    def on_run(self, _button: Any = None) -> None:
        """Button handler: :meth:`run`."""
        self.run()

    def _ipython_display_(self) -> None:
        display(self.widget)
