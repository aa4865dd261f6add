"""The command line on our own report edited in Word: inspect and import list the edited tasks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from desktop_app.cli import main


def test_inspect_and_import_list_the_tasks_edited_in_word(tmp_path: Path, data_dir: Path, capsys) -> None:
    import zipfile

    from desktop_app.exporters.common import ReportOptions
    from desktop_app.exporters.docx_report import write_report
    from desktop_app.importers import load_any

    ledger = load_any(data_dir / "natural-resources-2022.docx").ledger
    ledger.all_tasks()[2].progress = "程序中的进展"
    exported = tmp_path / "报告.docx"
    write_report(ledger, exported, ReportOptions())
    edited = tmp_path / "报告-改.docx"
    with zipfile.ZipFile(exported) as z, zipfile.ZipFile(edited, "w") as out:
        for info in z.infolist():
            data = z.read(info)
            if info.filename == "word/document.xml":
                data = data.replace("程序中的进展".encode(), "在Word中改写的进展".encode())
            out.writestr(info.filename, data)
    check = subprocess.run(
        [sys.executable, os.environ["OOXML_VALIDATOR"], str(exported), str(edited)],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout
    number = ledger.all_tasks()[2].number

    assert main(["inspect", str(edited)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["source_kind"] == "embedded"
    assert data["changes"] == [
        {
            "kind": "changed",
            "number": number,
            "fields": ["推进情况"],
            "text": f"第{number}项：推进情况 已在文件中修改",
        }
    ]
    assert data["sections"][0]["tasks"][2]["progress"] == "在Word中改写的进展"

    assert main(["import", str(edited), "--db", str(tmp_path / "a.sqlite3")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "1 项任务在文件中有改动，已按文件内容导入："
    assert lines[1].strip() == f"第{number}项：推进情况 已在文件中修改"
    assert lines[-1].startswith("已导入") and lines[-1].split()[-1].isdigit()
