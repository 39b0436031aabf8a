"""Report sections and the HTML page, in process (no kernels): numbers, escaping, layout."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from helpers import SAMPLES

from assessment import report
from assessment.inputs import load_answers, load_clients, load_peers, load_targets
from assessment.rubric import load_rubric
from assessment.scoring import score
from assessment.text import format_number, label

FILES = {
    "answers": [SAMPLES / "answers.csv", SAMPLES / "answers_forms_export.csv"],
    "clients": SAMPLES / "clients.csv",
    "peers": SAMPLES / "peers.csv",
    "targets": SAMPLES / "targets.csv",
}
EVIL_NAME = "<script>alert('name')</script> & Co"
EVIL_COMMENT = '<img src=x onerror="alert(1)"> see "report"'


@pytest.fixture(name="ctx", scope="module")
def fixture_ctx() -> report.ReportContext:
    """A report context for a client with two assessments."""
    return report.prepare("c01-fanous-souq", bootstrap=200, radar_targets=["modern"], **FILES)


@pytest.fixture(name="engine", scope="module")
def fixture_engine():
    """The engine's results for the sample portfolio (what the report must agree with)."""
    rubric = load_rubric("social-media")
    targets = load_targets(FILES["targets"], rubric)
    clients = load_clients(FILES["clients"], rubric, targets=targets)
    answers = load_answers(FILES["answers"], rubric, clients=clients)
    peers = load_peers(FILES["peers"], rubric)
    return score(rubric, answers, clients=clients, peers=peers, targets=targets)


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_executive_summary_numbers_match_the_engine(ctx, engine):
    html = str(report.executive_summary(ctx))
    latest = engine.summary().set_index("client_id").loc["c01-fanous-souq"]
    card = re.search(r'data-metric="index".*?card-value">([^<]+)<', html, re.S).group(1)
    assert card == format_number(latest["index"], 0)
    count = re.search(r'data-metric="count-2007".*?card-value">([^<]+)<', html, re.S).group(1)
    assert int(count) == latest["count_2007"]
    assert label("onepager.level_line", level=int(latest["level"]), name="") in text_of(html)
    # the three first moves, each the next step of an indicator below its target
    moves = ctx.latest(ctx.result.recommendations)
    assert html.count("<li>") == min(3, int((moves["next_step"] != "").sum()))


def test_latest_rows_are_selected_once_and_each_caller_gets_its_own_copy() -> None:
    ctx = report.prepare("c01-fanous-souq", answers=["sample:answers.csv"], bootstrap=0)
    dims = ctx.result.dimensions
    first = ctx.latest(dims)
    assert set(first["date"]) == {ctx.date}
    assert len(first) < len(dims)  # the sample client has two assessments
    first["score"] = -1.0  # a caller changing its copy...
    first["extra"] = 1
    second = ctx.latest(dims)
    assert (second["score"] != -1.0).all()  # ...changes nobody else's
    assert "extra" not in second
    assert (dims["score"] != -1.0).all()
    pd.testing.assert_frame_equal(second, dims.loc[dims["date"] == ctx.date].reset_index(drop=True))


def test_the_notebook_calls_every_section_once_in_page_order():
    import nbformat

    from assessment.batch import default_notebook

    nb = nbformat.read(default_notebook(), as_version=4)
    called = re.findall(
        r"^report\.(\w+)\(ctx\)$",
        "\n".join(c.source for c in nb.cells if c.cell_type == "code"),
        flags=re.M,
    )
    assert called == [section.__name__ for section in report.SECTIONS]


def test_every_section_renders_and_dimension_scores_match(ctx, engine):
    html = "".join(str(section(ctx)) for section in report.SECTIONS)
    dims = engine.dimensions
    latest = dims.loc[(dims["client_id"] == "c01-fanous-souq") & (dims["date"] == ctx.date)]
    for row in latest.itertuples():
        block = re.search(rf'id="dim-{row.dimension_id}".*?</article>', html, re.S).group(0)
        assert f"<strong>{format_number(row.score, 2)}</strong>" in block
    assert ctx.rubric.content_hash in html  # provenance
    assert "data:image/png;base64," in html
    assert ctx.result.overall["date"].nunique() == 2  # the trend section has history
    assert "trend-table" in html
    # The clients table's care-desk figures reach the resourcing section.
    resourcing = str(report.resourcing_section(ctx))
    assert label("resourcing_missing") not in resourcing
    # c01's care desk a year on: 620 messages a day, 13 FTE after the evening shifts.
    assert ctx.client["messages_per_day"] == 620
    assert ctx.client["social_fte"] == 13.0
    assert format_number(13.0, 1) in text_of(resourcing)


def test_resourcing_notes_missing_care_desk_figures(tmp_path):
    # Every sample client has its care-desk figures; a clients table without them for c12
    # is what a consultant who did not collect them would have.
    clients = pd.read_csv(FILES["clients"], dtype=str, keep_default_na=False)
    c12 = clients["client_id"] == "c12-jasmine-bridges"
    clients.loc[c12, ["messages_per_day", "social_fte"]] = ""
    clients.to_csv(tmp_path / "clients.csv", index=False)
    files = {**FILES, "clients": tmp_path / "clients.csv"}
    ctx = report.prepare("c12-jasmine-bridges", bootstrap=0, **files)
    # Issue 15: a section with nothing to say is left out, not printed as an apology.
    assert str(report.resourcing_section(ctx)) == ""
    assert "people" in str(report.executive_summary(ctx))  # the one-pager says what is missing
    assert label("onepager.no_people") in str(report.executive_summary(ctx))


def test_sections_without_data_are_left_out_of_the_page_and_the_contents(engine):
    ctx = report.prepare("c02-wadi-kharaz", answers=FILES["answers"], bootstrap=0)
    assert str(report.benchmark_section(ctx)) == ""
    assert str(report.trend_section(ctx)) == ""
    assert str(report.resourcing_section(ctx)) == ""
    contents = str(report.contents(ctx))
    for anchor in ("benchmark", "trend", "resourcing"):
        assert f'href="#{anchor}"' not in contents
    assert 'href="#executive-summary"' in contents
    assert 'href="#roadmap"' in contents


def test_benchmark_is_suppressed_below_the_anonymity_floor(tmp_path):
    peers = pd.read_csv(FILES["peers"]).head(5)
    peers.to_csv(tmp_path / "few.csv", index=False)
    ctx = report.prepare(
        "c05-nayzak-mobile",
        answers=FILES["answers"],
        clients=FILES["clients"],
        targets=FILES["targets"],
        peers=tmp_path / "few.csv",
        bootstrap=0,
    )
    assert str(report.benchmark_section(ctx)) == ""
    summary = str(report.executive_summary(ctx))
    assert label("onepager.no_peers") in summary
    assert "percentile" not in text_of(summary).lower()


def _evil_inputs(tmp_path: Path) -> dict:
    clients = pd.read_csv(FILES["clients"], dtype=str, keep_default_na=False)
    clients.loc[clients["client_id"] == "c05-nayzak-mobile", "name"] = EVIL_NAME
    clients.to_csv(tmp_path / "clients.csv", index=False)
    answers = pd.read_csv(SAMPLES / "answers.csv", dtype=str, keep_default_na=False)
    mine = answers["client_id"] == "c05-nayzak-mobile"
    answers.loc[mine, "comment"] = EVIL_COMMENT
    answers.loc[mine, "role"] = "<b>boss</b>"
    answers.to_csv(tmp_path / "answers.csv", index=False)
    return {
        "answers": [tmp_path / "answers.csv"],
        "clients": tmp_path / "clients.csv",
        "targets": FILES["targets"],
    }


def test_user_strings_are_escaped_everywhere(tmp_path):
    ctx = report.prepare("c05-nayzak-mobile", bootstrap=0, **_evil_inputs(tmp_path))
    body = "".join(map(str, [report.header(ctx), report.dimension_sections(ctx)]))
    html = report.page(body, title=EVIL_NAME)
    assert "<script" not in html
    assert "<img src=x" not in html
    assert "<b>boss</b>" not in html
    assert "&lt;script&gt;alert(&#x27;name&#x27;)&lt;/script&gt; &amp; Co" in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_page_is_self_contained_and_sets_direction():
    html = report.page("<p>x</p>", title="t", lang="ar")
    assert '<html lang="ar" dir="rtl">' in html
    assert not re.search(r"(?:src|href)=\"https?:", html)
    assert "<script" not in html
    assert "<link" not in html
    assert '<html lang="en" dir="ltr">' in report.page("", title="t")


def test_notebook_to_html_drops_code_streams_and_parameters():
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("client_id = 'x'", metadata={"tags": ["parameters"]})
    injected = nbformat.v4.new_code_cell(
        "client_id = 'secret-injected'", metadata={"tags": ["injected-parameters"]}
    )
    section = nbformat.v4.new_code_cell("report.header(ctx)")
    section.outputs = [
        nbformat.v4.new_output("stream", name="stderr", text="UserWarning: noisy\n"),
        nbformat.v4.new_output("display_data", data={"text/plain": "<Html section>"}),
        nbformat.v4.new_output(
            "execute_result",
            data={"text/html": "<h1>Client</h1>", "text/plain": "x"},
            execution_count=1,
        ),
    ]
    nb.cells = [params, injected, section]
    before = nbformat.writes(nb)
    html = report.notebook_to_html(nb, title="t")
    assert nbformat.writes(nb) == before  # the executed notebook (report.ipynb) keeps it all
    assert "<h1>Client</h1>" in html
    for leaked in ("noisy", "secret-injected", "report.header(ctx)", "In&nbsp;[", "Out["):
        assert leaked not in html, leaked
    assert "<script" not in html


def test_portfolio_page_escapes_names_and_lists_failures(engine):
    from assessment.batch import BatchPlan, Outcome

    summary = engine.summary()
    summary.insert(1, "name", EVIL_NAME)
    batch = BatchPlan(
        jobs=[],
        summary=summary,
        clients=None,
        out_dir=Path("."),
        rubric_label="social-media 1.0.0",
        inputs={},
        result=engine,
    )
    outcomes = {
        "c01-fanous-souq": Outcome("c01-fanous-souq", "ok", files=["report.html"]),
        "c02-wadi-kharaz": Outcome(
            "c02-wadi-kharaz",
            "failed",
            error="ValueError: <boom>",
            failed_cell=7,
            failed_source="raise ValueError('<boom>')",
        ),
    }
    html = report.portfolio_page(batch, outcomes)
    assert "<script" not in html
    assert 'href="c01-fanous-souq/report.html"' in html
    assert 'href="c02-wadi-kharaz/report.html"' not in html
    assert "cell 7" in html
    assert "ValueError: &lt;boom&gt;" in html
    assert text_of(html).count("c03-dalia-clinics") >= 1


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_figure_html_embeds_a_valid_png_of_the_figure_size(lang):
    from PIL import Image

    from assessment import charts

    ctx = report.prepare("c01-fanous-souq", lang=lang, bootstrap=0, **FILES)
    ax = charts.agreement(ctx.result, client_id=ctx.client_id, date=ctx.date, lang=lang)
    html = report.figure_html(ax, "spread <per> indicator", dpi=120)
    assert html.startswith('<figure><img alt="spread &lt;per&gt; indicator" src="data:image/png;')
    png = base64.b64decode(re.search(r'base64,([A-Za-z0-9+/=]+)"', html).group(1))
    with Image.open(io.BytesIO(png)) as image:
        image.load()  # decodes every row: a truncated or corrupt stream raises here
        assert image.format == "PNG"
        width, height = ax.figure.get_size_inches() * 120
        # Agg drops a fractional pixel (1804.8 px high is 1804 rows), as matplotlib does.
        assert image.size == (int(width), int(height))
        # drawn, not blank: the labels and markers are there
        assert len(image.convert("RGB").getcolors(maxcolors=1 << 16) or range(1 << 16)) > 100


def test_priorities_name_their_dimension_and_first_step(ctx: report.ReportContext) -> None:
    """esc() now strips control characters: the sentence's placeholders must survive it."""
    html = str(report.executive_summary(ctx))
    items = [
        re.sub(r"<div class='move-meta'>.*", "", i) for i in re.findall(r"<li>(.*?)</li>", html)
    ]
    assert len(items) == 3
    for item in items:
        assert re.match(r"<strong>[^<]+</strong>: ", item), item
        assert item.rstrip().endswith("."), item
        assert len(text_of(item)) > 60, item  # the dimension and its first step are there
