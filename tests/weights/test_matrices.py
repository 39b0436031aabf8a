"""Comparison matrices (:mod:`assessment.weights.matrices`): reading and checking judgements."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from helpers import run_cli

from assessment.exceptions import InputError, ParameterError
from assessment.weights import matrix_from_judgements, read_matrix, validate_matrix
from assessment.weights.methods import read_table


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_with_fractions_and_blank_lower_triangle(tmp_path: Path):
    path = write(
        tmp_path / "m.csv",
        "id,care,crisis,strategy\ncare,1,3,1/2\ncrisis,,1,0.2\nstrategy,,,1\n",
    )
    m = read_matrix(path, known_ids=["care", "crisis", "strategy"])
    assert m.loc["crisis", "care"] == pytest.approx(1 / 3)
    assert m.loc["strategy", "crisis"] == pytest.approx(5)
    # Rows in another order than the header are fine.
    shuffled = write(
        tmp_path / "s.csv",
        "id,care,crisis\ncrisis,1/3,1\ncare,1,3\n",
    )
    assert read_matrix(shuffled).loc["care", "crisis"] == pytest.approx(3)


def test_rounded_decimals_are_made_exactly_reciprocal():
    m = validate_matrix([[1, 3, 7], [0.33, 1, 2], [0.14, 0.5, 1]], ids=["a", "b", "c"])
    a = m.to_numpy()
    np.testing.assert_allclose(a * a.T, 1.0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "id,a,b\na,1,3\nb,3,1\n",
            r"row 'a', column 'b' is 3 but row 'b', column 'a' is 3; expected reciprocals",
        ),
        ("id,a,b\na,1,-3\nb,,1\n", r"row 'a', column 'b': judgements must be positive"),
        ("id,a,b\na,1,0\nb,,1\n", r"row 'a', column 'b': judgements must be positive"),
        ("id,a,b\na,1,12\nb,,1\n", r"Saaty's scale, 1/9 \.\. 9; found 12"),
        (
            "id,a,b\na,1,lots\nb,,1\n",
            r"row 'a', column 'b': expected a number or a fraction such as 1/3; found 'lots'",
        ),
        ("id,a,b\na,2,3\nb,,1\n", r"compared with itself must be 1; found 2"),
        ("id,a,b\na,1,\nb,,1\n", r"no judgement \(the cell and its mirror"),
        ("id,a,b,c\na,1,3,1\nb,,1,1\n", r"must be square; found 2 rows and 3 columns"),
        ("id,a,b\na,1,3\nc,,1\n", r"the first column must list the same ids as the header row"),
        ("id,a,a\na,1,3\na,,1\n", r"ids must be unique; found \['a'\]"),
        ("id,a,zz\na,1,3\nzz,,1\n", r"unknown id\(s\) \['zz'\]; expected ids among"),
    ],
)
def test_invalid_matrix_files_name_file_row_and_column(tmp_path: Path, text: str, message: str):
    path = write(tmp_path / "judgements.csv", text)
    with pytest.raises(InputError, match=message) as info:
        read_matrix(path, known_ids=["a", "b", "c"])
    assert str(path) in str(info.value)


def test_missing_matrix_file(tmp_path: Path):
    with pytest.raises(InputError, match="no such file"):
        read_matrix(tmp_path / "nope.csv")


def test_array_input_checks():
    with pytest.raises(InputError, match="square"):
        validate_matrix([[1, 2, 3]])
    with pytest.raises(InputError, match="2 ids for a 3 x 3"):
        validate_matrix(np.ones((3, 3)), ids=["a", "b"])
    with pytest.raises(ParameterError, match="unknown pair"):
        matrix_from_judgements(["a", "b"], {("a", "z"): 3})


def test_cli_ahp_errors_are_one_clear_message(tmp_path: Path):
    bad = write(tmp_path / "bad.csv", "id,care,crisis\ncare,1,3\ncrisis,3,1\n")
    result = run_cli("weights", "ahp", str(bad))
    assert result.returncode == 2
    assert "bad.csv" in result.stderr
    assert "expected reciprocals" in result.stderr
    assert "Traceback" not in result.stderr
    unknown = write(tmp_path / "clusters.csv", "id,people,process\npeople,1,2\nprocess,,1\n")
    result = run_cli("weights", "ahp", str(unknown))
    assert result.returncode == 2
    assert "unknown id(s) ['people', 'process']" in result.stderr
    assert run_cli("weights", "ahp", str(unknown), "--any-ids").returncode == 0


def test_a_weights_file_over_the_size_limit_is_refused_before_it_is_parsed(tmp_path: Path):
    """Issue 17: weight inputs respect ``assessment/limits.py`` like every other input."""
    huge = tmp_path / "huge.csv"
    # A valid header and then more than WEIGHTS_FILE_BYTES (1 MiB) of padding: refused on size.
    huge.write_text("id,care,crisis\n" + "#" * (2**20 + 1) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"huge\.csv: the file has 1,048,593 bytes"):
        read_matrix(huge)
    with pytest.raises(InputError, match="ASSESSMENT_MAX_WEIGHTS_FILE_BYTES raises it"):
        read_table(huge, ["value"])


def test_cli_refuses_a_weights_file_over_the_limit_with_one_clear_message(tmp_path: Path):
    matrix = write(tmp_path / "expert.csv", "id,care,crisis\ncare,1,3\ncrisis,1/3,1\n")
    ratings = write(tmp_path / "ratings.csv", "id,value\ncare,60\ncrisis,40\n")
    small = {"ASSESSMENT_MAX_WEIGHTS_FILE_BYTES": "16"}  # both files are larger than 16 bytes
    for args in (("ahp", "--any-ids", str(matrix)), ("rate", str(ratings))):
        result = run_cli("weights", *args, **small)
        assert result.returncode == 2, result.stderr
        assert "too large for a weights input file" in result.stderr
        assert "the limit is 16 (ASSESSMENT_MAX_WEIGHTS_FILE_BYTES raises it)" in result.stderr
        assert Path(args[-1]).name in result.stderr
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert run_cli("weights", "ahp", "--any-ids", str(matrix)).returncode == 0
