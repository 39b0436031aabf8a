"""The store as a file: backed up safely during a session, refused when empty or damaged.

Issue 18, findings 4 and 6.  A store in use keeps its latest votes in its write-ahead log, so a
copy of the ``.sqlite`` file misses them; ``maturity workshop backup`` does not.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from helpers import run_cli

from assessment.exceptions import InputError
from assessment.rubric import Rubric
from assessment.workshop.store import Store, open_store
from assessment.workshop.store_file import backup

VOTES = 200


def _session(path: Path, rubric: Rubric) -> Store:
    """A store with VOTES acknowledged votes, left open (as during a workshop)."""
    store = open_store(path)
    w = store.create_workshop("c01", rubric, date="2025-03-01")
    table = rubric.indicator_table
    indicators = list(table.index[table["kind"] == "anchored"][:10])
    for k in range(VOTES // len(indicators)):
        person = store.join(w.id, f"Participant {k}")
        for ind in indicators:
            store.vote(person, ind, 3)
    return store


def _votes(path: Path) -> int:
    """Votes in the file ``path`` alone (0 when even its tables are still in the log)."""
    con = sqlite3.connect(path)
    try:
        return int(con.execute("SELECT count(*) FROM votes").fetchone()[0])
    except sqlite3.OperationalError:
        return 0
    finally:
        con.close()


def test_backup_during_a_session_keeps_every_vote(tmp_path: Path, rubric: Rubric) -> None:
    store = _session(tmp_path / "live.sqlite", rubric)
    try:
        assert Path(f"{store.path}-wal").stat().st_size > 0  # the votes are in the log
        shutil.copyfile(store.path, tmp_path / "copied.sqlite")  # what the docs used to allow
        assert _votes(tmp_path / "copied.sqlite") < VOTES  # why the backup command exists
        proc = run_cli("workshop", "backup", store.path, str(tmp_path / "backup.sqlite"))
        assert proc.returncode == 0, proc.stderr
        assert f"({VOTES} votes)" in proc.stderr
    finally:
        store.close()
    assert _votes(tmp_path / "backup.sqlite") == VOTES
    assert not Path(f"{tmp_path / 'backup.sqlite'}-wal").exists()  # one self-contained file
    with open_store(tmp_path / "backup.sqlite") as copy:
        assert copy.vote_count(1) == VOTES


def test_close_folds_the_log_into_the_file(tmp_path: Path, rubric: Rubric) -> None:
    store = _session(tmp_path / "w.sqlite", rubric)
    # Another participant's kernel still has the store open: SQLite's own checkpoint on the
    # last close does not happen, the store's does.
    with open_store(tmp_path / "w.sqlite"):
        store.close()
        shutil.copyfile(tmp_path / "w.sqlite", tmp_path / "copy.sqlite")
    assert _votes(tmp_path / "copy.sqlite") == VOTES


def test_backup_refuses_to_overwrite_its_store_and_missing_stores(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        backup(tmp_path / "missing.sqlite", tmp_path / "b.sqlite")
    with open_store(tmp_path / "w.sqlite"):
        pass
    with pytest.raises(InputError, match="would replace the store itself"):
        backup(tmp_path / "w.sqlite", tmp_path / "w.sqlite")
    plain = sqlite3.connect(tmp_path / "other.sqlite")
    plain.execute("CREATE TABLE t (x)")
    plain.close()
    with pytest.raises(InputError, match="not a workshop store"):
        backup(tmp_path / "other.sqlite", tmp_path / "b.sqlite")
    assert not (tmp_path / "b.sqlite").exists()


def test_an_empty_file_is_not_a_new_workshop(tmp_path: Path) -> None:
    empty = tmp_path / "w.sqlite"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty file"):
        open_store(empty)
    assert empty.stat().st_size == 0  # left as it was
    proc = run_cli("workshop", "backup", str(empty), str(tmp_path / "b.sqlite"))
    assert proc.returncode == 2
    assert "empty file (0 bytes)" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_damaged_store_is_refused_when_opened(tmp_path: Path, rubric: Rubric) -> None:
    path = tmp_path / "w.sqlite"
    _session(path, rubric).close()
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(3 * page, len(data), 2 * page):  # garble every other page after the 3rd
        data[start + 100 : start + 600] = bytes(range(256)) * 1 + bytes(244)
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="is damaged"):
        open_store(path)
    proc = run_cli("workshop", "backup", str(path), str(tmp_path / "b.sqlite"))
    assert proc.returncode == 2, proc.stderr
    assert "is damaged" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "b.sqlite").exists()
