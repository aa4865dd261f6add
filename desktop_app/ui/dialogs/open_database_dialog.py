"""文件 → 打开数据库…: a ledger database file on this computer (the default) or a PostgreSQL server
database shared by the unit (host, port, database, user; the password typed here, kept in memory for
this session only). The recent list remembers addresses, never passwords. 打开 tries it at once: a
failure is said in one sentence under the fields and the dialog stays open; the database the window
has open stays open until the new one is."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.model import LedgerError
from desktop_app.services.connection_service import DEFAULT_PORT, ServerAddress, open_database, same_database

log = logging.getLogger(__name__)
Opener = Callable[..., Any]  # (target, read_only=, password=) -> AppContext; raises LedgerError


class OpenDatabaseDialog(QDialog):
    """After accept(): `opened` is the AppContext on the chosen database, `target` what was opened
    (a file's path or the server's address without password)."""

    def __init__(
        self,
        recent: list[str],
        current: str | None = None,
        parent: QWidget | None = None,
        opener: Opener = open_database,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("openDatabaseDialog")
        self.setWindowTitle("打开数据库")
        self.opened: Any = None
        self.target: str | None = None
        self._current = current
        self._opener = opener
        self._asked = 0

        self.recent = QListWidget()
        self.recent.setObjectName("recentDatabases")
        for text in recent:
            address = ServerAddress.parse(text)
            shown = (
                f"服务器：{address.database}（{address.user or '默认用户'}@{address.host}:{address.port}）"
                if address
                else f"文件：{text}"
            )
            item = QListWidgetItem(shown)
            item.setData(Qt.UserRole, text)
            item.setToolTip(text)
            self.recent.addItem(item)
        self.recent.currentItemChanged.connect(lambda item, _old: self.use_recent(item))
        self.recent.itemDoubleClicked.connect(lambda _item: self.accept())
        self.recent.setMaximumHeight(120)

        self.file_kind = QRadioButton("本机的台账数据库文件（SQLite，默认）")
        self.file_kind.setObjectName("kindFile")
        self.server_kind = QRadioButton("单位内网的数据库服务器（PostgreSQL，多人共用）")
        self.server_kind.setObjectName("kindServer")
        kinds = QButtonGroup(self)
        kinds.addButton(self.file_kind)
        kinds.addButton(self.server_kind)
        self.file_kind.setChecked(True)

        self.path = QLineEdit()
        self.path.setObjectName("databasePath")
        self.path.setPlaceholderText("如：D:\\台账\\ledger.sqlite3（文件不存在时新建）")
        browse = QPushButton("浏览…")
        browse.setObjectName("browseDatabase")
        browse.clicked.connect(self._browse)
        self.file_box = QGroupBox("数据库文件")
        fl = QHBoxLayout(self.file_box)
        fl.addWidget(self.path, 1)
        fl.addWidget(browse)

        self.host = QLineEdit()
        self.host.setObjectName("serverHost")
        self.host.setPlaceholderText("服务器的内网地址，如 10.1.2.3")
        self.port = QSpinBox()
        self.port.setObjectName("serverPort")
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.database = QLineEdit()
        self.database.setObjectName("serverDatabase")
        self.database.setPlaceholderText("如 zwgk_ledger")
        self.user = QLineEdit()
        self.user.setObjectName("serverUser")
        self.user.setPlaceholderText("管理员为您建的登录名")
        self.password = QLineEdit()
        self.password.setObjectName("serverPassword")
        self.password.setEchoMode(QLineEdit.Password)
        self.password.setPlaceholderText("只在本次使用，不会保存")
        self.server_box = QGroupBox("数据库服务器")
        sf = QFormLayout(self.server_box)
        sf.addRow("服务器地址", self.host)
        sf.addRow("端口", self.port)
        sf.addRow("数据库名", self.database)
        sf.addRow("登录名", self.user)
        sf.addRow("密码", self.password)

        self.read_only = QCheckBox("以只读方式打开（只查看、导出和打印，不做修改）")
        self.read_only.setObjectName("openReadOnly")
        self.error = QLabel()
        self.error.setObjectName("openDatabaseError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("QLabel { color:#b71c1c }")
        self.error.hide()

        buttons = QDialogButtonBox()
        self.open_button = buttons.addButton("打开", QDialogButtonBox.AcceptRole)
        self.open_button.setObjectName("openDatabaseButton")
        self.open_button.setDefault(True)
        cancel = buttons.addButton("取消", QDialogButtonBox.RejectRole)
        self.open_button.clicked.connect(self.accept)
        cancel.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        if recent:
            layout.addWidget(QLabel("最近打开（服务器只记地址和登录名，不记密码）："))
            layout.addWidget(self.recent)
        layout.addWidget(self.file_kind)
        layout.addWidget(self.server_kind)
        layout.addWidget(self.file_box)
        layout.addWidget(self.server_box)
        layout.addWidget(self.read_only)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.file_kind.toggled.connect(self._show_kind)
        self._show_kind()
        self.resize(560, self.sizeHint().height())

    # ---- filling ------------------------------------------------------------------------------------
    def _show_kind(self) -> None:
        server = self.server_kind.isChecked()
        self.file_box.setVisible(not server)
        self.server_box.setVisible(server)
        self.say("")

    def use_recent(self, item: QListWidgetItem | None) -> None:
        """A recent database chosen: its fields filled in (the password stays to be typed)."""
        if item is None:
            return
        text = str(item.data(Qt.UserRole))
        address = ServerAddress.parse(text)
        if address is None:
            self.file_kind.setChecked(True)
            self.path.setText(text)
            return
        self.server_kind.setChecked(True)
        self.host.setText(address.host)
        self.port.setValue(address.port)
        self.database.setText(address.database)
        self.user.setText(address.user)
        self.password.clear()
        self.password.setFocus()

    def ask_path(self) -> str | None:
        """The file box of 浏览… (tests replace this)."""
        name, _ = QFileDialog.getOpenFileName(
            self, "选择台账数据库文件", self.path.text() or str(Path.home()),
            "台账数据库 (*.sqlite3 *.sqlite *.db);;所有文件 (*)",
        )
        return name or None

    def _browse(self) -> None:
        chosen = self.ask_path()
        if chosen:
            self.path.setText(chosen)

    def chosen_target(self) -> str:
        """What the fields name: a file's path or the server's address (without password)."""
        if self.server_kind.isChecked():
            return ServerAddress(
                self.host.text(), self.database.text(), self.user.text(), self.port.value()
            ).url()
        text = self.path.text().strip()
        if not text:
            raise LedgerError("请填写或选择台账数据库文件后再打开。")
        return str(Path(text).expanduser())

    def say(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    # ---- opening -----------------------------------------------------------------------------------
    def _password(self, _prompt: str) -> str | None:
        """The server wants a password: the one typed here, once; asked again means it was wrong."""
        self._asked += 1
        typed = self.password.text()
        if not typed:
            raise LedgerError("服务器要求输入密码，请在“密码”一栏填写后再点“打开”。")
        if self._asked > 1:
            raise LedgerError("无法登录服务器数据库：登录名或密码不对，请核对后重新输入。")
        return typed

    def accept(self) -> None:
        """Try the database now: opened, the dialog closes; refused, the sentence shows and it stays."""
        try:
            target = self.chosen_target()
        except LedgerError as exc:
            self.say(exc.message)
            return
        if self._current and same_database(target, self._current):
            self.say("这个数据库已经打开了，无需重新打开。")
            return
        self._asked = 0
        self.say("")
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            ctx = self._opener(
                target, read_only=self.read_only.isChecked(), password=self._password
            )
        except LedgerError as exc:
            log.info("opening %s refused: %s", target, exc.message)
            self.say(exc.message)
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.opened = ctx
        self.target = ctx.db_label if getattr(ctx, "server", False) else target
        self.password.clear()  # what the connection pool needs it holds itself, in memory
        super().accept()

    def reject(self) -> None:
        self.password.clear()
        super().reject()
