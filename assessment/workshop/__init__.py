"""Workshops: the facilitator's app and the participants' voting page, over the store.

A consultant walks a client's leadership through the rubric; every participant votes from their
own laptop or phone (``notebooks/vote.ipynb``); the facilitator (``notebooks/workshop.ipynb``)
sees the votes arrive, the radar move and the disagreements ranked, agrees answers and targets,
finalises, and renders the client report.  Both notebooks only call this module, and both run
in JupyterLab or as code-free Voilà apps (``maturity workshop`` starts Voilà for them).

The module is layered:

* **pure functions** -- :func:`settings`, :func:`choices`, :func:`consensus`,
  :func:`compute_state`, :func:`proposed_answers`, :func:`consensus_html` ... take tables and
  return tables, text or numbers; the tests drive them directly;
* :class:`LiveRadar` -- the radar of :func:`assessment.charts.radar`, redrawn in a few
  milliseconds by blitting only the polygons onto a cached background;
* :class:`FacilitatorApp` and :class:`VoteApp` -- thin ``ipywidgets`` shells whose handlers
  call the functions above and the :class:`~assessment.store.Store`.  Messages from handlers
  render into an ``ipywidgets.Output``.

Configuration through the environment
-------------------------------------
Voilà cannot pass notebook parameters, so ``maturity workshop`` sets environment variables for
the Voilà server, which its kernels inherit.  A notebook parameter left at its default is taken
from its variable when that is set (:func:`settings`):

=================================  ==============================================================
``ASSESSMENT_WORKSHOP_STORE``      path of the SQLite store
``ASSESSMENT_WORKSHOP_CLIENT``     client id
``ASSESSMENT_WORKSHOP_ID``         workshop id (number)
``ASSESSMENT_WORKSHOP_RUBRIC``     rubric for new workshops (name or path)
``ASSESSMENT_WORKSHOP_CLIENTS``    clients table (names, target profiles) for the report
``ASSESSMENT_WORKSHOP_TARGETS``    custom target profiles file
``ASSESSMENT_WORKSHOP_PEERS``      peer population for the report's benchmark
``ASSESSMENT_WORKSHOP_REPORTS``    folder the reports are written to
``ASSESSMENT_WORKSHOP_LANG``       ``en`` or ``ar``
``ASSESSMENT_WORKSHOP_POLL``       seconds between polls of the store (facilitator)
=================================  ==============================================================

The participant page also reads ``name``, ``role`` and ``workshop`` from the URL's query
string (``vote.ipynb?name=Ann&role=CMO``), which Voilà hands to the kernel as ``QUERY_STRING``.

An empty ``store`` means the **demo store**: a file in the temporary folder, seeded once from
the sample answers (``data/samples``; synthetic answers when the samples are not there).  Both
notebooks share it, so they can be tried together in JupyterLab without any setup.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import dataclasses
import getpass
import io
import math
import os
import tempfile
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

import numpy as np
import pandas as pd

from assessment import samples
from assessment.exceptions import AssessmentError, InputError, ParameterError
from assessment.report import esc
from assessment.rubric import Indicator, Rubric, load_rubric, translate
from assessment.scoring import ScoreResult, default_profile, levels_from_values, score
from assessment.text import LABELS, direction
from assessment.text import label as report_label
from assessment.workshop.store import Participant, Store, Workshop, normalise_value, open_store

if TYPE_CHECKING:  # pragma: no cover - typing only
    from matplotlib.artist import Artist

__all__ = [
    "ENV",
    "Choice",
    "FacilitatorApp",
    "LiveRadar",
    "LiveState",
    "Settings",
    "VoteApp",
    "answers_from_votes",
    "choices",
    "compute_state",
    "consensus",
    "consensus_html",
    "demo_store",
    "facilitator_app",
    "initial_targets",
    "proposed_answers",
    "render_report",
    "settings",
    "vote_app",
]

#: Environment variables read by :func:`settings`, by parameter name.
ENV: Mapping[str, str] = {
    "store": "ASSESSMENT_WORKSHOP_STORE",
    "client_id": "ASSESSMENT_WORKSHOP_CLIENT",
    "workshop_id": "ASSESSMENT_WORKSHOP_ID",
    "rubric": "ASSESSMENT_WORKSHOP_RUBRIC",
    "clients": "ASSESSMENT_WORKSHOP_CLIENTS",
    "targets": "ASSESSMENT_WORKSHOP_TARGETS",
    "peers": "ASSESSMENT_WORKSHOP_PEERS",
    "reports": "ASSESSMENT_WORKSHOP_REPORTS",
    "lang": "ASSESSMENT_WORKSHOP_LANG",
    "poll_seconds": "ASSESSMENT_WORKSHOP_POLL",
}


# -- texts ---------------------------------------------------------------------------------

#: Labels of the workshop apps (the report's labels live in :mod:`assessment.text`).
TEXTS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "client": "Client",
        "workshop": "Workshop",
        "new_workshop": "New workshop today",
        "refresh": "Refresh",
        "agenda": "Agenda",
        "agenda_intro": (
            "Disagreement hotspots first (r_wg below {threshold} or a spread of two levels or "
            "more): they are the discussion agenda."
        ),
        "votes": "votes",
        "participants": "participants",
        "no_votes": "No votes yet.",
        "distribution": "Votes per level",
        "median": "Median",
        "iqr": "IQR",
        "range": "Range",
        "hotspot": "Hotspot",
        "agreed": "Agreed answer",
        "notes": "Notes",
        "evidence_hint": "Evidence",
        "targets": "Targets",
        "agreed_target": "Agreed target",
        "votes_median": "Votes (median)",
        "finalise": "Finalise",
        "reopen": "Reopen",
        "render": "Render the report",
        "finalised": "Finalised: the agreed answers and targets are saved.",
        "reopened": "Reopened: votes and changes are allowed again.",
        "rendering": "Rendering the report; this takes a few seconds...",
        "report_written": "Report written to {path}",
        "download": "Download the report",
        "saved": "Saved",
        "na": "Not applicable",
        "yes": "Yes",
        "no": "No",
        "value": "Value",
        "value_placeholder": "a number",
        "save": "Save",
        "your_name": "Your name",
        "your_role": "Your role",
        "start": "Start",
        "previous": "Previous",
        "next": "Next",
        "answered": "{done} of {total} answered",
        "position": "Indicator {k} of {total}",
        "all_done": (
            "Thank you: every indicator has your answer. You can still change any of them."
        ),
        "jump": "Dimension",
        "welcome": "Score each indicator for your organisation, one at a time.",
        "bands": "Levels",
        "your_vote": "Your answer: {value}",
        "closed": "This workshop is finalised; votes are closed.",
    },
    "ar": {
        "client": "العميل",
        "workshop": "ورشة العمل",
        "new_workshop": "ورشة جديدة اليوم",
        "refresh": "تحديث",
        "agenda": "جدول النقاش",
        "agenda_intro": (
            "نقاط الخلاف أولاً (معامل الاتفاق r_wg أقل من {threshold} أو تباين مستويين أو أكثر): "
            "فهي جدول أعمال النقاش."
        ),
        "votes": "أصوات",
        "participants": "مشاركون",
        "no_votes": "لا توجد أصوات بعد.",
        "distribution": "الأصوات لكل مستوى",
        "median": "الوسيط",
        "iqr": "المدى الربيعي",
        "range": "المدى",
        "hotspot": "نقطة خلاف",
        "agreed": "الإجابة المتفق عليها",
        "notes": "ملاحظات",
        "evidence_hint": "الأدلة",
        "targets": "المستهدفات",
        "agreed_target": "المستهدف المتفق عليه",
        "votes_median": "الأصوات (الوسيط)",
        "finalise": "اعتماد النتائج",
        "reopen": "إعادة الفتح",
        "render": "إنشاء التقرير",
        "finalised": "تم الاعتماد: حُفظت الإجابات والمستهدفات المتفق عليها.",
        "reopened": "أُعيد الفتح: يمكن التصويت والتعديل مجدداً.",
        "rendering": "جارٍ إنشاء التقرير؛ يستغرق ذلك بضع ثوانٍ...",
        "report_written": "كُتب التقرير في {path}",
        "download": "تنزيل التقرير",
        "saved": "تم الحفظ",
        "na": "غير منطبق",
        "yes": "نعم",
        "no": "لا",
        "value": "القيمة",
        "value_placeholder": "رقم",
        "save": "حفظ",
        "your_name": "الاسم",
        "your_role": "المنصب",
        "start": "ابدأ",
        "previous": "السابق",
        "next": "التالي",
        "answered": "أُجيب عن {done} من {total}",
        "position": "المؤشر {k} من {total}",
        "all_done": "شكراً: أجبت عن جميع المؤشرات. ما زال بإمكانك تعديل أي إجابة.",
        "jump": "المحور",
        "welcome": "قيّم كل مؤشر لمؤسستك، مؤشراً تلو الآخر.",
        "bands": "المستويات",
        "your_vote": "إجابتك: {value}",
        "closed": "تم اعتماد هذه الورشة؛ التصويت مغلق.",
    },
}


def text(key: str, lang: str = "en", **values: object) -> str:
    """A workshop label in ``lang`` (English when missing), with ``values`` filled in."""
    table = TEXTS.get(lang, TEXTS["en"])
    out = table.get(key) or TEXTS["en"][key]
    return out.format(**values) if values else out


# -- settings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """What a workshop notebook runs on; see :func:`settings`."""

    store: str = ""
    client_id: str = ""
    workshop_id: int = 0
    rubric: str = "social-media"
    clients: str = ""
    targets: str = ""
    peers: str = ""
    reports: str = ""
    lang: str = "en"
    poll_seconds: float = 0.0


_DEFAULTS = Settings()


def settings(environ: Mapping[str, str] | None = None, **params: Any) -> Settings:
    """Combine notebook parameters with the environment set by ``maturity workshop``.

    A parameter given a non-default value wins; a parameter left at its default takes the value
    of its environment variable (:data:`ENV`) when that is set and not empty.

    Raises
    ------
    ParameterError
        For unknown parameters, an unknown language, a negative poll interval or workshop id, or
        an environment value of the wrong type.
    """
    env = os.environ if environ is None else environ
    known = {f.name: f for f in dataclasses.fields(Settings)}
    unknown = sorted(set(params) - set(known))
    if unknown:
        raise ParameterError(f"unknown workshop setting(s): {', '.join(unknown)}")
    values: dict[str, Any] = {}
    for name in known:
        default = getattr(_DEFAULTS, name)
        value = params.get(name, default)
        raw = env.get(ENV[name], "")
        if value == default and raw.strip():
            kind = type(default)
            try:
                value = kind(raw.strip())
            except ValueError:
                raise ParameterError(
                    f"environment variable {ENV[name]}={raw!r}: expected {kind.__name__}"
                ) from None
        values[name] = value
    out = Settings(**values)
    if out.lang not in LABELS:
        raise ParameterError(f"lang must be one of {', '.join(LABELS)}; found {out.lang!r}")
    if not (math.isfinite(out.poll_seconds) and out.poll_seconds >= 0):
        raise ParameterError(f"poll_seconds must be 0 or more; found {out.poll_seconds!r}")
    if out.workshop_id < 0:
        raise ParameterError(f"workshop_id must be 0 (latest) or more; found {out.workshop_id}")
    return out


def query_parameters(query: str | None = None) -> dict[str, str]:
    """``name``, ``role`` and ``workshop`` from a URL query string (default: ``QUERY_STRING``).

    Voilà puts the page's query string in the kernel's ``QUERY_STRING`` variable.  Unknown keys
    are ignored; only the first value of a repeated key is kept.
    """
    raw = os.environ.get("QUERY_STRING", "") if query is None else query
    parsed = parse_qs(raw.lstrip("?"), keep_blank_values=True)
    return {k: v[0].strip() for k, v in parsed.items() if k in {"name", "role", "workshop"} and v}


# -- the demo store ------------------------------------------------------------------------


def demo_store_path() -> Path:
    """Where the demo store lives: the temporary folder, one file per user."""
    user = "".join(c for c in getpass.getuser() if c.isalnum()) or "user"
    return Path(tempfile.gettempdir()) / f"assessment-workshop-demo-{user}.sqlite"


def demo_answers(rubric: Rubric) -> pd.DataFrame:
    """Answers to seed the demo store with: the samples, or synthetic ones without them."""
    from assessment.inputs import load_answers

    files = samples.portfolio()["answers"]
    if all(f.is_file() for f in files) and rubric.id == "social-media":
        loaded = load_answers(files, rubric)
        return loaded[["client_id", "date", "respondent", "role", "indicator_id", "value"]]
    from assessment.samples.synthetic import random_profiles, synthetic_answers

    profiles = random_profiles(rubric, 1, seed=7)
    profiles.index = pd.Index(["demo-client"], name="client_id")
    return synthetic_answers(rubric, profiles, respondents=5, seed=7)


def demo_store(path: str | Path | None = None, *, rubric: str = "social-media") -> Path:
    """Create the demo store (once) and return its path.

    The store is seeded in a private temporary file that is then linked into place, so two
    kernels starting at the same moment never see a half-seeded store.
    """
    target = Path(path) if path else demo_store_path()
    if target.exists():
        return target
    rub = load_rubric(rubric)
    fd, tmp_name = tempfile.mkstemp(prefix=".seeding-", suffix=".sqlite", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    try:
        with open_store(tmp) as store:
            store.import_answers(demo_answers(rub), rub)
        with contextlib.suppress(FileExistsError):  # another kernel won the race: use its store
            os.link(tmp, target)
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)
    return target


def resolve_workshop(
    store: Store,
    *,
    client_id: str = "",
    workshop_id: int = 0,
    rubric: str = "social-media",
    create: bool = True,
) -> Workshop:
    """The workshop a page should open.

    ``workshop_id`` when given; else the client's latest workshop (created for today when the
    client has none and ``create``); else the latest workshop in the store.

    Raises
    ------
    InputError
        When the workshop does not exist, belongs to another client, or there is none.
    """
    if workshop_id:
        w = store.workshop(workshop_id)
        if client_id and w.client_id != client_id:
            raise InputError(f"workshop #{workshop_id} is for {w.client_id!r}, not {client_id!r}")
        return w
    if client_id:
        found = store.find_workshop(client_id)
        if found is not None:
            return found
        if not create:
            raise InputError(f"client {client_id!r} has no workshop in {store.path}")
        return store.create_workshop(client_id, load_rubric(rubric))
    every = store.workshops()
    if not every:
        raise InputError(f"{store.path} holds no workshop; give a client id to start one")
    return max(every, key=lambda w: (w.date, w.id))


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
            out.append(Choice(key, text(key, lang), lvl, ind.level_text(lvl, lang)))
    if ind.allow_na:
        out.append(Choice("NA", text("na", lang), None, ""))
    return out


def bands(rubric: Rubric, indicator_id: str, lang: str = "en") -> list[tuple[int, str, str]]:
    """For a measured indicator: ``(level, value range, descriptor)`` per level."""
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
    """The level a stored vote stands for (NaN for NA)."""
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


# -- live state ----------------------------------------------------------------------------


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
    clients
        Clients table (``target_profile`` column) from :func:`~assessment.responses.load_clients`.
    targets
        Custom profiles (``profile_id, dimension_id, target``) from
        :func:`~assessment.responses.load_targets`.
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


def consensus(
    rubric: Rubric, answers: pd.DataFrame | None, result: ScoreResult | None
) -> pd.DataFrame:
    """Per indicator: the vote distribution, median level, spread and agreement (``r_wg``).

    Parameters
    ----------
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
    n = rubric.n_levels
    out = pd.DataFrame(
        {
            "indicator_id": table.index,
            "dimension_id": table["dimension_id"].to_numpy(),
            "order": table["order"].to_numpy(),
            "name": table["name"].to_numpy(),
            "kind": table["kind"].to_numpy(),
        }
    )
    dist = np.zeros((len(table), n), dtype=np.int64)
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
        given = answers.loc[~answers["is_na"].to_numpy(dtype=bool)]
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
    out["distribution"] = [tuple(int(x) for x in row) for row in dist]
    # The agenda: hotspots, then the weakest agreement, then the widest spread.
    out["_rwg"] = out["rwg"].fillna(2.0)
    out["_range"] = out["range"].fillna(-1.0)
    out = out.sort_values(
        ["hotspot", "_rwg", "_range", "order"], ascending=[False, True, False, True]
    )
    return out.drop(columns=["_rwg", "_range"]).reset_index(drop=True)


def answers_from_votes(votes: pd.DataFrame, rubric: Rubric, workshop: Workshop) -> pd.DataFrame:
    """The validated answers of :func:`~assessment.responses.answers_from_frame`, built fast.

    The store accepts only canonical values (:func:`~assessment.store.normalise_value`), so
    the text checks and parsing of the general loader can be skipped: this is what keeps a live
    refresh within its budget.  Anything unexpected (an indicator the rubric does not know, a
    value that is not canonical) goes through ``answers_from_frame`` instead, which reports it.
    """
    from assessment.inputs import ANSWER_COLUMNS, answers_from_frame

    frame = votes.assign(client_id=workshop.client_id, date=workshop.date)[ANSWER_COLUMNS]
    table = rubric.indicator_table
    meta = table.reindex(frame["indicator_id"].astype(str))
    value = frame["value"].astype(str).to_numpy()
    is_na = value == "NA"
    kind = meta["kind"].to_numpy()
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
        meta["kind"].notna().all()
        and np.isfinite(number[numeric]).all()
        and (yes | no)[boolean].all()
        and not (is_na & ~meta["allow_na"].fillna(False).to_numpy(dtype=bool)).any()
    )
    if not canonical:
        return answers_from_frame(frame, rubric, source=f"workshop #{workshop.id}")
    out = pd.DataFrame(
        {
            **{c: frame[c].astype(str).to_numpy() for c in ANSWER_COLUMNS},
            "dimension_id": meta["dimension_id"].to_numpy(),
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
    votes
        The latest votes (:meth:`Store.votes`).
    targets
        Target per dimension (agreed ones over the starting profile).
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
    if result is not None:
        dims = result.dimensions.set_index("dimension_id")
        # A dimension nobody voted on has no raw score; its gates must not give it one (the
        # engine's fmin(NaN, cap) returns the cap), so only dimensions with votes are drawn.
        scored = dims["score"].where(dims["raw_score"].notna())
        scores = {d.id: float(scored.get(d.id, math.nan)) for d in rubric.dimensions}
    else:
        scores = {d.id: math.nan for d in rubric.dimensions}
    return LiveState(
        workshop=workshop,
        rubric=rubric,
        revision=revision,
        votes=votes,
        answers=answers,
        result=result,
        consensus=consensus(rubric, answers, result),
        scores=scores,
        targets=dict(targets),
        agreed=dict(agreed or {}),
        notes=dict(notes or {}),
        participants=participants,
        error=error,
    )


def load_state(store: Store, workshop_id: int, base_targets: Mapping[str, float]) -> LiveState:
    """Read the workshop from the store and :func:`compute_state` it."""
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


# -- HTML fragments ------------------------------------------------------------------------


def _fmt(x: float, digits: int = 2) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def distribution_html(counts: Sequence[int]) -> str:
    """A tiny bar chart of votes per level, as inline HTML (no images, no scripts)."""
    top = max(max(counts, default=0), 1)
    bars = "".join(
        f"<span class='ws-bar' title='{k}: {c}' style='display:inline-block;width:14px;"
        f"margin-right:2px;vertical-align:bottom;background:#0072B2;"
        f"height:{2 + int(22 * c / top)}px;opacity:{1 if c else 0.15}'></span>"
        for k, c in enumerate(counts, start=1)
    )
    labels = "".join(
        f"<span style='display:inline-block;width:14px;margin-right:2px;text-align:center;"
        f"font-size:10px;color:#555'>{k}</span>"
        for k in range(1, len(counts) + 1)
    )
    return (
        f"<span class='ws-dist' style='display:inline-block;white-space:nowrap'>"
        f"{bars}<br>{labels}</span>"
    )


def consensus_html(state: LiveState, lang: str = "en", *, limit: int | None = None) -> str:
    """The consensus panel: one row per indicator, hotspots first.  Every text is escaped."""
    rubric = state.rubric
    threshold = state.result.options.rwg_threshold if state.result else 0.7
    rows = state.consensus if limit is None else state.consensus.head(limit)
    ind_names = {i.id: translate(i.name, lang) for _, i in rubric.iter_indicators()}
    dim_names = {d.id: translate(d.name, lang) for d in rubric.dimensions}
    head = [
        report_label("indicator", lang),
        report_label("dimension", lang),
        text("votes", lang),
        text("distribution", lang),
        text("median", lang),
        text("iqr", lang),
        text("range", lang),
        "r_wg",
        text("hotspot", lang),
    ]
    body = []
    for r in rows.itertuples(index=False):
        style = " style='background:#FFF1E0'" if r.hotspot else ""
        median = "NA" if r.status == "na" else _fmt(r.level, 1)
        body.append(
            f"<tr class='ws-row{' ws-hot' if r.hotspot else ''}' "
            f"data-indicator='{esc(r.indicator_id)}'{style}>"
            f"<td>{esc(ind_names[r.indicator_id])}</td><td>{esc(dim_names[r.dimension_id])}</td>"
            f"<td>{int(r.n) + int(r.n_na)}</td><td>{distribution_html(r.distribution)}</td>"
            f"<td>{median}</td><td>{_fmt(r.iqr, 1)}</td><td>{_fmt(r.range, 0)}</td>"
            f"<td>{_fmt(r.rwg)}</td><td>{'◆' if r.hotspot else ''}</td></tr>"
        )
    header = "".join(f"<th style='text-align:start;padding:2px 6px'>{esc(h)}</th>" for h in head)
    intro = esc(text("agenda_intro", lang, threshold=threshold))
    note = f"<p class='ws-error'>{esc(state.error)}</p>" if state.error else ""
    return (
        f"<div dir='{direction(lang)}' class='ws-consensus'><p>{intro}</p>{note}"
        f"<table style='border-collapse:collapse;font-size:13px'><thead><tr>{header}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def status_html(state: LiveState, lang: str = "en") -> str:
    """One line: client, date, vote and participant counts (``data-votes`` for tests)."""
    w = state.workshop
    final = f" · {esc(text('finalised', lang))}" if w.finalised else ""
    return (
        f"<div dir='{direction(lang)}' class='ws-status' data-votes='{state.n_votes}' "
        f"data-revision='{state.revision}'><b>{esc(w.client_id)}</b> {esc(w.date)} · "
        f"<span class='ws-votes'>{state.n_votes} {esc(text('votes', lang))}</span> · "
        f"{state.participants} {esc(text('participants', lang))}{final}</div>"
    )


def indicator_summary_html(row: Mapping[str, Any], lang: str = "en") -> str:
    """The vote line on an indicator card: count, distribution, median, r_wg.

    ``row`` is one record of :func:`consensus` (e.g. from ``to_dict("records")``).
    """
    total = int(row["n"]) + int(row["n_na"])
    if total == 0:
        return f"<div class='ws-summary'>{esc(text('no_votes', lang))}</div>"
    hot = f" · <b style='color:#D55E00'>{esc(text('hotspot', lang))}</b>" if row["hotspot"] else ""
    return (
        f"<div class='ws-summary' data-votes='{total}'>{total} {esc(text('votes', lang))} · "
        f"{esc(text('median', lang))} {_fmt(row['level'], 1)} · r_wg {_fmt(row['rwg'])}{hot}"
        f"<br>{distribution_html(row['distribution'])}</div>"
    )


# -- the radar -----------------------------------------------------------------------------


class LiveRadar:
    """The radar of :func:`assessment.charts.radar`, redrawn fast for a live view.

    The axes, spoke labels, rings and legend are drawn once and cached as a bitmap; an update
    restores the bitmap and draws only the polygons (current, its fill, the target) before
    encoding a PNG.  That keeps a redraw at a few milliseconds instead of the ~100 ms of a full
    matplotlib draw, which dominates the refresh budget.

    Parameters
    ----------
    rubric
        The workshop's rubric.
    lang
        Label language.
    dpi
        Screen resolution of the PNG.
    """

    def __init__(self, rubric: Rubric, lang: str = "en", dpi: int = 80) -> None:
        from assessment import charts

        self.rubric = rubric
        self.lang = lang
        self.ids = [d.id for d in rubric.dimensions]
        nan = dict.fromkeys(self.ids, math.nan)
        ax = charts.radar(
            nan,
            rubric,
            targets={text("agreed_target", lang): nan},
            peer_median={},
            label=text("votes_median", lang),
            lang=lang,
        )
        self.ax = ax
        self.figure = ax.figure
        self.figure.set_dpi(dpi)
        self.current, self.target = ax.lines[0], ax.lines[1]
        theta = np.asarray(self.current.get_xdata(), dtype=float)
        self.theta = theta
        (self.fill,) = ax.fill(
            theta, np.zeros_like(theta), color=self.current.get_color(), alpha=0.12
        )
        self.dynamic: list[Artist] = [self.fill, self.target, self.current]
        for artist in self.dynamic:
            # Animated artists are skipped by a full draw: they are only blitted.
            artist.set_animated(True)
        with charts.style(lang):
            self.figure.canvas.draw()
        self.background = self.figure.canvas.copy_from_bbox(self.figure.bbox)

    def _closed(self, values: Mapping[str, float]) -> np.ndarray:
        r = np.array([float(values.get(d, math.nan)) for d in self.ids])
        return np.append(r, r[:1])

    def draw(self, scores: Mapping[str, float], targets: Mapping[str, float]) -> None:
        """Update the polygons and blit them onto the cached background."""
        current = self._closed(scores)
        self.current.set_ydata(current)
        self.target.set_ydata(self._closed(targets))
        complete = bool(np.isfinite(current).all())
        # Like charts.radar: no fill through an unscored dimension, it would misstate it.
        self.fill.set_visible(complete)
        self.fill.set_xy(np.column_stack([self.theta, np.nan_to_num(current)]))
        canvas = self.figure.canvas
        canvas.restore_region(self.background)
        for artist in self.dynamic:
            self.ax.draw_artist(artist)

    def png(self, scores: Mapping[str, float], targets: Mapping[str, float]) -> bytes:
        """The radar for ``scores`` and ``targets`` as PNG bytes."""
        from PIL import Image

        self.draw(scores, targets)
        canvas = self.figure.canvas
        width, height = canvas.get_width_height(physical=True)
        image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        out = io.BytesIO()
        # RGB on the opaque white figure and the fastest compression: this encoding is the
        # largest step of a redraw (an RGBA image at level 6 takes five times as long).
        image.convert("RGB").save(out, format="png", compress_level=1)
        return out.getvalue()


# -- the report ----------------------------------------------------------------------------


def render_report(
    store: Store,
    workshop_id: int,
    *,
    out_dir: str | Path,
    clients: str | Path | None = None,
    targets: str | Path | None = None,
    peers: str | Path | None = None,
    lang: str | None = None,
    notebook: str | Path | None = None,
) -> Path:
    """Render the client report of a finalised workshop; return the HTML file.

    The agreed answers of this workshop (and of the client's earlier finalised workshops, for
    the trend section) are written as an answers file, the agreed targets as the client's own
    target profile ``workshop-<id>``, and the report is rendered by the batch runner like any
    other, in a folder of its own so that a portfolio rendered into ``out_dir`` by
    ``maturity batch`` is never overwritten:
    ``out_dir/workshops/<client>-<date>/<client>/report.html`` (inputs alongside, in
    ``inputs/``).

    Raises
    ------
    InputError
        When the workshop is not finalised or the rendering fails.
    """
    from assessment.batch import plan, run_batch
    from assessment.files import atomic_write_text
    from assessment.inputs import CLIENT_COLUMNS, load_clients, load_targets

    w = store.workshop(workshop_id)
    if not w.finalised:
        raise InputError(f"workshop #{w.id} is not finalised yet: finalise it, then render")
    rubric = store.rubric(w.id)
    history = [
        x
        for x in store.workshops(w.client_id)
        if x.finalised and x.date <= w.date and x.rubric_hash == w.rubric_hash
    ]
    answers = pd.concat([store.export_answers(x.id, source="agreed") for x in history])
    out = Path(out_dir).resolve() / "workshops" / f"{w.client_id}-{w.date}"
    inputs = out / "inputs"
    profile = f"workshop-{w.id}"
    agreed_targets = store.export_targets(w.id, profile)
    base = initial_targets(rubric)
    missing = [d for d in base if d not in set(agreed_targets["dimension_id"])]
    agreed_targets = pd.concat(
        [
            agreed_targets,
            pd.DataFrame(
                {
                    "profile_id": profile,
                    "dimension_id": missing,
                    "target": [base[d] for d in missing],
                }
            ),
        ]
    )
    extra_targets = load_targets(targets, rubric) if targets else None
    client_row = dict.fromkeys(CLIENT_COLUMNS, "") | {"client_id": w.client_id, "name": w.client_id}
    if clients:
        table = load_clients(clients, rubric, targets=extra_targets)
        found = table.loc[table["client_id"] == w.client_id]
        if not found.empty:
            client_row.update({k: str(v) for k, v in found.iloc[0].items() if str(v)})
    client_row["target_profile"] = profile
    atomic_write_text(inputs / "answers.csv", answers.to_csv(index=False))
    atomic_write_text(inputs / "targets.csv", agreed_targets.to_csv(index=False))
    atomic_write_text(inputs / "clients.csv", pd.DataFrame([client_row]).to_csv(index=False))
    batch = plan(
        [inputs / "answers.csv"],
        rubric=_rubric_file(rubric, inputs),
        clients=inputs / "clients.csv",
        targets=inputs / "targets.csv",
        peers=peers or None,
        out_dir=out,
        notebook=notebook,
        lang=lang,
        only=[w.client_id],
        extra_parameters={"bootstrap": 0},
    )
    (outcome,) = run_batch(batch, jobs=1, quiet=True)
    if outcome.status != "ok":
        raise InputError(f"the report for {w.client_id} failed: {outcome.error}")
    return out / w.client_id / "report.html"


def _rubric_file(rubric: Rubric, folder: Path) -> Path:
    """The workshop's rubric as a YAML file the report notebook can load."""
    from assessment.files import atomic_write_text
    from assessment.rubric import dump_rubric

    path = folder / "rubric.yaml"
    atomic_write_text(path, dump_rubric(rubric))
    return path


def download_link_html(path: Path, lang: str = "en") -> str:
    """A link that downloads ``path`` from a ``data:`` URI (Voilà serves no arbitrary files)."""
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return (
        f"<a class='ws-download' download='{esc(path.name)}' "
        f"href='data:text/html;base64,{data}'>{esc(text('download', lang))}</a>"
    )


# -- widget plumbing -----------------------------------------------------------------------

_CSS = """
<style>
.ws-choice { width: 100% !important; height: auto !important; min-height: 52px;
  white-space: normal !important; text-align: start !important; font-size: 16px !important;
  line-height: 1.35 !important; padding: 10px 14px !important; margin: 4px 0 !important; }
.ws-nav { min-height: 48px; font-size: 16px !important; }
.ws-card { border: 1px solid #ddd; border-radius: 6px; padding: 8px 12px; margin: 6px 0; }
.ws-card h4 { margin: 4px 0; }
</style>
"""


def _widgets() -> Any:
    import ipywidgets

    return ipywidgets


class _Messages:
    """An ``ipywidgets.Output`` holding the latest message of a handler.

    Written through its ``outputs`` trait rather than ``with output:``, so that messages from
    the polling task (which has no parent request to attach output to) show up too.
    """

    def __init__(self) -> None:
        self.output = _widgets().Output()

    def say(self, message: str, kind: str = "info") -> None:
        """Replace the message with ``message`` (escaped); ``kind``: info, ok or error."""
        from IPython.display import HTML

        colour = {"error": "#B00020", "ok": "#1B5E20"}.get(kind, "#333")
        body = esc(message).replace("\n", "<br>")
        self.output.outputs = ()
        self.output.append_display_data(
            HTML(f"<div class='ws-message ws-{kind}' style='color:{colour}'>{body}</div>")
        )

    @property
    def last(self) -> str:
        """HTML of the latest message ("" when there is none)."""
        if not self.output.outputs:
            return ""
        data = self.output.outputs[-1].get("data", {})
        return str(data.get("text/html", data.get("text/plain", "")))


def _guard(messages: _Messages, fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run a handler; show an error as one clear message instead of a traceback."""

    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except AssessmentError as exc:
            messages.say(str(exc), "error")
        except Exception as exc:  # a widget callback must not die silently
            messages.say(f"{type(exc).__name__}: {exc}", "error")
        return None

    return run


def _in_live_kernel() -> asyncio.AbstractEventLoop | None:
    """The running event loop of a kernel, or ``None`` outside one (plain Python, tests)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    return loop


# -- the facilitator app -------------------------------------------------------------------


@dataclass
class _Card:
    agree: Any
    summary: Any
    note: Any


@dataclass(eq=False)
class FacilitatorApp:
    """The facilitator's view of one workshop (see the module docstring).

    Build it with :func:`facilitator_app` in a notebook; tests build it directly.  ``widget`` is
    what the notebook displays.
    """

    store: Store
    workshop_id: int
    lang: str = "en"
    rubric_ref: str = "social-media"
    clients: pd.DataFrame | None = field(default=None, repr=False)
    targets_table: pd.DataFrame | None = field(default=None, repr=False)
    clients_path: str = ""
    targets_path: str = ""
    peers_path: str = ""
    reports_dir: str = "reports"
    state: LiveState | None = field(default=None, init=False, repr=False)
    report_path: Path | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        w = _widgets()
        self.messages = _Messages()
        self._syncing = False
        self._poll_task: asyncio.Task[None] | None = None
        self._radar: LiveRadar | None = None
        self._radar_key: tuple[str, str] | None = None
        self._radar_data: tuple[Any, ...] | None = None
        self.client_picker = w.Dropdown(description=text("client", self.lang))
        self.workshop_picker = w.Dropdown(
            description=text("workshop", self.lang), layout=w.Layout(width="360px")
        )
        auto = w.Layout(width="auto")
        self.new_button = w.Button(
            description=text("new_workshop", self.lang), icon="plus", layout=auto
        )
        self.refresh_button = w.Button(
            description=text("refresh", self.lang), icon="refresh", layout=auto
        )
        self.status = w.HTML()
        self.radar_image = w.Image(format="png", layout=w.Layout(width="100%", max_width="560px"))
        self.radar_image.add_class("ws-radar")
        self.consensus_panel = w.HTML()
        self.tabs = w.Tab()
        self.target_box = w.VBox()
        self.finalise_button = w.Button(
            description=text("finalise", self.lang),
            button_style="success",
            icon="check",
            layout=auto,
        )
        self.reopen_button = w.Button(
            description=text("reopen", self.lang), icon="unlock", layout=auto
        )
        self.report_button = w.Button(
            description=text("render", self.lang), button_style="info", icon="file", layout=auto
        )
        self.report_link = w.HTML()
        self._cards: dict[str, _Card] = {}
        self._target_sliders: dict[str, Any] = {}

        self.client_picker.observe(_guard(self.messages, self._on_client), names="value")
        self.workshop_picker.observe(_guard(self.messages, self._on_workshop), names="value")
        self.new_button.on_click(_guard(self.messages, lambda _b: self.new_workshop()))
        self.refresh_button.on_click(_guard(self.messages, lambda _b: self.refresh(force=True)))
        self.finalise_button.on_click(_guard(self.messages, lambda _b: self.finalise()))
        self.reopen_button.on_click(_guard(self.messages, lambda _b: self.reopen()))
        self.report_button.on_click(_guard(self.messages, lambda _b: self.render_report()))

        side = w.VBox(
            [
                self.radar_image,
                w.HTML(f"<h4>{esc(text('targets', self.lang))}</h4>"),
                self.target_box,
                w.HBox([self.finalise_button, self.reopen_button, self.report_button]),
                self.report_link,
            ],
            layout=w.Layout(width="40%", min_width="320px"),
        )
        main = w.VBox([self.tabs], layout=w.Layout(width="60%", min_width="360px"))
        header = w.HBox(
            [self.client_picker, self.workshop_picker, self.new_button, self.refresh_button]
        )
        self.widget = w.VBox(
            [
                w.HTML(_CSS),
                header,
                self.status,
                self.messages.output,
                w.HBox([main, side], layout=w.Layout(flex_flow="row wrap")),
            ]
        )
        self.widget.add_class("ws-facilitator")
        self._fill_pickers()
        self._build()
        self.refresh(force=True)

    # -- building ------------------------------------------------------------------------------

    @property
    def rubric(self) -> Rubric:
        """The rubric of the open workshop."""
        return self.store.rubric(self.workshop_id)

    @property
    def base_targets(self) -> dict[str, float]:
        """Targets before any agreement: the client's profile or the rubric's default."""
        w = self.store.workshop(self.workshop_id)
        return initial_targets(
            self.rubric, client_id=w.client_id, clients=self.clients, targets=self.targets_table
        )

    def _fill_pickers(self) -> None:
        w = self.store.workshop(self.workshop_id)
        self._syncing = True
        try:
            clients = self.store.clients()
            self.client_picker.options = clients
            self.client_picker.value = w.client_id
            self.workshop_picker.options = [
                (x.label, x.id) for x in self.store.workshops(w.client_id)
            ]
            self.workshop_picker.value = w.id
        finally:
            self._syncing = False

    def _build(self) -> None:
        """(Re)build the tabs and target sliders for the open workshop's rubric."""
        wd = _widgets()
        rubric = self.rubric
        lang = self.lang
        self._cards = {}
        pages, titles = [self.consensus_panel], [text("agenda", lang)]
        for dim in rubric.dimensions:
            cards = [self._card(ind) for ind in dim.indicators]
            pages.append(wd.VBox(cards))
            titles.append(translate(dim.name, lang))
        self.tabs.children = pages
        self.tabs.titles = titles
        self._target_sliders = {}
        rows = []
        for dim in rubric.dimensions:
            slider = wd.FloatSlider(
                min=1.0,
                max=float(rubric.n_levels),
                step=0.1,
                readout_format=".1f",
                value=float(rubric.n_levels),
                description=translate(dim.name, lang)[:28],
                continuous_update=False,
                style={"description_width": "170px"},
                layout=wd.Layout(width="100%"),
            )
            slider.observe(
                _guard(self.messages, lambda ch, d=dim.id: self._on_target(d, ch)), names="value"
            )
            self._target_sliders[dim.id] = slider
            rows.append(slider)
        self.target_box.children = rows
        key = (rubric.content_hash, self.lang)
        if self._radar_key != key:
            self._radar = LiveRadar(rubric, self.lang)
            self._radar_key = key
            self._radar_data = None

    def _card(self, ind: Indicator) -> Any:
        wd = _widgets()
        lang = self.lang
        rubric = self.rubric
        parts = [f"<h4>{esc(translate(ind.name, lang))}</h4>"]
        if ind.question:
            parts.append(f"<div>{esc(translate(ind.question, lang))}</div>")
        if ind.kind == "measured":
            rows = "".join(
                f"<li><b>{lvl}</b> ({esc(rng)}): {esc(desc)}</li>"
                for lvl, rng, desc in bands(rubric, ind.id, lang)
            )
        else:
            rows = "".join(
                f"<li><b>{c.label if ind.kind == 'boolean' else c.level}</b>: {esc(c.descriptor)}"
                "</li>"
                for c in choices(rubric, ind.id, lang)
                if c.level is not None
            )
        parts.append(f"<ol style='list-style:none;padding-inline-start:0'>{rows}</ol>")
        if ind.evidence_hint:
            parts.append(
                f"<div style='color:#555'><i>{esc(text('evidence_hint', lang))}:</i> "
                f"{esc(translate(ind.evidence_hint, lang))}</div>"
            )
        head = wd.HTML(f"<div dir='{direction(lang)}'>{''.join(parts)}</div>")
        if ind.kind == "measured":
            agree = wd.Text(
                description=text("agreed", lang),
                placeholder=f"{text('value_placeholder', lang)} ({ind.unit or ''})",
                continuous_update=False,
                style={"description_width": "120px"},
            )
        else:
            opts = [(c.label, c.value) for c in choices(rubric, ind.id, lang)]
            agree = wd.ToggleButtons(
                options=opts,
                value=None,
                description=text("agreed", lang),
                tooltips=[c.descriptor for c in choices(rubric, ind.id, lang)],
                style={"button_width": "auto", "description_width": "120px"},
            )
        agree.observe(
            _guard(self.messages, lambda ch, i=ind.id: self._on_agree(i, ch)), names="value"
        )
        note = wd.Textarea(
            description=text("notes", lang),
            continuous_update=False,
            layout=wd.Layout(width="95%", height="60px"),
            style={"description_width": "120px"},
        )
        note.observe(
            _guard(self.messages, lambda ch, i=ind.id: self._on_note(i, ch)), names="value"
        )
        summary = wd.HTML()
        self._cards[ind.id] = _Card(agree=agree, summary=summary, note=note)
        box = wd.VBox([head, summary, agree, note])
        box.add_class("ws-card")
        return box

    # -- handlers (called by the widgets; tests call them directly) ------------------------

    def _on_client(self, change: Mapping[str, Any]) -> None:
        if self._syncing or not change.get("new"):
            return
        w = resolve_workshop(self.store, client_id=change["new"], rubric=self.rubric_ref)
        self.open(w.id)

    def _on_workshop(self, change: Mapping[str, Any]) -> None:
        if self._syncing or not change.get("new"):
            return
        self.open(int(change["new"]))

    def _on_agree(self, indicator_id: str, change: Mapping[str, Any]) -> None:
        if self._syncing:
            return
        value = change.get("new")
        self.set_agreed(indicator_id, None if value in (None, "") else value)

    def _on_note(self, indicator_id: str, change: Mapping[str, Any]) -> None:
        if not self._syncing:
            self.set_note(indicator_id, str(change.get("new") or ""))

    def _on_target(self, dimension_id: str, change: Mapping[str, Any]) -> None:
        if not self._syncing:
            self.set_target(dimension_id, float(change["new"]))

    def open(self, workshop_id: int) -> None:
        """Show another workshop."""
        old_hash = self.rubric.content_hash
        self.workshop_id = int(workshop_id)
        self.report_path = None
        self.report_link.value = ""
        self._fill_pickers()
        if self.rubric.content_hash != old_hash or not self._cards:
            self._build()
        self.refresh(force=True)

    def new_workshop(self, date: str | None = None) -> Workshop:
        """Start a workshop for the selected client today (or on ``date``)."""
        client = self.client_picker.value or self.store.workshop(self.workshop_id).client_id
        w = self.store.create_workshop(client, load_rubric(self.rubric_ref), date=date)
        self.open(w.id)
        return w

    def set_agreed(self, indicator_id: str, value: object | None) -> None:
        """Record the room's answer on an indicator (``None`` clears it)."""
        self.store.set_agreed(self.workshop_id, indicator_id, value)
        self.refresh()

    def set_note(self, indicator_id: str, note: str) -> None:
        """Record the facilitator's note on an indicator."""
        self.store.set_note(self.workshop_id, indicator_id, note)
        self.refresh()

    def set_target(self, dimension_id: str, target: float) -> None:
        """Record the agreed target of a dimension; the radar follows."""
        self.store.set_target(self.workshop_id, dimension_id, target)
        self.refresh()

    def finalise(self) -> Workshop:
        """Write the agreed answers (votes where nothing was agreed) and every target."""
        state = self.state or load_state(self.store, self.workshop_id, self.base_targets)
        targets = {d: float(s.value) for d, s in self._target_sliders.items()}
        w = self.store.finalise(self.workshop_id, proposed_answers(state), targets)
        self.messages.say(text("finalised", self.lang), "ok")
        self.refresh(force=True)
        return w

    def reopen(self) -> Workshop:
        """Allow votes and changes again."""
        w = self.store.reopen(self.workshop_id)
        self.messages.say(text("reopened", self.lang), "ok")
        self.refresh(force=True)
        return w

    def render_report(self, *, notebook: str | Path | None = None) -> Path:
        """Render the client report of the (finalised) workshop and offer it for download."""
        self.messages.say(text("rendering", self.lang))
        path = render_report(
            self.store,
            self.workshop_id,
            out_dir=self.reports_dir or "reports",
            clients=self.clients_path or None,
            targets=self.targets_path or None,
            peers=self.peers_path or None,
            lang=self.lang,
            notebook=notebook,
        )
        self.report_path = path
        self.messages.say(text("report_written", self.lang, path=str(path)), "ok")
        self.report_link.value = download_link_html(path, self.lang)
        return path

    # -- refreshing ----------------------------------------------------------------------------

    def refresh(self, force: bool = False) -> bool:
        """Re-read the store when it changed (or ``force``); update every view.

        Returns
        -------
        bool
            Whether anything was redrawn.
        """
        if (
            not force
            and self.state is not None
            and self.store.revision(self.workshop_id) == self.state.revision
        ):
            return False
        state = load_state(self.store, self.workshop_id, self.base_targets)
        self.state = state
        self._show(state)
        return True

    def _show(self, state: LiveState) -> None:
        lang = self.lang
        assert self._radar is not None
        key = (tuple(state.scores.items()), tuple(state.targets.items()))
        if key != self._radar_data:  # a vote that moves no median leaves the picture as is
            self.radar_image.value = self._radar.png(state.scores, state.targets)
            self._radar_data = key
        self.status.value = status_html(state, lang)
        self.consensus_panel.value = consensus_html(state, lang)
        final = state.workshop.finalised
        self._syncing = True
        try:
            rows = {r["indicator_id"]: r for r in state.consensus.to_dict("records")}
            for iid, card in self._cards.items():
                card.summary.value = indicator_summary_html(rows[iid], lang)
                agreed = state.agreed.get(iid)
                free_text = not hasattr(card.agree, "options")  # a measured indicator's box
                card.agree.value = agreed if agreed is not None else ("" if free_text else None)
                card.note.value = state.notes.get(iid, "")
                card.agree.disabled = card.note.disabled = final
            for d, slider in self._target_sliders.items():
                slider.value = float(state.targets.get(d, slider.value))
                slider.disabled = final
        finally:
            self._syncing = False
        self.finalise_button.disabled = final
        self.reopen_button.disabled = not final
        self.report_button.disabled = not final

    # -- polling -------------------------------------------------------------------------------

    def start_polling(self, seconds: float) -> asyncio.Task[None] | None:
        """Refresh from the store every ``seconds`` while the kernel runs.

        Does nothing when ``seconds`` is 0 or there is no running event loop (plain Python);
        in a Jupyter or Voilà kernel the task runs between cell executions and messages.
        """
        loop = _in_live_kernel()
        if seconds <= 0 or loop is None:
            return None
        self.stop_polling()
        self._poll_task = loop.create_task(self._poll(seconds))
        return self._poll_task

    def stop_polling(self) -> None:
        """Stop the polling task, if any."""
        if self._poll_task is not None:
            self._poll_task.cancel()
            self._poll_task = None

    async def _poll(self, seconds: float) -> None:
        while True:
            await asyncio.sleep(seconds)
            try:
                self.refresh()
            except Exception as exc:  # keep polling: the store may be busy for a moment
                self.messages.say(f"{type(exc).__name__}: {exc}", "error")


# -- the participant app -------------------------------------------------------------------


@dataclass(eq=False)
class VoteApp:
    """One participant's voting page: sign in, then one indicator at a time.

    Every answer is written to the store the moment a button is pressed; reopening the page
    with the same name resumes at the first unanswered indicator.
    """

    store: Store
    workshop_id: int
    lang: str = "en"
    participant: Participant | None = field(default=None, init=False)
    position: int = field(default=0, init=False)
    answers: dict[str, str] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        wd = _widgets()
        self.messages = _Messages()
        self.rubric = self.store.rubric(self.workshop_id)
        self.indicators = [i.id for _, i in self.rubric.iter_indicators()]
        self.progress = wd.IntProgress(
            min=0, max=len(self.indicators), layout=wd.Layout(width="100%")
        )
        self.progress_text = wd.HTML()
        self.body = wd.VBox()
        self.name_box = wd.Text(description=text("your_name", self.lang))
        self.role_box = wd.Text(description=text("your_role", self.lang))
        self.start_button = wd.Button(
            description=text("start", self.lang), button_style="primary", icon="play"
        )
        self.start_button.add_class("ws-nav")
        self.start_button.add_class("ws-start")
        self.start_button.on_click(
            _guard(self.messages, lambda _b: self.start(self.name_box.value, self.role_box.value))
        )
        w = self.store.workshop(self.workshop_id)
        title = wd.HTML(
            f"<div dir='{direction(self.lang)}'><h3>{esc(w.client_id)} · {esc(w.date)}</h3>"
            f"<p>{esc(text('welcome', self.lang))}</p></div>"
        )
        self.widget = wd.VBox(
            [
                wd.HTML(_CSS),
                title,
                self.progress_text,
                self.progress,
                self.messages.output,
                self.body,
            ],
            layout=wd.Layout(max_width="720px"),
        )
        self.widget.add_class("ws-vote")
        self.body.children = [self.name_box, self.role_box, self.start_button]

    # -- handlers ------------------------------------------------------------------------------

    def start(self, name: str, role: str = "") -> Participant:
        """Join the workshop as ``name`` and show the first unanswered indicator."""
        self.participant = self.store.join(self.workshop_id, name, role)
        self.answers = self.store.my_votes(self.participant)
        self.position = self.first_unanswered()
        self.show()
        return self.participant

    def first_unanswered(self) -> int:
        """Position of the first indicator without an answer (0 when all are answered)."""
        for k, iid in enumerate(self.indicators):
            if iid not in self.answers:
                return k
        return 0

    @property
    def current(self) -> str:
        """The indicator on screen."""
        return self.indicators[self.position]

    def vote(self, value: object) -> None:
        """Save an answer to the indicator on screen, then move to the next one."""
        if self.participant is None:
            raise ParameterError("enter your name first")
        if self.store.workshop(self.workshop_id).finalised:
            raise InputError(text("closed", self.lang))
        iid = self.current
        # A fresh token per press: a retried write of this press is recorded once.
        self.store.vote(self.participant, iid, value, token=uuid.uuid4().hex)
        self.answers[iid] = normalise_value(self.rubric, iid, value)
        self.messages.say(f"✓ {text('saved', self.lang)}", "ok")
        if self.position < len(self.indicators) - 1:
            self.position += 1
        self.show(saved=True)

    def go(self, step: int) -> None:
        """Move ``step`` indicators forward (negative: back)."""
        self.position = min(max(self.position + step, 0), len(self.indicators) - 1)
        self.messages.output.outputs = ()
        self.show()

    def go_to_dimension(self, dimension_id: str) -> None:
        """Jump to the first indicator of a dimension."""
        first = self.rubric.dimension(dimension_id).indicators[0].id
        self.position = self.indicators.index(first)
        self.messages.output.outputs = ()
        self.show()

    # -- drawing -------------------------------------------------------------------------------

    def show(self, saved: bool = False) -> None:
        """Draw the indicator at ``position`` with its answer buttons."""
        wd = _widgets()
        lang = self.lang
        rubric = self.rubric
        iid = self.current
        ind = rubric.indicator(iid)
        dim = next(d for d, i in rubric.iter_indicators() if i.id == iid)
        done = sum(i in self.answers for i in self.indicators)
        total = len(self.indicators)
        self.progress.value = done
        finished = f"<p class='ws-done'>{esc(text('all_done', lang))}</p>" if done == total else ""
        self.progress_text.value = (
            f"<div dir='{direction(lang)}' class='ws-progress' data-done='{done}'>"
            f"{esc(text('answered', lang, done=done, total=total))} · "
            f"{esc(text('position', lang, k=self.position + 1, total=total))}{finished}</div>"
        )
        mine = self.answers.get(iid)
        parts = [
            f"<div style='color:#555'>{esc(translate(dim.name, lang))}</div>",
            f"<h3>{esc(translate(ind.name, lang))}</h3>",
        ]
        if ind.question:
            parts.append(f"<p>{esc(translate(ind.question, lang))}</p>")
        if ind.evidence_hint:
            parts.append(
                f"<p style='color:#555'><i>{esc(text('evidence_hint', lang))}:</i> "
                f"{esc(translate(ind.evidence_hint, lang))}</p>"
            )
        if mine is not None:
            parts.append(
                f"<p class='ws-mine'><b>{esc(text('your_vote', lang, value=mine))}</b></p>"
            )
        rows: list[Any] = [wd.HTML(f"<div dir='{direction(lang)}'>{''.join(parts)}</div>")]
        if ind.kind == "measured":
            listing = "".join(
                f"<li><b>{lvl}</b> ({esc(rng)}): {esc(desc)}</li>"
                for lvl, rng, desc in bands(rubric, iid, lang)
            )
            rows.append(
                wd.HTML(
                    f"<div dir='{direction(lang)}'><ol style='list-style:none;"
                    f"padding-inline-start:0'>{listing}</ol></div>"
                )
            )
            number = wd.Text(
                value=mine if mine not in (None, "NA") else "",
                placeholder=f"{text('value_placeholder', lang)} ({ind.unit or ''})",
                layout=wd.Layout(width="100%", height="48px"),
            )
            number.add_class("ws-number")
            save = wd.Button(description=text("save", lang), button_style="primary", icon="check")
            save.add_class("ws-nav")
            save.add_class("ws-save")
            save.on_click(_guard(self.messages, lambda _b: self.vote(number.value)))
            rows += [number, save]
        for c in choices(rubric, iid, lang):
            label = c.label if not c.descriptor else f"{c.label}: {c.descriptor}"
            button = wd.Button(
                description=("✓ " if mine == c.value else "") + label,
                button_style="primary" if mine == c.value else "",
                tooltip=c.descriptor,
                layout=wd.Layout(width="100%", height="auto"),
            )
            button.add_class("ws-choice")
            button.add_class(f"ws-choice-{c.value}")
            button.on_click(_guard(self.messages, lambda _b, v=c.value: self.vote(v)))
            rows.append(button)
        back = wd.Button(description=text("previous", lang), icon="arrow-left")
        forward = wd.Button(description=text("next", lang), icon="arrow-right")
        for b in (back, forward):
            b.add_class("ws-nav")
        back.disabled = self.position == 0
        forward.disabled = self.position == total - 1
        back.on_click(_guard(self.messages, lambda _b: self.go(-1)))
        forward.on_click(_guard(self.messages, lambda _b: self.go(1)))
        jump = wd.Dropdown(
            options=[(translate(d.name, lang), d.id) for d in rubric.dimensions],
            value=dim.id,
            description=text("jump", lang),
        )
        jump.observe(
            _guard(
                self.messages,
                lambda ch: self.go_to_dimension(ch["new"]) if ch["new"] != dim.id else None,
            ),
            names="value",
        )
        rows.append(wd.HBox([back, forward]))
        rows.append(jump)
        self.body.children = rows
        if not saved:
            self.messages.output.outputs = ()


# -- notebook entry points ------------------------------------------------------------------


def _store_for(cfg: Settings) -> Store:
    path = cfg.store or str(demo_store(rubric=cfg.rubric))
    return open_store(path)


def facilitator_app(**params: Any) -> FacilitatorApp:
    """Build the facilitator app from notebook parameters (see :func:`settings`).

    Starts polling the store when ``poll_seconds`` > 0 and the notebook runs in a live kernel.
    """
    from assessment.inputs import load_clients, load_targets

    cfg = settings(**params)
    store = _store_for(cfg)
    w = resolve_workshop(
        store, client_id=cfg.client_id, workshop_id=cfg.workshop_id, rubric=cfg.rubric
    )
    rubric = store.rubric(w.id)
    targets = load_targets(cfg.targets, rubric) if cfg.targets else None
    clients = load_clients(cfg.clients, rubric, targets=targets) if cfg.clients else None
    reports = cfg.reports or str(Path(store.path).resolve().parent / "reports")
    app = FacilitatorApp(
        store,
        w.id,
        lang=cfg.lang,
        rubric_ref=cfg.rubric,
        clients=clients,
        targets_table=targets,
        clients_path=cfg.clients,
        targets_path=cfg.targets,
        peers_path=cfg.peers,
        reports_dir=reports,
    )
    app.start_polling(cfg.poll_seconds)
    return app


def vote_app(*, name: str = "", role: str = "", query: str | None = None, **params: Any) -> VoteApp:
    """Build the participant page from notebook parameters and the URL's query string.

    ``name``/``role`` parameters win over the query string; without a name the page opens on
    the sign-in screen (pre-filled from the query string when it has one).
    """
    cfg = settings(**params)
    url = query_parameters(query)
    store = _store_for(cfg)
    wid = cfg.workshop_id
    if not wid and url.get("workshop", "").isdigit():
        wid = int(url["workshop"])
    w = resolve_workshop(store, client_id=cfg.client_id, workshop_id=wid, rubric=cfg.rubric)
    app = VoteApp(store, w.id, lang=cfg.lang)
    who, what = name or url.get("name", ""), role or url.get("role", "")
    app.name_box.value, app.role_box.value = who, what
    if who:
        _guard(app.messages, app.start)(who, what)
    return app
