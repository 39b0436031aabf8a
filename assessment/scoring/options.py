"""The scoring engine's options; the defaults are the documented method."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from assessment.exceptions import ParameterError

__all__ = ["ScoringOptions"]


@dataclass(frozen=True)
class ScoringOptions:
    """Knobs of the scoring engine; the defaults are the documented method."""

    aggregate: Literal["median", "mean", "trimmed"] = "median"  #: respondent aggregation
    trim: float = 0.2  #: share cut from each end by the trimmed mean
    missing: Literal["exclude", "lowest"] = "exclude"  #: unanswered indicators: skip or level 1
    staged_share: float = 0.7  #: weight share needed at a level for the staged level
    rwg_threshold: float = 0.7  #: r_wg below this flags a disagreement hotspot
    spread_threshold: float = 2.0  #: a level range at least this wide flags a hotspot
    anonymity_floor: int = 10  #: fewest peers a percentile may be computed from
    bootstrap: int = 0  #: number of bootstrap resamples for CIs (0 = no CIs)
    confidence: float = 0.9  #: confidence level of the bootstrap intervals
    seed: int = 12345  #: seed of the bootstrap resampling
    #: ``trust``: answers count as given; ``cap``: an indicator without evidence counts below
    #: the first level whose evidence the rubric requires.
    evidence: Literal["trust", "cap"] = "trust"

    def __post_init__(self) -> None:
        if self.aggregate not in ("median", "mean", "trimmed"):
            raise ParameterError(
                f"aggregate must be 'median', 'mean' or 'trimmed'; found {self.aggregate!r}"
            )
        if self.evidence not in ("trust", "cap"):
            raise ParameterError(f"evidence must be 'trust' or 'cap'; found {self.evidence!r}")
        if self.missing not in ("exclude", "lowest"):
            raise ParameterError(f"missing must be 'exclude' or 'lowest'; found {self.missing!r}")
        if not 0 <= self.trim < 0.5:
            raise ParameterError(f"trim must be in [0, 0.5); found {self.trim}")
        if not 0 < self.staged_share <= 1:
            raise ParameterError(f"staged_share must be in (0, 1]; found {self.staged_share}")
        if not 0 < self.confidence < 1:
            raise ParameterError(f"confidence must be in (0, 1); found {self.confidence}")
        if self.bootstrap < 0 or self.anonymity_floor < 1:
            raise ParameterError("bootstrap must be >= 0 and anonymity_floor >= 1")
