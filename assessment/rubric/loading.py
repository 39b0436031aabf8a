"""Loading a rubric: built-in names, YAML files, caching, and problems with YAML line numbers.

:func:`load_rubric` reads a built-in rubric by name (``social-media``), a YAML file or an
already parsed mapping, validates it against :class:`~assessment.rubric.model.Rubric`, and on
failure raises one :class:`~assessment.exceptions.RubricError` listing every problem, each with
its path in the file (ids in brackets) and its YAML line.

A rubric file is untrusted data.  Before it is validated, its size
(:data:`~assessment.limits.RUBRIC_BYTES`) and the size of the document once YAML aliases are
expanded (:data:`~assessment.limits.RUBRIC_NODES`, :data:`~assessment.limits.YAML_ALIAS_GROWTH`)
are bounded: 4 KB of aliases can otherwise expand into 90,000 indicators, 600 MB of memory and
12 MB of messages (issue 18).  The aliases are measured on the composed node graph, where an
alias is one shared node, so measuring costs as little as parsing.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from assessment.exceptions import RubricError
from assessment.limits import PROBLEMS_SHOWN, RUBRIC_BYTES, RUBRIC_NODES, YAML_ALIAS_GROWTH
from assessment.rubric.model import Rubric

__all__ = ["ARCHIVED_RUBRICS", "BUILTIN_RUBRICS", "load_rubric", "resolve_rubric_path"]

#: Rubrics shipped with the package, addressable by name (``--rubric social-media``).
BUILTIN_RUBRICS = ("social-media",)
#: Earlier versions kept in the package, addressable as ``NAME@VERSION``
#: (``--rubric social-media@1.0.0``), e.g. to compare or to re-score old assessments.
ARCHIVED_RUBRICS = ("social-media@1.0.0",)


class _NoDatesSafeLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe loader (libyaml's C one when available) that keeps dates and times as strings.

    Versions such as ``2024-01`` and dates in notes stay text; only safe tags are constructed.
    """


_NoDatesSafeLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def resolve_rubric_path(name_or_path: str | Path) -> Path:
    """Turn a built-in rubric name or a file path into a path.

    Raises
    ------
    RubricError
        If the name is not built in and no such file exists.
    """
    text = str(name_or_path)
    if text in BUILTIN_RUBRICS or text in ARCHIVED_RUBRICS:
        name = text.replace("@", "-")
        return Path(str(resources.files("assessment.rubric") / "packaged" / f"{name}.yaml"))
    path = Path(text)
    if path.exists() and not path.is_file():
        # A named pipe would block the reader forever; a folder is a mistake.
        kind = "a folder" if path.is_dir() else "not a regular file (a pipe, device or socket)"
        raise RubricError(f"rubric {text!r} is {kind}; expected a YAML file")
    if not path.is_file():
        known = ", ".join((*BUILTIN_RUBRICS, *ARCHIVED_RUBRICS))
        raise RubricError(
            f"rubric {text!r} not found: not a built-in rubric ({known}) and no such file"
        )
    return path


def load_rubric(source: str | Path | Mapping[str, Any] = "social-media") -> Rubric:
    """Load and validate a rubric.

    Parameters
    ----------
    source
        A built-in rubric name (``"social-media"``), a path to a YAML file, or an already
        parsed mapping.

    Returns
    -------
    Rubric
        The validated rubric.

    Raises
    ------
    RubricError
        With one line per problem, each naming the path in the file (and the YAML line when
        known), what was expected and what was found.
    """
    if isinstance(source, Mapping):
        return _validate(dict(source), label="<mapping>", text=None)
    path = resolve_rubric_path(source)
    try:
        stat = path.stat()
    except OSError as exc:
        raise RubricError(f"{path}: cannot be read ({exc.strerror})") from None
    return _load_file(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=32)
def _load_file(path_text: str, mtime_ns: int, size: int) -> Rubric:
    # Cached on the file's identity and modification stamp: rubrics are immutable models, and
    # reports, batches and the workshop load the same file many times.
    del mtime_ns
    path = Path(path_text)
    if size > RUBRIC_BYTES.value:
        raise RubricError(f"{path}: the rubric file has {size:,} bytes; {RUBRIC_BYTES.hint()}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RubricError(f"{path}: not a UTF-8 text file ({exc.reason})") from None
    except OSError as exc:
        raise RubricError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        data = _parse(text, str(path))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise RubricError(f"{path}: not valid YAML{where}: {problem}") from None
    if data is None:
        raise RubricError(f"{path}: the file is empty; expected a rubric (a YAML mapping)")
    if not isinstance(data, dict):
        raise RubricError(
            f"{path}: a rubric must be a YAML mapping at the top level; found {type(data).__name__}"
        )
    return _validate(data, label=str(path), text=text)


def _parse(text: str, label: str) -> Any:
    """The YAML document in ``text``, once its expanded size is known to be bounded.

    Raises
    ------
    RubricError
        When aliases expand it past the limits (see the module docstring).
    """
    loader = _NoDatesSafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        # An alias needs an anchor ("&name"): without one the document is as large as the
        # file, which RUBRIC_BYTES bounds, and the walk (a tenth of the parse) is skipped.
        if "&" in text:
            _check_expansion(node, label)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _check_expansion(root: yaml.Node, label: str) -> None:
    """Refuse a document whose aliases expand it too far, before anything is built from it.

    An alias is the same node object as its anchor: counting each node once gives the size of
    the file, and counting it at each use (memoised by identity) the size of the expanded
    document, without expanding anything.
    """
    expanded: dict[int, int] = {}
    order: list[yaml.Node] = []
    stack = [root]
    while stack:  # iterative: a deep document must not exhaust Python's recursion
        node = stack.pop()
        if id(node) in expanded:
            continue
        expanded[id(node)] = 0
        order.append(node)
        stack.extend(_children(node))
    for node in reversed(order):  # children before parents (a YAML graph has no cycles)
        expanded[id(node)] = 1 + sum(expanded[id(c)] for c in _children(node))
    total, distinct = expanded[id(root)], len(order)
    if total > RUBRIC_NODES.value:
        raise RubricError(
            f"{label}: the rubric expands to {total:,} YAML nodes once its aliases are "
            f"resolved; {RUBRIC_NODES.hint()}"
        )
    if total > YAML_ALIAS_GROWTH.value * distinct:
        raise RubricError(
            f"{label}: YAML aliases expand the rubric from {distinct:,} to {total:,} nodes; "
            f"aliases may at most multiply a rubric by {YAML_ALIAS_GROWTH.value} "
            f"({YAML_ALIAS_GROWTH.variable} raises it)"
        )


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _validate(data: dict[str, Any], *, label: str, text: str | None) -> Rubric:
    try:
        return Rubric.model_validate(data)
    except ValidationError as exc:
        # Only now is the node tree needed, to point at YAML line numbers.
        node = yaml.compose(text, Loader=_NoDatesSafeLoader) if text else None
        problems = [
            line
            for err in exc.errors(include_url=False)
            for line in _describe(err, data, node).split("\n")
        ]
        raise RubricError(
            f"{label}: invalid rubric ({len(problems)} problem(s))", problems, PROBLEMS_SHOWN.value
        ) from None


def _describe(err: Mapping[str, Any], data: Any, node: yaml.Node | None) -> str:
    """One line for one pydantic error: path (with ids and YAML line), expectation, found."""
    loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
    parts: list[str] = []
    cursor: Any = data
    for p in loc:
        if isinstance(p, int):
            parts.append(f"[{p}]")
        else:
            parts.append(f".{p}" if parts else str(p))
        try:
            cursor = cursor[p]
        except (KeyError, IndexError, TypeError):
            cursor = None
        if isinstance(cursor, Mapping) and isinstance(cursor.get("id"), str):
            parts.append(f"(id={cursor['id']})")
    path = "".join(parts) or "<top level>"
    line = _yaml_line(node, loc)
    where = f"{path} (line {line})" if line else path
    msg = str(err["msg"]).removeprefix("Value error, ")
    if not loc:  # whole-rubric checks: each line already names what it is about
        return "\n".join(f"{line}" for line in msg.split("\n"))
    found = err.get("input")
    shown = (
        ""
        if err["type"] in {"value_error", "missing"} or isinstance(found, dict | list)
        else (f"; found {found!r}")
    )
    return f"{where}: {msg}{shown}"


def _yaml_line(node: yaml.Node | None, loc: list[Any]) -> int | None:
    """Line number (1-based) of the deepest YAML node on ``loc`` that exists."""
    line = None
    for p in loc:
        if node is None:
            break
        line = node.start_mark.line + 1
        nxt = None
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if str(k.value) == str(p):
                    nxt = v
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(p, int) and p < len(node.value):
            nxt = node.value[p]
        node = nxt
    if node is not None:
        line = node.start_mark.line + 1
    return line
