"""Dimension weights: derived by AHP, shipped as rubric variants, tested for sensitivity.

What lives here
---------------
* :mod:`~assessment.weights.matrices`: pairwise comparison matrices (built, read, checked);
* :mod:`~assessment.weights.ahp`: AHP weights and consistency, several experts, hierarchies;
* :mod:`~assessment.weights.group`: every expert's AHP, AIJ or AIP, consensus;
* :mod:`~assessment.weights.incomplete`: optimal completion of blank comparisons;
* :mod:`~assessment.weights.methods`: Best-Worst, direct rating, points, swing, rank-order
  centroid;
* :mod:`~assessment.weights.variants`: :func:`save_variant` (with its audit trail) and
  :func:`diff_rubrics`;
* :mod:`~assessment.weights.compare`: two rubrics' results side by side;
* :mod:`~assessment.weights.influence`: influence by mean absolute change, rank reversals,
  break-even, exports;
* :mod:`~assessment.weights.portfolio`: every client's index and level under any weights;
* :mod:`~assessment.weights.sensitivity`: Monte Carlo and one-at-a-time sensitivity.

May import: :mod:`assessment.scoring`, :mod:`assessment.rubric`, :mod:`assessment.text`,
:mod:`assessment.files`, :mod:`assessment.exceptions`.
"""

from assessment.weights.ahp import (
    CR_THRESHOLD,
    RANDOM_INDEX,
    SAATY_VALUES,
    AHPResult,
    HierarchyResult,
    ahp,
    ahp_group,
    ahp_hierarchy,
    combine_judgements,
    random_index,
    row_geometric_mean,
)
from assessment.weights.matrices import (
    consistent_matrix,
    matrix_from_judgements,
    read_matrix,
    validate_matrix,
)
from assessment.weights.variants import RubricChange, diff_rubrics, save_variant

__all__ = [
    "CR_THRESHOLD",
    "RANDOM_INDEX",
    "SAATY_VALUES",
    "AHPResult",
    "HierarchyResult",
    "RubricChange",
    "ahp",
    "ahp_group",
    "ahp_hierarchy",
    "combine_judgements",
    "consistent_matrix",
    "diff_rubrics",
    "matrix_from_judgements",
    "random_index",
    "read_matrix",
    "row_geometric_mean",
    "save_variant",
    "validate_matrix",
]
