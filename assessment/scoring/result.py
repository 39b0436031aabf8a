"""What the engine returns: :class:`ScoreResult`, tidy tables and views of them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from assessment.exceptions import ParameterError
from assessment.rubric import Rubric
from assessment.scoring.options import ScoringOptions
from assessment.scoring.targets import _profile_targets, priority_order

__all__ = ["ASSESSMENT", "ScoreResult"]

#: The columns that identify one assessment in every table.
ASSESSMENT = ["client_id", "date"]


@dataclass
class ScoreResult:
    """Everything the engine computed, as tidy DataFrames.

    Attributes
    ----------
    indicators
        One row per assessment x indicator: ``level``, ``status`` (answered / na / missing),
        ``value`` (aggregated raw value), respondent statistics (``n``, ``iqr``, ``range``,
        ``rwg``, ``hotspot``), ``target``, ``gap``.
    dimensions
        One row per assessment x dimension: ``score`` (after gates), ``raw_score``, ``level``,
        ``capped_by``, ``coverage``, ``weight``, ``target``, ``gap``, ``priority``, ``ci_low``,
        ``ci_high``.
    overall
        One row per assessment: ``index_1_n``, ``index`` (0-100), ``level`` (staged),
        ``weakest_link``, ``count_2007``, ``n_dimensions``, ``coverage``, ``target_profile``.
    recommendations
        Ranked next steps per assessment.
    benchmark
        Peer percentiles (long: one row per assessment x measure), or empty without peers.
    """

    rubric: Rubric
    options: ScoringOptions
    answers: pd.DataFrame
    indicators: pd.DataFrame
    dimensions: pd.DataFrame
    overall: pd.DataFrame
    recommendations: pd.DataFrame
    benchmark: pd.DataFrame
    targets: pd.DataFrame = field(repr=False)
    peers: pd.DataFrame | None = field(default=None, repr=False)

    def latest(self) -> pd.DataFrame:
        """``overall`` restricted to each client's most recent assessment."""
        return _latest(self.overall)

    def summary(self) -> pd.DataFrame:
        """One record per client (latest assessment) for CSV/JSON/XLSX export.

        Columns: ``client_id, date, index, index_1_n, level, level_name, weakest_link,
        count_2007, coverage, target_profile, top_gap, top_gap_ties`` then one column per
        dimension id holding its score.  ``top_gap`` is the highest-priority dimension
        (priorities compared rounded, ties broken by weight then rubric order); ``top_gap_ties``
        lists the dimensions tied with it.
        """
        latest = self.latest()
        dims = _latest(self.dimensions).pivot(
            index=ASSESSMENT, columns="dimension_id", values="score"
        )[list(self.rubric.dimension_table.index)]
        ranked = priority_order(_latest(self.dimensions))
        first = ranked.loc[(ranked["priority_rank"] == 1) & (ranked["priority"] > 0)]
        top = first.drop_duplicates(ASSESSMENT).set_index(ASSESSMENT)
        # Dimensions whose rounded priority equals the top one's: a tie, shown as one.
        ties = first.groupby(ASSESSMENT)["dimension_id"].agg(lambda s: ",".join(s.iloc[1:]))
        out = latest.set_index(ASSESSMENT)
        out["top_gap"] = top["dimension_id"].reindex(out.index).fillna("")
        out["top_gap_ties"] = ties.reindex(out.index).fillna("")
        out = out.join(dims.round(3))
        cols = [
            "index",
            "index_1_n",
            "level",
            "level_name",
            "weakest_link",
            "count_2007",
            "coverage",
            "target_profile",
            "top_gap",
            "top_gap_ties",
        ]
        return out[cols + list(dims.columns)].reset_index()

    def client(self, client_id: str, date: str | None = None) -> ScoreResult:
        """The result restricted to one client (and one assessment date if given)."""

        def pick(df: pd.DataFrame) -> pd.DataFrame:
            if df is None or df.empty or "client_id" not in df:
                return df
            mask = df["client_id"] == client_id
            if date is not None and "date" in df:
                mask &= df["date"] == date
            return df.loc[mask].reset_index(drop=True)

        if not (self.overall["client_id"] == client_id).any():
            raise ParameterError(f"client {client_id!r} has no scored assessment")
        return replace(
            self,
            answers=pick(self.answers),
            indicators=pick(self.indicators),
            dimensions=pick(self.dimensions),
            overall=pick(self.overall),
            recommendations=pick(self.recommendations),
            benchmark=pick(self.benchmark),
        )

    def gaps_against(self, profile: str | Mapping[str, float]) -> pd.DataFrame:
        """Dimension gaps of every assessment against another target profile.

        Parameters
        ----------
        profile
            A target profile id (rubric or targets file) or a mapping dimension id -> target.
        """
        target = _profile_targets(self.rubric, self.targets, profile)
        dims = self.dimensions[[*ASSESSMENT, "dimension_id", "score", "weight"]].copy()
        dims["target"] = dims["dimension_id"].map(target)
        dims["gap"] = (dims["target"] - dims["score"]).clip(lower=0)
        dims["priority"] = dims["weight"] * dims["gap"]
        return dims


def _latest(df: pd.DataFrame) -> pd.DataFrame:
    """The rows of each client's most recent assessment."""
    last = df.groupby("client_id")["date"].transform("max")
    return df.loc[df["date"] == last].reset_index(drop=True)
