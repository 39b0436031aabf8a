"""The executive one-pager as a reader sees it, in headless Chromium (English and Arabic).

Six answers a CEO reads in 60 seconds (issue 15), checked against the figures the engine
computed, on one printed page; and, in Arabic, a mixed-direction client name laid out with its
brackets where its writer put them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SAMPLES

from assessment import report
from assessment.report.figures import headline
from assessment.rubric import translate
from assessment.text import label

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

CLIENT = "c04-sawsan-bank"
FILES = {
    "answers": [SAMPLES / "answers.csv", SAMPLES / "answers_forms_export.csv"],
    "clients": SAMPLES / "clients.csv",
    "peers": SAMPLES / "peers.csv",
    "targets": SAMPLES / "targets.csv",
}
#: A4's printable height at the printer's margins (297 mm - 20 mm - 18 mm), in CSS pixels.
PRINTABLE_PX = (297 - 38) / 25.4 * 96


@pytest.fixture(name="pages", scope="module")
def fixture_pages(tmp_path_factory) -> dict[str, tuple[Path, report.ReportContext]]:
    out = tmp_path_factory.mktemp("onepager")
    pages = {}
    for lang in ("en", "ar"):
        ctx = report.prepare(CLIENT, lang=lang, bootstrap=0, **FILES)
        body = str(report.header(ctx)) + str(report.executive_summary(ctx))
        path = out / f"{lang}.html"
        path.write_text(report.page(body, title="one-pager", lang=lang), encoding="utf-8")
        pages[lang] = (path, ctx)
    return pages


def _tile(page, metric: str) -> tuple[str, str]:
    tile = page.locator(f'[data-metric="{metric}"]')
    return tile.locator(".card-value").inner_text().strip(), tile.inner_text()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_one_pager_answers_the_six_questions(pages, watched_page, artifacts, lang) -> None:
    path, ctx = pages[lang]
    h = headline(ctx)
    page, log = watched_page
    page.goto(path.as_uri())
    value, text = _tile(page, "index")
    assert value == str(h.index)
    assert translate(ctx.rubric.dimension(h.weakest_id).name, lang) in text  # named, not a badge
    assert _tile(page, "target")[0] == str(h.target_index)
    value, text = _tile(page, "percentile")
    assert str(h.percentile) in value
    assert str(h.n_peers) in text
    assert _tile(page, "change")[0] == f"+{h.change}"  # one rounding: the difference shown
    assert f"{h.previous_index}" in _tile(page, "change")[1]
    value, text = _tile(page, "people")
    assert value == f"{h.fte_now:g}"
    assert f"{h.fte_needed[1]:g}" in text
    assert _tile(page, "count-2007")[0] == str(h.count_2007)
    moves = page.locator("ol.moves > li")
    assert moves.count() == 3
    for i, move in enumerate(h.moves):
        assert move.step in moves.nth(i).inner_text()
    assert label("onepager.first_moves", lang) in page.inner_text("#executive-summary")
    assert not log.errors
    # In print the one-pager is one page: it must fit the printable height.
    page.emulate_media(media="print")
    height = page.locator("#executive-summary").bounding_box()["height"]
    assert height < PRINTABLE_PX, height
    page.emulate_media(media="screen")
    page.locator("#executive-summary").screenshot(path=str(artifacts / f"onepager-{lang}.png"))


def test_a_mixed_direction_name_keeps_its_brackets_in_the_arabic_page(pages, watched_page) -> None:
    path, _ = pages["ar"]
    page, _ = watched_page
    page.goto(path.as_uri())
    # x of each character of the h1's isolate, in logical order
    xs = page.evaluate(
        """() => {
          const node = document.querySelector('h1 bdi').firstChild;
          const out = [];
          for (let i = 0; i < node.length; i++) {
            const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
            const box = r.getBoundingClientRect(); out.push([node.data[i], box.left]);
          }
          return out;
        }"""
    )
    chars = [c for c, _ in xs]
    x = dict(zip(range(len(xs)), (left for _, left in xs), strict=True))
    s, open_, close = 0, chars.index("("), chars.index(")")
    # "Sawsan Capital Bank (بنك سوسن كابيتال)" reads left to right as written: S, then "(",
    # then ")" at the far right; without the isolate the RTL page moved the brackets.
    assert x[s] < x[open_] < x[close]
    assert all(x[close] >= left for left in x.values())
