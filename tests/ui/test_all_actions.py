"""Every QAction of the main window (menus, toolbar, the dock's and toolbar's toggles, the context menus
of the table header, the ledger list and the window), triggered on the city ledger. Each dialog an
action opens is really opened (exec) and cancelled by a timer; the file/message/input boxes go through
the window's ask_* methods, replaced here by cancelling ones. A case per action checks what it did
(or that a cancelled dialog changed nothing). An action found in the window without a case in ACTIONS,
or one the test did not manage to trigger, fails the test."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QToolBar, QToolButton

from desktop_app.ui.models.task_table_model import COLUMNS, STALE_FILTER

DATA = Path(__file__).resolve().parent.parent / "data"
CITY = DATA / "city-2023.docx"


def action_key(action: QAction) -> str | None:
    """The name a case is filed under: the objectName, "menu:<title>" for a submenu, else
    "<parent class>:<text>" (Qt's own toggles); separators are not actions a user can trigger."""
    if action.isSeparator():
        return None
    if action.menu() is not None:
        return f"menu:{action.text()}"
    if action.objectName():
        return action.objectName()
    return f"{type(action.parent()).__name__}:{action.text()}"


def in_dialog(action: QAction) -> bool:
    """An action of a dialog's own (the print preview's toolbar): test_all_dialogs covers those."""
    parent = action.parent()
    while parent is not None:
        if isinstance(parent, QDialog):
            return True
        parent = parent.parent()
    return False


@dataclasses.dataclass(repr=False)
class Trial:
    """What the test drives and what it saw: the window, the dialogs opened, the boxes asked."""

    w: object
    qtbot: object
    modal: object
    asked: list[tuple[str, tuple]]
    take: Callable[[object], tuple]
    found: dict[str, str] = dataclasses.field(default_factory=dict)  # key -> where it was seen
    triggered: set[str] = dataclasses.field(default_factory=set)
    painted: list[int] = dataclasses.field(default_factory=list)  # pages of each print preview
    _watched: dict[int, QAction] = dataclasses.field(default_factory=dict)
    _mark: tuple[int, int] = (0, 0)

    # ---- bookkeeping --------------------------------------------------------------------------------
    def watch(self, action: QAction, where: str) -> None:
        key = action_key(action)
        if key is None:
            return
        self.found.setdefault(key, where)
        if id(action) in self._watched:
            return
        self._watched[id(action)] = action
        if action.menu() is not None:
            action.menu().aboutToShow.connect(lambda k=key: self.triggered.add(k))
        else:
            action.triggered.connect(lambda _c=False, k=key: self.triggered.add(k))

    def watch_window(self) -> None:
        for action in self.w.findChildren(QAction):
            if not in_dialog(action):
                self.watch(action, "window")

    def action(self, key: str) -> QAction:
        for action in self.w.findChildren(QAction):
            if action_key(action) == key:
                return action
        raise AssertionError(f"no action {key} in the window")

    def mark(self) -> None:
        self._mark = (len(self.modal.opened), len(self.asked))

    def opened(self) -> list[str]:
        return self.modal.opened[self._mark[0] :]

    def asked_now(self) -> list[str]:
        return [name for name, _args in self.asked[self._mark[1] :]]

    def fire(self, key: str) -> None:
        """Trigger the window's action as its menu item or toolbar button would, then let it finish."""
        self.mark()
        action = self.action(key)
        assert action.isEnabled(), f"{key} is disabled in this state"
        action.trigger()
        self.settle()

    def settle(self) -> None:
        self.w.runner.wait(20000)
        QApplication.processEvents()
        QApplication.sendPostedEvents(None, QEvent.DeferredDelete)  # dialogs and menus let go

    # ---- state -------------------------------------------------------------------------------------
    def ledger(self):  # noqa: ANN201
        return self.w.ctx.ledgers.get_ledger(self.w.current_ledger().id)

    def snapshot(self) -> tuple:
        return self.take(self.w)

    def select(self, section: int = 0, task: int = 0) -> int:
        tid = self.w.model.sections()[section].tasks[task].id
        assert self.w.task_view.select_task(tid)
        return tid

    # ---- context menus -------------------------------------------------------------------------------
    def popup(self, open_menu: Callable[[], None], where: str, pick: str | None = None) -> list[str]:
        """Open a context menu (open_menu may block in QMenu.exec or return after QMenu.popup), note
        its actions, then choose `pick` with the keyboard (or close it with Escape). Returns the keys
        the menu showed."""
        shown: list[str] = []
        state = {"tries": 0, "handled": False}

        def poll() -> None:
            menu = QApplication.activePopupWidget()
            if not isinstance(menu, QMenu):
                state["tries"] += 1
                if state["tries"] < 250:
                    QTimer.singleShot(20, poll)
                return
            for a in menu.actions():
                self.watch(a, where)
                if action_key(a):
                    shown.append(action_key(a))
            target = next((a for a in menu.actions() if action_key(a) == pick), None) if pick else None
            if target is not None:
                menu.setActiveAction(target)
                QTest.keyClick(menu, Qt.Key_Return)
            else:
                QTest.keyClick(menu, Qt.Key_Escape)
            state["handled"] = True

        self.mark()
        QTimer.singleShot(0, poll)
        open_menu()
        self.qtbot.waitUntil(lambda: state["handled"] or state["tries"] >= 250, timeout=10000)
        self.settle()
        assert shown, f"no context menu opened ({where})"
        if pick:
            assert pick in shown, f"{pick} not in the {where} menu: {shown}"
        return shown

    def header_popup(self, pick: str | None = None) -> list[str]:
        header = self.w.task_view.horizontalHeader()
        return self.popup(lambda: header.customContextMenuRequested.emit(QPoint(20, 5)), "header", pick)

    def ledger_popup(self, pick: str | None = None) -> list[str]:
        tree = self.w.ledger_panel.tree
        return self.popup(lambda: tree.customContextMenuRequested.emit(QPoint(20, 20)), "ledger list", pick)

    def window_popup(self, pick: str | None = None) -> list[str]:
        """QMainWindow's own menu (right-click on the toolbar): the toolbar and dock toggles."""
        toolbar = self.w.findChild(QToolBar, "mainToolBar")

        def open_menu() -> None:
            pos = QPoint(toolbar.width() - 5, 5)
            event = QContextMenuEvent(QContextMenuEvent.Mouse, pos, toolbar.mapToGlobal(pos))
            QApplication.sendEvent(toolbar, event)

        return self.popup(open_menu, "window", pick)

    def menubar_menu(self, key: str) -> list[str]:
        """Open a menu of the menu bar (non-blocking popup), note its items, close it."""
        menu = self.action(key).menu()
        menu.popup(self.w.mapToGlobal(QPoint(40, 40)))
        self.qtbot.waitUntil(menu.isVisible, timeout=5000)
        items = [action_key(a) for a in menu.actions() if action_key(a)]
        for a in menu.actions():
            self.watch(a, key)
        menu.close()
        return items


# ---- the cases: one per action, in the order they run -------------------------------------------------
def cancelled(dialog: str | None = None, asked: str | None = None, select: bool = False):  # noqa: ANN201
    """The action opens `dialog` (cancelled) or asks through `asked` (cancelled): nothing changes."""

    def case(t: Trial, key: str) -> None:
        if select:
            t.select(1, 1)
        before = t.snapshot()
        t.fire(key)
        if dialog:
            assert t.opened() == [dialog], t.opened()
        if asked:
            assert asked in t.asked_now(), t.asked_now()
        assert dialog or asked
        assert t.snapshot() == before

    return case


def menubar(*expected: str):  # noqa: ANN201
    def case(t: Trial, key: str) -> None:
        items = t.menubar_menu(key)
        assert all(e in items for e in expected), items

    return case


def _show_columns(t: Trial, key: str) -> None:
    """视图 → 显示的列: the submenu is filled when shown; each column toggled off and on again."""
    t.menubar_menu(key)
    menu = t.action(key).menu()
    header = t.w.task_view.horizontalHeader()
    actions = [a for a in menu.actions() if action_key(a)]
    assert len(actions) == len(COLUMNS)
    for i, action in enumerate(actions):
        was = header.isSectionHidden(i)
        action.trigger()
        assert header.isSectionHidden(i) != was
        action.trigger()
        assert header.isSectionHidden(i) == was


def _import(t: Trial, key: str) -> None:
    before = t.snapshot()
    t.fire(key)
    assert t.asked_now() == ["ask_open_file"]
    assert t.opened() == ["ImportWizard"]  # read the file, then cancelled
    assert t.w.last_wizard.result is not None and t.w.last_wizard.ledger is None
    assert t.snapshot() == before


def _print(t: Trial, key: str) -> None:
    before = t.snapshot()
    t.fire(key)
    assert t.opened() == ["PrintPreviewDialog"]
    assert t.painted[-1] >= 2  # the 39 tasks on A4 landscape
    assert t.snapshot() == before


def _save(t: Trial, key: str) -> None:
    before = t.snapshot()
    t.fire(key)
    assert "已保存" in t.w.statusBar().currentMessage()
    assert t.snapshot() == before


def _add_task(t: Trial, key: str) -> None:
    t.select(0, 0)
    total = t.w.model.total_count
    t.fire(key)
    assert t.w.model.total_count == total + 1
    assert len(t.ledger().all_tasks()) == total + 1


def _undo(t: Trial, key: str) -> None:
    total = t.w.model.total_count
    t.fire(key)
    assert t.w.model.total_count == total - 1 == len(t.ledger().all_tasks())


def _redo(t: Trial, key: str) -> None:
    total = t.w.model.total_count
    t.fire(key)
    assert t.w.model.total_count == total + 1 == len(t.ledger().all_tasks())


def _delete_task(t: Trial, key: str) -> None:
    tid = t.select(0, 1)
    total = t.w.model.total_count
    t.fire(key)
    if "ask_confirm" in t.asked_now():  # asked first and cancelled: nothing goes
        assert t.w.model.total_count == total
    else:
        assert t.w.model.total_count == total - 1
        assert tid not in [x.id for x in t.ledger().all_tasks()]


def _move(step: int):  # noqa: ANN202
    def case(t: Trial, key: str) -> None:
        tid = t.select(2, 1)
        t.fire(key)
        ids = [x.id for x in t.ledger().sections[2].tasks]
        assert ids.index(tid) == 1 + step

    return case


def _find(t: Trial, key: str) -> None:
    t.w.show_tab(1)
    t.fire(key)
    assert t.w.tabs.currentIndex() == 0


def _copy(t: Trial, key: str) -> None:
    from PySide6.QtGui import QGuiApplication

    t.select(0, 2)
    before = t.snapshot()
    t.fire(key)
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.hasHtml() and "<table" in mime.html() and "\t" in mime.text()
    assert t.snapshot() == before


def _paste(t: Trial, key: str) -> None:
    from PySide6.QtGui import QGuiApplication

    from desktop_app.ui.models.task_table_model import COLUMN_INDEX

    tid = t.select(0, 3)
    view = t.w.task_view
    view.setCurrentIndex(t.w.model.index(t.w.model.row_of_task(tid), COLUMN_INDEX["progress"]))
    QGuiApplication.clipboard().setText("从 Excel 粘贴的进展\n")
    t.fire(key)
    assert t.w.ctx.ledgers.get_task(tid).progress == "从 Excel 粘贴的进展"
    t.w.undo_stack.undo()
    assert t.w.ctx.ledgers.get_task(tid).progress == ""


def _clear_filters(t: Trial, key: str) -> None:
    t.w.filter_bar.search.setText("回头看")
    t.qtbot.waitUntil(lambda: t.w.model.visible_count < t.w.model.total_count, timeout=5000)
    t.fire(key)
    assert t.w.filter_bar.search.text() == ""
    t.qtbot.waitUntil(lambda: t.w.model.visible_count == t.w.model.total_count, timeout=5000)


def _clear_search_box(t: Trial, key: str) -> None:
    """Qt's clear button in the search box: its action clears nothing itself, the button's click does."""
    search = t.w.filter_bar.search
    search.setText("回头看")
    action = t.action(key)
    button = next(b for b in search.findChildren(QToolButton) if b.defaultAction() is action)
    t.mark()
    t.qtbot.mouseClick(button, Qt.LeftButton)
    t.settle()
    assert search.text() == ""


def _tab(index: int):  # noqa: ANN202
    def case(t: Trial, key: str) -> None:
        t.w.show_tab(1 - index)
        t.fire(key)
        assert t.w.tabs.currentIndex() == index

    return case


def _zoom(expected: int):  # noqa: ANN202
    def case(t: Trial, key: str) -> None:
        t.fire(key)
        assert t.w._scale == expected
        assert t.w.ctx.settings.get("font_scale") == str(expected)

    return case


def _reset_sort(t: Trial, key: str) -> None:
    t.w.model.sort(2, Qt.AscendingOrder)
    assert t.w.model.sort_state()[0] == 2
    t.fire(key)
    assert t.w.model.sort_state()[0] == -1


def _toggle_ledger_list(t: Trial, key: str) -> None:
    """视图 → 台账列表 folds the ledger list to the left edge and unfolds it again."""
    shown = t.w.ledger_list_shown()
    t.fire(key)
    assert t.w.ledger_list_shown() is not shown
    assert t.w.splitter.sizes()[0] == 0 if shown else t.w.splitter.sizes()[0] > 0
    t.fire(key)
    assert t.w.ledger_list_shown() is shown


def _stale(t: Trial, key: str) -> None:
    t.fire(key)
    assert t.w.filter_bar.status.currentData() == frozenset({STALE_FILTER})
    assert t.w.tabs.currentIndex() == 0
    t.w.filter_bar.clear()


def _about(t: Trial, key: str) -> None:
    t.fire(key)
    assert t.opened() == ["QMessageBox"]


def _data_folder(t: Trial, key: str) -> None:
    t.fire(key)
    assert t.asked_now() == ["open_url"]
    url = t.asked[-1][1][0]
    assert Path(url.toLocalFile()) == Path(t.w.ctx.db_path).parent


def _sample(t: Trial, key: str) -> None:
    city = t.w.current_ledger().id
    count = len(t.w.ctx.ledgers.list_ledgers())
    t.fire(key)
    assert len(t.w.ctx.ledgers.list_ledgers()) == count + 1
    assert t.w.current_ledger().id != city and t.w.model.total_count > 0
    t.w.ledger_panel.select_ledger(city)  # back to the city ledger for the cases after this one
    assert t.w.current_ledger().id == city


def _toggle(widget: Callable[[Trial], object]):  # noqa: ANN202
    """A dock or toolbar toggle, chosen in the window's own context menu: hides, then shows again."""

    def case(t: Trial, key: str) -> None:
        target = widget(t)
        assert target.isVisible()
        t.window_popup(pick=key)
        assert not target.isVisible()
        t.window_popup(pick=key)
        assert target.isVisible()

    return case


def _header_column(index: int):  # noqa: ANN202
    def case(t: Trial, key: str) -> None:
        header = t.w.task_view.horizontalHeader()
        was = header.isSectionHidden(index)
        t.header_popup(pick=key)
        assert header.isSectionHidden(index) != was
        t.header_popup(pick=key)
        assert header.isSectionHidden(index) == was

    return case


def _header_reset_sort(t: Trial, key: str) -> None:
    t.w.model.sort(3, Qt.DescendingOrder)
    t.header_popup(pick=key)
    assert t.w.model.sort_state()[0] == -1


def _header_reset_widths(t: Trial, key: str) -> None:
    view = t.w.task_view
    view.setColumnWidth(2, 33)
    view.user_sized = True
    t.header_popup(pick=key)
    assert view.columnWidth(2) > 33 and not view.user_sized  # fitted to the view again


def _quit(t: Trial, key: str) -> None:
    assert t.w.isVisible()
    t.fire(key)
    assert not t.w.isVisible()


Case = Callable[[Trial, str], None]
# (where the action is triggered, the case). "window": QAction.trigger() as a menu item/toolbar button
# does; "header"/"window menu": picked in that context menu; "menu bar": the submenu is opened.
def _city_office(dialog: str | None = None, asked: str | None = None) -> Case:
    """The city office's actions show once the directory holds the ledger's units; then cancelled."""
    inner = cancelled(dialog=dialog, asked=asked)

    def case(t: Trial, key: str) -> None:
        from desktop_app.ui.collect_flows import update_visibility

        t.w.ctx.directory.fill_from_ledger(t.w.current_ledger().id)
        update_visibility(t.w)
        assert t.action(key).isVisible()
        inner(t, key)

    return case


ACTIONS: dict[str, tuple[str, Case]] = {
    "menu:文件(&F)": ("menu bar", menubar("actionImport", "actionExport", "actionPrint", "actionQuit")),
    "menu:编辑(&E)": ("menu bar", menubar("actionUndo", "actionRedo", "actionAddTask", "actionDeleteTask")),
    "menu:视图(&V)": ("menu bar", menubar("actionShowTasks", "actionZoomIn", "menu:显示的列")),
    "menu:显示的列": ("menu bar", _show_columns),
    "menu:台账(&L)": ("menu bar", menubar("actionNewLedger", "actionCopyNextYear", "actionDeriveLedger", "actionRoles", "actionLoadSample")),
    "menu:报送(&R)": ("menu bar", menubar("actionReportDates", "actionReportExport", "actionEvidencePackage", "actionSubmissions", "actionShowStale")),
    "menu:帮助(&H)": ("menu bar", menubar("actionAbout", "actionOpenDataFolder")),
    "menu:": ("menu bar", menubar()),  # the menu bar's » overflow menu (Qt's own)
    "actionOpenDatabase": ("window", cancelled(dialog="OpenDatabaseDialog")),
    "actionImport": ("window", _import),
    "actionExport": ("window", cancelled(dialog="ExportDialog")),
    "actionExportPdf": ("window", cancelled(asked="ask_save_file")),
    "actionPrint": ("window", _print),
    "actionSettings": ("window", cancelled(dialog="SettingsDialog")),
    "actionHolidays": ("window", cancelled(dialog="HolidayDialog")),
    "actionSave": ("window", _save),
    "actionAddTask": ("window", _add_task),
    "actionUndo": ("window", _undo),
    "actionRedo": ("window", _redo),
    "toolbarUndo": ("window", _undo),  # the toolbar's fixed-label stand-ins
    "toolbarRedo": ("window", _redo),
    "actionDeleteTask": ("window", _delete_task),
    "actionRecycleBin": ("window", cancelled(dialog="RecycleBinDialog")),  # holds the task just deleted
    "actionMoveUp": ("window", _move(-1)),
    "actionMoveDown": ("window", _move(+1)),
    "actionAddSection": ("window", cancelled(asked="ask_text")),
    "actionRenameSection": ("window", cancelled(asked="ask_text", select=True)),
    "actionDeleteSection": ("window", cancelled(asked="ask_confirm", select=True)),
    "actionFind": ("window", _find),
    "actionCopy": ("window", _copy),
    "actionPaste": ("window", _paste),
    "actionBulkEdit": ("window", cancelled(dialog="BulkEditDialog", select=True)),
    "actionFindReplace": ("window", cancelled(dialog="FindReplaceDialog")),
    "actionReplace": ("window", cancelled(dialog="FindReplaceDialog")),
    "actionClearFilters": ("window", _clear_filters),
    "_q_qlineeditclearaction": ("window", _clear_search_box),
    "actionShowTasks": ("window", _tab(0)),
    "actionShowDashboard": ("window", _tab(1)),
    "actionZoomIn": ("window", _zoom(110)),
    "actionZoomOut": ("window", _zoom(100)),
    "actionResetSort": ("window", _reset_sort),
    "actionToggleLedgerList": ("window", _toggle_ledger_list),
    "QDockWidget:进展编辑栏": ("window menu", _toggle(lambda t: t.w.progress_dock)),
    "QToolBar:工具栏": ("window menu", _toggle(lambda t: t.w.findChild(QToolBar, "mainToolBar"))),
    "actionNewLedger": ("window", cancelled(dialog="LedgerDialog")),
    "actionRenameLedger": ("window", cancelled(asked="ask_text")),
    "actionLedgerInfo": ("window", cancelled(dialog="LedgerDialog")),
    "actionDeleteLedger": ("window", cancelled(asked="ask_confirm")),
    "actionCopyNextYear": ("window", cancelled(dialog="CarryOverDialog")),
    "actionDeriveLedger": ("window", cancelled(dialog="DeriveDialog")),
    "actionAuditTrail": ("window", cancelled(dialog="AuditDialog")),
    "actionSearchAll": ("window", cancelled(dialog="SearchAllDialog")),
    "actionReportDates": ("window", cancelled(dialog="ReportDatesDialog")),
    "actionReportExport": ("window", cancelled(dialog="ExportDialog")),
    "actionSubmissions": ("window", cancelled(dialog="SubmissionsDialog")),
    "actionEvidencePackage": ("window", cancelled(asked="ask_save_file")),
    "actionShowStale": ("window", _stale),
    "actionCollectReturns": ("window", _city_office(dialog="CollectDialog")),
    "actionExportConsolidated": ("window", _city_office(asked="ask_save_file")),
    "actionReturnsNotice": ("window", _city_office(asked="ask_save_file")),
    "actionAbout": ("window", _about),
    "actionOpenDataFolder": ("window", _data_folder),
    **{f"actionColumn_{c.key}": ("header", _header_column(i)) for i, c in enumerate(COLUMNS)},
    "actionHeaderResetSort": ("header", _header_reset_sort),
    "actionResetWidths": ("header", _header_reset_widths),
    "actionRoles": ("window", cancelled(dialog="RolesDialog")),
    "actionLoadSample": ("window", _sample),
    "actionQuit": ("window", _quit),  # last: the window closes
}


@pytest.fixture
def trial(city, qtbot, modal, monkeypatch, real_dialogs, snapshot):
    """The city window on screen, every box cancelled: confirmations say no, texts and save names are
    not given, the open-file box picks city-2023.docx (so the import wizard opens), dialogs are
    exec()'d and rejected by a timer once shown."""
    asked: list[tuple[str, tuple]] = []

    def box(name: str, answer):  # noqa: ANN001, ANN202
        def ask(*args, **_kwargs):  # noqa: ANN202
            asked.append((name, args))
            return answer

        return ask

    for name, answer in (
        ("ask_confirm", False),
        ("ask_text", None),
        ("ask_save_file", None),
        ("ask_open_file", CITY),
        ("open_url", True),
    ):
        monkeypatch.setattr(city, name, box(name, answer))
    real_dialogs(city)
    # 本单位/填报人 empty before a report: go on without them (test_all_dialogs drives that dialog)
    monkeypatch.setattr(city, "ask_identity", box("ask_identity", {}))
    t = Trial(city, qtbot, modal, asked, snapshot)

    def cancel(dialog) -> None:  # noqa: ANN001
        if hasattr(dialog, "pages_painted"):
            t.painted.append(dialog.pages_painted)
        dialog.reject()

    monkeypatch.setattr(city, "run_dialog", lambda dialog: bool(modal.run(dialog, cancel)))
    city.show()
    qtbot.waitExposed(city)
    return t


def test_every_action_is_triggered_and_every_dialog_cancelled(trial: Trial) -> None:
    t = trial
    t.watch_window()
    for key, (where, case) in ACTIONS.items():
        t.watch_window()  # actions made since (the 显示的列 submenu's)
        case(t, key)
        assert key in t.triggered, f"{key} ({where}) was not triggered by its case"
    assert not t.modal.stuck, f"dialogs that did not close: {t.modal.stuck}"
    assert not getattr(t.w, "errors", []), t.w.errors
    missing = sorted(set(t.found) - set(ACTIONS))
    assert not missing, f"actions without a case in ACTIONS (add one that triggers and checks it): {missing}"
    untriggered = sorted(set(t.found) - t.triggered)
    assert not untriggered, f"actions found but never triggered: {untriggered}"
    # the figures for the report
    print(
        f"\nactions triggered: {len(t.triggered)}; dialogs opened and cancelled: {len(t.modal.opened)} "
        f"({len(set(t.modal.opened))} classes: {sorted(set(t.modal.opened))}); boxes asked: {len(t.asked)}"
    )


def test_ledger_list_context_menu_holds_the_ledger_actions(trial: Trial) -> None:
    t = trial
    shown = t.ledger_popup()
    assert shown == ["actionNewLedger", "actionRenameLedger", "actionDeleteLedger", "actionCopyNextYear"]
    before = t.snapshot()
    t.ledger_popup(pick="actionRenameLedger")
    assert "actionRenameLedger" in t.triggered and t.asked_now() == ["ask_text"]
    t.ledger_popup(pick="actionNewLedger")
    assert t.opened() == ["LedgerDialog"]
    assert t.snapshot() == before
    assert not t.w.ledger_panel.findChildren(QMenu)  # each right-click's menu is deleted afterwards


def test_header_context_menu_lists_every_column_and_leaves_no_menu_behind(trial: Trial) -> None:
    t = trial
    shown = trial.header_popup()
    assert shown == [f"actionColumn_{c.key}" for c in COLUMNS] + [
        "actionHeaderResetSort",
        "actionResetWidths",
    ]
    QApplication.processEvents()
    assert not t.w.task_view.findChildren(QMenu)


def test_an_action_without_a_case_is_reported(trial: Trial) -> None:
    """The guard itself: a new action in the window shows up as missing from ACTIONS."""
    t = trial
    extra = QAction("新功能", t.w)
    extra.setObjectName("actionSomethingNew")
    t.w.addAction(extra)
    t.watch_window()
    assert sorted(set(t.found) - set(ACTIONS)) == ["actionSomethingNew"]
