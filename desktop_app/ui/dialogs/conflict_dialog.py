"""Two people edited the same field: both texts side by side; keep mine, keep theirs, or merge."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.model import EditConflict
from desktop_app.ui.undo_commands import FIELD_LABELS


class ConflictDialog(QDialog):
    """`chosen` after exec: the text to save (mine, theirs or the merged one); None keeps theirs."""

    def __init__(self, conflict: EditConflict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle("编辑冲突")
        self.conflict = conflict
        self.chosen: str | None = None
        label = FIELD_LABELS.get(conflict.field, conflict.field)
        who = conflict.person or "其他人"
        when = conflict.at.strftime("%Y-%m-%d %H:%M") if conflict.at else ""
        intro = QLabel(
            f"您编辑“{label}”期间，{who}{('于 ' + when) if when else ''}也修改了它。"
            "请对照两边的文字，选择保留哪一份，或在下方合并后保存。"
        )
        intro.setWordWrap(True)
        self.mine = QPlainTextEdit(conflict.mine)
        self.mine.setObjectName("conflictMine")
        self.mine.setReadOnly(True)
        self.theirs = QPlainTextEdit(conflict.theirs)
        self.theirs.setObjectName("conflictTheirs")
        self.theirs.setReadOnly(True)
        self.merged = QPlainTextEdit(_merge_hint(conflict.theirs, conflict.mine))
        self.merged.setObjectName("conflictMerged")
        keep_mine = QPushButton("保留我的")
        keep_mine.setObjectName("keepMine")
        keep_mine.clicked.connect(lambda: self._choose(conflict.mine))
        keep_theirs = QPushButton(f"保留{who}的")
        keep_theirs.setObjectName("keepTheirs")
        keep_theirs.clicked.connect(lambda: self._choose(None))
        save_merged = QPushButton("保存合并结果")
        save_merged.setObjectName("saveMerged")
        save_merged.clicked.connect(lambda: self._choose(self.merged.toPlainText()))
        grid = QGridLayout()
        grid.addWidget(QLabel("我的修改"), 0, 0)
        grid.addWidget(QLabel(f"{who}的修改（已保存）"), 0, 1)
        grid.addWidget(self.mine, 1, 0)
        grid.addWidget(self.theirs, 1, 1)
        grid.addWidget(keep_mine, 2, 0)
        grid.addWidget(keep_theirs, 2, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(QLabel("合并（可直接编辑）："))
        layout.addWidget(self.merged)
        layout.addWidget(save_merged)
        self.resize(760, 480)

    def _choose(self, text: str | None) -> None:
        self.chosen = text
        self.accept()

    @classmethod
    def choose(cls, parent: QWidget | None, conflict: EditConflict) -> str | None:
        dialog = cls(conflict, parent)
        try:
            return dialog.chosen if dialog.exec() == QDialog.Accepted else None
        finally:
            dialog.deleteLater()


def _merge_hint(theirs: str, mine: str) -> str:
    """A starting point for merging: theirs, then mine below it (when they differ)."""
    if not theirs:
        return mine
    if not mine or mine == theirs:
        return theirs
    return f"{theirs}\n{mine}"
