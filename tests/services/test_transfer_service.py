"""migrate-db: a SQLite ledger into a server database and back, checked by the JSON export of both."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from desktop_app.domain.model import LedgerError, TaskStatus
from desktop_app.services.context import AppContext

ROOT = Path(__file__).resolve().parents[2]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
    )


def _export_json(target, ledger_id: int, out: Path) -> dict:
    with AppContext.open(target, create=False) as ctx:
        ctx.exports.export(ledger_id, "json", out, as_of=date(2023, 12, 31))
    data = json.loads(out.read_text(encoding="utf-8"))
    data.pop("exported_at", None)
    return data


def test_sqlite_to_server_and_back_gives_the_same_json(tmp_path: Path, data_dir: Path, pg_cluster) -> None:
    src = tmp_path / "本机.sqlite3"
    with AppContext.open(src) as ctx:
        city = ctx.imports.import_file(data_dir / "city-2023.docx")
        tid = city.all_tasks()[0].id
        ctx.progress.add_entry(tid, "三月已公开 3 件", TaskStatus.IN_PROGRESS, 30, entry_date=date(2023, 3, 1))
        ctx.progress.add_entry(tid, "六月完成", TaskStatus.DONE, 100, entry_date=date(2023, 6, 1))
        ctx.progress.add_link(tid, "https://example.gov.cn/a", "公开页面")
        ctx.ledgers.delete_task(city.all_tasks()[1].id)  # the recycle bin moves along too
        ctx.imports.import_file(data_dir / "natural-resources-2022.xlsx")
    server = pg_cluster.url(pg_cluster.new_database())
    up = _cli("migrate-db", "--from", str(src), "--to", server)
    assert up.returncode == 0, up.stderr
    assert "2 本台账" in up.stdout and "一致" in up.stdout
    back = tmp_path / "取回.sqlite3"
    down = _cli("migrate-db", "--from", server, "--to", str(back))
    assert down.returncode == 0, down.stderr
    for lid in (1, 2):
        original = _export_json(src, lid, tmp_path / f"a{lid}.json")
        assert _export_json(server, lid, tmp_path / f"b{lid}.json") == original
        assert _export_json(back, lid, tmp_path / f"c{lid}.json") == original
    with AppContext.open(server) as ctx:  # the server goes on numbering after the copied rows
        assert len(ctx.ledgers.recycle_bin()) == 1
        new = ctx.ledgers.create_ledger("服务器上新建的台账", 2024)
        assert new.id == 3
    again = _cli("migrate-db", "--from", str(src), "--to", server)  # never over a ledger already there
    assert again.returncode == 2 and "已经有台账" in again.stderr


def test_a_target_with_ledgers_is_refused_untouched(tmp_path: Path) -> None:
    from desktop_app.services.transfer_service import transfer

    a, b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    with AppContext.open(a) as one, AppContext.open(b) as two:
        one.ledgers.create_ledger("甲", 2023)
        two.ledgers.create_ledger("乙", 2023)
        with pytest.raises(LedgerError):
            transfer(one.db, two.db)
        assert [x.title for x in two.ledgers.list_ledgers()] == ["乙"]
