"""生成本单位台账: from the city's ledger shown, the tasks that concern my unit (by name, other name or
kind), as a new ledger of my own with internal columns (责任科室, 责任人, 具体措施, 内部时限)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.derive import INTERNAL_HEADERS, derive_unit_ledger
from desktop_app.domain.directory import KINDS, guess_kind
from desktop_app.domain.model import Ledger, LedgerError


class DeriveDialog(QDialog):
    """objectName deriveDialog; children deriveUnit, deriveKind, derivePreview, deriveError."""

    def __init__(self, ctx: Any, city: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deriveDialog")
        self.setWindowTitle("生成本单位台账")
        self.ctx = ctx
        self.city = city
        self.result_ledger: Ledger | None = None
        try:
            self._directory = ctx.directory.directory()
            my_unit = ctx.settings.get("my_unit", "") or ""
        except LedgerError:
            self._directory, my_unit = None, ""
        intro = QLabel(
            f"从《{city.title}》中取出写给本单位的任务（点名的，以及“市政府各部门”“各直属机构”等按单位类型"
            f"泛指的），生成本单位的任务分工台账；另加内部列（{'、'.join(INTERNAL_HEADERS)}），"
            "这些列不会出现在报给市里或公开的文件中。"
        )
        intro.setWordWrap(True)
        self.unit = QLineEdit(my_unit)
        self.unit.setObjectName("deriveUnit")
        self.unit.setPlaceholderText("如 市教育局")
        self.kind = QComboBox()
        self.kind.setObjectName("deriveKind")
        for k in KINDS:
            self.kind.addItem(k, k)
        self._pick_kind()
        self.preview = QLabel("")
        self.preview.setObjectName("derivePreview")
        self.preview.setWordWrap(True)
        self.error = QLabel("")
        self.error.setObjectName("deriveError")
        self.error.setStyleSheet("color: #c62828")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow("本单位", self.unit)
        form.addRow("单位类型", self.kind)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("生成")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.preview)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.unit.textChanged.connect(lambda _t: (self._pick_kind(), self.update_preview()))
        self.kind.currentIndexChanged.connect(lambda _i: self.update_preview())
        self.update_preview()
        self.resize(620, 300)

    def _pick_kind(self) -> None:
        """The directory's kind of the unit when it knows it, else a guess from the name."""
        name = self.unit.text().strip()
        known = self._directory.find(name) if (self._directory is not None and name) else None
        kind = known.kind if known is not None else (guess_kind(name) if name else KINDS[0])
        i = self.kind.findData(kind)
        if i >= 0:
            self.kind.blockSignals(True)
            self.kind.setCurrentIndex(i)
            self.kind.blockSignals(False)

    def update_preview(self) -> None:
        name = self.unit.text().strip()
        self.error.clear()
        if not name:
            self.preview.setText("请填写本单位名称。")
            return
        try:
            d = derive_unit_ledger(self.city, name, self.kind.currentData(), self._directory)
        except LedgerError as exc:
            self.preview.setText(exc.message)
            return
        self.preview.setText(
            f"将生成《{d.ledger.title}》：{d.tasks} 项任务（其中 {d.generic} 项按“{self.kind.currentData()}”"
            "泛指写给本单位），每项与城市台账的任务对应。"
        )

    def accept(self) -> None:
        try:
            derived = self.ctx.directory.derive_unit_ledger(
                self.city.id, self.unit.text().strip(), self.kind.currentData()
            )
        except LedgerError as exc:
            self.error.setText(exc.message)
            return
        self.result_ledger = derived.ledger
        super().accept()
