"""Online backups and their rotation."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

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
    names = [f"a-2023{m:02d}{day:02d}-120000.sqlite3" for m in (1, 2, 3) for day in range(1, 11)]
    for n in names:
        (d / n).write_bytes(b"x")
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
