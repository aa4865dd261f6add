"""Print and PDF: black-on-white document, header row on every page, "— n —" page numbers, A4 landscape."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from desktop_app.domain.model import ColumnSpec, Ledger, Section, Task
from desktop_app.exporters.common import ReportOptions
from desktop_app.ui.printing import (
    build_print_document,
    make_print_preview,
    print_to_pdf,
    render_pdf,
)

OPTS = ReportOptions(as_of=date(2023, 8, 15), unit="银川市自然资源局", filler="张三", phone="13912345678")


def _ledger(n: int = 40) -> Ledger:
    tasks = [
        Task(
            id=i + 1,
            number=str(i + 1),
            key_work="加强政务公开" if i < n // 2 else "优化政策服务",
            content=f"第{i + 1}项任务：系统梳理已出台发布的各项政策，通过政府网站、政务新媒体集中发布。" * 2,
            indicator="查看发布情况",
            progress=f"已完成第{i + 1}项 <b>&</b>",
        )
        for i in range(n)
    ]
    return Ledger(
        title="某局2023年政务公开任务落实台账",
        owner_unit="某局",
        sections=[Section(title="一、板块", tasks=tasks)],
    )


def test_document_has_title_date_header_rows_and_black_text(qapp) -> None:
    job = build_print_document(_ledger(), None, None, OPTS)
    text = job.text()
    assert "某局2023年政务公开任务落实台账" in text and "截至2023年8月15日" in text
    assert "已完成第1项 <b>&</b>" in text  # the text as typed, never markup
    layout = job.layout()
    assert len(layout.pages) >= 2
    for page in layout.pages:  # the header row at the top of every page's table
        assert "序号" in [t.text for t in page.texts]
    first = [t.text for t in layout.pages[0].texts]
    assert "".join(first).count("加强政务公开") == 1  # key work merged over its rows: written once


def test_tasks_in_view_and_chosen_columns(qapp) -> None:
    led = _ledger(5)
    cols = [ColumnSpec("number", "序号"), ColumnSpec("progress", "推进情况")]
    view = list(reversed(led.all_tasks()))[:2]
    job = build_print_document(led, cols, view, OPTS)
    texts = [t.text for t in job.layout().pages[0].texts]
    assert "推进情况" in texts and "主要内容" not in texts
    assert texts.index("5") < texts.index("4") and "3" not in texts  # those two, in the view's order


def test_public_edition_masks(qapp) -> None:
    led = _ledger(2)
    led.all_tasks()[0].progress = "联系电话13912345678"
    job = build_print_document(
        led, None, None, ReportOptions(as_of=date(2023, 8, 15), public=True, filler="张三")
    )
    text = job.text().replace("\n", "")  # a cell's lines joined: the number may wrap in a narrow column
    assert "13912345678" not in text and "139****5678" in text and "张三" not in text


def test_pdf_is_a4_landscape_with_page_numbers(qapp, tmp_path: Path) -> None:
    path = tmp_path / "ledger.pdf"
    pages = print_to_pdf(build_print_document(_ledger(), None, None, OPTS), path)
    assert pages >= 2
    assert path.read_bytes().startswith(b"%PDF")
    if shutil.which("pdfinfo") and shutil.which("pdftotext"):
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        assert f"Pages:           {pages}" in info
        assert re.search(r"841\.89 x 595\.\d+ pts", info)  # A4 landscape, points
        text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert re.search(r"—\s*1\s*—", text) and re.search(rf"—\s*{pages}\s*—", text)
        for page in range(1, pages + 1):  # the header row on every page
            one = subprocess.run(
                ["pdftotext", "-raw", "-f", str(page), "-l", str(page), str(path), "-"],
                capture_output=True, text=True, check=True,
            ).stdout
            assert "序号" in one, page
        assert not re.search("[\u2f00-\u2fdf]", text)  # the real characters


def test_render_pdf_convenience(qapp, tmp_path: Path) -> None:
    path = tmp_path / "out" / "r.pdf"
    render_pdf(_ledger(3), path, OPTS)
    assert path.stat().st_size > 1000


def test_print_preview_paints_without_opening(qapp, qtbot, tmp_path: Path) -> None:
    from PySide6.QtPrintSupport import QPrinter

    dialog = make_print_preview(None, build_print_document(_ledger(3), None, None, OPTS))
    qtbot.addWidget(dialog)
    assert not dialog.isVisible()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "preview.pdf"))
    dialog.paintRequested.emit(printer)
    assert (tmp_path / "preview.pdf").stat().st_size > 1000


@pytest.mark.parametrize("n", [0])
def test_empty_ledger_prints_one_page(qapp, tmp_path: Path, n: int) -> None:
    assert print_to_pdf(build_print_document(_ledger(n), None, None, OPTS), tmp_path / "e.pdf") == 1


def test_print_preview_opens_paints_and_closes(qapp, qtbot) -> None:
    """The real dialog, shown: Qt asks for the pages (paintRequested) and draws them on screen."""
    import gc

    from desktop_app.ui.printing import show_print_preview

    seen = []

    def run(dialog) -> int:
        dialog.show()
        gc.collect()  # the printer used to be freed here, the dialog then painted on freed memory
        qtbot.waitUntil(lambda: dialog.pages_painted > 0, timeout=20000)
        dialog.grab()  # paint the preview widget itself
        seen.append((type(dialog).__name__, dialog.pages_painted, dialog.printer().resolution()))
        dialog.reject()
        return dialog.result()

    assert show_print_preview(None, build_print_document(_ledger(40), None, None, OPTS), run) == 0
    assert seen[0][0] == "PrintPreviewDialog" and seen[0][1] >= 2 and seen[0][2] >= 300


PREVIEW_SCRIPT = r"""
import gc, sys
from pathlib import Path
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication
from desktop_app.app import create_window

tmp, data = Path(sys.argv[1]), Path(sys.argv[2])
w = create_window(tmp / "ledger.sqlite3", QSettings(str(tmp / "ui.ini"), QSettings.IniFormat))
w.imported(w.ctx.imports.import_file(data))
w.show()
assert w.acts.print_preview.shortcut() == QKeySequence(QKeySequence.Print)
seen = []

def poll():
    dialog = QApplication.activeModalWidget()
    if dialog is None or getattr(dialog, "pages_painted", 0) == 0:
        return
    gc.collect()
    dialog.grab()
    seen.append(dialog.pages_painted)
    dialog.reject()

timer = QTimer()
timer.timeout.connect(poll)
timer.start(50)
QTimer.singleShot(60000, lambda: sys.exit(3))  # a preview that never paints
for _ in range(2):  # Ctrl+P twice: the second open crashed too when the first had freed memory
    w.acts.print_preview.trigger()
    QApplication.processEvents()
    gc.collect()
w.close()
w.shutdown()
QApplication.processEvents()
print("previews", len(seen), "pages", seen)
"""


def test_ctrl_p_in_the_window_does_not_crash(tmp_path: Path) -> None:
    """Ctrl+P on the city ledger in a separate process: a segmentation fault shows as exit code -11."""
    import os
    import sys

    data = Path(__file__).resolve().parent.parent / "data" / "city-2023.docx"
    proc = subprocess.run(
        [sys.executable, "-c", PREVIEW_SCRIPT, str(tmp_path), str(data)],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    match = re.search(r"previews 2 pages \[(\d+), (\d+)\]", proc.stdout)
    assert match and int(match.group(1)) >= 2, proc.stdout


def test_failed_pdf_keeps_the_old_file(qapp, tmp_path: Path, monkeypatch) -> None:
    """The PDF is written to a temporary name beside the target and renamed only when complete."""
    from desktop_app.exporters import pdf_report

    path = tmp_path / "sent.pdf"
    path.write_bytes(b"%PDF last month")
    seen: list[str] = []

    def broken(layout, target) -> None:  # noqa: ANN001
        seen.append(Path(target).name)
        Path(target).write_bytes(b"%PDF-1.4 first page only")  # under way when drawing fails
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(pdf_report, "draw_pdf", broken)
    with pytest.raises(RuntimeError):
        print_to_pdf(build_print_document(_ledger(3), None, None, OPTS), path)
    assert len(seen) == 1 and seen[0] != "sent.pdf"
    assert path.read_bytes() == b"%PDF last month"
    assert [p.name for p in tmp_path.iterdir()] == ["sent.pdf"]
    monkeypatch.undo()
    assert print_to_pdf(build_print_document(_ledger(3), None, None, OPTS), path) == 1
    assert path.read_bytes().startswith(b"%PDF-") and [p.name for p in tmp_path.iterdir()] == ["sent.pdf"]


def test_a3_portrait_chosen_on_the_printer_lays_the_pages_out_again(qapp, tmp_path: Path) -> None:
    from PySide6.QtPrintSupport import QPrinter

    from desktop_app.exporters.report_layout import PageSpec
    from desktop_app.ui.printing import page_layout, print_document

    job = build_print_document(_ledger(40), None, None, OPTS)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "a3.pdf"))
    printer.setPageLayout(page_layout(PageSpec("A3", False)))  # what the print dialog would set
    pages = print_document(job, printer)
    assert pages == len(job.layout(PageSpec("A3", False)).pages) < len(job.layout().pages)
    info = subprocess.run(["pdfinfo", str(tmp_path / "a3.pdf")], capture_output=True, text=True).stdout
    assert "842 x 1191" in info and f"Pages:           {pages}" in info
