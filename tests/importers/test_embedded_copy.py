"""Reading back the ledger copy embedded in our .docx/.xlsx reports, safely."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

from desktop_app.domain.model import Ledger, Section, Task
from desktop_app.domain.serialize import ledger_from_dict, ledger_to_dict
from desktop_app.exporters.common import ReportOptions
from desktop_app.exporters.docx_report import write_report
from desktop_app.exporters.xlsx_export import write_xlsx
from desktop_app.importers.embedded_copy import read_embedded

DATA = Path(__file__).resolve().parent.parent / "data"


def _ledger() -> Ledger:
    return Ledger(
        title="测试台账",
        owner_unit="市自然资源局",
        sections=[
            Section(title="一、板块", tasks=[Task(number="1", content="内容 <&> ]]>", progress="进展\n两行")])
        ],
    )


def test_round_trip_docx_and_xlsx(tmp_path: Path) -> None:
    led = _ledger()
    for name, write in (("a.docx", write_report), ("a.xlsx", write_xlsx)):
        path = tmp_path / name
        write(led, path, ReportOptions(as_of=date(2023, 8, 15)))
        back, _ = ledger_from_dict(read_embedded(path))
        assert ledger_to_dict(back) == ledger_to_dict(led)


def test_files_without_a_copy(tmp_path: Path) -> None:
    assert read_embedded(DATA / "city-2023.docx") is None  # has a customXml part, but not ours
    assert read_embedded(DATA / "natural-resources-2022.xlsx") is None
    junk = tmp_path / "junk.docx"
    junk.write_bytes(b"PK not really")
    assert read_embedded(junk) is None
    assert read_embedded(tmp_path / "missing.docx") is None


def test_oversized_part_is_refused(tmp_path: Path, monkeypatch) -> None:
    from desktop_app.importers import embedded_copy

    good = tmp_path / "good.docx"
    write_report(_ledger(), good, ReportOptions(as_of=date(2023, 8, 15)))
    monkeypatch.setattr(embedded_copy, "MAX_PART", 1024 * 1024)
    assert read_embedded(good) is not None
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "<x/>")
        z.writestr(
            "customXml/item1.xml",
            b"<ledger xmlns='urn:desktop_app:ledger:1'>" + b'{"sections": []}' + b" " * (8 * 1024 * 1024),
        )
    assert read_embedded(bomb) is None
