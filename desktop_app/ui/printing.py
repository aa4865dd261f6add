"""Printing and PDF: the ledger as a QTextDocument, paginated on A4 landscape with "— n —" page numbers."""

from __future__ import annotations

import functools
import html
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFont,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
    QTextDocument,
    QTextLength,
    QTextTable,
)
from PySide6.QtWidgets import QWidget

from desktop_app.domain import clock
from desktop_app.domain.model import ColumnSpec, Ledger, Task
from desktop_app.exporters.common import (
    COLUMN_WEIGHTS,
    ReportOptions,
    cell_text,
    has_section_titles,
    report_columns,
    section_merges,
)
from desktop_app.exporters.errors import ExportFailed
from desktop_app.exporters.files import save_atomically
from desktop_app.exporters.public import public_edition

BODY_FONTS = [
    "仿宋_GB2312",
    "仿宋",
    "FangSong",
    "STFangsong",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "serif",
]
TITLE_FONTS = ["方正小标宋简体", "华文中宋", "宋体", "SimSun", "Noto Serif CJK SC", "serif"]
HEAD_FONTS = ["黑体", "SimHei", "Noto Sans CJK SC", "Source Han Sans SC", "sans-serif"]
MARGINS_MM = QMarginsF(15, 15, 15, 12)
FOOTER_MM = 10  # room under the text for the page number
HIGH_RESOLUTION_DPI = 600  # the preview's printer: print quality, not screen resolution

# Black on white whatever the screen theme: the document never takes colours from the palette.
STYLE = """
body { color: #000000; background: #ffffff; font-size: 10.5pt; }
h1 { font-size: 20pt; font-weight: normal; text-align: center; margin: 0 0 4pt 0; }
p.asof { text-align: center; font-size: 14pt; margin: 0 0 6pt 0; }
p.info { font-size: 11pt; margin: 0 0 6pt 0; }
table { border-collapse: collapse; border-color: #000000; }
th { font-weight: normal; background: #ffffff; color: #000000; text-align: center; vertical-align: middle; }
td { color: #000000; vertical-align: middle; }
td.section { font-size: 12pt; }
td.c { text-align: center; }
p.sign { font-size: 12pt; margin-top: 10pt; }
"""

_app: QGuiApplication | None = None  # kept alive when render_pdf had to create one
CENTERED = frozenset({"number", "key_work", "item", "deadline", "status"})
MERGEABLE = ("number", "key_work", "item")


def _esc(text: str) -> str:
    return html.escape(text).replace("\n", "<br/>")


def _families(names: list[str]) -> str:
    return ", ".join(f"'{n}'" for n in names)


def _rows_html(tasks: list[Task], cols: list[ColumnSpec], options: ReportOptions) -> list[str]:
    """Table rows for consecutive tasks, with rowspans where key work/item/number are merged."""
    merges = section_merges(tasks)
    fields = [c.field for c in cols]
    item_at = fields.index("item") if "item" in fields else -1
    can_join = item_at >= 0 and item_at + 1 < len(fields) and fields[item_at + 1] == "content"
    rows: list[str] = []
    for ri, task in enumerate(tasks):
        cells: list[str] = []
        join = can_join and not (task.item or "").strip()
        for ci, col in enumerate(cols):
            f = col.field
            if join and ci == item_at:
                continue  # no item: the content takes both columns, as in the source table
            if join and ci == item_at + 1:
                cells.append(f'<td colspan="2">{_esc(cell_text(task, col, options))}</td>')
                continue
            if f in MERGEABLE and merges.is_continued(f, ri):
                continue
            span = 1
            if f in MERGEABLE and merges.is_start(f, ri):
                while ri + span < len(tasks) and merges.is_continued(f, ri + span):
                    span += 1
            attrs = f' rowspan="{span}"' if span > 1 else ""
            if f in CENTERED:
                attrs += ' class="c" align="center"'
            cells.append(f"<td{attrs}>{_esc(cell_text(task, col, options))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return rows


def build_html(
    ledger: Ledger,
    columns: Sequence[ColumnSpec] | None,
    tasks_in_view: Sequence[Task] | None,
    options: ReportOptions,
) -> str:
    cols = list(columns) if columns else report_columns(ledger, options)
    if options.public:
        cols = [c for c in cols if c.field != "remarks" and not c.field.startswith("extra:")]
    head_cells: list[str] = []
    i = 0
    while i < len(cols):
        j = i
        while j + 1 < len(cols) and cols[j + 1].header == cols[i].header:
            j += 1  # 主要内容 over item + content: one header cell
        span = f' colspan="{j - i + 1}"' if j > i else ""
        head_cells.append(f"<th{span}>{_esc(cols[i].header)}</th>")
        i = j + 1
    head = "".join(head_cells)
    body: list[str] = []
    if tasks_in_view is None:
        with_sections = has_section_titles(ledger)
        for section in ledger.sections:
            if with_sections and (section.title or "").strip():
                body.append(
                    f'<tr><td class="section" colspan="{len(cols)}" style="font-family: {_families(HEAD_FONTS)};">'
                    f"{_esc((section.title or '').strip())}</td></tr>"
                )
            body.extend(_rows_html(section.tasks, cols, options))
    else:
        body.extend(_rows_html(list(tasks_in_view), cols, options))

    unit = options.unit or ledger.owner_unit or ""
    day = clock.chinese_date(options.as_of)
    if options.public:
        info = f"填报单位：{_esc(unit)}　　填报时间：{day}"
        sign = f"单位（盖章）：{_esc(unit)}　　{day}"
    else:
        info = (
            f"填报单位：{_esc(unit)}　　填报人：{_esc(options.filler)}　　"
            f"联系电话：{_esc(options.phone)}　　填报时间：{day}"
        )
        blank = "\u3000" * 5
        sign = (
            f"填报人：{_esc(options.filler) or blank}　　联系电话：{_esc(options.phone) or blank}　　"
            f"审核人：{_esc(options.reviewer) or blank}　　单位负责人（签字）：{_esc(options.head_of_unit) or blank}"
            f"<br/>单位（盖章）：{_esc(unit)}　　{day}"
        )
    title = options.title or ledger.title or "任务落实台账"
    return (
        f'<html><head><meta charset="utf-8"/></head><body style="font-family: {_families(BODY_FONTS)};">'
        f'<h1 style="font-family: {_families(TITLE_FONTS)};">{_esc(title)}</h1>'
        f'<p class="asof">（截至{clock.chinese_month_day(options.as_of)}）</p>'
        f'<p class="info">{info}</p>'
        '<table border="1" cellspacing="0" cellpadding="3" width="100%">'
        f'<thead><tr style="font-family: {_families(HEAD_FONTS)};">{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
        f'<p class="sign">{sign}</p></body></html>'
    )


def build_print_document(
    ledger: Ledger,
    columns: Sequence[ColumnSpec] | None = None,
    tasks_in_view: Sequence[Task] | None = None,
    options: ReportOptions | None = None,
) -> QTextDocument:
    """The ledger (or the tasks in view, in their order) as a document to print: black on white,
    title, 截至 date, the table with its header row repeated on every page (<thead>), signature lines."""
    options = options or ReportOptions()
    ledger, options = public_edition(ledger, options)
    doc = QTextDocument()
    font = QFont()
    font.setFamilies(BODY_FONTS)
    font.setPointSizeF(10.5)
    doc.setDefaultFont(font)
    doc.setDefaultStyleSheet(STYLE)
    doc.setDocumentMargin(0)
    doc.setHtml(build_html(ledger, columns, tasks_in_view, options))
    cols = list(columns) if columns else report_columns(ledger, options)
    weights = [COLUMN_WEIGHTS.get(c.field, 2.0) for c in cols]
    for frame in doc.rootFrame().childFrames():
        if isinstance(frame, QTextTable) and frame.columns() == len(cols):
            fmt = frame.format()
            # widths per column (HTML widths on a spanning header cell cannot say how to split it)
            fmt.setColumnWidthConstraints(
                [QTextLength(QTextLength.Type.PercentageLength, 100 * w / sum(weights)) for w in weights]
            )
            fmt.setHeaderRowCount(1)
            frame.setFormat(fmt)
    return doc


def _page_layout() -> QPageLayout:
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Landscape,
        MARGINS_MM,
        QPageLayout.Unit.Millimeter,
    )


def paint_pages(doc: QTextDocument, device: QPagedPaintDevice) -> int:
    """Lays the document out on the device's pages and paints them, with "— n —" under each; returns pages."""
    dpi = device.logicalDpiY()
    rect = device.pageLayout().paintRectPixels(device.resolution() if hasattr(device, "resolution") else dpi)
    width, height = float(rect.width()), float(rect.height())
    footer = FOOTER_MM / 25.4 * dpi
    layout = doc.documentLayout()
    layout.setPaintDevice(device)
    doc.setPageSize(QSizeF(width, height - footer))
    pages = max(1, doc.pageCount())
    page_h = height - footer

    painter = QPainter()
    if not painter.begin(device):
        raise ExportFailed("无法开始打印：打印机或 PDF 文件不可用。请检查打印机设置或保存位置后重试。")
    try:
        footer_font = QFont()
        footer_font.setFamilies(["宋体", "SimSun", "Noto Serif CJK SC", "serif"])
        footer_font.setPointSizeF(12)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.palette.setColor(QPalette.ColorRole.Text, Qt.GlobalColor.black)
        for page in range(pages):
            if page:
                device.newPage()
            painter.save()
            clip = QRectF(0, page * page_h, width, page_h)
            painter.translate(0, -page * page_h)
            painter.setClipRect(clip)
            ctx.clip = clip
            layout.draw(painter, ctx)
            painter.restore()
            painter.setFont(footer_font)
            painter.setPen(Qt.GlobalColor.black)
            painter.drawText(
                QRectF(0, height - footer, width, footer), Qt.AlignmentFlag.AlignCenter, f"— {page + 1} —"
            )
    finally:
        painter.end()
    return pages


def print_to_pdf(doc: QTextDocument, path: Path) -> int:
    """The document as an A4 landscape PDF at path; returns the number of pages. Written to a temporary
    name beside it and renamed only when complete, so a failure or a kill leaves an existing file intact."""
    path = Path(path)
    pages = 0

    def save(tmp: str) -> None:
        nonlocal pages
        writer = QPdfWriter(tmp)
        writer.setResolution(300)
        writer.setPageLayout(_page_layout())
        writer.setCreator("政务公开任务落实台账")
        writer.setTitle(doc.metaInformation(QTextDocument.MetaInformation.DocumentTitle) or "任务落实台账")
        pages = paint_pages(doc, writer)
        del writer  # the file is finished when the writer goes
        if Path(tmp).stat().st_size == 0:
            raise ExportFailed(
                f"无法写入《{path.name}》：文件可能正被其他程序打开。请关闭后重试，或换一个文件名。"
            )

    save_atomically(save, path)
    return pages


def ensure_gui_app() -> QGuiApplication:
    """A QGuiApplication for fonts and painting; created offscreen when there is no display."""
    global _app
    app = QGuiApplication.instance()
    if app is not None:
        return app  # type: ignore[return-value]
    if (
        sys.platform.startswith("linux")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication([sys.argv[0] if sys.argv else "desktop_app"])
    return _app


def render_pdf(ledger: Ledger, path: Path, options: ReportOptions | None = None) -> None:
    """The whole ledger as a PDF (the public edition when options.public): exporters.pdf_report, no Qt."""
    from desktop_app.exporters.pdf_report import write_pdf

    write_pdf(ledger, Path(path), options)


def print_document(doc: QTextDocument, printer) -> int:  # noqa: ANN001 - a QPrinter
    """Paints the document on a QPrinter (print dialog or preview), A4 landscape; returns the pages."""
    printer.setPageLayout(_page_layout())
    return paint_pages(doc, printer)


@functools.cache
def _preview_dialog_class() -> type:
    """QPrintPreviewDialog with its document; built on first use (QtPrintSupport is imported lazily)."""
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    class PrintPreviewDialog(QPrintPreviewDialog):
        """Owns its printer: Qt creates it with the dialog and deletes it with the dialog. A QPrinter
        made in Python and handed in was freed by Python when the function that made it returned,
        while the dialog still painted on it (the Ctrl+P segmentation fault)."""

        def __init__(self, doc: QTextDocument, parent: QWidget | None) -> None:
            super().__init__(parent)
            self.setObjectName("printPreviewDialog")
            self.setWindowTitle("打印预览")
            self.document = doc  # kept alive as long as the dialog
            self.pages_painted = 0
            printer = self.printer()  # the dialog's own, never owned by a Python wrapper
            printer.setResolution(HIGH_RESOLUTION_DPI)
            printer.setPageLayout(_page_layout())
            self.paintRequested.connect(self._paint)

        def _paint(self, printer) -> None:  # noqa: ANN001 - the dialog's QPrinter
            self.pages_painted = print_document(self.document, printer)

    return PrintPreviewDialog


def make_print_preview(parent: QWidget | None, doc: QTextDocument):  # noqa: ANN201 - QPrintPreviewDialog
    """The preview dialog, not shown (tests use this; the UI calls show_print_preview)."""
    return _preview_dialog_class()(doc, parent)


def show_print_preview(parent: QWidget | None, doc: QTextDocument, run=None) -> int:  # noqa: ANN001
    """Opens the print preview (modal, or through `run`: the window's run_dialog) and returns its
    result; the dialog and its printer are deleted afterwards."""
    dialog = make_print_preview(parent, doc)
    try:
        return int(run(dialog) if run is not None else dialog.exec())
    finally:
        dialog.deleteLater()
