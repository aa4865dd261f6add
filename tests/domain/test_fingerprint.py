"""Visible-cell hashes: equal for what Word/Excel only re-spaces, different for a real edit."""

from __future__ import annotations

from desktop_app.domain.fingerprint import EMPTY, cell_hash, row_hashes, visible_text


def test_spacing_and_line_breaks_do_not_count() -> None:
    assert visible_text("第一行\n第二行\u3000 \t\u200b") == "第一行第二行"
    assert cell_hash("加强经济\n高质量发展") == cell_hash("加强经济高质量发展 ")
    assert cell_hash("已完成") != cell_hash("未完成")
    assert cell_hash("") == EMPTY


def test_a_cell_spanning_columns_counts_in_its_last_one() -> None:
    joined = row_hashes([("1", 1), ("内容", 2), ("内容", 2), ("进展", 3)])
    apart = row_hashes([("1", 1), ("", 4), ("内容", 2), ("进展", 3)])
    assert joined == apart == [cell_hash("1"), EMPTY, cell_hash("内容"), cell_hash("进展")]


def test_trailing_empty_columns_are_left_off() -> None:
    assert row_hashes([("1", 1), ("", 2), ("", 3)]) == [cell_hash("1")]
