"""收集报送 dialog: drop returns, progress and result per file, undo; the returns list with the deadline and a
copyable 催报 text; the task x unit matrix with colours, cell text on click and filters."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication

from desktop_app.domain import clock
from desktop_app.domain.model import Ledger, Section, Task
from desktop_app.domain.units import parse_units
from desktop_app.exporters.common import ReportOptions
from desktop_app.exporters.docx_report import write_report
from desktop_app.exporters.xlsx_export import write_xlsx
from desktop_app.ui.dialogs.collect_dialog import CollectDialog
from desktop_app.ui.models.returns_models import STATE_ROLE, ReturnMatrixModel
from desktop_app.ui.models.roles import FULL_TEXT_ROLE

DIRECTORY = "市财政局\t市政府部门\n市发展和改革委员会\t市政府部门\t市发改委\n兴庆区人民政府\t县区政府\t兴庆区\n"
TASKS = (
    ("1", "公开财政预算决算", "市财政局牵头，各县（市）区人民政府负责"),
    ("2", "公开重大建设项目信息", "市发改委"),
    ("3", "做好政策解读", "各有关单位"),
)


@pytest.fixture
def office(window, tmp_path: Path):
    """The window showing the office's ledger (3 tasks, 3 units in the directory, due 2023-08-15) and
    the returns of 市财政局 (Word) and 兴庆区 (Excel) written as the units' program writes them."""
    ctx = window.ctx
    ctx.directory.add_pasted(DIRECTORY)
    ledger = ctx.ledgers.add_ledger(
        Ledger(
            title="2023年政务公开工作要点台账",
            year=2023,
            sections=[Section(tasks=[Task(number=n, content=c, units_text=u, units=parse_units(u)) for n, c, u in TASKS])],
        )
    )
    ctx.progress.set_report_dates(ledger.id, [date(2023, 8, 15)])
    ledger = ctx.ledgers.get_ledger(ledger.id)
    folder = tmp_path / "收到"
    folder.mkdir()
    for unit, fmt, numbers in (("市财政局", "docx", ("1", "3")), ("兴庆区人民政府", "xlsx", ("1", "3"))):
        mine = copy.deepcopy(ledger)
        for t in mine.all_tasks():
            t.progress = f"{unit}第{t.number}项进展" if t.number in numbers else ""
        write = write_report if fmt == "docx" else write_xlsx
        write(mine, folder / f"{unit}.{fmt}", ReportOptions(as_of=date(2023, 8, 10), unit=unit))
    clock.set_today(date(2023, 8, 12))
    window.reload_ledgers(select=ledger.id)
    window.open_ledger(ledger.id)
    yield window, ledger.id, folder
    clock.set_today(None)


def _dialog(qtbot, window, lid: int) -> CollectDialog:  # noqa: ANN001
    d = CollectDialog(window.ctx, lid, window.runner, window)
    qtbot.addWidget(d)
    d.show_error = lambda text: pytest.fail(f"unexpected error: {text}")
    return d


def _collect(qtbot, d: CollectDialog, paths: list[Path]) -> None:  # noqa: ANN001
    d.collect_paths(paths)
    qtbot.waitUntil(lambda: d.add_files_button.isEnabled(), timeout=60000)


def test_a_folder_dropped_is_collected_with_progress_and_result_per_file_then_undone(
    office, qtbot, qtmodeltester
) -> None:
    window, lid, folder = office
    d = _dialog(qtbot, window, lid)
    (folder / "说明.docx").write_bytes(b"junk")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    drop = QDropEvent(QPointF(20, 20), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    d.dropEvent(drop)
    qtbot.waitUntil(lambda: d.add_files_button.isEnabled(), timeout=60000)
    qtmodeltester.check(d.results)
    rows = {
        d.results.index(r, 0).data(): [d.results.index(r, c).data() for c in (1, 2, 3)]
        for r in range(d.results.rowCount())
    }
    assert rows["市财政局.docx"] == ["市财政局", "2", "新收录"]
    assert rows["兴庆区人民政府.xlsx"] == ["兴庆区人民政府", "2", "新收录"]
    assert rows["说明.docx"][0] == "" and rows["说明.docx"][2].startswith("未收录：")
    assert (d.progress.value(), d.progress.maximum()) == (3, 3)
    assert d.undo_button.isEnabled()
    assert len(window.ctx.collect.returns(lid)) == 4

    _collect(qtbot, d, [folder / "市财政局.docx"])  # the same file again: nothing changes, nothing to undo
    assert d.results.index(0, 3).data() == "无变化" and not d.undo_button.isEnabled()



def test_undo_of_a_whole_collection_from_the_dialog(office, qtbot) -> None:
    window, lid, folder = office
    d = _dialog(qtbot, window, lid)
    _collect(qtbot, d, [folder])
    assert len(window.ctx.collect.returns(lid)) == 4
    assert d.states.index(0, 2).data() == "已报送"
    d.undo_button.click()
    assert window.ctx.collect.returns(lid) == []
    assert not d.undo_button.isEnabled()
    assert [d.states.index(r, 2).data() for r in range(d.states.rowCount())] == ["未报送"] * 3


def test_returns_list_deadline_and_reminder_copied(office, qtbot, qtmodeltester) -> None:
    window, lid, folder = office
    d = _dialog(qtbot, window, lid)
    _collect(qtbot, d, [folder / "市财政局.docx"])
    qtmodeltester.check(d.states)
    assert d.deadline.text() == "截止日期：2023年8月15日"
    listed = [[d.states.index(r, c).data() for c in (0, 1, 2)] for r in range(d.states.rowCount())]
    assert listed == [
        ["市财政局", "市政府部门", "已报送"],
        ["市发展和改革委员会", "市政府部门", "未报送"],
        ["兴庆区人民政府", "县（市）区政府", "未报送"],
    ]
    assert d.states.index(0, 2).data(Qt.BackgroundRole).color().name() == "#c8e6c9"
    assert d.states.index(1, 2).data(Qt.BackgroundRole).color().name() == "#ffcdd2"
    assert d.counts.text() == "应报送 3 个单位：按时报送 1 个，逾期报送 0 个，未报送 2 个。"
    assert d.reminder.toPlainText().startswith("市发展和改革委员会、兴庆区人民政府：")
    d.copy_button.click()
    assert QGuiApplication.clipboard().text() == d.reminder.toPlainText()


def test_matrix_cells_colours_text_on_click_and_filters(office, qtbot, qtmodeltester) -> None:
    window, lid, folder = office
    d = _dialog(qtbot, window, lid)
    _collect(qtbot, d, [folder])
    m: ReturnMatrixModel = d.matrix
    qtmodeltester.check(m)
    assert [m.headerData(c, Qt.Horizontal) for c in range(m.columnCount())] == [
        "序号", "任务", "市财政局", "市发展和改革委员会", "兴庆区人民政府",
    ]
    grid = [[m.index(r, c).data() for c in range(m.columnCount())] for r in range(m.rowCount())]
    assert grid == [
        ["1", "公开财政预算决算", "已报送", "不涉及", "已报送"],
        ["2", "公开重大建设项目信息", "不涉及", "未报送", "不涉及"],
        ["3", "做好政策解读", "已报送", "未报送", "已报送"],
    ]
    assert m.index(1, 3).data(STATE_ROLE) == "missing"
    assert m.index(0, 4).data(FULL_TEXT_ROLE) == "兴庆区人民政府第1项进展"
    d.tabs.setCurrentIndex(2)
    d.show()
    qtbot.waitExposed(d)
    view = d.matrix_view
    rect = view.visualRect(m.index(0, 4))
    from PySide6.QtTest import QTest

    QTest.mouseClick(view.viewport(), Qt.LeftButton, Qt.NoModifier, rect.center())
    assert d.cell_text.toPlainText().splitlines()[-1] == "兴庆区人民政府第1项进展"
    assert "兴庆区人民政府 · 第1项 · 已报送" in d.cell_text.toPlainText()

    d.kind_filter.setCurrentIndex(d.kind_filter.findData("县（市）区政府"))
    assert [m.headerData(c, Qt.Horizontal) for c in range(m.columnCount())] == ["序号", "任务", "兴庆区人民政府"]
    d.kind_filter.setCurrentIndex(0)
    d.state_filter.setCurrentIndex(d.state_filter.findData("missing"))
    assert [m.index(r, 0).data() for r in range(m.rowCount())] == ["2", "3"]
    assert [m.headerData(c, Qt.Horizontal) for c in range(m.columnCount())] == ["序号", "任务", "市发展和改革委员会"]
    qtmodeltester.check(m)


def test_the_actions_show_only_for_a_ledger_addressing_units(office, qtbot) -> None:
    window, lid, _folder = office
    acts = window.acts
    assert acts.collect_returns.isVisible() and acts.returns_notice.isVisible()
    own = window.ctx.ledgers.add_ledger(
        Ledger(title="本单位台账", year=2023, sections=[Section(tasks=[Task(number="1", content="自己的任务")])])
    )
    window.reload_ledgers(select=own.id)
    window.open_ledger(own.id)
    assert not acts.collect_returns.isVisible() and not acts.export_consolidated.isVisible()
    window.open_ledger(lid)
    assert acts.export_consolidated.isVisible()


def test_consolidated_and_notice_from_the_dialog(office, qtbot, tmp_path: Path, ooxml_valid) -> None:
    window, lid, folder = office
    d = _dialog(qtbot, window, lid)
    _collect(qtbot, d, [folder])
    d.ask_save = lambda suggested, filters: tmp_path / "out" / ("汇总.xlsx" if "汇总" in suggested else "通报.docx")
    (tmp_path / "out").mkdir()
    assert d.export_consolidated() == tmp_path / "out" / "汇总.xlsx"
    assert d.write_notice() == tmp_path / "out" / "通报.docx"
    ooxml_valid(tmp_path / "out" / "汇总.xlsx", tmp_path / "out" / "通报.docx")
    QApplication.processEvents()


def test_score_tab_rule_edited_round_assessed_totals_and_excel(office, qtbot, qtmodeltester, tmp_path: Path) -> None:
    window, lid, folder = office
    d = _dialog(qtbot, window, lid)
    _collect(qtbot, d, [folder / "市财政局.docx"])  # 市发改委 and 兴庆区 missing
    d.late_points.setValue(1.5)
    d.missing_points.setValue(3)
    d.overdue_points.setValue(0)
    d.assess_button.click()
    qtmodeltester.check(d.deductions)
    qtmodeltester.check(d.totals)
    rows = [[d.deductions.index(r, c).data() for c in (0, 2, 4)] for r in range(d.deductions.rowCount())]
    assert rows == [["市发展和改革委员会", "未报送", "3"], ["兴庆区人民政府", "未报送", "3"]]
    assert [d.totals.index(r, 1).data() for r in range(d.totals.rowCount())] == ["3", "3"]
    assert window.ctx.score.rule(2023).missing_return == 3
    d.ask_save = lambda suggested, filters: tmp_path / suggested
    assert d.export_score() == tmp_path / "2023年度考核扣分表.xlsx"


def test_a_replaced_return_is_listed_in_the_units_history_and_undo_takes_it_back(office, qtbot, qtmodeltester) -> None:
    import docx

    window, lid, folder = office
    d = _dialog(qtbot, window, lid)
    path = folder / "市财政局.docx"
    _collect(qtbot, d, [path])
    doc = docx.Document(str(path))  # the unit corrects its return in Word and sends it again
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    if p.text == "市财政局第3项进展":
                        p.runs[0].text = "市财政局第3项：已全部完成"
                        for r in p.runs[1:]:
                            r.text = ""
    doc.save(str(path))
    _collect(qtbot, d, [path])
    assert d.results.index(0, 3).data() == "已更新（上一份存入历次报送）"
    assert d.states.headerData(5, Qt.Horizontal) == "历次报送"
    assert d.states.index(0, 5).data() == "2 份" and d.states.index(1, 5).data() == ""
    d.states_view.setCurrentIndex(d.states.index(0, 0))  # 市财政局 selected: its 历次报送
    qtmodeltester.check(d.history)
    rows = [[d.history.index(r, c).data() for c in range(4)] for r in range(d.history.rowCount())]
    assert [r[1:] for r in rows] == [
        ["市财政局.docx", "2", "第3项进展改写"],
        ["市财政局.docx", "2", "首次报送"],
    ]
    assert rows[0][0].endswith("（当前）") and not rows[1][0].endswith("（当前）")
    assert "本轮共报送 2 份" in d.history_label.text()
    d.undo_button.click()  # the correction undone: the first return is current again, the list follows
    assert d.states.index(0, 5).data() == "1 份"
    assert [d.history.index(r, 3).data() for r in range(d.history.rowCount())] == ["首次报送"]


def _blank_form(path: Path, unit: str) -> Path:
    """A unit typed into the office's blank form in Word: no identity, a unit name the directory lacks,
    task 2's content retyped."""
    import docx

    d = docx.Document()
    d.add_paragraph("2023年政务公开工作要点台账")
    d.add_paragraph(f"填报单位：{unit}　　填报时间：2023年8月10日")
    table = d.add_table(rows=1, cols=3)
    for cell, head in zip(table.rows[0].cells, ("序号", "主要内容", "进展落实情况"), strict=True):
        cell.text = head
    for values in (
        ("1", "公开财政预算决算", ""),
        ("2", "公开重大建设项目的相关信息", "已公开12个项目"),
        ("3", "做好政策解读", "已解读3件"),
    ):
        for cell, v in zip(table.add_row().cells, values, strict=True):
            cell.text = v
    d.save(str(path))
    return path


def test_an_uncertain_return_is_asked_and_stored_only_as_answered(office, qtbot) -> None:
    from desktop_app.services.collect_service import ReturnAnswer

    window, lid, folder = office
    ctx = window.ctx
    tasks = {t.number: t.id for t in ctx.ledgers.get_ledger(lid).all_tasks()}
    form = _blank_form(folder.parent / "报送.docx", "发改部门")
    d = _dialog(qtbot, window, lid)
    asked = []

    def declined(outcome):  # noqa: ANN001, ANN202
        asked.append(outcome.question)
        return None

    d.ask_confirm = declined
    _collect(qtbot, d, [form, folder / "市财政局.docx"])
    [q] = asked
    assert "发改部门" in q.unit_why and q.unit_choices[0] == "市发展和改革委员会"
    assert [(t.number, t.progress) for t in q.tasks] == [("2", "已公开12个项目")]
    assert q.tasks[0].candidates[0][:2] == (tasks["2"], "2")
    assert d.results.index(0, 3).data().startswith("待确认，未收录：")
    assert {r.unit for r in ctx.collect.returns(lid)} == {"市财政局"}  # nothing of the form stored
    assert "1 个待确认" in d.summary.text()

    d.ask_confirm = lambda outcome: ReturnAnswer("市发展和改革委员会", {outcome.question.tasks[0].index: tasks["2"]})
    d.confirm_row(0)  # the row double-clicked: asked again, answered, stored
    assert d.results.index(0, 3).data() == "新收录" and d.results.index(0, 1).data() == "市发展和改革委员会"
    got = {(r.unit, r.task_id): r.progress for r in ctx.collect.returns(lid)}
    assert got[("市发展和改革委员会", tasks["2"])] == "已公开12个项目"
    assert got[("市发展和改革委员会", tasks["3"])] == "已解读3件"
    d.undo_button.click()  # the whole collection, the confirmed file with it
    assert ctx.collect.returns(lid) == []


def test_the_confirm_dialog_offers_directory_units_and_candidate_tasks(office, qtbot) -> None:
    from desktop_app.ui.dialogs.collect_dialog import ConfirmReturnDialog

    window, lid, folder = office
    ctx = window.ctx
    tasks = {t.number: t.id for t in ctx.ledgers.get_ledger(lid).all_tasks()}
    form = _blank_form(folder.parent / "报送.docx", "发改部门")
    plan = ctx.collect.plan(lid)
    [outcome] = ctx.collect.read(plan, [form])
    dialog = ConfirmReturnDialog(outcome, {u.name: u for u in ctx.directory.units()}, window)
    qtbot.addWidget(dialog)
    assert [dialog.unit.itemData(i) for i in range(dialog.unit.count())][0] == "市发展和改革委员会"
    assert dialog.unit.itemText(0) == "市发展和改革委员会（市政府部门）"
    [box] = dialog.task_choices.values()
    texts = [box.itemText(i) for i in range(box.count())]
    assert texts[0].startswith("第2项（内容相似 ") and texts[0].endswith("：公开重大建设项目信息")
    assert texts[-1] == "不收录这一项"
    assert tasks["3"] not in [box.itemData(i) for i in range(box.count())]  # matched for sure: not offered
    dialog.unit.setCurrentIndex(dialog.unit.findData("市财政局"))
    box.setCurrentIndex(box.count() - 1)
    reply = dialog.answer()
    assert (reply.unit, list(reply.tasks.values())) == ("市财政局", [None])
    done = ctx.collect.answer(plan, outcome, reply)
    assert (done.unit, done.reported, done.uncertain) == ("市财政局", 1, ["第2项按确认未收录"])


def test_with_no_directory_yet_the_office_starts_it_from_the_ledger_and_a_paste(window, qtbot, qtmodeltester) -> None:
    ctx = window.ctx
    units = "市财政局牵头，市发改委、兴庆区人民政府负责"
    ledger = ctx.ledgers.add_ledger(
        Ledger(
            title="2023年政务公开工作要点台账",
            year=2023,
            sections=[Section(tasks=[Task(number="1", content="公开预算", units_text=units, units=parse_units(units))])],
        )
    )
    window.reload_ledgers(select=ledger.id)
    window.open_ledger(ledger.id)
    assert window.acts.collect_returns.isVisible()  # the office's ledger, before any directory
    d = _dialog(qtbot, window, ledger.id)
    assert d.tabs.currentWidget() is d.directory_page and "单位名录是空的" in d.directory_info.text()
    d.from_ledger_button.click()
    qtmodeltester.check(d.directory)
    assert [d.directory.index(r, 0).data() for r in range(d.directory.rowCount())] == [
        "市财政局", "市发改委", "兴庆区人民政府",
    ]
    d.paste.setPlainText("名称\t类别\t其他名称\t联系人\n市发改委\t市政府部门\t市发展和改革委员会\t张三\n")
    d.paste_button.click()
    assert [d.directory.index(1, c).data() for c in range(4)] == ["市发改委", "市政府部门", "市发展和改革委员会", "张三"]
    assert d.paste.toPlainText() == ""
    assert [d.states.index(r, 0).data() for r in range(d.states.rowCount())] == [
        "市财政局", "市发改委", "兴庆区人民政府",
    ]  # the returns list now expects them
    errors = []
    d.show_error = errors.append
    d.paste.setPlainText("市审批局\t乱写的类别\n")
    d.paste_button.click()
    assert len(errors) == 1 and "第1行" in errors[0] and d.directory.rowCount() == 3


def _return_of(window, lid: int, path: Path, unit: str, numbers: tuple[str, ...], as_of: date) -> Path:  # noqa: ANN001
    mine = copy.deepcopy(window.ctx.ledgers.get_ledger(lid))
    for t in mine.all_tasks():
        t.progress = f"{unit}第{t.number}项进展" if t.number in numbers else ""
    write_report(mine, path, ReportOptions(as_of=as_of, unit=unit))
    return path


def test_a_unit_that_sent_but_left_a_task_empty_shows_blank_not_missing(office, qtbot) -> None:
    from desktop_app.domain.returns import BLANK

    window, lid, folder = office
    path = _return_of(window, lid, folder.parent / "发改委.docx", "市发改委", ("2",), date(2023, 8, 10))
    d = _dialog(qtbot, window, lid)
    _collect(qtbot, d, [path])
    m = d.matrix
    ndrc = [m.headerData(c, Qt.Horizontal) for c in range(m.columnCount())].index("市发展和改革委员会")
    assert [m.index(r, ndrc).data() for r in range(3)] == ["不涉及", "已报送", "报送未填写"]
    assert m.index(2, ndrc).data(STATE_ROLE) == BLANK
    assert m.index(2, ndrc).data(Qt.BackgroundRole).color().name() == "#fff9c4"
    assert m.index(2, 2).data() == "未报送"  # 市财政局 sent nothing: missing
    d.state_filter.setCurrentIndex(d.state_filter.findData(BLANK))
    assert [m.index(r, 0).data() for r in range(m.rowCount())] == ["3"]
    assert m.columnCount() == 3 and m.index(0, 2).data() == "报送未填写"


def test_a_return_naming_its_round_goes_to_it_whatever_round_the_box_shows(office, qtbot) -> None:
    window, lid, folder = office
    ctx = window.ctx
    ctx.progress.set_report_dates(lid, [date(2023, 8, 15), date(2023, 12, 5)])
    first, second = ctx.progress.rounds(lid)
    path = _return_of(window, lid, folder.parent / "财政.docx", "市财政局", ("1",), date(2023, 8, 10))
    clock.set_today(date(2023, 8, 20))  # round 1 is past: the box opens on round 2
    d = _dialog(qtbot, window, lid)
    assert d.round_id() == second.id
    _collect(qtbot, d, [path])
    assert [r.progress for r in ctx.collect.returns(lid, first.id)] == ["市财政局第1项进展"]
    assert ctx.collect.returns(lid, second.id) == []
    assert d.round_id() == first.id and "已切换到该轮次" in d.summary.text()
    assert d.states.index(0, 2).data() == "逾期报送"  # received 8-20, due 8-15
