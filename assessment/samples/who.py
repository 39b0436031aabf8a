"""Who answers what in synthetic data: rosters, the roles each question is asked of, and who
reports a measurement.

A rubric with roles says, per indicator and per fact, which roles are asked (``asked_of``).
Synthetic respondents follow the same rule the engine applies (:mod:`assessment.inputs.asked`):

* a respondent whose role the rubric recognises (``rubric.role_id``) answers only what is asked
  of that role, plus anything that names no role;
* a respondent whose role matches none of the rubric's, and every respondent of a rubric
  without roles, is asked everything;
* a measured indicator or a fact is a number about the organisation, not an opinion, so one
  respondent reports it: the one *responsible*, i.e. the asked respondent whose role comes
  first in the item's ``asked_of`` (the rubric lists the owner first: the care lead for care
  figures, finance for the budget share), the first such respondent in roster order on a tie;
  a respondent asked everything ranks after the named roles;
* computed indicators are never answered: the engine derives them from the facts.

Everything here works on small arrays (respondents x items); nothing loops per answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover - typing only
    from assessment.rubric import Rubric

__all__ = [
    "ROLES",
    "Items",
    "People",
    "default_roles",
    "given_people",
    "items_of",
    "roster_people",
    "who_answers",
]

#: Respondent roles for rubrics that declare none.  The first is the function's lead: the first
#: respondent of a client holds it, and the first respondent reports measured values.  Each is
#: also a spelling the packaged rubric recognises.
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

#: Item kinds that one respondent reports for the whole assessment.
SINGLE = ("measured", "fact")


@dataclass(frozen=True)
class Items:
    """What can be answered: the rubric's indicators in order, then its facts."""

    ids: np.ndarray  # object array of ids
    kind: np.ndarray  # anchored, measured, boolean, computed, or fact
    asked_of: tuple[tuple[str, ...], ...]
    n_indicators: int


@dataclass(frozen=True)
class People:
    """The respondents, grouped by client in profile order (rank 0 first within a client)."""

    client: np.ndarray  # position of the respondent's client in the profiles
    rank: np.ndarray
    label: np.ndarray
    role: np.ndarray


def items_of(rubric: Rubric) -> Items:
    """The answerable items of ``rubric``: indicators in rubric order, then facts."""
    indicators = [ind for _, ind in rubric.iter_indicators()]
    facts = list(rubric.facts)
    return Items(
        ids=np.array([i.id for i in indicators] + [f.id for f in facts], dtype=object),
        kind=np.array([i.kind for i in indicators] + ["fact"] * len(facts), dtype=object),
        asked_of=tuple(tuple(x.asked_of) for x in (*indicators, *facts)),
        n_indicators=len(indicators),
    )


def default_roles(rubric: Rubric) -> tuple[tuple[str, ...], int]:
    """Role names for generated respondents, and how many of them take fixed places.

    Without rubric roles: :data:`ROLES`, the lead fixed first.  With them: the roles' English
    names, ordered so that the first few together are asked every item -- greedily, the role
    that adds the most unasked items first (ties: the role asked more items, then rubric
    order) -- and those few are fixed; later respondents rotate through the rest.
    """
    if not rubric.roles:
        return ROLES, 1
    items = items_of(rubric)
    asks = {
        r.id: {k for k, a in enumerate(items.asked_of) if not a or r.id in a} for r in rubric.roles
    }
    order: list[str] = []
    covered: set[int] = set()
    remaining = [r.id for r in rubric.roles]
    fixed = 0
    while remaining:
        best = max(remaining, key=lambda r: (len(asks[r] - covered), len(asks[r])))
        if asks[best] - covered:
            fixed += 1
        covered |= asks[best]
        order.append(best)
        remaining.remove(best)
    names = {r.id: r.name["en"] for r in rubric.roles}
    return tuple(names[r] for r in order), max(fixed, 1)


def roster_people(
    rng: np.random.Generator, counts: np.ndarray, roles: tuple[str, ...], fixed: int
) -> People:
    """Respondents ``r1 .. rk`` per client: ``roles[:fixed]`` first, then a rotation.

    Respondent ``k < fixed`` of every client holds ``roles[k]``; the others cycle through the
    remaining roles from a random starting point per client, so clients differ in who else
    answers.
    """
    if not roles:
        raise ValueError("roles must name at least one role")
    fixed = min(fixed, len(roles))
    n_resp = int(counts.sum())
    client = np.repeat(np.arange(len(counts)), counts)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    rank = np.arange(n_resp) - starts
    labels = np.array([f"r{k}" for k in range(1, int(counts.max(initial=1)) + 1)], dtype=object)
    others = len(roles) - fixed
    if others:
        offset = rng.integers(0, others, size=len(counts))[client]
        role_pos = np.where(rank < fixed, rank, fixed + (offset + rank - fixed) % others)
    else:
        role_pos = rank % len(roles)
    return People(client, rank, labels[rank], np.asarray(roles, dtype=object)[role_pos])


def given_people(roster: pd.DataFrame, client_ids: np.ndarray) -> People:
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
    return People(client, rank, label, role)


def _role_table(rubric: Rubric, items: Items, roles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(U, I)`` for each distinct role: whether it is asked each item, and its place in
    the item's ``asked_of`` (``len(asked_of)`` for a role the rubric does not know)."""
    n_items = len(items.ids)
    asked = np.zeros((len(roles), n_items), dtype=bool)
    place = np.zeros((len(roles), n_items), dtype=np.int64)
    for u, text in enumerate(roles):
        role_id = rubric.role_id(text) if rubric.roles else None
        for i, of in enumerate(items.asked_of):
            if not of or role_id is None:
                asked[u, i], place[u, i] = True, len(of)
            elif role_id in of:
                asked[u, i], place[u, i] = True, of.index(role_id)
    return asked, place


def who_answers(rubric: Rubric, items: Items, people: People) -> tuple[np.ndarray, np.ndarray]:
    """``(R, I)`` masks: who answers each item, and who is responsible for it.

    A respondent answers an item when asked it; single-answer items (measured indicators and
    facts) only by the responsible respondent; computed indicators by nobody.
    """
    n_resp, n_items = len(people.client), len(items.ids)
    if n_resp == 0:
        empty = np.zeros((0, n_items), dtype=bool)
        return empty, empty
    role_vocab, role_code = np.unique(people.role.astype(str), return_inverse=True)
    asked_u, place_u = _role_table(rubric, items, role_vocab)
    asked, place = asked_u[role_code], place_u[role_code]
    # The responsible respondent has the smallest (place, rank) among the asked of a client;
    # respondents are grouped by client, so a reduceat over the groups finds it.
    key = np.where(
        asked, place * (int(people.rank.max()) + 1) + people.rank[:, None], np.iinfo(np.int64).max
    )
    new_group = np.r_[True, people.client[1:] != people.client[:-1]]
    smallest = np.minimum.reduceat(key, np.flatnonzero(new_group), axis=0)
    responsible = asked & (key == smallest[np.cumsum(new_group) - 1])
    single = np.isin(items.kind, SINGLE)
    answers = asked & (items.kind != "computed") & (~single | responsible)
    return answers, responsible
