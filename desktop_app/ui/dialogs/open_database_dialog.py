"""文件 → 打开数据库…: a ledger database file on this computer (the default) or a PostgreSQL server
database shared by the unit (host, port, database, user; the password typed here, kept in memory for
this session only). The recent list remembers addresses, never passwords. 打开 tries it at once: a
failure is said in one sentence under the fields and the dialog stays open; the database the window
has open stays open until the new one is.

A server is reached in a worker thread (up to the 10 s connect timeout): the dialog shows that it is
connecting and stays responsive, 取消 stops waiting (the connection, should it come, is closed).
A damaged file offers its latest good backups (date, size, tasks): restored to a new file, or over the
damaged one (which is kept, renamed), only after a confirmation."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
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
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.model import LedgerError
from desktop_app.services.backup_service import (
    BackupInfo,
    DatabaseDamaged,
    good_backups,
    restore_damaged,
    restore_to_new,
)
from desktop_app.services.connection_service import DEFAULT_PORT, ServerAddress, open_database, same_database

log = logging.getLogger(__name__)
Opener = Callable[..., Any]  # (target, read_only=, password=) -> AppContext; raises LedgerError


class _Attempt:
    """One try at a server, run in a worker thread; cancelled: its result (if any) is closed."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.lock = threading.Lock()
        self.cancelled = False
        self.done = False
        self.thread: threading.Thread | None = None


class OpenDatabaseDialog(QDialog):
    """After accept(): `opened` is the AppContext on the chosen database, `target` what was opened
    (a file's path or the server's address without password)."""

    connect_finished = Signal(object, object, object)  # _Attempt, AppContext | None, message | None

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
        self._attempt: _Attempt | None = None
        self._damaged: DatabaseDamaged | None = None
        self.offered: list[BackupInfo] = []
        self.connect_finished.connect(self._connected)

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

        # connecting to a server: what is going on, and 取消 stops waiting
        self.busy = QProgressBar()
        self.busy.setObjectName("connectBusy")
        self.busy.setRange(0, 0)  # moving, no percentage: the server answers or the timeout comes
        self.busy.setTextVisible(False)
        self.busy_label = QLabel()
        self.busy_label.setObjectName("connectBusyLabel")
        self.busy_box = QWidget()
        bl = QHBoxLayout(self.busy_box)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(self.busy_label)
        bl.addWidget(self.busy, 1)
        self.busy_box.hide()

        # a damaged file: its latest good backups
        self.restore_box = QGroupBox("从备份恢复")
        self.restore_box.setObjectName("restoreFromBackup")
        self.backup_list = QListWidget()
        self.backup_list.setObjectName("goodBackups")
        self.backup_list.setMaximumHeight(100)
        self.restore_new = QRadioButton("恢复为一个新文件（损坏的文件原样不动）")
        self.restore_new.setObjectName("restoreToNew")
        self.restore_over = QRadioButton("恢复到原文件（损坏的文件改名保留，不会删除）")
        self.restore_over.setObjectName("restoreOver")
        self.restore_new.setChecked(True)
        self.restore_button = QPushButton("恢复并打开…")
        self.restore_button.setObjectName("restoreAndOpen")
        self.restore_button.clicked.connect(self.restore_chosen)
        rl = QVBoxLayout(self.restore_box)
        rl.addWidget(self.backup_list)
        rl.addWidget(self.restore_new)
        rl.addWidget(self.restore_over)
        rl.addWidget(self.restore_button, 0, Qt.AlignRight)
        self.restore_box.hide()

        buttons = QDialogButtonBox()
        self.open_button = buttons.addButton("打开", QDialogButtonBox.AcceptRole)
        self.open_button.setObjectName("openDatabaseButton")
        self.open_button.setDefault(True)
        self.cancel_button = buttons.addButton("取消", QDialogButtonBox.RejectRole)
        self.cancel_button.setObjectName("openDatabaseCancel")
        self.open_button.clicked.connect(self.accept)
        self.cancel_button.clicked.connect(self.reject)

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
        layout.addWidget(self.restore_box)
        layout.addWidget(self.busy_box)
        layout.addWidget(buttons)
        self._inputs = [self.recent, self.file_kind, self.server_kind, self.file_box, self.server_box, self.read_only]
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

    # ---- questions (tests replace them) --------------------------------------------------------------
    def ask_confirm(self, text: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(self, "从备份恢复", text, QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        return answer == QMessageBox.Yes

    def ask_new_path(self, suggested: str) -> str | None:
        """Where the restored copy goes (a new file)."""
        name, _ = QFileDialog.getSaveFileName(
            self, "恢复为新文件", suggested, "台账数据库 (*.sqlite3);;所有文件 (*)"
        )
        return name or None

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

    @property
    def connecting(self) -> bool:
        return self._attempt is not None

    def accept(self) -> None:
        """Try the database now: opened, the dialog closes; refused, the sentence shows and it stays.
        A server is tried in a worker thread (the dialog stays responsive, 取消 stops waiting)."""
        if self.connecting:
            return
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
        self._show_backups(None)
        if self.server_kind.isChecked():
            self._start_connect(target)
            return
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            ctx = self._opener(target, read_only=self.read_only.isChecked(), password=self._password)
        except DatabaseDamaged as damaged:
            log.info("opening %s refused: %s", target, damaged.message)
            self._show_backups(damaged)
            return
        except LedgerError as exc:
            log.info("opening %s refused: %s", target, exc.message)
            self.say(exc.message)
            return
        finally:
            QApplication.restoreOverrideCursor()
        self._opened(ctx, target)

    def _opened(self, ctx: Any, target: str) -> None:
        self.opened = ctx
        self.target = ctx.db_label if getattr(ctx, "server", False) else target
        self.password.clear()  # what the connection pool needs it holds itself, in memory
        super().accept()

    # ---- a server, in a worker thread ----------------------------------------------------------------
    def _start_connect(self, target: str) -> None:
        typed = self.password.text()  # read here: the worker never touches a widget
        asked = [0]

        def password(_prompt: str) -> str | None:
            asked[0] += 1
            if not typed:
                raise LedgerError("服务器要求输入密码，请在“密码”一栏填写后再点“打开”。")
            if asked[0] > 1:
                raise LedgerError("无法登录服务器数据库：登录名或密码不对，请核对后重新输入。")
            return typed

        attempt = _Attempt(target)
        read_only = self.read_only.isChecked()
        opener = self._opener

        def run() -> None:
            ctx, message = None, None
            try:
                ctx = opener(target, read_only=read_only, password=password)
            except LedgerError as exc:
                message = exc.message
            except Exception:  # noqa: BLE001 - a program error: logged, one sentence shown
                log.exception("connecting to %s failed", target)
                message = "无法连接服务器数据库：程序出错了，详情已写入日志，请稍后重试或联系管理员。"
            with attempt.lock:
                attempt.done = True
                if attempt.cancelled:
                    if ctx is not None:
                        ctx.close()
                    log.info("connection to %s came after 取消: closed", target)
                    return
            self.connect_finished.emit(attempt, ctx, message)

        self._attempt = attempt
        self._set_connecting(True, target)
        attempt.thread = threading.Thread(target=run, name="open-database", daemon=True)
        attempt.thread.start()

    def _set_connecting(self, on: bool, target: str = "") -> None:
        for w in self._inputs:
            w.setEnabled(not on)
        self.open_button.setEnabled(not on)
        self.cancel_button.setText("取消连接" if on else "取消")
        if on:
            address = ServerAddress.parse(target)
            host = address.host if address else target
            self.busy_label.setText(f"正在连接服务器 {host}…（最长约 10 秒，可点“取消连接”）")
        self.busy_box.setVisible(on)

    def cancel_connect(self) -> None:
        """Stop waiting for the server: the dialog is usable again, the window's database stays open."""
        attempt, self._attempt = self._attempt, None
        if attempt is None:
            return
        with attempt.lock:
            attempt.cancelled = True  # a connection that still comes is closed by the worker (or _connected)
        self._set_connecting(False)
        self.say("已取消连接，当前打开的数据库不变。")

    def _connected(self, attempt: _Attempt, ctx: Any, message: str | None) -> None:
        if attempt is not self._attempt:  # cancelled meanwhile (or the dialog moved on)
            if ctx is not None:
                ctx.close()
            return
        self._attempt = None
        self._set_connecting(False)
        if message is not None:
            log.info("opening %s refused: %s", attempt.target, message)
            self.say(message)
            return
        self._opened(ctx, attempt.target)

    def reject(self) -> None:
        """取消: while connecting it stops waiting (the dialog stays); else the dialog closes."""
        if self.connecting:
            self.cancel_connect()
            return
        self.password.clear()
        super().reject()

    def done(self, result: int) -> None:
        if self.connecting and result != QDialog.Accepted:
            self.cancel_connect()
            return
        super().done(result)

    # ---- a damaged file: restore from a backup ------------------------------------------------------
    def _show_backups(self, damaged: DatabaseDamaged | None) -> None:
        self._damaged = damaged
        self.backup_list.clear()
        self.offered = good_backups(damaged) if damaged is not None else []
        for info in self.offered:
            item = QListWidgetItem(info.label())
            item.setToolTip(str(info.path))
            self.backup_list.addItem(item)
        if damaged is None:
            self.restore_box.hide()
            return
        if self.offered:
            self.backup_list.setCurrentRow(0)
            self.say(
                f"数据库《{damaged.path.name}》已损坏，程序没有打开也没有改动它：可从下面最近的完好备份恢复"
                "（最新的在最上面），损坏的文件会保留。"
            )
        else:
            self.say(damaged.message)
        self.restore_box.setVisible(bool(self.offered))

    def restore_chosen(self) -> None:
        """The backup chosen, to a new file or over the damaged one (kept, renamed), once confirmed;
        then the restored file is opened."""
        damaged = self._damaged
        row = self.backup_list.currentRow()
        if damaged is None or not 0 <= row < len(self.offered):
            return
        info = self.offered[row]
        path = Path(damaged.path)
        try:
            if self.restore_new.isChecked():
                suggested = path.with_name(f"{path.stem}-恢复{info.made:%Y%m%d}{path.suffix}") if info.made else path
                chosen = self.ask_new_path(str(suggested))
                if not chosen:
                    return
                dest = Path(chosen)
                if not self.ask_confirm(
                    f"把 {info.label()} 的备份恢复为新文件《{dest.name}》并打开吗？损坏的《{path.name}》原样保留。"
                ):
                    return
                target = str(restore_to_new(info.path, dest))
            else:
                if not self.ask_confirm(
                    f"用 {info.label()} 的备份恢复《{path.name}》并打开吗？损坏的文件会改名保留在同一文件夹，"
                    "备份之后的修改不在其中。"
                ):
                    return
                aside = restore_damaged(path, info.path)
                log.warning("damaged database %s moved to %s, restored from %s", path, aside, info.path)
                target = str(path)
        except LedgerError as exc:
            self.say(exc.message)
            return
        self.path.setText(target)
        self.file_kind.setChecked(True)
        self.accept()
