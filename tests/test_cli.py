"""The command line: list, backup, inspect, import, export; errors are one Chinese sentence, exit 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
    )


def test_version(capsys) -> None:
    assert main(["--version"]) == 0
    assert "0.1.0" in capsys.readouterr().out


def test_list_on_new_database_is_empty_json(tmp_path: Path, capsys) -> None:
    from desktop_app.storage.database import Database

    Database(tmp_path / "a.sqlite3").close()
    assert main(["list", "--db", str(tmp_path / "a.sqlite3")]) == 0
    assert json.loads(capsys.readouterr().out) == []


@pytest.mark.parametrize("command", ["list", "export", "backup"])
@pytest.mark.parametrize("where", ["missing-folder/a.sqlite3", "a.sqlite3", "empty.sqlite3"])
def test_read_only_commands_create_nothing(tmp_path: Path, command: str, where: str) -> None:
    """list/export/backup on a missing (or empty) database: exit 2, one sentence, no file or folder made."""
    (tmp_path / "empty.sqlite3").write_bytes(b"")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    db = tmp_path / where
    extra = {"export": ["1", "--format", "json", "-o", str(tmp_path / "out.json")]}.get(command, [])
    proc = run(command, *extra, "--db", str(db))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    err = proc.stderr.strip()
    assert len(err.splitlines()) == 1 and "找不到台账数据库" in err and "未创建任何文件" in err
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert (tmp_path / "empty.sqlite3").read_bytes() == b""


def test_import_prints_id_last_and_list_shows_it(tmp_path: Path, data_dir: Path, capsys) -> None:
    db = str(tmp_path / "a.sqlite3")
    assert main(["import", str(data_dir / "city-2023.docx"), "--db", db]) == 0
    out = capsys.readouterr().out
    ledger_id = int(out.split()[-1])
    assert main(["list", "--db", db]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["id"] == ledger_id and rows[0]["task_count"] == 39 and rows[0]["year"] == 2023


def test_inspect_writes_nothing(tmp_path: Path, data_dir: Path, capsys) -> None:
    assert main(["inspect", str(data_dir / "natural-resources-2022.docx")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["title"].startswith("银川市自然资源局2022年")
    assert sum(len(s["tasks"]) for s in data["sections"]) == 45
    task = data["sections"][0]["tasks"][0]
    for key in (
        "number",
        "key_work",
        "item",
        "content",
        "indicator",
        "units",
        "deadline_text",
        "due_date",
        "ongoing",
        "progress",
    ):
        assert key in task


def test_backup(tmp_path: Path, capsys) -> None:
    db = tmp_path / "a.sqlite3"
    assert main(["import", str(ROOT / "tests" / "data" / "city-2023.docx"), "--db", str(db)]) == 0
    assert main(["backup", "--db", str(db)]) == 0
    assert list((tmp_path / "backups").glob("a-*.sqlite3"))


@pytest.mark.parametrize(
    "args",
    [
        ["inspect", "no-such-file.docx"],
        ["export", "99", "--db", "{db}", "--format", "json", "-o", "{tmp}/x.json"],
        ["list", "--db", "{tmp}"],
        ["frobnicate"],
        ["export", "1", "--db", "{db}", "--format", "txt", "-o", "x"],
    ],
)
def test_errors_exit_2_with_one_chinese_sentence(tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "a.sqlite3"
    args = [a.format(db=db, tmp=tmp_path) for a in args]
    proc = run(*args)
    assert proc.returncode == 2, proc.stderr
    err = proc.stderr.strip()
    assert "Traceback" not in err and len(err.splitlines()) == 1
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err)


def test_bad_ledger_today(tmp_path: Path) -> None:
    proc = run("list", "--db", str(tmp_path / "a.sqlite3"), env={"LEDGER_TODAY": "2023-13-45"})
    assert proc.returncode == 2 and "LEDGER_TODAY" in proc.stderr


def test_second_copy_told_who_has_it(tmp_path: Path) -> None:
    from desktop_app.storage.database import Database

    db = tmp_path / "a.sqlite3"
    with Database(db):
        proc = run("import", str(ROOT / "tests" / "data" / "city-2023.docx"), "--db", str(db))
    assert proc.returncode == 2 and "已被" in proc.stderr


# ------------------------------------------------------------------ export
def _ledger_db(tmp_path: Path, tasks: int = 3) -> Path:
    """A database with one ledger of `tasks` tasks (ledger id 1); tasks 1 and 2 have a journal."""
    from datetime import date

    from desktop_app.domain.deadlines import parse_deadline
    from desktop_app.domain.model import Ledger, Section, Task, TaskStatus
    from desktop_app.services.context import AppContext

    body = "系统梳理已出台发布的各项政策，通过政府网站集中发布，并做好解读回应工作。" * 3
    sections = [
        Section(
            title=f"{s + 1}、板块",
            tasks=[
                Task(
                    number=str(s * 100 + i + 1),
                    key_work=f"重点工作{i // 5}",
                    content=f"第{i + 1}项：{body}",
                    indicator="查看门户网站发布情况",
                    units_text="市政府各部门",
                    deadline=parse_deadline("11月底" if i % 2 else "长期坚持", 2023),
                    progress=f"已发布政策解读{i}篇。" + body,
                )
                for i in range(min(tasks - s * 100, 100))
            ],
        )
        for s in range((tasks + 99) // 100)
    ]
    db = tmp_path / "a.sqlite3"
    with AppContext.open(db) as ctx:
        ledger = ctx.ledgers.add_ledger(Ledger(title="测试台账", year=2023, sections=sections))
        t1, t2 = (t.id for t in ledger.all_tasks()[:2])
        ctx.progress.add_entry(t1, "三月进展", TaskStatus.IN_PROGRESS, 30, entry_date=date(2023, 3, 1))
        ctx.progress.add_entry(t1, "六月完成", TaskStatus.DONE, 100, entry_date=date(2023, 6, 1))
        ctx.progress.add_entry(t2, "五月开始", TaskStatus.IN_PROGRESS, 10, entry_date=date(2023, 5, 1))
    return db


def test_export_format_follows_the_suffix(tmp_path: Path, ooxml_valid) -> None:
    db = _ledger_db(tmp_path)
    for name, head in (("x.pdf", b"%PDF"), ("x.xlsx", b"PK"), ("x.docx", b"PK"), ("x.json", b"{")):
        proc = run("export", "1", "--db", str(db), "-o", str(tmp_path / name))
        assert proc.returncode == 0, proc.stderr
        assert (tmp_path / name).read_bytes().startswith(head), name
    ooxml_valid(tmp_path / "x.xlsx", tmp_path / "x.docx")
    assert json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))["title"] == "测试台账"


def test_export_history_flag_appends_the_progress_history(tmp_path: Path, ooxml_valid) -> None:
    from docx import Document

    db = _ledger_db(tmp_path)
    out = tmp_path / "h.docx"
    proc = run("export", "1", "--db", str(db), "-o", str(out), "--history", "--as-of", "2023-06-30")
    assert proc.returncode == 0, proc.stderr
    ooxml_valid(out)
    doc = Document(str(out))
    assert "附件" in [p.text for p in doc.paragraphs]
    assert [r.cells[3].text for r in doc.tables[-1].rows[1:]] == ["三月进展", "六月完成", "五月开始"]
    assert "进展情况记录" in run("export", "--help").stdout


def test_export_attachments_flag_lists_the_evidence(tmp_path: Path, ooxml_valid) -> None:
    from docx import Document

    from desktop_app.services.context import AppContext

    db = _ledger_db(tmp_path)
    ctx = AppContext.open(db)
    try:
        first = ctx.ledgers.get_ledger(1).all_tasks()[0]
        ctx.progress.add_link(first.id, "https://www.example.gov.cn/1.html", "政策解读专栏")
    finally:
        ctx.close()
    out = tmp_path / "a.docx"
    proc = run("export", "1", "--db", str(db), "-o", str(out), "--attachments")
    assert proc.returncode == 0, proc.stderr
    ooxml_valid(out)
    doc = Document(str(out))
    assert "佐证材料目录" in [p.text for p in doc.paragraphs]
    assert [c.text for c in doc.tables[-1].rows[1].cells][2:5] == ["政策解读专栏", "链接", "https://www.example.gov.cn/1.html"]
    assert "佐证材料目录" in run("export", "--help").stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--format", "docx", "-o", "{tmp}/x.pdf"], "不一致"),
        (["--format", "pdf", "-o", "{tmp}/x.xlsx"], "不一致"),
        (["-o", "{tmp}/x"], "无法确定导出格式"),
        (["-o", "{tmp}/x.doc"], "不支持"),
    ],
)
def test_export_format_contradiction_is_one_sentence(tmp_path: Path, args: list[str], words: str) -> None:
    db = _ledger_db(tmp_path)
    proc = run("export", "1", "--db", str(db), *[a.format(tmp=tmp_path) for a in args])
    assert proc.returncode == 2
    err = proc.stderr.strip()
    assert words in err and len(err.splitlines()) == 1 and "Traceback" not in err
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(("x", ".~"))]


def test_failed_export_keeps_the_existing_file(tmp_path: Path) -> None:
    db = _ledger_db(tmp_path)
    old = tmp_path / "old.docx"
    old.write_bytes(b"last month's report")
    proc = run("export", "1", "--db", str(db), "--round", "9999", "-o", str(old))
    assert proc.returncode == 2 and "报送轮次" in proc.stderr
    assert old.read_bytes() == b"last month's report"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~")]


def test_export_as_of_renders_the_journal_of_that_day(tmp_path: Path) -> None:
    db = _ledger_db(tmp_path)
    out = tmp_path / "april.json"
    assert main(["export", "1", "--db", str(db), "--as-of", "2023-04-01", "-o", str(out)]) == 0
    tasks = [t for s in json.loads(out.read_text(encoding="utf-8"))["sections"] for t in s["tasks"]]
    one, two, three = tasks[:3]
    assert (one["progress"], one["status"], one["percent"]) == ("三月进展", "in_progress", 30)
    assert (two.get("progress"), two["status"], two["percent"]) == (None, "not_started", 0)
    assert [h["text"] for h in one["history"]] == ["三月进展"]
    # a task never journalled, changed (imported) after that day: it had no progress yet
    assert three.get("progress") is None and three["status"] == "not_started"


def test_kill_during_export_never_leaves_a_partial_target(tmp_path: Path, ooxml_valid) -> None:
    """kill -9 at random moments while a large ledger is exported over an existing report: the target is
    the old file or a complete new one, never half of one; the next run removes what the kills left."""
    import random
    import shutil
    import time
    import zipfile

    from desktop_app.exporters.files import is_leftover

    db = _ledger_db(tmp_path, tasks=400)
    out_dir = tmp_path / "out"
    target = out_dir / "台账.docx"
    cmd = [sys.executable, "-m", "desktop_app", "export", "1", "--db", str(db), "-o", str(target)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.monotonic()
    assert run(*cmd[3:]).returncode == 0
    full = time.monotonic() - start
    samples = tmp_path / "samples"
    samples.mkdir()
    rng = random.Random(20231201)
    kept_old = took_new = killed_while_writing = 0
    leftovers_seen: set[str] = set()
    for i in range(20):
        before = target.read_bytes()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if i % 2:  # at a random moment of the run
            time.sleep(rng.uniform(0.05, full))
        else:  # while its temporary file is being written
            mine = f".{proc.pid}-"
            deadline = time.monotonic() + 3 * full
            while time.monotonic() < deadline and proc.poll() is None:
                if any(mine in n for n in os.listdir(out_dir)):
                    time.sleep(rng.uniform(0.0, 0.02))
                    killed_while_writing += any(mine in n for n in os.listdir(out_dir))
                    break
                time.sleep(0.001)
        proc.kill()
        proc.wait()
        data = target.read_bytes()
        if data == before:
            kept_old += 1
        else:
            took_new += 1
            with zipfile.ZipFile(target) as z:
                assert z.testzip() is None
            shutil.copyfile(target, samples / f"{i}.docx")
        others = [n for n in os.listdir(out_dir) if n != target.name]
        assert all(is_leftover(out_dir / n) for n in others), others
        leftovers_seen.update(others)
    if took_new:
        ooxml_valid(*sorted(samples.iterdir()))
    print(
        f"kills: {kept_old} kept the old file, {took_new} left a complete new one; "
        f"{killed_while_writing} while writing; {len(leftovers_seen)} leftovers; one run {full:.1f} s"
    )
    assert kept_old + took_new == 20 and killed_while_writing >= 5 and leftovers_seen
    assert run(*cmd[3:]).returncode == 0  # the next run cleans up after the killed ones
    assert os.listdir(out_dir) == [target.name]
    with zipfile.ZipFile(target) as z:
        assert z.testzip() is None


def test_help_and_usage_errors_are_chinese() -> None:
    import re

    english = re.compile(r"usage|positional|options|show this help|required|invalid|argument|expected")
    for args in (["--help"], ["export", "--help"], ["import", "--help"], ["inspect", "--help"], ["units", "--help"], ["collect", "--help"], ["returns", "--help"], ["score", "--help"]):
        out = run(*args)
        assert out.returncode == 0
        assert "用法：" in out.stdout and not english.search(out.stdout), out.stdout
    for args in (
        ["export"],
        ["bogus"],
        ["export", "abc", "-o", "x.docx"],
        ["export", "1", "-o", "x", "--format"],
    ):
        out = run(*args)
        assert out.returncode == 2
        assert out.stderr.startswith("命令行参数有误") and not english.search(out.stderr), out.stderr


def test_holidays_import_and_list(tmp_path) -> None:
    db = tmp_path / "h.sqlite3"
    notice = ROOT / "tests" / "data" / "holidays" / "2025.txt"
    out = run("holidays", "--year", "2025", "--import-notice", str(notice), "--db", str(db))
    assert out.returncode == 0, out.stderr
    assert "放假 28 天，调休上班 5 天" in out.stdout
    out = run("holidays", "--year", "2025", "--db", str(db))
    assert "2025-01-26\t调休上班\t春节调休上班" in out.stdout
    bad = tmp_path / "bad.txt"
    bad.write_text("各单位要妥善安排值班。", encoding="utf-8")
    out = run("holidays", "--year", "2025", "--import-notice", str(bad), "--db", str(db))
    assert out.returncode == 2 and out.stderr.count("。") == 1


def test_units_lists_and_fills_the_directory(tmp_path: Path, data_dir: Path, capsys) -> None:
    db = str(tmp_path / "a.sqlite3")
    assert main(["import", str(data_dir / "city-2023.docx"), "--db", db]) == 0
    ledger_id = int(capsys.readouterr().out.split()[-1])
    paste = tmp_path / "名录.txt"
    paste.write_text("名称\t类别\t其他名称\t联系人\n市发展和改革委员会\t市政府部门\t市发改委\t张三\n", "utf-8")
    assert main(["units", "--db", db, "--paste", str(paste)]) == 0
    assert "新增 1 个单位" in capsys.readouterr().out
    assert main(["units", "--db", db, "--from-ledger", str(ledger_id), "--json"]) == 0
    out = capsys.readouterr().out
    rows = json.loads(out[out.index("[") :])
    assert rows[0] == {"name": "市发展和改革委员会", "kind": "市政府部门", "aliases": ["市发改委"], "contact": "张三"}
    names = [r["name"] for r in rows]
    assert len(names) > 5 and len(set(names)) == len(names)
    assert not any(n.startswith("各") for n in names)  # generic addressees are not units
    bad = tmp_path / "bad.txt"
    bad.write_text("市财政局\t乱写\n", "utf-8")
    assert main(["units", "--db", db, "--paste", str(bad)]) == 2
    assert "第1行" in capsys.readouterr().err


def test_collect_and_returns(tmp_path: Path, capsys) -> None:
    """Returns made with the program's own exporter, a different unit in the settings each time."""
    from datetime import date

    from desktop_app.domain.model import Ledger, Section, Task, TaskStatus
    from desktop_app.domain.units import parse_units
    from desktop_app.services.context import AppContext

    db = tmp_path / "city.sqlite3"
    folder = tmp_path / "收到"
    folder.mkdir()
    units = "市财政局牵头，各县（市）区人民政府负责"
    with AppContext.open(db) as ctx:
        lid = ctx.ledgers.add_ledger(
            Ledger(
                title="2023年政务公开工作要点台账",
                year=2023,
                sections=[Section(tasks=[Task(number="1", content="公开预算决算", units_text=units, units=parse_units(units))])],
            )
        ).id
        ctx.progress.set_report_dates(lid, [date(2023, 8, 15)])
        ctx.directory.add_pasted("市财政局\t部门\n兴庆区人民政府\t县区政府\n永宁县人民政府\t县区政府\n")
        task_id = ctx.ledgers.get_ledger(lid).all_tasks()[0].id
        for unit, fmt in (("市财政局", "xlsx"), ("兴庆区人民政府", "docx")):
            ctx.settings.set("my_unit", unit)
            ctx.progress.add_entry(task_id, f"{unit}的进展", TaskStatus.IN_PROGRESS, 40)
            ctx.exports.export(lid, fmt, folder / f"{unit}.{fmt}")
    (folder / "说明.docx").write_bytes(b"junk")
    env = {"LEDGER_TODAY": "2023-08-10"}
    out = run("collect", str(folder), "--db", str(db), "--into", str(lid), env=env)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 3
    assert "《兴庆区人民政府.docx》：兴庆区人民政府，报送 1 项任务，新收录" in lines
    assert "《市财政局.xlsx》：市财政局，报送 1 项任务，新收录" in lines
    assert any(x.startswith("《说明.docx》：未收录") for x in lines)
    again = run("collect", str(folder / "市财政局.xlsx"), "--db", str(db), "--into", str(lid), env=env)
    assert again.stdout.strip() == "《市财政局.xlsx》：市财政局，报送 1 项任务，无变化"
    nothing = run("collect", str(folder / "说明.docx"), "--db", str(db), "--into", str(lid), env=env)
    assert nothing.returncode == 2 and nothing.stderr.strip() == "没有收集到任何报送件。请按上面每个文件的原因处理后重试。"
    out = run("returns", str(lid), "--db", str(db), "--json", env={"LEDGER_TODAY": "2023-08-20"})
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert [(r["unit"], r["kind"], r["state"], r["file"]) for r in rows] == [
        ("市财政局", "市政府部门", "submitted", "市财政局.xlsx"),
        ("兴庆区人民政府", "县（市）区政府", "submitted", "兴庆区人民政府.docx"),
        ("永宁县人民政府", "县（市）区政府", "missing", None),
    ]
    assert rows[0]["received"].startswith("2023-08-10")
    assert all(list(r) == ["unit", "kind", "state", "received", "file"] for r in rows)  # the schema, exactly
    late = run("collect", str(folder / "市财政局.xlsx"), "--db", str(db), "--into", str(lid), "--round", "999")
    assert late.returncode == 2 and "轮次 999" in late.stderr
    # the write-up: consolidated ledger (docx/xlsx/json) and the 报送情况通报
    for fmt in ("docx", "xlsx", "json"):
        target = tmp_path / f"汇总.{fmt}"
        done = run("export", str(lid), "--db", str(db), "--consolidated", "--format", fmt, "-o", str(target))
        assert done.returncode == 0 and target.is_file(), done.stderr
    data = json.loads((tmp_path / "汇总.json").read_text("utf-8"))
    assert [(r["unit"], r["progress"]) for r in data["sections"][0]["tasks"][0]["returns"]] == [
        ("市财政局", "市财政局的进展"),
        ("兴庆区人民政府", "兴庆区人民政府的进展"),
    ]
    notice = run("export", str(lid), "--db", str(db), "--notice", "-o", str(tmp_path / "通报.docx"),
                 env={"LEDGER_TODAY": "2023-08-20"})
    assert notice.returncode == 0 and (tmp_path / "通报.docx").is_file(), notice.stderr
    score = run("score", "--db", str(db), "--year", "2023", "--rule", "1,2,0.5", "--assess", str(lid),
                "-o", str(tmp_path / "扣分.xlsx"), env={"LEDGER_TODAY": "2023-08-20"})
    assert score.returncode == 0 and (tmp_path / "扣分.xlsx").is_file(), score.stderr
    assert "永宁县人民政府：第1次报送（8月15日前）未报送，扣 2 分" in score.stdout
    assert "永宁县人民政府\t合计扣 2 分（1 项）" in score.stdout
    bad_rule = run("score", "--db", str(db), "--year", "2023", "--rule", "一分")
    assert bad_rule.returncode == 2 and "逗号" in bad_rule.stderr
    wrong = run("export", str(lid), "--db", str(db), "--notice", "-o", str(tmp_path / "通报.xlsx"))
    assert wrong.returncode == 2 and wrong.stderr.strip() == "报送情况通报只能导出为 Word 文档（.docx）。请把输出文件改为以 .docx 结尾。"


def test_collect_reports_a_file_needing_confirmation_and_stores_nothing_of_it(tmp_path: Path) -> None:
    """A unit typed into the blank form (no identity) and wrote a unit the directory does not know."""
    import docx

    from desktop_app.domain.model import Ledger, Section, Task
    from desktop_app.domain.units import parse_units
    from desktop_app.services.context import AppContext

    db = tmp_path / "city.sqlite3"
    tasks = (("1", "公开预算决算", "市财政局"), ("2", "公开重大建设项目信息", "市发改委"))
    with AppContext.open(db) as ctx:
        lid = ctx.ledgers.add_ledger(
            Ledger(
                title="2023年政务公开工作要点台账",
                year=2023,
                sections=[Section(tasks=[Task(number=n, content=c, units_text=u, units=parse_units(u)) for n, c, u in tasks])],
            )
        ).id
        ctx.directory.add_pasted("市财政局\t部门\n市发展和改革委员会\t部门\t市发改委\n")

    def form(name: str, unit: str) -> Path:
        d = docx.Document()
        d.add_paragraph("2023年政务公开工作要点台账")
        d.add_paragraph(f"填报单位：{unit}　　填报时间：2023年8月10日")
        table = d.add_table(rows=1, cols=3)
        for cell, head in zip(table.rows[0].cells, ("序号", "主要内容", "进展落实情况"), strict=True):
            cell.text = head
        for n, c, _u in tasks:
            for cell, v in zip(table.add_row().cells, (n, c, f"{unit}第{n}项进展"), strict=True):
                cell.text = v
        d.save(str(tmp_path / name))
        return tmp_path / name

    odd = form("报送1.docx", "发展改革部门")
    out = run("collect", str(odd), "--db", str(db), "--into", str(lid))
    assert out.returncode == 2
    assert out.stdout.strip().startswith("《报送1.docx》：需要确认，未收录：填报单位“发展改革部门”不在单位名录中")
    assert out.stderr.strip() == (
        "没有收集到任何报送件：1 个文件需要人工确认，请在“收集报送”窗口中收集它们，其余请按上面的原因处理。"
    )
    good = form("报送2.docx", "市财政局")
    both = run("collect", str(odd), str(good), "--db", str(db), "--into", str(lid))
    assert both.returncode == 0, both.stderr
    assert both.stdout.splitlines()[1] == "《报送2.docx》：市财政局，报送 2 项任务，新收录"
    listed = json.loads(run("returns", str(lid), "--db", str(db), "--json").stdout)
    assert [(r["unit"], r["state"]) for r in listed] == [("市财政局", "submitted"), ("市发展和改革委员会", "missing")]


def _imported(*args: str) -> set[str]:
    """The top-level packages a fresh `python -X importtime -m desktop_app ARGS` imported."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "desktop_app", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    assert "desktop_app" in names  # the measure saw the program's own imports
    return names


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--version"],
        ["inspect", "--help"],
        ["inspect", "{data}/natural-resources-2022.docx"],
        ["inspect", "{data}/natural-resources-2022.xlsx"],
    ],
)
def test_file_only_commands_load_neither_qt_nor_the_database(data_dir: Path, args: list[str]) -> None:
    names = _imported(*(a.format(data=data_dir) for a in args))
    assert not names & {"PySide6", "shiboken6", "sqlalchemy", "alembic"}, sorted(names)
    if args[-1].endswith(".docx") or args[-1] in ("--help", "--version"):
        assert not names & {"openpyxl", "numpy", "docx"}, sorted(names)  # read by our own XML walk


def test_export_xlsx_with_history_sheet(tmp_path: Path, ooxml_valid) -> None:
    import openpyxl

    db = _ledger_db(tmp_path)
    out = tmp_path / "带记录.xlsx"
    proc = run("export", "1", "--db", str(db), "--history", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    ooxml_valid(out)
    wb = openpyxl.load_workbook(out)
    texts = [r[5] for r in wb["进展记录"].iter_rows(min_row=2, values_only=True)]
    assert texts == ["三月进展", "六月完成", "五月开始"]
    assert wb["台账"]["A1"].value == "测试台账"


# ------------------------------------------------------------------ several readers (issue 18)
HOLDER = """
import sys
from desktop_app.storage.database import Database
db = Database(sys.argv[1])
print("ready", flush=True)
sys.stdin.read()
db.close()
"""


def test_read_commands_work_while_another_program_holds_the_database(tmp_path: Path) -> None:
    """The window (another process) holds the file for writing: list, export, returns, holidays, backup
    still work (read-only); import is refused, naming who has it, and the file is unchanged."""
    db = _ledger_db(tmp_path)
    window = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert window.stdout.readline().strip() == "ready"
        listed = run("list", "--db", str(db))
        assert listed.returncode == 0, listed.stderr
        assert [x["title"] for x in json.loads(listed.stdout)] == ["测试台账"]
        out = tmp_path / "held.json"
        exported = run("export", "1", "--db", str(db), "-o", str(out))
        assert exported.returncode == 0, exported.stderr
        assert json.loads(out.read_text(encoding="utf-8"))["title"] == "测试台账"
        returns = run("returns", "1", "--db", str(db), "--json")
        assert returns.returncode == 0, returns.stderr
        assert run("holidays", "--year", "2023", "--db", str(db)).returncode == 0
        backup = run("backup", "--db", str(db), "--to", str(tmp_path / "copies"))
        assert backup.returncode == 0, backup.stderr
        assert len(list((tmp_path / "copies").glob("*.sqlite3"))) == 1
        imported = run("import", str(ROOT / "tests" / "data" / "city-2023.docx"), "--db", str(db))
        assert imported.returncode == 2 and "已被" in imported.stderr
    finally:
        window.stdin.close()
        window.wait(timeout=60)
        window.stdout.close()
    listed = run("list", "--db", str(db))
    assert [x["title"] for x in json.loads(listed.stdout)] == ["测试台账"]  # nothing was added meanwhile


def test_roles_set_list_and_enforced(tmp_path: Path) -> None:
    """roles: 编辑/只读 per ledger stored in the database; a reader's edit is refused in one sentence."""
    from desktop_app.services.context import AppContext

    db = _ledger_db(tmp_path)
    with AppContext.open(db) as ctx:
        ctx.settings.set("contact_person", "张三")
    empty = run("roles", "1", "--db", str(db))
    assert empty.returncode == 0 and "都可以编辑" in empty.stdout
    done = run("roles", "1", "--db", str(db), "--set", "李四=只读", "--set", "王五=编辑")
    assert done.returncode == 0, done.stderr
    assert sorted(done.stdout.splitlines()) == sorted(["张三\t编辑", "李四\t只读", "王五\t编辑"])
    bad = run("roles", "1", "--db", str(db), "--set", "李四=管理员")
    assert bad.returncode == 2 and "只读" in bad.stderr
    with AppContext.open(db) as ctx:
        ctx.settings.set("contact_person", "李四")
    with AppContext.open(db) as ctx:
        assert ctx.people.person == "李四" and not ctx.people.can_edit(1)
        tid = ctx.ledgers.get_ledger(1).all_tasks()[0].id
        from desktop_app.domain.model import LedgerError

        with pytest.raises(LedgerError) as refused:
            ctx.ledgers.update_task(tid, "content", "李四想改")
        assert "只读" in refused.value.message
        assert ctx.ledgers.audit_events(1)[0].person == "张三"  # the last change: 张三 set the roles


def test_derive_prints_the_new_ledger_id_last(tmp_path: Path) -> None:
    """derive CITY_LEDGER_ID --unit 市教育局 --kind 部门: one line of what was taken, the new id last;
    a kind it does not know is one sentence and exit 2, nothing written."""
    db = str(tmp_path / "d.sqlite3")
    assert run("import", str(ROOT / "tests" / "data" / "city-2023.docx"), "--db", db).returncode == 0
    done = run("derive", "1", "--unit", "市教育局", "--kind", "部门", "--db", db)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert "市教育局" in lines[0] and "项任务" in lines[0]
    new_id = int(lines[-1])
    listed = {x["id"]: x for x in json.loads(run("list", "--db", db).stdout)}
    assert new_id in listed and new_id != 1
    bad = run("derive", "1", "--unit", "市教育局", "--kind", "学校", "--db", db)
    assert bad.returncode == 2 and "不认识" in bad.stderr and "Traceback" not in bad.stderr
    assert len(json.loads(run("list", "--db", db).stdout)) == 2


def test_import_prints_the_tasks_it_flagged_and_still_succeeds(tmp_path: Path) -> None:
    """A prose task with no units written (as `inspect` and the wizard flag it): `import` exits 0, says
    which task, and the last line still ends with the ledger's id."""
    import docx

    d = docx.Document()
    for text in (
        "某县人民政府办公室关于印发2024年政务公开工作要点的通知",
        "一、加强重点领域信息公开",
        "1.做好财政预决算公开。按规定公开政府预决算。（县财政局负责落实）",
        "2.做好重大建设项目信息公开。公开项目批准和实施信息。",
        "3.优化政府网站信息公开专栏。（县政府办公室负责落实）",
    ):
        d.add_paragraph(text)
    path = tmp_path / "notice.docx"
    d.save(path)
    inspected = run("inspect", str(path))
    assert inspected.returncode == 0, inspected.stderr
    flagged = json.loads(inspected.stdout)["flagged"]
    assert [(f["task"], "未写明责任单位" in f["reason"]) for f in flagged] == [(1, True)]
    proc = run("import", str(path), "--db", str(tmp_path / "a.sqlite3"))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    notes = [x for x in lines if x.startswith("提示：")]
    assert notes == ["提示：第2项“做好重大建设项目信息公开。公开项…”：原文未写明责任单位（条目末尾的括号）"]
    assert lines[-1].startswith("已导入") and lines[-1].split()[-1].isdecimal()
