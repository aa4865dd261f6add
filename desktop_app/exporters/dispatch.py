"""One entry point for writing a ledger: docx | xlsx | pdf | ofd | json."""

from __future__ import annotations

from pathlib import Path

from desktop_app.domain.model import Ledger, ProgressEntry
from desktop_app.exporters.common import ReportOptions
from desktop_app.exporters.errors import ExportFailed

FORMATS = ("docx", "xlsx", "pdf", "ofd", "json")
# what a file name's suffix says about the format
SUFFIX_FORMATS = {".docx": "docx", ".xlsx": "xlsx", ".pdf": "pdf", ".ofd": "ofd", ".json": "json"}
ALL_FORMATS = ("docx", "xlsx", "pdf", "ofd", "json")
# suffixes that name some other kind of document: with them a name is taken to ask for that kind
_OTHER_DOCUMENTS = frozenset(
    ".doc .docm .dotx .wps .wpt .rtf .odt .xls .xlsm .xltx .et .ods .csv .txt .htm .html .xml .zip"
    " .png .jpg .jpeg".split()
)
_CHOICES = "docx、xlsx、pdf、ofd 或 json"


def resolve_target(path: Path, fmt: str | None = None) -> tuple[str, Path]:
    """The format to write and the file to write it to: the format follows the file name's suffix;
    a format given as well must agree with it; a name without a format suffix gets the given format's."""
    path = Path(path)
    suffix = path.suffix.lower()
    named = SUFFIX_FORMATS.get(suffix)
    if fmt:
        fmt = fmt.lower().lstrip(".")
        if fmt not in ALL_FORMATS:
            raise ExportFailed(f"不支持导出为“{fmt}”格式。请选择 {_CHOICES}。")
        if named is None and suffix not in _OTHER_DOCUMENTS:
            return fmt, path.with_name(f"{path.name}.{fmt}")
        if named != fmt:
            raise ExportFailed(
                f"文件名《{path.name}》的扩展名“{path.suffix}”与导出格式 {fmt} 不一致。"
                f"请把文件名改为以 .{fmt} 结尾，或不指定格式、让格式跟随扩展名。"
            )
        return fmt, path
    if named is not None:
        return named, path
    if suffix in _OTHER_DOCUMENTS:
        raise ExportFailed(
            f"不支持导出为“{path.suffix}”文件《{path.name}》。请把文件名改为以 .docx、.xlsx、.pdf、.ofd 或 .json 结尾。"
        )
    raise ExportFailed(
        f"无法确定导出格式：文件名《{path.name}》没有 .docx、.xlsx、.pdf、.ofd 或 .json 扩展名。请加上扩展名或指定格式。"
    )


def export_ledger(
    ledger: Ledger,
    fmt: str,
    path: Path,
    options: ReportOptions | None = None,
    fill_back: bool = False,
    history: dict[int, list[ProgressEntry]] | None = None,
) -> None:
    """Write the ledger in the given format (PDF through exporters.pdf_report, no Qt)."""
    fmt = fmt.lower().lstrip(".")
    options = options or ReportOptions()
    path = Path(path)
    if fill_back and fmt != "docx":
        raise ExportFailed("按原表填报只能导出为 Word 文档（.docx）。请把格式改为 docx。")
    if not options.public or fmt not in ("docx", "xlsx", "json"):
        _write(ledger, fmt, path, options, fill_back, history)
        return
    from desktop_app.exporters.files import atomic_path, write_failure
    from desktop_app.exporters.public import scrub_written

    try:  # scrubbed before it takes the target's name: no unscrubbed public file exists, even after a kill
        with atomic_path(path) as tmp:
            _write(ledger, fmt, tmp, options, fill_back, history)
            scrub_written(ledger, fmt, tmp, options)  # the last guard: no part of the file names a person
    except OSError as exc:
        raise write_failure(path, exc) from exc


def _write(
    ledger: Ledger,
    fmt: str,
    path: Path,
    options: ReportOptions,
    fill_back: bool,
    history: dict[int, list[ProgressEntry]] | None,
) -> None:
    if fmt == "docx":
        if fill_back:
            from desktop_app.exporters.fill_back import fill_back as write_fill_back

            write_fill_back(ledger, path, options)
        else:
            from desktop_app.exporters.docx_report import write_report

            write_report(ledger, path, options)
    elif fmt == "xlsx":
        from desktop_app.exporters.xlsx_export import write_xlsx

        write_xlsx(ledger, path, options, history=history)
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
        from desktop_app.exporters.pdf_report import write_pdf

        write_pdf(ledger, path, options)  # masks the public edition itself (public_edition)
    elif fmt == "ofd":
        from desktop_app.exporters.ofd_report import write_ofd

        write_ofd(ledger, path, options)
    else:
        raise ExportFailed(f"不支持导出为“{fmt}”格式。请选择 {_CHOICES}。")
