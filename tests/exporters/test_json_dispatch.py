"""JSON export and the one dispatcher."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from desktop_app.domain.model import ProgressEntry
from desktop_app.domain.serialize import ledger_from_dict, ledger_to_dict
from desktop_app.exporters import ExportFailed, ReportOptions, export_ledger
from desktop_app.exporters.json_export import write_json


def test_write_json_readable_chinese_and_history(tmp_path: Path, ledger) -> None:
    path = tmp_path / "l.json"
    write_json(ledger, path, history={1: [ProgressEntry(entry_date=date(2023, 7, 1), text="七月进展")]})
    text = path.read_text(encoding="utf-8")
    assert "银川市2023年政务公开工作要点任务落实台账" in text and "\\u" not in text
    assert text.startswith('{\n  "format"')
    data = json.loads(text)
    assert data["sections"][0]["tasks"][0]["history"][0]["text"] == "七月进展"
    back, hist = ledger_from_dict(data)
    assert back.title == ledger.title and hist[0][0][0].text == "七月进展"


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "json"])
def test_dispatch_writes_each_format(tmp_path: Path, ledger, fmt: str) -> None:
    path = tmp_path / f"out.{fmt}"
    export_ledger(ledger, fmt, path, ReportOptions(as_of=date(2023, 8, 15)))
    assert path.stat().st_size > 0


def test_dispatch_json_uses_progress_as_of(tmp_path: Path, ledger) -> None:
    path = tmp_path / "p.json"
    export_ledger(ledger, "json", path, ReportOptions(progress_by_task={1: "旧进展"}))
    assert json.loads(path.read_text("utf-8"))["sections"][0]["tasks"][0]["progress"] == "旧进展"
    assert ledger.all_tasks()[0].progress == "任务1已发布政策解读1篇。"
    assert ledger_to_dict(ledger)["sections"][0]["tasks"][0]["progress"] == "任务1已发布政策解读1篇。"


def test_dispatch_refuses_unknown_and_fill_back_outside_docx(tmp_path: Path, ledger) -> None:
    with pytest.raises(ExportFailed, match="不支持"):
        export_ledger(ledger, "odt", tmp_path / "x.odt", ReportOptions())
    with pytest.raises(ExportFailed, match="按原表填报"):
        export_ledger(ledger, "xlsx", tmp_path / "x.xlsx", ReportOptions(), fill_back=True)


def test_write_to_a_missing_folder_is_created_and_errors_are_chinese(tmp_path: Path, ledger) -> None:
    export_ledger(ledger, "json", tmp_path / "new" / "l.json", ReportOptions())
    assert (tmp_path / "new" / "l.json").exists()
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ExportFailed) as exc:
        export_ledger(ledger, "json", blocker / "l.json", ReportOptions())
    assert "无法写入" in exc.value.message


def test_written_file_has_ordinary_permissions(tmp_path: Path, ledger) -> None:
    import os
    import stat

    path = tmp_path / "perm.json"
    export_ledger(ledger, "json", path, ReportOptions())
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
