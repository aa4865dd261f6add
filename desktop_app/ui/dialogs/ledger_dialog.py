"""New ledger / ledger information: title, year, owner unit, issuer."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QWidget

from desktop_app.domain.model import Ledger


class LedgerDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, ledger: Ledger | None = None, year: int | None = None):
        super().__init__(parent)
        self.setObjectName("ledgerDialog")
        self.setWindowTitle("台账信息" if ledger else "新建台账")
        self.title = QLineEdit(ledger.title if ledger else "")
        self.title.setObjectName("ledgerTitle")
        self.title.setPlaceholderText("如：2024年政务公开工作要点任务落实台账")
        self.year = QSpinBox()
        self.year.setObjectName("ledgerYear")
        self.year.setRange(2000, 2100)
        self.year.setValue((ledger.year if ledger and ledger.year else None) or year or 2024)
        self.owner = QLineEdit(ledger.owner_unit if ledger else "")
        self.owner.setPlaceholderText("本台账属于哪个单位，如：市自然资源局")
        self.issuer = QLineEdit(ledger.issuer if ledger else "")
        self.issuer.setPlaceholderText("要点的印发单位，如：市政府政务公开办公室")
        self.error = QLabel("")
        self.error.setStyleSheet("color: #c62828")
        form = QFormLayout(self)
        form.addRow("台账名称", self.title)
        form.addRow("年度", self.year)
        form.addRow("所属单位", self.owner)
        form.addRow("印发单位", self.issuer)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("确定")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(520, self.sizeHint().height())

    def accept(self) -> None:
        if not self.title.text().strip():
            self.title.setText(f"{self.year.value()}年政务公开工作任务落实台账")
        super().accept()

    def values(self) -> tuple[str, int]:
        return self.title.text().strip(), self.year.value()

    def fields(self) -> dict:
        return {
            "title": self.title.text().strip(),
            "year": self.year.value(),
            "owner_unit": self.owner.text().strip(),
            "issuer": self.issuer.text().strip(),
        }
