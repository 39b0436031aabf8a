"""Every notebook runs top to bottom with its default parameters under papermill."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import ROOT, execute_notebook

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_with_defaults(path: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    # The workshop notebooks default to a demo store in the temporary folder; a store left
    # there by another checkout or an older rubric must not decide this test.
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    out = tmp_path / path.name
    execute_notebook(
        str(path),
        str(out),
        cwd=str(path.parent),
    )
    assert out.is_file()
