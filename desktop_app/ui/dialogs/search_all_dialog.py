"""查找所有台账 (回头看): words looked for in every ledger and year — task content, current progress,
the journal — listed newest year first; 打开 shows the ledger at that task."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.model import LedgerError, SearchHit

COLUMNS = ["年度", "台账", "序号", "主要内容", "找到于", "相关文字"]


class SearchAllDialog(QDialog):
    """objectName searchAllDialog; children searchAllText, searchAllButton, searchAllResults, searchAllInfo."""

    def __init__(self, ctx: Any, parent: QWidget | None = None, words: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("searchAllDialog")
        self.setWindowTitle("查找所有台账（回头看）")
        self.resize(1000, 560)
        self.ctx = ctx
        self.hits: list[SearchHit] = []
        self.chosen: SearchHit | None = None

        self.text = QLineEdit(words)
        self.text.setObjectName("searchAllText")
        self.text.setPlaceholderText("如：政策解读、政务公开专栏 …（在所有年度的台账、进展和进展记录中查找）")
        self.text.returnPressed.connect(self.run_search)
        self.search_button = QPushButton("查找")
        self.search_button.setObjectName("searchAllButton")
        self.search_button.setDefault(True)
        self.search_button.clicked.connect(self.run_search)
        top = QHBoxLayout()
        top.addWidget(self.text, 1)
        top.addWidget(self.search_button)
        self.results = QTreeWidget()
        self.results.setObjectName("searchAllResults")
        self.results.setHeaderLabels(COLUMNS)
        self.results.setRootIsDecorated(False)
        self.results.setAlternatingRowColors(True)
        self.results.setSelectionMode(QAbstractItemView.SingleSelection)
        h = self.results.header()
        for col in (0, 2, 4):
            h.setSectionResizeMode(col, QHeaderView.ResizeToContents)
        h.setSectionResizeMode(3, QHeaderView.Stretch)
        h.setSectionResizeMode(5, QHeaderView.Stretch)
        self.results.itemDoubleClicked.connect(lambda _item, _col: self.accept())
        self.results.itemSelectionChanged.connect(self._update_buttons)
        self.info = QLabel("输入要查找的文字，回车或点“查找”。")
        self.info.setObjectName("searchAllInfo")
        self.info.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Close)
        self.open_button = buttons.button(QDialogButtonBox.Ok)
        self.open_button.setText("打开所选任务")
        self.open_button.setObjectName("searchAllOpen")
        self.open_button.setAutoDefault(False)
        buttons.button(QDialogButtonBox.Close).setText("关闭")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.info)
        layout.addWidget(buttons)
        self._update_buttons()
        if words:
            self.run_search()

    def run_search(self) -> None:
        self.results.clear()
        self.hits = []
        try:
            self.hits = self.ctx.ledgers.search_all(self.text.text())
        except LedgerError as exc:
            self.info.setText(exc.message)
            self._update_buttons()
            return
        for i, h in enumerate(self.hits):
            item = QTreeWidgetItem(
                [
                    f"{h.year}" if h.year else "",
                    h.ledger_title,
                    h.number,
                    " ".join(h.content.split())[:80],
                    h.where,
                    h.excerpt,
                ]
            )
            item.setData(0, Qt.UserRole, i)
            item.setToolTip(3, h.content)
            item.setToolTip(5, h.excerpt)
            self.results.addTopLevelItem(item)
        ledgers = len({h.ledger_id for h in self.hits})
        self.info.setText(
            f"在 {ledgers} 本台账中找到 {len(self.hits)} 项任务。双击打开。" if self.hits else "没有找到。换个说法试试。"
        )
        if self.hits:
            self.results.setCurrentItem(self.results.topLevelItem(0))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.open_button.setEnabled(self.results.currentItem() is not None)

    def accept(self) -> None:
        item = self.results.currentItem()
        if item is None:
            return
        self.chosen = self.hits[item.data(0, Qt.UserRole)]
        super().accept()
