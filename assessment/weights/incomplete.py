r"""Incomplete comparison matrices: the blank judgements filled by optimal completion.

An expert may leave pairs blank (both ``a_ij`` and ``a_ji``): with 11 dimensions, 55 judgements
is a lot to ask.  The blanks are filled with the values that make the whole matrix *as
consistent as possible*, i.e. that minimise its principal eigenvalue ``lambda_max``
(Bozóki, Fülöp & Rónyai 2010, *On optimal completion of incomplete pairwise comparison
matrices*, Mathematical and Computer Modelling 52, 318-333; the method ahpy uses).  Written in
the logarithms of the missing values, ``lambda_max`` is a convex function, so a local minimiser
is the global one; it is unique when the graph of the given comparisons is connected.  A
disconnected graph (two groups of items never compared with each other) has no meaningful
completion and is refused.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from assessment.exceptions import InputError

__all__ = ["complete_matrix"]


def _connected(known: np.ndarray) -> list[int]:
    """The items reachable from item 0 through given comparisons."""
    seen = {0}
    stack = [0]
    while stack:
        i = stack.pop()
        for j in np.flatnonzero(known[i]):
            if int(j) not in seen:
                seen.add(int(j))
                stack.append(int(j))
    return sorted(seen)


def _lambda_max(a: np.ndarray) -> float:
    return float(np.max(np.linalg.eigvals(a).real))


def complete_matrix(
    matrix: pd.DataFrame, *, source: str = "comparison matrix"
) -> tuple[pd.DataFrame, dict[tuple[str, str], float]]:
    """Fill the blank (NaN) pairs of a reciprocal matrix so that ``lambda_max`` is least.

    Parameters
    ----------
    matrix
        A validated matrix (:func:`validate_matrix` with ``allow_missing=True``): reciprocal
        where given, NaN in both cells of a blank pair.
    source
        How to name the matrix in error messages.

    Returns
    -------
    tuple
        ``(full, filled)``: the completed matrix, and ``{(row, column): value}`` of every
        filled pair above the diagonal (empty when nothing was blank).

    Raises
    ------
    InputError
        When the given comparisons do not connect every item (no unique completion).
    """
    a = matrix.to_numpy(dtype=float).copy()
    ids = list(matrix.index)
    missing = np.argwhere(np.triu(np.isnan(a), 1))
    if len(missing) == 0:
        return matrix, {}
    known = ~np.isnan(a)
    np.fill_diagonal(known, False)
    reach = _connected(known)
    if len(reach) < len(ids):
        apart = [ids[k] for k in range(len(ids)) if k not in reach]
        raise InputError(
            f"{source}: {apart} are never compared, directly or through other items, with "
            f"{[ids[k] for k in reach]}; give at least one judgement linking the two groups"
        )
    rows, cols = missing[:, 0], missing[:, 1]

    def fill(x: np.ndarray) -> np.ndarray:
        b = a.copy()
        b[rows, cols] = np.exp(x)
        b[cols, rows] = np.exp(-x)
        return b

    # local: scipy is heavy and only incomplete matrices need it
    from scipy.optimize import minimize

    # Start from the geometric-mean-of-rows weights of the matrix with blanks skipped.
    logs = np.where(np.isnan(a), 0.0, np.log(np.where(np.isnan(a), 1.0, a)))
    w0 = logs.sum(axis=1) / np.maximum(known.sum(axis=1) + 1, 1)
    x0 = w0[rows] - w0[cols]
    res = minimize(
        lambda x: _lambda_max(fill(x)), x0, method="BFGS", options={"gtol": 1e-10, "xrtol": 1e-12}
    )
    full = fill(res.x)
    filled = {(ids[r], ids[c]): float(full[r, c]) for r, c in zip(rows, cols, strict=True)}
    return pd.DataFrame(full, index=ids, columns=ids), filled
