"""A dropped connection: the throw-away server restarted between and during edits. Between edits the
program reconnects by itself; during one, the edit is refused in one sentence and nothing is half-written."""

from __future__ import annotations

import pytest

from desktop_app.domain.model import ConnectionLost, Ledger, Section, Task
from desktop_app.storage.database import Database
from desktop_app.storage.repository import LedgerRepository


def _ledger(title: str) -> Ledger:
    return Ledger(title=title, sections=[Section(title="一", tasks=[Task(content="内容")])])


def _titles(db: Database) -> list[str]:
    with db.session() as s:
        return sorted(x.title for x in LedgerRepository(s).summaries())


def test_a_restart_between_edits_is_invisible_and_one_during_an_edit_writes_nothing(pg_cluster, pg_url) -> None:
    with Database(pg_url) as db:
        with db.session() as s:
            LedgerRepository(s).add(_ledger("重启前"))
        pg_cluster.restart()
        with db.session() as s:  # the pool's dead connection is noticed and replaced
            LedgerRepository(s).add(_ledger("重启后"))
        assert _titles(db) == ["重启前", "重启后"]
        with pytest.raises(ConnectionLost) as lost:
            with db.session() as s:
                LedgerRepository(s).add(_ledger("重启时写了一半"))
                s.flush()  # sent to the server, not committed
                pg_cluster.restart()
        assert "连接中断" in lost.value.message and "没有保存" in lost.value.message
        assert _titles(db) == ["重启前", "重启后"]  # nothing half-written


def test_while_the_server_is_down_it_says_so_and_works_again_after(pg_cluster, pg_url) -> None:
    with Database(pg_url) as db:
        pg_cluster.stop_server()
        try:
            with pytest.raises(ConnectionLost) as lost:
                with db.session() as s:
                    LedgerRepository(s).add(_ledger("服务器停着"))
            assert "请稍后重试" in lost.value.message
        finally:
            pg_cluster.start_server()
        with db.session() as s:
            LedgerRepository(s).add(_ledger("服务器回来了"))
        assert _titles(db) == ["服务器回来了"]
