"""Compare two folders of rendered reports, ignoring what legitimately differs between runs.

A refactoring must not change what a client receives.  Render the sample batch before and after
the change, then compare::

    maturity batch --samples --out /tmp/before      # on the old commit
    maturity batch --samples --out /tmp/after       # on the new one
    python tests/helpers/compare_reports.py /tmp/before /tmp/after

Every ``*.html`` file (each client's ``report.html`` and the portfolio ``index.html``) must be
identical once run timestamps, toolkit versions, content hashes and absolute paths are masked.
Exit status 0 when they are, 1 with the first differing line of each file otherwise.
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path

#: What differs between two runs of the same code on the same data, and is masked.
VOLATILE = (
    (re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC"), "<when>"),
    (re.compile(r"[0-9a-f]{64}"), "<sha256>"),
    (re.compile(r"\(([0-9a-f]{12})\)"), "(<hash>)"),
    (re.compile(r'content="assessment [^"]*"'), 'content="assessment <version>"'),
    (re.compile(r"(assessment toolkit|أداة التقييم)\s*</?\w*>?\s*[\w.+]+"), r"\1 <version>"),
    (re.compile(r"(/[\w.\-]+)+/(answers[\w.\-]*\.csv)"), r"<path>/\2"),
)


def normalise(html: str) -> str:
    """``html`` with the run-specific parts masked (see :data:`VOLATILE`)."""
    for pattern, replacement in VOLATILE:
        html = pattern.sub(replacement, html)
    return html


def compare(before: Path, after: Path) -> list[str]:
    """One line per HTML file that is missing or differs between the two folders."""
    problems = []
    names = sorted({p.relative_to(before) for p in before.rglob("*.html")})
    if not names:
        return [f"{before}: no HTML files"]
    for name in names:
        other = after / name
        if not other.is_file():
            problems.append(f"{name}: missing in {after}")
            continue
        a = normalise((before / name).read_text(encoding="utf-8")).splitlines()
        b = normalise(other.read_text(encoding="utf-8")).splitlines()
        if a != b:
            diff = list(difflib.unified_diff(a, b, lineterm="", n=0))[2:6]
            shown = " | ".join(line[:160] for line in diff)
            problems.append(f"{name}: differs: {shown}")
    return problems


def main(argv: list[str]) -> int:
    """Command-line entry: ``compare_reports.py BEFORE AFTER``."""
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        print("usage: compare_reports.py BEFORE_DIR AFTER_DIR", file=sys.stderr)
        return 2
    before, after = (Path(a) for a in argv)
    problems = compare(before, after)
    for line in problems:
        print(line)
    if not problems:
        count = len(list(before.rglob("*.html")))
        print(f"identical: {count} HTML files (timestamps, versions, hashes and paths masked)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
