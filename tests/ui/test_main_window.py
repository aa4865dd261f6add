"""The main window on a real (temp) database: import, filter, search, edit, undo, colours, state."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QTableView, QTreeView

from desktop_app.domain import clock
from desktop_app.domain.status import DisplayStatus
from desktop_app.ui import status_style
from desktop_app.ui.models.roles import SEARCH_TERMS_ROLE
from desktop_app.ui.models.task_table_model import COLUMN_INDEX

DATA = Path(__file__).resolve().parent.parent / "data"


def _row(w, task_id: int) -> int:
    return w.model.row_of_task(task_id)


def _first_task(w, number: str):
    return next(t for t in w.model.tasks() if t.number == number)


def test_empty_database_shows_the_welcome_page(window):
    assert window.objectName() == "mainWindow"
    assert window.stack.currentWidget() is window.welcome
    welcome = window.welcome
    # the import is the main action (default, first); the sample comes second
    assert welcome.import_button.isDefault() and not welcome.sample_button.isDefault()
    buttons = [welcome.layout().itemAt(i).widget() for i in range(welcome.layout().count())]
    buttons = [b for b in buttons if b in (welcome.import_button, welcome.sample_button)]
    assert buttons == [welcome.import_button, welcome.sample_button]
    window.welcome.sample_button.click()
    assert window.stack.currentWidget() is window.tabs
    assert window.model.total_count == 39
    assert "示例" in window.current_ledger().title
    assert window.banner.isVisibleTo(window)  # non-modal reminder of overdue / due soon work


def test_stable_object_names(city):
    for name, cls in (("ledgerList", QTreeView), ("taskView", QTableView)):
        assert city.findChild(cls, name) is not None
    for name in (
        "searchBox",
        "statusFilter",
        "unitFilter",
        "progressEditor",
        "statusCombo",
        "percentSpin",
        "historyView",
        "dashboard",
    ):
        assert city.findChild(object, name) is not None, name


def test_ledgers_grouped_by_year(city, qtmodeltester):
    model = city.ledger_panel.model
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    assert model.index(0, 0).data() == "2023年"
    assert model.rowCount(model.index(0, 0)) == 1


def test_search_box_filters_and_counts(city, qtbot):
    qtbot.keyClicks(city.filter_bar.search, "12345")  # the hotline number, typed key by key
    assert city.model.visible_count == 1
    assert city.filter_bar.count.text() == "共 39 项，显示 1 项"
    assert city.model.search_terms() == ["12345"]
    city.filter_bar.search.clear()
    assert city.filter_bar.count.text() == "共 39 项"


def test_chinese_search_through_the_input_method(city, qtbot):
    box = city.filter_bar.search
    box.setFocus()
    event = QInputMethodEvent()
    event.setCommitString("回头看")
    QApplication.sendEvent(box, event)
    assert box.text() == "回头看"
    assert city.model.visible_count == 1
    row = next(r for r in range(city.model.rowCount()) if city.model.task_id_at(r) is not None)
    # the delegate paints matches highlighted: it reads the terms from the model
    assert city.model.index(row, 0).data(SEARCH_TERMS_ROLE) == ["回头看"]
    city.task_view.grab()  # paints through TaskDelegate's highlight path


def test_status_and_unit_filters(city):
    bar = city.filter_bar
    bar.set_status("ONGOING")
    ongoing = city.model.visible_count
    assert 0 < ongoing < 39
    bar.set_status(None)
    bar.unit.setCurrentIndex(bar.unit.findData("市司法局"))
    assert 0 < city.model.visible_count < 39
    bar.clear()
    assert city.model.visible_count == 39


def test_only_my_unit_uses_the_setting(city):
    city.ctx.settings.set("my_unit", "审批局")
    city._read_rules()
    city.filter_bar.mine.setChecked(True)
    assert city.model.visible_count == 3  # the tasks naming 市审批局


def test_edit_in_place_then_undo_with_ctrl_z(city, qtbot):
    task = _first_task(city, "5")
    index = city.model.index(_row(city, task.id), COLUMN_INDEX["progress"])
    assert city.model.setData(index, "已公开 12 条")
    assert city.ctx.ledgers.get_task(task.id).progress == "已公开 12 条"
    assert city.model.task(task.id).progress == "已公开 12 条"
    city.show()
    city.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is city)
    city.task_view.setFocus()
    qtbot.keyClick(city.task_view, Qt.Key_Z, Qt.ControlModifier)
    assert city.ctx.ledgers.get_task(task.id).progress == ""
    qtbot.keyClick(city.task_view, Qt.Key_Y, Qt.ControlModifier)
    assert city.ctx.ledgers.get_task(task.id).progress == "已公开 12 条"


def test_changing_the_status_changes_the_colour(city, monkeypatch):
    monkeypatch.setattr(city, "ask_done_percent", lambda task: "full")  # 已完成 at 0 %: set 100 %
    task = _first_task(city, "39")
    city.model.setData(city.model.index(_row(city, task.id), COLUMN_INDEX["deadline"]), "7月20日")
    row = _row(city, task.id)  # 即将到期 on 2023-07-01
    index = city.model.index(row, COLUMN_INDEX["status"])
    assert index.data(Qt.BackgroundRole) == status_style.status_color(DisplayStatus.DUE_SOON)
    shown_before = index.data()
    assert shown_before.startswith("即将到期（剩 19 天）")
    city.model.setData(index, "done")
    index = city.model.index(_row(city, task.id), COLUMN_INDEX["status"])
    assert index.data(Qt.BackgroundRole) == status_style.status_color(DisplayStatus.DONE)
    assert city.model.task(task.id).percent == 100
    assert index.data() == "已完成"
    city.undo_stack.undo()
    index = city.model.index(_row(city, task.id), COLUMN_INDEX["status"])
    assert index.data(Qt.BackgroundRole) == status_style.status_color(DisplayStatus.DUE_SOON)
    assert index.data() == shown_before  # 待更新 too, as before the edit (undo restores 最后更新)


def test_editing_the_deadline_recolours(city):
    task = _first_task(city, "39")
    city.model.setData(city.model.index(_row(city, task.id), COLUMN_INDEX["deadline"]), "6月底")
    index = city.model.index(_row(city, task.id), COLUMN_INDEX["status"])
    assert index.data(Qt.BackgroundRole) == status_style.status_color(DisplayStatus.OVERDUE)


def test_the_next_day_turns_rows_red(city, monkeypatch):
    task = _first_task(city, "15")  # 9月底
    city.model.setData(city.model.index(_row(city, task.id), COLUMN_INDEX["deadline"]), "7月1日")
    status = city.model.index(_row(city, task.id), COLUMN_INDEX["status"])
    assert status.data().startswith("临期")
    monkeypatch.setenv("LEDGER_TODAY", "2023-07-02")
    city.check_day()  # what the minute timer does
    status = city.model.index(_row(city, task.id), COLUMN_INDEX["status"])
    assert status.data().startswith("已逾期")
    assert clock.today() == date(2023, 7, 2)


def test_delete_task_and_undo_restores_it(city):
    task = _first_task(city, "7")
    city.task_view.select_task(task.id)
    city.delete_tasks()
    assert city.model.total_count == 38
    assert all(t.number != "7" for t in city.model.tasks())
    city.undo_stack.undo()
    assert city.model.total_count == 39
    assert any(t.number == "7" and t.content == task.content for t in city.model.tasks())
    city.undo_stack.redo()
    assert city.model.total_count == 38


def test_delete_key_in_the_table(city, qtbot):
    task = _first_task(city, "9")
    city.show()
    city.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is city)
    city.task_view.select_task(task.id)
    city.task_view.setFocus()
    qtbot.keyClick(city.task_view, Qt.Key_Delete)
    assert city.model.total_count == 38
    qtbot.keyClick(city.task_view, Qt.Key_Z, Qt.ControlModifier)
    assert city.model.total_count == 39


def test_ctrl_l_focuses_the_search_box_and_ctrl_f_opens_find(city, qtbot, monkeypatch):
    city.show()
    city.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is city)
    city.task_view.setFocus()
    qtbot.keyClick(city.task_view, Qt.Key_L, Qt.ControlModifier)
    assert city.filter_bar.search.hasFocus()
    opened = []
    monkeypatch.setattr(city, "run_dialog", lambda d: opened.append((d.objectName(), d.windowTitle())))
    city.task_view.setFocus()
    qtbot.keyClick(city.task_view, Qt.Key_F, Qt.ControlModifier)
    qtbot.keyClick(city.task_view, Qt.Key_H, Qt.ControlModifier)
    assert opened == [("findReplaceDialog", "查找"), ("findReplaceDialog", "查找和替换")]


def test_add_and_move_tasks(city):
    first = _first_task(city, "1")
    city.task_view.select_task(first.id)
    city.add_task()
    assert city.model.total_count == 40
    section = city.model.sections()[0]
    assert section.tasks[1].content == ""
    new_id = city.task_view.current_task_id()
    assert new_id == section.tasks[1].id
    city.move_task(-1)
    assert city.model.sections()[0].tasks[0].id == new_id
    city.undo_stack.undo()  # the move
    assert city.model.sections()[0].tasks[1].id == new_id
    city.undo_stack.undo()  # the add
    assert city.model.total_count == 39


def test_sections_add_rename_delete_undo(city, monkeypatch):
    monkeypatch.setattr(city, "ask_text", lambda *a, **k: "五、新增板块")
    monkeypatch.setattr(city, "ask_confirm", lambda *a, **k: True)
    city.add_section()
    assert len(city.model.sections()) == 5
    city.undo_stack.undo()
    assert len(city.model.sections()) == 4
    first = _first_task(city, "39")
    city.task_view.select_task(first.id)
    city.delete_section()
    assert len(city.model.sections()) == 3
    city.undo_stack.undo()
    assert len(city.model.sections()) == 4
    assert city.model.total_count == 39


def test_ledger_new_rename_copy_delete(window, monkeypatch):
    monkeypatch.setattr(window, "ask_new_ledger", lambda: ("测试台账", 2023))
    window.new_ledger()
    assert [s.title for s in window.summaries()] == ["测试台账"]
    monkeypatch.setattr(window, "ask_text", lambda *a, **k: "改名后的台账")
    window.rename_ledger()
    assert window.summaries()[0].title == "改名后的台账"
    monkeypatch.setattr(window, "ask_confirm", lambda *a, **k: True)
    monkeypatch.setattr(window, "run_dialog", lambda dialog: dialog.start() or dialog.accept() or True)
    window.copy_to_next_year()
    assert sorted(s.year for s in window.summaries()) == [2023, 2024]
    window.delete_ledger()
    assert len(window.summaries()) == 1
    refused = []
    monkeypatch.setattr(window, "ask_confirm", lambda *a, **k: refused.append(1) or False)
    window.delete_ledger()
    assert refused and len(window.summaries()) == 1


def test_report_dates_and_countdown(city, monkeypatch):
    assert city.report_label.text().startswith("距 8月15日 报送还有 45 天")
    monkeypatch.setattr(city, "ask_report_dates", lambda dates, year: [date(2023, 7, 10)])
    city.edit_report_dates()
    assert city.report_label.text().startswith("距 7月10日 报送还有 9 天")


def test_dashboard_lists_and_jump(city):
    task = _first_task(city, "20")
    city.model.setData(city.model.index(_row(city, task.id), COLUMN_INDEX["deadline"]), "7月5日")
    dash = city.dashboard
    city.show_tab(1)  # the dashboard is counted when shown
    assert dash.objectName() == "dashboard"
    assert dash.cards["total"].text() == "39"
    assert dash.soon_list.count() >= 1
    item = dash.soon_list.item(0)
    dash.soon_list.itemDoubleClicked.emit(item)
    assert city.tabs.currentIndex() == 0
    assert city.task_view.current_task_id() == item.data(Qt.UserRole) == task.id


def test_drop_a_file_opens_the_import_wizard(city, qtbot, monkeypatch):
    seen = []
    monkeypatch.setattr(city, "import_file", lambda path=None: seen.append(path))
    mime = QMimeData()
    mime.setUrls(
        [
            QUrl.fromLocalFile(str(DATA / "natural-resources-2022.docx")),
            QUrl.fromLocalFile(str(DATA / "natural-resources-2022.xlsx")),
        ]
    )
    event = QDropEvent(QPoint(10, 10), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    city.dropEvent(event)
    qtbot.waitUntil(lambda: len(seen) == 2)
    assert [p.name for p in seen] == ["natural-resources-2022.docx", "natural-resources-2022.xlsx"]


def test_column_widths_sort_and_hidden_columns_are_remembered(city, tmp_path):
    from desktop_app.app import create_window

    header = city.task_view.horizontalHeader()
    city.task_view.setColumnWidth(COLUMN_INDEX["content"], 444)
    city.task_view.set_column_visible(COLUMN_INDEX["indicator"], False)
    header.setSortIndicator(COLUMN_INDEX["number"], Qt.DescendingOrder)
    city.save_state()
    again = create_window(city.ctx.db_path.parent / "other.sqlite3")
    try:
        h2 = again.task_view.horizontalHeader()
        assert h2.sectionSize(COLUMN_INDEX["content"]) == 444
        assert h2.isSectionHidden(COLUMN_INDEX["indicator"])
        assert again.model.sort_state() == (COLUMN_INDEX["number"], Qt.DescendingOrder)
    finally:
        again.shutdown()
        again.deleteLater()


def test_font_scale_grows_rows(city):
    before = city.task_view.verticalHeader().defaultSectionSize()
    text_before = city.filter_bar.search.fontInfo().pointSizeF()
    city.apply_font_scale(200)
    assert city.task_view.verticalHeader().defaultSectionSize() > before * 1.5
    assert city.filter_bar.search.fontInfo().pointSizeF() > text_before * 1.5  # the text itself grows
    city.apply_font_scale(100)
    assert city.task_view.verticalHeader().defaultSectionSize() == before


def test_section_title_edited_in_place(city):
    row = next(iter(city.model.section_rows()))
    index = city.model.index(row, 0)
    assert index.flags() & Qt.ItemIsEditable
    assert index.data(Qt.EditRole) == "一、全环节推进信息公开"
    assert city.model.setData(index, "一、改过的板块")
    assert city.model.sections()[0].title == "一、改过的板块"
    city.undo_stack.undo()
    assert city.model.sections()[0].title == "一、全环节推进信息公开"


def test_errors_reach_the_user_as_one_sentence(city):
    task = _first_task(city, "3")
    city.model.setData(city.model.index(_row(city, task.id), COLUMN_INDEX["percent"]), 150)
    assert city.errors and "\n" not in city.errors[-1]
    assert city.ctx.ledgers.get_task(task.id).percent != 150


def test_ledger_actions_need_a_ledger(window):
    assert not window.acts.export.isEnabled()
    assert not window.acts.delete_ledger.isEnabled()
    assert window.acts.import_file.isEnabled() and window.acts.new_ledger.isEnabled()
    window.load_sample()
    assert window.acts.export.isEnabled()


def test_rows_changed_in_place_match_the_database(city, qtmodeltester):
    def order(sections):
        return [[t.id for t in s.tasks] for s in sections]

    first = _first_task(city, "2")
    city.task_view.select_task(first.id)
    city.add_task()
    city.move_task(1)
    city.move_task(-1)
    city.task_view.select_task(_first_task(city, "10").id)
    city.move_task(1)  # across into the next section
    city.delete_tasks()
    city.undo_stack.undo()
    qtmodeltester.check(city.model)
    assert order(city.model.sections()) == order(
        city.ctx.ledgers.get_ledger(city.current_ledger().id).sections
    )


def test_stale_count_agrees_everywhere(city):
    """The status bar, the 待更新 filter and the service's count of the next report say the same."""
    ledger_id = city.current_ledger().id
    _due, _days, service_count = city.ctx.progress.next_report(ledger_id, clock.today())
    assert f"{service_count} 项待更新" in city.report_label.text()
    city.show_stale()
    assert city.model.visible_count == service_count
    task = next(t for t in city.model.tasks() if city.model.info(t.id).stale)
    city.model.setData(city.model.index(_row(city, task.id), COLUMN_INDEX["progress"]), "已更新")
    assert f"{service_count - 1} 项待更新" in city.report_label.text()
    assert not city.model.info(task.id).stale


def test_reminder_banner_follows_edits_and_ledgers(city, qtbot, monkeypatch):
    """The 提醒 banner counts what is overdue now: after an edit, after a switch, 知道了 per ledger."""
    from desktop_app.domain import clock
    from desktop_app.domain.model import TaskStatus

    monkeypatch.setenv("LEDGER_TODAY", "2023-12-10")
    clock.set_today(None)
    city.check_day()
    city.show_reminder()
    label = city.banner_label
    assert city.banner.isVisibleTo(city) and "已逾期" in label.text()
    overdue = int(label.text().split("：")[1].split(" 项已逾期")[0])
    first = next(t for t in city.model.tasks() if city.model.info(t.id).status.name == "OVERDUE")
    city.model.update_task(city.ctx.ledgers.update_task(first.id, "status", TaskStatus.DONE))
    qtbot.waitUntil(lambda: f"{overdue - 1} 项已逾期" in label.text(), timeout=3000)
    # 知道了 hides it for this ledger, edits do not bring it back
    city._dismiss_banner()
    city.model.update_task(city.ctx.ledgers.update_task(first.id, "status", TaskStatus.IN_PROGRESS))
    qtbot.wait(400)
    assert not city.banner.isVisibleTo(city)
    # another ledger with nothing overdue: no stale banner from the first
    city._banner_dismissed.clear()
    city.show_reminder()
    assert city.banner.isVisibleTo(city)
    other = city.ctx.ledgers.create_ledger("空台账", 2023)
    city.reload_ledgers(select=other.id)
    city.open_ledger(other.id)
    qtbot.wait(400)
    assert not city.banner.isVisibleTo(city)


def test_evidence_package_is_written_in_the_background_with_its_index(city, qtbot, tmp_path, monkeypatch):
    """报送 → 导出佐证材料包: a file added to a task (its checksum stored) lands in the task's folder of
    the zip; the bar shows progress and goes; the status bar says how many files went in."""
    import zipfile

    task = city.current_ledger().all_tasks()[0]
    evidence = tmp_path / "公示截图.txt"
    evidence.write_bytes(b"x" * 3_000_000)
    att = city.ctx.progress.add_attachment(task.id, evidence)
    assert att.sha256 and len(att.sha256) == 64
    target = tmp_path / "out" / "佐证.zip"
    target.parent.mkdir()
    monkeypatch.setattr(city, "ask_save_file", lambda suggested, filters: target)
    bars: list[int] = []
    city.runner.progress.connect(lambda done, total: bars.append(done))
    city.acts.evidence.trigger()
    qtbot.waitUntil(lambda: not city.runner.busy, timeout=30000)
    qtbot.waitUntil(lambda: hasattr(city, "last_evidence"), timeout=5000)
    with zipfile.ZipFile(target) as z:
        packed = [n for n in z.namelist() if n.endswith("公示截图.txt")]
        assert len(packed) == 1 and packed[0].startswith(f"{task.number}_")
    assert len(bars) >= 3 and not city.busy_bar.isVisible()
    assert "1 个文件" in city.statusBar().currentMessage()


def test_a_big_ledger_waits_for_typing_to_pause(city, qtbot, monkeypatch):
    """From BIG_LEDGER tasks the search box debounces (one filter per word typed quickly); a smaller
    ledger filters at every key."""
    from desktop_app.ui import main_window
    from desktop_app.ui.widgets.filter_bar import BIG_SEARCH_DELAY_MS

    assert city.filter_bar.search_delay() == 0
    monkeypatch.setattr(main_window, "BIG_LEDGER", city.model.total_count)
    city.open_ledger(city.current_ledger().id)
    assert city.filter_bar.search_delay() == BIG_SEARCH_DELAY_MS
    qtbot.keyClicks(city.filter_bar.search, "12345")
    assert city.model.filter_spec().text == ""
    qtbot.waitUntil(lambda: city.model.filter_spec().text == "12345", timeout=3000)


def test_reminder_view_lists_what_the_banner_counts_after_edits(city, qtbot, monkeypatch):
    """查看 shows the tasks the 提醒 banner counts, also after a task is set 已完成 (one fewer) and
    after a task's deadline is moved to 9 days from today (it appears as due soon)."""
    from desktop_app.domain import clock
    from desktop_app.domain.model import TaskStatus

    monkeypatch.setenv("LEDGER_TODAY", "2023-12-10")
    clock.set_today(None)
    city.check_day()
    city.show_reminder()
    label = city.banner_label

    def counted() -> int:
        text = label.text().split("：", 1)[1].rstrip("。")
        return sum(int(part.split(" 项")[0]) for part in text.split("，"))

    total = counted()
    city._show_reminded()
    assert len(city.model.visible_task_ids()) == total
    first = next(t for t in city.model.tasks() if city.model.info(t.id).status.name == "OVERDUE")
    city.model.update_task(city.ctx.ledgers.update_task(first.id, "status", TaskStatus.DONE))
    qtbot.waitUntil(lambda: counted() == total - 1, timeout=3000)
    city._show_reminded()
    assert len(city.model.visible_task_ids()) == total - 1
    assert first.id not in city.model.visible_task_ids()
    # a task not due yet, given a deadline 9 days from today: counted and listed
    city.filter_bar.clear()
    later = next(
        t for t in city.model.tasks()
        if city.model.info(t.id).status.name not in ("OVERDUE", "DUE_SOON", "DUE_VERY_SOON", "DONE")
        and t.status != TaskStatus.DONE
    )
    city.model.update_task(city.ctx.ledgers.update_task(later.id, "deadline_text", "2023年12月19日"))
    qtbot.waitUntil(lambda: counted() == total, timeout=3000)
    city._show_reminded()
    assert later.id in city.model.visible_task_ids()
    assert len(city.model.visible_task_ids()) == total


def test_a_big_ledger_opens_from_its_outline_and_the_banner_counts_without_reading_tasks(window, qtbot):
    """Opening a ledger reads its rows' heads, not its tasks: the 提醒 banner and the report countdown
    count statuses by the grouped query, and agree with the rule run on every task; the rows painted
    are read in blocks; anything that needs the whole ledger (current_ledger) gets every task."""
    from collections import Counter

    from desktop_app.domain.deadlines import parse_deadline
    from desktop_app.domain.model import Ledger, Section, Task, TaskStatus

    texts = ["2023年6月20日", "7月5日", "7月25日", "长期坚持", "9月底", "全年"]
    tasks = [
        Task(
            number=str(i),
            content=f"第{i}项",
            deadline=parse_deadline(texts[i % len(texts)], 2023),
            status=TaskStatus.DONE if i % 9 == 0 else TaskStatus.NOT_STARTED,
            progress="已推进" if i % 4 == 0 else "",
            position=i,
        )
        for i in range(1500)
    ]
    saved = window.ctx.imports.save(Ledger(title="大台账", year=2023, sections=[Section(title="一", tasks=tasks)]))
    window.reload_ledgers(select=saved.id)
    model = window.model
    assert model.total_count == 1500 and not model.fully_loaded() and model.loaded_count() == 0
    window.show_reminder()
    expected = Counter(window._status_of(t).status for t in window.ctx.ledgers.get_ledger(saved.id).all_tasks())
    soon = expected[DisplayStatus.DUE_VERY_SOON] + expected[DisplayStatus.DUE_SOON]
    text = window.banner_label.text()
    assert f"{expected[DisplayStatus.OVERDUE]} 项已逾期" in text and expected[DisplayStatus.OVERDUE] > 0
    assert soon > 0 and str(expected[DisplayStatus.DUE_VERY_SOON]) in text
    assert model.loaded_count() == 0  # counted without reading a task
    window.show()
    qtbot.waitUntil(lambda: model.loaded_count() > 0)
    assert model.index(1, COLUMN_INDEX["content"]).data() == "第0项"
    ledger = window.current_ledger()  # the whole ledger for those who need it (export, print, collect)
    assert model.fully_loaded() and [t.content for t in ledger.all_tasks()] == [t.content for t in tasks]
    window.show_reminder()
    assert window.banner_label.text() == text
