"""Start-up against a bare Qt window, side by side in one run (ratios: the machine may be shared).

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_start.py [--repeat 3] [--dir FOLDER]

Rows (issue 16):
  start    `python -m desktop_app --smoke` on a database of 20,000 tasks in 4 ledgers
  big      `python -m desktop_app --smoke` on a database holding one 50,000-task ledger
  baseline a bare Qt window with a table: `python -c` QApplication + QMainWindow + QTableView over a
           100 x 10 QStandardItemModel, shown, events processed, closed
Each figure is the wall time of a fresh process (interpreter, every import, window shown and closed),
the median of --repeat runs, the three interleaved so that the load of the machine hits all alike.
Byte code goes to a private PYTHONPYCACHEPREFIX written by one untimed run of each (the installed
bundle ships compiled modules; with PYTHONDONTWRITEBYTECODE every run would compile the program).
That untimed run also takes the day's automatic backup, which only the first start of a day does.

--compare TREE also times the program in another source tree (a checkout of an older commit) in
the same interleaved runs, printed as "before", so before/after come from one run.

Also printed: the imports of a start as `-X importtime` counts them in a fresh process (so nothing
imported before measuring is missed), and the CLI's file-only commands against `python -c pass`.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

BARE = """
import sys
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
app = QApplication(sys.argv[:1])
window = QMainWindow()
model = QStandardItemModel(100, 10)
for r in range(100):
    for c in range(10):
        model.setItem(r, c, QStandardItem(f"{r},{c}"))
view = QTableView()
view.setModel(model)
window.setCentralWidget(view)
window.resize(1500, 900)
window.show()
app.processEvents()
window.close()
"""


def build(folder: Path, tasks_start: int, tasks_big: int) -> tuple[Path, Path]:
    import bench_ui

    start_db, big_db = folder / f"start-{tasks_start}.sqlite3", folder / f"big-{tasks_big}.sqlite3"
    if not start_db.exists():
        print(f"building {tasks_start} tasks in 4 ledgers ...", flush=True)
        bench_ui.build_db(start_db, tasks_start)
    if not big_db.exists():
        from desktop_app.services.context import AppContext

        print(f"building one ledger of {tasks_big} tasks ...", flush=True)
        with AppContext.open(big_db) as ctx:
            ctx.imports.save(bench_ui.make_ledger(tasks_big, 2023, random.Random(7), "五万项台账（测试）"))
    return start_db, big_db


def environment(folder: Path, code: Path = ROOT) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(
        PYTHONPATH=str(code),
        PYTHONPYCACHEPREFIX=str(folder / "pycache"),
        QT_QPA_PLATFORM="offscreen",
        LEDGER_TODAY="2023-07-01",
        XDG_CONFIG_HOME=str(folder / "config"),
        XDG_DATA_HOME=str(folder / "data"),
        HOME=str(folder / "home"),
    )
    return env


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    # cwd = the source tree measured: `-m desktop_app` finds the package in the working folder first
    proc = subprocess.run(cmd, env=env, cwd=env["PYTHONPATH"], capture_output=True, text=True, timeout=600)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr[-3000:]}")
    return elapsed, proc.stdout


def import_profile(cmd: list[str], env: dict[str, str]) -> tuple[int, float, list[tuple[float, str]]]:
    """(modules, seconds of imports, largest top-level packages) of a fresh process, -X importtime."""
    proc = subprocess.run(
        [cmd[0], "-X", "importtime", *cmd[1:]],
        env=env,
        cwd=env["PYTHONPATH"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    modules, total = 0, 0.0
    per_top: dict[str, float] = {}
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if not m:
            continue
        modules += 1
        own_us, name = int(m.group(1)), m.group(4)
        total += own_us / 1e6  # self times add up to the whole, whoever imported what
        top = name.split(".")[0]
        per_top[top] = per_top.get(top, 0.0) + own_us / 1e6
    largest = sorted(((s, n) for n, s in per_top.items()), reverse=True)[:8]
    return modules, total, largest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None, help="folder for the databases (kept for reuse)")
    parser.add_argument("--start-tasks", type=int, default=20000)
    parser.add_argument("--big-tasks", type=int, default=50000)
    parser.add_argument("--compare", type=Path, default=None, help="another source tree, timed as 'before'")
    args = parser.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="bench-start-"))
    folder.mkdir(parents=True, exist_ok=True)
    start_db, big_db = build(folder, args.start_tasks, args.big_tasks)
    env = environment(folder)
    py = sys.executable
    runs = {
        "baseline": [py, "-c", BARE],
        "start": [py, "-m", "desktop_app", "--smoke", "--db", str(start_db)],
        "big": [py, "-m", "desktop_app", "--smoke", "--db", str(big_db)],
        "python": [py, "-c", "pass"],
        "inspect": [py, "-m", "desktop_app", "inspect", str(ROOT / "tests" / "data" / "natural-resources-2022.docx")],
        "help": [py, "-m", "desktop_app", "--help"],
    }
    envs = {key: env for key in runs}
    if args.compare is not None:
        other = environment(folder, args.compare.resolve())
        other["PYTHONPYCACHEPREFIX"] = str(folder / "pycache-before")
        for key in ("start", "big", "inspect"):
            runs[f"{key}-before"] = runs[key]
            envs[f"{key}-before"] = other
    for key, cmd in runs.items():  # untimed: byte code written, files in the page cache, the day's backup
        timed(cmd, envs[key])
    times: dict[str, list[float]] = {k: [] for k in runs}
    smoke_says: dict[str, list[str]] = {k: [] for k in runs if k.startswith(("start", "big"))}
    for _ in range(args.repeat):
        for key, cmd in runs.items():
            elapsed, out = timed(cmd, envs[key])
            times[key].append(elapsed)
            if key in smoke_says:
                smoke_says[key].append(out.strip().splitlines()[-1] if out.strip() else "")
    med = {k: statistics.median(v) for k, v in times.items()}

    def row(key: str, label: str, base: str = "baseline") -> None:
        runs_s = ", ".join(f"{t:.2f}" for t in times[key])
        print(f"  {label:44s} {med[key]:6.2f} s  = {med[key] / med[base]:5.1f}x {base:8s} (runs: {runs_s})")

    print(f"\nwhole process, median of {args.repeat} (interleaved):")
    print(f"  {'baseline: bare Qt window with a table':44s} {med['baseline']:6.2f} s")
    before = args.compare is not None
    row("start", f"start-up, {args.start_tasks} tasks in the database")
    if before:
        row("start-before", "  the same, before (--compare)")
    row("big", f"open one {args.big_tasks}-task ledger (--smoke)")
    if before:
        row("big-before", "  the same, before (--compare)")
    print(f"  {'python -c pass':44s} {med['python']:6.2f} s")
    row("inspect", "inspect natural-resources-2022.docx", "python")
    if before:
        row("inspect-before", "  the same, before (--compare)", "python")
    row("help", "--help", "python")
    for key, said in smoke_says.items():
        print(f"  smoke says ({key}): {' | '.join(said)}")

    print("\nimports, fresh process with -X importtime (all of them, from interpreter start):")
    for key in ("baseline", "start", "inspect") + (("start-before", "inspect-before") if before else ()):
        modules, total, largest = import_profile(runs[key], envs[key])
        top = ", ".join(f"{n} {s * 1000:.0f}" for s, n in largest)
        print(f"  {key:9s} {modules:5d} modules, {total * 1000:7.0f} ms   (largest, ms: {top})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
