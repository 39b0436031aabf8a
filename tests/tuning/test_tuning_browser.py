"""The tuning notebook in Voilà, in Chromium: move a slider, see the sensitivity panel go
stale, undo, save a variant (issue 17)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import ROOT
from helpers.browser import watch

from assessment.rubric import load_rubric

NOTEBOOK = ROOT / "notebooks" / "weight_tuning.ipynb"
START_SECONDS = 120


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _notebook_copy(folder: Path, variant: Path) -> Path:
    """The packaged notebook with its parameters pointed at ``folder`` (as papermill would)."""
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    params = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
    params["source"] = [
        line.replace('"../reports/weight-variant.yaml"', json.dumps(str(variant)))
        .replace("draws: int = 500", "draws: int = 200")
        .replace('"../reports/', json.dumps(str(folder) + "/")[:-1])
        for line in params["source"]
    ]
    out = folder / "weight_tuning.ipynb"
    out.write_text(json.dumps(nb), encoding="utf-8")
    return out


@pytest.fixture(name="voila_url")
def fixture_voila_url(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    variant = tmp_path / "variant.yaml"
    notebook = _notebook_copy(tmp_path, variant)
    port = _free_port()
    log = (tmp_path / "voila.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "voila", str(notebook), "--no-browser", f"--port={port}",
            "--Voila.ip=127.0.0.1", "--Voila.port_retries=0",
        ],
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={"MPLBACKEND": "Agg", **__import__("os").environ},
    )  # fmt: skip
    try:
        import time

        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"voila exited: {(tmp_path / 'voila.log').read_text()[-2000:]}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("voila did not start in 60 s")
                time.sleep(0.3)
        yield f"http://127.0.0.1:{port}/", variant
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


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
