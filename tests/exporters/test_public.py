"""The public edition: personal data masked everywhere in the file, internal fields left out."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import pytest

from desktop_app.domain.privacy import find_personal_data
from desktop_app.exporters.common import ReportOptions
from desktop_app.exporters.dispatch import export_ledger
from desktop_app.exporters.public import apply_decisions, mask_all, scan_ledger
from desktop_app.importers.embedded_copy import read_embedded

GOOD_ID = "11010519491231002X"  # as in conftest.personal_ledger
MOBILE = "13912345678"

SECRETS = (
    GOOD_ID,
    MOBILE,
    "1234 5678",
    "A12345",
    "zhang.san@example.com",
    "内部备注",
    "李四",
    "王五",
    "张三",
)


def _opts(**kw) -> ReportOptions:
    return ReportOptions(
        as_of=date(2023, 8, 15),
        unit="银川市自然资源局",
        filler="张三",
        phone="13800001111",
        reviewer="李四",
        head_of_unit="王五",
        public=True,
        **kw,
    )


def _all_xml_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "\n".join(
            z.read(n).decode("utf-8", "replace") for n in z.namelist() if not n.endswith((".jpeg", ".png"))
        )


def test_scan_finds_each_hit_with_place_and_context(personal_ledger) -> None:
    findings = scan_ledger(personal_ledger)
    kinds = {(f.task_index, f.field, f.hit.kind.value) for f in findings}
    assert (0, "progress", "id_number") in kinds
    assert (0, "progress", "mobile") in kinds
    assert (1, "content", "plate") in kinds
    assert (2, "extra:联系人", "mobile") in kinds
    assert (3, "indicator", "email") in kinds
    f = next(f for f in findings if f.hit.kind.value == "id_number")
    assert GOOD_ID in f.context and f.section_index == 0 and len({x.key for x in findings}) == len(findings)


def test_decisions_keep_or_mask(personal_ledger) -> None:
    findings = scan_ledger(personal_ledger)
    keep = next(f for f in findings if f.hit.kind.value == "mobile" and f.field == "progress")
    out = apply_decisions(personal_ledger, {keep.key: False}, findings=findings)
    progress = out.all_tasks()[0].progress
    assert MOBILE in progress and GOOD_ID not in progress and "110105********002X" in progress
    assert personal_ledger.all_tasks()[0].progress.count(GOOD_ID) == 1  # the original is untouched
    assert out.all_tasks()[0].remarks == "" and out.source_file is None


def test_mask_all_leaves_no_certain_hit(personal_ledger) -> None:
    out = mask_all(personal_ledger, {1: f"新进展：电话{MOBILE}"})
    assert out.all_tasks()[0].progress == "新进展：电话139****5678"
    assert scan_ledger(out) == []


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "json"])
def test_public_file_holds_no_personal_data_anywhere(tmp_path: Path, personal_ledger, fmt: str) -> None:
    path = tmp_path / f"public.{fmt}"
    export_ledger(personal_ledger, fmt, path, _opts(progress_by_task={2: f"进展，联系{MOBILE}"}))
    text = path.read_text(encoding="utf-8") if fmt == "json" else _all_xml_text(path)
    for secret in SECRETS:
        assert secret not in text, secret
    assert "13800001111" not in text  # the filler's phone is not in the public edition
    assert not [h for h in find_personal_data(re.sub(r"<[^>]+>", " ", text)) if h.certain]
    if fmt != "json":
        data = read_embedded(path)
        assert data is not None
        tasks = data["sections"][0]["tasks"]
        assert tasks[0]["progress"].startswith("已向申请人（身份证号110105********002X）")
        assert tasks[1]["progress"] == "进展，联系139****5678"
        assert all(t["remarks"] == "" and t["extra"] == {} for t in tasks)


def test_public_docx_has_no_sign_names_and_no_remark_column(tmp_path: Path, personal_ledger) -> None:
    from docx import Document

    personal_ledger.columns.append(personal_ledger.columns[0].__class__("remarks", "备注"))
    path = tmp_path / "p.docx"
    export_ledger(personal_ledger, "docx", path, _opts())
    doc = Document(str(path))
    texts = "\n".join(p.text for p in doc.paragraphs)
    assert "审核人" not in texts and "单位负责人" not in texts
    assert "填报单位：银川市自然资源局" in texts and "2023年8月15日" in texts
    header = [c.text for c in doc.tables[0].rows[0].cells]
    assert "备注" not in header
