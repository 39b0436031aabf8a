"""The workshop's pure logic: tables in, tables out; no store, no widgets.

* what a participant can answer on an indicator (:func:`choices`, :func:`bands`,
  :func:`level_of`);
* the room's view of the votes: the consensus table, hotspots first (:func:`consensus`), the
  answers the engine scores (:func:`answers_from_votes`), everything the facilitator sees in
  one :class:`LiveState` (:func:`compute_state`), and the answers to finalise
  (:func:`proposed_answers`);
* the starting targets of a client (:func:`initial_targets`).

:func:`load_state` is the one function that reads a store: it gathers what
:func:`compute_state` needs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from assessment.exceptions import AssessmentError
from assessment.inputs import ANSWER_COLUMNS, answers_from_frame
from assessment.rubric import Rubric
from assessment.scoring import ScoreResult, default_profile, levels_from_values, score
from assessment.text import label
from assessment.workshop.records import Workshop

if TYPE_CHECKING:  # pragma: no cover - typing only
    from assessment.workshop.store import Store

__all__ = [
    "Choice",
    "LiveState",
    "answers_from_votes",
    "bands",
    "choices",
    "compute_state",
    "consensus",
    "initial_targets",
    "level_of",
    "load_state",
    "proposed_answers",
]


# -- answer choices ------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """One answer a participant can give: the stored ``value`` and what the button says."""

    value: str
    label: str
    level: int | None
    descriptor: str


def choices(rubric: Rubric, indicator_id: str, lang: str = "en") -> list[Choice]:
    """The buttons of an indicator: its levels (anchored), yes/no (boolean), then NA if allowed.

    Measured indicators take a number instead; they get only the NA choice (when allowed).

    Parameters
    ----------
    rubric, indicator_id
        The indicator.
    lang
        Language of the labels and descriptors.

    Returns
    -------
    list of Choice
        In the order the buttons are shown.
    """
    ind = rubric.indicator(indicator_id)
    out: list[Choice] = []
    if ind.kind == "anchored":
        for lvl in sorted(ind.levels):
            out.append(
                Choice(
                    str(lvl),
                    f"{lvl} · {rubric.level_name(lvl, lang)}",
                    lvl,
                    ind.level_text(lvl, lang),
                )
            )
    elif ind.kind == "boolean":
        for key, lvl in (("yes", ind.yes_level), ("no", ind.no_level)):
            assert lvl is not None  # the rubric model guarantees both levels
            out.append(Choice(key, label(f"workshop.{key}", lang), lvl, ind.level_text(lvl, lang)))
    if ind.allow_na:
        out.append(Choice("NA", label("workshop.na", lang), None, ""))
    return out


def bands(rubric: Rubric, indicator_id: str, lang: str = "en") -> list[tuple[int, str, str]]:
    """For a measured indicator: ``(level, value range, descriptor)`` per level.

    Parameters
    ----------
    rubric, indicator_id
        The indicator; any other kind than measured gives an empty list.
    lang
        Language of the descriptors.

    Returns
    -------
    list of tuple
        One ``(level, range, descriptor)`` per level, lowest first; e.g. ``"4–24 hours"``.
    """
    ind = rubric.indicator(indicator_id)
    if ind.kind != "measured" or not ind.thresholds:
        return []
    unit = f" {ind.unit}" if ind.unit else ""
    t = ind.thresholds
    low = ind.direction == "lower_is_better"
    out = []
    for lvl in range(1, rubric.n_levels + 1):
        if lvl == 1:
            rng = f"> {t[0]:g}{unit}" if low else f"< {t[0]:g}{unit}"
        elif lvl == rubric.n_levels:
            rng = f"≤ {t[-1]:g}{unit}" if low else f"≥ {t[-1]:g}{unit}"
        else:
            a, b = t[lvl - 2], t[lvl - 1]
            rng = f"{b:g}–{a:g}{unit}" if low else f"{a:g}–{b:g}{unit}"
        out.append((lvl, rng, ind.level_text(lvl, lang)))
    return out


def level_of(rubric: Rubric, indicator_id: str, value: str) -> float:
    """The level a stored vote stands for (NaN for NA).

    Parameters
    ----------
    rubric, indicator_id
        The indicator voted on.
    value
        The vote as the store keeps it (:func:`~assessment.workshop.records.normalise_value`).

    Returns
    -------
    float
        The level, or NaN for ``"NA"``.
    """
    ind = rubric.indicator(indicator_id)
    if value == "NA":
        return math.nan
    if ind.kind == "boolean":
        return float(ind.yes_level if value == "yes" else ind.no_level)  # type: ignore[arg-type]
    if ind.kind == "measured":
        return float(
            levels_from_values(
                np.array([float(value)]),
                np.array([ind.thresholds], dtype=float),
                np.array([ind.direction == "lower_is_better"]),
            )[0]
        )
    return float(value)


# -- targets -------------------------------------------------------------------------------


def initial_targets(
    rubric: Rubric,
    *,
    client_id: str = "",
    clients: pd.DataFrame | None = None,
    targets: pd.DataFrame | None = None,
) -> dict[str, float]:
    """Starting targets per dimension: the client's target profile, else the rubric's default.

    Parameters
    ----------
    rubric
        The workshop's rubric.
    client_id
        The client whose profile is looked up in ``clients``.
    clients
        Clients table (``target_profile`` column) from :func:`~assessment.inputs.load_clients`.
    targets
        Custom profiles (``profile_id, dimension_id, target``) from
        :func:`~assessment.inputs.load_targets`.

    Returns
    -------
    dict
        ``dimension_id -> target`` for every dimension.
    """
    profile = default_profile(rubric)
    if clients is not None and client_id in set(clients["client_id"]):
        chosen = str(clients.set_index("client_id").loc[client_id, "target_profile"] or "")
        profile = chosen or profile
    top = float(rubric.n_levels)
    if targets is not None and profile in set(targets["profile_id"]):
        sub = targets.loc[targets["profile_id"] == profile].set_index("dimension_id")["target"]
        return {d.id: float(sub.get(d.id, top)) for d in rubric.dimensions}
    try:
        prof = rubric.target_profile(profile)
    except KeyError:
        return {d.id: top for d in rubric.dimensions}
    return {
        d.id: float(prof.dimensions.get(d.id, prof.default if prof.default is not None else top))
        for d in rubric.dimensions
    }


# -- consensus -----------------------------------------------------------------------------


def _indicator_frame(rubric: Rubric) -> pd.DataFrame:
    """One row per indicator of ``rubric``: the columns of :func:`consensus` that never change."""
    table = rubric.indicator_table
    return pd.DataFrame(
        {
            "indicator_id": table.index,
            "dimension_id": table["dimension_id"].to_numpy(),
            "order": table["order"].to_numpy(),
            "name": table["name"].to_numpy(),
            "kind": table["kind"].to_numpy(),
        }
    )


def _distribution(rubric: Rubric, answers: pd.DataFrame) -> np.ndarray:
    """Votes per indicator (rows, rubric order) and level (columns 1..n); NA votes left out."""
    table = rubric.indicator_table
    n = rubric.n_levels
    dist = np.zeros((len(table), n), dtype=np.int64)
    # Facts (numbers about the client, not levels) have no distribution; NA votes neither.
    known = table.index.get_indexer(answers["indicator_id"].astype(str)) >= 0
    given = answers.loc[~answers["is_na"].to_numpy(dtype=bool) & known]
    pos = table.index.get_indexer(given["indicator_id"].astype(str))
    meta = table.iloc[pos]
    tcols = [f"t{k}" for k in range(2, n + 1)]
    number = given["number"].to_numpy(dtype=float)
    measured = (meta["kind"] == "measured").to_numpy()
    levels = np.where(
        measured,
        levels_from_values(
            number,
            meta[tcols].to_numpy(dtype=float),
            (meta["direction"] == "lower_is_better").to_numpy(),
        ),
        number,
    )
    ok = ~np.isnan(levels)
    np.add.at(dist, (pos[ok], levels[ok].astype(np.int64) - 1), 1)
    return dist


def consensus(
    rubric: Rubric, answers: pd.DataFrame | None, result: ScoreResult | None
) -> pd.DataFrame:
    """Per indicator: the vote distribution, median level, spread and agreement (``r_wg``).

    Parameters
    ----------
    rubric
        The workshop's rubric.
    answers
        Validated answers of one assessment (``answers_from_frame``), or ``None``.
    result
        Their score (``None`` without votes).

    Returns
    -------
    pandas.DataFrame
        One row per indicator, **disagreement hotspots first** (then lowest ``r_wg``, widest
        range, rubric order): ``indicator_id, dimension_id, order, name, kind, n, n_na,
        distribution`` (a tuple: votes per level 1..n), ``level`` (the engine's median),
        ``value`` (aggregated measurement), ``iqr, range, rwg, hotspot, status``.
    """
    table = rubric.indicator_table
    out = _indicator_frame(rubric)
    dist = np.zeros((len(table), rubric.n_levels), dtype=np.int64)
    if result is None or answers is None or answers.empty:
        for col, val in (("n", 0), ("n_na", 0), ("level", np.nan), ("value", np.nan)):
            out[col] = val
        for col in ("iqr", "range", "rwg"):
            out[col] = np.nan
        out["hotspot"] = False
        out["status"] = "missing"
    else:
        ind = result.indicators.set_index("indicator_id").reindex(table.index)
        for col in ("n", "n_na"):
            out[col] = ind[col].fillna(0).astype(np.int64).to_numpy()
        for col in ("level", "value", "iqr", "range", "rwg"):
            out[col] = ind[col].to_numpy(dtype=float)
        out["hotspot"] = ind["hotspot"].fillna(False).astype(bool).to_numpy()
        out["status"] = ind["status"].fillna("missing").astype(str).to_numpy()
        dist = _distribution(rubric, answers)
    out["distribution"] = [tuple(int(x) for x in row) for row in dist]
    # The agenda: hotspots, then the weakest agreement, then the widest spread.
    out["_rwg"] = out["rwg"].fillna(2.0)
    out["_range"] = out["range"].fillna(-1.0)
    out = out.sort_values(
        ["hotspot", "_rwg", "_range", "order"], ascending=[False, True, False, True]
    )
    return out.drop(columns=["_rwg", "_range"]).reset_index(drop=True)


def answers_from_votes(votes: pd.DataFrame, rubric: Rubric, workshop: Workshop) -> pd.DataFrame:
    """The validated answers of :func:`~assessment.inputs.answers_from_frame`, built fast.

    The store accepts only canonical values (:func:`~assessment.workshop.records.normalise_value`),
    so the text checks and parsing of the general loader can be skipped: this is what keeps a
    live refresh within its budget.  Anything unexpected (an indicator the rubric does not know,
    a value that is not canonical) goes through ``answers_from_frame`` instead, which reports it.

    Parameters
    ----------
    votes
        The latest votes (:meth:`~assessment.workshop.store.Store.votes`).
    rubric, workshop
        The workshop and its rubric.

    Returns
    -------
    pandas.DataFrame
        Validated answers, as ``answers_from_frame`` returns them.

    Raises
    ------
    DataValidationError
        When a vote is not canonical and the full validation finds it wrong.
    """

    frame = votes.assign(client_id=workshop.client_id, date=workshop.date)[ANSWER_COLUMNS]
    table = rubric.indicator_table
    meta = table.reindex(frame["indicator_id"].astype(str))
    value = frame["value"].astype(str).to_numpy()
    is_na = value == "NA"
    # Facts (numbers about the client that computed indicators use) are not indicators.
    is_fact = frame["indicator_id"].astype(str).isin([f.id for f in rubric.facts]).to_numpy()
    kind = np.where(is_fact, "fact", meta["kind"].to_numpy())
    boolean = kind == "boolean"
    numeric = ~is_na & ~boolean
    number = np.full(len(frame), np.nan)
    with np.errstate(invalid="ignore"):
        parsed = pd.to_numeric(pd.Series(value[numeric]), errors="coerce").to_numpy(float)
    number[numeric] = parsed
    yes, no = value == "yes", value == "no"
    number = np.where(
        boolean, np.where(yes, meta["yes_level"].to_numpy(), meta["no_level"].to_numpy()), number
    )
    canonical = (
        (meta["kind"].notna().to_numpy() | is_fact).all()
        and np.isfinite(number[numeric]).all()
        and (yes | no)[boolean].all()
        and not (is_na & ~meta["allow_na"].fillna(False).to_numpy(dtype=bool)).any()
    )
    if not canonical:
        return answers_from_frame(frame, rubric, source=f"workshop #{workshop.id}")
    roles = frame["role"].astype(str)
    out = pd.DataFrame(
        {
            **{c: frame[c].astype(str).to_numpy() for c in ANSWER_COLUMNS},
            # The same columns as answers_from_frame: votes cite no document, and the engine
            # decides who was asked from the rubric role each participant's role names.
            "evidence": "",
            "role_id": roles.map({r: rubric.role_id(r) or "" for r in set(roles)}).to_numpy(),
            "dimension_id": meta["dimension_id"].fillna("").to_numpy(),
            "kind": kind,
            "number": np.where(is_na, np.nan, number).astype("float64"),
            "is_na": is_na,
            "file": f"workshop #{workshop.id}",
            "row": np.arange(2, len(frame) + 2, dtype="int64"),
        }
    )
    for col in ("client_id", "date", "indicator_id"):
        out[col] = out[col].astype("category")
    out.attrs["sources"] = {}
    return out


# -- live state ----------------------------------------------------------------------------


@dataclass
class LiveState:
    """Everything the facilitator view shows, computed from the store in one go."""

    workshop: Workshop
    rubric: Rubric
    revision: int
    votes: pd.DataFrame
    answers: pd.DataFrame | None
    result: ScoreResult | None
    consensus: pd.DataFrame
    scores: dict[str, float]
    targets: dict[str, float]
    agreed: dict[str, str]
    notes: dict[str, str]
    participants: int
    error: str = ""

    @property
    def n_votes(self) -> int:
        """Votes that count (each participant's latest per indicator)."""
        return len(self.votes)


def _dimension_scores(rubric: Rubric, result: ScoreResult | None) -> dict[str, float]:
    """Score per dimension for the radar; NaN where nobody voted."""
    if result is None:
        return {d.id: math.nan for d in rubric.dimensions}
    dims = result.dimensions.set_index("dimension_id")
    # A dimension nobody voted on has no raw score; its gates must not give it one (the
    # engine's fmin(NaN, cap) returns the cap), so only dimensions with votes are drawn.
    scored = dims["score"].where(dims["raw_score"].notna())
    return {d.id: float(scored.get(d.id, math.nan)) for d in rubric.dimensions}


def compute_state(
    workshop: Workshop,
    rubric: Rubric,
    votes: pd.DataFrame,
    *,
    targets: Mapping[str, float],
    agreed: Mapping[str, str] | None = None,
    notes: Mapping[str, str] | None = None,
    participants: int = 0,
    revision: int = 0,
) -> LiveState:
    """Score the votes and build the consensus table and radar data (no store access).

    Parameters
    ----------
    workshop, rubric
        The workshop and its rubric.
    votes
        The latest votes (:meth:`~assessment.workshop.store.Store.votes`).
    targets
        Target per dimension (agreed ones over the starting profile).
    agreed, notes
        The room's agreed answers and the facilitator's notes, per indicator.
    participants
        How many people joined.
    revision
        The store's revision these data were read at.

    Returns
    -------
    LiveState
        With ``error`` set (and no score) when the votes fail validation.
    """
    answers = result = None
    error = ""
    if len(votes):
        try:
            answers = answers_from_votes(votes, rubric, workshop)
            result = score(rubric, answers)
        except AssessmentError as exc:  # votes are validated on entry; this guards hand edits
            error = str(exc)
            answers = result = None
    return LiveState(
        workshop=workshop,
        rubric=rubric,
        revision=revision,
        votes=votes,
        answers=answers,
        result=result,
        consensus=consensus(rubric, answers, result),
        scores=_dimension_scores(rubric, result),
        targets=dict(targets),
        agreed=dict(agreed or {}),
        notes=dict(notes or {}),
        participants=participants,
        error=error,
    )


def load_state(store: Store, workshop_id: int, base_targets: Mapping[str, float]) -> LiveState:
    """Read the workshop from the store and :func:`compute_state` it.

    Parameters
    ----------
    store, workshop_id
        The workshop to read.
    base_targets
        Targets before any agreement; the agreed ones override them.

    Returns
    -------
    LiveState
        The state at the store's current revision.
    """
    revision = store.revision(workshop_id)
    return compute_state(
        store.workshop(workshop_id),
        store.rubric(workshop_id),
        store.votes(workshop_id),
        targets={**base_targets, **store.targets(workshop_id)},
        agreed=store.agreed(workshop_id),
        notes=store.notes(workshop_id),
        participants=len(store.participants(workshop_id)),
        revision=revision,
    )


def proposed_answers(state: LiveState) -> dict[str, str]:
    """The answers to finalise: what the room agreed, else what the votes say.

    From the votes, an anchored indicator takes its median level rounded **down** (a level the
    room is split about is not yet shown, the same caution the engine's gates apply), a boolean
    one the majority (a tie is "no"), a measured one the median value; an indicator whose every
    vote is NA is NA.  Indicators without votes or agreement are left out.

    Parameters
    ----------
    state
        The workshop's live state.

    Returns
    -------
    dict
        ``indicator_id -> value`` in rubric order, values as the store keeps them.
    """
    rubric = state.rubric
    out: dict[str, str] = {}
    for row in state.consensus.sort_values("order").itertuples(index=False):
        iid = str(row.indicator_id)
        if iid in state.agreed:
            out[iid] = state.agreed[iid]
            continue
        if row.status == "na":
            out[iid] = "NA"
        elif row.status == "answered":
            ind = rubric.indicator(iid)
            if ind.kind == "measured":
                out[iid] = f"{float(row.value):.15g}"
            elif ind.kind == "boolean":
                out[iid] = "yes" if row.level == ind.yes_level else "no"
            else:
                out[iid] = str(math.floor(float(row.level)))
    return out
