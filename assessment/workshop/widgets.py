"""What both apps share: their stylesheet, a message line, error handling, the kernel's loop.

``ipywidgets`` is imported only when an app is built (:func:`widgets`), so the pure modules of
the workshop import without it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import ipywidgets
from IPython.display import HTML

from assessment.exceptions import AssessmentError
from assessment.report import esc

__all__ = ["CSS", "Messages", "guard", "in_live_kernel", "widgets"]

#: Styles of both apps: large touch targets on the participant's page, cards on the facilitator's.
CSS = """
<style>
.ws-choice { width: 100% !important; height: auto !important; min-height: 52px;
  white-space: normal !important; text-align: start !important; font-size: 16px !important;
  line-height: 1.35 !important; padding: 10px 14px !important; margin: 4px 0 !important; }
.ws-nav { min-height: 48px; font-size: 16px !important; }
.ws-card { border: 1px solid #ddd; border-radius: 6px; padding: 8px 12px; margin: 6px 0; }
.ws-card h4 { margin: 4px 0; }
</style>
"""


def widgets() -> Any:
    """The ``ipywidgets`` module, imported on first use."""

    return ipywidgets


class Messages:
    """An ``ipywidgets.Output`` holding the latest message of a handler.

    Written through its ``outputs`` trait rather than ``with output:``, so that messages from
    the polling task (which has no parent request to attach output to) show up too.
    """

    def __init__(self) -> None:
        self.output = widgets().Output()

    def say(self, message: str, kind: str = "info") -> None:
        """Replace the message with ``message`` (escaped); ``kind``: info, ok or error."""

        colour = {"error": "#B00020", "ok": "#1B5E20"}.get(kind, "#333")
        body = esc(message).replace("\n", "<br>")
        self.output.outputs = ()
        self.output.append_display_data(
            HTML(f"<div class='ws-message ws-{kind}' style='color:{colour}'>{body}</div>")
        )

    def clear(self) -> None:
        """Remove the message."""
        self.output.outputs = ()

    @property
    def last(self) -> str:
        """HTML of the latest message ("" when there is none)."""
        if not self.output.outputs:
            return ""
        data = self.output.outputs[-1].get("data", {})
        return str(data.get("text/html", data.get("text/plain", "")))


def guard(messages: Messages, fn: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a widget handler: an error shows as one clear message instead of a traceback.

    Parameters
    ----------
    messages
        Where the error is shown.
    fn
        The handler.

    Returns
    -------
    callable
        ``fn``'s result, or ``None`` after showing its error.
    """

    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except AssessmentError as exc:
            messages.say(str(exc), "error")
        except Exception as exc:  # a widget callback must not die silently
            messages.say(f"{type(exc).__name__}: {exc}", "error")
        return None

    return run


def in_live_kernel() -> asyncio.AbstractEventLoop | None:
    """The running event loop of a kernel, or ``None`` outside one (plain Python, tests)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    return loop
