"""One entry point for writing a ledger: docx | xlsx | json (PDF goes through ui.printing.render_pdf)."""

from __future__ import annotations

from pathlib import Path

from desktop_app.domain.model import Ledger, ProgressEntry
from desktop_app.exporters.common import ReportOptions
from desktop_app.exporters.errors import ExportFailed

FORMATS = ("docx", "xlsx", "json")


def export_ledger(
    ledger: Ledger,
    fmt: str,
    path: Path,
    options: ReportOptions | None = None,
    fill_back: bool = False,
    history: dict[int, list[ProgressEntry]] | None = None,
) -> None:
    """Write the ledger in the given format. PDF is not here: it needs Qt, so the caller (CLI/services)
    uses desktop_app.ui.printing.render_pdf(ledger, path, options) instead."""
    fmt = fmt.lower().lstrip(".")
    options = options or ReportOptions()
    path = Path(path)
    if fill_back and fmt != "docx":
        raise ExportFailed("按原表填报只能导出为 Word 文档（.docx）。请把格式改为 docx。")
    if fmt == "docx":
        if fill_back:
            from desktop_app.exporters.fill_back import fill_back as write_fill_back

            write_fill_back(ledger, path, options)
        else:
            from desktop_app.exporters.docx_report import write_report

            write_report(ledger, path, options)
    elif fmt == "xlsx":
        from desktop_app.exporters.xlsx_export import write_xlsx

        write_xlsx(ledger, path, options)
    elif fmt == "json":
        from desktop_app.exporters.common import with_progress
        from desktop_app.exporters.json_export import write_json
        from desktop_app.exporters.public import public_edition

        if options.public:
            ledger, _ = public_edition(ledger, options)
            history = None  # past progress texts are not scanned: the public file leaves them out
        elif options.progress_by_task:
            ledger = with_progress(ledger, options)
        write_json(ledger, path, history)
    elif fmt == "pdf":
        raise ExportFailed(
            "PDF 需要通过打印模块生成。请使用“打印/导出 PDF”，或在命令行用 export --format pdf。"
        )
    else:
        raise ExportFailed(f"不支持导出为“{fmt}”格式。请选择 docx、xlsx 或 json。")
