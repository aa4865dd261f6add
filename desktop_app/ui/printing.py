"""Printing: the report's page layout (exporters.report_layout, the same pages as the PDF and OFD) painted
on a printer, and the print preview. The paper (A4/A3) and orientation chosen in the preview or the print
dialog lay the pages out anew, the table always fitted to the width."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, Qt
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPen,
)
from PySide6.QtWidgets import QWidget

from desktop_app.domain.model import ColumnSpec, Ledger, Task
from desktop_app.exporters.common import ReportOptions
from desktop_app.exporters.errors import ExportFailed
from desktop_app.exporters.fonts import FontFile
from desktop_app.exporters.report_layout import PageSpec, ReportLayout, layout_report

HIGH_RESOLUTION_DPI = 600  # the preview's printer: print quality, not screen resolution
_PAPER_IDS = {"A4": QPageSize.PageSizeId.A4, "A3": QPageSize.PageSizeId.A3}
_app: QGuiApplication | None = None  # kept alive when a caller needed one made


class PrintJob:
    """What to print: the ledger (or the tasks in view / selected, in their order), the columns, the
    options; laid out for a paper and orientation on demand (once per PageSpec)."""

    def __init__(
        self,
        ledger: Ledger,
        columns: Sequence[ColumnSpec] | None,
        tasks: Sequence[Task] | None,
        options: ReportOptions,
        spec: PageSpec | None = None,
    ) -> None:
        self.ledger = ledger
        self.columns = list(columns) if columns else None
        self.tasks = list(tasks) if tasks is not None else None
        self.options = options
        self.spec = spec or PageSpec()
        self._layouts: dict[PageSpec, ReportLayout] = {}

    def layout(self, spec: PageSpec | None = None) -> ReportLayout:
        spec = spec or self.spec
        if spec not in self._layouts:
            self._layouts[spec] = layout_report(self.ledger, self.options, self.columns, self.tasks, spec)
        return self._layouts[spec]

    def text(self) -> str:
        return self.layout().text()


def build_print_document(
    ledger: Ledger,
    columns: Sequence[ColumnSpec] | None = None,
    tasks_in_view: Sequence[Task] | None = None,
    options: ReportOptions | None = None,
    spec: PageSpec | None = None,
) -> PrintJob:
    """The ledger (or the tasks in view, in their order) to print: title, 截至 date, one table per section
    with its header row on every page, the signature and seal block; the public edition when asked."""
    return PrintJob(ledger, columns, tasks_in_view, options or ReportOptions(), spec)


def page_layout(spec: PageSpec) -> QPageLayout:
    """The paper of a PageSpec with no margins: the layout places everything from the paper's corner."""
    orientation = QPageLayout.Orientation.Landscape if spec.landscape else QPageLayout.Orientation.Portrait
    return QPageLayout(
        QPageSize(_PAPER_IDS.get(spec.paper, QPageSize.PageSizeId.A4)),
        orientation,
        QMarginsF(0, 0, 0, 0),
        QPageLayout.Unit.Millimeter,
    )


def spec_of(device: QPagedPaintDevice, default: PageSpec) -> PageSpec:
    """The paper and orientation the device is set to (the preview's and print dialog's choice)."""
    layout = device.pageLayout()
    size_id = layout.pageSize().id()
    paper = next((name for name, pid in _PAPER_IDS.items() if pid == size_id), default.paper)
    return PageSpec(paper, layout.orientation() == QPageLayout.Orientation.Landscape)


@functools.cache
def _qt_family(path: str, index: int, family: str) -> str:
    """The font file loaded into Qt (the same glyphs and advances the layout measured)."""
    fid = QFontDatabase.addApplicationFont(path)
    families = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
    if family in families:
        return family
    if families:
        return families[min(index, len(families) - 1)]
    return family


def _font(font: FontFile, size: float) -> QFont:
    qf = QFont(_qt_family(str(font.path), font.index, font.family))
    qf.setPointSizeF(size)
    qf.setKerning(False)
    qf.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return qf


def paint_pages(job: PrintJob, device: QPagedPaintDevice) -> int:
    """Paints the job's pages on the device at the paper and orientation it is set to; returns pages."""
    spec = spec_of(device, job.spec)
    layout = job.layout(spec)
    device.setPageLayout(page_layout(spec))
    painter = QPainter()
    if not painter.begin(device):
        raise ExportFailed("无法开始打印：打印机或 PDF 文件不可用。请检查打印机设置或保存位置后重试。")
    try:
        rect = device.pageLayout().fullRectPixels(device.resolution() if hasattr(device, "resolution") else 72)
        scale = rect.width() / layout.size[0]  # device pixels per point
        fonts: dict[tuple[str, float], QFont] = {}
        pen = QPen(Qt.GlobalColor.black)
        for index, page in enumerate(layout.pages):
            if index:
                device.newPage()
            if page.rules:
                pen.setWidthF(page.rules[0].width * scale)
                painter.setPen(pen)
                for r in page.rules:
                    painter.drawLine(QPointF(r.x1 * scale, r.y1 * scale), QPointF(r.x2 * scale, r.y2 * scale))
            painter.setPen(Qt.GlobalColor.black)
            for t in page.texts:
                key = (t.role, t.size)
                if key not in fonts:
                    fonts[key] = _font(layout.fonts[t.role], t.size)
                painter.setFont(fonts[key])
                painter.drawText(QPointF(t.x * scale, t.y * scale), t.text)
    finally:
        painter.end()
    return len(layout.pages)


def print_to_pdf(job: PrintJob, path: Path) -> int:
    """The job as a PDF (exporters.pdf_report: the same pages, fonts embedded, real text); returns pages."""
    from desktop_app.exporters.files import save_atomically
    from desktop_app.exporters.pdf_report import draw_pdf

    layout = job.layout()
    save_atomically(lambda tmp: draw_pdf(layout, tmp), Path(path))
    return len(layout.pages)


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


def print_document(job: PrintJob, printer) -> int:  # noqa: ANN001 - a QPrinter
    """Paints the job on a QPrinter (print dialog, preview or a print queue); returns the pages."""
    printer.setFullPage(True)
    return paint_pages(job, printer)


def prepare_printer(printer, spec: PageSpec) -> None:  # noqa: ANN001 - a QPrinter
    """The paper and orientation to start from (the dialogs let the user change both)."""
    printer.setFullPage(True)
    printer.setPageLayout(page_layout(spec))


@functools.cache
def _preview_dialog_class() -> type:
    """QPrintPreviewDialog with its job; built on first use (QtPrintSupport is imported lazily)."""
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    class PrintPreviewDialog(QPrintPreviewDialog):
        """Owns its printer: Qt creates it with the dialog and deletes it with the dialog. A QPrinter
        made in Python and handed in was freed by Python when the function that made it returned,
        while the dialog still painted on it (the Ctrl+P segmentation fault)."""

        def __init__(self, job: PrintJob, parent: QWidget | None) -> None:
            super().__init__(parent)
            self.setObjectName("printPreviewDialog")
            self.setWindowTitle("打印预览")
            self.document = job  # kept alive as long as the dialog
            self.pages_painted = 0
            printer = self.printer()  # the dialog's own, never owned by a Python wrapper
            printer.setResolution(HIGH_RESOLUTION_DPI)
            prepare_printer(printer, job.spec)
            self.paintRequested.connect(self._paint)

        def _paint(self, printer) -> None:  # noqa: ANN001 - the dialog's QPrinter
            self.pages_painted = print_document(self.document, printer)

    return PrintPreviewDialog


def make_print_preview(parent: QWidget | None, job: PrintJob):  # noqa: ANN201 - QPrintPreviewDialog
    """The preview dialog, not shown (tests use this; the UI calls show_print_preview)."""
    return _preview_dialog_class()(job, parent)


def show_print_preview(parent: QWidget | None, job: PrintJob, run=None) -> int:  # noqa: ANN001
    """Opens the print preview (modal, or through `run`: the window's run_dialog) and returns its
    result; the dialog and its printer are deleted afterwards."""
    dialog = make_print_preview(parent, job)
    try:
        return int(run(dialog) if run is not None else dialog.exec())
    finally:
        dialog.deleteLater()
