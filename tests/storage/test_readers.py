"""SQLite, several readers: while one program (another process) holds the file for writing, a second
opens it read-only, reads what the first writes, and is refused (one sentence) when it tries to write."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.domain.model import Ledger, Section, Task
from desktop_app.storage.database import Database, ReadOnlyDatabase
from desktop_app.storage.locking import DatabaseLocked
from desktop_app.storage.repository import LedgerRepository

ROOT = Path(__file__).resolve().parents[2]

# The writer: holds the database (lock taken) and adds a ledger each time it reads a line.
WRITER = """
import sys
from desktop_app.domain.model import Ledger, Section, Task
from desktop_app.storage.database import Database
from desktop_app.storage.repository import LedgerRepository
db = Database(sys.argv[1])
print("ready", flush=True)
for line in sys.stdin:
    with db.session() as s:
        LedgerRepository(s).add(Ledger(title=line.strip(), year=2023, sections=[Section(title="一", tasks=[Task(content="x")])]))
    print("written", flush=True)
db.close()
"""


@pytest.fixture
def writer(tmp_path: Path):
    path = tmp_path / "held.sqlite3"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdout.readline().strip() == "ready"

    def write(title: str) -> None:
        proc.stdin.write(title + "\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "written"

    write("第一本")
    yield path, write
    proc.stdin.close()
    proc.wait(timeout=60)
    proc.stdout.close()


def _titles(db: Database) -> list[str]:
    with db.session() as s:
        return sorted(x.title for x in LedgerRepository(s).summaries())


def test_a_second_program_reads_while_the_first_writes(writer) -> None:
    path, write = writer
    with pytest.raises(DatabaseLocked) as held:  # for writing: refused, naming who holds it
        Database(path)
    assert "只读方式" in held.value.message
    with Database(path, read_only=True) as reader:
        assert reader.read_only and _titles(reader) == ["第一本"]
        write("第二本")  # the writer goes on writing while the reader has the file open
        assert _titles(reader) == ["第一本", "第二本"]


def test_a_write_on_the_read_only_copy_is_refused_and_changes_nothing(writer) -> None:
    path, _write = writer
    before = path.read_bytes()
    with Database(path, read_only=True) as reader:
        with pytest.raises(ReadOnlyDatabase) as err:
            with reader.session() as s:
                LedgerRepository(s).add(Ledger(title="不该写入", sections=[Section(tasks=[Task(content="y")])]))
        with pytest.raises(ReadOnlyDatabase):
            with reader.session() as s:
                LedgerRepository(s).update_ledger(1, title="改名")
        assert _titles(reader) == ["第一本"]
    message = err.value.message
    assert "只读" in message and message.count("。") == 1 and message.endswith("。")
    assert path.read_bytes() == before
    assert not (path.parent / "backups").exists()


def test_read_only_needs_an_existing_database(tmp_path: Path) -> None:
    from desktop_app.domain.model import LedgerError

    with pytest.raises(LedgerError) as err:
        Database(tmp_path / "none.sqlite3", read_only=True)
    assert "找不到" in err.value.message
    assert list(tmp_path.iterdir()) == []
