"""Formulas of computed indicators: functions of an assessment's facts, registered by name.

A rubric declares a computed indicator as ``formula: {function: NAME, inputs: {...}}``; the
engine looks ``NAME`` up in :data:`registry` and calls it with one array per input (the
assessments' values of a fact, or a constant broadcast), getting one value per assessment, which
the indicator's thresholds turn into a level like a measured value.  A value of NaN means the
facts were not given: the indicator is then unanswered.

Register another formula with :meth:`FormulaRegistry.register`; rubrics of other domains name
their own.  Nothing here knows about social media except the formula this package ships:
:func:`care_capacity_ratio`, the staffing model as an indicator.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Mapping

import numpy as np

from assessment.exceptions import ParameterError, RubricError
from assessment.scoring.erlang import required_agents, traffic_intensity
from assessment.scoring.staffing import fte_required

__all__ = ["FormulaRegistry", "care_capacity_ratio", "registry"]

Formula = Callable[..., np.ndarray]


class FormulaRegistry:
    """Formula functions by name."""

    def __init__(self) -> None:
        self._formulas: dict[str, Formula] = {}

    def register(self, name: str, function: Formula) -> Formula:
        """Make ``function`` available to rubrics as ``name``; returns it (usable as decorator)."""
        self._formulas[name] = function
        return function

    def names(self) -> list[str]:
        """The registered names."""
        return sorted(self._formulas)

    def get(self, name: str) -> Formula:
        """The formula ``name``.

        Raises
        ------
        RubricError
            For a name nobody registered.
        """
        if name not in self._formulas:
            raise RubricError(
                f"unknown formula {name!r}; the formulas are {', '.join(self.names()) or 'none'}"
            )
        return self._formulas[name]

    def check(self, name: str, inputs: Mapping[str, object]) -> list[str]:
        """Problems with calling ``name`` with these input names (unknown name, missing or
        unexpected parameters), for ``maturity rubric lint`` and the engine."""
        try:
            function = self.get(name)
        except RubricError as exc:
            return [str(exc)]
        params = inspect.signature(function).parameters
        required = {p for p, v in params.items() if v.default is inspect.Parameter.empty}
        problems = [f"formula {name!r} needs input {p!r}" for p in sorted(required - set(inputs))]
        problems += [
            f"formula {name!r} has no input {p!r} (it takes {', '.join(params)})"
            for p in sorted(set(inputs) - set(params))
        ]
        return problems


#: The formulas rubrics can name.
registry = FormulaRegistry()


def _one_desk(
    messages_per_day: float,
    coverage_hours_per_week: float,
    languages: float,
    answer_within_minutes: float,
    aht_minutes: float,
    service_level: float,
    shrinkage: float,
    hours_per_fte_week: float,
) -> float:
    """FTE one client's care desk needs; NaN when a fact is missing or out of range."""
    values = (messages_per_day, coverage_hours_per_week, languages, answer_within_minutes)
    if any(not math.isfinite(v) for v in values) or coverage_hours_per_week <= 0:
        return math.nan
    queues = max(1, round(languages))
    # Messages arrive over the covered hours (a message sent at night waits for the morning
    # and counts in the morning's load), split evenly over one queue per language.
    per_hour = messages_per_day * 7 / coverage_hours_per_week / queues
    try:
        traffic = traffic_intensity(per_hour, aht_minutes)
        agents = required_agents(
            traffic, aht_minutes, answer_within_minutes, service_level, min_agents=1
        )
        per_queue = fte_required(
            agents,
            coverage_hours_per_week,
            hours_per_fte_week=hours_per_fte_week,
            shrinkage=shrinkage,
        )
    except ParameterError:  # beyond what the model can staff: no meaningful ratio
        return math.nan
    return queues * per_queue


def care_capacity_ratio(
    messages_per_day: np.ndarray,
    coverage_hours_per_week: np.ndarray,
    languages: np.ndarray,
    answer_within_minutes: np.ndarray,
    current_fte: np.ndarray,
    aht_minutes: float | np.ndarray = 6.0,
    service_level: float | np.ndarray = 0.8,
    shrinkage: float | np.ndarray = 0.3,
    hours_per_fte_week: float | np.ndarray = 40.0,
) -> np.ndarray:
    """The FTE a client's care desk has, as a share of the FTE its promise needs.

    The need is the Erlang C staffing model (:mod:`assessment.scoring.staffing`): messages per
    day spread over the covered hours, one queue per language, enough agents on duty to answer
    ``service_level`` of them within ``answer_within_minutes`` at ``aht_minutes`` each, turned
    into FTE with ``shrinkage`` and ``hours_per_fte_week``.  1.0 means the team matches its
    promise; 0.25 that it has a quarter of the people it needs.

    Parameters
    ----------
    messages_per_day, coverage_hours_per_week, languages, answer_within_minutes, current_fte
        One value per assessment (NaN where the fact was not given).
    aht_minutes, service_level, shrinkage, hours_per_fte_week
        Constants of the model (or one value per assessment).

    Returns
    -------
    numpy.ndarray
        The ratio per assessment; NaN where a fact is missing.  A need of zero (no messages)
        gives NaN too: there is nothing to staff, so the ratio says nothing.

    Examples
    --------
    >>> float(care_capacity_ratio([100.0], [168.0], [1.0], [60.0], [2.0])[0]) > 0
    True
    """
    args = np.broadcast_arrays(
        *(
            np.asarray(a, dtype=float)
            for a in (
                messages_per_day,
                coverage_hours_per_week,
                languages,
                answer_within_minutes,
                current_fte,
                aht_minutes,
                service_level,
                shrinkage,
                hours_per_fte_week,
            )
        )
    )
    need = np.array(
        [
            _one_desk(m, c, lang, t, aht, sl, sh, h) if m > 0 else math.nan
            for m, c, lang, t, _, aht, sl, sh, h in zip(*(a.ravel() for a in args), strict=True)
        ]
    ).reshape(args[0].shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(need > 0, args[4] / need, np.nan)


registry.register("care_capacity_ratio", care_capacity_ratio)
