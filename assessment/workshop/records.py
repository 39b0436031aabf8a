"""What the store keeps: workshops and participants, and the rules a vote, name or note passes.

The store accepts only **canonical** text (``"3"``, ``"2.5"``, ``"yes"``, ``"NA"``), the same
values :func:`assessment.inputs.answers_from_frame` accepts, so whatever a workshop holds exports
cleanly and scores without re-parsing (:func:`~assessment.workshop.model.answers_from_votes`).
"""

from __future__ import annotations

import contextlib
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assessment.exceptions import ParameterError
from assessment.inputs import NA_TOKENS, NO_TOKENS, YES_TOKENS

if TYPE_CHECKING:  # pragma: no cover - typing only
    from assessment.rubric import Rubric

__all__ = [
    "CONSENSUS_RESPONDENT",
    "CONSENSUS_ROLE",
    "MAX_NAME",
    "MAX_TEXT",
    "MAX_VALUE",
    "Participant",
    "Workshop",
    "clean_text",
    "normalise_value",
]

#: Respondent name and role of the agreed answers in the long format.
CONSENSUS_RESPONDENT = "Workshop consensus"
CONSENSUS_ROLE = "workshop"
#: Longest participant name or role, vote value and comment/note accepted.
MAX_NAME = 80
MAX_VALUE = 32
MAX_TEXT = 4000


@dataclass(frozen=True)
class Workshop:
    """One workshop: an assessment of ``client_id`` on ``date`` against one rubric."""

    id: int
    client_id: str
    date: str
    title: str
    rubric_id: str
    rubric_version: str
    rubric_hash: str
    revision: int
    created_at: str
    finalised_at: str | None

    @property
    def finalised(self) -> bool:
        """True once the agreed answers were written."""
        return self.finalised_at is not None

    @property
    def label(self) -> str:
        """Short label for pickers, e.g. ``c01-fanous-souq 2025-03-04 (#3)``."""
        title = f" {self.title}" if self.title else ""
        done = " [final]" if self.finalised else ""
        return f"{self.client_id} {self.date}{title} (#{self.id}){done}"


@dataclass(frozen=True)
class Participant:
    """A person voting in a workshop."""

    id: int
    workshop_id: int
    name: str
    role: str


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: object, what: str, *, limit: int, required: bool = False) -> str:
    """Strip ``value``, drop control characters and check its length.

    Parameters
    ----------
    value
        The text (``None`` is empty).
    what
        What the text is, for the message (e.g. ``"participant name"``).
    limit
        Most characters accepted.
    required
        Whether an empty text is refused.

    Returns
    -------
    str
        The cleaned text.

    Raises
    ------
    ParameterError
        When the text is empty but ``required`` or longer than ``limit`` characters.
    """
    text = _CONTROL.sub("", "" if value is None else str(value)).strip()
    if required and not text:
        raise ParameterError(f"{what} is empty")
    if len(text) > limit:
        raise ParameterError(f"{what} is too long ({len(text)} characters; at most {limit})")
    return text


def normalise_value(rubric: Rubric, indicator_id: str, value: object) -> str:
    """Check one vote against the rubric and return it as text in the long answers format.

    Anchored indicators take a whole level (``"3"``), measured ones and the rubric's facts a
    finite number (``"2.5"``, a decimal comma is accepted; a fact within its minimum and
    maximum), boolean ones ``"yes"``/``"no"``; ``"NA"`` where the rubric allows it.  The same
    rules as :func:`assessment.inputs.answers_from_frame`, so whatever the store accepts
    exports cleanly.

    Parameters
    ----------
    rubric, indicator_id
        The indicator voted on.
    value
        The vote: text, a number or a bool.

    Returns
    -------
    str
        The canonical text the store keeps.

    Raises
    ------
    ParameterError
        Naming the indicator, what was expected and what was found.
    """

    try:
        indicator = rubric.indicator(indicator_id)
    except KeyError:
        if indicator_id in {f.id for f in rubric.facts}:
            return _fact_value(rubric, indicator_id, value)
        raise ParameterError(
            f"unknown indicator {indicator_id!r} for rubric {rubric.id!r}"
        ) from None
    if isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, int | float):
        text = f"{value:.15g}"
    else:
        text = clean_text(value, f"the vote on {indicator_id!r}", limit=MAX_VALUE)
    low = text.lower()
    if not text:
        raise ParameterError(f"the vote on {indicator_id!r} is empty")
    if low in NA_TOKENS:
        if not indicator.allow_na:
            raise ParameterError(f"indicator {indicator_id!r} does not allow NA")
        return "NA"
    if indicator.kind == "boolean":
        if low in YES_TOKENS:
            return "yes"
        if low in NO_TOKENS:
            return "no"
        raise ParameterError(f"indicator {indicator_id!r} expects yes or no; found {text!r}")
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+", text):
        raise ParameterError(
            f"ambiguous number {text!r} for {indicator_id!r}: write it without a thousands "
            "separator (1000) or with a decimal point (1.5)"
        )
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        number = math.nan
    if indicator.kind == "measured":
        if not math.isfinite(number):
            unit = f" in {indicator.unit}" if indicator.unit else ""
            raise ParameterError(
                f"indicator {indicator_id!r} is measured: expected a number{unit}; found {text!r}"
            )
        return f"{number:.15g}"
    n = rubric.n_levels
    if not (math.isfinite(number) and number.is_integer() and 1 <= number <= n):
        raise ParameterError(
            f"indicator {indicator_id!r} expects a whole level from 1 to {n}; found {text!r}"
        )
    return str(int(number))


def _fact_value(rubric: Rubric, fact_id: str, value: object) -> str:
    """A fact's value as the store keeps it: a finite number within the fact's bounds."""
    fact = rubric.fact(fact_id)
    text = clean_text(value, f"the value of {fact_id!r}", limit=MAX_VALUE)
    number = math.nan
    if not re.fullmatch(r"-?\d{1,3}(,\d{3})+", text):  # "1,000" is ambiguous: refused
        with contextlib.suppress(ValueError):  # not a number: NaN, refused below
            number = float(text.replace(",", "."))
    low = -math.inf if fact.minimum is None else fact.minimum
    high = math.inf if fact.maximum is None else fact.maximum
    if not (math.isfinite(number) and low <= number <= high):
        raise ParameterError(
            f"fact {fact_id!r} expects a number in {fact.unit} from {low:g} to {high:g}; "
            f"found {text!r}"
        )
    return f"{number:.15g}"
