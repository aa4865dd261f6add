"""Column roles decided by evidence (importers/roles.py): header words at every level plus what the
cells hold, each decision with a confidence; doubtful ones shown by `inspect` and printed by `import`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl

from desktop_app.importers import load_any
from desktop_app.importers.grid import Cell
from desktop_app.importers.roles import DOUBTFUL, decide

ROOT = Path(__file__).resolve().parents[2]


def _cells(*texts: str) -> list[Cell]:
    return [Cell(t, i) for i, t in enumerate(texts)]


def _decide(headers: list[str], columns: list[list[str]]):
    return decide(headers, [headers], [_cells(*c) for c in columns])


def test_headers_no_list_holds_are_decided_by_their_words_and_cells() -> None:
    got = _decide(
        ["序号", "项目", "内容", "单位", "完成日期", "分管领导"],
        [
            ["1", "2", "3"],
            ["平台建设", "平台建设", "依申请公开"],
            [
                "完成政府网站信息公开专栏栏目调整。",
                "政务新媒体每月至少更新4次。",
                "规范依申请公开答复文书格式。",
            ],
            ["区政务服务中心", "区委网信办、区政府办", "区司法局"],
            ["2024年6月30日", "2024年3月31日", "每季度"],
            ["刘副局长", "刘副局长", "陈副局长"],
        ],
    )
    assert [d.field for d in got] == ["number", "key_work", "content", "units", "deadline", "extra:分管领导"]
    assert all(not d.doubtful for d in got)
    assert "人员" in got[5].reason  # a 领导 is a person, not a unit


def test_cells_that_contradict_their_header_make_the_decision_doubtful() -> None:
    got = _decide(
        ["序号", "主要内容", "完成时限"],
        [
            ["1", "2"],
            ["公开财政预决算信息。", "公开重点项目信息。"],
            ["按规定及时公开财政预决算和三公经费信息", "在政府网站集中公开重大建设项目批准和实施信息"],
        ],
    )
    assert got[2].field == "deadline" and got[2].confidence < DOUBTFUL
    assert "完成时限" in got[2].reason


def test_a_column_with_nothing_said_about_it_is_doubtful() -> None:
    got = _decide(
        ["序号", "工作任务", "责任单位", "甲"], [["1"], ["开展政策解读。"], ["市政府办公室"], ["x7"]]
    )
    assert got[3].field.startswith("extra:") and got[3].doubtful


def _sheet(path: Path, rows: list[list[str]]) -> Path:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def _run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_inspect_reports_decisions_and_import_prints_what_was_guessed(tmp_path: Path) -> None:
    path = _sheet(
        tmp_path / "vague.xlsx",
        [
            ["序号", "任务", "单位", "备忘"],
            ["1", "公开财政预决算信息，接受社会监督。", "县财政局", "x1"],
            ["2", "公开重大建设项目批准和实施信息。", "县发改局", "x2"],
        ],
    )
    result = load_any(path)
    assert result.tables[0].doubtful() == [3]
    proc = _run("inspect", str(path))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    by_header = {d["header"]: d for d in data["column_decisions"]}
    assert by_header["序号"]["field"] == "number" and by_header["序号"]["confidence"] >= 0.9
    assert by_header["任务"]["field"] == "content" and not by_header["任务"]["doubtful"]
    assert by_header["备忘"]["doubtful"] and by_header["备忘"]["reason"]
    assert by_header["单位"]["field"] == "units"
    assert len(data["missing_columns"]) == 1 and "完成时限" in data["missing_columns"][0]

    proc = _run("import", str(path), "--db", str(tmp_path / "a.sqlite3"))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert lines[-1].startswith("已导入") and "台账编号" in lines[-1]
    notes = [x for x in lines if x.startswith("提示：")]
    assert any("“备忘”" in x and "把握不大" in x for x in notes)
    assert any("没有找到“完成时限”列" in x for x in notes)


def test_a_table_of_plain_words_is_read_not_refused(tmp_path: Path) -> None:
    path = _sheet(
        tmp_path / "plain.xlsx",
        [
            ["序号", "项目", "内容", "单位", "时间"],
            ["1", "平台建设", "完成政府网站信息公开专栏栏目调整。", "区政务服务中心", "2023年6月底前"],
            ["2", None, "政务新媒体每月至少更新4次。", "区委网信办、区政府办", "每月"],
        ],
    )
    tasks = load_any(path).ledger.all_tasks()
    assert [t.content for t in tasks] == ["完成政府网站信息公开专栏栏目调整。", "政务新媒体每月至少更新4次。"]
    assert [u.name for u in tasks[1].units] == ["区委网信办", "区政府办"]
    assert tasks[0].deadline.text == "2023年6月底前"


def _ledgers_in(db: str) -> list[tuple[int, int]]:
    import sqlite3

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute(
            "SELECT l.id, (SELECT count(*) FROM task t WHERE t.ledger_id = l.id) FROM ledger l ORDER BY l.id"
        ).fetchall()
    finally:
        con.close()


def test_importing_the_same_file_twice_on_the_command_line_says_so(tmp_path: Path) -> None:
    """As the wizard asks: the same file again writes nothing and says how to go on; --new imports a
    second copy; --update N brings ledger N up to date from the file."""
    path = ROOT / "tests" / "data" / "natural-resources-2022.xlsx"
    db = str(tmp_path / "a.sqlite3")
    first = _run("import", str(path), "--db", db)
    assert first.returncode == 0 and "已导入为台账" not in first.stdout
    ledger_id = int(first.stdout.split()[-1])
    stored = _ledgers_in(db)
    again = _run("import", str(path), "--db", db)
    assert again.returncode == 0, again.stderr
    (line,) = again.stdout.splitlines()  # one sentence, ending with the ledger's id like every import
    assert "已导入为台账" in line and "数据库没有改动" in line
    assert f"--update {ledger_id}" in line and "--new" in line and line.split()[-1] == str(ledger_id)
    assert _ledgers_in(db) == stored  # nothing written

    update = _run("import", str(path), "--db", db, "--update", str(ledger_id))
    assert update.returncode == 0, update.stderr
    assert "与文件内容一致" in update.stdout and update.stdout.split()[-1] == str(ledger_id)
    assert _ledgers_in(db) == stored

    copy = _run("import", str(path), "--db", db, "--new")
    assert copy.returncode == 0, copy.stderr
    assert _ledgers_in(db) == stored + [(int(copy.stdout.split()[-1]), stored[0][1])]

    missing = _run("import", str(path), "--db", db, "--update", "999")
    assert missing.returncode == 2 and "没有编号为 999 的台账" in missing.stderr
    both = _run("import", str(path), "--db", db, "--update", str(ledger_id), "--new")
    assert both.returncode != 0
    assert len(_ledgers_in(db)) == 2


def test_update_on_the_command_line_takes_the_files_changes(tmp_path: Path) -> None:
    rows = [
        ["序号", "重点工作", "主要内容", "责任单位", "完成时限"],
        ["1", "财政公开", "公开预决算信息。", "县财政局", "3月底前"],
        ["2", "审计公开", "公开审计结果。", "县审计局", "年底前"],
    ]
    db = str(tmp_path / "a.sqlite3")
    first = _run("import", str(_sheet(tmp_path / "a.xlsx", rows)), "--db", db)
    ledger_id = int(first.stdout.split()[-1])
    rows[2][2] = "公开审计结果及整改情况。"
    rows.append(["3", "审计公开", "公开审计整改情况。", "县审计局", "年底前"])
    update = _run("import", str(_sheet(tmp_path / "b.xlsx", rows)), "--db", db, "--update", str(ledger_id))
    assert update.returncode == 0, update.stderr
    assert "1 项任务的内容有变化，新增 1 项" in update.stdout
    assert _ledgers_in(db) == [(ledger_id, 3)]


def test_headings_and_numbers_under_task_headers_are_key_work_and_number(tmp_path: Path) -> None:
    """工作任务 spanning "一、…" | "（一）…" and 具体要求 spanning the number and the text (荆州's layout)."""
    import docx

    rows = [
        ["工作任务", "工作任务", "具体要求", "具体要求", "责任单位", "时限要求"],
        ["一、助力经济发展", "（一）加强市场主体信息公开", "1", "公开涉企政策的解读和执行情况。", "市发展改革委", "持续推进"],
        ["", "", "2", "开设行业帮扶政策公开专题。", "市商务局", "6月底前"],
        ["二、助力社会稳定", "（二）加强就业信息公开", "3", "及时公开就业创业扶持政策。", "市人社局", "持续推进"],
    ]
    doc = docx.Document()
    table = doc.add_table(rows=len(rows), cols=6)
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            table.cell(i, j).text = text if (i, j) not in ((0, 1), (0, 3)) else ""
    table.cell(0, 0).merge(table.cell(0, 1))  # merged cells keep the first cell's text
    table.cell(0, 2).merge(table.cell(0, 3))
    table.cell(1, 0).merge(table.cell(2, 0))
    table.cell(1, 1).merge(table.cell(2, 1))
    path = tmp_path / "levels.docx"
    doc.save(path)
    result = load_any(path)
    assert result.tables[0].fields[:4] == ["key_work", "key_work", "number", "content"]
    tasks = result.ledger.all_tasks()
    assert [(t.number, t.key_work, t.content) for t in tasks] == [
        ("1", "加强市场主体信息公开", "公开涉企政策的解读和执行情况。"),
        ("2", "加强市场主体信息公开", "开设行业帮扶政策公开专题。"),
        ("3", "加强就业信息公开", "及时公开就业创业扶持政策。"),
    ]
    # the outer headings are the parts of the ledger
    assert [s.title for s in result.ledger.sections] == ["一、助力经济发展", "二、助力社会稳定"]


def test_a_scoring_table_without_a_task_column_takes_its_indicator_as_the_task(tmp_path: Path) -> None:
    path = _sheet(
        tmp_path / "score.xlsx",
        [
            ["编号", "考核指标", "评分标准", "分值", "责任部门", "完成时间"],
            ["1", "政策解读率达到100%", "每缺一篇扣1分", "5", "市政府办", "全年"],
            ["2", "依申请公开按时答复", "超期一件扣2分", "10", "各部门", "全年"],
        ],
    )
    result = load_any(path)
    assert result.tables[0].fields[:3] == ["number", "content", "indicator"]
    assert "没有任务列" in result.tables[0].reasons[1]
    tasks = result.ledger.all_tasks()
    assert [(t.number, t.content, t.indicator, t.extra["分值"]) for t in tasks] == [
        ("1", "政策解读率达到100%", "每缺一篇扣1分", "5"),
        ("2", "依申请公开按时答复", "超期一件扣2分", "10"),
    ]
