"""The report's HTML export without nbconvert (``report.page.html_cells``, issue 19).

A report notebook's executed cells only show HTML; for such notebooks the export writes
nbconvert's ``basic`` markup itself, and these tests hold it to nbconvert's bytes: on
generated notebooks (any ids, tags and HTML) and on executed reports.  Anything else goes
through nbconvert, unchanged.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from helpers import modules_after
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from assessment.report import notebook_to_html
from assessment.report.page import _deliverable, _nbconvert_body, html_cells
from assessment.text import label

_IDS = st.from_regex(r"[a-zA-Z0-9_-]{1,12}", fullmatch=True)
_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
#: A cell tag as nbformat's schema allows it: not empty, no comma.
_TAGS = st.text(st.characters(exclude_categories=("Cs",), exclude_characters=","), min_size=1)


@st.composite
def _outputs(draw: st.DrawFn) -> list:
    outputs = []
    for _ in range(draw(st.integers(0, 3))):
        data = {"text/html": draw(_TEXT)}
        if draw(st.booleans()):
            data["text/plain"] = draw(_TEXT)
        if draw(st.booleans()):
            outputs.append(new_output("execute_result", data=data, execution_count=1))
        else:
            outputs.append(new_output("display_data", data=data))
    return outputs


@st.composite
def _notebooks(draw: st.DrawFn):
    cells = []
    ids = draw(st.lists(_IDS, max_size=6, unique=True))
    for cell_id in ids:
        kind = draw(st.sampled_from(["shown", "shown", "parameters", "removed markdown"]))
        if kind == "removed markdown":
            cell = new_markdown_cell(draw(_TEXT))
            cell.metadata["tags"] = ["remove-cell"]
        else:
            cell = new_code_cell(draw(_TEXT), outputs=draw(_outputs()))
            tags = draw(
                st.lists(_TAGS, max_size=3, unique=True).filter(lambda t: "parameters" not in t)
            )
            cell.metadata["tags"] = [*tags, "parameters"] if kind == "parameters" else tags
        cell["id"] = cell_id
        cells.append(cell)
    return new_notebook(cells=cells)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nb=_notebooks())
def test_html_cells_writes_the_bytes_nbconvert_writes(nb) -> None:
    assert html_cells(nb) == _nbconvert_body(nb)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_an_executed_report_is_exported_without_nbconvert_to_the_same_bytes(
    tmp_path: Path, lang: str
) -> None:
    from helpers import SAMPLE_ANSWERS, SAMPLE_INPUTS

    from assessment.batch import plan, run_batch

    client = "c04-sawsan-bank"
    batch = plan(SAMPLE_ANSWERS, out_dir=tmp_path, only=[client], lang=lang, **SAMPLE_INPUTS)
    [outcome] = run_batch(batch, quiet=True, portfolio=False)
    assert outcome.status == "ok", outcome.error
    nb = nbformat.read(tmp_path / client / "report.ipynb", as_version=4)
    nb = type(nb)({**nb, "cells": [_deliverable(cell) for cell in nb.cells]})
    fast = html_cells(nb)
    assert fast is not None
    assert fast == _nbconvert_body(nb)
    assert 'class="output_html rendered_html output_subarea output_execute_result"' in fast
    assert f'<h2 class="toc-title">{label("contents", lang)}</h2>' in fast


def _report_like() -> nbformat.NotebookNode:
    cell = new_code_cell("report.header(ctx)", outputs=[])
    cell.outputs.append(new_output("execute_result", data={"text/html": "<p>x</p>"}))
    return new_notebook(cells=[cell])


@pytest.mark.parametrize(
    "change",
    [
        "markdown kept",
        "error",
        "image",
        "isolated",
        "no id",
        "raw",
    ],
)
def test_any_other_notebook_is_exported_by_nbconvert(change: str) -> None:
    nb = _report_like()
    cell = nb.cells[0]
    if change == "markdown kept":
        nb.cells.append(new_markdown_cell("**Intro** for the client"))
    elif change == "error":
        cell.outputs.append(new_output("error", ename="ValueError", evalue="bad", traceback=["x"]))
    elif change == "image":
        cell.outputs[0]["data"]["image/png"] = "iVBORw0KGgo="
    elif change == "isolated":
        cell.outputs[0]["metadata"] = {"text/html": {"isolated": True}}
    elif change == "no id":
        del cell["id"]
    elif change == "raw":
        nb.cells.append(nbformat.v4.new_raw_cell("raw"))
    assert html_cells(nb) is None
    if change != "no id":  # nbconvert gives a cell without an id a random one
        page = notebook_to_html(nb, title="t")
        assert ("isolated-iframe" if change == "isolated" else "<p>x</p>") in page
        if change == "markdown kept":
            assert "<strong>Intro</strong>" in page


def test_a_report_is_exported_and_the_fork_server_preloads_without_nbconvert() -> None:
    loaded = modules_after(
        "import nbformat\n"
        "from nbformat.v4 import new_code_cell, new_notebook, new_output\n"
        "from assessment.report import notebook_to_html\n"
        "cell = new_code_cell('', outputs=[])\n"
        "cell.outputs.append(new_output('display_data', data={'text/html': '<p>x</p>'}))\n"
        "assert '<p>x</p>' in notebook_to_html(new_notebook(cells=[cell]), title='t')\n"
        "from assessment.batch.fork_server import _import_preloaded\n"
        "_import_preloaded()\n"
    )
    assert "assessment.report.page" in loaded
    assert "papermill" in loaded
    assert "nbconvert" not in loaded
