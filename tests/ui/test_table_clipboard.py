"""Cells to and from the clipboard in Excel's forms: TSV (quoted cells with line breaks) and HTML."""

from __future__ import annotations

from desktop_app.domain.model import TaskStatus
from desktop_app.ui.models.task_table_model import COLUMN_INDEX
from desktop_app.ui.table_clipboard import cell_value, cells_mime, parse_tsv, refused_sentence


def test_tsv_round_trip_keeps_tabs_quotes_and_line_breaks(qapp):
    rows = [["序号", "进展"], ["1", '第一行\n第二行'], ["2", 'say "hi"\tthere']]
    mime = cells_mime(rows)
    assert parse_tsv(mime.text()) == rows
    assert mime.html().count("<td>") == 6 and "第一行<br>第二行" in mime.html()
    assert "&quot;hi&quot;" in mime.html()


def test_parse_tsv_reads_windows_line_ends_and_a_last_line_without_one():
    assert parse_tsv("a\tb\r\nc\td") == [["a", "b"], ["c", "d"]]
    assert parse_tsv("x\n") == [["x"]]
    assert parse_tsv("") == []


def test_cell_values_are_checked_per_column():
    status, percent, number = COLUMN_INDEX["status"], COLUMN_INDEX["percent"], COLUMN_INDEX["updated"]
    assert cell_value(status, " 已完成 ") == (TaskStatus.DONE.value, None)
    assert cell_value(status, "进行中") == (TaskStatus.IN_PROGRESS.value, None)
    assert cell_value(status, "快好了")[0] is None
    assert cell_value(percent, "60%") == (60, None)
    assert cell_value(percent, "0.6") == (60, None)  # a 60 % cell as some sheets copy it
    assert cell_value(percent, "100") == (100, None)
    assert cell_value(percent, "101")[0] is None and cell_value(percent, "六十")[0] is None
    assert cell_value(number, "2023-01-01")[1] == "“最后更新”列不能修改"
    assert cell_value(COLUMN_INDEX["progress"], " 已公开 ") == ("已公开", None)


def test_refused_cells_in_one_sentence():
    text = refused_sentence(["a", "b", "c", "d"], 5)
    assert text.startswith("已粘贴 5 个单元格，4 个单元格未粘贴（a；b；c等）") and "\n" not in text
