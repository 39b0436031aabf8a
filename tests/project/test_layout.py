"""The package stays navigable: small modules, short functions, documented subpackages.

Limits (issue: "a package a newcomer can find their way in"): no module much past ~800 lines
and no function past ~80, except declarative tables, which are listed here with the reason.
The layers themselves are checked by import-linter (``make lint``; ``[tool.importlinter]`` in
``pyproject.toml``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from helpers import ROOT

PACKAGE = ROOT / "assessment"
MODULE_LINES = 800
FUNCTION_LINES = 80
#: Modules that are declarative tables (data written as Python), exempt from the module limit.
TABLES: dict[str, str] = {}  # the label table is split by surface (assessment/text/entries)
#: Functions that are declarative tables, exempt from the function limit.
TABLE_FUNCTIONS: dict[str, str] = {}

MODULES = sorted(PACKAGE.rglob("*.py"))


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", MODULES, ids=_rel)
def test_modules_are_small(path: Path) -> None:
    if _rel(path) in TABLES:
        return
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MODULE_LINES, f"{_rel(path)} has {lines} lines; split it by responsibility"


def _functions(tree: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def test_functions_are_short() -> None:
    long = []
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in _functions(tree):
            # The body only: a numpydoc docstring is documentation, not logic.
            body = fn.body[1:] if ast.get_docstring(fn) else fn.body
            if not body:
                continue
            length = body[-1].end_lineno - body[0].lineno + 1
            name = f"{_rel(path)}:{fn.name}"
            if length > FUNCTION_LINES and name not in TABLE_FUNCTIONS:
                long.append(f"{name} ({length} lines)")
    assert long == [], "functions past ~80 lines: " + ", ".join(long)


def test_every_subpackage_says_what_lives_there_and_what_it_may_import() -> None:
    for init in sorted(PACKAGE.rglob("__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert "May import" in doc, f"{_rel(init)}: the docstring must say what it may import"
