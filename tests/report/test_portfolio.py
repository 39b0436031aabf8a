"""The portfolio page a partner uses, and the scores files rounded for people (issue 15)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pandas as pd
import pytest
from helpers import SAMPLES

from assessment.batch import plan
from assessment.batch.run import write_scores
from assessment.charts.benchmark import portfolio_rows as chart_order
from assessment.report import portfolio_page, prepare
from assessment.report.figures import headline
from assessment.report.portfolio import portfolio_rows

FILES = {
    "clients": SAMPLES / "clients.csv",
    "peers": SAMPLES / "peers.csv",
    "targets": SAMPLES / "targets.csv",
}
ANSWERS = [SAMPLES / "answers.csv", SAMPLES / "answers_forms_export.csv"]


@pytest.fixture(name="batch", scope="module")
def fixture_batch(tmp_path_factory):
    return plan(ANSWERS, out_dir=tmp_path_factory.mktemp("portfolio"), **FILES)


def test_rows_hold_each_clients_one_pager_figures_in_the_charts_order(batch) -> None:
    rows = portfolio_rows(batch.result, batch.clients, today=dt.date(2026, 6, 1))
    assert list(rows["client_id"]) == list(chart_order(batch.summary)["client_id"])
    c04 = rows.set_index("client_id").loc["c04-sawsan-bank"]
    h = headline(prepare("c04-sawsan-bank", answers=ANSWERS, bootstrap=0, **FILES))
    assert (c04["index"], c04["change"], c04["percentile"]) == (h.index, h.change, h.percentile)
    assert c04["fte_gap"] == pytest.approx(h.fte_needed[0] - h.fte_now)
    assert c04["top_move"] == h.moves[0].step
    assert c04["name"] == "Sawsan Capital Bank (بنك سوسن كابيتال)"
    assert c04["sector"] == "banking"
    # stale: assessed more than a year before "today"
    assert not c04["stale"]
    later = portfolio_rows(batch.result, batch.clients, today=dt.date(2028, 1, 1))
    assert later["stale"].all()


def test_the_page_names_clients_and_links_every_deliverable(batch) -> None:
    outcomes = {
        "c04-sawsan-bank": SimpleNamespace(
            client_id="c04-sawsan-bank",
            status="ok",
            files=["report.ipynb", "report.html", "report.pdf", "deck.pptx"],
        ),
        "c01-fanous-souq": SimpleNamespace(
            client_id="c01-fanous-souq",
            status="ok",
            files=["report.ipynb", "report.html"],
        ),
    }
    html = portfolio_page(batch, outcomes, lang="en")
    assert '<a href="c04-sawsan-bank/report.pdf">PDF</a>' in html
    assert '<a href="c04-sawsan-bank/deck.pptx">Deck</a>' in html
    assert "c01-fanous-souq/report.pdf" not in html
    head = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)
    for column in ("Sector", "Change", "Percentile", "FTE gap", "Top move", "Data"):
        assert column in head
    assert ">id<" not in head
    assert '<bdi data-client="c04-sawsan-bank">Sawsan Capital Bank (بنك سوسن كابيتال)</bdi>' in html
    assert "Banking" in html
    arabic = portfolio_page(batch, outcomes, lang="ar")
    assert "المصارف" in arabic
    assert ">ok<" not in arabic


def test_scores_are_rounded_for_people_and_kept_whole_in_json(batch, tmp_path: Path) -> None:
    import dataclasses

    write_scores(dataclasses.replace(batch, out_dir=tmp_path))
    csv = pd.read_csv(tmp_path / "scores.csv")
    assert (csv["index"] == csv["index"].round(0)).all()
    dims = [d.id for d in batch.result.rubric.dimensions]
    assert (csv[dims].round(2) == csv[dims]).all().all()
    assert not re.search(r"\d\.\d{5,}", (tmp_path / "scores.csv").read_text(encoding="utf-8"))
    full = json.loads((tmp_path / "scores.json").read_text(encoding="utf-8"))
    by_id = {r["client_id"]: r for r in full["scores"]}
    exact = batch.summary.set_index("client_id")["index"]
    for cid, value in exact.items():
        assert by_id[cid]["index"] == pytest.approx(value, abs=1e-12)
    book = openpyxl.load_workbook(tmp_path / "scores.xlsx")
    sheet = book["scores"]
    header = [c.value for c in sheet[1]]
    assert sheet.cell(2, header.index("index") + 1).number_format == "0"
    assert sheet.cell(2, header.index(dims[0]) + 1).number_format == "0.00"
