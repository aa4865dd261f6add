"""Word report speed, 2,000 tasks: our writer against plain python-docx building the same table, in one run.

Three figures, each with its baseline measured beside it:
  1. in process: write_report (template, layout model with measured widths and row groups, table XML,
     embedded copy with visible hashes) against python-docx's add_row() + cell.text;
  2. whole process (issue #16): a fresh `python` that reads the ledger (JSON) and writes the .docx, ours
     against the same with plain python-docx; interpreter start and imports included;
  3. for reference: the Excel workbook (write_xlsx), as before.

Run: python benchmarks/bench_report.py [tasks]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop_app.domain.model import Deadline, DeadlineKind, Ledger, Section, Task  # noqa: E402
from desktop_app.exporters.common import ReportOptions, cell_text, report_columns  # noqa: E402
from desktop_app.exporters.docx_report import write_report  # noqa: E402


def make_ledger(n: int) -> Ledger:
    ledger = Ledger(
        title="银川市2023年政务公开工作要点任务落实台账（基准测试）", year=2023, owner_unit="银川市某局"
    )
    per = max(1, n // 4)
    for si in range(4):
        section = Section(title=f"{'一二三四'[si]}、第{si + 1}板块", position=si)
        for i in range(per if si < 3 else n - 3 * per):
            k = si * per + i + 1
            section.tasks.append(
                Task(
                    id=k,
                    number=str(k),
                    key_work=f"重点工作{k // 3}",
                    content=f"第{k}项：聚焦重点工作任务，多渠道展示相关信息，发布政策法规、工作方案、进展成效、典型案例。",
                    indicator="查看各级各部门在市政府门户网站、本部门网站和政务新媒体平台发布情况",
                    units_text="各县（市）区人民政府，市政府各部门、各直属机构负责",
                    deadline=Deadline("11月底", DeadlineKind.DATE, date(2023, 11, 30)),
                    progress=f"已在门户网站发布相关信息{k}条，开展政策解读{k % 7}次。",
                )
            )
        ledger.sections.append(section)
    return ledger


def baseline(ledger: Ledger, path: Path) -> None:
    """The plain python-docx way: add_row() + cell.text for every cell."""
    from docx import Document

    cols = report_columns(ledger)
    doc = Document()
    table = doc.add_table(rows=1, cols=len(cols))
    for cell, col in zip(table.rows[0].cells, cols, strict=True):
        cell.text = col.header
    for task in ledger.all_tasks():
        cells = table.add_row().cells
        for cell, col in zip(cells, cols, strict=True):
            cell.text = cell_text(task, col)
    doc.save(str(path))


def timed(fn, *args) -> float:  # noqa: ANN001
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


# A fresh process reading the ledger from JSON and writing the report: ours, then plain python-docx.
OURS_PROCESS = """
import sys; sys.path.insert(0, {root!r})
import json
from datetime import date
from pathlib import Path
from desktop_app.domain.serialize import ledger_from_dict
from desktop_app.exporters.common import ReportOptions
from desktop_app.exporters.docx_report import write_report
ledger, _ = ledger_from_dict(json.loads(Path({src!r}).read_text(encoding="utf-8")))
write_report(ledger, Path({out!r}), ReportOptions(as_of=date(2023, 8, 15), unit="银川市某局", filler="张三"))
"""
PLAIN_PROCESS = """
import sys; sys.path.insert(0, {root!r})
import json
from pathlib import Path
from docx import Document
from desktop_app.domain.serialize import ledger_from_dict
from desktop_app.exporters.common import cell_text, report_columns
ledger, _ = ledger_from_dict(json.loads(Path({src!r}).read_text(encoding="utf-8")))
cols = report_columns(ledger)
doc = Document()
table = doc.add_table(rows=1, cols=len(cols))
for cell, col in zip(table.rows[0].cells, cols):
    cell.text = col.header
for task in ledger.all_tasks():
    cells = table.add_row().cells
    for cell, col in zip(cells, cols):
        cell.text = cell_text(task, col)
doc.save({out!r})
"""


def whole_process(script: str, src: Path, out: Path) -> float:
    code = script.format(root=str(ROOT), src=str(src), out=str(out))
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    ledger = make_ledger(n)
    options = ReportOptions(as_of=date(2023, 8, 15), unit="银川市某局", filler="张三", phone="0951-6012345")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        write_report(make_ledger(20), out / "warm.docx", options)  # imports and template cache warm
        ours = min(timed(write_report, ledger, out / "report.docx", options) for _ in range(3))
        base = min(timed(baseline, ledger, out / "baseline.docx") for _ in range(2))
        size = (out / "report.docx").stat().st_size

        from desktop_app.exporters.json_export import write_json

        src = out / "ledger.json"
        write_json(ledger, src)
        ours_proc = min(whole_process(OURS_PROCESS, src, out / "p-ours.docx") for _ in range(2))
        base_proc = min(whole_process(PLAIN_PROCESS, src, out / "p-plain.docx") for _ in range(2))

        from desktop_app.exporters.xlsx_export import write_xlsx

        xlsx = timed(write_xlsx, ledger, out / "ledger.xlsx", options)
    print(f"Word report, {n} tasks ({len(report_columns(ledger))} columns), the same run:")
    print(f"  in process   write_report (layout model, table XML, embedded copy): {ours:6.2f} s")
    print(f"               python-docx add_row + cell.text baseline:              {base:6.2f} s")
    print(f"               speed-up: {base / ours:4.1f}x   (issue #16: >= 3x, stretch >= 8x)")
    print(f"  whole process (python start, read the JSON ledger, write .docx):    {ours_proc:6.2f} s")
    print(f"               the same with plain python-docx:                        {base_proc:6.2f} s")
    print(f"               speed-up: {base_proc / ours_proc:4.1f}x")
    print(f"  report size: {size / 1024:.0f} KiB")
    print(f"Excel workbook, {n} tasks (write_xlsx, for reference):                  {xlsx:6.2f} s")


if __name__ == "__main__":
    main()
