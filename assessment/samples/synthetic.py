"""Synthetic assessment data for any rubric: answers, peer benchmarks and latent profiles.

Everything here is *fictitious* and seeded.  The generators serve three purposes:

* sample files for the documentation and notebooks (``data/samples/generate.py``);
* tests that need realistic, rubric-valid input without real client data;
* benchmarks (10,000 organisations x every indicator x 5 respondents).

The model is deliberately simple and explicit so that a test can invert it:

* a client has a *latent maturity* per dimension (a float on the rubric's 1..n scale), which
  ``indicator_levels`` can override for single indicators (a story about one practice: slow
  approvals in a well-governed bank);
* who answers what follows the rubric's roles (:mod:`assessment.samples.who`): a respondent
  answers what is asked of their role, and one responsible respondent reports each measured
  indicator and each fact; computed indicators are left to the engine;
* each respondent perceives an indicator at ``clip(round(latent + noise * Z), 1, n)`` with
  ``Z`` a standard normal cut at +-2 -- the respondent's level -- with half the noise for
  measured indicators, which are read from an export rather than judged;
* the level becomes an answer as :mod:`assessment.samples.values` describes (a level, yes/no,
  or a number in the level's band); facts are written as given;
* ``NA`` is answered only where the caller says the rubric's ``na_when`` holds
  (``not_applicable``), or, for random organisations, with probability ``na_rate`` per client
  and indicator -- either way by every respondent asked, never as one respondent's whim;
* answers carry an ``evidence`` reference where the client holds a document, more often at the
  levels whose evidence the rubric requires (``evidence_rate`` per client).

No function draws per row in Python: the heavy paths are numpy arrays end to end, and string
columns are built by ``take`` from small vocabularies, so 2 million answer rows take about a
second.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from assessment.samples.values import (
    CITE_SHARE,
    COMMENT_VOCABULARY,
    comment_codes,
    documented,
    evidence_codes,
    fact_text,
    value_codes,
)
from assessment.samples.who import (
    ROLES,
    Items,
    People,
    default_roles,
    given_people,
    items_of,
    roster_people,
    who_answers,
)

if TYPE_CHECKING:  # pragma: no cover - typing only
    from assessment.rubric import Rubric

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
ANSWER_COLUMNS = (
    "client_id",
    "date",
    "respondent",
    "role",
    "indicator_id",
    "value",
    "comment",
    "evidence",
)


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


_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Perception noise is cut at this many standard deviations.
MAX_Z = 2.0

#: ``not_applicable``: per client, the indicator ids answered NA (or a mapping id -> the reason,
#: which becomes the responsible respondent's note).
NotApplicable = Mapping[str, Mapping[str, str] | Iterable[str]]


# -- public API -------------------------------------------------------------------------------


def synthetic_answers(
    rubric: Rubric,
    profiles: pd.DataFrame,
    *,
    respondents: int | Sequence[int] | np.ndarray | pd.Series = 3,
    date: str | Sequence[str] | pd.Series = "2025-03-15",
    seed: int = 0,
    noise: float = 0.6,
    na_rate: float = 0.0,
    roles: Sequence[str] | None = None,
    roster: pd.DataFrame | None = None,
    comment_rate: float = 0.03,
    indicator_levels: pd.DataFrame | None = None,
    facts: pd.DataFrame | None = None,
    not_applicable: NotApplicable | None = None,
    evidence_rate: float | Sequence[float] | pd.Series = 0.5,
) -> pd.DataFrame:
    """Generate answers in the long format for clients with known latent maturity.

    Parameters
    ----------
    rubric
        Any valid rubric, with or without roles and facts.
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
        Standard deviation, in levels, of a respondent's perception around the latent level
        (half of it for measured indicators).
    na_rate
        For random organisations: the probability that an indicator with ``allow_na`` does not
        apply to a client; every respondent asked it then answers ``"NA"``.  Default 0: ``NA``
        only where ``not_applicable`` says so.
    roles
        Role names to assign.  The first respondent of each client gets ``roles[0]`` (the
        lead); the others cycle through the remaining roles from a random starting point.
        Defaults to the rubric's roles (:func:`assessment.samples.who.default_roles`: the
        first respondents together are asked every item), or :data:`ROLES` for a rubric
        without roles.  Ignored with ``roster``.
    roster
        Named respondents instead of generated ones: a frame with columns ``client_id``,
        ``respondent`` and ``role``, one row per respondent, in the order that breaks ties
        between respondents of the same role.  Every client of ``profiles`` needs a row.
    comment_rate
        Probability that an answer carries a short note (English or Arabic).
    indicator_levels
        Latent maturity of single indicators, overriding their dimension's: index = client id,
        columns = indicator ids, NaN = no override.  Computed indicators take no override:
        their level comes from the facts.
    facts
        Each client's facts: index = client id, columns = fact ids of ``rubric``, NaN = not
        given.  The responsible respondent reports each given fact.  Without it, no fact is
        answered and computed indicators stay unanswered.
    not_applicable
        Per client id, the indicators (``allow_na`` only) whose ``na_when`` holds for it.
    evidence_rate
        Per client (or one for all): the probability that the client holds a document for an
        indicator at a level whose evidence the rubric requires (less below it).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`ANSWER_COLUMNS`, all of string dtype, ordered by client (as in
        ``profiles``), respondent, then item (indicators in rubric order, then facts).
        ``evidence`` is empty where an answer cites no document.

    Raises
    ------
    ValueError
        If a profile misses a dimension or holds a value outside the scale, an override, fact
        or NA names something the rubric does not allow, or another argument is out of range.

    Examples
    --------
    >>> from assessment.rubric import load_rubric
    >>> rubric = load_rubric("social-media")
    >>> answers = synthetic_answers(rubric, random_profiles(rubric, 2, seed=1), seed=1)
    >>> list(answers.columns)
    ['client_id', 'date', 'respondent', 'role', 'indicator_id', 'value', 'comment', 'evidence']
    """
    _check_rates(noise=noise, na_rate=na_rate, comment_rate=comment_rate)
    client_ids, latent = _profile_matrix(rubric, profiles)
    index = profiles.index
    dates = _per_client(date, index, "date", str)
    bad_dates = sorted({d for d in dates if not _DATE_RE.match(d)})
    if bad_dates:
        raise ValueError(f"dates must be written YYYY-MM-DD; got {bad_dates[:5]}")
    rate = _per_client(evidence_rate, index, "evidence_rate", float)
    if not ((rate >= 0) & (rate <= 1)).all():
        raise ValueError("evidence_rate must be within 0..1")
    truth = _indicator_latent(rubric, index, latent, indicator_levels)
    fact_matrix = _fact_matrix(rubric, index, facts)
    na, reason_code, reasons = _na_matrix(rubric, index, not_applicable)

    rng = np.random.default_rng(seed)
    people = _people(rng, rubric, client_ids, index, respondents, roles, roster)
    if na_rate:
        allow_na = rubric.indicator_table["allow_na"].to_numpy(dtype=bool)
        na |= allow_na[None, :] & (rng.random(na.shape) < na_rate)
    items = items_of(rubric)
    answering, responsible = who_answers(rubric, items, people)
    answering[:, items.n_indicators :] &= ~np.isnan(fact_matrix[people.client])
    # np.nonzero walks the mask row-major: respondent by respondent, items in order.
    r_idx, i_idx = np.nonzero(answering)
    rows = _Rows(people.client[r_idx], i_idx, responsible[r_idx, i_idx], items)

    level = rows.levels(rng, truth, noise, rubric.n_levels)
    is_na = ~rows.is_fact & na[rows.client, rows.ind]
    value_code, vocabulary = _values(rubric, rows, level, is_na, fact_matrix, rng)
    comment_code = comment_codes(
        rng, comment_rate, level, rubric.n_levels, is_na, rows.is_fact | rows.measured
    )
    # The reason an NA applies is the responsible respondent's note.
    reason = np.where(is_na & rows.responsible, reason_code[rows.client, rows.ind], 0)
    comment_code = np.where(reason > 0, len(COMMENT_VOCABULARY) + reason - 1, comment_code)
    date_vocab, date_code = np.unique(dates.astype(str), return_inverse=True)
    cites = _cites(rng, rubric, rows, truth, rate, level, is_na)
    evidence_code, evidence_vocab = evidence_codes(
        rubric, date_vocab, rows.ind, date_code[rows.client], cites
    )

    label_vocab, label_code = np.unique(people.label.astype(str), return_inverse=True)
    role_vocab, role_code = np.unique(people.role.astype(str), return_inverse=True)
    columns = {
        "client_id": _take(client_ids, rows.client),
        "date": _take(dates, rows.client),
        "respondent": _take(label_vocab, label_code[r_idx]),
        "role": _take(role_vocab, role_code[r_idx]),
        "indicator_id": _take(items.ids, i_idx),
        "value": _take(vocabulary, value_code),
        "comment": _take([*COMMENT_VOCABULARY, *reasons], comment_code),
        "evidence": _take(evidence_vocab, evidence_code),
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


# -- helpers: profiles -----------------------------------------------------------------------


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
    dtype = {str: object, int: np.int64, float: np.float64}[cast]
    if isinstance(value, str | int | float | np.integer | np.floating):
        return np.full(n, cast(value), dtype=dtype)
    if isinstance(value, pd.Series):
        missing = index.difference(value.index)
        if len(missing):
            raise ValueError(f"{name} has no value for client(s) {list(missing[:5])}")
        value = value.reindex(index)
    out = np.asarray(value, dtype=dtype)
    if out.shape != (n,):
        raise ValueError(f"{name} needs one value per client ({n}); got shape {out.shape}")
    return out.astype(str).astype(object) if cast is str else out


# -- helpers: the rows ------------------------------------------------------------------------


class _Rows:
    """The answer rows: whose client, which item, and what kind of item each row is."""

    def __init__(
        self, client: np.ndarray, item: np.ndarray, responsible: np.ndarray, items: Items
    ) -> None:
        self.client = client
        self.item = item
        self.responsible = responsible
        kind = items.kind[item]
        self.is_fact = kind == "fact"
        self.measured = kind == "measured"
        # Indicator position of each row (0 for facts, whose rows never read it).
        self.ind = np.where(self.is_fact, 0, item).astype(np.intp)
        self.n_indicators = items.n_indicators

    def levels(
        self, rng: np.random.Generator, truth: np.ndarray, noise: float, n: int
    ) -> np.ndarray:
        """Each row's perceived level (1 for facts, which have none)."""
        spread = np.where(self.measured, noise / 2, noise)
        # Truncated at two standard deviations: a respondent misjudges by a level, not by
        # three (one wild draw in thousands contradicted a client's story).
        z = np.clip(rng.standard_normal(len(self.item)), -MAX_Z, MAX_Z)
        perceived = truth[self.client, self.ind] + spread * z
        level = np.clip(np.rint(perceived), 1, n).astype(np.intp)
        return np.where(self.is_fact, 1, level)


def _values(
    rubric: Rubric,
    rows: _Rows,
    level: np.ndarray,
    is_na: np.ndarray,
    fact_matrix: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, list[str]]:
    """Value codes of every row into one vocabulary: indicator answers, then facts."""
    code = np.zeros(len(level), dtype=np.intp)
    answer = ~rows.is_fact
    code[answer], vocabulary = value_codes(
        rubric, rows.ind[answer], level[answer], is_na[answer], rng
    )
    if rows.is_fact.any():
        fact_pos = rows.item[rows.is_fact] - rows.n_indicators
        codes, texts = fact_text(fact_matrix[rows.client[rows.is_fact], fact_pos])
        code[rows.is_fact] = len(vocabulary) + codes
        vocabulary = [*vocabulary, *texts]
    return code, vocabulary


def _cites(
    rng: np.random.Generator,
    rubric: Rubric,
    rows: _Rows,
    truth: np.ndarray,
    rate: np.ndarray,
    level: np.ndarray,
    is_na: np.ndarray,
) -> np.ndarray:
    """Which rows cite a document: the client holds one, and the respondent points to it."""
    true_level = np.clip(np.rint(truth), 1, rubric.n_levels)
    held = documented(rng, rubric, true_level, rate)
    points = rows.responsible | (rng.random(len(level)) < CITE_SHARE)
    # Nobody cites a document for "nothing exists" (level 1) or for a question that does
    # not apply; facts carry no evidence level.
    return held[rows.client, rows.ind] & points & ~rows.is_fact & ~is_na & (level >= 2)


# -- helpers: the inputs ----------------------------------------------------------------------


def _check_rates(*, noise: float, na_rate: float, comment_rate: float) -> None:
    if not noise >= 0:
        raise ValueError(f"noise must be >= 0; got {noise!r}")
    for name, rate in (("na_rate", na_rate), ("comment_rate", comment_rate)):
        if not 0 <= rate <= 1:
            raise ValueError(f"{name} must be within 0..1; got {rate!r}")


def _people(
    rng: np.random.Generator,
    rubric: Rubric,
    client_ids: np.ndarray,
    index: pd.Index,
    respondents: object,
    roles: Sequence[str] | None,
    roster: pd.DataFrame | None,
) -> People:
    """The respondents: the given roster, or generated ones with the rubric's roles."""
    if roster is not None:
        return given_people(roster, client_ids)
    counts = _per_client(respondents, index, "respondents", int)
    if (counts < 1).any():
        raise ValueError("every client needs at least one respondent")
    names, fixed = default_roles(rubric) if roles is None else (tuple(roles), 1)
    return roster_people(rng, counts, names, fixed)


def _client_frame(
    frame: pd.DataFrame, index: pd.Index, columns: Sequence[str], name: str
) -> np.ndarray:
    """``frame`` as a float matrix aligned with the profile rows and ``columns`` (NaN-filled).

    Raises ``ValueError`` for clients not in the profiles and columns not in ``columns``.
    """
    unknown = [str(c) for c in frame.columns if c not in set(columns)]
    if unknown:
        raise ValueError(f"{name} names column(s) the rubric does not allow: {unknown[:5]}")
    strangers = [str(c) for c in frame.index if c not in set(index)]
    if strangers:
        raise ValueError(f"{name} names client(s) not in profiles: {strangers[:5]}")
    try:
        return frame.reindex(index=index, columns=list(columns)).to_numpy(dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must hold numbers: {exc}") from None


def _indicator_latent(
    rubric: Rubric, index: pd.Index, latent: np.ndarray, overrides: pd.DataFrame | None
) -> np.ndarray:
    """``(C, I)``: each client's latent maturity per indicator (its dimension's, or overridden)."""
    table = rubric.indicator_table
    dim_pos = {d.id: k for k, d in enumerate(rubric.dimensions)}
    out = latent[:, table["dimension_id"].map(dim_pos).to_numpy(dtype=np.intp)]
    if overrides is None:
        return out
    allowed = list(table.index[table["kind"] != "computed"])
    values = _client_frame(overrides, index, allowed, "indicator_levels")
    full = pd.DataFrame(values, columns=allowed).reindex(columns=table.index).to_numpy()
    n = rubric.n_levels
    if (~np.isnan(full) & ~((full >= 1) & (full <= n))).any():
        raise ValueError(f"indicator_levels must be within 1..{n}")
    return np.where(np.isnan(full), out, full)


def _fact_matrix(rubric: Rubric, index: pd.Index, facts: pd.DataFrame | None) -> np.ndarray:
    """``(C, F)``: each client's facts in rubric order (NaN: not given)."""
    ids = [f.id for f in rubric.facts]
    if facts is None:
        return np.full((len(index), len(ids)), np.nan)
    values = _client_frame(facts, index, ids, "facts")
    for k, fact in enumerate(rubric.facts):
        col = values[:, k]
        low = -np.inf if fact.minimum is None else fact.minimum
        high = np.inf if fact.maximum is None else fact.maximum
        if (~np.isnan(col) & ((col < low) | (col > high))).any():
            raise ValueError(f"facts: {fact.id!r} must be within {low:g}..{high:g}")
    return values


def _na_matrix(
    rubric: Rubric, index: pd.Index, not_applicable: NotApplicable | None
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """``(C, I)`` NA flags and reason codes (0: none; k: ``reasons[k - 1]``), and the reasons."""
    table = rubric.indicator_table
    na = np.zeros((len(index), len(table)), dtype=bool)
    code = np.zeros(na.shape, dtype=np.intp)
    reasons: list[str] = []
    for client, spec in (not_applicable or {}).items():
        if client not in index:
            raise ValueError(f"not_applicable names client {client!r}, not in profiles")
        c = index.get_loc(client)
        entries = spec.items() if isinstance(spec, Mapping) else ((i, "") for i in spec)
        for indicator_id, reason in entries:
            if indicator_id not in table.index or not table.at[indicator_id, "allow_na"]:
                raise ValueError(f"indicator {indicator_id!r} does not allow NA")
            k = table.index.get_loc(indicator_id)
            na[c, k] = True
            if reason:
                reasons.append(reason)
                code[c, k] = len(reasons)
    return na, code, reasons


def _take(
    values: Sequence[str] | np.ndarray, codes: np.ndarray
) -> pd.api.extensions.ExtensionArray:
    """String array ``values[codes]``: converting the small vocabulary once is ~10x faster."""
    vocab = pd.array(np.asarray(values, dtype=object), dtype="str")
    return vocab.take(np.asarray(codes, dtype=np.intp))


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
