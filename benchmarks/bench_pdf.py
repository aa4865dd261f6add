"""PDF export speed: 4,000 tasks against 1,000 (goal <= 5x: linear), the new exporters.pdf_report, and for
the record the old Qt text-document path at the small size (it is quadratic: 10,000 tasks took 353 s).

Run: python benchmarks/bench_pdf.py [small] [--qt]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_report import make_ledger  # noqa: E402

from desktop_app.exporters.common import ReportOptions  # noqa: E402
from desktop_app.exporters.pdf_report import write_pdf  # noqa: E402


def timed(fn) -> float:  # noqa: ANN001
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    small = int(args[0]) if args else 1000
    big = small * 4
    opts = ReportOptions(unit="银川市某局", filler="张三", phone="0951-1234567")
    with tempfile.TemporaryDirectory() as tmp:
        write_pdf(make_ledger(10), Path(tmp) / "warm.pdf", opts)  # fonts read once per process
        ledger_small, ledger_big = make_ledger(small), make_ledger(big)
        pages: dict[int, int] = {}
        t_small = timed(lambda: pages.__setitem__(small, write_pdf(ledger_small, Path(tmp) / "s.pdf", opts)))
        t_big = timed(lambda: pages.__setitem__(big, write_pdf(ledger_big, Path(tmp) / "b.pdf", opts)))
        print(f"pdf_report {small} tasks: {t_small:.2f} s, {pages[small]} pages")
        print(f"pdf_report {big} tasks: {t_big:.2f} s, {pages[big]} pages")
        print(f"ratio {big}/{small}: {t_big / t_small:.2f}x (goal <= 5x)")
        if "--qt" in sys.argv:
            from desktop_app.ui.printing import build_print_document, ensure_gui_app, print_to_pdf

            ensure_gui_app()
            t_qt = timed(lambda: print_to_pdf(build_print_document(ledger_small, None, None, opts), Path(tmp) / "q.pdf"))
            print(f"old Qt text document {small} tasks: {t_qt:.2f} s")


if __name__ == "__main__":
    main()
