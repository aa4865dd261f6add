"""Export dialog and the export flow: formats, public edition findings, fill-back, report round."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop_app.ui.dialogs.export_dialog import ExportDialog
from desktop_app.ui.file_flows import run_export
from desktop_app.ui.models.task_table_model import COLUMN_INDEX


@pytest.fixture
def dialog(city, qtbot):
    d = ExportDialog(city.ctx, city.current_ledger(), city, for_report=True)
    qtbot.addWidget(d)
    return d


def test_defaults_and_fill_back_only_for_docx(dialog):
    assert dialog.format.currentData() == "docx"
    assert dialog.fill_back.isEnabled()  # imported from city-2023.docx
    dialog.format.setCurrentIndex(dialog.format.findData("xlsx"))
    assert not dialog.fill_back.isEnabled()
    assert dialog.path.text().endswith(".xlsx")
    assert dialog.round.currentData() is not None  # for a report: the next round is preselected


def test_public_edition_lists_findings_with_mask_choice(city, qtbot):
    task = next(t for t in city.model.tasks() if t.number == "3")
    city.model.setData(
        city.model.index(city.model.row_of_task(task.id), COLUMN_INDEX["progress"]),
        "联系人张三，电话 13812345678",
    )
    d = ExportDialog(city.ctx, city.current_ledger(), city)
    qtbot.addWidget(d)
    d.public.setChecked(True)
    # the contact's name, the mobile, and the office hotline 0951—5556666 printed in the city's table
    items = [d.findings.topLevelItem(i) for i in range(d.findings.topLevelItemCount())]
    assert len(items) == 3
    item = next(i for i in items if "13812345678" in i.text(3))
    assert any("张三" in i.text(3) for i in items) and any("5556666" in i.text(3) for i in items)
    assert d.decisions() == {i.data(0, Qt.UserRole): True for i in items}
    item.setCheckState(0, Qt.Unchecked)
    assert [k for k, v in d.decisions().items() if not v] == [item.data(0, Qt.UserRole)]


def test_export_runs_in_the_background_and_marks_the_round(city, dialog, tmp_path, qtbot):
    dialog.path.setText(str(tmp_path / "报送.docx"))
    request = dialog.request()
    round_id = request.round_id
    run_export(city, request)
    qtbot.waitUntil(lambda: not city.runner.busy, timeout=30000)
    assert (tmp_path / "报送.docx").stat().st_size > 0
    rounds = {r.id: r for r in city.ctx.progress.rounds(city.current_ledger().id)}
    assert rounds[round_id].submitted_at is not None


def test_export_flow_from_the_menu(city, tmp_path, qtbot, monkeypatch):
    def run(dialog):
        dialog.format.setCurrentIndex(dialog.format.findData("xlsx"))
        dialog.path.setText(str(tmp_path / "台账.xlsx"))
        return True

    monkeypatch.setattr(city, "run_dialog", run)
    city.acts.export.trigger()
    qtbot.waitUntil(lambda: not city.runner.busy, timeout=30000)
    assert (tmp_path / "台账.xlsx").exists()
    assert city.last_export == tmp_path / "台账.xlsx"


def test_pdf_export_goes_through_printing(city, tmp_path, monkeypatch):
    target = tmp_path / "台账.pdf"
    monkeypatch.setattr(city, "ask_save_file", lambda name, filters: target)
    city.filter_bar.search.setText("回头看")
    city.export_pdf()
    assert target.exists() and target.read_bytes().startswith(b"%PDF")


def test_export_errors_are_one_sentence(city, tmp_path, qtbot):
    shown = []
    city.show_error = shown.append
    d = ExportDialog(city.ctx, city.current_ledger(), city)
    qtbot.addWidget(d)
    d.format.setCurrentIndex(d.format.findData("xlsx"))
    d.fill_back.setEnabled(True)
    d.fill_back.setChecked(True)  # refused by the service: fill-back is Word only
    d.path.setText(str(tmp_path / "x.xlsx"))
    run_export(city, d.request())
    qtbot.waitUntil(lambda: bool(shown), timeout=30000)
    assert "Word" in shown[0] and "\n" not in shown[0]
    assert not Path(tmp_path / "x.xlsx").exists()


def test_print_preview_gets_the_tasks_in_view(city, monkeypatch):
    from desktop_app.ui import printing

    shown = []
    monkeypatch.setattr(printing, "show_print_preview", lambda parent, doc, run=None: shown.append(doc))
    city.filter_bar.search.setText("回头看")
    city.acts.print_preview.trigger()
    assert len(shown) == 1 and isinstance(shown[0], printing.PrintJob)
    text = shown[0].text().replace("\n", "")  # a cell's lines joined
    assert "回头看" in text and "稳岗就业" not in text  # only what the table shows


def test_pdf_through_the_export_dialog(city, tmp_path, qtbot):
    d = ExportDialog(city.ctx, city.current_ledger(), city)
    d.format.setCurrentIndex(d.format.findData("pdf"))
    d.path.setText(str(tmp_path / "报送.pdf"))
    run_export(city, d.request())  # off the GUI thread like every other format (exporters.pdf_report)
    qtbot.waitUntil(lambda: getattr(city, "last_export", None) == tmp_path / "报送.pdf", timeout=60000)
    assert (tmp_path / "报送.pdf").read_bytes().startswith(b"%PDF")
    d.deleteLater()


def test_report_is_named_after_its_round_and_the_folder_is_remembered(city, dialog, tmp_path, qtbot):
    due = next(
        r.due_date
        for r in city.ctx.progress.rounds(city.current_ledger().id)
        if r.id == dialog.round.currentData()
    )
    assert Path(dialog.path.text()).name.endswith(f"_{due.month}月{due.day}日报送.docx")
    folder = tmp_path / "报送件"
    folder.mkdir()
    dialog.path.setText(str(folder / "x.docx"))
    asked = []
    dialog.confirm_submit = lambda text: asked.append(text) or True
    dialog.accept()
    assert len(asked) == 1 and "待更新" in asked[0]
    again = ExportDialog(city.ctx, city.current_ledger(), city, for_report=True)
    qtbot.addWidget(again)
    assert Path(again.path.text()).parent == folder  # the last folder of this kind, not the home folder
    again.round.setCurrentIndex(0)  # not a report: the date names it
    assert "报送" not in Path(again.path.text()).name
    again.reject()


def test_print_preview_gets_the_selection(city, monkeypatch):
    from PySide6.QtCore import QItemSelectionModel

    from desktop_app.ui import printing

    shown = []
    monkeypatch.setattr(printing, "show_print_preview", lambda parent, doc, run=None: shown.append(doc))
    view = city.task_view
    rows = [r for r in range(city.model.rowCount()) if city.model.task_id_at(r) is not None][2:4]
    view.clearSelection()
    for r in rows:
        view.selectionModel().select(
            city.model.index(r, 0), QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        )
    city.acts.print_preview.trigger()
    chosen = [city.model.task(city.model.task_id_at(r)) for r in rows]
    assert [t.id for t in shown[0].tasks] == [t.id for t in chosen]  # the two selected rows, nothing else


def test_marking_a_round_is_asked_first_and_no_means_back_to_the_dialog(city, dialog, tmp_path):
    """生成报送文件 asks "记为已报送？仍有 N 项待更新" before marking; 返回修改 keeps the dialog open."""
    ledger_id = city.current_ledger().id
    pending = city.ctx.exports.pending_for_round(ledger_id, dialog.round.currentData())
    assert pending > 0  # the city ledger was just imported: nothing updated yet
    dialog.path.setText(str(tmp_path / "r.docx"))
    asked = []
    dialog.confirm_submit = lambda text: asked.append(text) or False
    dialog.accept()
    assert asked and f"仍有 {pending} 项待更新" in asked[0] and "记为已报送？" in asked[0]
    assert dialog.result() == 0 and not (tmp_path / "r.docx").exists()
    dialog.round.setCurrentIndex(0)  # 不作为报送: nothing to ask
    asked.clear()
    dialog.accept()
    assert not asked and dialog.result() == 1


def test_progress_after_the_as_of_day_is_pointed_out(city, dialog):
    """进展截至 set before the last recorded entries: "N 项在该日期之后才有进展记录"."""
    from datetime import timedelta

    from PySide6.QtCore import QDate

    from desktop_app.domain import clock

    for t in city.current_ledger().all_tasks()[:3]:
        city.ctx.progress.add_entry(t.id, "已完成部署", "in_progress", 50, entry_date=clock.today())
    dialog.as_of.setDate(QDate(clock.today() - timedelta(days=1)))
    assert dialog.later_note.isVisibleTo(dialog)
    assert dialog.later_note.text().startswith("3 项在该日期之后才有进展记录")
    dialog.as_of.setDate(QDate(clock.today()))
    assert not dialog.later_note.isVisibleTo(dialog)


def test_history_and_evidence_list_are_chosen_in_the_dialog(city, tmp_path, qtbot, monkeypatch):
    """附进展记录 (Word, Excel) and 附佐证材料目录 (Word) from the menu's dialog reach the file; neither is
    offered for PDF/OFD/JSON or the city's own form (按原表填报)."""
    from docx import Document

    task = next(t for t in city.model.tasks() if t.number == "3")
    city.ctx.progress.add_link(task.id, "https://www.example.gov.cn/zwgk/3.html", "专栏截图链接")
    city.ctx.progress.add_entry(task.id, "已上线专栏", "in_progress", 40)
    seen = {}

    def run(dialog):
        for fmt in ("pdf", "ofd", "json"):
            dialog.format.setCurrentIndex(dialog.format.findData(fmt))
            assert not dialog.with_history.isEnabled() and not dialog.with_attachments.isEnabled()
        dialog.format.setCurrentIndex(dialog.format.findData("xlsx"))
        assert dialog.with_history.isEnabled() and not dialog.with_attachments.isEnabled()
        dialog.format.setCurrentIndex(dialog.format.findData("docx"))
        dialog.with_history.setChecked(True)
        dialog.with_attachments.setChecked(True)
        dialog.fill_back.setChecked(True)
        assert not dialog.with_history.isChecked() and not dialog.with_attachments.isEnabled()
        dialog.fill_back.setChecked(False)
        dialog.with_history.setChecked(True)
        dialog.with_attachments.setChecked(True)
        dialog.path.setText(str(tmp_path / "附件齐全.docx"))
        seen["request"] = dialog.request()
        return True

    monkeypatch.setattr(city, "run_dialog", run)
    city.acts.export.trigger()
    qtbot.waitUntil(lambda: not city.runner.busy, timeout=30000)
    assert seen["request"].with_history and seen["request"].with_attachments
    doc = Document(str(tmp_path / "附件齐全.docx"))
    labels = [p.text for p in doc.paragraphs if p.style.name == "附件标识"]
    assert labels == ["附件1", "附件2"]
    cells = [c.text for r in doc.tables[-1].rows for c in r.cells]
    assert "专栏截图链接" in cells and "https://www.example.gov.cn/zwgk/3.html" in cells
    history = [c.text for r in doc.tables[-2].rows for c in r.cells]
    assert "已上线专栏" in history
