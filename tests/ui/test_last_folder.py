"""One memory of the last folder per kind of file serves the export, archive and audit dialogs."""

from __future__ import annotations

from pathlib import Path

from desktop_app.ui.last_folder import last_folder, remember_folder


def test_each_kind_remembers_its_folder_and_falls_back_to_the_last_export(city, tmp_path):
    settings = city.ctx.settings
    assert last_folder(settings, "docx") == Path.home()
    reports, sheets = tmp_path / "reports", tmp_path / "sheets"
    reports.mkdir()
    sheets.mkdir()
    remember_folder(settings, "docx", reports)
    assert last_folder(settings, "docx") == reports
    assert last_folder(settings, "pdf") == reports  # never saved a PDF: where the last export went
    remember_folder(settings, "xlsx", sheets)
    assert last_folder(settings, "xlsx") == sheets
    assert last_folder(settings, "docx") == reports  # each kind its own
    reports.rmdir()  # a folder since removed is skipped
    assert last_folder(settings, "docx") == sheets


def test_audit_and_archive_dialogs_start_where_that_kind_went_last(city, tmp_path):
    """The 修改记录 export starts in the folder the last workbook went to and remembers its own;
    the 报送存档 copy starts where the last report went."""
    from desktop_app.ui.dialogs.audit_dialog import AuditDialog
    from desktop_app.ui.dialogs.export_dialog import ExportDialog
    from desktop_app.ui.dialogs.submissions_dialog import SubmissionsDialog

    ledger = city.current_ledger()
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    remember_folder(city.ctx.settings, "xlsx", sheets)
    audit = AuditDialog(city.ctx, ledger, None, city)
    asked: list[str] = []
    elsewhere = tmp_path / "audit"
    elsewhere.mkdir()
    audit.ask_save_path = lambda suggested: asked.append(suggested) or str(elsewhere / "trail.xlsx")
    audit.export()
    assert Path(asked[0]).parent == sheets and (elsewhere / "trail.xlsx").exists()
    assert last_folder(city.ctx.settings, "xlsx") == elsewhere
    audit.deleteLater()

    reports = tmp_path / "reports"
    reports.mkdir()
    remember_folder(city.ctx.settings, "docx", reports)
    archive = SubmissionsDialog(city.ctx, ledger, city)
    assert archive._folder() == reports
    archive.deleteLater()
    export = ExportDialog(city.ctx, ledger, city)
    export.format.setCurrentIndex(export.format.findData("docx"))
    assert export._folder() == reports
    export.format.setCurrentIndex(export.format.findData("xlsx"))
    assert export._folder() == elsewhere
    export.deleteLater()
