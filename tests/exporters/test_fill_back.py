"""按原表填报: progress written into the city office's own document, nothing else changed."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from desktop_app.domain.model import Ledger, Section, Task
from desktop_app.exporters.common import ReportOptions
from desktop_app.exporters.errors import ExportFailed
from desktop_app.exporters.fill_back import fill_back
from desktop_app.importers.embedded_copy import read_embedded

DATA = Path(__file__).resolve().parent.parent / "data"

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OPTS = ReportOptions(
    as_of=date(2023, 8, 15),
    made_on=date(2023, 8, 15),
    unit="银川市自然资源局",
    filler="张三",
    phone="0951-6012345",
)


def _cells(path: Path) -> list[list[str]]:
    """Text of every cell of every table, in document order."""
    with zipfile.ZipFile(path) as z:
        doc = etree.fromstring(z.read("word/document.xml"))
    out = []
    for tr in doc.iter(f"{W}tr"):
        out.append(
            [
                "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in tc.iter(f"{W}p"))
                for tc in tr.iter(f"{W}tc")
            ]
        )
    return out


def _paragraphs(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        doc = etree.fromstring(z.read("word/document.xml"))
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in doc.find(f"{W}body").findall(f"{W}p")]


def _progress_col(rows: list[list[str]]) -> int:
    return next(i for i, h in enumerate(rows[0]) if h in ("推进情况", "进展落实情况"))


@pytest.mark.parametrize("name", ["natural-resources-2022.docx", "city-2023.docx"])
def test_fill_back_writes_progress_only(tmp_path: Path, import_fixture, name: str) -> None:
    ledger = import_fixture(name)
    tasks = ledger.all_tasks()
    for i, t in enumerate(tasks):
        t.progress = f"【{t.number}】已完成第{i + 1}项。" if i % 2 == 0 else ""
    tasks[0].progress = "第一行\n第二行"
    out = tmp_path / name
    result = fill_back(ledger, out, OPTS)
    assert result.unmatched == []
    assert result.filled == sum(1 for t in tasks if t.progress)

    before, after = _cells(DATA / name), _cells(out)
    assert len(before) == len(after)
    assert _progress_col(before) == len(before[0]) - 1  # progress is the last column in both forms
    written = []
    for b, a in zip(before, after, strict=True):
        assert len(b) == len(a)
        for ci, (x, y) in enumerate(zip(b, a, strict=True)):
            if ci == len(b) - 1 and x == "" and y:
                written.append(y)
            else:
                assert x == y  # every other cell as the city office made it
    # in document order, each task's progress in its own row
    assert written[0] == "第一行第二行" or written[0].replace("\n", "") == "第一行第二行"
    assert written[1:] == [t.progress for t in tasks[1:] if t.progress]

    # other parts of the package untouched, byte for byte
    with zipfile.ZipFile(DATA / name) as z1, zipfile.ZipFile(out) as z2:
        for n in z1.namelist():
            # the identity: docProps/custom.xml and its relationship (tests/exporters/test_identity.py)
            changed = ("word/document.xml", "[Content_Types].xml", "word/_rels/document.xml.rels", "_rels/.rels")
            if n not in (*changed, "docProps/custom.xml"):
                assert z1.read(n) == z2.read(n), n
    assert read_embedded(out) is not None


def test_fill_line_keeps_layout(tmp_path: Path, import_fixture) -> None:
    ledger = import_fixture("natural-resources-2022.docx")
    out = tmp_path / "nr.docx"
    fill_back(ledger, out, OPTS)
    before = next(p for p in _paragraphs(DATA / "natural-resources-2022.docx") if p.startswith("填报单位"))
    after = next(p for p in _paragraphs(out) if p.startswith("填报单位"))
    assert after.startswith("填报单位：银川市自然资源局\u3000")
    assert after.endswith("填报时间：2023年8月15日")
    # 填报时间 stays where it was: the unit name took the place of as many full-width spaces
    assert after.index("填报时间") == before.index("填报时间")


def test_number_matching_when_content_differs(tmp_path: Path, import_fixture) -> None:
    ledger = import_fixture("natural-resources-2022.docx")
    for t in ledger.all_tasks():
        t.content = "（已改写）" + t.content  # the user edited the wording: match by number "5-2"
    target = next(t for t in ledger.all_tasks() if t.number == "5-2")
    target.progress = "五之二的进展"
    fill_back(ledger, tmp_path / "n.docx", OPTS)
    rows = _cells(tmp_path / "n.docx")
    hit = [i for i, r in enumerate(rows) if r[-1] == "五之二的进展"]
    assert len(hit) == 1
    assert rows[hit[0] - 1][0] == "5"  # the row after the one numbered 5 (its number cell is merged)


def test_fill_back_without_docx_source_fails_in_chinese(tmp_path: Path) -> None:
    ledger = Ledger(title="某台账", sections=[Section(tasks=[Task(number="1", content="x")])])
    with pytest.raises(ExportFailed) as exc:
        fill_back(ledger, tmp_path / "x.docx", OPTS)
    assert "无法按原表填报" in exc.value.message
    ledger.source_file = b"not a zip"
    with pytest.raises(ExportFailed):
        fill_back(ledger, tmp_path / "x.docx", OPTS)


def test_fill_back_with_hand_built_ledger(tmp_path: Path) -> None:
    """Without the importer: a ledger built by hand from the document's own rows."""
    source = (DATA / "natural-resources-2022.docx").read_bytes()
    rows = _cells(DATA / "natural-resources-2022.docx")[1:]
    tasks = []
    last = ""
    for r in rows:
        last = r[0] or last
        tasks.append(Task(number=last, content=r[2], progress=f"进展{len(tasks) + 1}"))
    ledger = Ledger(title="台账", source_name="nr.docx", source_file=source, sections=[Section(tasks=tasks)])
    result = fill_back(ledger, tmp_path / "h.docx", OPTS)
    assert result.filled == len(tasks)
    out = _cells(tmp_path / "h.docx")[1:]
    assert [r[5] for r in out] == [f"进展{i + 1}" for i in range(len(tasks))]
