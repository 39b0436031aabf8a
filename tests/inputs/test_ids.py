"""Safe identifiers (:mod:`assessment.inputs.ids`): what may become a file or folder name."""

from __future__ import annotations

import pytest

from assessment.exceptions import UnsafeIdentifierError
from assessment.inputs import check_safe_id


@pytest.mark.parametrize(
    "value",
    ["acme", "ACME-2025", "client_01", "a.b", "7eleven", "x" * 64],
    ids=lambda v: v if len(v) < 20 else f"{len(v)}-chars",
)
def test_check_safe_id_accepts(value: str) -> None:
    assert check_safe_id(value) == value


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("../x", id="parent-dir"),
        pytest.param("/etc/passwd", id="absolute-path"),
        pytest.param("", id="empty"),
        pytest.param("a\x00b", id="nul-byte"),
        pytest.param("a\nb", id="newline"),
        pytest.param(".hidden", id="leading-dot"),
        pytest.param("x" * 65, id="65-chars"),
        pytest.param("a..b", id="double-dot"),
        pytest.param("a/b", id="slash"),
        pytest.param("a\\b", id="backslash"),
        pytest.param("a b", id="space"),
        pytest.param("-rf", id="leading-dash"),
        pytest.param(None, id="not-a-string"),
    ],
)
def test_check_safe_id_rejects(value: str) -> None:
    with pytest.raises(UnsafeIdentifierError) as excinfo:
        check_safe_id(value, what="report folder")
    assert excinfo.value.exit_code == 2
    assert str(excinfo.value).startswith(f"report folder {value!r} is not safe as a file name")


@pytest.mark.parametrize("value", ["acme\n", "a\n"], ids=["acme-newline", "a-newline"])
def test_check_safe_id_rejects_trailing_newline(value: str) -> None:
    with pytest.raises(UnsafeIdentifierError):
        check_safe_id(value)
