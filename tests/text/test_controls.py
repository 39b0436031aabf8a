"""Control characters and bidi overrides in user text (issue 18, finding 8)."""

from __future__ import annotations

import pytest

from assessment.report import esc
from assessment.text import strip_controls, visible_controls

TITLE = "Acme\x1b]0;owned\x07"  # sets a terminal's title
REVERSED = "\u202egnp.exe"  # displays as exe.png


@pytest.mark.parametrize(
    ("text", "html", "terminal"),
    [
        (TITLE, "Acme]0;owned", "Acme\\u001b]0;owned\\u0007"),
        (REVERSED, "gnp.exe", "\\u202egnp.exe"),
        ("a\u2066b\u2069c\u202ad", "abcd", "a\\u2066b\\u2069c\\u202ad"),
        ("C1\x9b31m", "C131m", "C1\\u009b31m"),
        ("line\nbreak\ttab", "line\nbreak\ttab", "line\nbreak\ttab"),
        ("\u0645\u0631\u062d\u0628\u0627\u200f", "\u0645\u0631\u062d\u0628\u0627\u200f", None),
    ],
    ids=["osc-title", "rlo", "isolates", "c1-csi", "whitespace-kept", "arabic-rlm-kept"],
)
def test_controls_are_removed_from_html_and_escaped_on_a_terminal(
    text: str, html: str, terminal: str | None
) -> None:
    assert strip_controls(text) == html
    assert visible_controls(text) == (terminal if terminal is not None else text)


def test_esc_strips_them_before_escaping() -> None:
    assert esc(f"<b>{REVERSED}</b>") == "&lt;b&gt;gnp.exe&lt;/b&gt;"
    assert esc(TITLE) == "Acme]0;owned"
