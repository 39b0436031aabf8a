"""Reading and validating the data files: answers, clients, peers and target profiles.

What lives here
---------------
* :mod:`~assessment.inputs.tables`: reading CSV/XLSX tables (encodings, delimiters, Excel row
  numbers), the error collector, :class:`Reason` codes and :data:`ERROR_COLUMNS`;
* :mod:`~assessment.inputs.ids`: safe identifiers (:func:`check_safe_id`);
* :mod:`~assessment.inputs.answers`: answers, long or wide, and their validation;
* :mod:`~assessment.inputs.reference`: the clients, peers and targets tables;
* :mod:`~assessment.inputs.run`: every file of a run at once (:func:`load_inputs`,
  :class:`Inputs`) and the batch's preloaded copies (:func:`remember_inputs`).

Every loader collects **every** problem before raising one
:class:`~assessment.exceptions.DataValidationError`.

May import: :mod:`assessment.samples`, :mod:`assessment.rubric`, :mod:`assessment.exceptions`.
"""

from assessment.inputs.answers import (
    ANSWER_COLUMNS,
    FORM_METADATA_COLUMNS,
    NA_TOKENS,
    NO_TOKENS,
    WIDE_ID_COLUMNS,
    YES_TOKENS,
    answers_from_frame,
    load_answers,
)
from assessment.inputs.ids import SAFE_ID, check_safe_id
from assessment.inputs.reference import (
    CLIENT_COLUMNS,
    CLIENT_NUMBER_COLUMNS,
    load_clients,
    load_peers,
    load_targets,
)

# _REMEMBERED: the batch's tests inspect the fork server's preloaded inputs through the package
# (the same dict object; it is only ever mutated, never rebound).
from assessment.inputs.run import _REMEMBERED as _REMEMBERED
from assessment.inputs.run import (
    Inputs,
    adopt_inputs,
    inputs_key,
    load_inputs,
    remember_inputs,
    resolve_files,
)
from assessment.inputs.tables import ERROR_COLUMNS, Reason, file_sha256, read_table

__all__ = [
    "ANSWER_COLUMNS",
    "CLIENT_COLUMNS",
    "CLIENT_NUMBER_COLUMNS",
    "ERROR_COLUMNS",
    "FORM_METADATA_COLUMNS",
    "NA_TOKENS",
    "NO_TOKENS",
    "SAFE_ID",
    "WIDE_ID_COLUMNS",
    "YES_TOKENS",
    "Inputs",
    "Reason",
    "adopt_inputs",
    "answers_from_frame",
    "check_safe_id",
    "file_sha256",
    "inputs_key",
    "load_answers",
    "load_clients",
    "load_inputs",
    "load_peers",
    "load_targets",
    "read_table",
    "remember_inputs",
    "resolve_files",
]
