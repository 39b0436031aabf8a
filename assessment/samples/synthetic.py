"""Synthetic assessment data for any rubric: answers, peer benchmarks and latent profiles.

Everything here is *fictitious* and seeded.  The generators serve three purposes:

* sample files for the documentation and notebooks (``data/samples/generate.py``);
* tests that need realistic, rubric-valid input without real client data;
* benchmarks (10,000 organisations x every indicator x 5 respondents).

The model is deliberately simple and explicit so that a test can invert it:

* a client has a *latent maturity* per dimension (a float on the rubric's 1..n scale);
* each respondent perceives every indicator of a dimension at
  ``clip(round(latent + noise * N(0, 1)), 1, n)`` -- the respondent's level;
* an *anchored* indicator is answered with that level (``"1"`` .. ``"n"``);
* a *boolean* indicator is answered ``"yes"`` when the level is on the ``yes_level`` side of
  the midpoint between ``no_level`` and ``yes_level``, else ``"no"``;
* a *measured* indicator is answered once per client, by its first respondent (a measurement is
  a fact, not an opinion), with a number drawn inside the value band that the rubric's
  thresholds assign to the respondent's level (a whole number when the thresholds are whole
  numbers and the unit is not a percentage: such indicators count things);
* indicators with ``allow_na`` are answered ``"NA"`` with probability ``na_rate``.

No function draws per row in Python: the heavy paths are numpy arrays end to end, and string
columns are built by ``take`` from small vocabularies, so 2 million answer rows take about a
second.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover - typing only
    from assessment.rubric import Indicator, Rubric

__all__ = [
    "ANSWER_COLUMNS",
    "REGIONS",
    "ROLES",
    "SECTORS",
    "SIZE_BANDS",
    "SIZE_BAND_EMPLOYEES",
    "random_profiles",
    "synthetic_answers",
    "synthetic_peers",
]

#: Columns of the long answers format, in order.  Every column is of string dtype.
ANSWER_COLUMNS = ("client_id", "date", "respondent", "role", "indicator_id", "value", "comment")

#: Sectors used for synthetic clients and peers (lowercase, hyphenated labels).
SECTORS = (
    "retail",
    "banking",
    "fintech",
    "telecom",
    "government",
    "healthcare",
    "education",
    "hospitality",
    "fmcg",
    "manufacturing",
    "logistics",
    "real-estate",
    "media",
    "nonprofit",
)

#: Organisation size bands, smallest first; employee ranges in :data:`SIZE_BAND_EMPLOYEES`.
SIZE_BANDS = ("small", "medium", "large", "enterprise")

#: Employee head-count range of each size band, ``(lowest, highest)``; ``None`` = open-ended.
#: small < 250, medium 250-999, large 1,000-9,999, enterprise >= 10,000 (the EU SME boundary
#: at 250 keeps "small" comparable with published SME statistics).
SIZE_BAND_EMPLOYEES: Mapping[str, tuple[int, int | None]] = {
    "small": (1, 249),
    "medium": (250, 999),
    "large": (1_000, 9_999),
    "enterprise": (10_000, None),
}

#: Arabic-speaking markets the synthetic organisations are placed in.
REGIONS = (
    "Saudi Arabia",
    "United Arab Emirates",
    "Egypt",
    "Jordan",
    "Morocco",
    "Qatar",
    "Kuwait",
    "Lebanon",
)

#: Respondent roles.  The first is the function's lead: by default the first respondent of a
#: client holds it, and the first respondent is the one who reports measured values.
ROLES = (
    "Head of social media",
    "Community manager",
    "Content lead",
    "Customer care lead",
    "Social media analyst",
    "Marketing director",
    "Communications manager",
    "Digital compliance officer",
)

# Relative frequencies used to draw peers, aligned with the tuples above.  Retail, banking and
# government dominate benchmark panels in the region; enterprises are a minority.
_SECTOR_WEIGHTS = np.array([12, 10, 4, 5, 10, 8, 8, 8, 7, 7, 6, 6, 5, 4], dtype=float)
_SIZE_WEIGHTS = np.array([0.40, 0.30, 0.20, 0.10])
_REGION_WEIGHTS = np.array([0.24, 0.22, 0.16, 0.08, 0.09, 0.08, 0.07, 0.06])

# Shifts of the latent maturity, as a fraction of the scale span (n_levels - 1).  Larger
# organisations are slightly more mature (more staff, budget and tooling); digital-first
# sectors lead, public bodies and manufacturers trail.  Small on purpose: the organisation
# factor, not the sector, should dominate the spread.
_SIZE_SHIFT = np.array([-0.06, 0.0, 0.04, 0.08])
_SECTOR_SHIFT: Mapping[str, float] = {
    "telecom": 0.06,
    "fintech": 0.05,
    "media": 0.04,
    "retail": 0.02,
    "hospitality": 0.02,
    "fmcg": 0.02,
    "banking": 0.01,
    "government": -0.04,
    "manufacturing": -0.06,
    "logistics": -0.04,
    "nonprofit": -0.03,
}

# Evidence notes.  Pools are picked by the answer: low, middle or high level, "NA", or a
# measured value.  Roughly a third are Arabic, as in bilingual client workshops.
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
    "Evidence: internal wiki page and last quarter's report.",
    "موثّق ويُراجَع كل ربع سنة.",
    "لوحة متابعة تُشارك مع الإدارة شهرياً.",
    "طُبِّق في جميع الأسواق العام الماضي وما زال مستخدماً.",
)
_COMMENTS_NA = (
    "Not relevant to us; we sell to businesses only.",
    "We do not run this channel.",
    "لا ينطبق علينا.",
)
_COMMENTS_MEASURED = (
    "From the platform's analytics export, last 90 days.",
    "Estimate; we do not track this systematically.",
    "Taken from the monthly report.",
    "من تقرير أداة إدارة التواصل الاجتماعي لآخر ثلاثة أشهر.",
)
_COMMENT_POOLS = (_COMMENTS_LOW, _COMMENTS_MID, _COMMENTS_HIGH, _COMMENTS_NA, _COMMENTS_MEASURED)

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# -- public API -------------------------------------------------------------------------------


def synthetic_answers(
    rubric: Rubric,
    profiles: pd.DataFrame,
    *,
    respondents: int | Sequence[int] | np.ndarray | pd.Series = 3,
    date: str | Sequence[str] | pd.Series = "2025-03-15",
    seed: int = 0,
    noise: float = 0.6,
    na_rate: float = 0.03,
    roles: Sequence[str] | None = None,
    roster: pd.DataFrame | None = None,
    comment_rate: float = 0.03,
) -> pd.DataFrame:
    """Generate answers in the long format for clients with known latent maturity.

    Parameters
    ----------
    rubric
        Any valid rubric.
    profiles
        Latent maturity per client: index = client id, one float column per dimension id of
        ``rubric`` with values in ``1 .. rubric.n_levels``.  Extra columns are ignored.
    respondents
        Respondents per client: one number for all, or one per client (a sequence aligned with
        the rows of ``profiles``, or a Series indexed by client id).  Ignored with ``roster``.
    date
        Assessment date ``YYYY-MM-DD``: one for all clients, or one per client (aligned like
        ``respondents``).
    seed
        Seed of the :class:`numpy.random.Generator`; the same inputs and seed give an identical
        frame.
    noise
        Standard deviation, in levels, of a respondent's perception around the latent level.
    na_rate
        Probability of an ``"NA"`` answer, only for indicators with ``allow_na``.
    roles
        Role names to assign.  The first respondent of each client gets ``roles[0]`` (the
        lead); the others cycle through the remaining roles from a random starting point.
        Defaults to :data:`ROLES`.  Ignored with ``roster``.
    roster
        Named respondents instead of generated ones: a frame with columns ``client_id``,
        ``respondent`` and ``role``, one row per respondent; the first row of a client is the
        one who reports measured values.  Every client of ``profiles`` needs at least one row.
    comment_rate
        Probability that an answer carries a short evidence note (English or Arabic).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`ANSWER_COLUMNS`, all of string dtype, ordered by client (as in
        ``profiles``), respondent, then indicator in rubric order.  Measured indicators appear
        only for the first respondent of each client.

    Raises
    ------
    ValueError
        If a profile misses a dimension or holds a value outside the scale, or another
        argument is out of range.

    Examples
    --------
    >>> from assessment.rubric import load_rubric
    >>> rubric = load_rubric("social-media")
    >>> answers = synthetic_answers(rubric, random_profiles(rubric, 2, seed=1), seed=1)
    >>> list(answers.columns)
    ['client_id', 'date', 'respondent', 'role', 'indicator_id', 'value', 'comment']
    """
    if not noise >= 0:
        raise ValueError(f"noise must be >= 0; got {noise!r}")
    for name, rate in (("na_rate", na_rate), ("comment_rate", comment_rate)):
        if not 0 <= rate <= 1:
            raise ValueError(f"{name} must be within 0..1; got {rate!r}")

    n = rubric.n_levels
    client_ids, latent = _profile_matrix(rubric, profiles)
    dates = _per_client(date, profiles.index, "date", str)
    bad_dates = sorted({d for d in dates if not _DATE_RE.match(d)})
    if bad_dates:
        raise ValueError(f"dates must be written YYYY-MM-DD; got {bad_dates[:5]}")

    rng = np.random.default_rng(seed)

    # -- who answers ------------------------------------------------------------------------
    if roster is None:
        counts = _per_client(respondents, profiles.index, "respondents", int)
        if (counts < 1).any():
            raise ValueError("every client needs at least one respondent")
        resp_client, resp_rank, resp_label, resp_role = _default_roster(
            rng, counts, ROLES if roles is None else tuple(roles)
        )
    else:
        resp_client, resp_rank, resp_label, resp_role = _given_roster(roster, client_ids)

    # -- what is answered: every respondent x indicator, measured only by the first --------
    table = rubric.indicator_table
    dim_pos = {d.id: k for k, d in enumerate(rubric.dimensions)}
    ind_dim = table["dimension_id"].map(dim_pos).to_numpy(dtype=np.intp)
    is_measured = table["kind"].to_numpy(dtype=object) == "measured"

    mask = ~is_measured[None, :] | (resp_rank == 0)[:, None]
    # np.nonzero walks the mask row-major: respondent by respondent, indicators in order.
    r_idx, i_idx = np.nonzero(mask)
    n_rows = len(r_idx)
    row_client = resp_client[r_idx]

    # -- levels, then the answers they give ------------------------------------------------
    perceived = latent[row_client, ind_dim[i_idx]] + noise * rng.standard_normal(n_rows)
    level = np.clip(np.rint(perceived), 1, n).astype(np.intp)
    value_code, vocabulary, is_na = _value_codes(rubric, i_idx, level, rng, na_rate)
    row_measured = is_measured[i_idx]

    # -- comments ---------------------------------------------------------------------------
    comment_code = _comment_codes(rng, n_rows, comment_rate, level, n, is_na, row_measured)
    comment_vocab = ["", *(c for pool in _COMMENT_POOLS for c in pool)]

    # -- assemble: every string column is a take() from a small vocabulary ------------------
    label_vocab, label_code = np.unique(resp_label, return_inverse=True)
    role_vocab, role_code = np.unique(resp_role, return_inverse=True)
    columns = {
        "client_id": _take(client_ids, row_client),
        "date": _take(dates, row_client),
        "respondent": _take(label_vocab, label_code[r_idx]),
        "role": _take(role_vocab, role_code[r_idx]),
        "indicator_id": _take(table.index.to_numpy(dtype=object), i_idx),
        "value": _take(vocabulary, value_code),
        "comment": _take(comment_vocab, comment_code),
    }
    return pd.DataFrame(columns, copy=False)


def random_profiles(rubric: Rubric, n: int, *, seed: int = 0) -> pd.DataFrame:
    """Latent maturity profiles for ``n`` synthetic clients.

    Parameters
    ----------
    rubric
        Any valid rubric; one column per dimension.
    n
        Number of clients.
    seed
        Seed of the random generator.

    Returns
    -------
    pandas.DataFrame
        Index ``client_id`` (``org00001``, ``org00002`` ...), one float column per dimension id
        with values in ``1 .. rubric.n_levels`` (2 decimals), correlated across dimensions.
        Suitable as ``profiles`` for :func:`synthetic_answers`.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0; got {n}")
    rng = np.random.default_rng(seed)
    size = rng.choice(len(SIZE_BANDS), size=n, p=_SIZE_WEIGHTS)
    scores = _correlated_scores(rng, _SIZE_SHIFT[size], len(rubric.dimensions), rubric.n_levels)
    width = max(5, len(str(n)))
    index = pd.Index([f"org{k:0{width}d}" for k in range(1, n + 1)], name="client_id", dtype="str")
    return pd.DataFrame(scores, index=index, columns=[d.id for d in rubric.dimensions])


def synthetic_peers(rubric: Rubric, n: int, *, seed: int = 0) -> pd.DataFrame:
    """A synthetic benchmark panel: one row of dimension scores per peer organisation.

    Scores follow a factor model: a shared organisation factor (mature organisations are
    mature across the board), a small size and sector effect, a fixed offset per dimension
    (some capabilities are commonly further along than others) and independent noise.  On a
    5-level scale most organisations fall between 1.5 and 3.5.

    Parameters
    ----------
    rubric
        Any valid rubric; one score column per dimension.
    n
        Number of peers.
    seed
        Seed of the random generator.

    Returns
    -------
    pandas.DataFrame
        Columns ``peer_id, sector, size_band, region`` (strings; values from :data:`SECTORS`,
        :data:`SIZE_BANDS`, :data:`REGIONS`) then one float column per dimension id with a
        score in ``1 .. rubric.n_levels`` rounded to 2 decimals.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0; got {n}")
    rng = np.random.default_rng(seed)
    sector = rng.choice(len(SECTORS), size=n, p=_SECTOR_WEIGHTS / _SECTOR_WEIGHTS.sum())
    size = rng.choice(len(SIZE_BANDS), size=n, p=_SIZE_WEIGHTS)
    region = rng.choice(len(REGIONS), size=n, p=_REGION_WEIGHTS)
    sector_shift = np.array([_SECTOR_SHIFT.get(s, 0.0) for s in SECTORS])
    shift = _SIZE_SHIFT[size] + sector_shift[sector]
    scores = _correlated_scores(rng, shift, len(rubric.dimensions), rubric.n_levels)

    width = max(4, len(str(n)))
    frame = pd.DataFrame(
        {
            "peer_id": _take([f"p{k:0{width}d}" for k in range(1, n + 1)], np.arange(n)),
            "sector": _take(SECTORS, sector),
            "size_band": _take(SIZE_BANDS, size),
            "region": _take(REGIONS, region),
        }
    )
    dims = pd.DataFrame(scores, columns=[d.id for d in rubric.dimensions])
    return pd.concat([frame, dims], axis=1)


# -- helpers ----------------------------------------------------------------------------------


def _take(
    values: Sequence[str] | np.ndarray, codes: np.ndarray
) -> pd.api.extensions.ExtensionArray:
    """String array ``values[codes]``: converting the small vocabulary once is ~10x faster."""
    vocab = pd.array(np.asarray(values, dtype=object), dtype="str")
    return vocab.take(np.asarray(codes, dtype=np.intp))


def _profile_matrix(rubric: Rubric, profiles: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Client ids (object array) and latent maturity matrix (clients x dimensions)."""
    dim_ids = [d.id for d in rubric.dimensions]
    missing = [d for d in dim_ids if d not in profiles.columns]
    if missing:
        raise ValueError(f"profiles lack a column for dimension(s) {missing}")
    if profiles.index.has_duplicates:
        dups = sorted(set(profiles.index[profiles.index.duplicated()].astype(str)))
        raise ValueError(f"profiles repeat client id(s) {dups[:5]}")
    try:
        latent = profiles[dim_ids].to_numpy(dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"profiles must hold numbers: {exc}") from None
    n = rubric.n_levels
    bad = ~((latent >= 1) & (latent <= n))  # also catches NaN
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise ValueError(
            f"latent maturity must be within 1..{n}; client {profiles.index[row]!r} has "
            f"{latent[row, col]!r} for {dim_ids[col]!r}"
        )
    return profiles.index.astype(str).to_numpy(dtype=object), latent


def _per_client(value: object, index: pd.Index, name: str, cast: type) -> np.ndarray:
    """Broadcast a scalar or align a per-client sequence/Series with the profile rows."""
    n = len(index)
    if isinstance(value, str | int | np.integer):
        return np.full(n, cast(value), dtype=object if cast is str else np.int64)
    if isinstance(value, pd.Series):
        missing = index.difference(value.index)
        if len(missing):
            raise ValueError(f"{name} has no value for client(s) {list(missing[:5])}")
        value = value.reindex(index)
    out = np.asarray(value, dtype=object if cast is str else np.int64)
    if out.shape != (n,):
        raise ValueError(f"{name} needs one value per client ({n}); got shape {out.shape}")
    return out.astype(str).astype(object) if cast is str else out


def _default_roster(
    rng: np.random.Generator, counts: np.ndarray, roles: tuple[str, ...]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Respondents ``r1 .. rk`` per client with roles: the lead first, then a rotation."""
    if not roles:
        raise ValueError("roles must name at least one role")
    n_resp = int(counts.sum())
    client = np.repeat(np.arange(len(counts)), counts)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    rank = np.arange(n_resp) - starts
    labels = np.array([f"r{k}" for k in range(1, int(counts.max(initial=1)) + 1)], dtype=object)
    role_names = np.asarray(roles, dtype=object)
    others = len(roles) - 1
    if others:
        # A random starting point per client varies who else answers; the lead stays first.
        offset = rng.integers(0, others, size=len(counts))[client]
        role_pos = np.where(rank == 0, 0, 1 + (offset + rank - 1) % others)
    else:
        role_pos = np.zeros(n_resp, dtype=np.intp)
    return client, rank, labels[rank], role_names[role_pos]


def _given_roster(
    roster: pd.DataFrame, client_ids: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Validate a named roster and put it in profile order (stable within a client)."""
    needed = {"client_id", "respondent", "role"}
    if not needed <= set(roster.columns):
        raise ValueError(f"roster needs columns {sorted(needed)}; got {list(roster.columns)}")
    position = pd.Series(np.arange(len(client_ids)), index=pd.Index(client_ids, dtype="str"))
    ids = roster["client_id"].astype("str")
    unknown = sorted(set(ids) - set(position.index))
    if unknown:
        raise ValueError(f"roster names client(s) not in profiles: {unknown[:5]}")
    absent = sorted(set(position.index) - set(ids))
    if absent:
        raise ValueError(f"roster has no respondent for client(s) {absent[:5]}")
    pairs = pd.DataFrame({"client_id": ids, "respondent": roster["respondent"].astype("str")})
    if pairs.duplicated().any():
        raise ValueError("roster lists a respondent twice for the same client")
    client = position.reindex(ids).to_numpy(dtype=np.intp)
    order = np.argsort(client, kind="stable")
    client = client[order]
    rank = pd.Series(client).groupby(client).cumcount().to_numpy(dtype=np.intp)
    label = roster["respondent"].astype("str").to_numpy(dtype=object)[order]
    role = roster["role"].astype("str").to_numpy(dtype=object)[order]
    return client, rank, label, role


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


def _value_codes(
    rubric: Rubric, i_idx: np.ndarray, level: np.ndarray, rng: np.random.Generator, na_rate: float
) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Each answer row's value as a code into a vocabulary, and where the answer is ``NA``.

    The vocabulary is ``"1".."n"``, ``"yes"``, ``"no"``, ``"NA"``, then the distinct measured
    strings: anchored rows answer their level, boolean rows ``yes``/``no`` by the side of the
    midpoint their level is on, measured rows a value inside their level's band.
    """
    n = rubric.n_levels
    table = rubric.indicator_table
    kind = table["kind"].to_numpy(dtype=object)
    is_measured = kind == "measured"
    is_boolean = kind == "boolean"
    allow_na = table["allow_na"].to_numpy(dtype=bool)

    # Value vocabulary: "1".."n", "yes", "no", "NA", then the distinct measured strings.
    yes_code, no_code, na_code = n, n + 1, n + 2
    value_code = level - 1
    row_bool = is_boolean[i_idx]
    if row_bool.any():
        yes_level = table["yes_level"].to_numpy(dtype=float)[i_idx[row_bool]]
        no_level = table["no_level"].to_numpy(dtype=float)[i_idx[row_bool]]
        midpoint = (yes_level + no_level) / 2
        # "yes" means being on the yes_level side of the midpoint; works for inverted booleans
        # (yes_level < no_level) too.
        says_yes = (level[row_bool] - midpoint) * np.sign(yes_level - no_level) >= 0
        value_code[row_bool] = np.where(says_yes, yes_code, no_code)

    vocabulary = [str(k) for k in range(1, n + 1)] + ["yes", "no", "NA"]
    row_measured = is_measured[i_idx]
    if row_measured.any():
        codes, texts = _measured_values(rubric, i_idx[row_measured], level[row_measured], rng)
        value_code[row_measured] = len(vocabulary) + codes
        vocabulary.extend(texts)

    is_na = allow_na[i_idx] & (rng.random(len(i_idx)) < na_rate)
    value_code[is_na] = na_code
    return value_code, vocabulary, is_na


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


def _comment_codes(
    rng: np.random.Generator,
    n_rows: int,
    rate: float,
    level: np.ndarray,
    n: int,
    is_na: np.ndarray,
    is_measured: np.ndarray,
) -> np.ndarray:
    """Index into ``["", *pools]``: 0 (no comment) for most rows, else a fitting note."""
    has_comment = rng.random(n_rows) < rate
    # Pool by answer: bottom third of the scale, middle, top third; NA; measured value.
    relative = (level - 1) / (n - 1)
    pool = np.where(relative < 1 / 3, 0, np.where(relative > 2 / 3, 2, 1))
    pool = np.where(is_measured, 4, pool)
    pool = np.where(is_na, 3, pool)
    sizes = np.array([len(p) for p in _COMMENT_POOLS])
    offsets = 1 + np.concatenate([[0], np.cumsum(sizes)[:-1]])
    pick = (rng.random(n_rows) * sizes[pool]).astype(np.intp)
    return np.where(has_comment, offsets[pool] + pick, 0)


def _correlated_scores(
    rng: np.random.Generator, shift: np.ndarray, n_dims: int, n_levels: int
) -> np.ndarray:
    """Scores (orgs x dims) on ``1..n_levels`` from a one-factor model, 2 decimals.

    On the unit interval (0 = level 1, 1 = level n) an organisation sits at
    ``0.375 + shift + 0.13 * factor + offset_dim + 0.09 * noise``: mean 2.5 and SD about 0.63
    on a 5-level scale, so roughly 88% fall between 1.5 and 3.5, and dimensions correlate at
    about 0.67 through the shared factor.
    """
    n_orgs = len(shift)
    offset = rng.normal(0.0, 0.04, size=n_dims)
    factor = rng.standard_normal(n_orgs)
    noise = rng.standard_normal((n_orgs, n_dims))
    unit = 0.375 + shift[:, None] + 0.13 * factor[:, None] + offset[None, :] + 0.09 * noise
    scores = 1 + (n_levels - 1) * np.clip(unit, 0.0, 1.0)
    return np.round(scores, 2)
