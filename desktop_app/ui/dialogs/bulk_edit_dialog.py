"""批量修改: set status, responsible unit, deadline or percent on every selected task at once."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from desktop_app.domain.model import TaskStatus


class BulkEditDialog(QDialog):
    """A tick per field: only the ticked fields are written, to every task chosen."""

    def __init__(self, count: int, units: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bulkEditDialog")
        self.setWindowTitle("批量修改")
        self.status = QComboBox()
        self.status.setObjectName("bulkStatus")
        for st in TaskStatus:
            self.status.addItem(st.label, st.value)
        self.unit = QComboBox()
        self.unit.setObjectName("bulkUnit")
        self.unit.setEditable(True)
        self.unit.addItems(units)
        self.unit.setCurrentText("")
        self.unit.lineEdit().setPlaceholderText("如：市自然资源局")
        self.deadline = QLineEdit()
        self.deadline.setObjectName("bulkDeadline")
        self.deadline.setPlaceholderText("如：12月底、2024年6月30日、长期坚持")
        self.percent = QSpinBox()
        self.percent.setObjectName("bulkPercent")
        self.percent.setRange(0, 100)
        self.percent.setSuffix("%")
        self.checks: dict[str, QCheckBox] = {}
        form = QFormLayout(self)
        form.addRow(QLabel(f"把所选的 {count} 项任务的以下内容改为（只改勾选的）："))
        for field, label, editor in (
            ("status", "状态", self.status),
            ("units_text", "责任单位", self.unit),
            ("deadline_text", "完成时限", self.deadline),
            ("percent", "进度", self.percent),
        ):
            check = QCheckBox(label)
            check.setObjectName(f"bulkCheck_{field}")
            check.toggled.connect(self._update)
            self.checks[field] = check
            form.addRow(check, editor)
        # changing a value ticks its box: what the user touched is what gets written
        self.status.currentIndexChanged.connect(lambda _i: self.checks["status"].setChecked(True))
        self.unit.editTextChanged.connect(lambda _t: self.checks["units_text"].setChecked(True))
        self.deadline.textEdited.connect(lambda _t: self.checks["deadline_text"].setChecked(True))
        self.percent.valueChanged.connect(lambda _v: self.checks["percent"].setChecked(True))
        self.error = QLabel("")
        self.error.setStyleSheet("color: #c62828")
        form.addRow(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("全部修改")
        self.buttons.button(QDialogButtonBox.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self._update()

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(any(c.isChecked() for c in self.checks.values()))

    def accept(self) -> None:
        if self.checks["units_text"].isChecked() and not self.unit.currentText().strip():
            self.error.setText("请填写责任单位，或取消勾选“责任单位”。")
            return
        if self.checks["deadline_text"].isChecked() and not self.deadline.text().strip():
            self.error.setText("请填写完成时限，或取消勾选“完成时限”。")
            return
        super().accept()

    def values(self) -> dict[str, Any]:
        """update_task field -> value, for the ticked fields."""
        out: dict[str, Any] = {}
        if self.checks["status"].isChecked():
            out["status"] = self.status.currentData()
        if self.checks["units_text"].isChecked():
            out["units_text"] = self.unit.currentText().strip()
        if self.checks["deadline_text"].isChecked():
            out["deadline_text"] = self.deadline.text().strip()
        if self.checks["percent"].isChecked():
            out["percent"] = self.percent.value()
        return out
