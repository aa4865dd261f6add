"""AppContext opened read-only beside a writer: the services read, every write is one sentence and
changes nothing (issue 18: several readers on one SQLite file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.domain.model import Ledger, Section, Task, TaskStatus
from desktop_app.services.context import AppContext
from desktop_app.storage.database import ReadOnlyDatabase


def make_ledger() -> Ledger:
    return Ledger(title="共享台账", year=2023, sections=[Section(title="一、公开", tasks=[Task(content="公开预算")])])


@pytest.mark.sqlite_only  # the lock file and mode=ro connections are SQLite's
def test_services_read_beside_the_writer_and_refuse_every_write(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    with AppContext.open(path) as writer:
        ledger = writer.ledgers.add_ledger(make_ledger())
        tid = ledger.all_tasks()[0].id
        with AppContext.open(path, read_only=True) as reader:
            assert reader.read_only and reader.ledgers.get_ledger(ledger.id).title == ledger.title
            writer.progress.add_entry(tid, "写入方的进展", TaskStatus.IN_PROGRESS, 40)
            assert reader.ledgers.get_task(tid).progress == "写入方的进展"  # seen at once
            attempts = [
                lambda: reader.ledgers.update_task(tid, "content", "读者改的"),
                lambda: reader.progress.add_entry(tid, "读者的进展", TaskStatus.DONE, 100),
                lambda: reader.ledgers.create_ledger("读者的台账", 2024),
                lambda: reader.settings.set("my_unit", "读者单位"),
                lambda: reader.ledgers.delete_task(tid),
            ]
            for attempt in attempts:
                with pytest.raises(ReadOnlyDatabase) as err:
                    attempt()
                assert "只读" in err.value.message and "没有保存" in err.value.message
            out = reader.exports.export(ledger.id, "json", tmp_path / "读者导出.json")
            assert out.exists()
            assert reader.backups.daily_backup() is None
        task = writer.ledgers.get_task(tid)
        assert (task.content, task.progress) == (ledger.all_tasks()[0].content, "写入方的进展")
        assert [x.title for x in writer.ledgers.list_ledgers()] == [ledger.title]
        assert writer.settings.get("my_unit") in (None, "")
