"""Serving the notebooks: each step on its own, then :func:`serve` around a stand-in server.

No test here starts Voilà (the browser test does, through the command): the stand-in is
Python's ``http.server`` on the folder :func:`serve` prepared, so the banner, the files served,
the clean stop on SIGTERM and the clean-up are checked in about a second.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest
from helpers import ROOT
from helpers.workshop import EMPTY_DATE

from assessment.exceptions import AssessmentError, InputError, MissingDependencyError
from assessment.workshop import serve
from assessment.workshop.records import Workshop

WORKSHOP = Workshop(7, "c01-test", EMPTY_DATE, "", "social-media", "1.0.0", "abc", 0, "", None)


def _python(code: str) -> list[str]:
    return [sys.executable, "-c", textwrap.dedent(code)]


# -- ports and addresses -------------------------------------------------------------------


def test_free_port_picks_one_or_says_which_option_to_change() -> None:
    port = serve.free_port("127.0.0.1", 0)
    assert 0 < port < 65536
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        with pytest.raises(InputError, match=f"cannot listen on 127.0.0.1:{taken}") as info:
            serve.free_port("127.0.0.1", taken)
    assert str(info.value).endswith("choose another --port")
    # An address that is not this machine's: the host is what to change.
    with pytest.raises(InputError, match="or --host"):
        serve.free_port("192.0.2.1", 0)  # TEST-NET-1, never assigned


def test_lan_address_is_an_address_or_the_host_name() -> None:
    address = serve.lan_address()
    assert address
    assert address == socket.gethostname() or address.count(".") == 3


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", "http://127.0.0.1:8866"),
        ("::1", "http://[::1]:8866"),
        ("0.0.0.0", "http://192.168.1.20:8866"),
        ("", "http://192.168.1.20:8866"),
        ("::", "http://192.168.1.20:8866"),
    ],
    ids=["loopback", "ipv6", "wildcard", "empty", "ipv6-wildcard"],
)
def test_public_url_shows_an_address_people_can_reach(host: str, expected: str) -> None:
    assert serve.public_url(host, 8866, lan=lambda: "192.168.1.20") == expected


def test_public_url_brackets_an_ipv6_network_address() -> None:
    assert serve.public_url("::", 80, lan=lambda: "fd00::5") == "http://[fd00::5]:80"


def test_a_port_left_in_time_wait_is_free_again_at_once() -> None:
    """A restart on the same port works at once (issue 16: refused for ~60 s before)."""
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        client = socket.create_connection(("127.0.0.1", port), timeout=5)
        accepted, _ = server.accept()
        accepted.close()  # the server side closes first: its end waits in TIME_WAIT
        client.close()
    assert serve.free_port("127.0.0.1", port) == port


# -- what is served and how ----------------------------------------------------------------


def test_app_folder_holds_only_the_facilitators_notebook() -> None:
    from assessment.batch import packaged_notebook

    folder = serve.app_folder()
    try:
        assert serve.NOTEBOOKS == ("workshop.ipynb",)  # participants use the web app
        assert sorted(p.name for p in folder.iterdir()) == sorted(
            [*serve.NOTEBOOKS, serve.PID_FILE]
        )
        for name in serve.NOTEBOOKS:
            assert (folder / name).read_bytes() == packaged_notebook(name).read_bytes()
            assert (folder / name).read_bytes() == (ROOT / "notebooks" / name).read_bytes()
    finally:
        for p in folder.iterdir():
            p.unlink()
        folder.rmdir()


def test_app_folder_names_missing_notebooks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serve, "packaged_notebook", lambda name: Path("/nowhere") / name)
    with pytest.raises(InputError, match=r"workshop notebooks not found: /nowhere/workshop\.ipynb"):
        serve.app_folder()


def test_voila_command_serves_the_folder_on_exactly_that_port(tmp_path: Path) -> None:
    command = serve.voila_command(tmp_path, host="0.0.0.0", port=8123)
    assert command[:4] == [sys.executable, "-m", "voila", str(tmp_path)]
    assert "--port=8123" in command
    assert "--Voila.ip=0.0.0.0" in command
    assert "--Voila.port_retries=0" in command  # a taken port fails instead of moving elsewhere
    assert "--no-browser" in command
    assert any(a.startswith("--MappingKernelManager.cull_idle_timeout=") for a in command)


SERVING = serve.Serving(
    workshop=WORKSHOP,
    client_name="Test Client",
    store_file=Path("/data/ws.sqlite"),
    join_code="ABC234",
    host_token="secret-token",
    participants="http://h:1",
    projector="http://127.0.0.1:1",
    facilitator="http://127.0.0.1:2",
)


def test_banner_gives_the_join_code_and_keeps_the_token_off_the_participants_link() -> None:
    text = serve.banner(SERVING)
    lines = text.splitlines()
    assert lines[0] == f"Workshop #7: Test Client on {EMPTY_DATE} (store /data/ws.sqlite)"
    assert lines[1].startswith("Participants: http://h:1  join code ABC 234")
    assert "secret-token" not in lines[1]
    assert lines[2] == "Projector:    http://127.0.0.1:1/host?token=secret-token"
    assert lines[3] == (
        "Facilitator:  http://127.0.0.1:2/voila/render/workshop.ipynb?token=secret-token"
    )


def test_stale_folders_of_dead_commands_are_removed(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f"{serve.FOLDER_PREFIX}old"
    live = tmp_path / f"{serve.FOLDER_PREFIX}live"
    other = tmp_path / f"{serve.FOLDER_PREFIX}starting"  # no pid file yet: left alone
    for folder, pid in ((stale, dead.pid), (live, os.getpid()), (other, None)):
        folder.mkdir()
        if pid is not None:
            (folder / serve.PID_FILE).write_text(str(pid))
    assert serve.clean_stale_folders(tmp_path) == [stale]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, other.name])


# -- starting and stopping -----------------------------------------------------------------


def test_waiting_for_a_server_that_listens(tmp_path: Path) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        proc = subprocess.Popen(_python("import time; time.sleep(30)"))
        try:
            serve.wait_until_listening(proc, "127.0.0.1", port, tmp_path / "log", timeout=5)
            serve.wait_until_listening(proc, "0.0.0.0", port, tmp_path / "log", timeout=5)
        finally:
            serve.stop(proc)


def test_a_server_that_exits_is_reported_with_its_log(tmp_path: Path) -> None:
    log = tmp_path / "voila.log"
    log.write_text("Traceback ...\nOSError: no such notebook\n", encoding="utf-8")
    proc = subprocess.Popen(_python("raise SystemExit(3)"))
    proc.wait()
    port = serve.free_port("127.0.0.1", 0)
    with pytest.raises(AssessmentError, match="did not start:\nTraceback") as info:
        serve.wait_until_listening(proc, "127.0.0.1", port, log)
    assert "no such notebook" in str(info.value)


def test_a_server_that_never_listens_times_out(tmp_path: Path) -> None:
    port = serve.free_port("127.0.0.1", 0)
    proc = subprocess.Popen(_python("import time; time.sleep(30)"))
    try:
        with pytest.raises(AssessmentError, match=r"did not start in 0\.3 s"):
            serve.wait_until_listening(proc, "127.0.0.1", port, tmp_path / "log", timeout=0.3)
    finally:
        serve.stop(proc)
    assert proc.returncode == -signal.SIGTERM


def test_stop_kills_a_server_that_ignores_sigterm() -> None:
    proc = subprocess.Popen(
        _python(
            """
            import signal, sys, time
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            print("ready", flush=True)
            time.sleep(30)
            """
        ),
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    serve.stop(proc, timeout=0.3)
    assert proc.returncode == -signal.SIGKILL
    proc.stdout.close()
    serve.stop(proc)  # an exited server: nothing to do


# -- serve() around a stand-in server ------------------------------------------------------


def test_serve_needs_voila(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "voila" else real(name, *a)
    )
    with pytest.raises(MissingDependencyError, match="assessment\\[workshop\\]"):
        serve.serve(SERVING, host="127.0.0.1", port=0, env={}, app=None)


def test_serve_cleans_up_when_the_server_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serve.tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(
        serve,
        "voila_command",
        lambda folder, host, port: _python("import sys; print('bad option'); sys.exit(2)"),
    )
    before = signal.getsignal(signal.SIGTERM)
    lines: list[tuple[str, bool]] = []
    free = serve.free_port("127.0.0.1", 0)
    with pytest.raises(AssessmentError, match="did not start:\nbad option"):
        serve.serve(
            dataclasses.replace(SERVING, facilitator=f"http://127.0.0.1:{free}"),
            host="127.0.0.1",
            port=serve.free_port("127.0.0.1", 0),
            env={"PATH": ""},
            app=None,
            echo=lambda text, err=False: lines.append((text, err)),
        )
    assert lines == []
    assert signal.getsignal(signal.SIGTERM) == before
    assert list(tmp_path.iterdir()) == []  # the served copy is gone


#: Runs serve() with http.server standing in for Voilà, in a process of its own: serve() takes
#: over the stop signals, which only a main thread can do.
STAND_IN = """
import sys
from pathlib import Path
from assessment.workshop import serve
from assessment.workshop.records import Workshop

def http_server(folder, *, host, port):
    return [sys.executable, "-m", "http.server", str(port), "--bind", host, "--directory",
            str(folder)]

async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"participants"})

serve.voila_command = http_server
w = Workshop(3, "c02", "2025-05-01", "", "social-media", "1", "h", 0, "", None)
port, voila = int(sys.argv[2]), int(sys.argv[3])
s = serve.Serving(w, "c02", Path(sys.argv[1]), "ABC234", "tok", f"http://127.0.0.1:{port}",
                  f"http://127.0.0.1:{port}", f"http://127.0.0.1:{voila}")
serve.serve(s, host="127.0.0.1", port=port, env={}, app=app)
"""


def test_serve_prints_the_links_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    port, voila = serve.free_port("127.0.0.1", 0), serve.free_port("127.0.0.1", 0)
    store = tmp_path / "ws.sqlite"
    proc = subprocess.Popen(
        [sys.executable, "-c", STAND_IN, str(store), str(port), str(voila)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        printed = [proc.stdout.readline() for _ in range(6)]
        assert printed[1].startswith(f"Participants: http://127.0.0.1:{port}  join code ABC 234")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
            assert page.read() == b"participants"
        # The facilitator's served folder holds its app and nothing else.
        with urllib.request.urlopen(f"http://127.0.0.1:{voila}/", timeout=5) as page:
            listing = page.read().decode()
        assert "workshop.ipynb" in listing
        assert "vote.ipynb" not in listing
        assert "client_report.ipynb" not in listing
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert f"stopped; the workshop is saved in {store}" in err
    # The stand-in server was stopped with it: nothing answers on the port any more.
    deadline = time.monotonic() + 5
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        except ConnectionRefusedError:
            break
        assert time.monotonic() < deadline, f"the stand-in server still listens on {port}"
        time.sleep(0.1)
