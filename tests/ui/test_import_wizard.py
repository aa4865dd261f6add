"""Import wizard: parsed off the GUI thread, tree of sections/tasks, column mapping, flagged rows, sheets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QComboBox

from desktop_app.ui.dialogs.import_wizard import FLAG_BG, ImportWizard

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def wizard_for(window, qtbot):
    made = []

    def make(path: Path) -> ImportWizard:
        wizard = ImportWizard(window.ctx, path, window.runner, window)
        qtbot.addWidget(wizard)
        qtbot.waitUntil(lambda: wizard.result is not None or wizard.error is not None, timeout=20000)
        made.append(wizard)
        return wizard

    yield make
    window.runner.wait()


def test_shows_sections_tasks_and_mapping(wizard_for):
    wizard = wizard_for(DATA / "city-2023.docx")
    assert wizard.tree.topLevelItemCount() == 4
    assert sum(wizard.tree.topLevelItem(i).childCount() for i in range(4)) == 39
    assert wizard.import_button.isEnabled()
    assert wizard.mapping.rowCount() == 8  # the four identical tables share one mapping
    combo = wizard.mapping.cellWidget(6, 2)
    assert isinstance(combo, QComboBox) and combo.currentData() == "deadline"
    assert "39 项任务" in wizard.status.text()


def test_correcting_the_mapping_reparses(wizard_for, qtbot):
    wizard = wizard_for(DATA / "city-2023.docx")
    indicator = next(c for _t, col, c in wizard._combos if c.currentData() == "indicator")
    indicator.setCurrentIndex(indicator.findData("remarks"))
    assert wizard.overrides()
    first = wizard.result
    wizard.reparse_button.click()
    qtbot.waitUntil(lambda: wizard.result is not first and not wizard.busy, timeout=20000)
    task = wizard.result.ledger.all_tasks()[0]
    assert task.indicator == "" and task.remarks.startswith("查看")


def test_unreadable_deadlines_are_highlighted(window, wizard_for, tmp_path):
    from docx import Document

    doc = Document()
    table = doc.add_table(rows=3, cols=4)
    for row, values in enumerate(
        (
            ["序号", "主要内容", "责任单位", "完成时限"],
            ["1", "发布信息", "市财政局", "11月底"],
            ["2", "开展活动", "市教育局", "待定时再说"],
        )
    ):
        for col, text in enumerate(values):
            table.rows[row].cells[col].text = text
    path = tmp_path / "flagged.docx"
    doc.save(path)
    wizard = wizard_for(path)
    section = wizard.tree.topLevelItem(0)
    flagged = [
        section.child(i)
        for i in range(section.childCount())
        if section.child(i).background(0).color() == FLAG_BG
    ]
    assert [i.text(0) for i in flagged] == ["2"]
    assert "未能识别" in wizard.status.text()


def test_import_saves_on_accept(window, wizard_for):
    wizard = wizard_for(DATA / "natural-resources-2022.xlsx")
    wizard.accept()
    assert wizard.ledger is not None and wizard.ledger.id is not None
    assert len(window.ctx.ledgers.get_ledger(wizard.ledger.id).all_tasks()) == 45


def test_a_bad_file_gives_one_sentence(wizard_for, tmp_path):
    bad = tmp_path / "坏文件.docx"
    bad.write_bytes(b"not a zip")
    wizard = wizard_for(bad)
    assert wizard.error and "坏文件.docx" in wizard.error
    assert "Traceback" not in wizard.status.text()
    assert not wizard.import_button.isEnabled()


def test_window_import_flow_through_the_menu(window, qtbot, monkeypatch):
    monkeypatch.setattr(window, "ask_open_file", lambda: DATA / "city-2023.docx")

    def run(dialog):
        qtbot.waitUntil(lambda: dialog.result is not None, timeout=20000)
        dialog.accept()
        return True

    monkeypatch.setattr(window, "run_dialog", run)
    window.acts.import_file.trigger()
    assert window.model.total_count == 39
    assert window.stack.currentWidget() is window.tabs


def test_sheet_choice_when_several_sheets(wizard_for, tmp_path, qtbot):
    from openpyxl import Workbook

    wb = Workbook()
    for n, name in enumerate(("甲单位", "乙单位")):
        ws = wb.active if n == 0 else wb.create_sheet()
        ws.title = name
        ws.append(["序号", "主要内容", "责任单位", "完成时限"])
        for i in range(3 + n):
            ws.append([str(i + 1), f"{name}任务{i + 1}", name, "11月底"])
    path = tmp_path / "two.xlsx"
    wb.save(path)
    wizard = wizard_for(path)
    assert not wizard.sheet_combo.isHidden()
    assert wizard.sheet_combo.count() == 2
    first = wizard.result
    wizard.sheet_combo.setCurrentIndex(wizard.sheet_combo.findText("甲单位"))
    wizard.parse()  # what choosing a sheet in the combo does
    qtbot.waitUntil(lambda: wizard.result is not first and not wizard.busy, timeout=20000)
    assert wizard.result.sheet == "甲单位"
    assert len(wizard.result.ledger.all_tasks()) == 3


def test_our_json_keeps_its_history(window, wizard_for, tmp_path):
    from desktop_app.ui.file_flows import sample_path

    wizard = wizard_for(sample_path())
    assert wizard.result.source_kind == "json"
    wizard.accept()
    tasks = window.ctx.ledgers.get_ledger(wizard.ledger.id).all_tasks()
    with_history = [t for t in tasks if window.ctx.progress.history(t.id)]
    assert len(with_history) >= 5


def _report_edited_in_word(window, tmp_path: Path) -> Path:
    """Our Word report of a department's ledger, with task 2's progress retyped in Word."""
    import zipfile

    ledger = window.ctx.imports.import_file(DATA / "natural-resources-2022.docx")
    tasks = ledger.all_tasks()
    for t in tasks[:3]:
        window.ctx.ledgers.update_task(t.id, "progress", f"程序中的进展{t.number}")
    exported = window.ctx.exports.export(ledger.id, "docx", tmp_path / "报告.docx")
    edited = tmp_path / "报告-改.docx"
    with zipfile.ZipFile(exported) as z, zipfile.ZipFile(edited, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            data = z.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(f"程序中的进展{tasks[1].number}".encode(), "在Word中改写".encode())
            out.writestr(info.filename, data)
    check = subprocess.run(
        [sys.executable, os.environ["OOXML_VALIDATOR"], str(exported), str(edited)],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout
    return edited


def test_edits_made_in_word_are_listed_and_imported(window, wizard_for, tmp_path):
    path = _report_edited_in_word(window, tmp_path)
    wizard = wizard_for(path)
    assert wizard.result.source_kind == "embedded"
    assert not wizard.changes.isHidden()
    assert [wizard.changes.item(i).text() for i in range(wizard.changes.count())] == [
        "第2项：推进情况 已在文件中修改"
    ]
    assert "1 项任务在文件中有改动" in wizard.status.text()
    wizard.accept()
    tasks = window.ctx.ledgers.get_ledger(wizard.ledger.id).all_tasks()
    assert [t.progress for t in tasks[:3]] == ["程序中的进展1", "在Word中改写", "程序中的进展3"]


# ---- the decision shown, doubtful columns, missing columns, remembered corrections -----------------------
def _xlsx(path: Path, rows: list[list]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


LONG = "对行政规范性文件进行全面清理，并向社会公布现行有效行政规范性文件目录，接受社会监督。"


def _vague(path: Path, unit: str = "县财政局") -> Path:
    return _xlsx(
        path,
        [
            ["序号", "任务", "单位", "备忘"],
            ["1", LONG, unit, "x1"],
            ["2", "公开重大建设项目批准和实施信息。", "县发改局", "x2"],
        ],
    )


def test_doubtful_columns_stop_the_import_until_looked_at(wizard_for, qtbot, tmp_path):
    wizard = wizard_for(_vague(tmp_path / "vague.xlsx"))
    assert wizard._doubtful == {(0, 3)}
    assert not wizard.import_button.isEnabled() and not wizard.confirm.isHidden()
    assert "1 列把握不大" in wizard.status.text()
    row = next(r for r in range(wizard.mapping.rowCount()) if wizard.mapping.item(r, 1).text() == "备忘")
    assert wizard.mapping.item(row, 1).background().color() == FLAG_BG
    assert wizard.mapping.item(row, 3).text().endswith("%") and wizard.mapping.item(row, 4).text()
    wizard.confirm.setChecked(True)
    assert wizard.import_button.isEnabled()
    # or: correct it (in the preview's drop-down) and read again; nothing doubtful is left
    role = wizard.preview.cellWidget(0, 3)
    role.setCurrentIndex(role.findData("remarks"))
    combo = wizard.mapping.cellWidget(row, 2)
    assert combo.currentData() == "remarks"  # the preview and the list are one choice
    first = wizard.result
    wizard.reparse_button.click()
    qtbot.waitUntil(lambda: wizard.result is not first and not wizard.busy, timeout=20000)
    assert not wizard._doubtful and wizard.import_button.isEnabled() and wizard.confirm.isHidden()
    assert wizard.result.ledger.all_tasks()[0].remarks == "x1"


def test_preview_shows_the_first_rows_roles_and_whole_cells(wizard_for, tmp_path):
    wizard = wizard_for(_vague(tmp_path / "vague.xlsx"))
    assert wizard.preview.rowCount() == 3  # the role row and two data rows
    assert [wizard.preview.cellWidget(0, c).currentData() for c in range(3)] == ["number", "content", "units"]
    assert wizard.preview.item(1, 1).text() == LONG
    task = wizard.tree.topLevelItem(0).child(0)
    assert task.text(1) == LONG  # the whole content, not its first dozen characters
    assert wizard.tree.columnWidth(1) > 2 * wizard.tree.columnWidth(2) or wizard.tree.wordWrap()
    assert "没有找到“完成时限”列" in wizard.status.text()  # and what that means
    assert "逾期" in wizard.status.text()


def test_a_correction_is_remembered_for_files_of_the_same_shape(window, wizard_for, qtbot, tmp_path):
    wizard = wizard_for(_vague(tmp_path / "2023.xlsx"))
    combo = next(c for _t, col, c in wizard._combos if col == 3)
    combo.setCurrentIndex(combo.findData("remarks"))
    first = wizard.result
    wizard.reparse_button.click()
    qtbot.waitUntil(lambda: wizard.result is not first and not wizard.busy, timeout=20000)
    wizard.accept()
    assert wizard.ledger is not None
    # next year's ledger, same headers: read with the correction, no question asked
    nxt = wizard_for(_vague(tmp_path / "2024.xlsx", unit="县审计局"))
    assert nxt.result.tables[0].fields[3] == "remarks"
    assert "沿用上次" in nxt.result.tables[0].reasons[3]
    assert not nxt._doubtful and nxt.import_button.isEnabled()
    assert nxt.result.ledger.all_tasks()[1].remarks == "x2"


@pytest.mark.parametrize("choice", ["update", "open", "new", None])
def test_the_same_file_again_is_said_and_an_update_offered(window, wizard_for, choice):
    path = DATA / "natural-resources-2022.xlsx"
    first = window.ctx.imports.import_file(path)
    before = len(window.ctx.ledgers.list_ledgers())
    wizard = wizard_for(path)
    asked = []
    wizard.ask_duplicate = lambda same: asked.append(same) or choice
    wizard.accept()
    assert [s.id for s in asked] == [first.id]
    after = len(window.ctx.ledgers.list_ledgers())
    if choice is None:  # stays in the wizard, nothing stored
        assert wizard.ledger is None and after == before and wizard.result is not None
    elif choice == "new":
        assert after == before + 1 and wizard.ledger.id != first.id
    else:
        assert after == before and wizard.ledger.id == first.id
        if choice == "update":
            assert "与文件内容一致" in wizard.outcome_text
        else:
            assert "已打开" in wizard.outcome_text


def test_update_takes_the_files_changes_and_keeps_the_progress(window, tmp_path):
    a = _vague(tmp_path / "a.xlsx")
    ledger = window.ctx.imports.import_file(a)
    t1 = ledger.all_tasks()[0]
    window.ctx.ledgers.update_task(t1.id, "progress", "已清理完毕")
    b = _xlsx(
        tmp_path / "a.xlsx",
        [
            ["序号", "任务", "单位", "备忘"],
            ["1", LONG, "县司法局", "x1"],
            ["2", "公开重大建设项目批准和实施信息。", "县发改局", "x2"],
            ["3", "公开审计结果。", "县审计局", "x3"],
        ],
    )
    outcome = window.ctx.imports.update_from(ledger.id, window.ctx.imports.inspect(b))
    assert (outcome.changed, outcome.added, outcome.unchanged) == (1, 1, 1)
    tasks = window.ctx.ledgers.get_ledger(ledger.id).all_tasks()
    assert [u.name for u in tasks[0].units] == ["县司法局"] and tasks[0].progress == "已清理完毕"
    assert [t.content for t in tasks][-1] == "公开审计结果。"


def test_a_file_that_is_no_ledger_says_so_and_shows_the_way_on(wizard_for, qtbot, tmp_path):
    from docx import Document

    doc = Document()
    doc.add_paragraph("会议纪要")
    table = doc.add_table(rows=4, cols=3)
    for r, values in enumerate(
        (
            ["甲", "乙", "丙"],
            ["1", "公开财政预决算信息。", "县财政局"],
            ["2", "公开审计结果。", "县审计局"],
            ["3", "公开统计数据。", "县统计局"],
        )
    ):
        for c, text in enumerate(values):
            table.rows[r].cells[c].text = text
    path = tmp_path / "纪要.docx"
    doc.save(path)
    wizard = wizard_for(path)
    assert not wizard.not_ledger.isHidden() and wizard.split.isHidden()
    text = wizard.not_ledger_text.text()
    assert "没有找到任务台账" in text and "选择其他文件" in text and "手动指定" in text
    assert not wizard.import_button.isEnabled() and not wizard.by_hand_button.isHidden()
    # the way on: name the columns by hand, read again, import
    wizard.by_hand_button.click()
    assert not wizard.split.isHidden() and wizard.mapping.rowCount() == 3
    for col, field in ((0, "number"), (1, "content"), (2, "units")):
        combo = next(c for _t, column, c in wizard._combos if column == col)
        combo.setCurrentIndex(combo.findData(field))
    wizard.reparse_button.click()
    qtbot.waitUntil(lambda: wizard.result is not None and not wizard.busy, timeout=20000)
    tasks = wizard.result.ledger.all_tasks()
    assert [t.content for t in tasks] == ["公开财政预决算信息。", "公开审计结果。", "公开统计数据。"]
    assert [t.units[0].name for t in tasks] == ["县财政局", "县审计局", "县统计局"]
    assert wizard.import_button.isEnabled()


def test_a_file_that_is_no_ledger_lets_another_file_be_chosen(wizard_for, qtbot, tmp_path):
    path = _xlsx(tmp_path / "名单.xlsx", [["姓名", "电话"], ["张三", "123"]])
    wizard = wizard_for(path)
    assert not wizard.not_ledger.isHidden()
    wizard.ask_other_file = lambda: DATA / "natural-resources-2022.xlsx"
    wizard.other_button.click()
    qtbot.waitUntil(lambda: wizard.result is not None and not wizard.busy, timeout=20000)
    assert wizard.not_ledger.isHidden() and len(wizard.result.ledger.all_tasks()) == 45
    assert wizard.path.name == "natural-resources-2022.xlsx" and wizard.import_button.isEnabled()
