"""One status everywhere: the table, the dashboard, the progress editor, the Excel and Word exports
and the printed (PDF) document give every task the same label (issue 11: progress text with no
status set read 推进中 in the table and 未开始 0 % in the editor)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import docx
import openpyxl
import pytest

from desktop_app.domain.deadlines import parse_deadline
from desktop_app.domain.model import ColumnSpec, Ledger, Section, Task, TaskStatus
from desktop_app.domain.status import DisplayStatus
from desktop_app.ui import file_flows
from desktop_app.ui.models.task_table_model import COLUMN_INDEX

S = DisplayStatus
T = TaskStatus

# (content, deadline, recorded status, percent, progress text) -> (shown status, editor status, editor %)
CASES = [
    ("无进展无状态", "11月底", T.NOT_STARTED, 0, "", S.NOT_STARTED, T.NOT_STARTED, 0),
    ("只写了进展", "11月底", T.NOT_STARTED, 0, "已公开9件", S.IN_PROGRESS, T.IN_PROGRESS, 0),
    ("只填了进度", "", T.NOT_STARTED, 30, "", S.IN_PROGRESS, T.IN_PROGRESS, 30),
    ("设了状态无进展", "11月底", T.IN_PROGRESS, 0, "", S.IN_PROGRESS, T.IN_PROGRESS, 0),
    ("记录为完成", "11月底", T.DONE, 100, "全部完成", S.DONE, T.DONE, 100),
    ("已完成进度未填", "11月底", T.DONE, 0, "", S.DONE, T.DONE, 100),
    ("进度百分百未设状态", "11月底", T.NOT_STARTED, 100, "", S.DONE, T.DONE, 100),
    ("逾期有进展", "6月底", T.NOT_STARTED, 0, "正在推进", S.OVERDUE, T.IN_PROGRESS, 0),
    ("逾期无进展", "6月底", T.NOT_STARTED, 0, "", S.OVERDUE, T.NOT_STARTED, 0),
    ("临期", "7月5日", T.NOT_STARTED, 0, "", S.DUE_VERY_SOON, T.NOT_STARTED, 0),
    ("即将到期有进展", "7月20日", T.NOT_STARTED, 0, "草拟中", S.DUE_SOON, T.IN_PROGRESS, 0),
    ("长期有进展", "长期坚持", T.NOT_STARTED, 0, "持续开展", S.ONGOING, T.IN_PROGRESS, 0),
    ("只有空白进展", "11月底", T.NOT_STARTED, 0, "  \n ", S.NOT_STARTED, T.NOT_STARTED, 0),
]


def _ledger() -> Ledger:
    tasks = [
        Task(
            number=str(i + 1),
            key_work=f"工作{i + 1}",
            content=content,
            deadline=parse_deadline(deadline, 2023),
            status=status,
            percent=percent,
            progress=progress,
        )
        for i, (content, deadline, status, percent, progress, *_rest) in enumerate(CASES)
    ]
    return Ledger(title="状态一致性测试台账", year=2023, sections=[Section(title="一、测试", tasks=tasks)])


@pytest.fixture
def shown(window):
    ledger = window.ctx.ledgers.add_ledger(_ledger())
    window.reload_ledgers(select=ledger.id)
    window.open_ledger(ledger.id)
    return window, ledger


def _by_content(window) -> dict[str, Task]:
    return {t.content: t for t in window.model.tasks()}


def test_table_and_editor_agree(shown):
    window, _ledger = shown
    tasks = _by_content(window)
    for content, *_x, expected, editor_status, editor_percent in CASES:
        task = tasks[content]
        row = window.model.row_of_task(task.id)
        cell = window.model.index(row, COLUMN_INDEX["status"]).data()
        assert cell.startswith(expected.label), (content, cell)
        percent = window.model.index(row, COLUMN_INDEX["percent"]).data()
        assert percent == f"{editor_percent}%", content
        window.task_view.select_task(task.id)
        editor = window.progress_editor
        assert editor.task().id == task.id
        assert editor.status_combo.currentText() == editor_status.label, content
        assert editor.percent_spin.value() == editor_percent, content
        assert expected.label in editor.detail.toPlainText(), content
    # showing a derived status wrote nothing: the stored status is unchanged until the user saves
    stored = {t.content: t.status for t in window.ctx.ledgers.get_ledger(_ledger.id).all_tasks()}
    assert stored == {c[0]: c[2] for c in CASES}


def test_dashboard_counts_match_the_table(shown):
    window, _ledger = shown
    window.tabs.setCurrentWidget(window.dashboard)  # the dashboard counts when it is shown
    expected = Counter(c[5] for c in CASES)
    bars = {b.label: b.value for b in window.dashboard.status_chart.bars()}
    assert bars == {s.label: expected.get(s, 0) for s in DisplayStatus}
    done = expected[S.DONE]
    assert window.dashboard.cards["done"].text() == str(done)
    assert window.dashboard.cards["overdue"].text() == str(expected[S.OVERDUE])


def _expected_by_content() -> dict[str, str]:
    return {c[0]: c[5].label for c in CASES}


def test_xlsx_status_cells(shown, tmp_path: Path):
    window, ledger = shown
    path = window.ctx.exports.export(ledger.id, "xlsx", tmp_path / "out.xlsx")
    ws = openpyxl.load_workbook(path)["台账"]
    header_row = next(r for r in ws.iter_rows() if any(c.value == "状态" for c in r))
    status_col = next(c.column for c in header_row if c.value == "状态")
    content_col = next(c.column for c in header_row if c.value == "主要内容")
    got = {}
    for r in range(header_row[0].row + 1, ws.max_row + 1):
        content = ws.cell(row=r, column=content_col).value
        if content in _expected_by_content():
            got[content] = ws.cell(row=r, column=status_col).value
    assert set(got) == set(_expected_by_content())
    for content, label in _expected_by_content().items():
        assert got[content] == label, content  # the status in words, no symbol before it


def test_docx_status_cells(shown, tmp_path: Path):
    window, ledger = shown
    cols = [ColumnSpec("number", "序号"), ColumnSpec("content", "主要内容"), ColumnSpec("status", "状态")]
    path = window.ctx.exports.export(ledger.id, "docx", tmp_path / "out.docx", columns=cols)
    got = {}
    for table in docx.Document(str(path)).tables:
        for row in table.rows:
            texts = [c.text for c in row.cells]
            for content in _expected_by_content():
                if content in texts:
                    got[content] = texts[texts.index(content) + 1]
    assert got == _expected_by_content()


def test_print_document_shows_the_status_column(shown):
    window, _ledger = shown
    assert not window.task_view.horizontalHeader().isSectionHidden(COLUMN_INDEX["status"])
    job = file_flows._document(window)
    # each task's row holds its label: the page's lines in drawing order (a row's cells left to right)
    joined = "".join(t.text for page in job.layout().pages for t in page.texts)
    for content, label in _expected_by_content().items():
        at = joined.find(content[:12])
        assert at >= 0, content
        row = joined[at : at + len(content) + 80]  # the rest of the content, its deadline, its status
        assert label in row, (content, label, row)
