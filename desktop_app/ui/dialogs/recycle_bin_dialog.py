"""回收站: the tasks deleted from any ledger, restorable with their history and evidence; emptied
only when the user asks (and confirms)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.model import LedgerError, RecycledTask, Task

COLUMNS = ["台账", "板块", "序号", "主要内容", "删除时间"]


class RecycleBinDialog(QDialog):
    """objectName recycleBinDialog; children recycleList, restoreButton, purgeButton, emptyButton."""

    def __init__(self, ctx: Any, ledger_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recycleBinDialog")
        self.setWindowTitle("回收站")
        self.resize(860, 480)
        self.ctx = ctx
        self.ledger_id = ledger_id
        self.restored: list[Task] = []  # what came back, for the window to show
        self.changed = False  # anything restored or deleted for good: the window reloads
        self._items: list[RecycledTask] = []

        self.info = QLabel()
        self.info.setObjectName("recycleInfo")
        self.info.setWordWrap(True)
        self.only_current = QCheckBox("只看当前台账")
        self.only_current.setObjectName("onlyCurrentLedger")
        self.only_current.setEnabled(ledger_id is not None)
        self.only_current.toggled.connect(lambda _on: self.reload())
        self.list = QTreeWidget()
        self.list.setObjectName("recycleList")
        self.list.setHeaderLabels(COLUMNS)
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.ExtendedSelection)
        header = self.list.header()
        header.setStretchLastSection(False)
        for col in (0, 1, 2, 4):
            header.setSectionResizeMode(col, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.Stretch)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.list.itemDoubleClicked.connect(lambda _item, _col: self.restore_selected())

        self.restore_button = QPushButton("恢复所选")
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setToolTip("放回原台账、原板块的原位置，进展记录和佐证材料一并恢复")
        self.restore_button.clicked.connect(self.restore_selected)
        self.purge_button = QPushButton("彻底删除所选…")
        self.purge_button.setObjectName("purgeButton")
        self.purge_button.clicked.connect(self.purge_selected)
        self.empty_button = QPushButton("清空回收站…")
        self.empty_button.setObjectName("emptyButton")
        self.empty_button.clicked.connect(self.empty)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.button(QDialogButtonBox.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)

        top = QHBoxLayout()
        top.addWidget(self.info, 1)
        top.addWidget(self.only_current)
        row = QHBoxLayout()
        row.addWidget(self.restore_button)
        row.addStretch(1)
        row.addWidget(self.purge_button)
        row.addWidget(self.empty_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.reload()

    # ---- replaced in tests ---------------------------------------------------------------------------
    def ask_confirm(self, text: str) -> bool:
        return (
            QMessageBox.question(self, "请确认", text, QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
            == QMessageBox.Yes
        )

    def show_error(self, text: str) -> None:
        QMessageBox.warning(self, "提示", text)

    # ---- content ---------------------------------------------------------------------------------------
    def items(self) -> list[RecycledTask]:
        return list(self._items)

    def reload(self) -> None:
        ledger = self.ledger_id if self.only_current.isChecked() else None
        try:
            self._items = self.ctx.ledgers.recycle_bin(ledger)
        except LedgerError as exc:
            self._items = []
            self.show_error(exc.message)
        self.list.clear()
        for rec in self._items:
            t = rec.task
            item = QTreeWidgetItem(
                [
                    rec.ledger_title,
                    rec.section_title or "（未分节）",
                    t.number,
                    " ".join(t.content.split())[:120],
                    f"{rec.deleted_at:%Y-%m-%d %H:%M}",
                ]
            )
            item.setData(0, Qt.UserRole, t.id)
            item.setToolTip(3, t.content)
            self.list.addTopLevelItem(item)
        count = len(self._items)
        self.info.setText(
            f"回收站中有 {count} 项任务。恢复后回到原台账、原板块的原位置；清空后不能再恢复。"
            if count
            else "回收站是空的。删除的任务会先放到这里，可随时恢复。"
        )
        self._update_buttons()

    def selected_ids(self) -> list[int]:
        return [item.data(0, Qt.UserRole) for item in self.list.selectedItems()]

    def select_ids(self, ids: list[int]) -> None:
        wanted = set(ids)
        for i in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(i)
            item.setSelected(item.data(0, Qt.UserRole) in wanted)

    def _update_buttons(self) -> None:
        has_selection = bool(self.list.selectedItems())
        self.restore_button.setEnabled(has_selection)
        self.purge_button.setEnabled(has_selection)
        self.empty_button.setEnabled(bool(self._items))

    # ---- actions ---------------------------------------------------------------------------------------
    def restore_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        try:
            back = self.ctx.ledgers.restore_from_bin(ids)
        except LedgerError as exc:
            self.show_error(exc.message)
            self.reload()
            return
        self.restored.extend(back)
        self.changed = True
        self.reload()
        self.info.setText(f"已恢复 {len(back)} 项任务。" + self.info.text())

    def purge_selected(self) -> None:
        ids = self.selected_ids()
        if not ids or not self.ask_confirm(
            f"确定彻底删除所选的 {len(ids)} 项任务吗？它们的进展记录和佐证材料将一并删除，不能恢复。"
        ):
            return
        self._purge(ids)

    def empty(self) -> None:
        if not self._items:
            return
        scope = "当前台账" if self.only_current.isChecked() else "全部台账"
        if not self.ask_confirm(
            f"确定清空回收站（{scope}，{len(self._items)} 项任务）吗？它们的进展记录和佐证材料将一并删除，不能恢复。"
        ):
            return
        self._purge([rec.task.id for rec in self._items] if self.only_current.isChecked() else None)

    def _purge(self, ids: list[int] | None) -> None:
        try:
            self.ctx.ledgers.empty_recycle_bin(ids)
        except LedgerError as exc:
            self.show_error(exc.message)
        else:
            self.changed = True
        self.reload()
