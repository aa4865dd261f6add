"""Settings, 适老化 font scaling and the remembered window state (a mixin for MainWindow)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QSize, Qt, QTime, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices, QFont, QGuiApplication
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QStyle, QToolBar

from desktop_app import APP_NAME, __version__
from desktop_app.domain.model import LedgerError

MIN_SCALE, MAX_SCALE = 100, 200
# Below this width (logical pixels, divided by the 适老化 scale as Windows scaling divides the screen:
# 1366 px at 150 %, 1920 px at 200 %) the ledger list folds away.
NARROW_SCREEN = 1024
NARROW_DOCK = 220
WIDE_DOCK = 320
LEDGER_LIST_WIDTH = 200
# The first-start window where the screen has room for it (logical pixels at 100 %).
FIRST_SIZE = (1440, 900)
DEFAULT_LIST = 270


def dock_width(width: int, percent: int) -> int:
    """The progress panel's width in a window (or screen) `width` px wide at the 适老化 scale: a fifth of
    the effective width at most, its fields one a row (NARROW_DOCK) — the same room in pixels as Windows
    scaling by that percentage would give it — and never more than a quarter (1366 px at 200 %)."""
    s = percent / 100
    return min(round(s * max(NARROW_DOCK, min(WIDE_DOCK, int(width / s) // 5))), width // 4)


class WindowStateMixin:
    """Needs on self: ctx, qsettings, _base_font, task_view, splitter, progress_editor, progress_dock,
    legend, dashboard, runner, actions_."""

    # ---- settings, font scale ------------------------------------------------------------------------------------------
    def open_settings(self) -> None:
        from desktop_app.ui.dialogs.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.ctx, self)
        dialog.restored.connect(self._after_restore)
        if self.run_dialog(dialog):
            dialog.save()
            self._read_rules()
            self.apply_font_scale(dialog.font_scale())
            self.refresh_statuses()

    def open_holidays(self, year: int | None = None) -> None:
        """文件 → 节假日与调休: the year given, else the year shown by the ledger open (or this year)."""
        from desktop_app.ui.dialogs.holiday_dialog import HolidayDialog

        ledger = getattr(self, "_ledger", None)
        year = year or getattr(ledger, "year", None) or self._as_of.year
        self.run_dialog(HolidayDialog(self.ctx, year, self))
        self.refresh_statuses()  # relative deadlines count working days

    def _after_restore(self) -> None:
        self._ledger = None
        self.undo_history.clear_all()
        self.progress_editor.refresh_drafts()
        self.reload_ledgers()
        self.show_info("已从备份恢复数据。")

    def font_scale(self) -> int:
        try:
            value = int(float(self.ctx.settings.get("font_scale", "100") or 100))
        except (ValueError, LedgerError):
            value = 100
        return max(MIN_SCALE, min(MAX_SCALE, value))

    def apply_font_scale(self, percent: int) -> None:
        """适老化: scale the application font (and so every widget), the column widths and the row
        heights; a change while the window is open lays the window out again for it (relayout_for_scale)."""
        percent = max(MIN_SCALE, min(MAX_SCALE, int(percent)))
        old = getattr(self, "_scale", None)  # None while the window is being built
        font = QFont(self._base_font)
        size = self._base_font.pointSizeF()
        if size <= 0:
            size = 10.0
        font.setPointSizeF(size * percent / 100)
        QApplication.setFont(font)
        # With a style sheet in use Qt ignores QApplication.setFont for styled widgets: the size goes
        # into the application style sheet too (widget-level sheets, e.g. the dashboard's, still win).
        app = QApplication.instance()
        base = app.property("ledgerBaseStyleSheet") or ""
        sheet = f"{base}\n* {{ font-size: {font.pointSizeF():.1f}pt; }}"
        if percent > MIN_SCALE:  # check boxes are drawn at the style's pixel size: they grow with the text too
            box = round(QApplication.style().pixelMetric(QStyle.PM_IndicatorWidth) * percent / 100)
            sheet += f"\nQCheckBox::indicator {{ width: {box}px; height: {box}px; }}"
        if app.styleSheet() != sheet:  # re-applying the same sheet re-polishes every widget (~80 ms)
            app.setStyleSheet(sheet)
        self.task_view.update_row_height(font)
        self.task_view.set_scale(percent)
        icon = 16 * percent // 100
        self.task_view.setIconSize(QSize(icon, icon))
        for toolbar in self.findChildren(QToolBar):
            toolbar.setIconSize(QSize(22 * percent // 100, 22 * percent // 100))
        self.legend.apply_scale(percent)
        self.dashboard.apply_scale(percent)
        self._scale = percent
        if old is not None and old != percent:
            self.relayout_for_scale(percent)
        need = self.progress_editor.minimumSizeHint().width() + 24
        if self.progress_dock.isVisible() and self.progress_dock.width() < need:
            self.resizeDocks([self.progress_dock], [need], Qt.Horizontal)

    def relayout_for_scale(self, percent: int) -> None:
        """A new 适老化 scale while the window is open, treated as Windows scaling would treat it: the
        window grows to what a first start at that scale would open (at most the screen), the ledger list
        folds away below NARROW_SCREEN effective pixels (and comes back when it was folded for the scale
        alone), the progress panel takes its width for the scale; the columns follow (TaskView.set_scale)."""
        s = percent / 100
        area = self._available()
        if area is not None and not (self.isMaximized() or self.isFullScreen()):
            want_w, want_h = round(FIRST_SIZE[0] * s), round(FIRST_SIZE[1] * s)
            if want_w >= area.width() or want_h >= area.height():
                if self.width() < area.width() or self.height() < area.height():
                    self.setGeometry(area)
                    self._frame_inside(area)
            elif self.width() < want_w or self.height() < want_h:
                self.resize(max(self.width(), want_w), max(self.height(), want_h))
                self._clamp_to_screen()
        narrow = self.width() / s < NARROW_SCREEN
        if narrow and self.ledger_list_shown():
            self.show_ledger_list(False)
            self._list_folded_for_scale = True
        elif not narrow and getattr(self, "_list_folded_for_scale", False):
            if not self.ledger_list_shown():
                self.show_ledger_list(True)
            self._list_folded_for_scale = False
        acts = getattr(self, "acts", None)
        if acts is not None:
            acts.sync_ledger_toggle()
        if self.progress_dock.isVisible():
            self.resizeDocks([self.progress_dock], [dock_width(self.width(), percent)], Qt.Horizontal)
        self.task_view.fit_widths()

    def step_font_scale(self, step: int) -> None:
        value = max(MIN_SCALE, min(MAX_SCALE, getattr(self, "_scale", 100) + step))
        self.actions_.guard(lambda: self.ctx.settings.set("font_scale", str(value)))
        self.apply_font_scale(value)
        self.show_info(f"字号：{value}%")

    def open_data_folder(self) -> None:
        if self.ctx.db_path is None:  # a server database: there is no folder to show
            self.show_info(f"数据在服务器数据库 {self.ctx.db_label} 中，本机没有数据文件。")
            return
        self.open_url(QUrl.fromLocalFile(str(Path(self.ctx.db_path).parent)))

    def open_url(self, url: QUrl) -> bool:
        """Hands a folder or link to the desktop (replaced in tests)."""
        return QDesktopServices.openUrl(url)

    def show_about(self) -> None:
        box = QMessageBox(
            QMessageBox.Information,
            "关于",
            f"{APP_NAME} {__version__}\n\n数据文件：{getattr(self.ctx, 'db_label', self.ctx.db_path)}\n\n帮助各单位落实政务公开工作要点任务台账：\n"
            "导入台账、填写进展、按时报送、生成公文格式报表。",
            QMessageBox.Ok,
            self,
        )
        box.setObjectName("aboutBox")
        self.run_dialog(box)
        box.deleteLater()

    # ---- window state ----------------------------------------------------------------------------------------------
    def _restore_state(self) -> None:
        s = self.qsettings
        geometry = s.value("ui/geometry")
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
            self._clamp_to_screen()
        else:
            self._first_start_geometry()
            area = self._available()
            # the progress panel: a fifth of the screen at most, never a quarter (1366 px: 273 px;
            # 1366 px at 150 % = 911 px: 220 px, its fields one a row; the 适老化 scale the same way)
            percent = self.font_scale()
            dock = round(WIDE_DOCK * percent / 100) if area is None else dock_width(area.width(), percent)
            self.resizeDocks([self.progress_dock], [dock], Qt.Horizontal)
        state = s.value("ui/windowState")
        if isinstance(state, QByteArray | bytes):
            self.restoreState(QByteArray(state))
        splitter = s.value("ui/splitter")
        if isinstance(splitter, QByteArray | bytes):
            self.splitter.restoreState(QByteArray(splitter))
        editor_split = s.value("ui/progressSplitter")
        if isinstance(editor_split, QByteArray | bytes):
            self.progress_editor.splitter.restoreState(QByteArray(editor_split))
        header = s.value("ui/taskHeader")
        if isinstance(header, QByteArray | bytes):
            try:  # the widths were saved at this 适老化 scale: apply_font_scale rescales them from it
                self.task_view.width_scale = int(s.value("ui/taskHeaderScale", 100))
            except (TypeError, ValueError):
                self.task_view.width_scale = 100
            h = self.task_view.horizontalHeader()
            if self.task_view.restore_header(QByteArray(header)):
                self.model.sort(h.sortIndicatorSection(), h.sortIndicatorOrder())

    def _available(self) -> QRect | None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        return screen.availableGeometry() if screen is not None else None

    def _first_start_geometry(self) -> None:
        """1440×900 where it fits; on a smaller screen (1366×768, or 150–200 % scaling) the whole
        available area, as Word and WPS open on a laptop. The 适老化 scale counts as Windows scaling
        does: at 200 % the window wants 2880×1800 pixels and a 1920×1080 screen is 960 px wide for it."""
        s = self.font_scale() / 100
        want_w, want_h = round(FIRST_SIZE[0] * s), round(FIRST_SIZE[1] * s)
        area = self._available()
        if area is None:
            self.resize(want_w, want_h)
            return
        sizes = self.splitter.sizes()
        if want_w > area.width() or want_h > area.height():
            self.setGeometry(area)
            self._frame_inside(area)
            # a narrower ledger list leaves the task table room for its working columns; on a
            # screen narrower than NARROW_SCREEN (1366 px at 150 %, 1920 px at 200 %) the list
            # folds away to the left edge (视图 → 台账列表, or drag it out), as Word folds its panes
            if len(sizes) == 2 and sum(sizes) > 0:
                narrow = area.width() / s < NARROW_SCREEN
                self._list_folded_for_scale = narrow
                left = 0 if narrow else max(round(160 * s), min(round(sizes[0] * s), area.width() // 7))
                self.splitter.setSizes([left, sum(sizes) - left])
        else:
            self.resize(want_w, want_h)
            self.move(area.center().x() - want_w // 2, area.center().y() - want_h // 2)
            if len(sizes) == 2 and sum(sizes) > 0:
                left = round(DEFAULT_LIST * s)
                self.splitter.setSizes([left, max(1, sum(sizes) - left)])

    def ledger_list_shown(self) -> bool:
        sizes = self.splitter.sizes()
        return bool(sizes) and sizes[0] > 0 and not self.ledger_panel.isHidden()

    def show_ledger_list(self, show: bool) -> None:
        """视图 → 台账列表: unfold the ledger list (LEDGER_LIST_WIDTH) or fold it to the left edge."""
        sizes = self.splitter.sizes()
        total = sum(sizes)
        if len(sizes) != 2 or total <= 0:
            return
        left = min(LEDGER_LIST_WIDTH, total // 3) if show else 0
        self.splitter.setSizes([left, total - left])

    def _frame_inside(self, area: QRect) -> None:
        """Shrink by the window frame (title bar, borders) so the whole window is on the screen."""
        frame = self.frameGeometry()
        extra_w = max(0, frame.width() - self.width())
        extra_h = max(0, frame.height() - self.height())
        if extra_w or extra_h:
            self.resize(max(200, area.width() - extra_w), max(200, area.height() - extra_h))
            self.move(area.topLeft())

    def _clamp_to_screen(self) -> None:
        """A geometry remembered on a bigger screen (or another monitor) is pulled into this one."""
        area = self._available()
        if area is None:
            return
        frame = self.frameGeometry()
        if area.contains(frame):
            return
        width, height = min(self.width(), area.width()), min(self.height(), area.height())
        self.resize(width, height)
        x = min(max(frame.x(), area.x()), area.right() - width + 1)
        y = min(max(frame.y(), area.y()), area.bottom() - height + 1)
        self.move(x, y)
        if not area.contains(self.frameGeometry()):
            self._frame_inside(area)

    def save_state(self) -> None:
        s = self.qsettings
        s.setValue("ui/geometry", self.saveGeometry())
        s.setValue("ui/windowState", self.saveState())
        s.setValue("ui/splitter", self.splitter.saveState())
        s.setValue("ui/progressSplitter", self.progress_editor.splitter.saveState())
        s.setValue("ui/taskHeader", self.task_view.header_state())
        s.setValue("ui/taskHeaderScale", self.task_view.width_scale)
        s.sync()

    def save_now(self) -> None:
        """Ctrl+S: everything is saved as it is typed; this saves the open cell and the progress text
        now and says so, as people expect after a lifetime of Word."""
        self.task_view.commit_open_editor()
        self.progress_editor.flush()
        when = QTime.currentTime().toString("HH:mm")
        self.statusBar().showMessage(f"已保存（{when}）：所有修改都已写入本机数据库。", 5000)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.task_view.commit_open_editor()
        self.progress_editor.flush()
        if self.runner.busy:
            self.runner.wait(10000)
        self.save_state()
        QMainWindow.closeEvent(self, event)
