"""Clients, peers and targets tables (:mod:`assessment.inputs.reference`).

Uses the small data-stewardship rubric (4 levels): quality (dq_checks anchored;
dq_incidents_per_month measured, lower is better, NA allowed); ownership (owner_named boolean
yes=4/no=1; catalogue_coverage_pct measured, higher is better, NA not allowed).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from helpers.inputs import errors_of, reasons, sha256, write

from assessment.exceptions import DataValidationError
from assessment.inputs import Reason, load_clients, load_peers, load_targets
from assessment.rubric import Rubric


def test_load_clients_fills_optional_columns(tmp_path: Path, small_rubric: Rubric) -> None:
    path = write(
        tmp_path / "clients.csv",
        "client_id,name,target_profile,lang\nacme,Acme Ltd,baseline,ar\nbeta,Beta plc,,\n",
    )
    df = load_clients(path, small_rubric)
    assert list(df.columns) == [
        "client_id",
        "name",
        "sector",
        "size_band",
        "region",
        "target_profile",
        "lang",
    ]
    assert df.to_dict("records")[0]["lang"] == "ar"
    assert df.loc[1, "sector"] == ""
    assert df.attrs["sources"] == {str(path): sha256(path)}


def test_load_clients_collects_every_problem(tmp_path: Path, small_rubric: Rubric) -> None:
    path = write(
        tmp_path / "clients.csv",
        "client_id,name,target_profile,lang\n"
        "acme,Acme,baseline,en\n"  # 2 fine
        "acme,Acme again,,\n"  # 3 duplicate
        "beta,,,\n"  # 4 empty name
        "../x,Evil,,\n"  # 5 unsafe
        "gamma,Gamma,ambitious,\n"  # 6 unknown profile
        "delta,Delta,,English\n"  # 7 bad language
        ",Nobody,,\n",  # 8 empty id
    )
    with pytest.raises(DataValidationError) as excinfo:
        load_clients(path, small_rubric)
    assert sorted(reasons(errors_of(excinfo))) == [
        (3, "client_id", Reason.DUPLICATE_ID),
        (4, "name", Reason.MISSING_VALUE),
        (5, "client_id", Reason.UNSAFE_ID),
        (6, "target_profile", Reason.UNKNOWN_TARGET_PROFILE),
        (7, "lang", Reason.UNKNOWN_LANGUAGE),
        (8, "client_id", Reason.MISSING_VALUE),
    ]


def test_load_clients_accepts_profiles_from_targets_file(
    tmp_path: Path, small_rubric: Rubric
) -> None:
    targets = load_targets(
        write(tmp_path / "t.csv", "profile_id,dimension_id,target\nstretch,quality,4\n"),
        small_rubric,
    )
    path = write(tmp_path / "c.csv", "client_id,name,target_profile\nacme,Acme,stretch\n")
    assert load_clients(path, small_rubric, targets=targets).loc[0, "target_profile"] == "stretch"


def test_load_clients_missing_required_column(tmp_path: Path) -> None:
    with pytest.raises(DataValidationError) as excinfo:
        load_clients(write(tmp_path / "c.csv", "client_id,sector\nacme,gov\n"))
    assert reasons(errors_of(excinfo)) == [(1, "name", Reason.MISSING_COLUMN)]


def test_load_peers(tmp_path: Path, small_rubric: Rubric) -> None:
    path = write(
        tmp_path / "peers.csv",
        "peer_id,sector,size_band,quality,ownership\np1,gov,large,2.5,4\np2,gov,small,1,3.25\n",
    )
    df = load_peers(path, small_rubric)
    assert list(df.columns) == ["peer_id", "sector", "size_band", "region", "quality", "ownership"]
    assert df["quality"].tolist() == [2.5, 1.0]
    assert df["ownership"].dtype == np.float64


def test_load_peers_scores_out_of_range(tmp_path: Path, small_rubric: Rubric) -> None:
    path = write(
        tmp_path / "peers.csv",
        "peer_id,sector,size_band,quality,ownership\n"
        "p1,gov,large,0.5,4\n"  # 2: below 1
        "p2,gov,large,3,4.01\n"  # 3: above the top level (4)
        "p3,gov,large,high,2\n"  # 4: not a number
        "p1,gov,large,2,2\n",  # 5: duplicate peer
    )
    with pytest.raises(DataValidationError) as excinfo:
        load_peers(path, small_rubric)
    assert sorted(reasons(errors_of(excinfo))) == [
        (2, "quality", Reason.SCORE_OUT_OF_RANGE),
        (3, "ownership", Reason.SCORE_OUT_OF_RANGE),
        (4, "quality", Reason.NOT_A_NUMBER),
        (5, "peer_id", Reason.DUPLICATE_ID),
    ]


def test_load_peers_missing_dimension_column(tmp_path: Path, small_rubric: Rubric) -> None:
    path = write(tmp_path / "peers.csv", "peer_id,sector,size_band,quality\np1,gov,large,2\n")
    with pytest.raises(DataValidationError) as excinfo:
        load_peers(path, small_rubric)
    errors = errors_of(excinfo)
    assert reasons(errors) == [(1, "ownership", Reason.MISSING_COLUMN)]
    assert "found columns: peer_id, sector, size_band, quality" in errors.loc[0, "message"]


def test_load_targets(tmp_path: Path, small_rubric: Rubric) -> None:
    path = write(
        tmp_path / "targets.csv",
        "profile_id,dimension_id,target\nstretch,quality,4\nstretch,ownership,3.5\n",
    )
    df = load_targets(path, small_rubric)
    assert list(df.columns) == ["profile_id", "dimension_id", "target"]
    assert df["target"].tolist() == [4.0, 3.5]


def test_load_targets_collects_every_problem(tmp_path: Path, small_rubric: Rubric) -> None:
    path = write(
        tmp_path / "targets.csv",
        "profile_id,dimension_id,target\n"
        "stretch,quality,4\n"  # 2 fine
        "stretch,ownershp,3\n"  # 3 unknown dimension
        "stretch,ownership,5\n"  # 4 out of range
        "stretch,quality,3\n"  # 5 duplicate
        "../p,ownership,2\n"  # 6 unsafe profile id
        "other,ownership,high\n",  # 7 not a number
    )
    with pytest.raises(DataValidationError) as excinfo:
        load_targets(path, small_rubric)
    assert sorted(reasons(errors_of(excinfo))) == [
        (3, "dimension_id", Reason.UNKNOWN_DIMENSION),
        (4, "target", Reason.LEVEL_OUT_OF_RANGE),
        (5, "dimension_id", Reason.DUPLICATE_ID),
        (6, "profile_id", Reason.UNSAFE_ID),
        (7, "target", Reason.NOT_A_NUMBER),
    ]
