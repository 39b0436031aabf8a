"""Benchmark: render N client reports, one after another with the CLIs vs ``maturity batch``.

Compares, in the same run and on the same inputs:

* **naive loop** -- what users write today: for each client, the ``papermill`` CLI executes
  ``notebooks/client_report.ipynb`` (``-p`` for the scalar parameters, ``-y`` YAML for the
  ``answers`` list), then ``jupyter nbconvert --to html --no-input`` exports it; one client after
  another, each in fresh processes;
* **batch** -- ``maturity batch -q [--jobs J]`` (default: the batch's default): inputs validated and
  scored once, the notebook executed in a process pool, self-contained HTML exported in process,
  plus the portfolio index;
* **floor** -- the lower bound for any engine on this machine: the same reports' own work
  (:func:`assessment.report.prepare`, every section of :data:`assessment.report.SECTIONS`, the
  page around them) in one warm, long-lived process per CPU, already imported, rehearsed and
  with the inputs parsed, and with no notebook, kernel or isolation between clients.  Only the
  rendering is timed.  No engine that keeps each report in its own process can beat it; the
  gap between it and the fork engine is what isolation and the notebook machinery cost.

The N clients are the sample clients replicated cyclically under new ids (``bench-001`` ...):
their answer rows are copied from ``data/samples`` (long and forms-export files, each kept in
its own format), the clients table gets one row per new id, and the sample peers and targets
are used as they are.  Both runs must succeed for every client, and the headline index of each
report must agree between the two.

Run: ``python benchmarks/batch.py [--clients 24] [--jobs J] [--keep DIR]``
(``--floor-worker SPEC`` is internal: the floor run, in its own process.)

**Large portfolios** (issue 19): ``python benchmarks/batch.py --portfolio 24,100[,200]
[--repeat R] [--baseline REV]`` runs, for each portfolio size, only the default engine
(``maturity batch -q``) and the floor, one after the other on the same inputs (and first the
baseline revision's ``maturity batch``, with ``--baseline``), and prints each one's time per
report, their ratio and memory.  With ``--repeat R`` each size runs R times, the batch and
the floor in alternating order (the machine's speed drifts by 10-20% within minutes), and it
prints every repetition's ratio and their median.  It also runs an *isolated floor*: the
floor with every report in a process newly forked from the warm one, which is the isolation
every engine gives a report without any of the notebook machinery; the gap splits into the
cost of that isolation and the cost of running a notebook.  Memory is that of the whole
process tree (the batch, its fork server, every job runner and kernel alive at the moment;
or the floor's processes), sampled from ``/proc`` every 0.2 s: the peak of the summed PSS
(proportional set size: a page shared by several processes counts once in total, which is
what the machine must hold) and the peak of the summed RSS (shared pages counted once per
process: an upper bound).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
NOTEBOOK = ROOT / "notebooks" / "client_report.ipynb"
SAMPLE_ANSWERS = [SAMPLES / "answers.csv", SAMPLES / "answers_forms_export.csv"]
CARD_INDEX = re.compile(r'data-metric="index".*?card-value">([^<]+)<', re.S)


class BenchmarkError(RuntimeError):
    """A step of the benchmark failed; the message says which and why."""


@dataclass(frozen=True)
class Inputs:
    """The benchmark's input files and client ids."""

    answers: list[Path]
    clients: Path
    peers: Path
    targets: Path
    ids: list[str]


# -- inputs ------------------------------------------------------------------------------------


def _read_table(path: Path) -> tuple[list[str], list[list[str]], str, str]:
    """Header, rows, delimiter and encoding of a CSV file (kept verbatim: all strings)."""
    raw = path.read_bytes()
    encoding = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
    text = raw.decode(encoding)
    first = text.splitlines()[0]
    sep = csv.Sniffer().sniff(first, delimiters=",;\t").delimiter
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    return rows[0], rows[1:], sep, encoding


def _write_table(
    path: Path, header: list[str], rows: Sequence[Sequence[str]], sep: str, encoding: str
) -> None:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=sep, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def build_inputs(n_clients: int, folder: Path) -> Inputs:
    """Replicate the sample clients cyclically as ``bench-001`` ... ``bench-<N>``.

    Each new client gets every answer row (all assessment dates) of its source client, in the
    source's file and format; the clients table gets the source's row under the new id.
    """
    c_header, c_rows, c_sep, c_enc = _read_table(SAMPLES / "clients.csv")
    id_col, name_col = c_header.index("client_id"), c_header.index("name")
    sources = [row[id_col] for row in c_rows]
    mapping: dict[str, list[str]] = {src: [] for src in sources}
    new_rows = []
    for i in range(n_clients):
        row = list(c_rows[i % len(c_rows)])
        new_id = f"bench-{i + 1:03d}"
        mapping[row[id_col]].append(new_id)
        row[id_col], row[name_col] = new_id, f"{row[name_col]} #{i + 1}"
        new_rows.append(row)
    clients = folder / "clients.csv"
    _write_table(clients, c_header, new_rows, c_sep, c_enc)

    answers, covered = [], set()
    for source in SAMPLE_ANSWERS:
        header, rows, sep, enc = _read_table(source)
        col = header.index("client_id")
        copied = []
        for row in rows:
            for new_id in mapping.get(row[col], []):
                copied.append([new_id if j == col else v for j, v in enumerate(row)])
                covered.add(new_id)
        if copied:
            path = folder / source.name
            _write_table(path, header, copied, sep, enc)
            answers.append(path)
    ids = [f"bench-{i + 1:03d}" for i in range(n_clients)]
    missing = sorted(set(ids) - covered)
    if missing:
        raise BenchmarkError(f"no sample answers for {', '.join(missing)}")
    return Inputs(answers, clients, SAMPLES / "peers.csv", SAMPLES / "targets.csv", ids)


# -- running tools -----------------------------------------------------------------------------


def tool(name: str) -> list[str]:
    """Command for a console script of this environment (next to the running Python)."""
    local = Path(sys.executable).parent / name
    if local.is_file() and os.access(local, os.X_OK):
        return [str(local)]
    found = shutil.which(name)
    if found:
        return [found]
    raise BenchmarkError(
        f"{name!r} not found next to {sys.executable} or on PATH; install the project "
        "into this environment (pip install -e '.[dev]')"
    )


def cpu_seconds() -> float:
    """User + system CPU seconds of this process's finished child processes (and theirs).

    Every process of a run is waited for by its parent (kernels and job runners by the fork
    server, which the batch joins), so the difference around a run is that run's CPU time.
    """
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(cmd: Sequence[str], *, what: str, timeout: float, cwd: Path = ROOT) -> float:
    """Run ``cmd``; return its wall time, or raise with the tail of its output on failure."""
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            list(cmd), capture_output=True, text=True, timeout=timeout, cwd=cwd, check=False
        )
    except subprocess.TimeoutExpired:
        raise BenchmarkError(
            f"{what}: timed out after {timeout:.0f} s\n  $ {shlex.join(cmd)}"
        ) from None
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-25:])
        raise BenchmarkError(f"{what}: exit code {proc.returncode}\n  $ {shlex.join(cmd)}\n{tail}")
    return seconds


def _children() -> dict[int, list[int]]:
    """Every process's children, from ``/proc/<pid>/stat`` (Linux)."""
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def tree_memory(root: int) -> tuple[int, int, int]:
    """``(processes, summed PSS, summed RSS)`` of ``root`` and all its descendants, in bytes."""
    kids, todo, seen = _children(), [root], []
    while todo:
        pid = todo.pop()
        seen.append(pid)
        todo.extend(kids.get(pid, []))
    pss = rss = 0
    for pid in seen:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue  # exited meanwhile
        fields = dict(line.split(":", 1) for line in text.splitlines()[1:] if ":" in line)
        pss += int(fields.get("Pss", "0 kB").split()[0]) * 1024
        rss += int(fields.get("Rss", "0 kB").split()[0]) * 1024
    return len(seen), pss, rss


class MemoryPeak:
    """Sample :func:`tree_memory` of a process every ``every`` seconds in a thread; keep peaks."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        import threading

        self.pid, self.every = pid, every
        self.pss = self.rss = self.processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            n, pss, rss = tree_memory(self.pid)
            self.processes = max(self.processes, n)
            self.pss, self.rss = max(self.pss, pss), max(self.rss, rss)
            self._stop.wait(self.every)

    def stop(self) -> MemoryPeak:
        """Stop sampling; returns ``self``."""
        self._stop.set()
        self._thread.join(timeout=30)
        return self


def run_sampled(
    cmd: Sequence[str], *, what: str, timeout: float, env: dict[str, str] | None = None
) -> tuple[float, MemoryPeak]:
    """:func:`run` with the process tree's memory sampled; wall seconds and the peaks."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(cmd), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env
    )
    peak = MemoryPeak(proc.pid)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise BenchmarkError(f"{what}: timed out after {timeout:.0f} s") from None
    finally:
        peak.stop()
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        tail = "\n".join((err or out).strip().splitlines()[-25:])
        raise BenchmarkError(f"{what}: exit code {proc.returncode}\n  $ {shlex.join(cmd)}\n{tail}")
    return seconds, peak


def card_index(html_file: Path) -> str:
    """The executive summary's index value in a report's HTML."""
    match = CARD_INDEX.search(html_file.read_text(encoding="utf-8"))
    if not match:
        raise BenchmarkError(f"{html_file}: no index card in the report")
    return match.group(1).strip()


def naive_loop(inputs: Inputs, out: Path) -> list[float]:
    """papermill then nbconvert, per client, sequentially; wall seconds per report."""
    papermill, jupyter = tool("papermill"), tool("jupyter")
    answers_yaml = json.dumps({"answers": [str(a) for a in inputs.answers]})  # JSON is YAML
    out.mkdir(parents=True)
    times = []
    for n, cid in enumerate(inputs.ids, 1):
        executed = out / f"{cid}.ipynb"
        t_exec = run(
            [
                *papermill,
                str(NOTEBOOK),
                str(executed),
                "-p",
                "client_id",
                cid,
                "-y",
                answers_yaml,
                "-p",
                "clients",
                str(inputs.clients),
                "-p",
                "peers",
                str(inputs.peers),
                "-p",
                "targets",
                str(inputs.targets),
                "--no-progress-bar",
            ],
            what=f"papermill for {cid}",
            timeout=600,
        )
        t_html = run(
            [*jupyter, "nbconvert", "--to", "html", "--no-input", str(executed)],
            what=f"nbconvert for {cid}",
            timeout=300,
        )
        if not executed.with_suffix(".html").is_file():
            raise BenchmarkError(f"nbconvert wrote no {executed.with_suffix('.html')}")
        times.append(t_exec + t_html)
        print(
            f"  naive {n:>3}/{len(inputs.ids)} {cid}: {t_exec:5.1f} s papermill "
            f"+ {t_html:4.1f} s nbconvert",
            flush=True,
        )
    return times


def batch(
    inputs: Inputs, out: Path, jobs: int | None, engine: str
) -> tuple[float, list[float], float]:
    """``maturity batch``: wall seconds, per-report seconds (manifest) and CPU seconds."""
    cmd = [
        *tool("maturity"),
        "batch",
        "-q",
        "--engine",
        engine,
        *(["--jobs", str(jobs)] if jobs else []),
        "--clients",
        str(inputs.clients),
        "--peers",
        str(inputs.peers),
        "--targets",
        str(inputs.targets),
        "--out",
        str(out),
        *map(str, inputs.answers),
    ]
    cpu = cpu_seconds()
    wall = run(cmd, what="maturity batch", timeout=3600)
    cpu = cpu_seconds() - cpu
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    reports = manifest["reports"]
    bad = [f"{r['client_id']}: {r['status']} {r['error']}" for r in reports if r["status"] != "ok"]
    if bad or len(reports) != len(inputs.ids):
        raise BenchmarkError(f"maturity batch: {len(reports)} reports, problems: {bad}")
    return wall, [float(r["seconds"]) for r in reports], cpu


def floor(inputs: Inputs, out: Path, processes: int) -> tuple[float, float]:
    """The floor run (see the module docstring): rendering wall seconds and CPU seconds.

    Runs in a child process (:func:`floor_worker`) so that this process, which times the
    others, imports nothing heavy.
    """
    cmd = _floor_command(inputs, out, processes)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=3600, check=False)
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-25:])
        raise BenchmarkError(f"floor: exit code {proc.returncode}\n  $ {shlex.join(cmd)}\n{tail}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    return float(result["wall"]), float(result["cpu"])


def _floor_command(
    inputs: Inputs, out: Path, processes: int, *, isolated: bool = False
) -> list[str]:
    """The command of a floor run (its settings written to ``out/spec.json``).

    ``isolated``: every report in a process newly forked from the warm one (the isolation the
    engines give each report, without their notebook machinery).
    """
    out.mkdir(parents=True)
    spec = out / "spec.json"
    spec.write_text(
        json.dumps(
            {
                "answers": [str(a) for a in inputs.answers],
                "clients": str(inputs.clients),
                "peers": str(inputs.peers),
                "targets": str(inputs.targets),
                "ids": inputs.ids,
                "out": str(out),
                "processes": processes,
                "isolated": isolated,
            }
        ),
        encoding="utf-8",
    )
    return [sys.executable, str(Path(__file__).resolve()), "--floor-worker", str(spec)]


_FLOOR: dict = {}  # the floor worker's settings, inherited by its forked processes


def _floor_render(client_id: str) -> str:
    """In a floor process: one client's report, written to ``<out>/<client_id>.html``."""
    from assessment import report

    settings = _FLOOR
    ctx = report.prepare(client_id, **settings["prepare"])
    body = "".join(str(section(ctx)) for section in report.SECTIONS)
    html = report.page(body, title=client_id, lang=settings["prepare"]["lang"])
    Path(settings["out"], f"{client_id}.html").write_text(html, encoding="utf-8")
    return client_id


def floor_worker(spec_file: Path) -> int:
    """The floor run itself; prints ``{"wall": s, "cpu": s}`` as its last line."""
    import ast
    import gc
    import multiprocessing
    import resource

    from assessment.batch.fork_client import skip_slow_optional_imports
    from assessment.batch.fork_server import rehearse
    from assessment.inputs import remember_inputs
    from assessment.rubric import load_rubric

    skip_slow_optional_imports()
    import papermill

    spec = json.loads(spec_file.read_text(encoding="utf-8"))
    # The notebook's own defaults for everything the batch does not set, as the batch does.
    defaults = {
        name: ast.literal_eval(param["default"])
        for name, param in papermill.inspect_notebook(str(NOTEBOOK)).items()
    }
    # The deck is written by the notebook's last cell, not by prepare() (issue 15).
    prepare = {k: v for k, v in defaults.items() if k not in ("client_id", "deck")}
    prepare.update(answers=spec["answers"], clients=spec["clients"])
    prepare.update(peers=spec["peers"], targets=spec["targets"])
    # The same warm state as the fork engine's server: imports, a rehearsal, parsed inputs.
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as folder:
        rehearse(Path(folder))
    rubric = load_rubric(prepare["rubric"])
    prepare["rubric"] = rubric
    remember_inputs(
        prepare["answers"],
        rubric,
        clients=prepare["clients"],
        peers=prepare["peers"],
        targets=prepare["targets"],
    )
    _FLOOR.update(prepare=prepare, out=spec["out"])
    gc.collect()
    gc.freeze()

    def cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    cpu_before, start = cpu(), time.perf_counter()
    per_process = 1 if spec.get("isolated") else None
    with multiprocessing.get_context("fork").Pool(
        spec["processes"], maxtasksperchild=per_process
    ) as pool:
        done = list(pool.imap_unordered(_floor_render, spec["ids"]))
        pool.close()
        pool.join()
    wall = time.perf_counter() - start
    if sorted(done) != sorted(spec["ids"]):
        print(f"floor rendered {len(done)} of {len(spec['ids'])} reports", file=sys.stderr)
        return 1
    result = json.dumps({"wall": wall, "cpu": cpu() - cpu_before})
    Path(spec["out"], "result.json").write_text(result, encoding="utf-8")
    print(result)
    return 0


# -- large portfolios (issue 19) ---------------------------------------------------------------


@dataclass(frozen=True)
class PortfolioRun:
    """One portfolio size: the default engine's and the floor's times and memory."""

    clients: int
    batch_wall: float
    before_rendering: float
    floor_wall: float
    batch_memory: MemoryPeak
    floor_memory: MemoryPeak
    #: The floor with every report in a newly forked process (isolation, no notebook).
    isolated_wall: float = 0.0
    #: The baseline revision's ``maturity batch`` on the same inputs (``--baseline``).
    baseline_wall: float | None = None

    @property
    def ratio(self) -> float:
        """The default engine's time per report over the floor's."""
        return self.batch_wall / self.floor_wall


def baseline_env(revision: str, folder: Path) -> dict[str, str]:
    """The environment that runs ``revision`` of this repository (extracted into ``folder``)."""
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
    return {**os.environ, "PYTHONPATH": str(folder)}


def _checked_batch(
    cmd: list[str], out: Path, n: int, env: dict[str, str] | None = None
) -> tuple[float, MemoryPeak, dict]:
    """Run ``maturity batch ... --out OUT``; wall seconds, memory and its manifest."""
    wall, memory = run_sampled(
        [*cmd, "--out", str(out)], what=f"maturity batch ({n} clients)", timeout=7200, env=env
    )
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    bad = [r["client_id"] for r in manifest["reports"] if r["status"] != "ok"]
    if bad or len(manifest["reports"]) != n:
        raise BenchmarkError(f"maturity batch ({n} clients): failed reports {bad}")
    return wall, memory, manifest


def portfolio_size(
    n: int,
    work: Path,
    processes: int,
    baseline: dict[str, str] | None = None,
    *,
    floor_first: bool = False,
) -> PortfolioRun:
    """Render ``n`` replicated clients with ``maturity batch`` (default engine) and the floor.

    The batch runs first, or the floor with ``floor_first``: repetitions alternate the order,
    so that the machine's drift (its speed changes by 10-20% within minutes) favours neither
    side of the ratio.  With ``baseline`` (an environment from :func:`baseline_env`), the
    baseline revision's ``maturity batch`` renders them first.
    """
    folder = work / f"portfolio-{n}"
    shutil.rmtree(folder, ignore_errors=True)  # the previous repetition's
    folder.mkdir(parents=True)
    inputs = build_inputs(n, folder)
    cmd = [
        *tool("maturity"),
        "batch",
        "-q",
        *("--clients", str(inputs.clients), "--peers", str(inputs.peers)),
        *("--targets", str(inputs.targets), *map(str, inputs.answers)),
    ]
    base_wall = None
    if baseline is not None:
        base_wall, _, _ = _checked_batch(cmd, folder / "baseline", n, env=baseline)
    floor_cmd = _floor_command(inputs, folder / "floor", processes)
    if floor_first:
        _, floor_mem = run_sampled(floor_cmd, what=f"floor ({n} clients)", timeout=7200)
    wall, batch_mem, manifest = _checked_batch(cmd, folder / "batch", n)
    if not floor_first:
        _, floor_mem = run_sampled(floor_cmd, what=f"floor ({n} clients)", timeout=7200)
    floor_wall = json.loads((folder / "floor" / "result.json").read_text())["wall"]
    isolated_cmd = _floor_command(inputs, folder / "isolated", processes, isolated=True)
    run(isolated_cmd, what=f"isolated floor ({n} clients)", timeout=7200)
    isolated_wall = json.loads((folder / "isolated" / "result.json").read_text())["wall"]
    check_parity(inputs, folder / "floor", folder / "batch")
    if baseline is not None:
        check_parity(inputs, folder / "floor", folder / "baseline")
    before = float(manifest.get("timings", {}).get("before_rendering", 0.0))
    return PortfolioRun(
        n, wall, before, float(floor_wall), batch_mem, floor_mem, float(isolated_wall), base_wall
    )


def _median_run(runs: Sequence[PortfolioRun]) -> PortfolioRun:
    """The repetition whose ratio is nearest the median (its own times and memory, not a
    mix); with an even count, the later of the two middle ones when they tie."""
    middle = statistics.median(r.ratio for r in runs)
    return min(reversed(runs), key=lambda r: abs(r.ratio - middle))


def print_portfolio(
    runs: Sequence[PortfolioRun],
    repeat: int,
    baseline: str | None,
    all_ratios: dict[int, list[float]] | None = None,
) -> None:
    """The table of :func:`portfolio`; ``all_ratios``: every repetition's ratio, by size."""
    all_ratios = all_ratios or {}
    gb = 1024**3
    base = f"{'baseline/report':>17}{'ratio':>8}" if baseline else ""
    print(
        f"\n{'clients':>7}{'batch/report':>14}{'floor/report':>14}{'ratio':>8}"
        f"{'isolated floor':>16}{'ratio':>8}{base}"
        f"{'start-up':>10}{'batch PSS':>11}{'batch RSS':>11}{'procs':>7}{'floor PSS':>11}"
    )
    for r in runs:
        n = r.clients
        base = (
            f"{r.baseline_wall / n:>16.3f}s{r.baseline_wall / r.floor_wall:>7.2f}x"
            if r.baseline_wall
            else ""
        )
        print(
            f"{n:>7}{r.batch_wall / n:>13.3f}s{r.floor_wall / n:>13.3f}s{r.ratio:>7.2f}x"
            f"{r.isolated_wall / n:>15.3f}s{r.isolated_wall / r.floor_wall:>7.2f}x{base}"
            f"{r.before_rendering:>9.1f}s{r.batch_memory.pss / gb:>9.2f}GB"
            f"{r.batch_memory.rss / gb:>9.2f}GB{r.batch_memory.processes:>7}"
            f"{r.floor_memory.pss / gb:>9.2f}GB"
        )
    print(
        "  batch/report = wall time of `maturity batch -q` / N (start-up included); "
        "floor/report = the floor's rendering time / N; ratio = their quotient; isolated floor "
        "= the floor with each report in a newly forked process, and its ratio to the floor"
        + (f"; baseline = revision {baseline}'s maturity batch, same inputs" if baseline else "")
        + "; start-up = the batch's seconds before its first report (manifest.json); "
        "PSS/RSS = peak of the summed memory of the whole process tree of the batch, sampled "
        "every 0.2 s (procs: most processes alive at once); "
        f"with --repeat {repeat}, the repetition nearest the median ratio"
    )
    if repeat > 1:
        for n, ratios in all_ratios.items():
            listed = ", ".join(f"{r:.2f}x" for r in ratios)
            print(
                f"{n} clients, every repetition (batch and floor in alternating order): "
                f"{listed}; median {statistics.median(ratios):.2f}x"
            )
    if len(runs) > 1:
        trend = ", ".join(f"{r.ratio:.2f}x at {r.clients}" for r in runs)
        print(f"gap to the floor: {trend}")


def portfolio(sizes: Sequence[int], work: Path, repeat: int, baseline: str | None = None) -> int:
    """The large-portfolio comparison (see the module docstring); the exit status."""
    processes = os.cpu_count() or 1
    base_env = baseline_env(baseline, work / "baseline-code") if baseline else None
    print(f"machine: {cpu_summary()} CPUs; Python {sys.version.split()[0]}", flush=True)
    if note := load_note():
        print(note, flush=True)
    runs, all_ratios = [], {}
    for n in sizes:
        done = []
        for k in range(repeat):
            floor_first = k % 2 == 1
            order = (
                "the floor, then maturity batch"
                if floor_first
                else "maturity batch, then the floor"
            )
            print(f"{n} clients, run {k + 1}/{repeat}: {order}", flush=True)
            try:
                done.append(portfolio_size(n, work, processes, base_env, floor_first=floor_first))
            except BenchmarkError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 1
            last = done[-1]
            base = f", baseline {last.baseline_wall / last.floor_wall:.2f}x" if base_env else ""
            print(f"  ratio {last.ratio:.2f}x{base}", flush=True)
        runs.append(_median_run(done))
        all_ratios[n] = [r.ratio for r in done]
    print_portfolio(runs, repeat, baseline, all_ratios)
    return 0


def check_parity(inputs: Inputs, naive_out: Path, other: Path, layout: str = "batch") -> None:
    """Two runs report the same headline index for every client.

    ``layout`` says where ``other`` keeps a client's page: ``batch`` (``<id>/report.html``)
    or ``flat`` (``<id>.html``, as the naive loop and the floor write them).
    """
    differ = [
        f"{cid}: naive {a} vs {other.name} {b}"
        for cid in inputs.ids
        if (a := card_index(naive_out / f"{cid}.html"))
        != (
            b := card_index(
                other / cid / "report.html" if layout == "batch" else other / f"{cid}.html"
            )
        )
    ]
    if differ:
        raise BenchmarkError("the runs disagree: " + "; ".join(differ))


def cpu_summary() -> str:
    """CPU count, and the CPUs this process may use when that differs."""
    total = os.cpu_count() or 1
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else total
    return f"{total}" + (f" ({usable} usable by this process)" if usable != total else "")


def load_note() -> str:
    """A warning when other processes already keep the CPUs busy (timings would be skewed)."""
    if not hasattr(os, "getloadavg"):
        return ""
    load = os.getloadavg()[0]
    cpus = os.cpu_count() or 1
    if load < 0.5 * cpus:
        return ""
    return (
        f"warning: 1-minute load average is {load:.1f} on {cpus} CPUs before starting; "
        "other processes will slow both runs"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the options, run both approaches and print the comparison."""
    doc = __doc__ or ""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--clients", type=int, default=24, help="reports to render (24)")
    parser.add_argument("--jobs", type=int, help="batch workers (default: the batch's own default)")
    parser.add_argument("--keep", type=Path, help="keep inputs and outputs in this folder")
    parser.add_argument(
        "--portfolio",
        metavar="SIZES",
        help="large portfolios instead: comma-separated client counts (e.g. 24,100,200); "
        "the default engine against the floor at each size, with memory",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="with --portfolio: runs per size (median shown)"
    )
    parser.add_argument(
        "--baseline",
        metavar="REV",
        help="with --portfolio: also run this revision's maturity batch (e.g. 065a29a, before "
        "issue 19) on the same inputs",
    )
    parser.add_argument("--floor-worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.floor_worker:
        return floor_worker(args.floor_worker)
    if args.portfolio:
        try:
            sizes = [int(n) for n in args.portfolio.split(",")]
        except ValueError:
            parser.error("--portfolio takes client counts such as 24,100,200")
        with tempfile.TemporaryDirectory(prefix="bench-portfolio-") as tmp:
            work = args.keep.resolve() if args.keep else Path(tmp)
            return portfolio(sizes, work, args.repeat, args.baseline)
    if args.clients < 1 or (args.jobs is not None and args.jobs < 1):
        parser.error("--clients and --jobs must be at least 1")

    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        work = args.keep.resolve() if args.keep else Path(tmp)
        if args.keep:
            if args.keep.exists() and any(args.keep.iterdir()):
                parser.error(f"--keep {args.keep}: folder exists and is not empty")
            work.mkdir(parents=True, exist_ok=True)
        try:
            inputs = build_inputs(args.clients, work)
            print(
                f"machine: {cpu_summary()} CPUs; Python {sys.version.split()[0]}\n"
                f"inputs: {len(inputs.ids)} clients replicated from the samples in {work} "
                f"({', '.join(a.name for a in inputs.answers)})",
                flush=True,
            )
            if note := load_note():
                print(note, flush=True)
            # Warm the disk cache and matplotlib's font cache so neither run pays for them.
            run(
                [sys.executable, "-c", "import assessment.report, matplotlib.pyplot"],
                what="warm-up",
                timeout=300,
            )

            print(
                f"naive loop: papermill + nbconvert, {len(inputs.ids)} clients in turn", flush=True
            )
            start, cpu = time.perf_counter(), cpu_seconds()
            naive_times = naive_loop(inputs, work / "naive")
            naive_wall = time.perf_counter() - start
            naive_cpu = cpu_seconds() - cpu

            runs = {}
            jobs_label = str(args.jobs) if args.jobs else "default"
            for engine in ("fresh", "fork"):
                print(f"maturity batch --engine {engine} --jobs {jobs_label} ...", flush=True)
                runs[engine] = batch(inputs, work / engine, args.jobs, engine)
                check_parity(inputs, work / "naive", work / engine)
            processes = os.cpu_count() or 1
            print(f"floor: the reports' own work in {processes} warm processes ...", flush=True)
            floor_wall, floor_cpu = floor(inputs, work / "floor", processes)
            check_parity(inputs, work / "naive", work / "floor", layout="flat")
        except BenchmarkError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1

        n = len(inputs.ids)
        print()
        print(
            f"{'':<34}{'total':>10}{'per report':>13}{'median':>10}{'mean':>10}{'CPU/report':>13}"
        )
        print(
            f"{'naive loop (sequential)':<34}{naive_wall:>9.1f}s{naive_wall / n:>12.2f}s"
            f"{statistics.median(naive_times):>9.2f}s{statistics.mean(naive_times):>9.2f}s"
            f"{naive_cpu / n:>12.2f}s"
        )
        for engine, (batch_wall, worker_times, cpu) in runs.items():
            print(
                f"{f'batch --engine {engine} (--jobs {jobs_label})':<34}{batch_wall:>9.1f}s"
                f"{batch_wall / n:>12.2f}s{statistics.median(worker_times):>9.2f}s"
                f"{statistics.mean(worker_times):>9.2f}s{cpu / n:>12.2f}s"
            )
        print(
            f"{f'floor ({processes} warm processes)':<34}{floor_wall:>9.1f}s"
            f"{floor_wall / n:>12.2f}s{'':>10}{'':>10}{floor_cpu / n:>12.2f}s"
        )
        print(
            "  per report = total / N (throughput); median and mean = one report's own time "
            "(naive: papermill + nbconvert; batch: inside a worker, from manifest.json); "
            "CPU/report = user + system CPU seconds of every process of the run / N"
        )
        for engine, (batch_wall, _, _) in runs.items():
            print(
                f"speed-up, {engine} engine: {naive_wall / batch_wall:.2f}x "
                f"(naive {naive_wall:.1f} s / batch {batch_wall:.1f} s, incl. the batch's "
                "scoring, index, scores.csv/xlsx and manifest)"
            )
        fast_wall = runs["fork"][0]
        print(
            f"floor: {floor_wall / n:.2f} s per report is the best any engine can do here "
            f"({naive_wall / floor_wall:.1f}x the naive loop); the fork engine takes "
            f"{fast_wall / floor_wall:.2f}x the floor's time, {(fast_wall - floor_wall) / n:.2f} s "
            "per report for isolation, notebooks and the batch's own work"
        )
        print(f"parity: identical headline index in all {n} reports of every run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
