"""Reference tables of a run: clients, the peer benchmark population and target profiles.

Each loader reads one CSV or XLSX table (:func:`~assessment.inputs.tables.read_table`), checks
it against the rubric and reports every problem at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from assessment.inputs.ids import _reserved_messages, _safe_id_mask
from assessment.inputs.tables import Reason, _Errors, _require, file_sha256, read_table

if TYPE_CHECKING:  # pragma: no cover
    from assessment.rubric import Rubric

__all__ = [
    "CLIENT_COLUMNS",
    "CLIENT_NUMBER_COLUMNS",
    "load_clients",
    "load_peers",
    "load_targets",
]

#: Columns of the clients table; only the first two are required.
CLIENT_COLUMNS = ["client_id", "name", "sector", "size_band", "region", "target_profile", "lang"]
#: Optional numeric columns of the clients table (the report's resourcing section uses them).
CLIENT_NUMBER_COLUMNS = ["messages_per_day", "social_fte"]


def load_clients(
    path: str | Path,
    rubric: Rubric | None = None,
    *,
    targets: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Load and validate the clients table.

    Columns: ``client_id`` and ``name`` (required), ``sector``, ``size_band``, ``region``,
    ``target_profile`` (a rubric target id, or one from the targets file; empty = the rubric's
    first target), ``lang`` (report language, e.g. ``en`` or ``ar``), and the numbers
    ``messages_per_day`` (social messages that need an answer on a covered day) and
    ``social_fte`` (people working on social media today), which the report's resourcing
    section needs; empty when unknown.  Other columns are ignored.

    Raises
    ------
    DataValidationError
        Listing every problem.
    """
    errs = _Errors()
    name = str(path)
    df = read_table(path, errs)
    if df is None or not _require(df, ["client_id", "name"], name, errs):
        errs.raise_if_any("the clients table")
        raise AssertionError("unreachable")  # pragma: no cover
    for col in CLIENT_COLUMNS:
        if col not in df.columns:
            df[col] = ""
    errs.add_mask(
        name, df, df["client_id"] == "", Reason.MISSING_VALUE, "client_id", "client_id is empty"
    )
    errs.add_mask(
        name,
        df,
        (df["client_id"] != "") & ~_safe_id_mask(df["client_id"]),
        Reason.UNSAFE_ID,
        "client_id",
        "client id must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit",
    )
    _check_client_ids(df, name, errs)
    errs.add_mask(name, df, df["name"] == "", Reason.MISSING_VALUE, "name", "name is empty")
    errs.add_mask(
        name,
        df,
        (df["lang"] != "") & ~df["lang"].str.fullmatch(r"[a-z]{2,3}"),
        Reason.UNKNOWN_LANGUAGE,
        "lang",
        "expected a language code such as en or ar",
    )
    if rubric is not None:
        profiles = {t.id for t in rubric.targets}
        if targets is not None:
            profiles |= set(targets["profile_id"])
        unknown = (df["target_profile"] != "") & ~df["target_profile"].isin(profiles)
        errs.add_mask(
            name,
            df,
            unknown,
            Reason.UNKNOWN_TARGET_PROFILE,
            "target_profile",
            f"unknown target profile; known: {', '.join(sorted(profiles)) or 'none'}",
        )
    numbers = [c for c in CLIENT_NUMBER_COLUMNS if c in df.columns]
    for col in numbers:
        value = pd.to_numeric(df[col].str.strip(), errors="coerce")
        errs.add_mask(
            name,
            df,
            (df[col].str.strip() != "") & ~(value >= 0),
            Reason.NOT_A_NUMBER,
            col,
            "expected a number of at least 0 (or empty when unknown)",
        )
    errs.raise_if_any("the clients table")
    out = df[CLIENT_COLUMNS + numbers].reset_index(drop=True)
    for col in numbers:
        out[col] = pd.to_numeric(out[col].str.strip(), errors="coerce")
    out.attrs["sources"] = {name: file_sha256(path)}
    return out


def _check_client_ids(df: pd.DataFrame, name: str, errs: _Errors) -> None:
    """Client ids that cannot name a folder, or that repeat (case-insensitively)."""
    ids = df["client_id"]
    reason = _reserved_messages(ids)
    reserved = (ids != "") & _safe_id_mask(ids) & (reason != "")
    message = "client id cannot name a folder: " + reason
    errs.add_mask(name, df, reserved, Reason.RESERVED_ID, "client_id", message)
    # Case-insensitively: Acme and acme are one folder on macOS and Windows.
    low = ids.str.lower()
    dup = low.duplicated() & (ids != "")
    first = dict(zip(low[~dup], ids[~dup], strict=True))
    message = pd.Series(
        [
            "client id appears more than once"
            if first[lo] == i
            else f"client id differs from {first[lo]!r} only in upper/lower case; on a "
            "case-insensitive disk both would be one report folder"
            for lo, i in zip(low[dup], ids[dup], strict=True)
        ],
        index=ids.index[dup],
        dtype=object,
    )
    errs.add_mask(name, df, dup, Reason.DUPLICATE_ID, "client_id", message.reindex(ids.index))


def load_peers(path: str | Path, rubric: Rubric) -> pd.DataFrame:
    """Load the peer benchmark population.

    Columns: ``peer_id, sector, size_band, region`` then one column per dimension id of
    ``rubric`` with a dimension score between 1 and the top level.  Peers are stored as
    dimension scores (not raw answers) so that the index of every peer is recomputed with the
    weights of the rubric in use.

    Raises
    ------
    DataValidationError
        Listing every problem.
    """
    errs = _Errors()
    name = str(path)
    df = read_table(path, errs)
    dims = list(rubric.dimension_table.index)
    if df is None or not _require(df, ["peer_id", "sector", "size_band", *dims], name, errs):
        errs.raise_if_any("the peers table")
        raise AssertionError("unreachable")  # pragma: no cover
    if "region" not in df.columns:
        df["region"] = ""
    n = rubric.n_levels
    out = df[["peer_id", "sector", "size_band", "region"]].copy()
    for d in dims:
        num = pd.to_numeric(df[d], errors="coerce")
        errs.add_mask(
            name,
            df,
            (df[d] != "") & num.isna(),
            Reason.NOT_A_NUMBER,
            d,
            "expected a dimension score (a number)",
        )
        errs.add_mask(
            name,
            df,
            num.notna() & ~num.between(1, n),
            Reason.SCORE_OUT_OF_RANGE,
            d,
            f"expected a score from 1 to {n}",
        )
        out[d] = num
    errs.add_mask(
        name,
        df,
        df["peer_id"].duplicated(),
        Reason.DUPLICATE_ID,
        "peer_id",
        "peer id appears more than once",
    )
    errs.raise_if_any("the peers table")
    return out


def load_targets(path: str | Path, rubric: Rubric) -> pd.DataFrame:
    """Load custom target profiles: ``profile_id, dimension_id, target``.

    Raises
    ------
    DataValidationError
        Listing every problem.
    """
    errs = _Errors()
    name = str(path)
    df = read_table(path, errs)
    if df is None or not _require(df, ["profile_id", "dimension_id", "target"], name, errs):
        errs.raise_if_any("the targets table")
        raise AssertionError("unreachable")  # pragma: no cover
    n = rubric.n_levels
    dims = set(rubric.dimension_table.index)
    errs.add_mask(
        name,
        df,
        ~_safe_id_mask(df["profile_id"]),
        Reason.UNSAFE_ID,
        "profile_id",
        "profile id must be 1-64 letters, digits, '_', '.' or '-'",
    )
    errs.add_mask(
        name,
        df,
        ~df["dimension_id"].isin(dims),
        Reason.UNKNOWN_DIMENSION,
        "dimension_id",
        f"unknown dimension; known: {', '.join(sorted(dims))}",
    )
    target = pd.to_numeric(df["target"], errors="coerce")
    errs.add_mask(
        name, df, target.isna(), Reason.NOT_A_NUMBER, "target", "expected a target level (a number)"
    )
    errs.add_mask(
        name,
        df,
        target.notna() & ~target.between(1, n),
        Reason.LEVEL_OUT_OF_RANGE,
        "target",
        f"expected a target from 1 to {n}",
    )
    dup = df.duplicated(["profile_id", "dimension_id"])
    errs.add_mask(
        name,
        df,
        dup,
        Reason.DUPLICATE_ID,
        "dimension_id",
        "this profile already has a target for this dimension",
    )
    errs.raise_if_any("the targets table")
    return pd.DataFrame(
        {"profile_id": df["profile_id"], "dimension_id": df["dimension_id"], "target": target}
    )
