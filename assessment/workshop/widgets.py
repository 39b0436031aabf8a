"""What both apps share: their stylesheet, a message line, error handling, the kernel's loop,
and long work run in the background (:class:`BackgroundTask`).

``ipywidgets`` is imported only when an app is built (:func:`widgets`), so the pure modules of
the workshop import without it.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

import ipywidgets
from IPython.display import HTML

from assessment.exceptions import AssessmentError
from assessment.report import esc
from assessment.text import direction, label

__all__ = ["CSS", "BackgroundTask", "Messages", "guard", "in_live_kernel", "widgets"]

#: Styles of both apps: large touch targets on the participant's page, cards on the facilitator's.
CSS = """
<style>
.ws-choice { width: 100% !important; height: auto !important; min-height: 52px;
  white-space: normal !important; text-align: start !important; font-size: 16px !important;
  line-height: 1.35 !important; padding: 10px 14px !important; margin: 4px 0 !important; }
.ws-nav { min-height: 48px; font-size: 16px !important; }
.ws-card { border: 1px solid #ddd; border-radius: 6px; padding: 8px 12px; margin: 6px 0; }
.ws-card h4 { margin: 4px 0; }
/* Tab names whole: ipywidgets cuts them at 144 px (seven letters of an Arabic name). */
.ws-facilitator .lm-TabBar-tab { max-width: none !important; flex: 0 0 auto !important; }
.ws-facilitator .lm-TabBar-tabLabel { overflow: visible !important;
  text-overflow: clip !important; }
/* Arabic: the whole page right to left (layout, tabs, buttons, labels). */
.ws-rtl, .ws-rtl .widget-box, .ws-rtl .lm-TabBar-content, .ws-rtl .widget-label,
.ws-rtl .widget-html-content, .ws-rtl .widget-toggle-buttons { direction: rtl; }
.ws-rtl .widget-label { text-align: right !important; }
.ws-rtl .widget-button { text-align: center; }
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

    def __init__(self, lang: str = "en") -> None:
        self.output = widgets().Output()
        self.lang = lang

    def say(self, message: str, kind: str = "info") -> None:
        """Replace the message with ``message`` (escaped); ``kind``: info, ok or error."""

        colour = {"error": "#B00020", "ok": "#1B5E20"}.get(kind, "#333")
        body = esc(message).replace("\n", "<br>")
        self.output.outputs = ()
        self.output.append_display_data(
            HTML(
                f"<div dir='{direction(self.lang)}' class='ws-message ws-{kind}' "
                f"style='color:{colour}'>{body}</div>"
            )
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


#: Refusals a facilitator meets, by a phrase of their message, and the label that says them
#: plainly in the page's language (issue 16: the Arabic page showed English errors).
_PLAIN = (
    ("nothing to finalise", "workshop.nothing_to_finalise"),
    ("finalised", "workshop.closed"),
    ("expects", "room.not_accepted"),
    ("expected a number", "room.not_accepted"),
    ("does not allow NA", "room.not_accepted"),
    ("is empty", "room.not_accepted"),
    ("too long", "room.not_accepted"),
)


def explain(exc: Exception, lang: str) -> str:
    """An error as the page's reader should see it: in their language when it is a known one.

    English pages show the message as it is (it names the question, expected and found); on an
    Arabic page a known refusal is its label, any other error its message after a short
    Arabic lead.
    """
    text = str(exc)
    if lang == "en":
        return text
    for phrase, key in _PLAIN:
        if phrase in text:
            return label(key, lang)
    return label("workshop.failed", lang, reason=text)


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
            messages.say(explain(exc, messages.lang), "error")
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


class BackgroundTask:
    """Run ``work`` in a thread, so that the page keeps answering clicks meanwhile.

    A widget handler must return quickly: the kernel handles one message at a time, and a
    handler that renders a report for seconds freezes every widget of the page (issue 19).
    ``work(step)`` runs in its own thread and calls ``step(name)`` as it moves on; every
    ``tick`` seconds, and at each step, ``progress(name, seconds)`` is called with the current
    step and the seconds spent in it.  Then exactly one of ``done(result)`` or
    ``failed(exception)`` is called.  All callbacks run in background threads: they may only
    set widget values (which ipywidgets sends from any thread), and must not raise.

    Parameters
    ----------
    work
        The long function; its argument is the ``step`` callback.
    progress, done, failed
        See above.
    tick
        Seconds between progress calls within a step.
    """

    def __init__(
        self,
        work: Callable[[Callable[[str], None]], Any],
        *,
        progress: Callable[[str, float], None],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None],
        tick: float = 0.5,
    ) -> None:
        self._work, self._progress, self._done, self._failed = work, progress, done, failed
        self._tick = tick
        self._step = ("", time.monotonic())
        self._finished = threading.Event()
        self._lock = threading.Lock()  # no progress call after the end
        self._thread = threading.Thread(target=self._run, name="background-task", daemon=True)
        self._ticker = threading.Thread(target=self._tick_loop, name="task-ticker", daemon=True)

    def start(self) -> BackgroundTask:
        """Start the work; returns at once."""
        self._thread.start()
        self._ticker.start()
        return self

    @property
    def running(self) -> bool:
        """Whether the work has started and not finished."""
        return self._thread.is_alive()

    def join(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the end; whether it ended."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _enter(self, name: str) -> None:
        self._step = (name, time.monotonic())
        self._progress(name, 0.0)

    def _run(self) -> None:
        try:
            result = self._work(self._enter)
        except BaseException as exc:  # reported in the page: a thread has nowhere else to
            self._end()
            self._failed(exc)
        else:
            self._end()
            self._done(result)

    def _end(self) -> None:
        with self._lock:
            self._finished.set()

    def _tick_loop(self) -> None:
        while not self._finished.wait(self._tick):
            with self._lock:
                name, since = self._step
                if name and not self._finished.is_set():
                    self._progress(name, time.monotonic() - since)
