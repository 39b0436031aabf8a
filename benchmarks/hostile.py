"""Benchmark: hostile inputs must finish in seconds, or stop with a clear error, in bounded memory.

Each case builds one hostile input in a temporary folder (issue 18, findings 10-16), runs the
command a user would run on it in a fresh process, and prints its wall time, peak memory (the
child's maximum resident set size), how much it wrote to stderr, its exit status and the first
line of its message:

=================  ==========================================================================
``yaml-aliases``   a rubric whose dimensions and indicators are YAML aliases of each other
                   (``maturity validate --rubric bomb.yaml``)
``xlsx-bomb``      a small workbook that expands to many cells (``maturity validate``)
``columns``        a wide answers file with 100,000 unknown columns
``misspelled``     83,630 answer rows naming one of two misspelled indicator ids
``duplicates``     an answers file with every answer given twice (``--mb`` megabytes)
``large-rubric``   one report's sections for a rubric of ``--indicators`` indicators, timed per
                   section (in process; no notebook), for several sizes: per-report time must
                   grow at most linearly with the number of indicators
=================  ==========================================================================

Nothing here asserts a time: the figures are for the README and the CHANGELOG.  Sizes are
parameters so that the same cases, much smaller, can run in the tests.

Run: ``python benchmarks/hostile.py [CASE ...] [--mb 20] [--indicators 1000,10000]
[--timeout 600]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Run:
    """What one command did."""

    seconds: float
    peak_mb: float
    stderr_bytes: int
    status: int | None
    first_line: str


def run(args: list[str], cwd: Path, timeout: float) -> Run:
    """Run ``python -m assessment ARGS`` (or ``python ARGS`` for ``-c``) and measure it."""
    cmd = [sys.executable, *(args if args[0] == "-c" else ["-m", "assessment", *args])]
    err = cwd / "stderr.txt"
    started = time.perf_counter()
    with err.open("wb") as fh:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=fh)
        deadline = started + timeout
        status: int | None = None
        while True:
            pid, raw, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                status = os.waitstatus_to_exitcode(raw)
                break
            if time.perf_counter() > deadline:
                proc.kill()
                _, raw, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        proc.returncode = status  # reaped above
    seconds = time.perf_counter() - started
    text = err.read_bytes()
    first = text.decode("utf-8", "replace").strip().splitlines()[:1]
    return Run(seconds, usage.ru_maxrss / 1024, len(text), status, first[0][:150] if first else "")


# -- the hostile inputs ------------------------------------------------------------------------


def alias_rubric(folder: Path, fan_out: int = 300) -> Path:
    """A rubric of a few kilobytes whose dimensions and indicators are aliases of one each.

    The indicator list holds ``fan_out`` aliases of one indicator and the dimension list
    ``fan_out`` aliases of one dimension: the file grows with ``2 * fan_out`` while the expanded
    rubric has ``fan_out ** 2`` indicators (every id a duplicate).
    """
    indicator = (
        "&i {id: dup, name: An indicator, kind: anchored, levels: {1: {descriptor: one, "
        "next_step: up}, 2: {descriptor: two, next_step: up}, 3: {descriptor: three}}}"
    )
    lines = [
        "schema_version: 1",
        "id: bomb",
        'version: "1"',
        "name: Alias bomb",
        "scale: [{level: 1, name: a}, {level: 2, name: b}, {level: 3, name: c}]",
        "dimensions:",
        "  - &d",
        "    id: d",
        "    name: D",
        "    weight: 1",
        "    indicators: [" + ", ".join([indicator, *["*i"] * (fan_out - 1)]) + "]",
        *["  - *d"] * (fan_out - 1),
    ]
    path = folder / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def xlsx_bomb(folder: Path, cells: int = 1_000_000, width: int = 10) -> Path:
    """A workbook of ``cells`` identical cells: a few hundred kilobytes on disk."""
    row = "<row>" + "<c><v>1</v></c>" * width + "</row>"
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData>" + row * (cells // width) + "</sheetData></worksheet>"
    )
    return _xlsx(folder / "bomb.xlsx", sheet)


def _xlsx(path: Path, sheet: str) -> Path:
    """A minimal valid workbook with one sheet holding ``sheet`` (its XML)."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="'
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
            f'{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
            '<sheets><sheet name="answers" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
            f'{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return path


def many_columns(folder: Path, columns: int = 100_000) -> Path:
    """A wide answers file: the four id columns, then ``columns`` unknown ones, one data row."""
    header = ["client_id", "date", "respondent", "role", *(f"junk_{k}" for k in range(columns))]
    row = ["c1", "2025-01-01", "Ann", "CMO", *(["3"] * columns)]
    path = folder / "wide.csv"
    path.write_text(",".join(header) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    return path


def misspelled(folder: Path, rows: int = 83_630) -> Path:
    """Long answers whose every row names one of two misspelled indicator ids."""
    ids = ("strategy_documentd", "team_dedicated_ftee")
    lines = ["client_id,date,respondent,role,indicator_id,value"]
    lines += [f"c{k // 38},2025-01-01,R{k % 5},CMO,{ids[k % 2]},3" for k in range(rows)]
    path = folder / "misspelled.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def duplicates(folder: Path, megabytes: float = 20) -> Path:
    """Valid long answers (packaged rubric) with every answer given twice: ``megabytes`` MB."""
    from assessment.rubric import load_rubric  # local: only this case needs the package

    rubric = load_rubric("social-media")
    anchored = [i for i, k in rubric.indicator_table["kind"].items() if k == "anchored"]
    path = folder / "duplicates.csv"
    target = int(megabytes * 1_000_000)
    with path.open("w", encoding="utf-8") as fh:
        fh.write("client_id,date,respondent,role,indicator_id,value\n")
        written, client = 0, 0
        while written < target:
            block = "".join(
                f"c{client},2025-01-01,Respondent {r},CMO,{i},3\n"
                for r in range(3)
                for i in anchored
            )
            fh.write(block * 2)  # every answer twice
            written += 2 * len(block)
            client += 1
    return path


def large_rubric(folder: Path, indicators: int) -> Path:
    """A valid rubric of ``indicators`` anchored indicators in 10 dimensions (short texts)."""
    per = max(1, indicators // 10)
    dims = []
    for d in range(10):
        inds = "\n".join(
            f"      - {{id: i{d}_{k}, name: Indicator {d}.{k}, kind: anchored, proposal: true, "
            "levels: {1: {descriptor: low, next_step: up}, 2: {descriptor: mid, next_step: up}, "
            "3: {descriptor: high}}}"
            for k in range(per)
        )
        dims.append(
            f"  - id: d{d}\n    name: Dimension {d}\n    weight: 0.1\n    indicators:\n{inds}"
        )
    text = textwrap.dedent(
        """\
        schema_version: 1
        id: large
        version: "1"
        name: Large rubric
        scale: [{level: 1, name: Low}, {level: 2, name: Mid}, {level: 3, name: High}]
        targets: [{id: baseline, default: 2}]
        dimensions:
        """
    )
    path = folder / f"large-{indicators}.yaml"
    path.write_text(text + "\n".join(dims) + "\n", encoding="utf-8")
    return path


_SECTIONS = """
import json, sys, time
import numpy as np, pandas as pd
from assessment import report
from assessment.rubric import load_rubric
path, out = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
rub = load_rubric(path)
times = {"load_rubric": time.perf_counter() - t0}
ids = list(rub.indicator_table.index)
rng = np.random.default_rng(1)
rows = [("c1", d, f"R{r}", "CMO", i, int(rng.integers(1, 4)))
        for d in ("2024-01-01", "2025-01-01") for r in range(3) for i in ids]
pd.DataFrame(rows, columns=["client_id", "date", "respondent", "role", "indicator_id",
             "value"]).to_csv(out, index=False)
t0 = time.perf_counter()
ctx = report.prepare("c1", rubric=rub, answers=[out], bootstrap=200)
times["prepare"] = time.perf_counter() - t0
size = 0
for section in report.SECTIONS:
    t0 = time.perf_counter()
    size += len(str(section(ctx)))
    times[section.__name__] = time.perf_counter() - t0
times["html_mb"] = size / 1e6
print(json.dumps(times))
"""


def section_times(folder: Path, indicators: int, timeout: float) -> dict[str, float] | Run:
    """Seconds per report section for a rubric of ``indicators`` indicators (or the failure)."""
    rubric = large_rubric(folder, indicators)
    out = folder / f"answers-{indicators}.csv"
    cmd = [sys.executable, "-c", _SECTIONS, str(rubric), str(out)]
    started = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return Run(time.perf_counter() - started, 0, 0, None, f"timed out after {timeout} s")
    if proc.returncode != 0:
        return Run(time.perf_counter() - started, 0, 0, proc.returncode, proc.stderr[-300:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- the cases ---------------------------------------------------------------------------------


def _answers_stub(folder: Path) -> Path:
    path = folder / "stub.csv"
    path.write_text("client_id,date,respondent,role,indicator_id,value\n", encoding="utf-8")
    return path


CASES: dict[str, Callable[[Path, argparse.Namespace], list[str]]] = {
    "yaml-aliases": lambda d, a: [
        "validate",
        "--rubric",
        str(alias_rubric(d, a.fan_out)),
        str(_answers_stub(d)),
    ],
    "xlsx-bomb": lambda d, a: ["validate", str(xlsx_bomb(d, a.cells))],
    "columns": lambda d, a: ["validate", str(many_columns(d, a.columns))],
    "misspelled": lambda d, a: ["validate", str(misspelled(d, a.rows))],
    "duplicates": lambda d, a: ["validate", str(duplicates(d, a.mb))],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", default=[*CASES, "large-rubric"])
    parser.add_argument("--mb", type=float, default=20, help="size of the duplicates file")
    parser.add_argument("--cells", type=int, default=1_000_000, help="cells of the XLSX bomb")
    parser.add_argument("--columns", type=int, default=100_000)
    parser.add_argument("--fan-out", type=int, default=300, help="aliases per list (YAML)")
    parser.add_argument("--rows", type=int, default=83_630)
    parser.add_argument("--indicators", default="100,1000,10000")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per case")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="assessment-hostile-") as tmp:
        folder = Path(tmp)
        for name in args.cases:
            if name == "large-rubric":
                for n in (int(x) for x in args.indicators.split(",")):
                    result = section_times(folder, n, args.timeout)
                    if isinstance(result, Run):
                        print(f"large-rubric {n:>6}: failed: {result.first_line}")
                        continue
                    total = sum(v for k, v in result.items() if k != "html_mb")
                    top = sorted(
                        ((v, k) for k, v in result.items() if k != "html_mb"), reverse=True
                    )[:3]
                    shown = ", ".join(f"{k} {v:.2f} s" for v, k in top)
                    print(
                        f"large-rubric {n:>6}: {total:7.2f} s per report "
                        f"({total / n * 1000:.2f} ms per indicator; HTML "
                        f"{result['html_mb']:.1f} MB); slowest: {shown}"
                    )
                continue
            case_dir = folder / name
            case_dir.mkdir()
            cmd = CASES[name](case_dir, args)
            size = sum(p.stat().st_size for p in case_dir.iterdir())
            r = run(cmd, case_dir, args.timeout)
            print(
                f"{name:<13} input {size / 1e3:9.1f} KB: {r.seconds:7.2f} s, peak "
                f"{r.peak_mb:7.0f} MB, stderr {r.stderr_bytes / 1e3:9.1f} KB, exit {r.status}: "
                f"{r.first_line}"
            )


if __name__ == "__main__":
    main()
