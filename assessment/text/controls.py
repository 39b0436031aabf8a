"""Control characters in user text: removed from HTML, shown escaped on a terminal.

A client name, a respondent or a comment comes from a file someone else wrote.  Two kinds of
characters in them are never content:

* **C0 and C1 controls** (``ESC``, ``BEL``, ``DEL``, U+0080-U+009F...): on a terminal they are
  commands (``ESC ] 0 ; ... BEL`` sets the window title; other sequences move the cursor or
  rewrite what is shown);
* **bidi embeddings, overrides and isolates** (U+202A-U+202E, U+2066-U+2069): they reorder the
  text around them, so ``U+202E gnp.exe`` is displayed as ``exe.png``.

:func:`strip_controls` removes them (HTML: :func:`esc`, which every report, workshop view
and printed page uses); :func:`visible_controls` writes them as ``\\u001b``-style escapes
(terminal output, where the user should see that something was there).  Tabs and line breaks
are kept; so are the marks U+200E/U+200F (LRM/RLM) and U+061C (ALM), which Arabic text uses
legitimately and which reorder nothing beyond themselves.
"""

from __future__ import annotations

import html
import re

__all__ = ["CONTROL_CHARACTERS", "esc", "strip_controls", "visible_controls"]

#: C0 controls except tab, line feed and carriage return; DEL and C1; bidi embeddings,
#: overrides and isolates.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: The same on a terminal, where a carriage return can also overwrite what was printed.
_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str) -> str:
    """``text`` without control characters and bidi overrides (see the module docstring).

    Examples
    --------
    >>> strip_controls("\u202egnp.exe")
    'gnp.exe'
    >>> strip_controls("Acme\x1b]0;pwned\x07")
    'Acme]0;pwned'
    """
    return CONTROL_CHARACTERS.sub("", text)


def esc(value: object) -> str:
    """HTML-escape any value (quotes included) after :func:`strip_controls`.

    The one escaping rule of every page: a name with U+202E must not display reversed.

    Examples
    --------
    >>> esc('<b title="x">‮A&B</b>')
    '&lt;b title=&quot;x&quot;&gt;A&amp;B&lt;/b&gt;'
    >>> esc(None)
    ''
    """
    return html.escape(strip_controls("" if value is None else str(value)), quote=True)


def visible_controls(text: str) -> str:
    """``text`` with control characters and bidi overrides written as visible escapes.

    Examples
    --------
    >>> visible_controls("Acme\x1b]0;pwned\x07")
    'Acme\\\\u001b]0;pwned\\\\u0007'
    >>> visible_controls("\u202egnp.exe")
    '\\\\u202egnp.exe'
    """
    return _TERMINAL.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    # \uXXXX for every character: readable, and a valid escape inside JSON strings too.
    return f"\\u{ord(match.group()):04x}"
