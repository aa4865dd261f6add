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
