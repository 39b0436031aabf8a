"""Serving the tuning notebook for browser tests: a parameterised copy, a server, its URL."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from helpers import ROOT

NOTEBOOK = ROOT / "notebooks" / "weight_tuning.ipynb"


def free_port() -> int:
    """A free TCP port on the loopback address."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def notebook_copy(folder: Path, variant: Path) -> Path:
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


@contextmanager
def serving(command: Sequence[str], folder: Path, port: int) -> Iterator[None]:
    """Run a notebook server until the block ends; fail the test if it does not listen."""
    log_path = folder / "server.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            list(command),
            cwd=folder,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={
                **os.environ,
                "MPLBACKEND": "Agg",
                "JUPYTER_CONFIG_DIR": str(folder / "cfg"),
                "JUPYTER_RUNTIME_DIR": str(folder / "runtime"),
            },
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"the server exited: {log_path.read_text()[-2000:]}")
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        pytest.fail("the server did not start in 60 s")
                    time.sleep(0.3)
            yield
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
