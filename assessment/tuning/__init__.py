"""Interactive weight tuning for the ``weight_tuning`` notebook: a thin shell over pure functions.

Everything computed here comes from :mod:`assessment.weights` (AHP, group AHP, variants,
influence) and :mod:`assessment.weights.sensitivity`; the classes only hold widgets, call those
functions from callbacks and render HTML.  Each class exposes its state and its handlers as
methods, so tests drive it without a browser: construct it, set widget values, read the state.

* :class:`~assessment.tuning.tuner.WeightTuner` -- one slider per dimension weight on a scale
  that fits the weights, the effective (renormalised) weight beside each, a table of every
  client's index, level and rank against the rubric (names, level names, changes
  highlighted), undo/redo, and a button that saves the weights as a variant with its source;
* :class:`~assessment.tuning.grid.AHPGrid` -- a pairwise-comparison grid that starts at the
  current weights, keeps judgements exactly as typed (no rounding to the scale), shows every
  expert's CR, and saves and loads judgements as CSV;
* :class:`~assessment.tuning.panel.SensitivityPanel` -- Monte Carlo, influence by mean
  absolute change, rank reversals and break-even around the tuner's weights; it states the
  weights it is centred on and marks itself stale when they change.

The widgets draw charts, so this package sits above :mod:`assessment.charts` (beside the
workshop), not inside :mod:`assessment.weights`, which stays free of widgets.

May import: :mod:`assessment.report` (HTML escaping), :mod:`assessment.charts`,
:mod:`assessment.weights`, :mod:`assessment.scoring`, :mod:`assessment.inputs`,
:mod:`assessment.rubric`, :mod:`assessment.text`, :mod:`assessment.files`,
:mod:`assessment.exceptions`.
"""

from __future__ import annotations

from assessment.tuning.grid import AHPGrid
from assessment.tuning.history import History
from assessment.tuning.panel import SensitivityPanel
from assessment.tuning.session import TuningSession, error_html, figure, prepare, styled_table
from assessment.tuning.tuner import WeightTuner, slider_max

__all__ = [
    "AHPGrid",
    "History",
    "SensitivityPanel",
    "TuningSession",
    "WeightTuner",
    "error_html",
    "figure",
    "prepare",
    "slider_max",
    "styled_table",
]
