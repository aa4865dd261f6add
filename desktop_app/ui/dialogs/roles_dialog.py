"""台账 → 权限…: who may edit this ledger (编辑) and who may only look at it (只读). Shown to its editors
only. An empty list: everyone who can open the database may edit. On a server database the names are
the people's logins; on a file, their 填报人 (设置) or the computer's user name."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.model import Ledger, LedgerError
from desktop_app.services.people_service import ROLE_EDIT, ROLE_LABELS, ROLE_READ


def _role_combo(role: str) -> QComboBox:
    combo = QComboBox()
    for value in (ROLE_EDIT, ROLE_READ):
        combo.addItem(ROLE_LABELS[value], value)
    combo.setCurrentIndex(combo.findData(role))
    return combo


class RolesDialog(QDialog):
    """accept(): the list is stored in one go (people_service.set_roles); a refusal is said under the
    list and the dialog stays open, nothing stored. `changed` after an accepted change."""

    def __init__(self, ctx, ledger: Ledger, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.setObjectName("rolesDialog")
        self.setWindowTitle(f"权限 — {ledger.title}")
        self.ctx = ctx
        self.ledger = ledger
        self.changed = False
        self.me = ctx.people.person
        intro = QLabel(
            f"设置谁可以修改这本台账（编辑），谁只能查看、导出和打印（只读）。名单为空时，能打开数据库的人都可以编辑；"
            f"名单以外的人只能查看。您是“{self.me}”。"
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 2)
        self.table.setObjectName("rolesTable")
        self.table.setHorizontalHeaderLabels(["人员（登录名）", "权限"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        for person, role in ctx.people.members(ledger.id).items():
            self._add_row(person, role)

        self.person = QLineEdit()
        self.person.setObjectName("rolesPerson")
        self.person.setPlaceholderText("登录名或填报人姓名")
        self.role = _role_combo(ROLE_READ)
        self.role.setObjectName("rolesRole")
        add = QPushButton("添加或修改")
        add.setObjectName("rolesAdd")
        add.clicked.connect(self.add_person)
        remove = QPushButton("移除所选")
        remove.setObjectName("rolesRemove")
        remove.clicked.connect(self.remove_selected)
        row = QHBoxLayout()
        row.addWidget(self.person, 1)
        row.addWidget(self.role)
        row.addWidget(add)
        row.addWidget(remove)

        self.error = QLabel()
        self.error.setObjectName("rolesError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("QLabel { color:#b71c1c }")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("保存")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(520, 420)

    # ---- the list ------------------------------------------------------------------------------------
    def _row_of(self, person: str) -> int:
        for r in range(self.table.rowCount()):
            if self.table.item(r, 0).text() == person:
                return r
        return -1

    def _add_row(self, person: str, role: str) -> None:
        r = self._row_of(person)
        if r < 0:
            r = self.table.rowCount()
            self.table.insertRow(r)
            self.table.setItem(r, 0, QTableWidgetItem(person))
            self.table.setCellWidget(r, 1, _role_combo(role))
        else:
            combo = self.table.cellWidget(r, 1)
            combo.setCurrentIndex(combo.findData(role))

    def add_person(self) -> None:
        person = self.person.text().strip()
        if not person:
            self.say("请填写人员的登录名或姓名后再添加。")
            return
        if self.table.rowCount() == 0 and person != self.me:
            self._add_row(self.me, ROLE_EDIT)  # the first to set roles keeps the right to edit
        self._add_row(person, self.role.currentData())
        self.person.clear()
        self.say("")

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        if not rows and self.table.currentRow() >= 0:
            rows = [self.table.currentRow()]
        for r in rows:
            self.table.removeRow(r)

    def wanted(self) -> dict[str, str]:
        return {
            self.table.item(r, 0).text(): self.table.cellWidget(r, 1).currentData()
            for r in range(self.table.rowCount())
        }

    def say(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def accept(self) -> None:
        wanted = self.wanted()
        if wanted != self.ctx.people.members(self.ledger.id):
            try:
                self.ctx.people.set_roles(self.ledger.id, wanted)
            except LedgerError as exc:
                self.say(exc.message)
                return
            self.changed = True
        super().accept()
