"""The tuning notebook in Voilà, in Chromium: move a slider, see the sensitivity panel go
stale, undo, save a variant (issue 17)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.browser import watch
from helpers.tuning import free_port, notebook_copy, serving

from assessment.rubric import load_rubric

START_SECONDS = 120


@pytest.fixture(name="voila_url")
def fixture_voila_url(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    variant = tmp_path / "variant.yaml"
    notebook = notebook_copy(tmp_path, variant)
    port = free_port()
    command = [
        sys.executable, "-m", "voila", str(notebook), "--no-browser", f"--port={port}",
        "--Voila.ip=127.0.0.1", "--Voila.port_retries=0",
    ]  # fmt: skip
    with serving(command, tmp_path, port):
        yield f"http://127.0.0.1:{port}/", variant


@pytest.mark.slow
@pytest.mark.xdist_group("browser")
def test_tuning_in_voila_slider_stale_undo_save(voila_url, browser_context, artifacts: Path):
    url, variant = voila_url
    page = browser_context.new_page()
    log = watch(page)
    page.set_default_timeout(START_SECONDS * 1000)
    page.goto(url)
    care = page.locator(".tuning-w-care")
    care.wait_for(state="visible")
    page.locator(".tuning-clients").wait_for(state="visible")  # the panel has run
    assert page.locator(".tuning-stale").count() == 0
    assert page.get_by_text("Centred on these weights").count() == 1
    # No CLI text in the Voilà view: no raw print output, no traceback.
    body = page.inner_text("body")
    assert "Traceback" not in body
    assert "Weight sensitivity:" not in body  # the old print() summary

    # Move the care slider through its readout, as a user typing a value.
    readout = care.locator(".widget-readout")
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("0.300")
    page.keyboard.press("Enter")
    page.locator(".tuning-stale").wait_for(state="visible")
    assert "Out of date" in page.locator(".tuning-stale").inner_text()
    page.get_by_text("0.300", exact=False).first.wait_for()
    # The sliders, their effective weights and the top of the table: docs/images/tuning.png.
    page.locator(".tuning-w-strategy").evaluate("el => el.scrollIntoView({block: 'start'})")
    page.mouse.wheel(0, -60)
    page.screenshot(path=str(artifacts / "tuning-voila-top.png"))

    # Undo: back to the weights the panel is centred on, so it is current again.
    page.locator(".tuning-undo").click()
    page.locator(".tuning-stale").wait_for(state="detached")
    assert readout.inner_text().strip() == "0.120"

    # Move again and save the variant.
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("0.250")
    page.keyboard.press("Enter")
    page.locator(".tuning-stale").wait_for(state="visible")
    page.locator(".tuning-save").click()
    page.locator(".tuning-status").get_by_text("Saved social-media-manual-").wait_for()
    saved = load_rubric(variant)
    assert saved.provenance.method == "manual"
    assert saved.dimension("care").weight == pytest.approx(0.25 / 1.13, abs=1e-9)
    page.screenshot(path=str(artifacts / "tuning-voila.png"), full_page=False)
    assert not log.page_errors, log.page_errors
