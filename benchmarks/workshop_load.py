"""Benchmark: 50 phones join a workshop room and answer 38 questions each (issue 16).

The participant app (:mod:`assessment.workshop.web`) runs under uvicorn in a process of its own
on loopback, on a fresh store, exactly as ``maturity workshop`` runs it.  Simulated phones, one
thread each with its own keep-alive connection and cookie, all start together and each:

1. opens the QR link ``/j/CODE`` (the join page, its stylesheet and script),
2. posts the join form (code and name) and follows the redirect to its first question,
3. answers ``--questions`` questions (a level, yes/no or a number, as the question takes),
   each answer a POST followed by the next question's page.

A phone has *joined* once its first question's page has arrived; a page is *interactive* once its
HTML (and, the first time, its two assets, which the phone then keeps) has arrived: server-
rendered, nothing else runs before it can be used. The phones answer back to back, with no time to
read or think: a far denser load than a room of people produces. Figures: the time until the last
phone joined, page times (median, 95th percentile, max), the server's peak memory (RSS, sampled
from ``/proc`` every 0.1 s), and whether every answer is in the store exactly once. The
**baseline**, in the same run, is one phone alone on the same server: the ratios say what 50 at
once cost each phone. Several runs; medians.

Goal (issue 16): 50 phones joined within 10 s on 2 cores, each page interactive in 1 s or less,
the server within 500 MB.

Run: ``python benchmarks/workshop_load.py [--phones 50] [--questions 38] [--runs 3]``
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assessment.rubric import load_rubric  # noqa: E402
from assessment.workshop import room  # noqa: E402
from assessment.workshop.serve import free_port  # noqa: E402
from assessment.workshop.store import open_store  # noqa: E402

#: Seconds any one request may take, and a whole run.
REQUEST_TIMEOUT = 30.0
RUN_TIMEOUT = 300.0

SERVER = """
import sys, uvicorn
from assessment.workshop.web import AppConfig, create_app
app = create_app(AppConfig(sys.argv[1], int(sys.argv[2]), public_url=sys.argv[3]))
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[4]), log_level="warning")
"""


@dataclass
class Phone:
    """One simulated phone: its timings and what went wrong."""

    joined: float = 0.0
    pages: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class _Client:
    """A keep-alive HTTP connection with one cookie, like a phone's browser."""

    def __init__(self, port: int) -> None:
        self.con = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        self.cookie = ""
        self.assets = False

    def request(self, method: str, path: str, body: str = "") -> tuple[int, str, str]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://127.0.0.1:{self.con.port}"
        self.con.request(method, path, body=body or None, headers=headers)
        response = self.con.getresponse()
        text = response.read().decode()
        cookie = response.getheader("set-cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response.status, response.getheader("location") or "", text

    def page(self, path: str) -> str:
        """A page, and its two assets the first time (they are cached, as a browser does)."""
        status, _, text = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status}")
        if not self.assets:
            for asset in ("/static/app.css?v=1", "/static/app.js?v=1"):
                self.request("GET", asset)
            self.assets = True
        return text


def _answer(kind: str) -> str:
    return {"anchored": "3", "boolean": "yes"}.get(kind, "5")


def _phone(port: int, code: str, n: int, questions: list[tuple[str, str]], go: threading.Event,
           out: Phone) -> None:  # fmt: skip
    go.wait()
    started = time.perf_counter()
    client = _Client(port)
    try:
        t = time.perf_counter()
        client.page(f"/j/{code}")
        out.pages.append(time.perf_counter() - t)
        t = time.perf_counter()
        status, location, _ = client.request(
            "POST", "/join", urlencode({"code": code, "name": f"Phone {n}"})
        )
        if status != 303:
            raise RuntimeError(f"join: {status}")
        client.page("/q/1")
        out.pages.append(time.perf_counter() - t)
        out.joined = time.perf_counter() - started
        for k, (_qid, kind) in enumerate(questions, start=1):
            t = time.perf_counter()
            status, location, _ = client.request(
                "POST", f"/q/{k}", urlencode({"value": _answer(kind), "nonce": f"{n}-{k}"})
            )
            if status != 303:
                raise RuntimeError(f"answer {k}: {status}")
            client.page(location)
            out.pages.append(time.perf_counter() - t)
    except (OSError, RuntimeError, http.client.HTTPException) as exc:
        out.errors.append(str(exc))
    finally:
        client.con.close()


def one_run(phones: int, n_questions: int) -> dict[str, float]:
    """Start a server on a fresh store, let ``phones`` phones answer, stop it; the figures."""
    rubric = load_rubric("social-media")
    with tempfile.TemporaryDirectory() as tmp:
        store_path = Path(tmp) / "load.sqlite"
        with open_store(store_path) as store:
            wid = store.create_workshop("c01-load", rubric, date="2025-06-01").id
            code = room.open_room(store, wid).join_code
        kinds = rubric.indicator_table["kind"]
        questions = [(q, str(kinds.get(q, "fact"))) for q in room.ballot(rubric, "")]
        questions = questions[:n_questions]
        port = free_port("127.0.0.1", 0)
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(store_path), str(wid), url, str(port)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        try:
            return _measure(server, port, code, phones, questions, store_path, wid)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _measure(
    server: subprocess.Popen[bytes],
    port: int,
    code: str,
    phones: int,
    questions: list[tuple[str, str]],
    store_path: Path,
    wid: int,
) -> dict[str, float]:
    deadline = time.monotonic() + 60
    while True:
        try:
            _Client(port).request("GET", "/static/app.css?v=1")
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the participant app did not start") from None
            time.sleep(0.1)
    peak = [_rss_mb(server.pid)]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _rss_mb(server.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    go = threading.Event()
    results = [Phone() for _ in range(phones)]
    threads = [
        threading.Thread(target=_phone, args=(port, code, n, questions, go, results[n]))
        for n in range(phones)
    ]
    for t in threads:
        t.start()
    started = time.perf_counter()
    go.set()
    for t in threads:
        t.join(timeout=max(1.0, RUN_TIMEOUT - (time.perf_counter() - started)))
    total = time.perf_counter() - started
    done.set()
    sampler.join(timeout=5)
    errors = [e for r in results for e in r.errors]
    with open_store(store_path) as store:
        stored = store.vote_count(wid)
    pages = sorted(p for r in results for p in r.pages)
    return {
        "joined_all_s": max(r.joined for r in results),
        "page_median_s": statistics.median(pages),
        "page_p95_s": pages[int(0.95 * (len(pages) - 1))],
        "page_max_s": pages[-1],
        "total_s": total,
        "server_peak_mb": peak[0],
        "votes_stored": stored,
        "votes_expected": phones * len(questions),
        "errors": len(errors),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=50)
    parser.add_argument("--questions", type=int, default=38)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"cores: {os.cpu_count()}; {args.phones} phones x {args.questions} answers; "
          f"{args.runs} runs (medians)")  # fmt: skip
    alone, crowd = [], []
    for _ in range(args.runs):
        alone.append(one_run(1, args.questions))
        crowd.append(one_run(args.phones, args.questions))

    def med(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    rows = [
        ("last phone joined (s)", "joined_all_s"),
        ("page, median (s)", "page_median_s"),
        ("page, 95th percentile (s)", "page_p95_s"),
        ("page, slowest (s)", "page_max_s"),
        ("whole session (s)", "total_s"),
        ("server peak RSS (MB)", "server_peak_mb"),
    ]
    print(f"{'':28} {'1 phone (baseline)':>19} {f'{args.phones} phones':>12} {'ratio':>7}")
    for title, key in rows:
        a, b = med(alone, key), med(crowd, key)
        print(f"{title:28} {a:19.3f} {b:12.3f} {b / a if a else float('nan'):7.1f}")
    exact = all(r["votes_stored"] == r["votes_expected"] and not r["errors"] for r in crowd)
    print(f"votes stored: {[int(r['votes_stored']) for r in crowd]} of "
          f"{int(crowd[0]['votes_expected'])} each; errors: {[int(r['errors']) for r in crowd]}; "
          f"{'exact' if exact else 'NOT EXACT'}")  # fmt: skip
    goal = (
        med(crowd, "joined_all_s") <= 10
        and med(crowd, "page_p95_s") <= 1
        and med(crowd, "server_peak_mb") <= 500
    )
    print(
        "goal (joined <= 10 s, p95 page <= 1 s, server <= 500 MB): " + ("met" if goal else "MISSED")
    )
    if not exact:
        sys.exit(1)


if __name__ == "__main__":
    main()
