"""The rubric: a declaration of what is assessed, loaded from YAML and validated.

What lives here
---------------
* :mod:`~assessment.rubric.model`: the pydantic models (:class:`Rubric`, :class:`Dimension`,
  :class:`Indicator`...), their cross-checks and tabular views, and :func:`translate`;
* :mod:`~assessment.rubric.loading`: :func:`load_rubric` (built-in names, YAML files, caching)
  and the problem list with YAML line numbers;
* :mod:`~assessment.rubric.schema`: the JSON Schema, canonical YAML (:func:`dump_rubric`) and
  :func:`missing_translations`;
* ``packaged/social-media.yaml``: the built-in rubric.

May import: :mod:`assessment.exceptions`.
"""

from assessment.rubric.loading import BUILTIN_RUBRICS, load_rubric, resolve_rubric_path
from assessment.rubric.model import (
    Dimension,
    Gate,
    Identifier,
    Indicator,
    IndicatorLevel,
    LanguageCode,
    Provenance,
    Reference,
    Rubric,
    ScaleLevel,
    TargetProfile,
    Text,
    translate,
)
from assessment.rubric.schema import dump_rubric, missing_translations, rubric_json_schema

__all__ = [
    "BUILTIN_RUBRICS",
    "Dimension",
    "Gate",
    "Identifier",
    "Indicator",
    "IndicatorLevel",
    "LanguageCode",
    "Provenance",
    "Reference",
    "Rubric",
    "ScaleLevel",
    "TargetProfile",
    "Text",
    "dump_rubric",
    "load_rubric",
    "missing_translations",
    "resolve_rubric_path",
    "rubric_json_schema",
    "translate",
]
