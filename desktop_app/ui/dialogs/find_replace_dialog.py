"""查找和替换 (Ctrl+F / Ctrl+H) over every text field of the ledger, as Word and WPS do it: the number of
matches, next and previous (the table goes to each), replace one, replace all as one undo step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from desktop_app.domain.model import Task

# The text fields a ledger has, in the order of the table (update_task field, label).
TEXT_FIELDS: list[tuple[str, str]] = [
    ("number", "序号"),
    ("key_work", "重点工作"),
    ("item", "子项"),
    ("content", "主要内容"),
    ("indicator", "量化指标"),
    ("units_text", "责任单位"),
    ("cooperating_text", "配合单位"),
    ("deadline_text", "完成时限"),
    ("progress", "进展落实情况"),
    ("remarks", "备注"),
]


def field_text(task: Task, field: str) -> str:
    if field == "deadline_text":
        return task.deadline.text or ""
    return getattr(task, field) or ""


def find_matches(tasks: list[Task], needle: str) -> list[tuple[int, str, int]]:
    """Every occurrence: (task id, field, position in the field's text), in table order."""
    out: list[tuple[int, str, int]] = []
    if not needle:
        return out
    for task in tasks:
        if task.id is None:
            continue
        for field, _label in TEXT_FIELDS:
            text = field_text(task, field)
            start = text.find(needle)
            while start >= 0:
                out.append((task.id, field, start))
                start = text.find(needle, start + len(needle))
    return out


class FindReplaceDialog(QDialog):
    def __init__(
        self,
        tasks: Callable[[], list[Task]],
        goto: Callable[[int, str], None],
        apply: Callable[[list[tuple[int, str, Any]], str], int],
        replace: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("findReplaceDialog")
        self.setWindowTitle("查找和替换" if replace else "查找")
        self._tasks = tasks
        self._goto = goto
        self._apply = apply
        self.matches: list[tuple[int, str, int]] = []
        self.at = -1
        self.replaced = 0
        self.find_edit = QLineEdit()
        self.find_edit.setObjectName("findText")
        self.find_edit.setPlaceholderText("要查找的文字（序号、内容、单位、时限、进展、备注……）")
        self.replace_edit = QLineEdit()
        self.replace_edit.setObjectName("replaceText")
        self.replace_edit.setPlaceholderText("替换为（可留空，即删除查找的文字）")
        self.count_label = QLabel("")
        self.count_label.setObjectName("findCount")
        self.where_label = QLabel("")
        self.where_label.setObjectName("findWhere")
        self.where_label.setWordWrap(True)
        self.prev_button = QPushButton("上一个")
        self.next_button = QPushButton("下一个")
        self.next_button.setDefault(True)
        self.replace_button = QPushButton("替换")
        self.replace_all_button = QPushButton("全部替换")
        close = QPushButton("关闭")
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.replace_button.clicked.connect(self.replace_one)
        self.replace_all_button.clicked.connect(self.replace_all)
        close.clicked.connect(self.reject)
        self.find_edit.textChanged.connect(lambda _t: self.refresh())
        grid = QGridLayout(self)
        grid.addWidget(QLabel("查找"), 0, 0)
        grid.addWidget(self.find_edit, 0, 1)
        grid.addWidget(self.count_label, 0, 2)
        grid.addWidget(QLabel("替换为"), 1, 0)
        grid.addWidget(self.replace_edit, 1, 1, 1, 2)
        grid.addWidget(self.where_label, 2, 0, 1, 3)
        buttons = QHBoxLayout()
        for b in (self.prev_button, self.next_button, self.replace_button, self.replace_all_button, close):
            buttons.addWidget(b)
        grid.addLayout(buttons, 3, 0, 1, 3)
        self.replace_widgets = (self.replace_edit, self.replace_button, self.replace_all_button)
        self.set_replace_mode(replace)
        self.resize(560, self.sizeHint().height())
        self.refresh()

    def set_replace_mode(self, replace: bool) -> None:
        """Ctrl+F shows the find part; Ctrl+H the replace part as well."""
        for w in self.replace_widgets:
            w.setVisible(replace)
        grid = self.layout()
        label = grid.itemAtPosition(1, 0).widget()
        label.setVisible(replace)
        self.setWindowTitle("查找和替换" if replace else "查找")

    def refresh(self) -> None:
        """Count the matches again (after a text change or an edit)."""
        needle = self.find_edit.text()
        self.matches = find_matches(self._tasks(), needle)
        self.at = min(self.at, len(self.matches) - 1)
        tasks = len({m[0] for m in self.matches})
        if not needle:
            self.count_label.setText("")
        elif self.matches:
            self.count_label.setText(f"共 {len(self.matches)} 处（{tasks} 项任务）")
        else:
            self.count_label.setText("未找到")
        for b in (self.prev_button, self.next_button, self.replace_button, self.replace_all_button):
            b.setEnabled(bool(self.matches))

    def step(self, direction: int) -> None:
        """下一个 / 上一个: the table goes to the task and the column of the match (wrapping round)."""
        if not self.matches:
            return
        self.at = (self.at + direction) % len(self.matches)
        tid, field, _pos = self.matches[self.at]
        label = dict(TEXT_FIELDS)[field]
        self.where_label.setText(f"第 {self.at + 1}/{len(self.matches)} 处：{label}")
        self._goto(tid, field)

    def _replaced(self, task: Task, field: str, pos: int | None) -> str:
        text = field_text(task, field)
        needle, new = self.find_edit.text(), self.replace_edit.text()
        if pos is None:
            return text.replace(needle, new)
        return text[:pos] + new + text[pos + len(needle) :]

    def replace_one(self) -> None:
        """替换: the match shown (the first one if none is shown yet), then on to the next."""
        if not self.matches:
            return
        if self.at < 0:
            self.step(1)
        tid, field, pos = self.matches[self.at]
        task = next((t for t in self._tasks() if t.id == tid), None)
        if task is None:
            return
        self.replaced += self._apply([(tid, field, self._replaced(task, field, pos))], "替换")
        self.at -= 1
        self.refresh()
        self.step(1)

    def replace_all(self) -> None:
        """全部替换: every match in the ledger, as one undo step."""
        if not self.matches:
            return
        by_task = {t.id: t for t in self._tasks()}
        edits: list[tuple[int, str, Any]] = []
        for tid, field in dict.fromkeys((m[0], m[1]) for m in self.matches):
            edits.append((tid, field, self._replaced(by_task[tid], field, None)))
        count = len(self.matches)
        written = self._apply(edits, "全部替换")
        self.replaced += written
        self.refresh()
        self.where_label.setText(f"已替换 {count} 处（{written} 个单元格，Ctrl+Z 可一步撤销）。")
