"""The tuning notebook in JupyterLab, in Chromium: run all cells, move a slider, see the
sensitivity panel go stale, undo (issue 17: it must work in JupyterLab as well as Voilà)."""

from __future__ import annotations

import secrets
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.browser import watch
from helpers.tuning import free_port, notebook_copy, serving

START_SECONDS = 120


@pytest.fixture(name="lab_url")
def fixture_lab_url(tmp_path: Path) -> Iterator[str]:
    notebook_copy(tmp_path, tmp_path / "variant.yaml")
    port, token = free_port(), secrets.token_hex(16)  # a token even on the loopback address
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
        "--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tmp_path}", "--allow-root",
        "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]  # fmt: skip
    with serving(command, tmp_path, port):
        yield f"http://127.0.0.1:{port}/lab/tree/weight_tuning.ipynb?token={token}"


@pytest.mark.slow
@pytest.mark.xdist_group("browser")
def test_tuning_in_jupyterlab(lab_url: str, browser_context, artifacts: Path):
    page = browser_context.new_page()
    log = watch(page)
    page.set_default_timeout(START_SECONDS * 1000)
    page.goto(lab_url)
    page.locator(".jp-Notebook").wait_for(state="visible")
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for()
    # Run every cell the way a user does: Shift+Enter from the first one down.
    page.locator(".jp-Notebook .jp-Cell").first.click()
    page.keyboard.press("Escape")
    for _ in range(page.locator(".jp-Notebook .jp-Cell").count()):
        page.keyboard.press("Shift+Enter")
    care = page.locator(".tuning-w-care")
    try:
        care.wait_for(state="visible")
    finally:
        page.screenshot(path=str(artifacts / "tuning-lab-start.png"))
    page.locator(".tuning-clients").wait_for(state="visible")
    assert page.locator(".tuning-stale").count() == 0
    readout = care.locator(".widget-readout")
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("0.300")
    page.keyboard.press("Enter")
    page.locator(".tuning-stale").wait_for(state="visible")
    page.screenshot(path=str(artifacts / "tuning-lab.png"))
    page.locator(".tuning-undo").click()
    page.locator(".tuning-stale").wait_for(state="detached")
    assert readout.inner_text().strip() == "0.120"
    assert not log.page_errors, log.page_errors
