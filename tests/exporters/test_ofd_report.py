"""OFD (GB/T 33190) for the e-seal client: the same pages as the PDF, the real text, the fonts embedded;
read back by an independent reader (easyofd) and by the package's own XML."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

from lxml import etree

from desktop_app.exporters.common import ReportOptions
from desktop_app.exporters.ofd_report import NS, write_ofd
from desktop_app.exporters.report_layout import layout_report
from desktop_app.importers import load_any

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures"
if not FIXTURES.exists():
    FIXTURES = Path("/work/shared/fixtures")
OPTS = ReportOptions(as_of=date(2023, 8, 15), unit="银川市自然资源局", filler="张三", phone="13912345678")
Q = f"{{{NS}}}"

# easyofd in a process of its own: it registers fonts with reportlab and warns on import
READ_BACK = r"""
import json, sys, warnings
warnings.simplefilter("ignore")
from easyofd import OFD
ofd = OFD()
ofd.read(open(sys.argv[1], "rb").read(), fmt="binary")
doc = ofd.data[0]
texts = [[t["text"] for t in doc["page_info"][k]["text_list"]] for k in doc["page_info"]]
print("@@" + json.dumps({"pages": len(doc["page_info"]), "fonts": len(doc["fonts"]), "texts": texts}))
"""


def _read_back(path: Path) -> dict:
    run = subprocess.run(
        [sys.executable, "-c", READ_BACK, str(path)], capture_output=True, text=True, timeout=600,
        env={**os.environ, "LOGURU_LEVEL": "ERROR"},
    )
    assert run.returncode == 0, run.stderr[-2000:]
    line = next(x for x in run.stdout.splitlines() if x.startswith("@@"))
    return json.loads(line[2:])


def test_ofd_holds_the_report_pages_text_and_fonts(tmp_path: Path) -> None:
    ledger = load_any(FIXTURES / "natural-resources-2022.docx").ledger
    path = tmp_path / "报送.ofd"
    pages = write_ofd(ledger, path, OPTS)
    assert pages == len(layout_report(ledger, OPTS).pages) > 1  # the same pages as the PDF

    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        assert names[0] == "OFD.xml"
        root = etree.fromstring(z.read("OFD.xml"))
        assert root.get("DocType") == "OFD" and root.findtext(f".//{Q}DocRoot") == "Doc_0/Document.xml"
        assert root.findtext(f".//{Q}Title") == ledger.title
        doc = etree.fromstring(z.read("Doc_0/Document.xml"))
        listed = [p.get("BaseLoc") for p in doc.iter(f"{Q}Page")]
        assert len(listed) == pages and all(f"Doc_0/{loc}" in names for loc in listed)
        assert doc.findtext(f".//{Q}PhysicalBox") == "0 0 297 210"  # A4 landscape, in millimetres
        res = etree.fromstring(z.read("Doc_0/PublicRes.xml"))
        fonts = list(res.iter(f"{Q}Font"))
        assert fonts and all(f"Doc_0/Res/{f.findtext(f'{Q}FontFile')}" in names for f in fonts)
        for f in fonts:  # embedded as TrueType subsets, small
            data = z.read(f"Doc_0/Res/{f.findtext(f'{Q}FontFile')}")
            assert data[:4] == b"\x00\x01\x00\x00" and len(data) < 2_000_000
        ids = [int(e.get("ID")) for name in names if name.endswith("Content.xml")
               for e in etree.fromstring(z.read(name)).iter() if e.get("ID")]
        assert len(ids) == len(set(ids)) and max(ids) <= int(doc.findtext(f".//{Q}MaxUnitID"))

    back = _read_back(path)  # an independent OFD reader
    assert back["pages"] == pages and back["fonts"] == len(fonts)
    flat = re.sub(r"\s+", "", "".join(t for page in back["texts"] for t in page))
    for task in ledger.all_tasks():
        assert re.sub(r"\s+", "", task.content)[:20] in flat, task.number
    assert "填报单位（盖章）：银川市自然资源局" in "".join(back["texts"][-1])
    assert not re.search("[\u2f00-\u2fdf]", flat)


def test_export_service_and_cli_write_ofd(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    db = tmp_path / "l.sqlite3"
    env = {**os.environ, "PYTHONPATH": str(root)}
    imp = subprocess.run(
        [sys.executable, "-m", "desktop_app", "import", str(FIXTURES / "natural-resources-2022.docx"), "--db", str(db)],
        capture_output=True, text=True, env=env, timeout=240,
    )
    assert imp.returncode == 0, imp.stderr
    out = tmp_path / "盖章版"
    run = subprocess.run(
        [sys.executable, "-m", "desktop_app", "export", "1", "--db", str(db), "--format", "ofd", "-o", str(out)],
        capture_output=True, text=True, env=env, timeout=240,
    )
    assert run.returncode == 0, run.stderr
    written = tmp_path / "盖章版.ofd"
    with zipfile.ZipFile(written) as z:
        text = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith("Content.xml"))
    assert "推进情况" in text and "填报单位（盖章）" in text
