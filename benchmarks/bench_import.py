"""Import speed: the real city ledger, generated 2,000-row ledgers (.docx and .xlsx, read and stored),
each beside the time python-docx / openpyxl take just to open the same file, and a python-docx baseline.

Run: python benchmarks/bench_import.py   (prints figures; no assertions)
The baseline reads a smaller table with python-docx `table.cell(i, j)` (the quadratic way) next to
our body walk on the same file, so the figures can be compared on the machine that runs them.
"""

from __future__ import annotations

import copy
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402

from desktop_app.domain.serialize import ledger_to_dict  # noqa: E402
from desktop_app.importers import load_any  # noqa: E402

BASELINE_ROWS = 60  # python-docx cell(i, j) needs about 50 s for 200 rows: keep the run short
HEADER = ["序号", "重点工作", "主要内容", "量化指标", "责任单位", "配合单位", "完成时限", "推进情况"]


def make_ledger(path: Path, rows: int) -> Path:
    """A ledger table of `rows` rows, every 5 rows under one key work merged vertically;
    rows are copied as XML elements (add_row() + cell.text would itself be slow)."""
    d = docx.Document()
    d.add_paragraph("某市2024年政务公开工作要点任务落实台账")
    t = d.add_table(rows=2, cols=len(HEADER))
    for c, h in enumerate(HEADER):
        t.cell(0, c).text = h
        t.cell(1, c).text = "x"
    tbl = t._tbl
    template = tbl.tr_lst[1]
    tbl.remove(template)
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for i in range(rows):
        tr = copy.deepcopy(template)
        values = [
            str(i + 1),
            f"重点工作{i // 5 + 1}",
            f"第{i + 1}项任务：在市政府门户网站公开相关信息，及时回应社会关切。",
            "查看发布情况和实际掌握情况",
            "市政府办公室牵头，各部门负责",
            "市司法局",
            ["11月底", "长期坚持", "2024年6月", "全年"][i % 4],
            "",
        ]
        for c, (tc, v) in enumerate(zip(tr.tc_lst, values, strict=True)):
            tc.xpath(".//w:t")[0].text = v
            if c == 1:  # key work merged over 5 rows
                pr = tc.get_or_add_tcPr()
                vm = pr.makeelement(w + "vMerge", {w + "val": "restart"} if i % 5 == 0 else {})
                pr.append(vm)
        tbl.append(tr)
    d.save(path)
    return path


def make_xlsx(path: Path, rows: int) -> Path:
    """The same ledger as an Excel sheet: title row, header, key work merged over every 5 rows."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["某市2024年政务公开工作要点任务落实台账"])
    ws.append(HEADER)
    for i in range(rows):
        ws.append(
            [
                str(i + 1),
                f"重点工作{i // 5 + 1}" if i % 5 == 0 else None,
                f"第{i + 1}项任务：在市政府门户网站公开相关信息，及时回应社会关切。",
                "查看发布情况和实际掌握情况",
                "市政府办公室牵头，各部门负责",
                "市司法局",
                ["11月底", "长期坚持", "2024年6月", "全年"][i % 4],
                "",
            ]
        )
        if i % 5 == 0:
            ws.merge_cells(start_row=i + 3, start_column=2, end_row=min(i + 7, rows + 2), end_column=2)
    wb.save(path)
    return path


def import_and_store(path: Path, folder: Path, repeat: int) -> float:
    """What `python -m desktop_app import FILE` does once the database is open: read, then store in one
    transaction. Median seconds; each run into a fresh database (opened, migrated, outside the timing)."""
    from desktop_app.services.context import AppContext

    runs = []
    for i in range(repeat):
        ctx = AppContext.open(folder / f"{path.suffix[1:]}{i}.sqlite3", lock=False)
        try:
            t0 = time.perf_counter()
            ctx.imports.import_file(path)
            runs.append(time.perf_counter() - t0)
        finally:
            ctx.db.close()
    return statistics.median(runs)


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Median seconds over `repeat` runs."""
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def python_docx_cell_baseline(path: Path) -> int:
    """How a naive reader does it: table.cell(i, j) for every cell."""
    d = docx.Document(str(path))
    n = 0
    for table in d.tables:
        rows, cols = len(table.rows), len(table.columns)
        for i in range(rows):
            for j in range(cols):
                n += len(table.cell(i, j).text)
    return n


def main() -> None:
    city = ROOT / "tests" / "data" / "city-2023.docx"
    print("导入速度（中位数）")
    t = timed(lambda: ledger_to_dict(load_any(city).ledger), 5)
    n = len(load_any(city).ledger.all_tasks())
    print(f"  inspect city-2023.docx ({n} 项任务)：{t * 1000:8.1f} ms   目标 < 1000 ms")
    with tempfile.TemporaryDirectory() as tmp:
        big = make_ledger(Path(tmp) / "big.docx", 2000)
        t_big = timed(lambda: load_any(big), 3)
        n_big = len(load_any(big).ledger.all_tasks())
        print(f"  生成台账 2000 行 ({n_big} 项任务)：   {t_big * 1000:8.1f} ms   目标 < 2000 ms")
        t_open = timed(lambda: docx.Document(str(big)), 3)
        print(
            f"    对照：python-docx 仅打开同一文件：   {t_open * 1000:8.1f} ms   （本程序/打开 = {t_big / t_open:.1f}）"
        )
        bigx = make_xlsx(Path(tmp) / "big.xlsx", 2000)
        t_x = timed(lambda: load_any(bigx), 3)
        n_x = len(load_any(bigx).ledger.all_tasks())
        print(f"  生成 Excel 台账 2000 行 ({n_x} 项任务)：{t_x * 1000:8.1f} ms   目标 < 2000 ms")
        import openpyxl

        t_xopen = timed(lambda: openpyxl.load_workbook(bigx), 3)
        print(
            f"    对照：openpyxl 仅打开同一文件：     {t_xopen * 1000:8.1f} ms   （本程序/打开 = {t_x / t_xopen:.1f}）"
        )
        t_store = import_and_store(big, Path(tmp), 3)
        t_storex = import_and_store(bigx, Path(tmp), 3)
        print(
            f"  导入并入库（数据库已打开）：docx {t_store * 1000:8.1f} ms，xlsx {t_storex * 1000:8.1f} ms   目标 < 2000 ms"
        )
        small = make_ledger(Path(tmp) / "small.docx", BASELINE_ROWS)
        t_ours = timed(lambda: load_any(small), 3)
        t_base = timed(lambda: python_docx_cell_baseline(small), 1)
        print(f"  对照：同一份 {BASELINE_ROWS} 行 x 8 列表格")
        print(f"    本程序（遍历 XML）：              {t_ours * 1000:8.1f} ms")
        print(
            f"    python-docx table.cell(i, j)：    {t_base * 1000:8.1f} ms   （慢 {t_base / t_ours:.0f} 倍）"
        )


if __name__ == "__main__":
    main()
