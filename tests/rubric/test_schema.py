"""The rubric format for tools and translators (:mod:`assessment.rubric.schema`)."""

from __future__ import annotations

import json

import pytest
import yaml
from helpers import SMALL_RUBRIC

from assessment.rubric import load_rubric, missing_translations, rubric_json_schema


def as_json(data: object) -> object:
    """``data`` as an editor sees it: JSON types only (YAML int keys become strings)."""
    return json.loads(json.dumps(data))


def test_rubric_schema_validates_the_small_rubric_as_written() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = rubric_json_schema()
    data = as_json(yaml.safe_load(SMALL_RUBRIC.read_text(encoding="utf-8")))
    errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]
    assert errors == []


def test_every_rubric_text_has_an_arabic_version():
    assert missing_translations(load_rubric("social-media"), "ar") == []
