"""Undo and redo for the weights: a list of states and a cursor, nothing else."""

from __future__ import annotations

from typing import Generic, TypeVar

__all__ = ["History"]

T = TypeVar("T")


class History(Generic[T]):
    """States in order with a cursor: :meth:`push` a new one, step back and forth.

    Pushing after an undo drops the states after the cursor (the usual editor behaviour).
    ``limit`` bounds how many states are kept.
    """

    def __init__(self, first: T, limit: int = 200) -> None:
        self._states: list[T] = [first]
        self._at = 0
        self._limit = limit

    @property
    def current(self) -> T:
        """The state at the cursor."""
        return self._states[self._at]

    @property
    def can_undo(self) -> bool:
        """Whether there is an earlier state."""
        return self._at > 0

    @property
    def can_redo(self) -> bool:
        """Whether an undone state can come back."""
        return self._at < len(self._states) - 1

    def push(self, state: T) -> None:
        """Record ``state`` as the newest (a no-op when it equals the current one)."""
        if state == self.current:
            return
        del self._states[self._at + 1 :]
        self._states.append(state)
        if len(self._states) > self._limit:
            del self._states[0]
        self._at = len(self._states) - 1

    def undo(self) -> T:
        """Step back; returns the state now current (the same one when there is none)."""
        if self.can_undo:
            self._at -= 1
        return self.current

    def redo(self) -> T:
        """Step forward again after :meth:`undo`."""
        if self.can_redo:
            self._at += 1
        return self.current
