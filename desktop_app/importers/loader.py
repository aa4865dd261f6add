"""The entry point: any supported file -> ImportResult, or ImportFailed with one Chinese sentence."""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from desktop_app.domain.ledger_schema import LedgerSchemaError, parse_ledger_json
from desktop_app.domain.model import ColumnSpec, Ledger
from desktop_app.domain.serialize import ledger_from_dict
from desktop_app.importers import docx_reader, safety, xls_reader, xlsx_reader
from desktop_app.importers.builder import LedgerBuilder
from desktop_app.importers.errors import EXCEL_HINT, WORD_HINT, ImportFailed, TooMuch, fail
from desktop_app.importers.finish import finish_tasks
from desktop_app.importers.grid import Para, Table
from desktop_app.importers.identity import read_identity
from desktop_app.importers.meta import read_meta
from desktop_app.importers.notice_reader import parse_notice
from desktop_app.importers.result import ImportResult, TableInfo
from desktop_app.importers.safety import (
    LEGACY_EXCEL,
    LEGACY_WORD,
    convert_legacy,
    ole_kind,
    open_zip,
    package_kind,
    read_bytes,
    scan_package,
    sniff,
)

log = logging.getLogger(__name__)

# A notice has no table: the columns its tasks fill, as a ledger table would head them.
NOTICE_COLUMNS = (
    ColumnSpec("number", "序号"),
    ColumnSpec("key_work", "重点工作"),
    ColumnSpec("item", "工作事项"),
    ColumnSpec("content", "主要内容"),
    ColumnSpec("units", "责任单位"),
)

MAX_JSON_BYTES = 20 * 1024 * 1024  # a ledger of 2,000 tasks with history is about 6 MB
MAX_JSON_CONTAINERS = 1_000_000  # "{" and "[" in the text: bounds the memory json.loads may take
MAX_JSON_VALUES = 2_000_000  # "," in the text: every value but the last of a list or object follows one

Progress = Callable[[int, int], None]
Overrides = dict[int, dict[int, str]]


def load_any(
    path: Path | str,
    sheet: str | None = None,
    progress: Progress | None = None,
    overrides: Overrides | None = None,
    with_copy: bool = True,
) -> ImportResult:
    """Read a ledger from .docx (tables or a prose notice), .xlsx, our own .json, or a legacy
    .doc/.wps/.xls/.et (converted with LibreOffice when installed).

    `sheet`: the Excel sheet to read (see ImportResult.sheet_candidates). `overrides`: the user's
    corrections from the import wizard, {table index: {grid column: field}} with the indexes of
    ImportResult.tables; field "ignore" drops a column. Our own exported files carry an embedded
    machine-readable copy, read first unless overrides are given.
    `with_copy=False`: the visible table only, the embedded copy not merged (the city office's collection
    needs the text as shown and the identity, not the unit's history; much faster).
    Raises ImportFailed (one Chinese sentence) for anything that is not a readable ledger.
    """
    path = Path(path)
    name = path.name
    data = read_bytes(path)
    try:
        return _load(path, data, sheet, progress, overrides, with_copy)
    except ImportFailed:
        raise
    except (MemoryError, RecursionError):
        raise fail(name, "文件内容过于庞大或结构嵌套过深，超出处理能力", WORD_HINT) from None
    except Exception:  # a reader bug must never reach the user as a traceback
        log.exception("import of %s failed", name)
        hint = EXCEL_HINT if path.suffix.lower() in (".xlsx", ".xls", ".et") else WORD_HINT
        raise fail(name, "文件内容无法解析，可能已损坏或格式不受支持", hint) from None


def apply_mapping(path: Path | str, previous: ImportResult, overrides: Overrides) -> ImportResult:
    """Read the file again with the user's column mapping (same sheet as before)."""
    return load_any(path, sheet=previous.sheet, overrides=overrides)


def _load(
    path: Path,
    data: bytes,
    sheet: str | None,
    progress: Progress | None,
    overrides: Overrides | None,
    with_copy: bool = True,
) -> ImportResult:
    name = path.name
    suffix = path.suffix.lower()
    kind = sniff(data)
    warnings: list[str] = []
    if kind == "json" or suffix == ".json":
        return _load_json(name, data)
    if kind == "ole":
        ole = ole_kind(data)
        if ole == "encrypted":
            raise ImportFailed(
                f"无法读取《{name}》：文件设有打开密码（已加密）。请在 Word/WPS/Excel 中输入密码打开，"
                "取消密码后另存为 .docx 或 .xlsx 再导入。"
            )
        target = "xlsx" if (ole == "excel" or suffix in LEGACY_EXCEL) else "docx"
        if ole == "other" and suffix not in LEGACY_WORD | LEGACY_EXCEL:
            raise fail(name, "不是 Word 文档（.docx）或 Excel 表格（.xlsx）", WORD_HINT)
        if target == "xlsx" and xls_reader.available():
            # .xls/.et read directly (xlrd); LibreOffice only for what xlrd cannot read
            try:
                result = _load_sheets(xls_reader.read_sheets(data, name), name, sheet, progress, overrides)
            except ImportFailed:
                if safety.find_converter() is None:
                    raise
            else:
                result.ledger.source_file = data
                result.ledger.source_name = name
                return result
        data = convert_legacy(path, target)
        warnings.append(f"《{name}》是旧格式文件，已自动转换为 .{target} 后导入，请核对内容。")
        name = f"{path.stem}.{target}"
        kind = sniff(data)
    if kind != "zip":
        if suffix in LEGACY_WORD | LEGACY_EXCEL:
            target = "xlsx" if suffix in LEGACY_EXCEL else "docx"
            data = convert_legacy(path, target)
            warnings.append(f"《{path.name}》是旧格式文件，已自动转换为 .{target} 后导入，请核对内容。")
            name = f"{path.stem}.{target}"
        else:
            hint = EXCEL_HINT if suffix in (".xlsx", ".xls", ".et", ".csv") else WORD_HINT
            what = "不是 Excel 表格（.xlsx）" if hint == EXCEL_HINT else "不是 Word 文档（.docx）"
            raise fail(path.name, f"文件已损坏或{what}", hint)
    hint = EXCEL_HINT if suffix in (".xlsx", ".xls", ".et") else WORD_HINT
    zf = open_zip(data, path.name, hint)
    pkg = package_kind(zf)
    if pkg == "other":
        raise fail(path.name, "不是 Word 文档（.docx）或 Excel 表格（.xlsx）", hint)
    if pkg == "xlsx":
        hint = EXCEL_HINT
    # Before any parser (ours, the embedded copy's): real inflated sizes, tag counts, no DTD.
    scan_package(zf, path.name, hint)
    # Our own report: the visible table is the truth, its embedded copy adds what the table can't show.
    embedded = _embedded(path) if overrides is None and name == path.name and with_copy else None
    if pkg == "docx":
        result = _load_docx(zf, name, progress, overrides)
    else:
        result = _load_xlsx(zf, name, sheet, progress, overrides)
    if embedded is not None:
        result = _with_copy(result, embedded)
    result.warnings[:0] = warnings
    result.identity = read_identity(zf, embedded)  # ledger id, unit, round, date (docProps/custom.xml)
    if result.identity is None and not with_copy:
        result.identity = read_identity(zf, _embedded(path))  # custom properties lost: the copy's
    if result.identity and not result.ledger.ident:
        result.ledger.ident = result.identity.ledger
    result.ledger.source_file = data
    result.ledger.source_name = name
    return result


def _embedded(path: Path) -> dict | None:
    try:
        from desktop_app.importers.embedded_copy import read_embedded
    except ImportError:
        return None
    try:
        found = read_embedded(path)
    except Exception:  # a damaged embedded copy: fall back to reading the visible table
        log.warning("embedded copy of %s unreadable", path.name, exc_info=True)
        return None
    return found if isinstance(found, dict) else None


def _with_copy(result: ImportResult, embedded: dict) -> ImportResult:
    from desktop_app.importers.reimport import merge_copy

    try:
        return merge_copy(result, embedded)
    except LedgerSchemaError as exc:  # a copy that breaks the schema: the visible table alone
        log.warning("embedded copy breaks the schema: %s", exc.message)
        result.warnings.append(f"文档中内嵌的台账副本不完整（{exc.message}），已只按文档中可见的表格导入。")
        return result
    except (ValueError, KeyError, TypeError):  # a damaged copy: the visible table alone
        log.warning("embedded copy not usable", exc_info=True)
        return result


def _from_dict(data: dict, kind: str) -> ImportResult:
    ledger, _history = ledger_from_dict(data)
    return ImportResult(ledger=ledger, source_kind=kind)


def _load_json(name: str, data: bytes) -> ImportResult:
    """Our JSON, checked against domain.ledger_schema before anything is built from it."""
    if len(data) > MAX_JSON_BYTES:
        raise ImportFailed(
            f"无法导入《{name}》：JSON 文件大小 {len(data) // (1024 * 1024)} MB，超过 20 MB 上限，"
            "不像是本程序导出的台账。请选择由本程序“导出 JSON”生成的文件。"
        )
    if data.count(b"{") + data.count(b"[") > MAX_JSON_CONTAINERS:
        raise ImportFailed(
            f"无法导入《{name}》：文件中的对象和列表超过 {MAX_JSON_CONTAINERS} 个，不像是本程序导出的台账。"
            "请选择由本程序“导出 JSON”生成的文件。"
        )
    if data.count(b",") > MAX_JSON_VALUES:
        raise ImportFailed(
            f"无法导入《{name}》：文件中的数据项超过 {MAX_JSON_VALUES // 10_000} 万个，不像是本程序导出的台账。"
            "请选择由本程序“导出 JSON”生成的文件。"
        )
    try:
        ledger, histories = ledger_from_dict(parse_ledger_json(data))
    except LedgerSchemaError as exc:
        raise ImportFailed(
            f"无法导入《{name}》：{exc.message}。请改正文件中的这一处后重新导入，"
            "或选择由本程序“导出 JSON”生成的文件。"
        ) from None
    result = ImportResult(ledger=ledger, source_kind="json", histories=histories)
    result.ledger.source_name = name
    result.ledger.source_file = data
    return result


def _no_ledger(name: str) -> ImportFailed:
    return ImportFailed(
        f"无法导入《{name}》：文件中没有找到任务台账（带“序号、重点工作、主要内容、责任单位”等表头的表格，"
        "或按“一、（一）1.”编号的工作要点），请确认选择的是台账或工作要点文件。"
    )


def _load_docx(
    zf: zipfile.ZipFile, name: str, progress: Progress | None, overrides: Overrides | None
) -> ImportResult:
    try:
        blocks = docx_reader.read_blocks(zf)
    except TooMuch as exc:
        raise fail(name, str(exc), WORD_HINT) from None
    except etree.XMLSyntaxError:
        raise fail(
            name, "文件内部的文档内容无法解析（已损坏：标记不完整或嵌套超过 256 层）", WORD_HINT
        ) from None
    builder = LedgerBuilder(carry_blank=False, overrides=overrides, progress=progress)
    builder.feed(blocks)
    sections = builder.finished_sections()
    paragraphs = [b.text for b in blocks if isinstance(b, Para)]
    if sections:
        other = builder.trailing + [
            c.text for b in blocks if isinstance(b, Table) for r in b.rows for c in r[:8]
        ]
        meta = read_meta(builder.preamble, other)
        ledger = Ledger(columns=builder.columns(), sections=sections)
        result = ImportResult(ledger=ledger, source_kind="docx-table", tables=builder.tables)
        result.warnings.extend(builder.warnings)
        result.visible_rows = builder.visible_rows(sections)
    else:
        notice = parse_notice(paragraphs)
        if not notice.sections:
            failed = _no_ledger(name)
            failed.tables = builder.tables
            raise failed
        meta = read_meta(notice.preamble, notice.trailing)
        issuer = _notice_issuer(notice.preamble)
        if issuer:
            meta.issuer = issuer
        ledger = Ledger(sections=notice.sections, columns=list(NOTICE_COLUMNS))
        result = ImportResult(ledger=ledger, source_kind="notice")
        for si, section in enumerate(notice.sections):
            for ti, task in enumerate(section.tasks):
                if not task.units_text:
                    result.flagged.append((si, ti, "原文未写明责任单位（条目末尾的括号）"))
        if progress:
            progress(1, 1)
    _apply_meta(result, meta)
    finish_tasks(result.ledger, result)
    return result


def _no_ledger_sheets(name: str, tables: list[Table]) -> ImportFailed:
    """No sheet looks like a ledger: each sheet with rows is offered to the wizard to map by hand."""
    failed = _no_ledger(name)
    for t in tables:
        rows = [r for r in t.rows if any(c.text for c in r)]
        if not rows:
            continue
        width = max(len(r) for r in rows)
        failed.tables.append(
            TableInfo(
                index=0,
                headers=[f"第{c + 1}列" for c in range(width)],
                fields=["ignore"] * width,
                header_row=-1,
                header_rows=0,
                sheet=t.sheet,
                sample=[[c.text for c in r] for r in rows[:5]],
            )
        )
    return failed


def _notice_issuer(preamble: list[str]) -> str:
    """ "灵武市人民政府办公室关于印发…的通知" -> 灵武市人民政府办公室."""
    for line in preamble:
        if "关于" in line and "通知" in line:
            head = line.split("关于", 1)[0].strip()
            if 1 < len(head) <= 30:
                return head
    return ""


def _load_xlsx(
    zf: zipfile.ZipFile, name: str, sheet: str | None, progress: Progress | None, overrides: Overrides | None
) -> ImportResult:
    return _load_sheets(xlsx_reader.read_sheets(zf, name), name, sheet, progress, overrides)


def _load_sheets(
    tables: list[Table], name: str, sheet: str | None, progress: Progress | None, overrides: Overrides | None
) -> ImportResult:
    """Sheets (of an .xlsx or an .xls) -> the ledger of the sheet that looks most like one."""
    if not tables:
        raise _no_ledger(name)
    scored = [(xlsx_reader.sheet_score(t), i, t) for i, t in enumerate(tables)]
    plausible = [(s, i, t) for s, i, t in scored if s > 0]
    candidates = [t.sheet or "" for _s, _i, t in plausible]
    warnings: list[str] = []
    if sheet is not None:
        chosen = next((t for t in tables if t.sheet == sheet), None)
        if chosen is None:
            raise ImportFailed(f"无法导入《{name}》：找不到名为“{sheet}”的工作表，请重新选择工作表。")
    else:
        if not plausible:
            raise _no_ledger_sheets(name, tables)
        chosen = max(plausible, key=lambda x: (x[0], -x[1]))[2]
        if len(plausible) > 1:
            warnings.append(
                f"《{name}》中有 {len(plausible)} 个工作表像台账（{'、'.join(candidates)}），"
                f"已读取“{chosen.sheet}”，如不对请另选工作表。"
            )
    builder = LedgerBuilder(carry_blank=True, overrides=overrides, progress=progress)
    # Excel: one sheet is one table; overrides are keyed by table index 0.
    builder.feed([chosen])
    sections = builder.finished_sections()
    if not sections:
        raise _no_ledger(name)
    cells = [c.text for r in chosen.rows for c in r[:12] if c.text]
    meta = read_meta(builder.preamble, builder.trailing + cells, fallback_title=chosen.sheet or "")
    ledger = Ledger(columns=builder.columns(), sections=sections)
    result = ImportResult(
        ledger=ledger,
        warnings=warnings + builder.warnings,
        sheet_candidates=candidates if len(candidates) > 1 else [],
        source_kind="xlsx",
        tables=builder.tables,
        sheet=chosen.sheet,
    )
    result.visible_rows = builder.visible_rows(sections)
    _apply_meta(result, meta)
    finish_tasks(result.ledger, result)
    return result


def _apply_meta(result: ImportResult, meta) -> None:
    ledger = result.ledger
    ledger.title = meta.title
    ledger.year = meta.year
    ledger.owner_unit = meta.owner_unit
    ledger.issuer = meta.issuer
    ledger.report_dates = meta.report_dates
    result.fill_line = meta.fill_line
