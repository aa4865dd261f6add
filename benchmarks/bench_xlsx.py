"""Excel export speed: write_xlsx (streamed worksheet XML, styles registered once, the hidden copy for re-import)
against plain openpyxl writing the same cells without any style (goal <= 1x).

Run: python benchmarks/bench_xlsx.py [tasks]
"""

from __future__ import annotations

import gc
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_report import make_ledger  # noqa: E402

from desktop_app.exporters.common import ReportOptions, cell_text, report_columns  # noqa: E402
from desktop_app.exporters.xlsx_export import write_xlsx  # noqa: E402


def baseline(ledger, path: Path) -> None:  # noqa: ANN001
    """Plain openpyxl: a workbook, ws.cell(row, column, value) for the same cells, save."""
    from openpyxl import Workbook

    cols = report_columns(ledger)
    wb = Workbook()
    ws = wb.active
    ws.cell(row=1, column=1, value=ledger.title)
    for ci, col in enumerate(cols, start=1):
        ws.cell(row=3, column=ci, value=col.header)
    row = 4
    for section in ledger.sections:
        ws.cell(row=row, column=1, value=section.title)
        row += 1
        for task in section.tasks:
            for ci, col in enumerate(cols, start=1):
                ws.cell(row=row, column=ci, value=cell_text(task, col))
            row += 1
    wb.save(path)


def timed(fn) -> float:  # noqa: ANN001
    gc.collect()  # each run starts with no garbage left by the one before
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    ledger = make_ledger(n)
    opts = ReportOptions(unit="银川市某局", filler="张三", phone="0951-1234567")
    with tempfile.TemporaryDirectory() as tmp:
        baseline(make_ledger(10), Path(tmp) / "warm.xlsx")
        write_xlsx(make_ledger(10), Path(tmp) / "warm2.xlsx", opts)
        # alternated, best of three each: on a shared machine the load changes between runs
        base_runs, our_runs = [], []
        for _ in range(3):
            base_runs.append(timed(lambda: baseline(ledger, Path(tmp) / "b.xlsx")))
            our_runs.append(timed(lambda: write_xlsx(ledger, Path(tmp) / "o.xlsx", opts)))
        t_base, t_ours = min(base_runs), min(our_runs)
    print(f"plain openpyxl, same cells, no styles, {n} tasks: {t_base:.2f} s")
    print(f"write_xlsx (styles, merges, print set-up, hidden copy), {n} tasks: {t_ours:.2f} s")
    print(f"ratio: {t_ours / t_base:.2f}x (goal <= 1x)")


if __name__ == "__main__":
    main()
