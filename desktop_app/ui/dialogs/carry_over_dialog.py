"""年度结转 (复制到下一年): choose per task whether it is carried, and why not; then see what needs review."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain import clock
from desktop_app.domain.model import Ledger, LedgerError, Task, TaskStatus
from desktop_app.domain.status import effective_status

# The choices of the 处理 column: (label, reason stored for a task left behind; None = carried)
CARRY = "结转到下一年"
CHOICES: list[tuple[str, str | None]] = [
    (CARRY, None),
    ("不结转：已完成", "已完成"),
    ("不结转：取消", "取消"),
    ("不结转：合并到…", "合并到"),
]
COL_NUMBER, COL_CONTENT, COL_STATUS, COL_CHOICE, COL_NOTE = range(5)


class CarryOverDialog(QDialog):
    """objectName carryOverDialog; children carryTable, doneChoice, carryError, resultList.

    `run(reasons)` does the copy (LedgerService.copy_to_next_year) and returns its result; the
    dialog then shows what was done and which deadlines are 待确认. A failed run changes nothing
    and its message is shown in the dialog."""

    def __init__(
        self,
        ledger: Ledger,
        run: Callable[[dict[int, str | None]], Any],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("carryOverDialog")
        self.setWindowTitle("复制到下一年（年度结转）")
        self.resize(900, 600)
        self._ledger = ledger
        self._run = run
        self._tasks: list[Task] = ledger.all_tasks()
        self.result_value: Any = None
        year = (ledger.year or clock.today().year) + 1
        self._year = year

        self.intro = intro = QLabel(
            f"把《{ledger.title}》结转到 {year} 年的新台账。结转的任务进展、状态和进度将清空"
            "（进展记录保留在原台账），完成时限顺延到新年度，报送日期顺延一年。"
            "不结转的任务须选择原因，原因记入原台账。"
        )
        intro.setObjectName("carryIntro")
        intro.setWordWrap(True)

        self.table = QTableWidget(len(self._tasks), 5)
        self.table.setObjectName("carryTable")
        self.table.setHorizontalHeaderLabels(
            ["序号", "主要内容", "当前状态", "处理", "说明（合并到哪一项等）"]
        )
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_CONTENT, QHeaderView.Stretch)
        for col in (COL_NUMBER, COL_STATUS, COL_CHOICE):
            header.setSectionResizeMode(col, QHeaderView.ResizeToContents)
        header.resizeSection(COL_NOTE, 200)
        self._combos: list[QComboBox] = []
        for row, task in enumerate(self._tasks):
            for col, text in (
                (COL_NUMBER, task.number),
                (COL_CONTENT, " ".join(task.content.split())),
                (COL_STATUS, effective_status(task).label),
            ):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
                if col == COL_CONTENT:
                    item.setToolTip(task.content)
                self.table.setItem(row, col, item)
            self.table.setItem(row, COL_NOTE, QTableWidgetItem(""))
            combo = QComboBox()
            for label, _reason in CHOICES:
                combo.addItem(label)
            combo.setCurrentIndex(1 if self._is_done(task) else 0)
            self.table.setCellWidget(row, COL_CHOICE, combo)
            self._combos.append(combo)

        done_count = sum(1 for t in self._tasks if self._is_done(t))
        self.done_choice = QComboBox()
        self.done_choice.setObjectName("doneChoice")
        for label, _reason in CHOICES:
            self.done_choice.addItem(label)
        self.done_choice.setCurrentIndex(1)
        self.done_choice.activated.connect(self._apply_to_done)
        bulk = QHBoxLayout()
        bulk.addWidget(QLabel(f"已完成的 {done_count} 项任务全部："))
        bulk.addWidget(self.done_choice)
        bulk.addStretch(1)

        self.error = QLabel("")
        self.error.setObjectName("carryError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b71c1c")

        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("开始结转")
        self.buttons.button(QDialogButtonBox.Cancel).setText("取消")
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)

        plan_page = QWidget()
        pl = QVBoxLayout(plan_page)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.addWidget(intro)
        pl.addLayout(bulk)
        pl.addWidget(self.table, 1)
        pl.addWidget(self.error)
        pl.addWidget(self.buttons)

        self.summary = QLabel("")
        self.summary.setObjectName("carrySummary")
        self.summary.setWordWrap(True)
        self.result_list = QListWidget()
        self.result_list.setObjectName("resultList")
        close = QDialogButtonBox(QDialogButtonBox.Close)
        close.button(QDialogButtonBox.Close).setText("关闭")
        close.rejected.connect(self.accept)
        result_page = QWidget()
        rl = QVBoxLayout(result_page)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.summary)
        rl.addWidget(self.result_list, 1)
        rl.addWidget(close)

        self.pages = QStackedWidget()
        self.pages.addWidget(plan_page)
        self.pages.addWidget(result_page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

    @staticmethod
    def _is_done(task: Task) -> bool:
        return effective_status(task) == TaskStatus.DONE

    # ---- the plan ------------------------------------------------------------------------------------
    def _apply_to_done(self, index: int) -> None:
        for task, combo in zip(self._tasks, self._combos, strict=True):
            if self._is_done(task):
                combo.setCurrentIndex(index)

    def set_choice(self, task_id: int, label: str, note: str = "") -> None:
        """Choose 处理 (one of CHOICES' labels) and 说明 for one task (the user, or a test)."""
        row = next(i for i, t in enumerate(self._tasks) if t.id == task_id)
        self._combos[row].setCurrentIndex([c[0] for c in CHOICES].index(label))
        self.table.item(row, COL_NOTE).setText(note)

    def choice(self, task_id: int) -> str:
        row = next(i for i, t in enumerate(self._tasks) if t.id == task_id)
        return self._combos[row].currentText()

    def reasons(self) -> dict[int, str | None]:
        """Task id -> why it is not carried, or None to carry it. Raises LedgerError when a reason is missing."""
        out: dict[int, str | None] = {}
        for row, (task, combo) in enumerate(zip(self._tasks, self._combos, strict=True)):
            reason = CHOICES[combo.currentIndex()][1]
            note = self.table.item(row, COL_NOTE).text().strip()
            if reason == "合并到":
                if not note:
                    raise LedgerError(
                        f"第 {task.number or row + 1} 项选择了“合并到…”：请在“说明”中写明合并到哪一项，再开始结转。"
                    )
                reason = note if note.startswith("合并到") else f"合并到{note}"
            elif reason is not None and note:
                reason = f"{reason}：{note}"
            out[task.id] = reason  # type: ignore[index]
        return out

    # ---- running -------------------------------------------------------------------------------------
    def start(self) -> None:
        """开始结转: copy, then show the outcome; a failure is shown here and changes nothing."""
        try:
            self.result_value = self._run(self.reasons())
        except LedgerError as exc:
            self.error.setText(exc.message)
            return
        if self.result_value is None:  # the runner reported the error itself
            return
        self._show_result(self.result_value)

    def _show_result(self, result: Any) -> None:
        left = len(result.left_behind)
        review = result.to_confirm
        text = (
            f"已新建《{result.ledger.title}》：结转 {result.carried} 项任务（进展已清空），"
            f"{left} 项未结转（原因已记入原台账）。"
        )
        if review:
            text += f"以下 {len(review)} 项的完成时限未能自动顺延，已标为“待确认”，请逐项核对："
        else:
            text += "所有完成时限都已顺延到新年度。"
        self.summary.setText(text)
        self.result_list.clear()
        for r in review:
            content = " ".join(r.task.content.split())
            item = QListWidgetItem(
                f"{r.task.number} {content[:40]}{'…' if len(content) > 40 else ''}"
                f" — 原完成时限“{r.old_text}”：{r.reason}"
            )
            item.setData(Qt.UserRole, r.task.id)
            self.result_list.addItem(item)
        self.setWindowTitle("年度结转完成")
        self.pages.setCurrentIndex(1)
