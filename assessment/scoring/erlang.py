"""The queueing model of a care desk: Erlang B and C, and what follows from them.

Notation: ``λ`` messages per hour arrive during covered hours, each takes ``AHT`` (average
handle time) of one agent's attention, ``N`` agents are on duty and the target is to answer a
fraction ``SL*`` of messages within ``T``.  The model is an M/M/N queue (Erlang C); its
assumptions, and the direction in which they err, are set out in
:mod:`assessment.scoring.staffing`.

* Traffic intensity (workload in Erlangs): ``A = λ · AHT`` (same time unit for both), the
  average number of agents kept busy.  100 six-minute calls in an hour are 10 Erlangs.
* Erlang B (blocking probability), evaluated stably as a ratio of Poisson probabilities::

      B(N, A) = P[X = N] / P[X <= N],   X ~ Poisson(A)

  in log space with :mod:`scipy.special` (``log P[X = N] = N·log A − log N! − A`` and
  ``P[X <= N] = pdtr(N, A)``, the formulas :mod:`scipy.stats.poisson` uses, without importing
  scipy.stats, which costs a report kernel 0.6 s), so ``A^N / N!`` never overflows (``A`` in
  the thousands is fine).  Where the Poisson CDF underflows (``N`` far below ``A``) an exact,
  geometrically converging series is used instead.
* Erlang C (probability that a message has to wait)::

      C(N, A) = N · B / (N − A · (1 − B))            for N > A, else 1

* Service level (fraction answered within ``T``)::

      SL = 1 − C · exp(−(N − A) · T / AHT)

* Average speed of answer: ``ASA = C · AHT / (N − A)``; occupancy: ``A / N``.
* Agents on duty: the smallest integer ``N > A`` with ``SL >= SL*``, and at least
  ``min_agents``.  The floor exists because a channel that is *offered* (a published handle, a
  promise of replies during business hours) needs someone watching it even when no message
  arrives: zero traffic needs zero Erlangs of work but still one person on duty.  Set
  ``min_agents=0`` to model pure workload.

Every function here is vectorised over agents and traffic and validates its inputs, raising
:class:`~assessment.exceptions.ParameterError` with the parameter, the expectation and the value.
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import gammaln, pdtr, xlogy

from assessment.exceptions import ParameterError

__all__ = [
    "MAX_AGENTS_ON_DUTY",
    "average_speed_of_answer",
    "erlang_b",
    "erlang_c",
    "occupancy",
    "required_agents",
    "service_level",
    "traffic_intensity",
]

#: Upper bound on agents on duty.  A social-media desk needing more than this is almost
#: certainly a units mistake (seconds given as minutes, a month's messages given per hour),
#: and the search would otherwise run for a long time before saying so.
MAX_AGENTS_ON_DUTY = 10_000

# Comparing the achieved service level with the target: an exact hit such as 0.8 can come out
# as 0.7999999999999999 in floating point and must still count as meeting the target.
_SL_TOLERANCE = 1e-12


# --------------------------------------------------------------------------------------------
# Validation helpers
# --------------------------------------------------------------------------------------------


def _number(name: str, value: Any, expectation: str) -> float:
    # bool is an int subclass; True messages per hour is a bug, not a number.
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ParameterError(f"{name} must be {expectation}; got {value!r}")
    result = float(value)
    if not math.isfinite(result):
        raise ParameterError(f"{name} must be {expectation}; got {value!r}")
    return result


def _non_negative(name: str, value: Any, unit: str) -> float:
    result = _number(name, value, f"a number >= 0 ({unit})")
    if result < 0:
        raise ParameterError(f"{name} must be a number >= 0 ({unit}); got {value!r}")
    return result


def _positive(name: str, value: Any, unit: str) -> float:
    result = _number(name, value, f"a number > 0 ({unit})")
    if result <= 0:
        raise ParameterError(f"{name} must be a number > 0 ({unit}); got {value!r}")
    return result


def _target_fraction(value: Any) -> float:
    expectation = "a fraction strictly between 0 and 1 (e.g. 0.8 for 80%)"
    result = _number("service_level", value, expectation)
    if not 0.0 < result < 1.0:
        hint = f" (did you mean {result / 100:g}?)" if 1.0 < result < 100.0 else ""
        raise ParameterError(f"service_level must be {expectation}; got {value!r}{hint}")
    return result


def _min_agents(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 0:
        raise ParameterError(f"min_agents must be a whole number >= 0; got {value!r}")
    if value > MAX_AGENTS_ON_DUTY:
        raise ParameterError(
            f"min_agents must be at most {MAX_AGENTS_ON_DUTY:,} (MAX_AGENTS_ON_DUTY); got {value!r}"
        )
    return int(value)


def _agents_array(agents: ArrayLike) -> NDArray[np.float64]:
    arr = np.asarray(agents)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.number):
        raise ParameterError(f"agents must be whole numbers >= 0; got {agents!r}")
    arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)) or np.any(arr < 0) or np.any(arr != np.floor(arr)):
        raise ParameterError(f"agents must be whole numbers >= 0; got {agents!r}")
    return arr


def _traffic_array(traffic: ArrayLike) -> NDArray[np.float64]:
    arr = np.asarray(traffic)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.number):
        raise ParameterError(f"traffic must be a number of Erlangs >= 0; got {traffic!r}")
    arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ParameterError(f"traffic must be a number of Erlangs >= 0; got {traffic!r}")
    return arr


def _scalar_or_array(values: NDArray[np.float64]) -> float | NDArray[np.float64]:
    # Scalars in, Python float out: results go straight into dataclasses, JSON and f-strings.
    return float(values) if values.ndim == 0 else values


# --------------------------------------------------------------------------------------------
# Erlang B / Erlang C and the quantities derived from them (vectorised over agents and traffic)
# --------------------------------------------------------------------------------------------


def _erlang_b_series(n: int, a: float) -> float:
    # Exact for any N, used only where the Poisson CDF underflows (N far below A):
    # 1/B = sum_{j=0..N} N! / ((N-j)! A^j).  Each term is the previous one times (N-j)/A < 1,
    # so the sum converges geometrically and never overflows.
    total = term = 1.0
    for j in range(n):
        term *= (n - j) / a
        total += term
        if term < total * 1e-17:
            break
    return 1.0 / total


def erlang_b(agents: ArrayLike, traffic: ArrayLike) -> float | NDArray[np.float64]:
    """Erlang B: probability that all ``agents`` are busy in a loss system offered ``traffic``.

    Computed as ``P[X = N] / P[X <= N]`` for ``X ~ Poisson(A)`` in log space, which is exact and
    does not overflow for traffic in the thousands of Erlangs.

    Parameters
    ----------
    agents
        Number of servers ``N`` (whole numbers >= 0); scalar or array.
    traffic
        Offered traffic ``A`` in Erlangs (>= 0); scalar or array broadcastable with ``agents``.

    Returns
    -------
    float or numpy.ndarray
        Blocking probability in ``[0, 1]``; a float when both inputs are scalars.

    Raises
    ------
    ParameterError
        If ``agents`` are not whole numbers >= 0 or ``traffic`` is negative or not finite.
    """
    n, a = np.broadcast_arrays(_agents_array(agents), _traffic_array(traffic))
    shape = n.shape
    n, a = n.ravel(), a.ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        log_pmf = xlogy(n, a) - gammaln(n + 1) - a
        log_b = log_pmf - np.log(pdtr(n, a))
    b = np.exp(np.minimum(log_b, 0.0))
    # log_b is +inf or NaN only where logcdf underflowed to -inf, i.e. N far below A.
    for i in np.flatnonzero(~(log_b <= 0.0)):
        b[i] = _erlang_b_series(int(n[i]), float(a[i]))
    return _scalar_or_array(b.reshape(shape))


def erlang_c(agents: ArrayLike, traffic: ArrayLike) -> float | NDArray[np.float64]:
    """Erlang C: probability that a message has to wait (all ``agents`` busy on arrival).

    ``C = N·B / (N − A·(1 − B))`` with ``B`` from :func:`erlang_b`.  When ``N <= A`` the queue
    grows without bound and every message waits, so ``C = 1``; with no traffic nobody waits
    (``C = 0``).

    Parameters
    ----------
    agents
        Number of agents on duty ``N`` (whole numbers >= 0); scalar or array.
    traffic
        Workload ``A`` in Erlangs (>= 0); scalar or array broadcastable with ``agents``.

    Returns
    -------
    float or numpy.ndarray
        Probability of waiting in ``[0, 1]``.

    Raises
    ------
    ParameterError
        On invalid ``agents`` or ``traffic``.
    """
    n, a = np.broadcast_arrays(_agents_array(agents), _traffic_array(traffic))
    b = np.asarray(erlang_b(n, a), dtype=np.float64)
    stable = n > a
    c = np.ones_like(b)
    c[stable] = n[stable] * b[stable] / (n[stable] - a[stable] * (1.0 - b[stable]))
    c[a == 0] = 0.0
    return _scalar_or_array(np.clip(c, 0.0, 1.0))


def service_level(
    agents: ArrayLike, traffic: ArrayLike, aht: float, answer_within: float
) -> float | NDArray[np.float64]:
    """Fraction of messages answered within ``answer_within`` with ``agents`` on duty.

    ``SL = 1 − C · exp(−(N − A) · T / AHT)``.  It is 0 when ``N <= A`` (the backlog grows
    forever) and 1 when there is no traffic.

    Parameters
    ----------
    agents
        Number of agents on duty (whole numbers >= 0); scalar or array.
    traffic
        Workload in Erlangs (>= 0); scalar or array broadcastable with ``agents``.
    aht
        Average handle time (> 0), in any unit.
    answer_within
        Target answer time ``T`` (>= 0), in the same unit as ``aht``.

    Returns
    -------
    float or numpy.ndarray
        Service level in ``[0, 1]``.

    Raises
    ------
    ParameterError
        On invalid inputs.
    """
    aht_ = _positive("aht", aht, "average handle time")
    t = _non_negative("answer_within", answer_within, "target answer time, same unit as aht")
    n, a = np.broadcast_arrays(_agents_array(agents), _traffic_array(traffic))
    c = np.asarray(erlang_c(n, a), dtype=np.float64)
    stable = n > a
    sl = np.zeros_like(c)
    sl[stable] = 1.0 - c[stable] * np.exp(-(n[stable] - a[stable]) * t / aht_)
    sl[a == 0] = 1.0
    return _scalar_or_array(np.clip(sl, 0.0, 1.0))


def average_speed_of_answer(
    agents: ArrayLike, traffic: ArrayLike, aht: float
) -> float | NDArray[np.float64]:
    """Average wait before a message is picked up (ASA), in the unit of ``aht``.

    ``ASA = C · AHT / (N − A)``; infinite when ``N <= A`` and 0 with no traffic.

    Parameters
    ----------
    agents
        Number of agents on duty (whole numbers >= 0); scalar or array.
    traffic
        Workload in Erlangs (>= 0); scalar or array broadcastable with ``agents``.
    aht
        Average handle time (> 0).

    Returns
    -------
    float or numpy.ndarray
        Average speed of answer, averaged over all messages (including those answered at once).

    Raises
    ------
    ParameterError
        On invalid inputs.
    """
    aht_ = _positive("aht", aht, "average handle time")
    n, a = np.broadcast_arrays(_agents_array(agents), _traffic_array(traffic))
    c = np.asarray(erlang_c(n, a), dtype=np.float64)
    stable = n > a
    asa = np.full_like(c, np.inf)
    asa[stable] = c[stable] * aht_ / (n[stable] - a[stable])
    asa[a == 0] = 0.0
    return _scalar_or_array(asa)


def occupancy(agents: ArrayLike, traffic: ArrayLike) -> float | NDArray[np.float64]:
    """Fraction of on-duty time agents spend handling messages: ``A / N``.

    Capped at 1 when ``N <= A`` (agents are then busy all the time and the backlog grows);
    0 with no traffic.

    Parameters
    ----------
    agents
        Number of agents on duty (whole numbers >= 0); scalar or array.
    traffic
        Workload in Erlangs (>= 0); scalar or array broadcastable with ``agents``.

    Returns
    -------
    float or numpy.ndarray
        Occupancy in ``[0, 1]``.

    Raises
    ------
    ParameterError
        On invalid inputs.
    """
    n, a = np.broadcast_arrays(_agents_array(agents), _traffic_array(traffic))
    occ = np.ones_like(n)
    stable = n > a
    occ[stable] = a[stable] / n[stable]
    occ[a == 0] = 0.0
    return _scalar_or_array(occ)


def traffic_intensity(messages_per_hour: float, aht_minutes: float) -> float:
    """Workload in Erlangs: messages per hour × handle time in hours.

    Parameters
    ----------
    messages_per_hour
        Arrival rate during covered hours (>= 0).
    aht_minutes
        Average handle time in minutes (> 0).

    Returns
    -------
    float
        Average number of agents kept busy, e.g. 100 six-minute messages an hour = 10 Erlangs.

    Raises
    ------
    ParameterError
        On invalid inputs.
    """
    rate = _non_negative("messages_per_hour", messages_per_hour, "messages per hour")
    aht = _positive("aht_minutes", aht_minutes, "average handle time in minutes")
    return rate * aht / 60.0


def required_agents(
    traffic: float,
    aht: float,
    answer_within: float,
    target_service_level: float,
    *,
    min_agents: int = 1,
    max_agents: int = MAX_AGENTS_ON_DUTY,
) -> int:
    """Smallest number of agents on duty that meets the service-level target.

    The search starts at the first integer above ``traffic`` (fewer agents can never keep up)
    and evaluates candidates in vectorised blocks.

    Parameters
    ----------
    traffic
        Workload in Erlangs (>= 0).
    aht
        Average handle time (> 0), in any unit.
    answer_within
        Target answer time (>= 0), in the same unit as ``aht``.
    target_service_level
        Target fraction answered within ``answer_within``, strictly between 0 and 1.
    min_agents
        Floor on agents on duty (>= 0); the result is ``max(Erlang C answer, min_agents)``.
    max_agents
        Give up above this many agents (default :data:`MAX_AGENTS_ON_DUTY`).

    Returns
    -------
    int
        Agents on duty.  With zero traffic this is ``min_agents``.

    Raises
    ------
    ParameterError
        On invalid inputs, or when more than ``max_agents`` agents would be needed.
    """
    a = float(_traffic_array(_number("traffic", traffic, "a number of Erlangs >= 0")))
    aht_ = _positive("aht", aht, "average handle time")
    t = _non_negative("answer_within", answer_within, "target answer time, same unit as aht")
    target = _target_fraction(target_service_level)
    floor = _min_agents(min_agents)
    if isinstance(max_agents, bool) or not isinstance(max_agents, Integral) or max_agents < 1:
        raise ParameterError(f"max_agents must be a whole number >= 1; got {max_agents!r}")
    if a == 0:
        return floor
    start = max(math.floor(a) + 1, floor)
    if start > max_agents:
        raise ParameterError(_too_many_agents_message(a, int(max_agents)))
    # The answer lies a few sqrt(A) above A (square-root staffing), so a block of that size
    # usually finishes the search in one vectorised evaluation.
    block = 32 + int(8 * math.sqrt(a))
    low = start
    while low <= max_agents:
        candidates = np.arange(low, min(low + block, int(max_agents) + 1))
        achieved = np.asarray(service_level(candidates, a, aht_, t))
        hits = np.flatnonzero(achieved >= target - _SL_TOLERANCE)
        if hits.size:
            return int(candidates[hits[0]])
        low = int(candidates[-1]) + 1
    raise ParameterError(_too_many_agents_message(a, int(max_agents)))


def _too_many_agents_message(traffic: float, max_agents: int) -> str:
    return (
        f"The workload is {traffic:,.1f} Erlangs (messages per hour × handle time in hours), "
        f"which needs more than {max_agents:,} agents on duty. Check the units: "
        "messages_per_hour is per hour of coverage and aht_minutes is in minutes."
    )
