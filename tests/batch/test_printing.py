"""PDFs printed by the batch's own process (``run_batch(print_here=True)``, issue 19).

``maturity report --pdf`` starts one browser in the calling process while the report is being
planned; the report's runner then writes the HTML only and starts no browser of its own.
These tests replace that printer with a recording one (the runner is another process, so it
is untouched): the runner must not have printed, each PDF is printed once, recorded in the
report's sidecar only once printed, and a report that cannot be printed fails on its own.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

import pytest
from helpers import SAMPLE_ANSWERS, SAMPLE_INPUTS

from assessment.batch import plan, run_batch
from assessment.batch.jobs import is_up_to_date
from assessment.exceptions import AssessmentError

pytestmark = pytest.mark.slow

INPUTS, ANSWERS = SAMPLE_INPUTS, SAMPLE_ANSWERS
GOOD, UNPRINTABLE, DISK_FULL = "c01-fanous-souq", "c05-nayzak-mobile", "c03-dalia-clinics"


class RecordingPrinter:
    """Stands in for :class:`assessment.report.pdf.Printer` in the batch's process."""

    instances: ClassVar[list[RecordingPrinter]] = []

    def __init__(self, timeout: float = 120) -> None:
        self.printed: list[tuple[Path, str, str]] = []
        self.closed_waiting: bool | None = None
        RecordingPrinter.instances.append(self)

    def print(
        self, html: Path, pdf: Path, *, client: str = "", lang: str = "en", paper: str = "a4"
    ):
        # The runner wrote the HTML and its sidecar, and printed nothing itself.
        assert html.is_file()
        assert not pdf.exists(), "the report's runner printed the PDF too"
        sidecar = json.loads((html.parent / "report.json").read_text(encoding="utf-8"))
        assert "report.pdf" not in sidecar["files"]
        self.printed.append((html, client, paper))
        if html.parent.name == UNPRINTABLE:
            raise AssessmentError("Chromium could not print this page")
        if html.parent.name == DISK_FULL:
            raise OSError(28, "No space left on device")
        pdf.write_bytes(b"%PDF-1.4 recorded\n")
        return pdf

    def close(self, *, wait: bool = True) -> None:
        self.closed_waiting = wait


@pytest.fixture(name="printed", scope="module")
def fixture_printed(tmp_path_factory):
    """Two reports with PDFs, printed by a recording printer in this process."""
    import assessment.report.pdf as pdf

    mp = pytest.MonkeyPatch()
    mp.setattr(pdf, "Printer", RecordingPrinter)
    mp.setattr(pdf, "find_chromium", lambda: "/usr/bin/true")  # not needed: nothing launches
    RecordingPrinter.instances.clear()
    out = tmp_path_factory.mktemp("printed")
    batch = plan(
        ANSWERS,
        out_dir=out,
        only=[GOOD, UNPRINTABLE, DISK_FULL],
        pdf=True,
        paper="letter",
        **INPUTS,
    )
    try:
        outcomes = run_batch(batch, jobs=2, quiet=True, portfolio=False, print_here=True)
    finally:
        mp.undo()
    return batch, {o.client_id: o for o in outcomes}, out


def test_one_printer_for_the_batch_prints_each_report_once_and_is_closed(printed):
    _, outcomes, out = printed
    [printer] = RecordingPrinter.instances
    assert sorted(html.parent.name for html, _, _ in printer.printed) == sorted(
        [GOOD, UNPRINTABLE, DISK_FULL]
    )
    assert {paper for _, _, paper in printer.printed} == {"letter"}
    assert printer.closed_waiting is False  # the PDFs are written; closing need not hold us
    assert outcomes[GOOD].status == "ok"
    assert outcomes[GOOD].files.count("report.pdf") == 1
    assert (out / GOOD / "report.pdf").read_bytes().startswith(b"%PDF")


def test_the_sidecar_lists_the_pdf_once_printed_so_resume_keeps_the_report(printed):
    batch, _, out = printed
    sidecar = json.loads((out / GOOD / "report.json").read_text(encoding="utf-8"))
    assert sidecar["status"] == "ok"
    assert sidecar["files"] == ["report.ipynb", "report.html", "report.pdf"]
    job = next(j for j in batch.jobs if j.client_id == GOOD)
    assert is_up_to_date(job)


@pytest.mark.parametrize(
    ("client", "message"),
    [(UNPRINTABLE, "could not print"), (DISK_FULL, "No space left on device")],
)
def test_a_report_that_cannot_be_printed_fails_alone_and_is_redone_on_resume(
    printed, client, message
):
    batch, outcomes, out = printed
    failed = outcomes[client]
    assert failed.status == "failed"
    assert message in failed.error
    assert not (out / client / "report.pdf").exists()
    assert (out / client / "report.html").is_file()  # kept, as a failed report's notebook
    sidecar = json.loads((out / client / "report.json").read_text(encoding="utf-8"))
    assert sidecar["status"] == "failed"
    job = next(j for j in batch.jobs if j.client_id == client)
    assert not is_up_to_date(job)
    assert not list(out.rglob("*.tmp*"))
