"""Printing through a real print queue: CUPS with the cups-pdf printer (set up by .ci/run; the fixture adds
the queue when it is missing). The pages that come out: as many as the layout for that paper and orientation
has, each with its glyphs. Their text cannot be read back: cups-pdf turns the job into PostScript and back
through Ghostscript, which keeps the glyphs but not which characters they are (Type 3 fonts, no Unicode),
and it prints a landscape job turned on a portrait sheet."""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import time
from datetime import date
from pathlib import Path

import pytest

from desktop_app.exporters.common import ReportOptions
from desktop_app.exporters.report_layout import PageSpec
from desktop_app.importers import load_any

QUEUE = "LedgerPDF"
CONF = Path("/etc/cups/cups-pdf.conf")
PPDS = [Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd"), Path("/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd")]
DATA = Path(__file__).resolve().parent.parent / "data"
OPTS = ReportOptions(as_of=date(2023, 8, 15), unit="银川市自然资源局", filler="张三", phone="13912345678")


def _running() -> bool:
    run = subprocess.run(["lpstat", "-r"], capture_output=True, text=True)
    return "is running" in run.stdout and "not" not in run.stdout


def _out_dir() -> Path | None:
    """cups-pdf's Out folder for this user (cups-pdf.conf, ${USER} and ${HOME} filled in)."""
    if not CONF.exists():
        return None
    user = pwd.getpwuid(os.getuid())
    for line in CONF.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("Out "):
            return Path(line[4:].strip().replace("${USER}", user.pw_name).replace("${HOME}", user.pw_dir))
    return Path(user.pw_dir) / "PDF"


@pytest.fixture(scope="module")
def queue() -> Path:
    if not shutil.which("lpstat") or not Path("/usr/lib/cups/backend/cups-pdf").exists():
        pytest.skip("CUPS 或 cups-pdf 未安装（.ci/run 会安装 cups 与 printer-driver-cups-pdf）")
    if not _running() and os.geteuid() == 0 and shutil.which("cupsd"):
        subprocess.run(["cupsd"], check=False)
        for _ in range(50):
            if _running():
                break
            time.sleep(0.2)
    if not _running():
        pytest.skip("CUPS 打印服务没有运行")
    listed = subprocess.run(["lpstat", "-p", QUEUE], capture_output=True, text=True)
    if listed.returncode != 0:
        ppd = next((p for p in PPDS if p.exists()), None)
        if ppd is None:
            pytest.skip("找不到 cups-pdf 的 PPD 文件")
        add = subprocess.run(
            ["lpadmin", "-p", QUEUE, "-E", "-v", "cups-pdf:/", "-P", str(ppd)], capture_output=True, text=True
        )
        if add.returncode != 0:
            pytest.skip(f"无法添加打印队列：{add.stderr.strip()}")
    out = _out_dir()
    if out is None:
        pytest.skip("找不到 cups-pdf 的输出目录")
    return out


def _print(job, spec: PageSpec, out: Path, name: str) -> Path:
    """Prints the job on the queue through QPrinter, as the print dialog does; the PDF cups-pdf wrote."""
    from PySide6.QtPrintSupport import QPrinter

    from desktop_app.ui.printing import prepare_printer, print_document

    before = set(out.glob("*.pdf")) if out.exists() else set()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPrinterName(QUEUE)
    printer.setDocName(name)
    assert printer.isValid() and printer.outputFormat() == QPrinter.OutputFormat.NativeFormat
    prepare_printer(printer, spec)
    pages = print_document(job, printer)
    assert pages == len(job.layout(spec).pages)
    del printer  # the job goes to the queue when the printer is done with it
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        new = [p for p in (set(out.glob("*.pdf")) if out.exists() else set()) - before if name[:6] in p.name]
        pending = subprocess.run(["lpstat", "-o", QUEUE], capture_output=True, text=True).stdout.strip()
        if new and not pending:  # the job has left the queue: cups-pdf has finished writing the file
            if subprocess.run(["pdfinfo", str(new[0])], capture_output=True).returncode == 0:
                return new[0]
        time.sleep(0.5)
    raise AssertionError(f"打印队列 {QUEUE} 在 180 秒内没有输出 PDF（{out}）")


def _pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def test_print_through_cups_pdf_a4_landscape_and_portrait(qapp, queue: Path) -> None:
    from desktop_app.ui.printing import build_print_document

    ledger = load_any(DATA / "natural-resources-2022.docx").ledger
    job = build_print_document(ledger, None, None, OPTS)
    stamp = f"{os.getpid() % 100000:05d}"
    wide = _print(job, PageSpec("A4", True), queue, f"L{stamp}landscape")
    tall = _print(job, PageSpec("A4", False), queue, f"P{stamp}portrait")
    assert _pages(wide) == len(job.layout(PageSpec("A4", True)).pages)
    assert _pages(tall) == len(job.layout(PageSpec("A4", False)).pages)
    # a landscape job comes out on the sheet turned: its lines run along the sheet's long side
    # what each sheet carries: the page layout's rules and glyphs (poppler finds the glyphs as words)
    for path in (wide, tall):
        html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True).stdout
        assert html.count("<page ") == _pages(path) and html.count("<word ") > 100 * _pages(path) // 2
