"""The rubric format for tools and translators: JSON Schema, canonical YAML, missing texts."""

from __future__ import annotations

from typing import Any

import yaml

from assessment.rubric.model import Rubric

__all__ = ["dump_rubric", "missing_translations", "rubric_json_schema"]


def rubric_json_schema() -> dict[str, Any]:
    """JSON Schema of the rubric format, for editors (``maturity rubric schema``)."""
    schema = Rubric.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "assessment maturity rubric"
    return schema


def dump_rubric(rubric: Rubric) -> str:
    """Serialise ``rubric`` to YAML that :func:`load_rubric` reads back to an equal rubric."""
    data = rubric.model_dump(mode="json", exclude_defaults=True)
    data = {"schema_version": rubric.schema_version, **data}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def missing_translations(rubric: Rubric, lang: str) -> list[str]:
    """Paths of text fields that have no ``lang`` version (English is used for them).

    Examples
    --------
    >>> missing_translations(load_rubric("social-media"), "ar")  # doctest: +SKIP
    ['dimensions[0].indicators[0].evidence_hint', ...]
    """
    missing: list[str] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            if "en" in node and all(isinstance(v, str) for v in node.values()):
                if lang not in node:
                    missing.append(path)
                return
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else str(key))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}[{i}]")

    data = rubric.model_dump(mode="json", exclude={"references", "provenance"})
    walk(data, "")
    return missing
