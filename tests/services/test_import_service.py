"""Import use case: our JSON is checked against the one schema, and an import is one transaction."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from desktop_app.domain.model import LedgerError, ProgressEntry
from desktop_app.domain.serialize import ledger_from_dict
from desktop_app.services.context import AppContext
from desktop_app.storage.repository import LedgerRepository

sys.path.insert(0, str(Path(__file__).parents[1] / "domain"))
from test_ledger_schema import CASES, Root, good_document  # noqa: E402

LEDGER_TABLES = (
    "ledger",
    "section",
    "task",
    "task_unit",
    "report_round",
    "progress_entry",
    "attachment",
    "audit_event",
)


def counts(db: Path | str) -> dict[str, int]:
    """Rows per ledger table and the highest ids, read through a second, read-only connection
    (an SQLite file, or a PostgreSQL database given by its URL)."""
    if isinstance(db, str):
        import psycopg

        con = psycopg.connect(db.replace("postgresql+psycopg://", "postgresql://"))
    else:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        out = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in LEDGER_TABLES}
        out["max task id"] = con.execute("SELECT coalesce(max(id), 0) FROM task").fetchone()[0]
        out["orphan tasks"] = con.execute(
            "SELECT count(*) FROM task WHERE ledger_id NOT IN (SELECT id FROM ledger)"
        ).fetchone()[0]
        out["orphan entries"] = con.execute(
            "SELECT count(*) FROM progress_entry WHERE task_id NOT IN (SELECT id FROM task)"
        ).fetchone()[0]
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One database holding one ledger, shared by the table of broken files (each must change nothing)."""
    folder = tmp_path_factory.mktemp("broken-json")
    ctx = AppContext.open(folder / "ledger.sqlite3")
    path = folder / "good.json"
    path.write_text(json.dumps(good_document(), ensure_ascii=False), encoding="utf-8")
    ctx.imports.import_file(path)
    yield ctx, folder
    ctx.close()


@pytest.mark.parametrize("case,change,fragments", CASES, ids=[c[0] for c in CASES])
def test_broken_json_file_is_refused_and_nothing_is_stored(shared, case, change, fragments) -> None:
    ctx, folder = shared
    doc = good_document()
    replaced = change(doc)
    doc = replaced.value if isinstance(replaced, Root) else doc
    path = folder / f"{case}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    before = counts(ctx.db.path or ctx.db.label)
    for attempt in (ctx.imports.import_file, ctx.imports.inspect):
        with pytest.raises(LedgerError) as caught:
            attempt(path)
        message = caught.value.message
        assert message.startswith(f"无法导入《{case}.json》："), message
        for fragment in fragments:
            assert fragment in message, (case, message)
        assert message.count("。") == 2 and "\n" not in message  # one sentence, then what to do
    assert counts(ctx.db.path or ctx.db.label) == before
    assert len(ctx.ledgers.list_ledgers()) == 1


@pytest.mark.parametrize(
    "name,content,fragment",
    [
        ("nan.json", b'{"sections": [], "year": NaN}', "台账的“年度”"),
        (
            "infinity.json",
            b'{"sections": [{"tasks": [{"content": "x", "percent": Infinity}]}]}',
            "完成百分比",
        ),
        ("deep.json", b'{"sections": ' + b"[" * 200_000 + b"]" * 200_000 + b"}", "嵌套层数过深"),
        ("truncated.json", b'{"sections": [{"tasks": [', "不是有效的 JSON"),
        ("gbk.json", '{"title": "台账", "sections": []}'.encode("gbk"), "UTF-8"),
        ("containers.json", b'{"sections": [], "x": [' + b"[]," * 1_100_000 + b"[]]}", "对象和列表超过"),
    ],
)
def test_json_that_cannot_be_a_ledger_is_refused(shared, name: str, content: bytes, fragment: str) -> None:
    ctx, folder = shared
    path = folder / name
    path.write_bytes(content)
    before = counts(ctx.db.path or ctx.db.label)
    with pytest.raises(LedgerError) as caught:
        ctx.imports.import_file(path)
    assert fragment in caught.value.message and name in caught.value.message
    assert counts(ctx.db.path or ctx.db.label) == before


@pytest.mark.parametrize("megabytes", [21, 50])
def test_oversized_json_is_refused_before_reading(shared, megabytes: int) -> None:
    ctx, folder = shared
    path = folder / f"big{megabytes}.json"
    with path.open("wb") as fh:  # sparse: the size alone must refuse it
        fh.write(b'{"sections": [')
        fh.truncate(megabytes * 1024 * 1024)
    before = counts(ctx.db.path or ctx.db.label)
    with pytest.raises(LedgerError) as caught:
        ctx.imports.import_file(path)
    assert "MB" in caught.value.message and path.name in caught.value.message
    assert counts(ctx.db.path or ctx.db.label) == before


def test_json_import_keeps_history_and_the_wizard_path_too(ctx: AppContext, tmp_path: Path) -> None:
    path = tmp_path / "ledger.json"
    path.write_text(json.dumps(good_document(), ensure_ascii=False), encoding="utf-8")
    ledger = ctx.imports.import_file(path)
    third = ledger.sections[1].tasks[1]
    assert [e.author for e in ctx.progress.history(third.id)] == ["张三"]
    # the wizard: inspect, then save() of what was inspected keeps the history as well
    again = ctx.imports.save(ctx.imports.inspect(path))
    assert [e.text for e in ctx.progress.history(again.sections[1].tasks[1].id)] == ["第一次"]


def test_history_failing_at_insert_rolls_back_the_whole_import(ctx: AppContext, ledger) -> None:
    before = counts(ctx.db.path or ctx.db.label)
    draft, histories = ledger_from_dict(good_document())
    # passes the domain objects but not SQLite: an INTEGER beyond 64 bits fails inside the insert
    histories[1][1].append(ProgressEntry(entry_date=date(2023, 7, 1), text="坏的", percent=2**70))
    with pytest.raises(LedgerError) as caught:
        ctx.imports.save(draft, histories)
    assert "数据库没有任何改动" in caught.value.message
    after = counts(ctx.db.path or ctx.db.label)
    assert after == before
    assert after["orphan tasks"] == 0 and after["orphan entries"] == 0
    assert [s.id for s in ctx.ledgers.list_ledgers()] == [ledger.id]
    assert draft.id is None and all(t.id is None for t in draft.all_tasks())
    # the same draft, repaired, imports completely
    histories[1][1].pop()
    stored = ctx.imports.save(draft, histories)
    with ctx.db.session() as s:
        assert len(LedgerRepository(s).history_for_ledger(stored.id)) == 1
    assert counts(ctx.db.path or ctx.db.label)["ledger"] == before["ledger"] + 1


def test_failure_after_the_history_rolls_back_too(ctx: AppContext, ledger, monkeypatch) -> None:
    """The audit record is written last: its failure must take the ledger and history with it."""
    before = counts(ctx.db.path or ctx.db.label)
    draft, histories = ledger_from_dict(good_document())

    def broken_audit(self, event) -> None:  # noqa: ANN001
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(LedgerRepository, "audit", broken_audit)
    with pytest.raises(LedgerError):
        ctx.imports.save(draft, histories)
    assert counts(ctx.db.path or ctx.db.label) == before


def big_json(path: Path, tasks: int = 2000, entries: int = 3) -> Path:
    """Our JSON with `tasks` tasks in 10 sections and `entries` history entries per task."""
    doc = good_document()
    template = doc["sections"][1]["tasks"][1]
    sections = []
    for s in range(10):
        rows = []
        for i in range(tasks // 10):
            task = json.loads(json.dumps(template))
            task["number"] = str(s * 1000 + i + 1)
            task["content"] = f"第{s + 1}板块第{i + 1}项：在门户网站公开相关信息，及时回应社会关切。" * 3
            task["history"] = [
                {
                    "date": f"2023-0{k + 1}-15",
                    "text": f"第{k + 1}次进展" * 20,
                    "status": "in_progress",
                    "percent": 10 * k,
                    "author": "张三",
                }
                for k in range(entries)
            ]
            rows.append(task)
        sections.append({"title": f"{s + 1}、板块", "tasks": rows})
    doc["sections"] = sections
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2]), "QT_QPA_PLATFORM": "offscreen"}


def _import(source: Path, db: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "desktop_app", "import", str(source), "--db", str(db)],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr


def _ledgers(db: Path) -> list[tuple[int, int, int]]:
    """(ledger id, tasks, history entries) per ledger, after checking the file with PRAGMA quick_check."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        assert con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        return con.execute(
            "SELECT l.id, (SELECT count(*) FROM task t WHERE t.ledger_id = l.id),"
            " (SELECT count(*) FROM progress_entry e JOIN task t ON t.id = e.task_id WHERE t.ledger_id = l.id)"
            " FROM ledger l ORDER BY l.id"
        ).fetchall()
    finally:
        con.close()


@pytest.mark.slow
def test_kill_9_during_import_leaves_no_partial_ledger(tmp_path: Path) -> None:
    """20 `import` runs killed at random moments: each leaves no new ledger or the complete one."""
    source = big_json(tmp_path / "big.json")
    db = tmp_path / "ledger.sqlite3"
    started = time.monotonic()
    _import(source, db)
    full = time.monotonic() - started
    ((_id, tasks, entries),) = _ledgers(db)
    assert (tasks, entries) == (2000, 6000)
    rng = random.Random(11)
    outcomes = {"absent": 0, "complete": 0}
    for _ in range(20):
        before = _ledgers(db)
        proc = subprocess.Popen(
            [sys.executable, "-m", "desktop_app", "import", str(source), "--db", str(db)],
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.1, full * 1.1))
        proc.kill()  # SIGKILL
        proc.wait(timeout=60)
        after = _ledgers(db)
        assert after[: len(before)] == before  # nothing stored before was touched
        new = after[len(before) :]
        assert len(new) <= 1, new
        if new:
            assert new[0][1:] == (tasks, entries), new  # complete, never partial
            outcomes["complete"] += 1
        else:
            outcomes["absent"] += 1
    print(f"full import {full:.1f} s; after 20 kills: {outcomes}")
    # the database still opens for writing after the kills (no stale lock, no damage)
    _import(source, db)
    assert _ledgers(db)[-1][1:] == (tasks, entries)


def _ledger_xlsx(path: Path, rows: list[list[str]]) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "重点工作", "主要内容", "责任单位", "完成时限"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


_FIRST = [
    ["1", "财政公开", "公开预决算信息。", "县财政局", "3月底前"],
    ["2", "财政公开", "公开“三公”经费。", "县财政局", "4月底前"],
    ["3", "审计公开", "公开审计结果。", "县审计局", "年底前"],
]
_SECOND = [
    ["1", "财政公开", "公开县级预决算信息。", "县财政局", "3月底前"],  # content changed
    ["2", "财政公开", "公开“三公”经费。", "县财政局、县直各部门", "5月底前"],  # units, deadline changed
    ["3", "审计公开", "公开审计结果。", "县审计局", "年底前"],
    ["4", "审计公开", "公开审计整改情况。", "县审计局", "年底前"],  # added
]


def _as_stored(ctx: AppContext, ledger_id: int) -> list[tuple]:
    return [
        (t.number, t.content, t.units_text, [(u.name, u.role) for u in t.units], t.deadline.text, t.version)
        for t in ctx.ledgers.get_ledger(ledger_id).all_tasks()
    ]


@pytest.mark.parametrize("breaks", ["second edit", "added task", "the last write"])
def test_update_from_a_file_failing_midway_changes_nothing(ctx: AppContext, tmp_path, monkeypatch, breaks) -> None:
    """update_from is one transaction: a failure after some of its writes leaves the ledger as it was."""
    ledger = ctx.imports.import_file(_ledger_xlsx(tmp_path / "a.xlsx", _FIRST))
    ctx.ledgers.update_task(ledger.all_tasks()[0].id, "progress", "已公开一部分")
    stored, before = _as_stored(ctx, ledger.id), counts(ctx.db.path or ctx.db.label)
    again = ctx.imports.inspect(_ledger_xlsx(tmp_path / "a.xlsx", _SECOND))

    calls = {"save": 0}
    real_save, real_insert, real_touch = (
        LedgerRepository.save_task_change,
        LedgerRepository.insert_task,
        LedgerRepository.touch,
    )

    def save_task_change(self, task, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        calls["save"] += 1
        if breaks == "second edit" and calls["save"] == 2:
            raise RuntimeError("fails midway")
        return real_save(self, task, *args, **kwargs)

    def insert_task(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        if breaks == "added task":
            raise RuntimeError("fails midway")
        return real_insert(self, *args, **kwargs)

    def touch(self, ledger_id: int) -> None:
        if breaks == "the last write" and calls["save"] >= 3:  # every edit written, the task added
            raise RuntimeError("fails midway")
        real_touch(self, ledger_id)

    monkeypatch.setattr(LedgerRepository, "save_task_change", save_task_change)
    monkeypatch.setattr(LedgerRepository, "insert_task", insert_task)
    monkeypatch.setattr(LedgerRepository, "touch", touch)
    with pytest.raises(LedgerError) as caught:
        ctx.imports.update_from(ledger.id, again)
    assert "没有任何改动" in caught.value.message
    assert calls["save"] >= 1  # it failed midway, after writes of its own
    assert _as_stored(ctx, ledger.id) == stored
    assert counts(ctx.db.path or ctx.db.label) == before
    assert ctx.ledgers.get_ledger(ledger.id).all_tasks()[0].progress == "已公开一部分"

    monkeypatch.undo()  # the same update, nothing failing, is stored whole
    outcome = ctx.imports.update_from(ledger.id, again)
    assert (outcome.changed, outcome.added, outcome.unchanged) == (2, 1, 1)
    tasks = ctx.ledgers.get_ledger(ledger.id).all_tasks()
    assert [t.content for t in tasks] == ["公开县级预决算信息。", "公开“三公”经费。", "公开审计结果。", "公开审计整改情况。"]
    assert [u.name for u in tasks[1].units] == ["县财政局", "县直各部门"] and tasks[1].deadline.text == "5月底前"
    assert tasks[0].progress == "已公开一部分"
