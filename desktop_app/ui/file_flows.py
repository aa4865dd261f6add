"""The file flows of the main window: import (wizard), export (dialog + background write),
print preview / PDF (ui.printing), and the bundled sample ledger."""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path

from desktop_app.domain import clock
from desktop_app.domain.model import ColumnSpec, Ledger, LedgerError
from desktop_app.domain.serialize import ledger_from_dict
from desktop_app.paths import resource
from desktop_app.ui.window_parts import FileFlowHost

log = logging.getLogger(__name__)
SAMPLE = ("samples", "sample-city-2023.json")
# table column -> report field (ui.printing / exporters use ColumnSpec fields)
PRINT_FIELDS = {
    "number": "number",
    "key_work": "key_work",
    "content": "content",
    "indicator": "indicator",
    "units": "units",
    "deadline": "deadline",
    "status": "status",
    "progress": "progress",
}


def start_import(window: FileFlowHost, path: Path) -> None:
    from desktop_app.ui.dialogs.import_wizard import ImportWizard

    if not path.exists():
        window.show_error(f"找不到文件《{path.name}》：请确认文件还在原来的位置。")
        return
    wizard = ImportWizard(window.ctx, path, window.runner, window)
    window.last_wizard = wizard
    if window.run_dialog(wizard) and wizard.ledger is not None:
        window.imported(wizard.ledger)


def start_export(window: FileFlowHost, for_report: bool = False) -> None:
    from desktop_app.ui.dialogs.export_dialog import ExportDialog

    ledger = window.current_ledger()
    if ledger is None:
        return
    if for_report and not window.identity_ready():  # 填报单位/填报人 empty: asked, or gone on without
        return
    window.progress_editor.flush()
    dialog = ExportDialog(window.ctx, ledger, window, for_report=for_report)
    window.last_export_dialog = dialog
    if not window.run_dialog(dialog):
        return
    run_export(window, dialog.request())


def run_export(window: FileFlowHost, req) -> None:  # noqa: ANN001 - ExportRequest
    """Write the file off the GUI thread (PDF on it: Qt text layout and printing stay on the GUI thread)."""
    ledger = window.current_ledger()
    if ledger is None:
        return
    ctx = window.ctx

    def work() -> Path:
        return ctx.exports.export(
            ledger.id,
            req.fmt,
            req.path,
            public=req.public,
            as_of=req.as_of,
            fill_back=req.fill_back,
            round_id=req.round_id,
            decisions=req.decisions or None,
            with_history=req.with_history,
            with_attachments=req.with_attachments,
        )

    def done(path: Path) -> None:
        window.last_export = Path(path)
        window.show_info(f"已导出：{path}")
        if req.round_id is not None:
            window.refresh_statuses()

    window.runner.run(work, done, window.show_error, "导出")


def print_columns(window: FileFlowHost) -> list[ColumnSpec]:
    from desktop_app.ui.models.task_table_model import COLUMNS

    header = window.task_view.horizontalHeader()
    cols = []
    for logical in sorted(range(len(COLUMNS)), key=header.visualIndex):
        col = COLUMNS[logical]
        if not header.isSectionHidden(logical) and col.key in PRINT_FIELDS:
            cols.append(ColumnSpec(PRINT_FIELDS[col.key], col.header))
    if not any(c.field == "progress" for c in cols):
        cols.append(ColumnSpec("progress", "进展落实情况"))
    return cols


def _document(window: FileFlowHost, ledger=None, options=None, tasks=None):  # noqa: ANN001, ANN202
    from desktop_app.ui import printing

    ledger = ledger or window.current_ledger()
    options = options or window.ctx.exports.options(ledger)
    if tasks is None:
        tasks = tasks_to_print(window)
    return printing.build_print_document(ledger, print_columns(window), tasks, options)


def tasks_to_print(window: FileFlowHost) -> list:
    """The rows selected (two or more), else every row the filter shows, in the table's order."""
    if len(window.task_view.selected_rows()) > 1:
        ids = window.task_view.selected_task_ids()
    else:
        ids = window.model.visible_task_ids()
    return [t for t in (window.model.task(i) for i in ids) if t is not None]


def print_preview(window: FileFlowHost) -> None:
    try:
        from desktop_app.ui import printing

        doc = _document(window)
        printing.show_print_preview(window, doc, window.run_dialog)
    except ImportError:
        window.show_error("打印模块暂不可用：请改用“导出”生成 Word 或 PDF 后打印。")
    except LedgerError as exc:
        window.show_error(exc.message)


def export_pdf(window: FileFlowHost) -> None:
    """导出 PDF of what the table shows (the filter and the chosen columns apply)."""
    ledger = window.current_ledger()
    path = window.ask_save_file(f"{ledger.title or '台账'}.pdf", "PDF (*.pdf)")
    if path is None:
        return
    try:
        from desktop_app.exporters.pdf_report import write_pdf

        options = window.ctx.exports.options(ledger)
        write_pdf(ledger, path, options, print_columns(window), tasks_to_print(window))
    except LedgerError as exc:
        window.show_error(exc.message)
        return
    window.last_export = path
    window.show_info(f"已导出：{path}")


def sample_path() -> Path:
    return resource(*SAMPLE)


def _shift(value, years: int):  # noqa: ANN001, ANN202 - date or datetime
    if value is None or years == 0:
        return value
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 2月29日
        return value.replace(year=value.year + years, day=28)


def shift_sample(ledger: Ledger, histories: list, year: int) -> None:
    """Move the sample into the current year so a newcomer sees live colours, not a sea of red."""
    years = year - (ledger.year or year)
    if years == 0:
        return
    ledger.title = ledger.title.replace(str(ledger.year), str(year))
    ledger.year = year
    ledger.report_dates = [_shift(d, years) for d in ledger.report_dates]
    for task in ledger.all_tasks():
        d = task.deadline
        task.deadline = dataclasses.replace(
            d, due_date=_shift(d.due_date, years), anchor_date=_shift(d.anchor_date, years)
        )
        task.progress_updated_at = _shift(task.progress_updated_at, years)
    for section in histories:
        for entries in section:
            for e in entries:
                e.entry_date = _shift(e.entry_date, years)


def load_sample(window: FileFlowHost) -> None:
    """Import the bundled sample ledger (a JSON in domain.serialize form, with some progress)."""
    path = sample_path()
    try:
        ledger, histories = ledger_from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError):
        window.show_error("找不到或无法读取示例台账文件：安装可能不完整，请重新安装本程序。")
        return
    shift_sample(ledger, histories, clock.today().year)
    try:
        ledger = window.ctx.imports.save(ledger, histories)
    except LedgerError as exc:
        window.show_error(exc.message)
        return
    window.imported(ledger)
