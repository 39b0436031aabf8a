"""The resourcing model "in numbers": how many people a social-media care desk needs.

The maturity rubric says many organisations still staff social media "like it's 2007": one
part-time person posting between other duties.  This module turns that claim into arithmetic.
Given the inbound message volume, how long a message takes to handle and how fast the
organisation promises to answer, it computes how many people must be *on duty* (Erlang C) and
how many full-time equivalents (FTE) that takes once hours of coverage and shrinkage are counted.

Agents on duty
--------------
:mod:`assessment.scoring.erlang` holds the queueing model (an M/M/N queue, Erlang C) and its
formulas: the workload ``A = λ · AHT`` in Erlangs, the probability of waiting, the service
level ``SL = 1 − C · exp(−(N − A) · T / AHT)`` and the smallest number of agents ``N`` that
meets the target, never fewer than ``min_agents`` (a channel that is offered needs someone
watching it even when no message arrives).  Its functions are re-exported here.

From agents on duty to FTE
--------------------------
::

    FTE = N · coverage_hours_per_week / (hours_per_fte_week · (1 − shrinkage))

``coverage_hours_per_week`` comes from the coverage option (:data:`COVERAGE_OPTIONS`: business
hours, extended hours or 24x7); ``shrinkage`` is the fraction of paid time not available for
answering messages (breaks, meetings, training, leave, sickness; 30 % is the usual planning
figure).  FTE is kept as a float; round it only for display.

Assumptions and their direction
-------------------------------
* Poisson arrivals at a constant rate over the covered hours.  Real traffic peaks (campaigns,
  outages, evenings); a constant rate *understates* the staff needed at the peak, so run the
  model for the busiest hour when it is known.
* Exponentially distributed handle times, one message per agent at a time, first come first
  served, a single skill.
* No abandonment and no retries.  Phone callers hang up; social-media messages are
  asynchronous and wait in the inbox, so this is closer to the truth for social media than for
  phones.  But agents on chat-like queues usually work several conversations at once, and
  customers do not "hold" while waiting, so for social media Erlang C is *conservative*: it
  errs towards more staff, never fewer.  It is a planning floor for a serious service
  promise, not a rostering tool.
* ``messages_per_day`` counts the messages that arrive on a covered day and spreads them evenly
  over that day's covered hours (9, 12 or 24 hours, see :data:`COVERAGE_OPTIONS`).  The same
  daily volume is therefore a *higher* hourly rate under business hours than under 24x7.
  Messages that arrive overnight and wait for the morning are not modelled separately.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import pandas as pd

from assessment.exceptions import ParameterError
from assessment.scoring.erlang import (
    MAX_AGENTS_ON_DUTY,
    _min_agents,
    _non_negative,
    _number,
    _positive,
    _target_fraction,
    _too_many_agents_message,
    average_speed_of_answer,
    erlang_b,
    erlang_c,
    occupancy,
    required_agents,
    service_level,
    traffic_intensity,
)

# The Erlang functions are re-exported: callers import the whole model from this module.
__all__ = [
    "COVERAGE_OPTIONS",
    "DEFAULT_HOURS_PER_FTE_WEEK",
    "DEFAULT_SHRINKAGE",
    "MAX_AGENTS_ON_DUTY",
    "TABLE_COLUMNS",
    "CoverageOption",
    "StaffingResult",
    "average_speed_of_answer",
    "erlang_b",
    "erlang_c",
    "fte_required",
    "occupancy",
    "plan_staffing",
    "required_agents",
    "service_level",
    "staffing_table",
    "traffic_intensity",
]


@dataclass(frozen=True, slots=True)
class CoverageOption:
    """Hours during which the channel is staffed and replies are promised.

    Attributes
    ----------
    name
        Key in :data:`COVERAGE_OPTIONS`.
    label
        Short human-readable description.
    hours_per_day
        Covered hours on a covered day.
    days_per_week
        Covered days per week.
    """

    name: str
    label: str
    hours_per_day: float
    days_per_week: int

    @property
    def hours_per_week(self) -> float:
        """Covered hours per week (``hours_per_day × days_per_week``)."""
        return self.hours_per_day * self.days_per_week


#: The coverage options the report compares.  Business hours (9 h on 5 weekdays = 45 h/week) is
#: the "2007" default; extended hours (12 h every day = 84 h/week) covers evenings and weekends
#: when consumers are actually online; 24x7 (168 h/week) is what "always on" brands promise.
COVERAGE_OPTIONS: Mapping[str, CoverageOption] = MappingProxyType(
    {
        "business": CoverageOption("business", "business hours on weekdays", 9.0, 5),
        "extended": CoverageOption("extended", "extended hours every day", 12.0, 7),
        "24x7": CoverageOption("24x7", "round-the-clock coverage", 24.0, 7),
    }
)

#: Fraction of paid time not available for answering (breaks, training, leave, sickness).
DEFAULT_SHRINKAGE = 0.3
#: Contracted hours of one full-time equivalent.
DEFAULT_HOURS_PER_FTE_WEEK = 40.0


def _shrinkage(value: Any) -> float:
    expectation = "a fraction >= 0 and < 1 (e.g. 0.3 for 30% of paid time unavailable)"
    result = _number("shrinkage", value, expectation)
    if not 0.0 <= result < 1.0:
        hint = f" (did you mean {result / 100:g}?)" if 1.0 <= result < 100.0 else ""
        raise ParameterError(f"shrinkage must be {expectation}; got {value!r}{hint}")
    return result


def _coverage(value: Any) -> CoverageOption:
    key = value.strip().lower() if isinstance(value, str) else value
    if not isinstance(key, str) or key not in COVERAGE_OPTIONS:
        known = ", ".join(repr(k) for k in COVERAGE_OPTIONS)
        raise ParameterError(f"coverage must be one of {known}; got {value!r}")
    return COVERAGE_OPTIONS[key]


def _hours_per_fte_week(value: Any) -> float:
    result = _positive("hours_per_fte_week", value, "contracted hours per week")
    if result > 168:
        raise ParameterError(
            f"hours_per_fte_week must be a number > 0 and <= 168 (hours in a week); got {value!r}"
        )
    return result


# plan_staffing's keyword ``service_level`` (the target, named as the CLI option) shadows this
# function inside its body; the private alias keeps both public names natural.
_service_level = service_level


def fte_required(
    agents_on_duty: float,
    coverage_hours_per_week: float,
    *,
    hours_per_fte_week: float = DEFAULT_HOURS_PER_FTE_WEEK,
    shrinkage: float = DEFAULT_SHRINKAGE,
) -> float:
    """Full-time equivalents needed to keep ``agents_on_duty`` staffed for the covered hours.

    ``FTE = agents × coverage_hours_per_week / (hours_per_fte_week × (1 − shrinkage))``.

    Parameters
    ----------
    agents_on_duty
        Agents needed at any covered moment (>= 0).
    coverage_hours_per_week
        Covered hours per week (> 0 and <= 168).
    hours_per_fte_week
        Contracted hours of one FTE (> 0 and <= 168).
    shrinkage
        Fraction of paid time not available for answering (>= 0 and < 1).

    Returns
    -------
    float
        FTE, unrounded.

    Raises
    ------
    ParameterError
        On invalid inputs.
    """
    agents = _non_negative("agents_on_duty", agents_on_duty, "agents")
    hours = _positive("coverage_hours_per_week", coverage_hours_per_week, "hours per week")
    if hours > 168:
        raise ParameterError(
            "coverage_hours_per_week must be a number > 0 and <= 168 (hours in a week); "
            f"got {coverage_hours_per_week!r}"
        )
    contracted = _hours_per_fte_week(hours_per_fte_week)
    available = 1.0 - _shrinkage(shrinkage)
    return agents * hours / (contracted * available)


# --------------------------------------------------------------------------------------------
# The plan
# --------------------------------------------------------------------------------------------


def _json_float(value: float | None) -> float | None:
    # JSON has no Infinity/NaN; None says "not defined" honestly.
    if value is None or not math.isfinite(value):
        return None
    return float(value)


def _format_minutes(minutes: float) -> str:
    if not math.isfinite(minutes):
        return "unbounded"
    if minutes < 1:
        return f"{minutes * 60:.0f} s"
    if minutes < 120:
        return f"{minutes:.3g} min"
    return f"{minutes / 60:.3g} h"


def _format_fte(fte: float) -> str:
    # "1 FTE", "0.5 FTE", "2.25 FTE": two decimals at most, no trailing zeros.
    return f"{fte:.2f}".rstrip("0").rstrip(".")


def _format_percent(fraction: float) -> str:
    # One decimal only where it matters: 80.4% vs 80%, but never "100%" for 0.9996.
    pct = fraction * 100
    if pct >= 99.95 and fraction < 1:
        return ">99.9%"
    return f"{pct:.0f}%" if abs(pct - round(pct)) < 0.05 else f"{pct:.1f}%"


@dataclass(frozen=True, slots=True)
class StaffingResult:
    """Inputs and outputs of one staffing calculation (see :func:`plan_staffing`).

    Attributes
    ----------
    messages_per_hour
        Arrival rate during covered hours used by the model (derived from
        ``messages_per_day`` when that was given).
    messages_per_day
        The daily volume as given, or ``None`` when an hourly rate was given.
    aht_minutes
        Average handle time, minutes.
    answer_within_minutes
        Target answer time ``T``, minutes.
    target_service_level
        Target fraction answered within ``T``.
    shrinkage
        Fraction of paid time not available for answering.
    coverage
        Coverage option key (see :data:`COVERAGE_OPTIONS`).
    coverage_hours_per_week
        Covered hours per week of that option.
    hours_per_fte_week
        Contracted hours of one FTE.
    min_agents
        Floor on agents on duty while the channel is covered.
    traffic_erlangs
        Workload ``A`` in Erlangs.
    agents_for_service_level
        Agents Erlang C alone requires (0 with no traffic).
    agents
        Agents on duty: ``max(agents_for_service_level, min_agents)``.
    service_level
        Service level achieved with ``agents`` (>= the target).
    probability_of_waiting
        Erlang C probability that a message is not picked up at once.
    asa_minutes
        Average speed of answer, minutes.
    occupancy
        Fraction of on-duty time spent handling messages.
    fte
        Full-time equivalents required (unrounded).
    current_fte
        FTE in place today, if given.
    fte_gap
        ``fte − current_fte`` (positive = understaffed), if ``current_fte`` was given.
    staffed_fraction
        ``current_fte / fte``: the share of the requirement in place today, if defined.
    """

    messages_per_hour: float
    messages_per_day: float | None
    aht_minutes: float
    answer_within_minutes: float
    target_service_level: float
    shrinkage: float
    coverage: str
    coverage_hours_per_week: float
    hours_per_fte_week: float
    min_agents: int
    traffic_erlangs: float
    agents_for_service_level: int
    agents: int
    service_level: float
    probability_of_waiting: float
    asa_minutes: float
    occupancy: float
    fte: float
    current_fte: float | None = None
    fte_gap: float | None = None
    staffed_fraction: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return every field as JSON-serialisable values.

        Returns
        -------
        dict
            Field name to ``int``, ``float``, ``str`` or ``None``; non-finite floats become
            ``None``.  Floats are not rounded.
        """
        out: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if isinstance(value, float):
                value = _json_float(value)
            out[name] = value
        return out

    def to_text(self) -> str:
        """Return a short multi-line summary for the terminal.

        Returns
        -------
        str
            What the numbers mean, in plain words; FTE rounded to 2 decimals.
        """
        option = COVERAGE_OPTIONS[self.coverage]
        target = _format_percent(self.target_service_level)
        within = _format_minutes(self.answer_within_minutes)
        if self.messages_per_day is not None:
            volume = (
                f"{self.messages_per_day:g} messages/day over {option.hours_per_day:g} covered "
                f"hours = {self.messages_per_hour:.1f}/hour"
            )
        else:
            volume = f"{self.messages_per_hour:g} messages/hour"
        lines = [
            f"Staffing for {option.label} ({option.hours_per_day:g} h x {option.days_per_week} "
            f"days = {self.coverage_hours_per_week:g} h/week), Erlang C model",
            f"  Workload: {volume} x {self.aht_minutes:g} min each = "
            f"{self.traffic_erlangs:.2f} agents busy on average",
            f"  Target: {target} of messages answered within {within}",
        ]
        agent_word = "agent" if self.agents == 1 else "agents"
        if self.traffic_erlangs == 0:
            lines.append(
                f"  On duty: {self.agents} {agent_word} (no inbound messages; the minimum to "
                "keep the channel watched)"
            )
        else:
            lines.append(
                f"  On duty: {self.agents} {agent_word} at all covered times -> "
                f"{_format_percent(self.service_level)} answered within {within}, "
                f"average wait {_format_minutes(self.asa_minutes)}, "
                f"agents busy {_format_percent(self.occupancy)} of the time"
            )
            if self.agents > self.agents_for_service_level:
                lines.append(
                    f"  ({self.agents_for_service_level} would meet the target; "
                    f"{self.min_agents} is the minimum kept on duty)"
                )
        lines.append(
            f"  FTE needed: {self.fte:.2f} ({self.agents} on duty x "
            f"{self.coverage_hours_per_week:g} h/week / ({self.hours_per_fte_week:g} h per FTE x "
            f"{_format_percent(1 - self.shrinkage)} available after shrinkage))"
        )
        if self.current_fte is not None:
            gap = self.fte_gap if self.fte_gap is not None else 0.0
            if self.staffed_fraction is None:
                current = _format_fte(self.current_fte)
                lines.append(f"  With {current} FTE today you need no additional staff.")
            elif gap > 0.005:
                lines.append(
                    f"  With {_format_fte(self.current_fte)} FTE today you cover "
                    f"{self.staffed_fraction:.0%} of what this service level needs "
                    f"(short by {gap:.2f} FTE)."
                )
            else:
                lines.append(
                    f"  With {_format_fte(self.current_fte)} FTE today you meet this service level "
                    f"({self.staffed_fraction:.0%} of the requirement; {-gap:.2f} FTE spare)."
                )
        return "\n".join(lines)


def _validated_rate(
    messages_per_hour: float | None, messages_per_day: float | None, option: CoverageOption
) -> tuple[float, float | None]:
    if (messages_per_hour is None) == (messages_per_day is None):
        found = "both" if messages_per_hour is not None else "neither"
        raise ParameterError(
            "Give exactly one of messages_per_hour or messages_per_day; got "
            f"{found} (messages_per_hour={messages_per_hour!r}, "
            f"messages_per_day={messages_per_day!r})"
        )
    if messages_per_hour is not None:
        return _non_negative("messages_per_hour", messages_per_hour, "messages per hour"), None
    per_day = _non_negative("messages_per_day", messages_per_day, "messages per covered day")
    return per_day / option.hours_per_day, per_day


def plan_staffing(
    *,
    messages_per_hour: float | None = None,
    messages_per_day: float | None = None,
    aht_minutes: float,
    answer_within_minutes: float,
    service_level: float,
    shrinkage: float = DEFAULT_SHRINKAGE,
    coverage: str = "business",
    hours_per_fte_week: float = DEFAULT_HOURS_PER_FTE_WEEK,
    current_fte: float | None = None,
    min_agents: int = 1,
) -> StaffingResult:
    """Compute agents on duty and FTE needed to answer social-media messages on time.

    Parameters
    ----------
    messages_per_hour
        Inbound messages per covered hour.  Give this or ``messages_per_day``, not both.
    messages_per_day
        Inbound messages per covered day, spread evenly over the coverage option's hours per
        day (so the same daily volume is a higher hourly rate for ``"business"`` than for
        ``"24x7"``).
    aht_minutes
        Average handle time per message, minutes (> 0).
    answer_within_minutes
        Target answer time ``T``, minutes (>= 0; 0 means "picked up at once").
    service_level
        Target fraction answered within ``T``, strictly between 0 and 1 (0.8 = 80%).
    shrinkage
        Fraction of paid time not available for answering, >= 0 and < 1 (default 0.3).
    coverage
        ``"business"``, ``"extended"`` or ``"24x7"`` (see :data:`COVERAGE_OPTIONS`).
    hours_per_fte_week
        Contracted hours of one FTE (default 40).
    current_fte
        FTE working on social-media care today (>= 0), to compute the gap.
    min_agents
        Agents kept on duty whenever the channel is covered, however quiet (default 1;
        0 models workload only).

    Returns
    -------
    StaffingResult
        Inputs, agents on duty, achieved service level, ASA, occupancy, FTE and gap.

    Raises
    ------
    ParameterError
        When an input is missing, out of range or of the wrong type (the message names the
        parameter, the expectation and the value found), or when the workload would need
        more than :data:`MAX_AGENTS_ON_DUTY` agents on duty.

    Examples
    --------
    >>> r = plan_staffing(messages_per_hour=200, aht_minutes=3, answer_within_minutes=1 / 3,
    ...                   service_level=0.8)
    >>> r.agents
    14
    """
    option = _coverage(coverage)
    rate, per_day = _validated_rate(messages_per_hour, messages_per_day, option)
    aht = _positive("aht_minutes", aht_minutes, "average handle time in minutes")
    within = _non_negative("answer_within_minutes", answer_within_minutes, "minutes")
    target = _target_fraction(service_level)
    shrink = _shrinkage(shrinkage)
    contracted = _hours_per_fte_week(hours_per_fte_week)
    floor = _min_agents(min_agents)
    current = None
    if current_fte is not None:
        current = _non_negative("current_fte", current_fte, "full-time equivalents")

    traffic = traffic_intensity(rate, aht)
    if traffic >= MAX_AGENTS_ON_DUTY:
        raise ParameterError(_too_many_agents_message(traffic, MAX_AGENTS_ON_DUTY))
    for_sl = required_agents(traffic, aht, within, target, min_agents=0)
    agents = max(for_sl, floor)
    fte = fte_required(
        agents, option.hours_per_week, hours_per_fte_week=contracted, shrinkage=shrink
    )
    fte_gap = staffed = None
    if current is not None:
        fte_gap = fte - current
        staffed = current / fte if fte > 0 else None
    return StaffingResult(
        messages_per_hour=rate,
        messages_per_day=per_day,
        aht_minutes=aht,
        answer_within_minutes=within,
        target_service_level=target,
        shrinkage=shrink,
        coverage=option.name,
        coverage_hours_per_week=option.hours_per_week,
        hours_per_fte_week=contracted,
        min_agents=floor,
        traffic_erlangs=traffic,
        agents_for_service_level=for_sl,
        agents=agents,
        service_level=float(_service_level(agents, traffic, aht, within)),
        probability_of_waiting=float(erlang_c(agents, traffic)),
        asa_minutes=float(average_speed_of_answer(agents, traffic, aht)),
        occupancy=float(occupancy(agents, traffic)),
        fte=fte,
        current_fte=current,
        fte_gap=fte_gap,
        staffed_fraction=staffed,
    )


#: Column order of :func:`staffing_table`; the first six are the report chart's contract.
TABLE_COLUMNS: tuple[str, ...] = (
    "coverage_hours_per_week",
    "agents",
    "service_level",
    "fte",
    "current_fte",
    "fte_gap",
    "messages_per_hour",
    "traffic_erlangs",
    "asa_minutes",
    "occupancy",
    "staffed_fraction",
)


def staffing_table(
    *,
    messages_per_hour: float | None = None,
    messages_per_day: float | None = None,
    aht_minutes: float,
    answer_within_minutes: float,
    service_level: float,
    shrinkage: float = DEFAULT_SHRINKAGE,
    hours_per_fte_week: float = DEFAULT_HOURS_PER_FTE_WEEK,
    current_fte: float | None = None,
    min_agents: int = 1,
    coverages: Iterable[str] = tuple(COVERAGE_OPTIONS),
) -> pd.DataFrame:
    """Compare the coverage options: current vs required FTE for each.

    Each row is :func:`plan_staffing` for one coverage option with the same inputs.  With
    ``messages_per_hour`` the hourly rate is the same in every row and FTE grows with the
    covered hours.  With ``messages_per_day`` the day's messages are spread over each option's
    own covered hours (9, 12 or 24), so the hourly rate, and the agents needed at any moment,
    are *lower* for longer coverage, while the hours to staff are higher.

    Parameters
    ----------
    messages_per_hour, messages_per_day
        Inbound volume, exactly one of them; see above for how a daily volume is spread.
    aht_minutes, answer_within_minutes, service_level
        Handle time, target answer time (minutes) and target fraction, as for
        :func:`plan_staffing`.
    shrinkage, hours_per_fte_week, current_fte, min_agents
        As for :func:`plan_staffing`.
    coverages
        Coverage option keys, one row each, in this order (default: all of
        :data:`COVERAGE_OPTIONS`).

    Returns
    -------
    pandas.DataFrame
        Index ``coverage``; columns :data:`TABLE_COLUMNS`, starting with
        ``coverage_hours_per_week, agents, service_level, fte, current_fte, fte_gap``.
        ``current_fte``, ``fte_gap`` and ``staffed_fraction`` are NaN when ``current_fte`` is
        not given.  Floats are unrounded.

    Raises
    ------
    ParameterError
        As for :func:`plan_staffing`, or when ``coverages`` is empty.
    """
    keys = [_coverage(c).name for c in coverages]
    if not keys:
        raise ParameterError("coverages must name at least one coverage option; got none")
    rows = []
    for key in keys:
        result = plan_staffing(
            messages_per_hour=messages_per_hour,
            messages_per_day=messages_per_day,
            aht_minutes=aht_minutes,
            answer_within_minutes=answer_within_minutes,
            service_level=service_level,
            shrinkage=shrinkage,
            coverage=key,
            hours_per_fte_week=hours_per_fte_week,
            current_fte=current_fte,
            min_agents=min_agents,
        )
        rows.append({column: getattr(result, column) for column in TABLE_COLUMNS})
    table = pd.DataFrame(rows, index=pd.Index(keys, name="coverage"), columns=list(TABLE_COLUMNS))
    float_columns = [c for c in TABLE_COLUMNS if c != "agents"]
    table[float_columns] = table[float_columns].astype("float64")
    table["agents"] = table["agents"].astype("int64")
    return table
