"""Every dialog class of desktop_app/ui, opened for real (exec) from the window's own flow: once filled
and accepted, checking what it did; once filled and cancelled, checking that nothing changed. The
classes are found by reading the source (any class deriving from a Qt dialog or from one of ours);
one without an entry in DIALOGS fails the suite."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QPushButton

import desktop_app.ui

UI_ROOT = Path(desktop_app.ui.__file__).resolve().parent
DATA = Path(__file__).resolve().parent.parent / "data"
QT_DIALOGS = {
    "QDialog",
    "QWizard",
    "QMessageBox",
    "QInputDialog",
    "QFileDialog",
    "QProgressDialog",
    "QColorDialog",
    "QFontDialog",
    "QErrorMessage",
    "QAbstractPrintDialog",
    "QPrintDialog",
    "QPrintPreviewDialog",
    "QPageSetupDialog",
}


def scan_dialog_classes(root: Path) -> dict[str, str]:
    """{class name: file} for every class under root that derives, directly or through another class
    found here, from a Qt dialog; nested classes (one built inside a function) count too."""
    classes: dict[str, tuple[set[str], str]] = {}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases}
                classes[node.name] = (bases, str(path.relative_to(root)))
    found: dict[str, str] = {}
    grew = True
    while grew:
        grew = False
        for name, (bases, where) in classes.items():
            if name not in found and bases & (QT_DIALOGS | set(found)):
                found[name] = where
                grew = True
    return found


def loaded_dialog_classes() -> set[str]:
    """The same, from the classes themselves: every QDialog subclass defined in a desktop_app.ui module
    once all of them are imported (and the print preview's class is built)."""
    for info in pkgutil.walk_packages(desktop_app.ui.__path__, "desktop_app.ui."):
        importlib.import_module(info.name)
    from desktop_app.ui.printing import _preview_dialog_class

    _preview_dialog_class()
    out: set[str] = set()
    todo = [QDialog]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("desktop_app.ui"):
                out.add(sub.__name__)
    return out


# ---- the window and the driver ------------------------------------------------------------------------
@pytest.fixture
def win(city, modal, monkeypatch, real_dialogs, qtbot):
    """The city window on screen with its real dialog methods; `win.then` says what to do with the
    next dialog once it is shown (fill and accept, or fill and reject)."""
    real_dialogs(city)
    city.then = lambda d: d.reject()
    monkeypatch.setattr(city, "run_dialog", lambda dialog: bool(modal.run(dialog, city.then)))
    city.show()
    qtbot.waitExposed(city)
    yield city
    city.apply_font_scale(100)  # the application font is global: leave it as found


def settle(w) -> None:  # noqa: ANN001
    w.runner.wait(30000)
    QApplication.processEvents()


def button(dialog: QDialog, text: str) -> QPushButton:
    return next(b for b in dialog.findChildren(QPushButton) if b.text() == text)


# ---- LedgerDialog: 新建台账 and 台账信息 --------------------------------------------------------------------
def ledger_accept(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    def fill_new(d) -> None:  # noqa: ANN001
        d.title.setText("2024年政务公开任务落实台账（测试）")
        d.year.setValue(2024)
        d.accept()

    w.then = fill_new
    w.acts.new_ledger.trigger()
    current = w.current_ledger()
    assert (current.title, current.year) == ("2024年政务公开任务落实台账（测试）", 2024)
    assert any(s.title == current.title for s in w.ctx.ledgers.list_ledgers())

    def fill_info(d) -> None:  # noqa: ANN001
        d.owner.setText("市自然资源局")
        d.issuer.setText("市政务公开办")
        d.anchor_known.setChecked(True)
        d.anchor.setDate(QDate(2024, 3, 1))  # 通知印发/收到日期
        d.accept()

    w.then = fill_info
    w.acts.ledger_props.trigger()
    stored = w.ctx.ledgers.get_ledger(current.id)
    assert (stored.owner_unit, stored.issuer) == ("市自然资源局", "市政务公开办")
    assert str(stored.anchor_date) == "2024-03-01"


def ledger_cancel(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    def fill_and_cancel(d) -> None:  # noqa: ANN001
        d.title.setText("不该出现的台账")
        d.owner.setText("不该保存的单位")
        d.reject()

    w.then = fill_and_cancel
    w.acts.new_ledger.trigger()
    w.acts.ledger_props.trigger()


# ---- ReportDatesDialog ---------------------------------------------------------------------------------
def report_dates_accept(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    def fill(d) -> None:  # noqa: ANN001
        button(d, "每季度末月15日").click()
        d.edit.setDate(QDate(2023, 10, 20))
        button(d, "添加").click()
        d.accept()

    w.then = fill
    w.acts.report_dates.trigger()
    expected = [date(2023, m, 15) for m in (3, 6, 9)] + [date(2023, 10, 20), date(2023, 12, 15)]
    lid = w.current_ledger().id
    assert w.ctx.ledgers.get_ledger(lid).report_dates == expected
    assert [r.due_date for r in w.ctx.progress.rounds(lid)] == expected
    assert "7月" not in w.report_label.text() and "9月15日" in w.report_label.text()  # 2023-07-01 today


def report_dates_cancel(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    def fill_and_cancel(d) -> None:  # noqa: ANN001
        button(d, "每季度末月15日").click()
        d.reject()

    w.then = fill_and_cancel
    w.acts.report_dates.trigger()


# ---- SettingsDialog ------------------------------------------------------------------------------------
def settings_accept(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    def fill(d) -> None:  # noqa: ANN001
        d.edits["my_unit"].setText("市审批局")
        d.edits["contact_person"].setText("王五")
        d.very_soon.setValue(5)
        d.soon.setValue(20)
        d.scale.setValue(150)
        d.accept()

    w.then = fill
    w.acts.settings.trigger()
    s = w.ctx.settings.all()
    assert (s["my_unit"], s["contact_person"], s["very_soon_days"], s["soon_days"], s["font_scale"]) == (
        "市审批局",
        "王五",
        "5",
        "20",
        "150",
    )
    assert w._scale == 150 and w._rules.soon_days == 20 and w.filter_bar.mine.isEnabled()


def settings_cancel(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    def fill_and_cancel(d) -> None:  # noqa: ANN001
        d.edits["my_unit"].setText("市审批局")
        d.scale.setValue(200)
        d.reject()

    w.then = fill_and_cancel
    w.acts.settings.trigger()
    assert getattr(w, "_scale", 100) == 100


# ---- ExportDialog --------------------------------------------------------------------------------------
def export_accept(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    """Excel, public edition, as of today, the place chosen with 浏览…: the phone typed in a progress
    text is listed as a finding and masked in the file."""
    from desktop_app.ui.models.task_table_model import COLUMN_INDEX

    task = next(t for t in w.model.tasks() if t.number == "3")
    index = w.model.index(w.model.row_of_task(task.id), COLUMN_INDEX["progress"])
    assert w.model.setData(index, "已发布，联系电话 13912345678")
    target = tmp_path / "公开版.xlsx"
    findings: list[str] = []

    def fill(d) -> None:  # noqa: ANN001
        d.format.setCurrentIndex(d.format.findData("xlsx"))
        d.public.setChecked(True)
        items = [d.findings.topLevelItem(i) for i in range(d.findings.topLevelItemCount())]
        findings.extend(i.text(3) for i in items if "13912345678" in i.text(3))
        d.as_of.setDate(QDate(2023, 7, 1))  # today (the progress is typed today: 30 June has none)
        d.ask_save_path = lambda suggested, filters: str(target)  # the 浏览… button's file box
        button(d, "浏览…").click()
        assert d.path.text() == str(target)
        d.accept()

    w.then = fill
    w.acts.export.trigger()
    settle(w)
    assert len(findings) == 1  # listed, checked (masked) by default
    assert w.last_export == target
    from openpyxl import load_workbook

    sheet = load_workbook(target).worksheets[0]
    text = "\n".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
    assert "填报时间：2023年7月1日" in text and "填报人" not in text  # as of that day, public edition
    assert "139****5678" in text and "13912345678" not in text


def export_prepare(w) -> None:  # noqa: ANN001
    """本单位 and 填报人 set: the report goes straight to the export dialog."""
    w.ctx.settings.update({"my_unit": "市政府办公室", "contact_person": "李四"})


def export_cancel(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    def fill_and_cancel(d) -> None:  # noqa: ANN001
        d.format.setCurrentIndex(d.format.findData("docx"))
        d.path.setText(str(tmp_path / "不该写的.docx"))
        d.reject()

    w.then = fill_and_cancel
    w.acts.export.trigger()
    w.acts.report_export.trigger()
    settle(w)
    assert not list(tmp_path.glob("*.docx")) and not hasattr(w, "last_export")


# ---- ImportWizard --------------------------------------------------------------------------------------
def _remap_indicator(qtbot, d) -> None:  # noqa: ANN001
    """Fill the wizard: 量化指标 read as 备注, then 重新识别."""
    combo = next(c for _t, _col, c in d._combos if c.currentData() == "indicator")
    combo.setCurrentIndex(combo.findData("remarks"))
    first = d.result
    d.reparse_button.click()
    qtbot.waitUntil(lambda: d.result is not first and not d.busy, timeout=30000)


def import_accept(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    count = len(w.ctx.ledgers.list_ledgers())

    asked: list[str] = []

    def fill(d) -> None:  # noqa: ANN001
        _remap_indicator(qtbot, d)
        # the city's ledger is already there: the wizard asks; "仍导入为新台账" makes a second one
        d.ask_duplicate = lambda same: asked.append(same.title) or "new"
        d.import_button.click()

    w.then = fill
    w.import_file(DATA / "city-2023.docx")
    settle(w)
    assert len(asked) == 1
    assert len(w.ctx.ledgers.list_ledgers()) == count + 1
    ledger = w.ctx.ledgers.get_ledger(w.current_ledger().id)
    assert ledger.id == w.last_wizard.ledger.id and len(ledger.all_tasks()) == 39
    task = ledger.all_tasks()[0]
    assert task.indicator == "" and task.remarks.startswith("查看")  # the corrected mapping was used


def import_cancel(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    def fill_and_cancel(d) -> None:  # noqa: ANN001
        _remap_indicator(qtbot, d)
        d.reject()

    w.then = fill_and_cancel
    w.import_file(DATA / "city-2023.docx")
    settle(w)
    assert w.last_wizard.ledger is None


# ---- PrintPreviewDialog (ui/printing.py) ---------------------------------------------------------------
def _print_action(d) -> QAction:  # noqa: ANN001
    return next(a for a in d.findChildren(QAction) if a.text() in ("打印", "Print"))


def preview_accept(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    """Print from the preview: the printer set to a PDF file (what the print dialog offers), the print
    dialog accepted; the PDF has the pages the preview showed."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    target = tmp_path / "打印.pdf"
    seen: list[int] = []

    def accept_print_dialog() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QPrintDialog):
            # with a print queue on the machine (CUPS) the dialog starts on it: choose 打印到文件 (PDF)
            from PySide6.QtWidgets import QComboBox, QLineEdit

            printers = box.findChild(QComboBox, "printers")
            if printers is not None and printers.count():
                printers.setCurrentIndex(printers.count() - 1)
                box.findChild(QLineEdit, "filename").setText(str(target))
            box.accept()
        else:
            QTimer.singleShot(20, accept_print_dialog)

    def fill(d) -> None:  # noqa: ANN001
        printer = d.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        seen.append(d.pages_painted)
        QTimer.singleShot(0, accept_print_dialog)
        _print_action(d).trigger()  # opens the print dialog; accepting it prints and closes the preview

    w.then = fill
    w.acts.print_preview.trigger()
    assert target.read_bytes().startswith(b"%PDF")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True, check=True).stdout
        assert f"Pages:           {seen[0]}" in info and "842 x 595" in info  # A4 landscape


def preview_cancel(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    pages: list[int] = []

    def look_and_cancel(d) -> None:  # noqa: ANN001
        pages.append(d.pages_painted)
        for a in d.findChildren(QAction):  # zoom, page and layout buttons of its toolbar
            if a.text() in ("下一页", "Next page", "放大", "Zoom in", "横向", "Landscape"):
                a.trigger()
        d.reject()

    w.then = look_and_cancel
    w.acts.print_preview.trigger()
    assert pages and pages[0] >= 2
    assert not list(tmp_path.glob("*.pdf"))


# ---- RecycleBinDialog (编辑 → 回收站) ------------------------------------------------------------------
def _delete_one(w) -> int:  # noqa: ANN001
    tid = w.model.sections()[1].tasks[0].id
    assert w.task_view.select_task(tid)
    w.acts.delete_task.trigger()
    assert tid not in [t.id for t in w.ctx.ledgers.get_ledger(w.current_ledger().id).all_tasks()]
    return tid


def recycle_bin_accept(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    """Restore one deleted task, purge another (confirmed), then 关闭."""
    back, gone = _delete_one(w), _delete_one(w)

    def fill(d) -> None:  # noqa: ANN001
        assert {rec.task.id for rec in d.items()} >= {back, gone}
        d.select_ids([back])
        d.restore_button.click()
        d.select_ids([gone])
        d.ask_confirm = lambda text: True
        d.purge_button.click()
        d.reject()  # 关闭

    w.then = fill
    w.acts.recycle_bin.trigger()
    lid = w.current_ledger().id
    assert back in [t.id for t in w.ctx.ledgers.get_ledger(lid).all_tasks()]
    assert back in [t.id for t in w.model.tasks()]  # the window shows it again
    assert {rec.task.id for rec in w.ctx.ledgers.recycle_bin(None)}.isdisjoint({back, gone})


def recycle_bin_prepare(w) -> None:  # noqa: ANN001
    w.deleted_for_test = _delete_one(w)


def recycle_bin_cancel(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    """Purge chosen but not confirmed, 清空 not confirmed, then 关闭: the bin and the ledger as they were."""
    tid = w.deleted_for_test
    before = [rec.task.id for rec in w.ctx.ledgers.recycle_bin(None)]
    assert tid in before

    def fill_and_cancel(d) -> None:  # noqa: ANN001
        d.select_ids([tid])
        d.ask_confirm = lambda text: False
        d.purge_button.click()
        d.empty_button.click()
        d.reject()

    w.then = fill_and_cancel
    w.acts.recycle_bin.trigger()
    assert [rec.task.id for rec in w.ctx.ledgers.recycle_bin(None)] == before


# ---- HolidayDialog (文件 → 节假日与调休) --------------------------------------------------------------
def _days(w, year: int = 2023) -> list:  # noqa: ANN001
    return [(d.day, d.is_workday, d.name) for d in w.ctx.calendar.days(year)]


def holiday_accept(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    """A day off added (添加或修改) and one removed, then 关闭: the calendar has the change."""

    def fill(d) -> None:  # noqa: ANN001
        d.day.setDate(QDate(2023, 10, 9))
        d.kind.setCurrentIndex(d.kind.findData(False))
        d.name.setText("补休（测试）")
        button(d, "添加或修改").click()
        assert (date(2023, 10, 9), False, "补休（测试）") in d.days_shown()
        d.reject()  # 关闭

    w.then = fill
    w.acts.holidays.trigger()
    assert (date(2023, 10, 9), False, "补休（测试）") in _days(w)


def holiday_cancel(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    """Fields filled but nothing added: 关闭 leaves the calendar as it was."""
    before = _days(w)

    def fill_and_cancel(d) -> None:  # noqa: ANN001
        d.day.setDate(QDate(2023, 10, 9))
        d.name.setText("不该保存")
        d.notice.setPlainText("一、元旦：1月1日放假。")
        d.reject()

    w.then = fill_and_cancel
    w.acts.holidays.trigger()
    assert _days(w) == before


# ---- CarryOverDialog (台账 → 复制到下一年) -------------------------------------------------------------
def carry_over_accept(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    """One task left behind as 取消 (with a note), the rest carried; 开始结转, then 关闭 on the result page."""
    old = w.current_ledger()
    left = old.sections[0].tasks[0]
    pages: list[int] = []

    def fill(d) -> None:  # noqa: ANN001
        d.set_choice(left.id, "不结转：取消", "并入其他工作")
        d.buttons.button(QDialogButtonBox.Ok).click()  # 开始结转
        pages.append(d.pages.currentIndex())
        d.accept()  # 关闭

    w.then = fill
    w.acts.copy_next_year.trigger()
    assert pages == [1]  # the result page was shown
    new = w.current_ledger()
    assert new.id != old.id and new.year == old.year + 1
    assert len(new.all_tasks()) == len(old.all_tasks()) - 1
    assert left.content not in [t.content for t in new.all_tasks()]
    kept = w.ctx.ledgers.get_ledger(old.id).all_tasks()[0]
    assert "取消" in " ".join(str(v) for v in kept.extra.values())


def carry_over_cancel(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    def fill_and_cancel(d) -> None:  # noqa: ANN001
        d.set_choice(w.current_ledger().sections[0].tasks[0].id, "不结转：取消")
        d.reject()

    w.then = fill_and_cancel
    w.acts.copy_next_year.trigger()


# ---- CollectDialog (报送 → 收集报送) ----------------------------------------------------------------------
def _unit_return(w, tmp_path) -> tuple[Path, str]:  # noqa: ANN001
    """The city ledger's units put in the directory; one unit's return written as its program does."""
    import copy

    from desktop_app.exporters.common import ReportOptions
    from desktop_app.exporters.docx_report import write_report

    lid = w.current_ledger().id
    w.ctx.directory.fill_from_ledger(lid)
    ledger = w.ctx.ledgers.get_ledger(lid)
    unit = w.ctx.directory.units()[0].name
    mine = copy.deepcopy(ledger)
    for t in mine.all_tasks():
        t.progress = f"{unit}：第{t.number}项已落实"
    path = tmp_path / f"{unit}报送.docx"
    write_report(mine, path, ReportOptions(unit=unit))
    return path, unit


def collect_accept(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    """A unit's return added (添加文件…), read with the progress bar, then 关闭: its returns are stored."""
    path, unit = _unit_return(w, tmp_path)
    seen: list[tuple[str, str]] = []

    def fill(d) -> None:  # noqa: ANN001
        d.ask_files = lambda: [path]
        d.add_files_button.click()
        qtbot.waitUntil(lambda: d.results.rowCount() == 1, timeout=60000)
        seen.append((d.results.index(0, 1).data(), d.results.index(0, 3).data()))
        d.reject()  # 关闭

    w.then = fill
    w.acts.collect_returns.trigger()
    assert seen == [(unit, "新收录")]
    assert {r.unit for r in w.ctx.collect.returns(w.current_ledger().id)} == {unit}


def collect_prepare(w) -> None:  # noqa: ANN001
    w.return_for_test = _unit_return(w, Path(w.ctx.db.path).parent)[0]


def collect_cancel(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    """Collected, then 撤销本次收集, filters changed, 关闭: no return stays."""

    def fill_and_cancel(d) -> None:  # noqa: ANN001
        d.collect_paths([w.return_for_test])
        qtbot.waitUntil(lambda: d.undo_button.isEnabled(), timeout=60000)
        d.undo_button.click()
        d.state_filter.setCurrentIndex(1)
        d.reject()

    w.then = fill_and_cancel
    w.acts.collect_returns.trigger()
    assert w.ctx.collect.returns(w.current_ledger().id) == []


# ---- ConfirmReturnDialog (收集报送: a return whose unit is uncertain) -------------------------------------
def _return_of_unknown_unit(w, tmp_path) -> Path:  # noqa: ANN001
    """A return whose 填报单位 is no unit of the directory (and the file name names none): asked about."""
    import copy

    from desktop_app.exporters.common import ReportOptions
    from desktop_app.exporters.docx_report import write_report

    lid = w.current_ledger().id
    w.ctx.directory.fill_from_ledger(lid)
    mine = copy.deepcopy(w.ctx.ledgers.get_ledger(lid))
    for t in mine.all_tasks():
        t.progress = f"第{t.number}项已落实"
    path = tmp_path / "报送件.docx"
    write_report(mine, path, ReportOptions(unit="不在名录的单位"))
    return path


def _collect_asking(w, qtbot, path: Path, answer) -> list:  # noqa: ANN001
    """收集报送 opened, the file added; the question it raises handled by `answer`; then 关闭."""
    seen: list = []

    def fill(d) -> None:  # noqa: ANN001
        w.then = answer  # the next dialog: 确认报送件
        d.ask_files = lambda: [path]
        d.add_files_button.click()
        qtbot.waitUntil(lambda: d.results.rowCount() == 1, timeout=60000)
        seen.append(d.results.index(0, 3).data())
        w.then = lambda dialog: dialog.reject()
        d.reject()

    w.then = fill
    w.acts.collect_returns.trigger()
    return seen


def confirm_return_accept(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    path = _return_of_unknown_unit(w, tmp_path)
    unit = w.ctx.directory.units()[1].name

    def pick(d) -> None:  # noqa: ANN001
        assert "不在名录的单位" in d.outcome.reason
        d.unit.setCurrentIndex(d.unit.findData(unit))
        d.accept_button.click()

    assert _collect_asking(w, qtbot, path, pick) == ["新收录"]
    assert {r.unit for r in w.ctx.collect.returns(w.current_ledger().id)} == {unit}


def confirm_return_prepare(w) -> None:  # noqa: ANN001
    w.return_for_test = _return_of_unknown_unit(w, Path(w.ctx.db.path).parent)


def confirm_return_cancel(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    """The unit chosen, then 暂不收录此文件: nothing of the file is stored."""

    def pick_and_cancel(d) -> None:  # noqa: ANN001
        d.unit.setCurrentIndex(1)
        d.skip_button.click()

    seen = _collect_asking(w, qtbot, w.return_for_test, pick_and_cancel)
    assert seen[0].startswith("待确认，未收录")
    assert w.ctx.collect.returns(w.current_ledger().id) == []


# ---- IdentityDialog ----------------------------------------------------------------------------------
def identity_accept(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    """生成报送文件 with 本单位/填报人 empty: filled in and saved, then the export dialog (cancelled)."""
    seen = []

    def fill(d) -> None:  # noqa: ANN001
        seen.append(type(d).__name__)
        if type(d).__name__ == "IdentityDialog":
            d.unit.setText("市自然资源局")
            d.person.setText("张三")
            button(d, "保存并继续").click()
        else:
            d.reject()

    w.then = fill
    w.acts.report_export.trigger()
    assert seen == ["IdentityDialog", "ExportDialog"]
    s = w.ctx.settings
    assert (s.get("my_unit"), s.get("contact_person")) == ("市自然资源局", "张三")
    seen.clear()
    w.acts.report_export.trigger()  # asked no more once they are there
    assert seen == ["ExportDialog"]


def identity_cancel(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    """Typed but cancelled: nothing saved, no export dialog; 暂不填写 goes on without them."""
    seen = []

    def fill_and_cancel(d) -> None:  # noqa: ANN001
        seen.append(type(d).__name__)
        if type(d).__name__ == "IdentityDialog":
            d.unit.setText("不该保存的单位")
            button(d, "取消").click()
        else:
            d.reject()

    w.then = fill_and_cancel
    w.acts.report_export.trigger()
    assert seen == ["IdentityDialog"]

    def skip(d) -> None:  # noqa: ANN001
        seen.append(type(d).__name__)
        if type(d).__name__ == "IdentityDialog":
            d.person.setText("不该保存的人")
            button(d, "暂不填写，继续").click()
        else:
            d.reject()

    w.then = skip
    w.acts.report_export.trigger()
    assert seen == ["IdentityDialog", "IdentityDialog", "ExportDialog"]


# ---- BulkEditDialog ----------------------------------------------------------------------------------
def _select_three(w) -> list[int]:  # noqa: ANN001
    from PySide6.QtCore import QItemSelection, QItemSelectionModel

    rows = [r for r in range(w.model.rowCount()) if not w.model.is_section_row(r)][:3]
    selection = QItemSelection()
    for r in rows:
        selection.select(w.model.index(r, 0), w.model.index(r, w.model.columnCount() - 1))
    w.task_view.setCurrentIndex(w.model.index(rows[0], 2))
    w.task_view.selectionModel().select(selection, QItemSelectionModel.ClearAndSelect)
    return [w.model.task_id_at(r) for r in rows]


def bulk_accept(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    ids = _select_three(w)

    def fill(d) -> None:  # noqa: ANN001
        d.deadline.setText("12月底")
        d.deadline.textEdited.emit("12月底")
        d.percent.setValue(50)
        button(d, "全部修改").click()

    w.then = fill
    w.acts.bulk_edit.trigger()
    assert {(w.ctx.ledgers.get_task(i).deadline.text, w.ctx.ledgers.get_task(i).percent) for i in ids} == {
        ("12月底", 50)
    }


def bulk_cancel(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    _select_three(w)

    def fill_and_cancel(d) -> None:  # noqa: ANN001
        d.percent.setValue(80)
        d.unit.setCurrentText("市财政局")
        d.reject()

    w.then = fill_and_cancel
    w.acts.bulk_edit.trigger()


# ---- FindReplaceDialog ---------------------------------------------------------------------------------
def find_accept(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    """Ctrl+H: 回头看 found, 下一个, 全部替换 with 再回顾, then 关闭."""

    def fill(d) -> None:  # noqa: ANN001
        d.find_edit.setText("回头看")
        assert d.count_label.text().startswith("共 ")
        button(d, "下一个").click()
        d.replace_edit.setText("再回顾")
        button(d, "全部替换").click()
        assert d.count_label.text() == "未找到"
        button(d, "关闭").click()

    w.then = fill
    w.acts.replace.trigger()
    assert not any("回头看" in t.content for t in w.ctx.ledgers.get_ledger(w.current_ledger().id).all_tasks())
    assert any("再回顾" in t.content for t in w.ctx.ledgers.get_ledger(w.current_ledger().id).all_tasks())


def find_cancel(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    """Ctrl+F: found and stepped through, the replacement typed but not applied, then 关闭."""

    def fill_and_cancel(d) -> None:  # noqa: ANN001
        d.find_edit.setText("政府网站")
        button(d, "下一个").click()
        button(d, "上一个").click()
        d.replace_edit.setText("不该写入")
        button(d, "关闭").click()

    w.then = fill_and_cancel
    w.acts.find_replace.trigger()


# ---- ConflictDialog: another person changed the same field meanwhile ---------------------------------------
def _other_writes(w, text: str) -> int:  # noqa: ANN001
    """李四, on the same database through his own connection, rewrites the first task's content."""
    from desktop_app.services.context import AppContext

    tid = w.current_ledger().all_tasks()[0].id
    with AppContext.open(w.ctx.db_path, lock=False) as other:
        other.db.person = "李四"
        other.ledgers.update_task(tid, "content", text)
    return tid


def _edit_first_content(w, text: str) -> None:  # noqa: ANN001
    from desktop_app.ui.models.task_table_model import COLUMN_INDEX

    tid = w.current_ledger().all_tasks()[0].id
    w.model.setData(w.model.index(w.model.row_of_task(tid), COLUMN_INDEX["content"]), text)


def conflict_accept(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    """Both texts shown side by side; the merge edited and 保存合并结果: the merge is stored."""
    tid = _other_writes(w, "李四的文字")

    def merge(d) -> None:  # noqa: ANN001
        assert (d.mine.toPlainText(), d.theirs.toPlainText()) == ("张三的文字", "李四的文字")
        d.merged.setPlainText("李四的文字；张三的文字")
        button(d, "保存合并结果").click()

    w.then = merge
    _edit_first_content(w, "张三的文字")
    assert w.ctx.ledgers.get_task(tid).content == "李四的文字；张三的文字"


def conflict_prepare(w) -> None:  # noqa: ANN001
    _other_writes(w, "李四的文字")


def conflict_cancel(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    """The dialog closed without choosing: the other person's text stays, nothing written."""

    def close(d) -> None:  # noqa: ANN001
        d.merged.setPlainText("不该保存的合并")
        d.reject()

    w.then = close
    _edit_first_content(w, "张三的文字")
    assert w.current_ledger().all_tasks()[0].content == "李四的文字"


# ---- SubmissionsDialog (报送 → 报送存档) ---------------------------------------------------------------
def _submit_round(w, folder: Path) -> int:  # noqa: ANN001
    """Send the first round (through the service, as 生成报送文件 does); returns its id."""
    lid = w.current_ledger().id
    task = w.current_ledger().all_tasks()[0]
    w.ctx.progress.add_entry(task.id, "ARCHIVED-TEXT 已部署", "in_progress", 40)
    rid = w.ctx.progress.rounds(lid)[0].id
    w.ctx.exports.export(lid, "docx", folder / "sent.docx", round_id=rid)
    w.refresh_statuses()
    return rid


def submissions_accept(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    """The archive shown with what was sent, written again, the round's mark taken back; 关闭."""
    rid = _submit_round(w, tmp_path)
    seen: dict = {}

    def fill(d) -> None:  # noqa: ANN001
        sub = w.ctx.progress.submissions(w.current_ledger().id)[0]
        assert d.select(submission_id=sub.id)
        seen["rows"] = d.preview_rows()
        d.ask_save_path = lambda suggested: str(tmp_path / "again.docx")
        d.export_button.click()
        d.ask_confirm = lambda text: True
        d.unmark_button.click()
        d.reject()  # 关闭

    w.then = fill
    w.acts.submissions.trigger()
    assert any("ARCHIVED-TEXT" in r[3] for r in seen["rows"])
    assert (tmp_path / "again.docx").stat().st_size > 0
    rnd = next(r for r in w.ctx.progress.rounds(w.current_ledger().id) if r.id == rid)
    assert rnd.submitted_at is None
    subs = w.ctx.progress.submissions(w.current_ledger().id)
    assert len(subs) == 1 and subs[0].withdrawn_at is not None  # what was sent stays archived


def submissions_prepare(w) -> None:  # noqa: ANN001
    import tempfile

    w.submitted_round = _submit_round(w, Path(tempfile.mkdtemp()))


def submissions_cancel(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    """Unmark asked but not confirmed, export again with the file box cancelled, 关闭: nothing changes."""

    def fill_and_cancel(d) -> None:  # noqa: ANN001
        assert d.select(round_id=w.submitted_round)
        assert d.unmark_button.isEnabled()
        d.ask_confirm = lambda text: False
        d.unmark_button.click()
        sub = w.ctx.progress.submissions(w.current_ledger().id)[0]
        d.select(submission_id=sub.id)
        d.ask_save_path = lambda suggested: ""
        d.export_button.click()
        d.reject()

    w.then = fill_and_cancel
    w.acts.submissions.trigger()
    assert not list(tmp_path.glob("*.docx"))


# ---- EntryCorrectionDialog (进展记录 → 更正…) -------------------------------------------------------------
def _entry_selected(w) -> int:  # noqa: ANN001
    """A recorded entry on the first task, selected in the editor's 进展记录 list; returns its id."""
    task = w.current_ledger().all_tasks()[0]
    assert w.task_view.select_task(task.id)
    entry = w.ctx.progress.add_entry(task.id, "FIRST-TEXT", "in_progress", 30)
    w.progress_editor.reload_history()
    assert w.progress_editor.select_entry(entry.id)
    return entry.id


def entry_accept(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    """The entry's text and percent corrected, 更正: the journal and the task say the new text."""
    entry_id = _entry_selected(w)

    def fill(d) -> None:  # noqa: ANN001
        assert d.text.toPlainText() == "FIRST-TEXT"
        d.text.setPlainText("CORRECTED-TEXT")
        d.percent.setValue(45)
        d.accept()

    w.then = fill
    w.progress_editor.correct_button.click()
    fixed = w.ctx.progress.get_entry(entry_id)
    assert (fixed.text, fixed.percent) == ("CORRECTED-TEXT", 45)
    task = w.ctx.ledgers.get_task(fixed.task_id)
    assert (task.progress, task.percent) == ("CORRECTED-TEXT", 45)


def entry_prepare(w) -> None:  # noqa: ANN001
    w.entry_for_test = _entry_selected(w)


def entry_cancel(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    """Text changed, then 取消: the entry as it was."""

    def fill_and_cancel(d) -> None:  # noqa: ANN001
        d.text.setPlainText("NOT-SAVED")
        d.reject()

    w.then = fill_and_cancel
    w.progress_editor.correct_button.click()
    assert w.ctx.progress.get_entry(w.entry_for_test).text == "FIRST-TEXT"


# ---- DeriveDialog (台账 → 生成本单位台账) ------------------------------------------------------------
def derive_accept(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    """My unit typed, kind chosen, 生成: the new ledger is stored and shown."""
    before = len(w.ctx.ledgers.list_ledgers())
    city_id = w.current_ledger().id
    seen = {}

    def fill(d) -> None:  # noqa: ANN001
        d.unit.setText("市教育局")
        d.kind.setCurrentIndex(d.kind.findData("市政府部门"))
        seen["preview"] = d.preview.text()
        d.accept()

    w.then = fill
    w.acts.derive_ledger.trigger()
    assert "项任务" in seen["preview"]
    shown = w.current_ledger()
    assert shown.id != city_id and shown.owner_unit == "市教育局" and shown.all_tasks()
    assert len(w.ctx.ledgers.list_ledgers()) == before + 1


def derive_cancel(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    """A unit the city ledger does not address: the preview says so; then 取消: no ledger added."""
    seen = {}

    def fill_and_cancel(d) -> None:  # noqa: ANN001
        d.unit.setText("市气象局")
        d.kind.setCurrentIndex(d.kind.findData("其他"))
        seen["preview"] = d.preview.text()
        d.reject()

    w.then = fill_and_cancel
    w.acts.derive_ledger.trigger()
    assert "没有写给" in seen["preview"]


# ---- AuditDialog (编辑 → 修改记录) -------------------------------------------------------------------
def _edit_for_audit(w) -> int:  # noqa: ANN001
    task = w.current_ledger().all_tasks()[2]
    assert w.task_view.select_task(task.id)
    w.ctx.ledgers.update_task(task.id, "remarks", "AUDIT-NEW-VALUE")
    return task.id


def audit_accept(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    """The trail of the current task, searched, exported to Excel (the rows shown), 关闭."""
    from openpyxl import load_workbook

    _edit_for_audit(w)
    seen = {}

    def fill(d) -> None:  # noqa: ANN001
        d.only_task.setChecked(True)
        d.by_date.setChecked(True)
        d.date_to.setDate(QDate(2100, 1, 1))  # the trail is stamped by the wall clock, the test's is 2023
        d.date_from.setDate(QDate(2000, 1, 1))
        d.search.setText("AUDIT-NEW")
        seen["rows"] = d.rows()
        d.ask_save_path = lambda suggested: str(tmp_path / "trail.xlsx")
        d.export_button.click()
        d.reject()

    w.then = fill
    w.acts.audit_trail.trigger()
    assert len(seen["rows"]) == 1 and seen["rows"][0][3] == "修改" and seen["rows"][0][4] == "备注"
    values = [c for row in load_workbook(tmp_path / "trail.xlsx").active.iter_rows(values_only=True) for c in row]
    assert "AUDIT-NEW-VALUE" in values and "修改人" in values


def audit_prepare(w) -> None:  # noqa: ANN001
    _edit_for_audit(w)


def audit_cancel(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    """Filters changed, export's file box cancelled, 关闭: nothing written, nothing changed."""

    def fill_and_cancel(d) -> None:  # noqa: ANN001
        d.only_task.setChecked(True)
        d.ask_save_path = lambda suggested: ""
        d.export_button.click()
        d.reject()

    w.then = fill_and_cancel
    w.acts.audit_trail.trigger()
    assert not list(tmp_path.glob("*.xlsx"))


# ---- SearchAllDialog (编辑 → 查找所有台账) -------------------------------------------------------------
def search_all_accept(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    """Words from another ledger's journal found, the hit opened: that ledger is shown at the task."""
    from desktop_app.domain.model import Ledger, Section, Task

    other = w.ctx.ledgers.add_ledger(
        Ledger(title="2022年台账", year=2022, sections=[Section(tasks=[Task(number="9", content="旧任务")])])
    )
    old_task = other.all_tasks()[0]
    w.ctx.progress.add_entry(old_task.id, "LOOKBACK-WORDS 已完成", "done", 100)

    def fill(d) -> None:  # noqa: ANN001
        d.text.setText("LOOKBACK-WORDS")
        d.search_button.click()
        assert len(d.hits) == 1
        d.accept()

    w.then = fill
    w.acts.search_all.trigger()
    assert w.current_ledger().id == other.id
    assert w.task_view.current_task_id() == old_task.id


def search_all_cancel(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    """A search, nothing opened, 关闭: the window shows the same ledger."""
    before = w.current_ledger().id

    def fill_and_cancel(d) -> None:  # noqa: ANN001
        d.text.setText("x")  # one character: the dialog says why it does not search
        d.search_button.click()
        assert "至少输入两个字" in d.info.text()
        d.reject()

    w.then = fill_and_cancel
    w.acts.search_all.trigger()
    assert w.current_ledger().id == before


# ---- OpenDatabaseDialog (文件 → 打开数据库…) ------------------------------------------------------------
def open_database_accept(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    """A new database file typed, 打开: the window gives way to one on that (empty) database."""
    target = tmp_path / "另一个台账库.sqlite3"

    def fill(d) -> None:  # noqa: ANN001
        d.server_kind.setChecked(True)
        d.host.setText("10.1.2.3")  # looked at, then back to a file
        d.file_kind.setChecked(True)
        d.ask_path = lambda: str(target)  # the 浏览… button's file box
        next(b for b in d.findChildren(QPushButton) if b.text() == "浏览…").click()
        assert d.path.text() == str(target)
        d.open_button.click()

    w.then = fill
    w.acts.open_database.trigger()
    new = w.replaced_by
    try:
        assert new.ctx.db_path == target and target.exists() and new.summaries() == []
        assert not w.isVisible() and new.isVisible()
    finally:
        new.shutdown()


def open_database_cancel(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    """Server fields filled, password typed, then 取消: the window keeps its database; nothing written."""

    def fill_and_cancel(d) -> None:  # noqa: ANN001
        d.server_kind.setChecked(True)
        d.host.setText("10.1.2.3")
        d.database.setText("zwgk_ledger")
        d.user.setText("zhang")
        d.password.setText("secret")
        d.reject()

    w.then = fill_and_cancel
    w.acts.open_database.trigger()
    assert not hasattr(w, "replaced_by") and w.isVisible()
    assert w.last_open_dialog.password.text() == ""


# ---- RolesDialog (台账 → 权限…) ------------------------------------------------------------------------
def roles_accept(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    """lisi added as 只读, 保存: the list is stored, this user stays 编辑, the window stays editable."""
    w.ctx.db.person = "张三"

    def fill(d) -> None:  # noqa: ANN001
        d.person.setText("lisi")
        d.role.setCurrentIndex(d.role.findData("read"))
        button(d, "添加或修改").click()
        button(d, "保存").click()

    w.then = fill
    w.acts.roles.trigger()
    assert w.ctx.people.members(w.current_ledger().id) == {"张三": "edit", "lisi": "read"}
    assert not w.read_only_here() and w.acts.add_task.isEnabled()


def roles_cancel(w, qtbot, tmp_path) -> None:  # noqa: ANN001
    """Someone added, then 取消: no list stored, everyone may still edit."""

    def fill_and_cancel(d) -> None:  # noqa: ANN001
        d.person.setText("lisi")
        button(d, "添加或修改").click()
        assert d.table.rowCount() == 2
        d.reject()

    w.then = fill_and_cancel
    w.acts.roles.trigger()
    assert w.ctx.people.members(w.current_ledger().id) == {}


# dialog class -> (fill and accept, then check; fill and cancel[; prepare]). The cancel case runs between
# two snapshots of the database and settings, which must be equal; `prepare` runs before the first.
DIALOGS: dict[str, tuple] = {
    "LedgerDialog": (ledger_accept, ledger_cancel),
    "ReportDatesDialog": (report_dates_accept, report_dates_cancel),
    "SettingsDialog": (settings_accept, settings_cancel),
    "ExportDialog": (export_accept, export_cancel, export_prepare),
    "IdentityDialog": (identity_accept, identity_cancel),
    "ImportWizard": (import_accept, import_cancel),
    "HolidayDialog": (holiday_accept, holiday_cancel),
    "CarryOverDialog": (carry_over_accept, carry_over_cancel),
    "PrintPreviewDialog": (preview_accept, preview_cancel),
    "RecycleBinDialog": (recycle_bin_accept, recycle_bin_cancel, recycle_bin_prepare),
    "CollectDialog": (collect_accept, collect_cancel, collect_prepare),
    "ConfirmReturnDialog": (confirm_return_accept, confirm_return_cancel, confirm_return_prepare),
    "BulkEditDialog": (bulk_accept, bulk_cancel),
    "FindReplaceDialog": (find_accept, find_cancel),
    "ConflictDialog": (conflict_accept, conflict_cancel, conflict_prepare),
    "SubmissionsDialog": (submissions_accept, submissions_cancel, submissions_prepare),
    "EntryCorrectionDialog": (entry_accept, entry_cancel, entry_prepare),
    "DeriveDialog": (derive_accept, derive_cancel),
    "AuditDialog": (audit_accept, audit_cancel, audit_prepare),
    "SearchAllDialog": (search_all_accept, search_all_cancel),
    "OpenDatabaseDialog": (open_database_accept, open_database_cancel),
    "RolesDialog": (roles_accept, roles_cancel),
}


def test_every_dialog_class_has_an_entry() -> None:
    """A new dialog without accept/cancel cases in DIALOGS fails here."""
    scanned = scan_dialog_classes(UI_ROOT)
    assert set(scanned) == loaded_dialog_classes()  # the source reading misses nothing the imports see
    missing = sorted(set(scanned) - set(DIALOGS))
    assert not missing, (
        f"dialogs without accept/cancel cases in DIALOGS: {[(m, scanned[m]) for m in missing]}"
    )
    stale = sorted(set(DIALOGS) - set(scanned))
    assert not stale, f"DIALOGS entries for classes that no longer exist: {stale}"


def test_the_scan_finds_a_new_dialog(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "new_dialog.py").write_text(
        "from PySide6 import QtWidgets\nfrom .base import Base\n"
        "class RecycleBinDialog(QtWidgets.QDialog): ...\n"
        "class Derived(Base): ...\n"
        "def make():\n    class Built(RecycleBinDialog): ...\n    return Built\n"
        "class NotADialog(QtWidgets.QWidget): ...\n",
        encoding="utf-8",
    )
    assert sorted(scan_dialog_classes(tmp_path)) == ["Built", "RecycleBinDialog"]


@pytest.mark.parametrize("name", sorted(DIALOGS))
def test_dialog_filled_and_accepted(name: str, win, modal, qtbot, tmp_path) -> None:
    accept = DIALOGS[name][0]
    accept(win, qtbot, tmp_path)
    assert name in modal.opened, modal.opened
    assert not modal.stuck, f"did not close: {modal.stuck}"
    assert not getattr(win, "errors", []), win.errors


@pytest.mark.parametrize("name", sorted(DIALOGS))
def test_dialog_filled_and_cancelled_changes_nothing(
    name: str, win, modal, qtbot, tmp_path, snapshot
) -> None:
    cancel, *prepare = DIALOGS[name][1:]
    for step in prepare:
        step(win)
    before = snapshot(win)
    cancel(win, qtbot, tmp_path)
    assert name in modal.opened, modal.opened
    assert not modal.stuck, f"did not close: {modal.stuck}"
    assert snapshot(win) == before
    assert not getattr(win, "errors", []), win.errors
