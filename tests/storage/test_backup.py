"""Online backups and their rotation."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop_app.storage import backup
from desktop_app.storage.database import Database


def test_backup_is_a_consistent_copy(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    with Database(path) as db:
        with db.session() as s:
            s.connection().exec_driver_sql(
                "INSERT INTO setting(key, value) VALUES ('my_unit', '市自然资源局')"
            )
        dest = backup.backup_database(path)
    con = sqlite3.connect(dest)
    assert con.execute("SELECT value FROM setting WHERE key='my_unit'").fetchone()[0] == "市自然资源局"
    con.close()


def test_rotation_keeps_ten_recent_and_one_per_month(tmp_path: Path) -> None:
    d = tmp_path / "backups"
    d.mkdir()
    Database(tmp_path / "src.sqlite3").close()
    copy = backup.backup_database(tmp_path / "src.sqlite3", tmp_path / "one").read_bytes()
    names = [f"a-2023{m:02d}{day:02d}-120000.sqlite3" for m in (1, 2, 3) for day in range(1, 11)]
    for n in names:
        (d / n).write_bytes(copy)
    removed = backup.rotate(d, "a")
    kept = sorted(p.name for p in d.iterdir())
    assert len(kept) == 12  # 10 newest (all March) + newest of January and February
    assert "a-20230110-120000.sqlite3" in kept and "a-20230210-120000.sqlite3" in kept
    assert len(removed) == 18
    assert not any(os.path.exists(p) for p in removed)


def test_restore(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    with Database(path) as db:
        with db.session() as s:
            s.connection().exec_driver_sql("INSERT INTO setting(key, value) VALUES ('k', 'old')")
        saved = backup.backup_database(path)
        with db.session() as s:
            s.connection().exec_driver_sql("UPDATE setting SET value='new' WHERE key='k'")
        db.engine.dispose()
        backup.restore_database(saved, path)
        with db.session() as s:
            assert s.connection().exec_driver_sql("SELECT value FROM setting WHERE key='k'").scalar() == "old"


def _big(path: Path, rows: int) -> None:
    """A database of ours with `rows` 300-character settings (60,000 rows: about 21 MB)."""
    with Database(path) as db:
        with db.engine.begin() as conn:
            conn.exec_driver_sql(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
                "INSERT INTO setting(key, value) SELECT 'big' || i, printf('%.300c', '台') FROM n",
                (rows,),
            )


def _rows(db: Database) -> int:
    with db.session() as s:
        return s.connection().exec_driver_sql("SELECT count(*) FROM setting WHERE key LIKE 'big%'").scalar()


def test_backup_is_checked_then_renamed_and_standalone(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    with Database(path):
        dest = backup.backup_database(path, tag="before-import")
    assert dest.name.endswith("-before-import.sqlite3") and backup.list_backups(path) == [dest]
    backup.check_file(dest)
    con = sqlite3.connect(dest)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # no -wal needed beside it
    con.close()
    assert sorted(p.name for p in dest.parent.iterdir()) == [dest.name]  # no temp file left


def test_a_copy_that_fails_the_check_is_never_counted(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "a.sqlite3"
    _big(path, 2000)
    real_copy = backup._copy_into

    def damaged_copy(src: sqlite3.Connection, dest: Path) -> None:
        real_copy(src, dest)
        with open(dest, "r+b") as fh:  # a page header destroyed, as a bad sector or a crash would
            fh.seek(dest.stat().st_size - 4096)
            fh.write(b"\x00" * 8)

    monkeypatch.setattr(backup, "_copy_into", damaged_copy)
    with Database(path):
        with pytest.raises(backup.BackupCheckFailed):
            backup.backup_database(path)
    assert backup.list_backups(path) == []
    assert list((tmp_path / "backups").iterdir()) == []  # the temp copy was removed too


def test_leftovers_of_a_killed_backup_are_removed_at_next_start(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    Database(path).close()
    folder = tmp_path / "backups"
    folder.mkdir()
    partial = folder / f"a-20230701-101010.sqlite3{backup.TEMP_SUFFIX}"
    partial.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    journal = folder / f"a-20230701-101010.sqlite3{backup.TEMP_SUFFIX}-journal"
    journal.write_bytes(b"x")
    other = folder / f"b-20230701-101010.sqlite3{backup.TEMP_SUFFIX}"  # another database's: not ours
    other.write_bytes(b"x")
    assert backup.list_backups(path) == []  # never counted, even before the cleanup
    Database(path).close()
    assert not partial.exists() and not journal.exists() and other.exists()


CHILD = """
import sys
from pathlib import Path
from desktop_app.storage import backup
from desktop_app.storage.database import Database

db = Database(Path(sys.argv[1]))
print("ready", flush=True)
while True:
    db.checkpoint()
    backup.backup_database(db.path)
    print("backed-up", flush=True)
"""


def test_kill_9_during_backups_never_counts_a_partial_file(tmp_path: Path) -> None:
    """20 times: a process backing up a 14 MB database in a loop is killed at a random moment.
    Every backup counted (listed, rotated) passes integrity_check, the database is intact, and the
    leftovers of the killed backup are removed at the next start."""
    path = tmp_path / "big.sqlite3"
    rows = 40_000
    _big(path, rows)
    folder = tmp_path / "backups"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    rng = random.Random(11)
    killed_mid_backup = 0
    checked: set[Path] = set()
    for i in range(20):
        proc = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, env=env)
        try:
            assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
            if i % 4 == 3:  # every 4th child first completes a backup, however loaded the machine is
                assert proc.stdout.readline().strip() == b"backed-up"
            time.sleep(rng.uniform(0.02, 0.7))
        finally:
            proc.kill()  # SIGKILL: no cleanup of any kind runs in the child
            proc.wait(timeout=60)
            if proc.stdout is not None:
                proc.stdout.close()
        if folder.exists() and any(folder.glob(f"*{backup.TEMP_SUFFIX}*")):
            killed_mid_backup += 1
        counted = backup.list_backups(path)
        for b in set(counted) - checked:
            backup.check_file(b)  # raises on a partial or damaged file
            checked.add(b)
        assert len(counted) <= backup.KEEP_RECENT + 1  # the rotation still holds (same month)
        with Database(path) as db:  # the next start: lock free, quick_check passes, leftovers removed
            assert _rows(db) == rows
        assert not any(folder.glob(f"*{backup.TEMP_SUFFIX}*")) if folder.exists() else True
    assert killed_mid_backup >= 3, killed_mid_backup  # the kills did land inside backups
    print(f"20 kills, {killed_mid_backup} inside a backup, {len(checked)} counted backups checked")
    assert backup.list_backups(path)


def test_truncated_copies_from_older_versions_are_not_counted_and_go(tmp_path: Path) -> None:
    """Backups that older versions wrote in place and were killed in: not listed, not among the 10."""
    path = tmp_path / "a.sqlite3"
    _big(path, 3000)
    folder = tmp_path / "backups"
    with Database(path):
        good = backup.backup_database(path)
    data = good.read_bytes()
    for day in range(1, 11):
        (folder / f"a-202306{day:02d}-120000.sqlite3").write_bytes(data)
    cut = folder / "a-20230630-120000.sqlite3"
    cut.write_bytes(data[: len(data) // 2])
    hot = folder / "a-20230629-120000.sqlite3"
    hot.write_bytes(data)
    (folder / "a-20230629-120000.sqlite3-journal").write_bytes(b"x")
    assert cut not in backup.list_backups(path) and hot not in backup.list_backups(path)
    assert len(backup.list_backups(path)) == 11
    backup.rotate(folder, "a")
    assert not cut.exists() and not hot.exists()
    assert len(backup.list_backups(path)) == 10  # the ten newest whole copies (all in one month)
    for b in backup.list_backups(path):
        backup.check_file(b)


def test_backups_made_within_one_second_list_newest_first(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    with Database(path):
        made = [backup.backup_database(path, tag=t) for t in ("before-import", "", "before-restore")]
    listed = backup.list_backups(path)
    assert listed == list(reversed(made))
