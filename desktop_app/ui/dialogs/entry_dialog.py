"""更正进展记录: the text, status and percent of one recorded entry; its date and 填报人 stay."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.model import ProgressEntry, TaskStatus


class EntryCorrectionDialog(QDialog):
    """objectName entryCorrectionDialog; children entryText, entryStatus, entryPercent, entryError."""

    def __init__(self, entry: ProgressEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("entryCorrectionDialog")
        self.setWindowTitle("更正进展记录")
        self.entry = entry
        when = entry.entry_date.isoformat() if entry.entry_date else ""
        note = QLabel(
            f"{when} 的记录{('（填报人：' + entry.author + '）') if entry.author else ''}。"
            "更正后原内容保留在修改记录中，可用 Ctrl+Z 撤销。"
        )
        note.setWordWrap(True)
        self.text = QPlainTextEdit(entry.text)
        self.text.setObjectName("entryText")
        self.status = QComboBox()
        self.status.setObjectName("entryStatus")
        for st in TaskStatus:
            self.status.addItem(st.label, st.value)
        self.status.setCurrentIndex(self.status.findData(entry.status.value))
        self.percent = QSpinBox()
        self.percent.setObjectName("entryPercent")
        self.percent.setRange(0, 100)
        self.percent.setSuffix(" %")
        self.percent.setValue(entry.percent)
        self.error = QLabel("")
        self.error.setObjectName("entryError")
        self.error.setStyleSheet("color: #c62828")
        form = QFormLayout()
        form.addRow("进展", self.text)
        form.addRow("状态", self.status)
        form.addRow("完成百分比", self.percent)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("更正")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(560, 360)

    def values(self) -> tuple[str, TaskStatus, int]:
        return self.text.toPlainText().strip(), TaskStatus(self.status.currentData()), self.percent.value()

    def changed(self) -> bool:
        text, status, percent = self.values()
        return (text, status, percent) != (self.entry.text, self.entry.status, self.entry.percent)

    def accept(self) -> None:
        if not self.values()[0]:
            self.error.setText("进展内容不能为空：要去掉这条记录，请用“撤回”。")
            return
        super().accept()
