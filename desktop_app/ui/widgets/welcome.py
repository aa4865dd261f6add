"""The page shown on an empty database: what the program is for, and one click to a working ledger."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desktop_app import APP_NAME


class WelcomePage(QWidget):
    sample_requested = Signal()
    import_requested = Signal()
    new_requested = Signal()
    identity_changed = Signal(dict)  # {"my_unit": ..., "contact_person": ...} as typed (may be skipped)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomePage")
        title = QLabel(f"欢迎使用{APP_NAME}")
        title.setStyleSheet("font-size: 20pt; font-weight: bold")
        title.setAlignment(Qt.AlignCenter)
        # short lines, no word wrap: a wrapped label in a centred layout gets too little height and
        # loses its last line
        text = QLabel(
            "这里还没有台账。您可以：\n"
            "· 导入收到的台账文件（Word、Excel、通知正文，也可把文件拖进窗口）；\n"
            "· 先载入一份示例台账，看看程序怎么用；\n"
            "· 或新建一份空白台账。"
        )
        text.setAlignment(Qt.AlignLeft)
        # Importing what the city sent is the main way in; the sample is for a first look.
        self.import_button = QPushButton("导入台账文件…")
        self.import_button.setObjectName("welcomeImportButton")
        self.import_button.setDefault(True)
        self.import_button.setStyleSheet("font-weight: bold; padding: 6px")
        self.sample_button = QPushButton("载入示例台账")
        self.sample_button.setObjectName("sampleButton")
        self.new_button = QPushButton("新建空白台账…")
        self.new_button.setObjectName("welcomeNewButton")
        self.sample_button.clicked.connect(self.sample_requested)
        self.import_button.clicked.connect(self.import_requested)
        self.new_button.clicked.connect(self.new_requested)
        # asked once, here on the first start, and skippable: the reports print them
        self.identity = QGroupBox("先填写本单位（可跳过，以后在“设置”中修改）")
        self.identity.setObjectName("welcomeIdentity")
        self.unit_edit = QLineEdit()
        self.unit_edit.setObjectName("welcomeUnit")
        self.unit_edit.setPlaceholderText("如：市自然资源局（报表的填报单位，“只看本单位”）")
        self.person_edit = QLineEdit()
        self.person_edit.setObjectName("welcomePerson")
        self.person_edit.setPlaceholderText("报表上的填报人")
        form = QFormLayout(self.identity)
        form.addRow("本单位", self.unit_edit)
        form.addRow("填报人", self.person_edit)
        for edit in (self.unit_edit, self.person_edit):
            edit.editingFinished.connect(self._identity_edited)
        for b in (self.import_button, self.sample_button, self.new_button):
            b.clicked.connect(self._identity_edited)  # saved before the page goes away
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(title)
        layout.addSpacing(12)
        layout.addWidget(text, 0, Qt.AlignHCenter)
        layout.addSpacing(12)
        for b in (self.import_button, self.sample_button, self.new_button):
            b.setMinimumWidth(260)
            layout.addWidget(b, 0, Qt.AlignHCenter)
        layout.addSpacing(16)
        self.identity.setMinimumWidth(420)
        layout.addWidget(self.identity, 0, Qt.AlignHCenter)
        layout.addStretch(2)

    def set_identity(self, unit: str, person: str) -> None:
        self.unit_edit.setText(unit)
        self.person_edit.setText(person)

    def _identity_edited(self) -> None:
        values = {"my_unit": self.unit_edit.text().strip(), "contact_person": self.person_edit.text().strip()}
        if any(values.values()):
            self.identity_changed.emit(values)
