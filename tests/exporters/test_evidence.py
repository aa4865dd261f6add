"""佐证材料包: one folder per task named by its number, the files, an index with sizes and checksums;
a changed or missing file is listed, not packed; written atomically; the index is a valid workbook."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from desktop_app.domain.model import Attachment, Ledger, Section, Task
from desktop_app.exporters.evidence import INDEX_NAME, write_evidence_package


def _ledger() -> Ledger:
    return Ledger(
        title="测试台账",
        sections=[
            Section(
                tasks=[
                    Task(id=1, number="3", content="公开财政预决算：按时公开"),
                    Task(id=2, number="4-1", content="政策解读/回应关切"),
                ]
            )
        ],
    )


def test_folders_files_index_and_problems(tmp_path: Path, ooxml_valid) -> None:
    big = bytes(range(256)) * 9000  # 2.3 MB: packed in chunks, the progress moves
    data = {10: b"screenshot", 11: big, 12: b"tampered", 13: None}
    atts = [
        Attachment(id=10, task_id=1, file_name="公示截图.png", size=10, sha256=hashlib.sha256(b"screenshot").hexdigest()),
        Attachment(id=11, task_id=2, file_name="解读.pdf", size=len(big)),  # added before checksums
        Attachment(id=12, task_id=2, file_name="改过.docx", size=8, sha256="0" * 64),
        Attachment(id=13, task_id=2, file_name="丢了.xlsx", size=5, sha256="1" * 64),
        Attachment(id=14, task_id=1, file_name="政府网站", url="https://www.example.gov.cn/a.html"),
        Attachment(id=15, task_id=99, file_name="别的台账.png", size=1),
    ]
    seen: list[tuple[int, int]] = []
    out = tmp_path / "包.zip"
    result = write_evidence_package(_ledger(), atts, data.get, out, lambda d, t: seen.append((d, t)))
    assert (result.files, result.links) == (2, 1)
    assert [(p.file_name, p.reason) for p in result.problems] == [("改过.docx", "校验值不符"), ("丢了.xlsx", "内容缺失")]
    assert len(seen) > 3 and seen[-1][0] == seen[-1][1] and seen[-2][0] == 10 + len(big)  # chunk by chunk
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
        assert names == {"3_公开财政预决算：按时公开/公示截图.png", "4-1_政策解读回应关切/解读.pdf", INDEX_NAME}
        assert z.read("4-1_政策解读回应关切/解读.pdf") == big
        (tmp_path / "idx.xlsx").write_bytes(z.read(INDEX_NAME))
    ooxml_valid(tmp_path / "idx.xlsx")
    rows = list(load_workbook(tmp_path / "idx.xlsx").active.iter_rows(min_row=3, values_only=True))
    by_name = {r[2]: r for r in rows}
    assert by_name["公示截图.png"][5] == hashlib.sha256(b"screenshot").hexdigest()
    assert by_name["政府网站"][7] == "https://www.example.gov.cn/a.html"
    assert "未打包" in by_name["改过.docx"][7] and "未打包" in by_name["丢了.xlsx"][7]
    assert "未记录校验值" in by_name["解读.pdf"][7]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["idx.xlsx", "包.zip"]  # no temporary file left
