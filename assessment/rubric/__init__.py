"""The rubric: a declaration of what is assessed, loaded from YAML and validated.

What lives here
---------------
* :mod:`~assessment.rubric.model`: the pydantic models (:class:`Rubric`, :class:`Dimension`,
  :class:`Indicator`...), their cross-checks and tabular views, and :func:`translate`;
* :mod:`~assessment.rubric.checks`: what the rubric must satisfy as a whole, the rules of
  rubric 2.0 (errors in schema 2, warnings in schema 1) and :func:`lint`;
* :mod:`~assessment.rubric.loading`: :func:`load_rubric` (built-in names, YAML files, caching)
  and the problem list with YAML line numbers;
* :mod:`~assessment.rubric.schema`: the JSON Schema, canonical YAML (:func:`dump_rubric`) and
  :func:`missing_translations`;
* ``packaged/social-media.yaml``: the built-in rubric (``social-media-1.0.0.yaml`` keeps the
  previous version, loaded as ``social-media@1.0.0``).

May import: :mod:`assessment.text` (the glossary), :mod:`assessment.exceptions`.
"""

from assessment.rubric.checks import Problem, lint
from assessment.rubric.loading import (
    ARCHIVED_RUBRICS,
    BUILTIN_RUBRICS,
    load_rubric,
    resolve_rubric_path,
)
from assessment.rubric.model import (
    HORIZONS,
    Dimension,
    ExpertRecord,
    Fact,
    Formula,
    Gate,
    Identifier,
    Indicator,
    IndicatorLevel,
    LanguageCode,
    Provenance,
    Reference,
    Roadmap,
    Role,
    Rubric,
    ScaleLevel,
    Source,
    SourceRef,
    TargetProfile,
    Text,
    source_id,
    translate,
)
from assessment.rubric.schema import dump_rubric, missing_translations, rubric_json_schema

__all__ = [
    "ARCHIVED_RUBRICS",
    "BUILTIN_RUBRICS",
    "HORIZONS",
    "Dimension",
    "ExpertRecord",
    "Fact",
    "Formula",
    "Gate",
    "Identifier",
    "Indicator",
    "IndicatorLevel",
    "LanguageCode",
    "Problem",
    "Provenance",
    "Reference",
    "Roadmap",
    "Role",
    "Rubric",
    "ScaleLevel",
    "Source",
    "SourceRef",
    "TargetProfile",
    "Text",
    "dump_rubric",
    "lint",
    "load_rubric",
    "missing_translations",
    "resolve_rubric_path",
    "rubric_json_schema",
    "source_id",
    "translate",
]
