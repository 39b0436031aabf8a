"""What synthetic respondents answer: levels turned into values, notes and evidence.

* an *anchored* answer is the respondent's level (``"1"`` .. ``"n"``);
* a *boolean* answer is ``"yes"`` when the level is on the ``yes_level`` side of the midpoint
  between ``no_level`` and ``yes_level``, else ``"no"``;
* a *measured* answer is a number inside the value band that the rubric's thresholds assign to
  the level (a whole number when the thresholds are whole numbers and the unit is not a
  percentage: such indicators count things);
* a *fact* is the number the caller gives, written in plain decimal notation;
* an *evidence* reference names the document or export that backs an answer.  Whether a
  document exists is a property of the organisation, not of one respondent: it is drawn once
  per client and indicator, likelier at or above the first level whose evidence the rubric
  requires (a consultant asks for it there), and cited by the responsible respondent and by
  about half of the others.

Strings are built once per distinct value and rows refer to them by code, so millions of rows
cost one ``take`` each.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from assessment.rubric import translate

if TYPE_CHECKING:  # pragma: no cover - typing only
    from assessment.rubric import Indicator, Rubric

__all__ = [
    "COMMENT_VOCABULARY",
    "comment_codes",
    "documented",
    "evidence_codes",
    "evidence_floor",
    "fact_text",
    "value_codes",
]

# Notes.  Pools are picked by the answer: low, middle or high level, "NA", or a measured value.
# Roughly a third are Arabic, as in bilingual client workshops.
_COMMENTS_LOW = (
    "Nothing written down yet; it depends on who is on shift.",
    "We do this ad hoc when someone has time.",
    "The agency handles it and we do not see the details.",
    "Discussed last year but never started.",
    "لا يوجد شيء مكتوب حتى الآن.",
    "نقوم بذلك عند الحاجة فقط.",
    "الوكالة تتولى ذلك ولا نطّلع على التفاصيل.",
)
_COMMENTS_MID = (
    "Documented for the main accounts, not for the regional ones.",
    "We have a process but it slips during Ramadan and campaign peaks.",
    "Reviewed twice a year.",
    "Partly automated; the rest lives in spreadsheets.",
    "موثّق للحسابات الرئيسية فقط.",
    "لدينا إجراء لكنه لا يُطبَّق دائماً.",
    "تتم المراجعة مرتين في السنة.",
)
_COMMENTS_HIGH = (
    "Documented, owned and reviewed every quarter.",
    "Dashboard shared with the leadership team every month.",
    "Rolled out to every market last year and still in use.",
    "Owned by a named person and part of the annual plan.",
    "موثّق ويُراجَع كل ربع سنة.",
    "لوحة متابعة تُشارك مع الإدارة شهرياً.",
    "طُبِّق في جميع الأسواق العام الماضي وما زال مستخدماً.",
)
# An NA answer states that the rubric's "not applicable" condition holds; it never stands in
# for "we do not do this" (that is level 1).
_COMMENTS_NA = (
    "Not applicable: the condition the rubric gives for this question holds for us.",
    "The rubric's not-applicable condition applies to us.",
    "لا ينطبق: الشرط الوارد في السؤال ينطبق علينا.",
)
_COMMENTS_MEASURED = (
    "From the platform's analytics export, last 90 days.",
    "Estimate; we do not track this systematically.",
    "Taken from the monthly report.",
    "من تقرير أداة إدارة التواصل الاجتماعي لآخر ثلاثة أشهر.",
)
_COMMENT_POOLS = (_COMMENTS_LOW, _COMMENTS_MID, _COMMENTS_HIGH, _COMMENTS_NA, _COMMENTS_MEASURED)
#: Every note :func:`comment_codes` can pick, after ``""`` (code 0, no note).
COMMENT_VOCABULARY = ("", *(c for pool in _COMMENT_POOLS for c in pool))

#: Share of the other asked respondents who cite a document that exists (the responsible
#: respondent always does).
CITE_SHARE = 0.5
#: Below the first level that needs evidence, documents are rarer: this share of the rate at
#: the level just below it, falling to none at level 1.
BELOW_FLOOR = 0.3


def _is_percent(unit: str | None) -> bool:
    return bool(unit) and ("%" in unit or "percent" in unit.lower())


def _value_bands(indicator: Indicator, n: int) -> tuple[np.ndarray, np.ndarray, int, bool]:
    """Where to draw a measured value for each level: ``(lo, hi, decimals, integer)``.

    The thresholds are the boundaries of levels 2..n (``higher_is_better``: level k is
    ``t[k-2] <= v < t[k-1]``; ``lower_is_better``: ``t[k-1] < v <= t[k-2]``).  The two
    outer bands are open-ended; they are closed at a plausible distance from the boundary:
    half the boundary's magnitude, or at least the narrowest inner band, never below zero
    when every threshold is positive (times, counts and rates are not negative) and never
    above 100 for percentages.

    When every threshold is a whole number and the unit is not a percentage, the indicator
    counts things (functions, roles, systems, decisions): ``integer`` is true and ``lo[k]``,
    ``hi[k]`` are the smallest and largest whole numbers of level ``k + 1``.  Otherwise
    ``[lo[k], hi[k]]`` is the band itself and ``decimals`` a resolution fine enough to keep a
    rounded value inside it.
    """
    t = np.asarray(indicator.thresholds, dtype=float)
    gap = float(np.min(np.abs(np.diff(t)))) if len(t) > 1 else max(abs(t[0]), 1.0)
    nonnegative = bool((t >= 0).all())
    percent = _is_percent(indicator.unit)
    integer = not percent and bool(np.all(t == np.round(t)))
    higher = indicator.direction == "higher_is_better"

    def above(b: float) -> float:
        hi = b + max(abs(b) * 0.5, gap)
        if percent and b < 100:
            hi = min(hi, 100.0)
        return hi

    def below(b: float) -> float:
        lo = b - max(abs(b) * 0.5, gap)
        return max(lo, 0.0) if nonnegative and b > 0 else lo

    # Bands in ascending order of value; for lower_is_better that is level n first.
    ascending = np.sort(t)
    lo = np.concatenate([[below(ascending[0])], ascending])
    hi = np.concatenate([ascending, [above(ascending[-1])]])
    if integer:
        # A boundary belongs to the band above it (higher_is_better: v >= t reaches the
        # level) or below it (lower_is_better: v <= t); the outer ends are ours to round.
        lo, hi = np.ceil(lo), np.floor(hi)
        if higher:
            hi[:-1] -= 1
        else:
            lo[1:] += 1
        decimals = 0
    else:
        # Resolution at most 1/20 of the narrowest band; sampling keeps 10% off each edge,
        # so rounding can never move a value across a boundary.
        width = float(np.min(hi - lo))
        decimals = int(np.clip(math.ceil(-math.log10(width / 20)), 0, 10))
    if not higher:
        lo, hi = lo[::-1], hi[::-1]
    assert len(lo) == n
    return lo, hi, decimals, integer


def _band_values(
    indicator: Indicator, n: int, level: np.ndarray, u: np.ndarray
) -> tuple[np.ndarray, int]:
    """Values inside the band of each ``level``, placed by ``u`` in ``[0, 1)``; and decimals."""
    lo, hi, decimals, integer = _value_bands(indicator, n)
    k = np.asarray(level, dtype=np.intp) - 1
    if integer:
        values = lo[k] + np.floor(u * (hi[k] - lo[k] + 1))
    else:
        values = np.round(lo[k] + (0.1 + 0.8 * u) * (hi[k] - lo[k]), decimals)
    return values + 0.0, decimals  # + 0.0 turns -0.0 into 0.0 (no "-0.00" in the output)


def value_codes(
    rubric: Rubric,
    i_idx: np.ndarray,
    level: np.ndarray,
    is_na: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, list[str]]:
    """Each indicator answer's value as a code into a vocabulary.

    The vocabulary is ``"1".."n"``, ``"yes"``, ``"no"``, ``"NA"``, then the distinct measured
    strings: anchored rows answer their level, boolean rows ``yes``/``no`` by the side of the
    midpoint their level is on, measured rows a value inside their level's band, ``is_na`` rows
    ``"NA"``.  ``i_idx`` are indicator positions in rubric order.
    """
    n = rubric.n_levels
    table = rubric.indicator_table
    kind = table["kind"].to_numpy(dtype=object)
    yes_code, no_code, na_code = n, n + 1, n + 2
    value_code = np.asarray(level, dtype=np.intp) - 1
    row_bool = kind[i_idx] == "boolean"
    if row_bool.any():
        yes_level = table["yes_level"].to_numpy(dtype=float)[i_idx[row_bool]]
        no_level = table["no_level"].to_numpy(dtype=float)[i_idx[row_bool]]
        midpoint = (yes_level + no_level) / 2
        # "yes" means being on the yes_level side of the midpoint; works for inverted booleans
        # (yes_level < no_level) too.
        says_yes = (level[row_bool] - midpoint) * np.sign(yes_level - no_level) >= 0
        value_code[row_bool] = np.where(says_yes, yes_code, no_code)

    vocabulary = [str(k) for k in range(1, n + 1)] + ["yes", "no", "NA"]
    row_measured = kind[i_idx] == "measured"
    if row_measured.any():
        codes, texts = _measured_values(rubric, i_idx[row_measured], level[row_measured], rng)
        value_code[row_measured] = len(vocabulary) + codes
        vocabulary.extend(texts)
    value_code[is_na] = na_code
    return value_code, vocabulary


def fact_text(values: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Facts as plain decimal strings (``620``, ``4.5``): codes into a list of texts."""
    distinct, inverse = np.unique(np.asarray(values, dtype=float), return_inverse=True)
    texts = [np.format_float_positional(v, trim="-") for v in distinct]
    return inverse.astype(np.intp), texts


def comment_codes(
    rng: np.random.Generator,
    rate: float,
    level: np.ndarray,
    n: int,
    is_na: np.ndarray,
    is_number: np.ndarray,
) -> np.ndarray:
    """Index into :data:`COMMENT_VOCABULARY`: 0 (no note) for most rows, else a fitting note.

    The pool follows the answer: bottom third of the scale, middle, top third; NA; a number
    (a measured value or a fact).
    """
    n_rows = len(level)
    has_comment = rng.random(n_rows) < rate
    relative = (level - 1) / (n - 1)
    pool = np.where(relative < 1 / 3, 0, np.where(relative > 2 / 3, 2, 1))
    pool = np.where(is_number, 4, pool)
    pool = np.where(is_na, 3, pool)
    sizes = np.array([len(p) for p in _COMMENT_POOLS])
    offsets = 1 + np.concatenate([[0], np.cumsum(sizes)[:-1]])
    pick = (rng.random(n_rows) * sizes[pool]).astype(np.intp)
    return np.where(has_comment, offsets[pool] + pick, 0)


def evidence_floor(rubric: Rubric) -> np.ndarray:
    """``(I,)``: the lowest level whose evidence each indicator's levels name (NaN: none)."""
    return np.array(
        [
            min((k for k, spec in ind.levels.items() if spec.evidence), default=np.nan)
            for _, ind in rubric.iter_indicators()
        ],
        dtype=float,
    )


def documented(
    rng: np.random.Generator, rubric: Rubric, true_level: np.ndarray, rate: np.ndarray
) -> np.ndarray:
    """``(C, I)``: whether each client holds a document backing each indicator.

    At or above the indicator's evidence floor a document exists with the client's ``rate``;
    below it with :data:`BELOW_FLOOR` of that, shrinking to none at level 1.  An indicator
    whose levels name no evidence uses the relative level instead (none at 1, ``rate`` at the
    top).  ``true_level`` is the client's noise-free level of each indicator.
    """
    n = rubric.n_levels
    floor = evidence_floor(rubric)[None, :]
    relative = (true_level - 1) / (n - 1)
    below = BELOW_FLOOR * (true_level - 1) / np.maximum(np.nan_to_num(floor, nan=n) - 1, 1)
    share = np.where(
        np.isnan(floor), relative, np.where(true_level >= floor, 1.0, np.clip(below, 0, 1))
    )
    return rng.random(true_level.shape) < rate[:, None] * share


def evidence_codes(
    rubric: Rubric,
    dates: np.ndarray,
    i_idx: np.ndarray,
    date_idx: np.ndarray,
    cites: np.ndarray,
) -> tuple[np.ndarray, list[str]]:
    """The evidence reference of each row: codes into ``["", names...]``.

    A document is named after the indicator and dated by the assessment, as a client's shared
    folder would hold it: ``Approval workflow (2025).pdf`` for a practice, ``Share of
    actionable messages answered - export 2025-03.xlsx`` for a measurement.
    """
    indicators = [ind for _, ind in rubric.iter_indicators()]
    names = []
    for ind in indicators:
        name = translate(ind.name, "en")
        for day in dates:
            if ind.kind == "measured":
                names.append(f"{name} - {day[:7]}.xlsx")
            else:
                names.append(f"{name} ({day[:4]}).pdf")
    codes = 1 + np.asarray(i_idx, dtype=np.intp) * len(dates) + np.asarray(date_idx, dtype=np.intp)
    return np.where(cites, codes, 0), ["", *names]


def _measured_values(
    rubric: Rubric, indicator_pos: np.ndarray, level: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, list[str]]:
    """Measured answers inside the value band of ``level``: codes into a list of strings.

    Returns ``(codes, texts)`` with ``texts[codes[j]]`` the decimal string of answer ``j``.
    Only distinct values are formatted (sorting floats is far cheaper than sorting strings).
    """
    n = rubric.n_levels
    indicators = [i for _, i in rubric.iter_indicators()]
    # Draw once for all rows (fixed order) so results do not depend on the grouping below.
    u = rng.random(len(level))
    codes = np.empty(len(level), dtype=np.intp)
    texts: list[str] = []
    # Loop over measured indicators (dozens at most), vectorised over the rows of each.
    for pos in np.unique(indicator_pos):
        rows = indicator_pos == pos
        values, decimals = _band_values(indicators[pos], n, level[rows], u[rows])
        distinct, inverse = np.unique(values, return_inverse=True)
        codes[rows] = len(texts) + inverse
        texts.extend(np.char.mod(f"%.{decimals}f", distinct).tolist())
    return codes, texts
