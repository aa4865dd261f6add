"""Paints search matches highlighted and provides the in-place editors of the task table."""

from __future__ import annotations

import html
import re
from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QFont, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from desktop_app.domain.model import TaskStatus
from desktop_app.ui.models.roles import SEARCH_TERMS_ROLE
from desktop_app.ui.models.task_table_model import COLUMNS

HIGHLIGHT = "#ffe082"
_MULTILINE = {"key_work", "content", "indicator", "progress", "units"}


def highlight_html(text: str, terms: list[str]) -> str:
    """Escape `text` and wrap every (case-insensitive) match of the terms in a highlight span."""
    if not terms:
        return html.escape(text)
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    out: list[str] = []
    pos = 0
    for m in pattern.finditer(text):
        out.append(html.escape(text[pos : m.start()]))
        out.append(f'<span style="background-color:{HIGHLIGHT}">{html.escape(m.group(0))}</span>')
        pos = m.end()
    out.append(html.escape(text[pos:]))
    return "".join(out)


class TaskDelegate(QStyledItemDelegate):
    """One delegate for every column: highlight painting plus an editor fitting the field."""

    CACHE_SIZE = 400

    def __init__(self, parent=None, terms: Callable[[], list[str]] | None = None) -> None:
        super().__init__(parent)
        self._terms = terms  # the search words to highlight (else read per cell from SEARCH_TERMS_ROLE)
        self._docs: OrderedDict[tuple, QTextDocument] = OrderedDict()

    def _document(self, text: str, terms: list[str], font: QFont, width: int) -> QTextDocument:
        """Laid-out highlight documents, kept for repaints (scrolling, hover) of the same cell."""
        key = (text, tuple(terms), font.key(), width)
        doc = self._docs.get(key)
        if doc is None:
            doc = QTextDocument()
            doc.setDefaultFont(font)
            doc.setDocumentMargin(1)
            doc.setHtml(highlight_html(text, terms))
            doc.setTextWidth(width)
            self._docs[key] = doc
            if len(self._docs) > self.CACHE_SIZE:
                self._docs.popitem(last=False)
        else:
            self._docs.move_to_end(key)
        return doc

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        terms = self._terms() if self._terms is not None else (index.data(SEARCH_TERMS_ROLE) or [])
        if not terms:
            super().paint(painter, option, index)
            return
        text = index.data(Qt.DisplayRole) or ""
        if not isinstance(text, str) or not any(t in text.lower() for t in terms):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.CE_ItemViewItem, opt, painter, opt.widget)
        text_rect = style.subElementRect(QStyle.SE_ItemViewItemText, opt, opt.widget)
        doc = self._document(text, terms, opt.font, max(10, text_rect.width()))
        painter.save()
        painter.translate(text_rect.topLeft())
        height = doc.size().height()
        if height < text_rect.height():  # centre short text vertically like the normal cells
            painter.translate(0, (text_rect.height() - height) / 2)
        clip = QRect(0, 0, text_rect.width(), self._whole_lines_height(doc, text_rect.height()))
        painter.setClipRect(clip)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.State_Selected)
        ctx.palette.setColor(
            QPalette.Text, opt.palette.color(QPalette.HighlightedText if selected else QPalette.Text)
        )
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    @staticmethod
    def _whole_lines_height(doc: QTextDocument, available: int) -> int:
        """Clip below the last line that fits whole (no half-cut glyphs at the cell's bottom)."""
        layout = doc.firstBlock().layout()
        margin = doc.documentMargin()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            if line.y() + line.height() + margin > available:
                return max(1, int(line.y() + margin)) if i else available
        return available

    # ---- editors ---------------------------------------------------------------------------------
    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QWidget:
        key = COLUMNS[index.column()].key
        if key == "status":
            combo = QComboBox(parent)
            for st in TaskStatus:
                combo.addItem(st.label, st.value)
            return combo
        if key == "percent":
            spin = QSpinBox(parent)
            spin.setRange(0, 100)
            spin.setSuffix("%")
            return spin
        if key in _MULTILINE:
            edit = QPlainTextEdit(parent)
            edit.setTabChangesFocus(True)
            return edit
        return QLineEdit(parent)

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        value = index.data(Qt.EditRole)
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(value)))
        elif isinstance(editor, QSpinBox):
            editor.setValue(int(value or 0))
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText(str(value or ""))
        elif isinstance(editor, QLineEdit):
            editor.setText(str(value or ""))

    def setModelData(self, editor: QWidget, model, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            value = editor.currentData()
        elif isinstance(editor, QSpinBox):
            value = editor.value()
        elif isinstance(editor, QPlainTextEdit):
            value = editor.toPlainText().strip()
        else:
            value = editor.text().strip()
        model.setData(index, value, Qt.EditRole)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        rect = QRect(option.rect)
        if isinstance(editor, QPlainTextEdit):  # long text gets room to breathe
            rect.setHeight(max(rect.height(), option.fontMetrics.lineSpacing() * 6 + 10))
            rect.setWidth(max(rect.width(), 320))
        editor.setGeometry(rect)
