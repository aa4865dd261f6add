"""New ledger / ledger information: title, year, owner unit, issuer, and the date the notice was issued
or received (通知印发/收到日期), from which the relative deadlines (收到通知后3个工作日内 …) count."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from desktop_app.domain import clock
from desktop_app.domain.model import DeadlineKind, Ledger


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
        anchor = ledger.anchor_date if ledger else None
        self.anchor_known = QCheckBox("已知")
        self.anchor_known.setObjectName("anchorKnown")
        self.anchor_known.setChecked(anchor is not None)
        self.anchor = QDateEdit()
        self.anchor.setObjectName("anchorDate")
        self.anchor.setCalendarPopup(True)
        self.anchor.setDisplayFormat("yyyy年M月d日")
        self.anchor.setDate(QDate(anchor or clock.today()))
        self.anchor.setEnabled(anchor is not None)
        self.anchor_known.toggled.connect(self.anchor.setEnabled)
        anchor_row = QHBoxLayout()
        anchor_row.addWidget(self.anchor_known)
        anchor_row.addWidget(self.anchor, 1)
        relative = [t for t in ledger.all_tasks() if t.deadline.kind == DeadlineKind.RELATIVE] if ledger else []
        self.anchor_note = QLabel(
            f"本台账有 {len(relative)} 项任务的时限从通知印发或收到之日起算（如“{relative[0].deadline.text}”），"
            "设置后即按工作日算出截止日期；某项任务另有起算日期的，在该任务上单独设置。"
            if relative
            else "时限写作“收到通知后3个工作日内”等的任务，从这一天起算截止日期。"
        )
        self.anchor_note.setObjectName("anchorNote")
        self.anchor_note.setWordWrap(True)
        self.error = QLabel("")
        self.error.setStyleSheet("color: #c62828")
        form = QFormLayout(self)
        form.addRow("台账名称", self.title)
        form.addRow("年度", self.year)
        form.addRow("所属单位", self.owner)
        form.addRow("印发单位", self.issuer)
        if ledger is not None:
            form.addRow("通知印发/收到日期", anchor_row)
            form.addRow("", self.anchor_note)
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
            "anchor_date": self.anchor.date().toPython() if self.anchor_known.isChecked() else None,
        }
