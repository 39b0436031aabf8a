"""The two workshop notebooks under papermill: committed clean, parameters known, they run."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill as pm
import pytest
from helpers import ROOT, execute_notebook

from assessment import workshop as ws
from assessment.workshop.store import Store


@pytest.mark.slow
@pytest.mark.parametrize("name", ["workshop.ipynb", "vote.ipynb"])
def test_notebooks_run_headless_with_their_defaults(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = ROOT / "notebooks" / name
    committed = nbformat.read(source, as_version=4)
    for cell in committed.cells:
        if cell.cell_type == "code":
            assert not cell.outputs, f"{name} is committed with outputs"
            assert cell.execution_count is None
    declared = pm.inspect_notebook(str(source))
    fields = set(ws.Settings.__dataclass_fields__) | {"name", "role"}
    assert set(declared) <= fields
    # The demo store goes to the kernel's temporary folder: keep it inside this test.
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    for var in ws.ENV.values():
        monkeypatch.delenv(var, raising=False)
    out = tmp_path / name
    execute_notebook(
        str(source),
        str(out),
        cwd=str(source.parent),
    )
    ran = nbformat.read(out, as_version=4)
    errors = [o for c in ran.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    assert list(tmp_path.glob("assessment-workshop-demo-*.sqlite"))


@pytest.mark.slow
def test_vote_notebook_joins_with_a_name_parameter(
    tmp_path: Path, store: Store, voted_wid: int
) -> None:
    out = tmp_path / "vote.ipynb"
    execute_notebook(
        str(ROOT / "notebooks" / "vote.ipynb"),
        str(out),
        parameters={"store": store.path, "workshop_id": voted_wid, "name": "Papermill"},
    )
    assert "Papermill" in [p.name for p in store.participants(voted_wid)]
