"""本单位与填报人, asked before a report goes out while they are empty (the report prints them in its
填报单位/填报人/联系电话 lines): fill them in, go on without them, or stop."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget


class IdentityDialog(QDialog):
    """accept(): save the fields and go on; 暂不填写 (skip): go on with them empty; 取消: stop."""

    def __init__(self, values: dict[str, str], parent: QWidget | None = None, purpose: str = "report") -> None:
        super().__init__(parent)
        self.setObjectName("identityDialog")
        self.setWindowTitle("本单位与填报人")
        self.skipped = False
        missing = [label for key, label in (("my_unit", "填报单位"), ("contact_person", "填报人"))
                   if not (values.get(key) or "").strip()]
        if purpose == "entry":  # the first 进展记录 with no 填报人 in the settings
            text = ("进展记录的“填报人”取自设置，现在还空着，记下的进展将不带填报人。"
                    "填写后会保存在“设置”中，以后的进展记录和报表都用它；选“暂不填写”以后不再询问。")
        else:
            text = (f"报表上的“{'”“'.join(missing)}”还空着，生成的报表这几处会是空白。"
                    "填写后会保存在“设置”中，以后的报表都用它们。")
        note = QLabel(text)
        note.setObjectName("identityNote")
        note.setWordWrap(True)
        self.unit = QLineEdit(values.get("my_unit") or "")
        self.unit.setObjectName("identityUnit")
        self.unit.setPlaceholderText("如：市自然资源局")
        self.person = QLineEdit(values.get("contact_person") or "")
        self.person.setObjectName("identityPerson")
        self.person.setPlaceholderText("报表上的填报人")
        self.phone = QLineEdit(values.get("phone") or "")
        self.phone.setObjectName("identityPhone")
        form = QFormLayout(self)
        form.addRow(note)
        form.addRow("本单位（填报单位）", self.unit)
        form.addRow("填报人", self.person)
        form.addRow("联系电话", self.phone)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("保存并继续", QDialogButtonBox.AcceptRole)
        self.skip_button = buttons.addButton("暂不填写，继续", QDialogButtonBox.ActionRole)
        cancel = buttons.addButton("取消", QDialogButtonBox.RejectRole)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.accept)
        self.skip_button.clicked.connect(self.skip)
        cancel.clicked.connect(self.reject)
        form.addRow(buttons)
        self.resize(520, self.sizeHint().height())

    def skip(self) -> None:
        self.skipped = True
        super().accept()

    def values(self) -> dict[str, str]:
        """The settings to store (nothing when skipped)."""
        if self.skipped:
            return {}
        return {
            "my_unit": self.unit.text().strip(),
            "contact_person": self.person.text().strip(),
            "phone": self.phone.text().strip(),
        }
