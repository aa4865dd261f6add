"""Domain -> file: Word report, Excel, PDF, JSON.

`export_ledger(ledger, fmt, path, options, fill_back=False)` writes docx | xlsx | pdf | json;
PDF is drawn from report_layout by pdf_report (reportlab, no Qt).
"""

from __future__ import annotations

from typing import Any

__all__ = ["ExportFailed", "ReportOptions", "export_ledger"]


def __getattr__(name: str) -> Any:  # imported on first use: python-docx/openpyxl load only when needed
    if name == "export_ledger":
        from desktop_app.exporters.dispatch import export_ledger

        return export_ledger
    if name == "ReportOptions":
        from desktop_app.exporters.common import ReportOptions

        return ReportOptions
    if name == "ExportFailed":
        from desktop_app.exporters.errors import ExportFailed

        return ExportFailed
    raise AttributeError(name)
