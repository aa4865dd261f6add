"""Settings: who we are (reports use it), reminder thresholds, font size (适老化), data and backups."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.directory import KINDS
from desktop_app.domain.model import LedgerError

TEXT_KEYS = [
    ("my_unit", "本单位", "如：市自然资源局（“只看本单位”与报表的填报单位）"),
    ("my_unit_aliases", "本单位的其他名称", "如：市自然资源局、自然资源局（逗号分隔；“只看本单位”也认这些名称）"),
    ("contact_person", "填报人", "报表签字栏中的填报人"),
    ("phone", "联系电话", ""),
    ("reviewer", "审核人", ""),
    ("head_of_unit", "单位负责人", ""),
]


class SettingsDialog(QDialog):
    restored = Signal()  # the database was replaced by a backup: reload everything

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("设置")
        self.ctx = ctx
        values = ctx.settings.all()
        self.edits: dict[str, QLineEdit] = {}
        who = QGroupBox("本单位与报表签字栏")
        form = QFormLayout(who)
        for key, label, hint in TEXT_KEYS:
            edit = QLineEdit(values.get(key) or "")
            edit.setObjectName(f"setting_{key}")
            edit.setPlaceholderText(hint)
            form.addRow(label, edit)
            self.edits[key] = edit
        # the kind decides which generic addressees (市政府各部门, 各直属机构, 各县（市）区人民政府 …) mean us
        self.kind = QComboBox()
        self.kind.setObjectName("setting_my_unit_kind")
        self.kind.addItem("（未指定）", "")
        for kind in KINDS:
            self.kind.addItem(kind, kind)
        self.kind.setCurrentIndex(max(0, self.kind.findData(values.get("my_unit_kind") or "")))
        self.kind.setToolTip("“只看本单位”据此认出发给“市政府各部门”“各直属机构”“各县（市）区人民政府”等的任务")
        form.insertRow(2, "本单位类别", self.kind)

        rules = QGroupBox("到期提醒")
        rf = QFormLayout(rules)
        self.very_soon = QSpinBox()
        self.very_soon.setObjectName("setting_very_soon_days")
        self.very_soon.setRange(0, 90)
        self.very_soon.setSuffix(" 天")
        self.very_soon.setValue(int(values.get("very_soon_days") or 7))
        self.soon = QSpinBox()
        self.soon.setObjectName("setting_soon_days")
        self.soon.setRange(1, 180)
        self.soon.setSuffix(" 天")
        self.soon.setValue(int(values.get("soon_days") or 30))
        rf.addRow("“临期”（橙色）：到期前", self.very_soon)
        rf.addRow("“即将到期”（黄色）：到期前", self.soon)
        self._reminders_were = (values.get("reminders_enabled") or "") == "1"
        self.reminders = QCheckBox("程序关闭时也提醒：登录系统后在托盘显示临近期限的任务，每天通知一次")
        self.reminders.setObjectName("setting_reminders")
        self.reminders.setChecked(self._reminders_were)
        self.reminder_days = QSpinBox()
        self.reminder_days.setObjectName("setting_reminder_days")
        self.reminder_days.setRange(1, 60)
        self.reminder_days.setSuffix(" 个工作日内")
        self.reminder_days.setValue(int(values.get("reminder_days") or 5))
        self.reminder_days.setEnabled(self._reminders_were)
        self.reminders.toggled.connect(self.reminder_days.setEnabled)
        rf.addRow(self.reminders)
        rf.addRow("托盘提醒到期的任务：", self.reminder_days)

        look = QGroupBox("字号（适老化）")
        ll = QHBoxLayout(look)
        self.scale = QSlider(Qt.Horizontal)
        self.scale.setObjectName("fontScaleSlider")
        self.scale.setRange(100, 200)
        self.scale.setSingleStep(10)
        self.scale.setPageStep(25)
        self.scale.setTickInterval(25)
        self.scale.setTickPosition(QSlider.TicksBelow)
        try:
            self.scale.setValue(int(float(values.get("font_scale") or 100)))
        except ValueError:
            self.scale.setValue(100)
        self.scale_label = QLabel()
        self.scale.valueChanged.connect(lambda v: self.scale_label.setText(f"{v}%"))
        self.scale_label.setText(f"{self.scale.value()}%")
        ll.addWidget(QLabel("100%"))
        ll.addWidget(self.scale, 1)
        ll.addWidget(QLabel("200%"))
        ll.addWidget(self.scale_label)

        data = QGroupBox("数据与备份")
        dl = QVBoxLayout(data)
        server = ctx.db_path is None  # a PostgreSQL server database: no file, no folder, no backups here
        path = Path(ctx.db_path) if not server else Path()
        folder_row = QHBoxLayout()
        self.folder_label = QLabel(getattr(ctx, "db_label", "") if server else str(path))
        self.folder_label.setObjectName("dataFolderLabel")
        self.folder_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.folder_label.setWordWrap(True)
        open_folder = QPushButton("打开文件夹")
        open_folder.clicked.connect(lambda: self.open_url(QUrl.fromLocalFile(str(path.parent))))
        folder_row.addWidget(QLabel("服务器数据库：" if server else "数据文件："))
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(open_folder)
        open_folder.setVisible(not server)
        dl.addLayout(folder_row)
        self.backups = QListWidget()
        self.backups.setObjectName("backupList")
        self.backups.setMaximumHeight(140)
        dl.addWidget(QLabel("已有备份（新的在前）："))
        dl.addWidget(self.backups)
        brow = QHBoxLayout()
        self.backup_button = QPushButton("立即备份")
        self.backup_button.setObjectName("backupNowButton")
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button = QPushButton("从所选备份恢复…")
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.clicked.connect(self.restore_selected)
        brow.addWidget(self.backup_button)
        brow.addWidget(self.restore_button)
        brow.addStretch(1)
        dl.addLayout(brow)
        if server:  # backups are the server administrator's (pg_dump): said, not offered
            self.backup_button.setEnabled(False)
            self.restore_button.setEnabled(False)
            dl.addWidget(QLabel("服务器数据库由数据库管理员备份（例如用 pg_dump），本程序只备份本机的 SQLite 数据库文件。"))
        self.message = QLabel("")
        self.message.setObjectName("settingsMessage")
        self.message.setWordWrap(True)
        dl.addWidget(self.message)

        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("保存")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for box in (who, rules, look, data):
            layout.addWidget(box)
        layout.addWidget(buttons)
        self.reload_backups()
        self.setMinimumWidth(620)

    # replaced in tests
    def ask_confirm(self, text: str) -> bool:
        return QMessageBox.question(self, "请确认", text) == QMessageBox.Yes

    def open_url(self, url: QUrl) -> bool:
        return QDesktopServices.openUrl(url)

    def font_scale(self) -> int:
        return self.scale.value()

    def values(self) -> dict[str, str]:
        out = {k: e.text().strip() for k, e in self.edits.items()}
        out["my_unit_kind"] = self.kind.currentData() or ""
        soon = max(self.soon.value(), self.very_soon.value())
        out.update(
            very_soon_days=str(self.very_soon.value()),
            soon_days=str(soon),
            font_scale=str(self.scale.value()),
            reminders_enabled="1" if self.reminders.isChecked() else "0",
            reminder_days=str(self.reminder_days.value()),
        )
        return out

    def set_autostart(self, on: bool) -> None:
        """Start the reminder tray at login, or not (per user, no admin rights; tests replace this)."""
        from desktop_app import autostart

        if on:
            autostart.enable(Path(self.ctx.db_path))
        else:
            autostart.disable()

    def save(self) -> None:
        values = self.values()
        update = getattr(self.ctx.settings, "update", None)
        if update is not None:
            update(values)
        else:
            for k, v in values.items():
                self.ctx.settings.set(k, v)
        on = self.reminders.isChecked()
        if on != self._reminders_were:
            try:
                self.set_autostart(on)
            except OSError:
                self.message.setText("无法设置登录后自动启动提醒：请检查用户配置文件夹的写入权限，其他设置已保存。")
            self._reminders_were = on

    def reload_backups(self) -> None:
        self.backups.clear()
        try:
            paths = self.ctx.backups.list_backups()
        except LedgerError as exc:
            self.message.setText(exc.message)
            return
        for p in paths:
            item = QListWidgetItem(Path(p).name)
            item.setData(Qt.UserRole, str(p))
            item.setToolTip(str(p))
            self.backups.addItem(item)
        self.restore_button.setEnabled(bool(paths))

    def backup_now(self) -> None:
        try:
            path = self.ctx.backups.backup_now()
        except LedgerError as exc:
            self.message.setText(exc.message)
            return
        self.message.setText(f"已备份到：{path}")
        self.reload_backups()

    def restore_selected(self) -> None:
        item = self.backups.currentItem()
        if item is None:
            self.message.setText("请先在列表中选择一个备份。")
            return
        path = Path(item.data(Qt.UserRole))
        if not self.ask_confirm(f"用备份《{path.name}》替换当前全部数据吗？恢复前会先自动备份当前数据。"):
            return
        try:
            safety = self.ctx.backups.restore(path)
        except LedgerError as exc:
            self.message.setText(exc.message)
            return
        self.message.setText(f"已恢复。恢复前的数据另存于：{safety}")
        self.reload_backups()
        self.restored.emit()
