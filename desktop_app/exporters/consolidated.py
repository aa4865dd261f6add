"""The city office's consolidated ledger: one row per task, its progress column holding "单位：进展" for every
unit that reported on it (in directory order), as Word, Excel (the report writers) or JSON (a `returns` list
per task); and the 报送情况通报 (exporters.returns_notice)."""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from desktop_app.domain.model import ColumnSpec, Ledger
from desktop_app.domain.serialize import ledger_to_dict
from desktop_app.exporters.common import ReportOptions, report_columns
from desktop_app.exporters.errors import ExportFailed
from desktop_app.exporters.files import write_text_atomically

FORMATS = ("docx", "xlsx", "json")
PROGRESS_HEADER = "各单位进展落实情况"
LEFT_OUT = frozenset({"status", "indicator", "remarks"})


@dataclass
class UnitLine:
    """One unit's return on one task, as the consolidated ledger shows it."""

    unit: str
    kind: str
    progress: str
    status: str = ""  # TaskStatus value
    percent: int = 0
    received: datetime | None = None
    file: str = ""

    @property
    def text(self) -> str:
        """ "市民政局：已公开…"; a unit that began its own text with its name ("市民政局：已公开…",
        "【市民政局】已公开…", "市民政局已公开…") is named once."""
        return f"{self.unit}：{own_name_dropped(self.unit, self.progress)}"


# what may stand between a unit's name and its text when it writes the name in itself
_AFTER_NAME = "：:，,、;； \t\u3000—-"
_BRACKETS = ("【】", "[]", "〔〕", "（）", "()")
# a name followed by one of these goes on as a longer name (市政府 → 市政府办公室): not the unit's own
_NAME_GOES_ON = frozenset("办厅局委处室科院所部府会社站队组团中")


def own_name_dropped(unit: str, progress: str) -> str:
    """The progress without the unit's name in front of it, when it starts with it (and has more)."""
    name = unit.strip()
    text = progress.lstrip()
    if not name:
        return progress
    for opening, closing in _BRACKETS:
        if text.startswith(opening + name + closing):
            text = name + "：" + text[len(name) + 2 :]
            break
    if not text.startswith(name) or text[len(name) : len(name) + 1] in _NAME_GOES_ON:
        return progress
    rest = text[len(name) :].lstrip(_AFTER_NAME)
    return rest or progress


def cell_text(lines: Sequence[UnitLine]) -> str:
    """ "市财政局：已公开…\\n市发改委：…" (one line per unit, in the order given)."""
    return "\n".join(line.text for line in lines)


def consolidated_ledger(
    ledger: Ledger, by_task: dict[int, list[UnitLine]], options: ReportOptions, round_label: str = ""
) -> tuple[Ledger, ReportOptions]:
    """The ledger and options the report writers print: title 《…》（汇总）, progress = the units' lines."""
    out = copy.deepcopy(ledger)
    for t in out.all_tasks():
        t.progress = cell_text(by_task.get(t.id or -1, []))
    cols = [  # the units' text gets the room: no indicator, remarks or extra columns
        ColumnSpec(c.field, PROGRESS_HEADER) if c.field == "progress" else c
        for c in report_columns(out, options)
        if c.field not in LEFT_OUT and not c.field.startswith("extra:")
    ]
    title = f"{options.title or ledger.title or '任务落实台账'}（汇总）"  # the round is in the line below
    opts = dataclasses.replace(
        options,
        columns=cols,
        title=title,
        progress_by_task={t.id: t.progress for t in out.all_tasks() if t.id is not None},
    )
    return out, opts


def write_consolidated(
    ledger: Ledger,
    by_task: dict[int, list[UnitLine]],
    fmt: str,
    path: Path,
    options: ReportOptions,
    round_label: str = "",
    round_due: date | None = None,
) -> None:
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ExportFailed(f"汇总台账不支持“{fmt}”格式。请选择 docx、xlsx 或 json。")
    merged, opts = consolidated_ledger(ledger, by_task, options, round_label)
    if fmt == "json":
        write_text_atomically(
            Path(path),
            json.dumps(_json(merged, by_task, round_label, round_due), ensure_ascii=False, indent=1),
        )
        return
    if fmt == "docx":
        from desktop_app.exporters.docx_report import write_report
        from desktop_app.exporters.files import atomic_path, write_failure

        try:
            with atomic_path(Path(path)) as tmp:
                write_report(merged, tmp, opts)
                _rows_may_split(tmp)  # a task with fifty units' lines runs over pages
        except OSError as exc:
            raise write_failure(Path(path), exc) from exc
    else:
        from desktop_app.exporters.xlsx_export import write_xlsx

        # widths from the units' text, rows as tall as it needs (continued past Excel's 409 pt), no 状态
        write_xlsx(merged, Path(path), opts, fit_text=True, with_status=False)


def _json(
    ledger: Ledger, by_task: dict[int, list[UnitLine]], round_label: str, round_due: date | None
) -> dict[str, Any]:
    data = ledger_to_dict(ledger)
    data["consolidated"] = {"round": round_label, "due_date": round_due.isoformat() if round_due else None}
    tasks = [t for s in data["sections"] for t in s["tasks"]]
    for d, task in zip(tasks, ledger.all_tasks(), strict=True):
        d["returns"] = [
            {
                "unit": line.unit,
                "kind": line.kind,
                "progress": line.progress,
                "status": line.status,
                "percent": line.percent,
                "received": line.received.isoformat(timespec="seconds") if line.received else None,
                "file": line.file,
            }
            for line in by_task.get(task.id or -1, [])
        ]
    return data


def _rows_may_split(path: Path) -> None:
    """Body rows of the report table may break across pages (the header row still repeats)."""
    import zipfile

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(path) as z:
        members = [(i, z.read(i)) for i in z.infolist()]
    out = []
    for info, data in members:
        if info.filename == "word/document.xml":
            root = etree.fromstring(data)
            for trpr in root.iter(w + "trPr"):
                if trpr.find(w + "tblHeader") is None:
                    for el in trpr.findall(w + "cantSplit"):
                        trpr.remove(el)
            data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        out.append((info, data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in out:
            z.writestr(info, data)
