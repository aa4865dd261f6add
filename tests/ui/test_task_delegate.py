"""The delegate: highlighted search matches, an editor per kind of field."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QSpinBox, QStyleOptionViewItem, QWidget

from desktop_app.ui.delegates.task_delegate import HIGHLIGHT, TaskDelegate, highlight_html
from desktop_app.ui.models.task_table_model import COLUMN_INDEX


def test_highlight_html_escapes_and_marks():
    out = highlight_html("<b>政务</b>公开 政务", ["政务"])
    assert out.count(HIGHLIGHT) == 2
    assert "&lt;b&gt;" in out
    assert highlight_html("abc", []) == "abc"
    assert "ABC" in highlight_html("xABCx", ["abc"])  # case-insensitive, original case kept


def test_editor_per_column(city):
    delegate = city.task_view.itemDelegate()
    assert isinstance(delegate, TaskDelegate)
    row = next(r for r in range(city.model.rowCount()) if city.model.task_id_at(r) is not None)
    parent = QWidget()
    option = QStyleOptionViewItem()
    kinds = {
        "status": QComboBox,
        "percent": QSpinBox,
        "content": QPlainTextEdit,
        "progress": QPlainTextEdit,
        "deadline": QLineEdit,
        "number": QLineEdit,
    }
    for key, cls in kinds.items():
        index = city.model.index(row, COLUMN_INDEX[key])
        editor = delegate.createEditor(parent, option, index)
        assert isinstance(editor, cls), key
        delegate.setEditorData(editor, index)
    parent.deleteLater()


def test_editor_commits_through_the_model(city):
    delegate = city.task_view.itemDelegate()
    task = next(t for t in city.model.tasks() if t.number == "8")
    index = city.model.index(city.model.row_of_task(task.id), COLUMN_INDEX["percent"])
    parent = QWidget()
    editor = delegate.createEditor(parent, QStyleOptionViewItem(), index)
    editor.setValue(35)
    delegate.setModelData(editor, city.model, index)
    assert city.ctx.ledgers.get_task(task.id).percent == 35
    parent.deleteLater()


def test_painting_with_matches(city, qtbot):
    city.resize(1400, 900)
    city.filter_bar.search.setText("信息")
    assert city.task_view.grab().width() > 0
