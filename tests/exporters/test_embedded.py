"""The embedded copy records, per task, the hashes of the cells its row shows (as the readers read them)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

from desktop_app.domain.fingerprint import row_hashes
from desktop_app.exporters.common import ReportOptions
from desktop_app.exporters.docx_report import write_report
from desktop_app.exporters.fill_back import fill_back
from desktop_app.exporters.xlsx_export import write_xlsx
from desktop_app.importers import load_any
from desktop_app.importers.embedded_copy import read_embedded

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "importers"))
from reimport_edit import validate  # noqa: E402

OPTS = ReportOptions(as_of=date(2023, 8, 15), unit="银川市自然资源局")


def _copy_hashes(path: Path) -> list[list[str] | None]:
    data = read_embedded(path)
    assert data is not None and data["visible_format"] == 1
    return [t.get("visible") for s in data["sections"] for t in s["tasks"]]


def _read_hashes(path: Path) -> list[list[str]]:
    rows = load_any(path, overrides={}).visible_rows  # the visible table only
    return [row_hashes([(c.text, c.key) for c in row]) for section in rows for row, _fields in section]


@pytest.mark.parametrize("public", [False, True])
@pytest.mark.parametrize("write", [write_report, write_xlsx], ids=["docx", "xlsx"])
def test_hashes_are_what_the_reader_reads_back(tmp_path: Path, ledger, write, public: bool) -> None:
    path = tmp_path / ("r.docx" if write is write_report else "r.xlsx")
    write(ledger, path, ReportOptions(as_of=OPTS.as_of, unit=OPTS.unit, public=public))
    validate(path)
    assert _copy_hashes(path) == _read_hashes(path)
    assert load_any(path).changes == []


@pytest.mark.parametrize("name", ["city-2023.docx", "natural-resources-2022.docx"])
def test_fill_back_hashes_are_what_the_reader_reads_back(tmp_path: Path, import_fixture, name: str) -> None:
    ledger = import_fixture(name)
    for i, t in enumerate(ledger.all_tasks()):
        t.progress = f"第{i + 1}项进展\n第二行" if i % 3 else ""
    out = tmp_path / name
    fill_back(ledger, out, OPTS)
    validate(out)
    assert _copy_hashes(out) == _read_hashes(out)
