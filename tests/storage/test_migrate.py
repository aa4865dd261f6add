"""The schema check at open: one query against the head read from the version files; Alembic only
when a migration is due (issue 16)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from sqlalchemy import create_engine

from desktop_app.storage import migrate
from desktop_app.storage.database import Database

ROOT = Path(__file__).resolve().parents[2]


def test_head_and_known_revisions_are_alembics() -> None:
    script = migrate.script_directory()
    assert migrate.head_revision() == script.get_current_head()
    assert migrate.known_revisions() == {r.revision for r in script.walk_revisions()}


def test_current_revision_of_a_new_and_of_an_opened_database(tmp_path: Path) -> None:
    empty = create_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    assert migrate.current_revision(empty) is None
    empty.dispose()
    with Database(tmp_path / "a.sqlite3") as db:
        assert migrate.current_revision(db.engine) == migrate.head_revision()
        first = sorted(migrate.known_revisions())[0]
        migrate.downgrade(db.engine, first)
        assert migrate.current_revision(db.engine) == first


def _modules_after_open(db: Path) -> dict:
    code = textwrap.dedent(
        f"""
        import json, sys
        from pathlib import Path
        from desktop_app.storage.database import Database
        db = Database(Path({str(db)!r}))
        from desktop_app.storage import migrate
        print(json.dumps({{"alembic": sorted(m for m in sys.modules if m.split(".")[0] == "alembic"),
                           "revision": migrate.current_revision(db.engine)}}))
        db.close()
        """
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_opening_a_current_database_does_not_load_alembic(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    Database(path).close()  # created and migrated here
    seen = _modules_after_open(path)
    assert seen == {"alembic": [], "revision": migrate.head_revision()}


def test_a_database_behind_head_is_still_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with Database(path) as db:
        migrate.downgrade(db.engine, sorted(migrate.known_revisions())[0])
    seen = _modules_after_open(path)
    assert seen["revision"] == migrate.head_revision() and "alembic" in seen["alembic"]
