"""Benchmark: how long a user waits, each figure next to its baseline from the same run.

Issue 19 ("interactive speed") set four goals; this script measures the first three (the fourth,
large portfolios, is ``python benchmarks/batch.py --portfolio 24,100,200``):

1. **One report**: ``maturity report c04-sawsan-bank --samples`` (and with ``--pdf``), from the
   command to ``report.html``, the notebook executed.  The time of the report's own job (from
   its ``report.json``) is shown too: the rest is start-up.  Measured cold (no warm report
   server, ``ASSESSMENT_DAEMON=0``) for both versions, then handed to the warm report server a
   first report leaves running (current version only: the baseline has none).
2. **The CLI answers at once**: ``maturity --help``, ``maturity CMD --help`` for every command,
   and a few usage errors; ``maturity score`` and ``validate`` on the samples for reference.  The
   slowest help is broken down with ``python -X importtime``.
3. **The workshop's "Render report"**: a finalised workshop's report rendered with an engine of
   its own per report (what the page did before) and with the page's warm kept engine; and,
   while a report renders in the background, how long a click on another button takes to be
   answered.

**The baseline** is another revision of this repository (``--baseline REV``, by default the
last commit before issue 19), extracted with ``git archive`` into a temporary folder and run by
the same Python with ``PYTHONPATH`` pointing at it.  Baseline and current runs alternate, so
both see the same moments of a machine whose speed drifts; every figure is the median of
``--runs`` runs (5 by default), and the load average is printed.

Run: ``python benchmarks/latency.py [--runs 5] [--baseline REV] [--no-pdf] [--only 1]``
(``--workshop-worker SPEC`` is internal: the workshop measurements, in their own process.)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The last commit before issue 19's changes.
DEFAULT_BASELINE = "065a29a"
CLIENT = "c04-sawsan-bank"
#: Command lines that are wrong (usage errors: exit status 2).
USAGE_ERRORS = [["report"], ["batch", "--engine", "warp"], ["score", "--bogus"], ["reprot"]]


class BenchmarkError(RuntimeError):
    """A step of the benchmark failed; the message says which and why."""


@dataclass
class Code:
    """One version of the toolkit: ``PYTHONPATH`` (``None``: the installed, current one)."""

    name: str
    path: Path | None

    def env(self, **extra: str) -> dict[str, str]:
        """The environment its commands run in."""
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        if self.path is not None:
            env["PYTHONPATH"] = str(self.path)
        return {**env, **extra}


@dataclass
class Figure:
    """Samples of one figure, for each version."""

    label: str
    samples: dict[str, list[float]] = field(default_factory=dict)

    def add(self, version: str, seconds: float) -> None:
        self.samples.setdefault(version, []).append(seconds)

    def median(self, version: str) -> float | None:
        values = self.samples.get(version)
        return statistics.median(values) if values else None


def maturity() -> str:
    """The ``maturity`` script next to the running Python."""
    script = Path(sys.executable).parent / "maturity"
    if not script.is_file():
        raise BenchmarkError(f"no maturity script next to {sys.executable}: pip install -e .")
    return str(script)


def timed_run(
    cmd: Sequence[str],
    code: Code,
    *,
    cwd: Path,
    ok: Sequence[int] = (0,),
    timeout: float = 600,
    env: dict[str, str] | None = None,
) -> float:
    """Run ``cmd`` with ``code``; its wall time (raises when its exit status is not in ``ok``).

    Commands run without a warm report server unless ``env`` turns one on.
    """
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            list(cmd),
            capture_output=True,
            text=True,
            cwd=cwd,
            env=code.env(**{"ASSESSMENT_DAEMON": "0", **(env or {})}),
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise BenchmarkError(f"{code.name}: {' '.join(cmd)} timed out") from None
    seconds = time.perf_counter() - start
    if proc.returncode not in ok:
        tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
        raise BenchmarkError(f"{code.name}: {' '.join(cmd)}: exit {proc.returncode}\n{tail}")
    return seconds


def baseline_code(revision: str, folder: Path) -> Code:
    """``revision`` of this repository, extracted into ``folder``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", revision],
        capture_output=True,
        timeout=120,
        check=False,
    )
    if archive.returncode != 0:
        raise BenchmarkError(f"git archive {revision}: {archive.stderr.decode().strip()}")
    folder.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, timeout=120, check=True)
    return Code(f"baseline {revision}", folder)


def load() -> str:
    """The 1-minute load average (other processes competing for the CPUs)."""
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "n/a"


# -- 2. the command line -------------------------------------------------------------------------


def cli_commands() -> list[list[str]]:
    """Every command path of ``maturity`` (``[]`` is the group itself)."""
    import click  # local: the script's own imports stay light

    from assessment.cli import main

    def walk(group: click.Group, prefix: list[str]) -> list[list[str]]:
        paths = [prefix]
        ctx = click.Context(group)
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            if isinstance(command, click.Group):
                paths += walk(command, [*prefix, name])
            else:
                paths.append([*prefix, name])
        return paths

    return walk(main, [])


def measure_cli(codes: Sequence[Code], runs: int, work: Path) -> list[Figure]:
    """Help of every command, usage errors, ``score``/``validate`` on the samples."""
    cases: list[tuple[str, list[str], tuple[int, ...]]] = [
        (" ".join(["maturity", *c, "--help"]), [*c, "--help"], (0,)) for c in cli_commands()
    ]
    cases += [(f"maturity {' '.join(c)} (usage error)", c, (2,)) for c in USAGE_ERRORS]
    cases += [(f"maturity {c} --samples", [c, "--samples"], (0,)) for c in ("score", "validate")]
    figures = {label: Figure(label) for label, _, _ in cases}
    script = maturity()
    # Commands added since the baseline have no baseline figure (shown as "new").
    absent = {
        (code.name, label)
        for code in codes[:-1]
        for label, args, _ in cases
        if args[-1] == "--help" and not _has_command(script, args[:-1], code, work)
    }
    for _ in range(runs):
        for label, args, ok in cases:
            for code in codes:
                if (code.name, label) not in absent:
                    seconds = timed_run([script, *args], code, cwd=work, ok=ok)
                    figures[label].add(code.name, seconds)
    return list(figures.values())


def _has_command(script: str, path: Sequence[str], code: Code, work: Path) -> bool:
    """Whether ``code``'s ``maturity`` knows the command ``path`` (a usage error if not)."""
    proc = subprocess.run(
        [script, *path, "--help"],
        capture_output=True,
        text=True,
        cwd=work,
        env=code.env(),
        timeout=120,
        check=False,
    )
    return not (proc.returncode == 2 and "No such command" in proc.stderr)


def import_breakdown(args: Sequence[str], work: Path, top: int = 8) -> list[tuple[float, str]]:
    """The ``top`` slowest imports (cumulative seconds) of ``maturity ARGS`` (current code)."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "assessment", *args],
        capture_output=True,
        text=True,
        cwd=work,
        timeout=120,
        check=False,
    )
    rows = re.findall(r"^import time:\s+\d+ \|\s+(\d+) \|( *)([\w.]+)$", proc.stderr, re.M)
    # Depth 1 (one space): modules the command imports itself; their sum is its import time.
    firsts = [(int(cum) / 1e6, name) for cum, pad, name in rows if len(pad) == 1]
    return sorted(firsts, reverse=True)[:top]


# -- 1. one report -------------------------------------------------------------------------------


@dataclass
class ReportFigures:
    """The figures of one report: the command, when report.html appeared, the report's job."""

    commands: list[Figure]
    html: Figure = field(default_factory=lambda: Figure("  report.html written after"))
    job: Figure = field(
        default_factory=lambda: Figure("  of which the report's job (notebook run, HTML out)")
    )
    imports: Figure = field(
        default_factory=lambda: Figure("  a new process importing what a report needs")
    )


def measure_report(codes: Sequence[Code], runs: int, work: Path, pdf: bool) -> ReportFigures:
    """``maturity report CLIENT --samples [--pdf]``, alternating the versions."""
    variants = [("", [])] + ([(" --pdf", ["--pdf"])] if pdf else [])
    figures = ReportFigures([Figure(f"maturity report {CLIENT} --samples{s}") for s, _ in variants])
    script = maturity()
    for _ in range(runs):
        for figure, (_, extra) in zip(figures.commands, variants, strict=True):
            for code in codes:
                out = work / "report-out"
                shutil.rmtree(out, ignore_errors=True)
                cmd = [script, "report", CLIENT, "--samples", "-q", "--out", str(out), *extra]
                started = time.time()
                figure.add(code.name, timed_run(cmd, code, cwd=work))
                html = out / CLIENT / "report.html"
                if not html.is_file():
                    raise BenchmarkError(f"{code.name}: no report.html")
                if not extra:
                    figures.html.add(code.name, html.stat().st_mtime - started)
                    sidecar = json.loads((out / CLIENT / "report.json").read_text())
                    figures.job.add(code.name, float(sidecar["seconds"]))
        # In the same loop, so that it sees the same moments of the machine as the reports.
        figures.imports.add("now", timed_run([sys.executable, "-c", _IMPORTS], codes[-1], cwd=work))
    return figures


def measure_warm_report(runs: int, work: Path, pdf: bool) -> list[Figure]:
    """``maturity report`` handed to a warm report server (the current code only).

    The server is started by a first report (not timed), waited for, and stopped at the end.
    """
    variants = [("", [])] + ([(" --pdf", ["--pdf"])] if pdf else [])
    figures = [Figure(f"maturity report {CLIENT} --samples{s}, warm server") for s, _ in variants]
    code = Code("now", None)
    folder = work / "d"
    env = {"ASSESSMENT_DAEMON": "1", "ASSESSMENT_DAEMON_DIR": str(folder)}
    env["ASSESSMENT_DAEMON_IDLE"] = "300"
    script = maturity()
    out = work / "warm-out"
    timed_run(
        [script, "report", CLIENT, "--samples", "-q", "--out", str(out)], code, cwd=work, env=env
    )
    deadline = time.monotonic() + 120
    while not list(folder.glob("*.sock")) and time.monotonic() < deadline:
        time.sleep(0.2)
    if not list(folder.glob("*.sock")):
        raise BenchmarkError("the warm report server did not start")
    try:
        for _ in range(runs):
            for figure, (_, extra) in zip(figures, variants, strict=True):
                shutil.rmtree(out, ignore_errors=True)
                cmd = [script, "report", CLIENT, "--samples", "-q", "--out", str(out), *extra]
                figure.add("now", timed_run(cmd, code, cwd=work, env=env))
                if not (out / CLIENT / "report.html").is_file():
                    raise BenchmarkError("warm server: no report.html")
    finally:
        timed_run([script, "daemon", "stop"], code, cwd=work, env=env)
    return figures


#: A new process importing what a report needs, as the fork server does (its ``PRELOAD`` and
#: the report package's modules, which that package imports lazily).
_IMPORTS = (
    "import sys, importlib; sys.modules['rfc3987_syntax'] = None\n"
    "from assessment.batch import fork_server\n"
    "fork_server._import_preloaded()"
)


# -- 3. the workshop -----------------------------------------------------------------------------


def measure_workshop(codes: Sequence[Code], runs: int, work: Path) -> dict[str, dict]:
    """The workshop worker's figures for each version (see :func:`workshop_worker`)."""
    results = {}
    for code in codes:
        spec = work / f"workshop-{len(results)}.json"
        spec.write_text(json.dumps({"runs": runs, "folder": str(work / f"ws-{len(results)}")}))
        proc = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--workshop-worker", str(spec)],
            capture_output=True,
            text=True,
            env=code.env(),
            cwd=work,
            timeout=3600,
            check=False,
        )
        if proc.returncode != 0:
            tail = "\n".join(proc.stderr.strip().splitlines()[-20:])
            raise BenchmarkError(f"{code.name}: workshop worker: exit {proc.returncode}\n{tail}")
        results[code.name] = json.loads(proc.stdout.strip().splitlines()[-1])
    return results


def _finalised_workshop(folder: Path) -> tuple[object, object]:
    """A store with one finalised workshop (8 participants, every indicator); the app on it."""
    from assessment import workshop as ws
    from assessment.rubric import load_rubric
    from assessment.samples.synthetic import random_profiles, synthetic_answers
    from assessment.workshop.store import open_store

    rubric = load_rubric("social-media")
    answers = synthetic_answers(rubric, random_profiles(rubric, 1, seed=3), respondents=8, seed=3)
    store = open_store(folder / "ws.sqlite")
    (workshop,) = store.import_answers(answers, rubric)
    app = ws.FacilitatorApp(store, workshop.id, reports_dir=str(folder / "reports"))
    app.finalise()
    return store, app


def _clicks_while_rendering(app: object) -> tuple[float, list[float]]:
    """Render in the background; click "refresh" every 0.1 s meanwhile.  Render seconds and the
    seconds each click took to be answered."""
    start = time.perf_counter()
    task = app.start_render()  # type: ignore[attr-defined]
    clicks = []
    while task.running:
        t = time.perf_counter()
        app.refresh_button.click()  # type: ignore[attr-defined]
        clicks.append(time.perf_counter() - t)
        time.sleep(0.1)
    if not task.join(600) or app.report_path is None:  # type: ignore[attr-defined]
        raise BenchmarkError(f"the background render failed: {app.messages.last}")  # type: ignore[attr-defined]
    return time.perf_counter() - start, clicks


def workshop_worker(spec_file: Path) -> int:
    """Time workshop renders with this process's code; prints the figures as JSON."""
    from assessment import workshop as ws

    spec = json.loads(spec_file.read_text())
    folder = Path(spec["folder"])
    folder.mkdir(parents=True)
    store, app = _finalised_workshop(folder)
    own: list[float] = []
    for _ in range(spec["runs"]):  # an engine of its own per report: what the page did before
        t = time.perf_counter()
        ws.render_report(store, app.workshop_id, out_dir=folder / "own")  # type: ignore[attr-defined]
        own.append(time.perf_counter() - t)
    result: dict[str, object] = {"own": own}
    try:
        from assessment.workshop.render import kept_engine
    except ImportError:  # the baseline: no kept engine, no background render
        print(json.dumps(result))
        return 0
    engine = kept_engine()
    engine.start()  # as the facilitator's page does when it opens
    time.sleep(15)  # the facilitator works a while before finalising: the engine warms up
    app.engine = engine  # type: ignore[attr-defined]
    kept, clicks = [], []
    for _ in range(spec["runs"]):
        seconds, answered = _clicks_while_rendering(app)
        kept.append(seconds)
        clicks += answered
    engine.close()
    result.update(kept=kept, clicks=clicks)
    print(json.dumps(result))
    return 0


# -- output --------------------------------------------------------------------------------------


def table(figures: Sequence[Figure], codes: Sequence[Code]) -> None:
    """Medians of each figure for each version, and their ratio."""
    base, current = codes[0].name, codes[-1].name
    print(f"  {'':<58}{'baseline':>10}{'now':>10}{'ratio':>8}")
    for f in figures:
        b, c = f.median(base), f.median(current)
        if len(codes) == 1:
            shown_b = f"{'':>10}"
        else:
            shown_b = f"{b:9.2f}s" if b is not None else f"{'new':>10}"
        ratio = f"{b / c:7.1f}x" if b and c and len(codes) > 1 else ""
        print(f"  {f.label:<58}{shown_b}{c:9.2f}s{ratio}")


def report_workshop(results: dict[str, dict], codes: Sequence[Code]) -> None:
    """Print the workshop figures."""
    base, current = codes[0].name, codes[-1].name
    now = results[current]
    rows = [("render, an engine of its own per report", "own")]
    rows.append(("render, the page's warm kept engine (in the background)", "kept"))
    print(f"  {'':<58}{'baseline':>10}{'now':>10}")
    for label, key in rows:
        b = results.get(base, {}).get(key) if len(codes) > 1 else None
        shown = f"{statistics.median(b):9.2f}s" if b else f"{'-':>10}"
        print(f"  {label:<58}{shown}{statistics.median(now[key]):9.2f}s")
    clicks = sorted(1000 * c for c in now["clicks"])
    blocked = statistics.median(results[base]["own"]) if len(codes) > 1 else None
    print(
        f"  a click while the report renders: answered in median {statistics.median(clicks):.0f}"
        f" ms, max {clicks[-1]:.0f} ms ({len(clicks)} clicks)"
        + (
            f"; before, the page was frozen for the whole render ({blocked:.1f} s)"
            if blocked
            else ""
        )
    )


def run_all(args: argparse.Namespace, tmp: Path) -> int:
    """Measure and print everything; the exit status."""
    codes = [Code("now", None)]
    if args.baseline:
        codes.insert(0, baseline_code(args.baseline, tmp / "baseline"))
    work = tmp / "work"
    work.mkdir()
    print(f"machine: {os.cpu_count()} CPUs, load {load()}; Python {sys.version.split()[0]}")
    print(f"versions: {', '.join(c.name for c in codes)}; {args.runs} runs each, medians\n")
    steps: list[tuple[str, Callable[[], None]]] = []

    def one_report() -> None:
        figures = measure_report(codes, args.runs, work, pdf=args.pdf)
        first, *rest = figures.commands
        table([first, figures.html, figures.job, *rest, figures.imports], codes)
        floor = (figures.imports.median("now") or 0) + (figures.job.median("now") or 0)
        print(
            f"  cold-start floor of one report: {floor:.2f} s (those imports, then the "
            "report's job, with everything else hidden behind them)"
        )
        warm = measure_warm_report(args.runs, work, pdf=args.pdf)
        for figure, cold in zip(warm, [first, *rest], strict=True):
            # against the baseline's same command: there was no warm server before
            figure.samples.update({k: v for k, v in cold.samples.items() if k != "now"})
        table(warm, codes)
        print(
            "  warm server: the command handed to the report server a first `maturity report` "
            "left running (issue 19); the rows above ran without one"
        )

    def cli() -> None:
        figures = measure_cli(codes, args.runs, work)
        table(figures, codes)
        helps = [f for f in figures if f.label.endswith("--help")]
        slowest = max(helps, key=lambda f: f.median(codes[-1].name) or 0)
        print(f"  slowest help now: {slowest.label}; its imports (cumulative seconds):")
        argv = slowest.label.split()[1:]
        for seconds, name in import_breakdown(argv, work):
            print(f"    {seconds:6.3f}  {name}")

    steps.append(("1. one report, from the command to report.html", one_report))
    steps.append(("2. the command line", cli))
    steps.append(
        (
            "3. the workshop's Render report",
            lambda: report_workshop(measure_workshop(codes, args.runs, work), codes),
        )
    )
    for number, (title, step) in enumerate(steps, start=1):
        if args.only and number not in args.only:
            continue
        print(f"{title} (load {load()})", flush=True)
        step()
        print(flush=True)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the options and run the benchmark."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each figure (5)")
    parser.add_argument(
        "--baseline",
        default=DEFAULT_BASELINE,
        help=f"revision to compare with (default {DEFAULT_BASELINE}, before issue 19); '' for none",
    )
    parser.add_argument("--no-pdf", dest="pdf", action="store_false", help="skip --pdf")
    parser.add_argument(
        "--only",
        type=int,
        action="append",
        choices=[1, 2, 3],
        help="measure only this goal (repeat): 1 one report, 2 the CLI, 3 the workshop",
    )
    parser.add_argument("--workshop-worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.workshop_worker:
        return workshop_worker(args.workshop_worker)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    with tempfile.TemporaryDirectory(prefix="bench-latency-") as tmp:
        try:
            return run_all(args, Path(tmp))
        except BenchmarkError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1


if __name__ == "__main__":
    sys.exit(main())
