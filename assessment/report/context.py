"""What a report's sections share: :class:`ReportContext`, built once by :func:`prepare`."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from assessment.exceptions import ParameterError
from assessment.inputs import load_inputs
from assessment.report.html import Html, esc
from assessment.rubric import Indicator, Rubric, load_rubric, translate
from assessment.scoring import ScoreResult, score
from assessment.text import format_digits, format_number, label

__all__ = ["ReportContext", "level_badge", "prepare", "section"]


@dataclass
class ReportContext:
    """Everything the sections need, for one client and language."""

    client_id: str
    rubric: Rubric
    result: ScoreResult  # restricted to the client (all of its assessment dates)
    client: Mapping[str, Any]
    lang: str = "en"
    numerals: str = "western"
    radar_targets: Sequence[str] = ()
    staffing: Mapping[str, float] = field(default_factory=dict)
    sources: Mapping[str, str] = field(default_factory=dict)
    run_date: str = ""
    clients: pd.DataFrame | None = None
    #: Whether the report ends with the internal appendix (method, hashes, proposals).
    appendix: bool = True
    #: Figures computed once per context (the headline, the roadmap): the one-pager, the
    #: roadmap section and the deck read the same objects.
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def date(self) -> str:
        """The latest assessment date of the client."""
        if "date" not in self.cache:
            self.cache["date"] = str(self.result.overall["date"].max())
        return self.cache["date"]

    def latest(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Rows of ``frame`` for the latest assessment.

        Sections ask for the same tables many times (a report about 20 times, 0.6 ms each):
        each table's rows are selected once per context, and every caller gets its own
        shallow copy, which copy-on-write keeps from changing the others'.
        """
        key = ("latest", id(frame))
        hit = self.cache.get(key)
        if hit is None or hit[0] is not frame:
            # The frame is kept with its rows, so that its id cannot be reused meanwhile.
            rows = frame.loc[frame["date"] == self.date].reset_index(drop=True)
            hit = self.cache[key] = (frame, rows)
        return hit[1].copy(deep=False)

    def t(self, key: str, **values: object) -> str:
        """Label ``key`` in the report language, HTML-escaped, in the report's numerals."""
        return esc(self.digits(label(key, self.lang, **values)))

    def th(self, key: str, **markup: str) -> str:
        """Label ``key`` with values that are already HTML (isolated names, badges, numbers).

        Each value goes in through a placeholder from Unicode's private use area (no label
        contains one, and :func:`esc` keeps them), so the label is escaped and the markup is
        not.  Values must already be in the report's numerals.
        """
        marks = {k: chr(0xE000 + i) for i, k in enumerate(markup)}
        text = self.t(key, **marks)
        for k, mark in marks.items():
            text = text.replace(mark, markup[k])
        return text

    def digits(self, text: object) -> str:
        """``text`` with its digits in the report's numerals (dates, counts, labels)."""
        return format_digits(str(text), self.numerals)

    def num(self, value: float | None, digits: int = 1) -> str:
        """A formatted number in the report's numerals."""
        return format_number(value, digits, numerals=self.numerals)

    def user(self, value: object) -> str:
        """A user-supplied string, escaped and isolated (``<bdi>``) from the text around it.

        A Latin name in an Arabic sentence, or "Sawsan Capital Bank (بنك سوسن كابيتال)" in an
        English one, keeps its brackets and full stop where its writer put them.
        """
        return f"<bdi>{esc(value)}</bdi>"

    def ltr(self, text: str) -> str:
        """Already-escaped ``text`` that reads left to right (a signed number, a date, a time).

        In an Arabic paragraph "+10" would show as "10+" and "20:20 UTC" as "UTC 20:20".
        """
        return f'<bdi dir="ltr">{text}</bdi>'

    def value(self, column: str, raw: object) -> str:
        """A clients-table value (sector, size band, region) through the label table.

        A value the table does not know is the user's own text: shown as written, isolated.
        """
        text = str(raw if raw is not None and not pd.isna(raw) else "").strip()
        if not text:
            return "–"
        key = f"value.{column}.{text}"
        try:
            return self.t(key)
        except KeyError:
            return self.user(text)

    def unit(self, unit: str | None) -> str:
        """A rubric unit ("percent", "hours") in the report language."""
        if not unit:
            return ""
        try:
            return self.t(f"unit.{unit}")
        except KeyError:
            return esc(unit)

    def tr(self, text: Mapping[str, str] | None) -> str:
        """A rubric text in the report language, HTML-escaped."""
        return esc(translate(text, self.lang))

    def dim_name(self, dimension_id: str) -> str:
        """Escaped name of a dimension."""
        return self.tr(self.rubric.dimension(dimension_id).name)

    def indicator(self, indicator_id: str) -> Indicator:
        """The rubric's indicator ``indicator_id`` (``KeyError`` if absent), found in O(1).

        ``Rubric.indicator`` walks the rubric: called for every row of a 10,000-indicator
        rubric it made the dimension sections quadratic (108 s of a report; issue 18).
        """
        return self._indicators[indicator_id]

    @functools.cached_property
    def _indicators(self) -> dict[str, Indicator]:
        return {ind.id: ind for _, ind in self.rubric.iter_indicators()}


def prepare(
    client_id: str,
    *,
    rubric: str | Path | Rubric = "social-media",
    answers: str | Path | Sequence[str | Path],
    clients: str | Path | None = None,
    peers: str | Path | None = None,
    targets: str | Path | None = None,
    lang: str = "en",
    numerals: str = "western",
    radar_targets: Sequence[str] = (),
    bootstrap: int = 1000,
    evidence: str = "trust",
    aht_minutes: float = 6.0,
    answer_within_minutes: float = 60.0,
    service_level: float = 0.8,
    appendix: bool = True,
) -> ReportContext:
    """Load the inputs, score them and keep what one client's report needs.

    Parameters
    ----------
    client_id
        The client to report on.
    rubric, answers, clients, peers, targets
        As for ``maturity score``: a rubric name or path, one or more answer files and the
        optional tables.
    lang
        Report language (``en`` or ``ar``); texts without a translation fall back to English.
    numerals
        ``western`` or ``arabic-indic`` digits.
    radar_targets
        Extra target profiles to draw on the radar besides the client's own.
    bootstrap
        Resamples for the dimension confidence intervals (0 to skip).
    evidence
        ``trust`` or ``cap`` (see :class:`~assessment.scoring.ScoringOptions`).
    aht_minutes, answer_within_minutes, service_level
        Care-desk assumptions for the resourcing section (message volume and current FTE come
        from the clients table columns ``messages_per_day`` and ``social_fte``).
    appendix
        ``False`` leaves out the internal appendix (method caveats, hashes, proposals,
        provenance): the client receives the report as it is.

    Raises
    ------
    assessment.exceptions.InputError
        When a file is invalid or the client has no answers.
    """
    rub = rubric if isinstance(rubric, Rubric) else load_rubric(rubric)
    files = [answers] if isinstance(answers, str | Path) else list(answers)
    data = load_inputs(files, rub, clients=clients, peers=peers, targets=targets)
    answer_df, client_df, peer_df, target_df = data.answers, data.clients, data.peers, data.targets
    mine = answer_df.loc[answer_df["client_id"] == client_id]
    if mine.empty:
        raise ParameterError(f"client {client_id!r} has no answers in {', '.join(map(str, files))}")
    result = score(
        rub,
        mine,
        clients=client_df,
        peers=peer_df,
        targets=target_df,
        bootstrap=bootstrap,
        evidence=evidence,
    )
    info: dict[str, Any] = {"client_id": client_id, "name": client_id}
    if client_df is not None:
        row = client_df.loc[client_df["client_id"] == client_id]
        if not row.empty:
            info.update({k: v for k, v in row.iloc[0].items() if v != ""})
    staffing = {
        "aht_minutes": aht_minutes,
        "answer_within_minutes": answer_within_minutes,
        "service_level": service_level,
    }
    return ReportContext(
        client_id=client_id,
        rubric=rub,
        result=result,
        client=info,
        lang=lang,
        numerals=numerals,
        radar_targets=tuple(radar_targets),
        staffing=staffing,
        sources=answer_df.attrs.get("sources", {}),
        run_date=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        clients=client_df,
        appendix=appendix,
    )


def section(ctx: ReportContext, key: str, body: str, anchor: str | None = None) -> Html:
    """A report section: ``<section id=anchor>`` with the label ``key`` as its heading."""
    anchor = anchor or key.replace("_", "-")
    return Html(f'<section id="{esc(anchor)}"><h2>{ctx.t(key)}</h2>{body}</section>')


def level_badge(ctx: ReportContext, level: float | None) -> str:
    """A coloured badge ``L3 Defined and engaged`` for a level (a dash when missing)."""
    if level is None or pd.isna(level):
        return "–"
    lvl = int(level)
    # "L3" in English, "المستوى 3" in Arabic: the same label as the sensitivity chart's.
    short = ctx.t("chart.sensitivity.level", level=lvl)
    name = esc(ctx.rubric.level_name(lvl, ctx.lang))
    return f'<span class="badge level-{lvl}">{short} {name}</span>'
