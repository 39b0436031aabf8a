"""The batch benchmark's own machinery (its inputs and its floor run), not its timings."""

from __future__ import annotations

import csv
import importlib.util
import sys
from collections.abc import Iterator
from types import ModuleType

import pytest
from helpers import ROOT


@pytest.fixture(scope="module")
def bench() -> Iterator[ModuleType]:
    spec = importlib.util.spec_from_file_location("bench_batch", ROOT / "benchmarks" / "batch.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolves the module's annotations through it
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


def test_inputs_replicate_the_sample_clients(tmp_path, bench):
    inputs = bench.build_inputs(14, tmp_path)
    assert inputs.ids == [f"bench-{i:03d}" for i in range(1, 15)]
    with inputs.clients.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["client_id"] for r in rows] == inputs.ids
    samples = (ROOT / "data" / "samples" / "clients.csv").read_text(encoding="utf-8-sig")
    n_samples = len(samples.strip().splitlines()) - 1
    # Cyclic: client n + 1 of the benchmark is the first sample client again.
    assert rows[n_samples]["name"].startswith(rows[0]["name"].split(" #")[0])
    assert rows[n_samples]["name"].endswith(f"#{n_samples + 1}")


def test_floor_renders_every_report_in_warm_processes(tmp_path, bench):
    (tmp_path / "in").mkdir()
    inputs = bench.build_inputs(2, tmp_path / "in")
    wall, cpu = bench.floor(inputs, tmp_path / "floor", 2)
    assert wall > 0
    assert cpu > 0
    indices = []
    for cid in inputs.ids:
        page = tmp_path / "floor" / f"{cid}.html"
        html = page.read_text(encoding="utf-8")
        assert html.rstrip().endswith("</html>")
        assert "<script" not in html  # the page around the sections, self-contained
        assert html.count("data:image/png;base64,") >= 5  # the charts were rendered
        indices.append(float(bench.card_index(page)))
    assert all(0 <= i <= 100 for i in indices)


def test_floor_failure_is_reported(tmp_path, bench):
    (tmp_path / "in").mkdir()
    inputs = bench.build_inputs(1, tmp_path / "in")
    broken = bench.Inputs(inputs.answers, inputs.clients, inputs.peers, inputs.targets, ["nobody"])
    with pytest.raises(bench.BenchmarkError, match="floor: exit code"):
        bench.floor(broken, tmp_path / "floor", 1)


def test_memory_of_a_process_tree_counts_its_children(bench):
    import subprocess

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        import os

        processes, pss, rss = bench.tree_memory(os.getpid())
        alone = bench.tree_memory(child.pid)
    finally:
        child.kill()
        child.wait(timeout=30)
    assert processes >= 2
    assert alone[0] == 1
    assert 0 < alone[1] <= alone[2] < rss  # a child's PSS is at most its RSS
    assert pss <= rss


@pytest.fixture(scope="module")
def latency() -> Iterator[ModuleType]:
    spec = importlib.util.spec_from_file_location(
        "bench_latency", ROOT / "benchmarks" / "latency.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


def test_latency_measures_every_command_and_reports_medians(latency):
    commands = latency.cli_commands()
    assert [] in commands
    assert ["report"] in commands
    assert ["rubric", "show"] in commands
    figure = latency.Figure("x")
    for seconds in (3.0, 1.0, 2.0):
        figure.add("now", seconds)
    assert figure.median("now") == 2.0
    assert figure.median("baseline") is None


def test_latency_breaks_a_command_s_imports_down(latency, tmp_path):
    rows = latency.import_breakdown(["--help"], tmp_path)
    assert rows
    assert all(seconds >= 0 for seconds, _ in rows)
    assert "assessment" in {name.split(".")[0] for _, name in rows}
