"""The Word report: GB/T 9704 form, landscape table, repeated header, merges, sign block, embedded copy."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from desktop_app.domain.model import ColumnSpec
from desktop_app.domain.serialize import ledger_from_dict, ledger_to_dict
from desktop_app.exporters.common import ReportOptions
from desktop_app.exporters.docx_report import template_path, write_report
from desktop_app.importers.embedded_copy import read_embedded

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
AS_OF = date(2023, 8, 15)


def _opts(**kw) -> ReportOptions:
    base = dict(
        as_of=AS_OF,
        unit="银川市自然资源局",
        filler="张三",
        phone="0951-6012345",
        reviewer="李四",
        head_of_unit="王五",
    )
    base.update(kw)
    return ReportOptions(**base)


@pytest.fixture
def report(tmp_path: Path, ledger) -> Path:
    path = tmp_path / "report.docx"
    write_report(ledger, path, _opts())
    return path


def _part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(name))


def test_template_is_a4_zh_cn_with_east_asian_fonts() -> None:
    styles = _part(template_path(), "word/styles.xml")
    defaults = styles.find(f"{W}docDefaults")
    fonts = defaults.find(f".//{W}rFonts")
    assert fonts.get(f"{W}eastAsia") == "仿宋_GB2312"
    assert not any("Theme" in k for k in fonts.attrib)  # no theme font references
    assert defaults.find(f".//{W}lang").get(f"{W}eastAsia") == "zh-CN"
    with zipfile.ZipFile(template_path()) as z:
        everything = b"".join(z.read(n) for n in z.namelist())
    assert b"ja-JP" not in everything and "明朝".encode() not in everything and b"Mincho" not in everything
    for st in styles.iter(f"{W}style"):
        for rf in st.iter(f"{W}rFonts"):
            assert rf.get(f"{W}eastAsia"), st.get(f"{W}styleId")


def test_page_is_a4_landscape_with_page_number_field(report: Path) -> None:
    doc = _part(report, "word/document.xml")
    sect = doc.find(f"{W}body/{W}sectPr")
    size = sect.find(f"{W}pgSz")
    assert (size.get(f"{W}w"), size.get(f"{W}h"), size.get(f"{W}orient")) == ("16838", "11906", "landscape")
    footer = _part(report, "word/footer1.xml")
    assert [f.get(f"{W}fldCharType") for f in footer.iter(f"{W}fldChar")] == ["begin", "separate", "end"]
    assert "PAGE" in "".join(t.text for t in footer.iter(f"{W}instrText"))
    texts = [t.text for t in footer.iter(f"{W}t")]
    assert texts[0].startswith("—") and texts[-1].endswith("—")


def test_title_and_info_line(report: Path) -> None:
    doc = Document(str(report))
    title = doc.paragraphs[0]
    assert title.text == "银川市2023年政务公开工作要点任务落实台账"
    assert title.style.font.size.pt == 22
    rfonts = title.style.element.find(f".//{W}rFonts")
    assert rfonts.get(f"{W}eastAsia") == "方正小标宋简体"
    assert title.alignment == 1 or title.style.paragraph_format.alignment == 1  # centred
    texts = [p.text for p in doc.paragraphs]
    info = next(t for t in texts if t.startswith("填报单位"))
    assert (
        "填报单位：银川市自然资源局" in info and "填报人：张三" in info and "联系电话：0951-6012345" in info
    )
    assert "填报时间：2023年8月15日" in info
    assert not any("{{" in t for t in texts)


def test_styles_name_east_asian_fonts(report: Path) -> None:
    doc = Document(str(report))
    want = {"Normal": ("仿宋_GB2312", 16), "Heading1": ("黑体", 16), "Heading2": ("楷体_GB2312", 16)}
    for style_id, (font, pt) in want.items():
        st = next(s for s in doc.styles if s.style_id == style_id)
        assert st.element.find(f".//{W}rFonts").get(f"{W}eastAsia") == font
        assert st.font.size.pt == pt
    text = next(s for s in doc.styles if s.style_id == "TableText")
    assert text.element.find(f".//{W}rFonts").get(f"{W}eastAsia") == "仿宋_GB2312"
    assert text.font.size.pt in (10.5, 12)


def test_table_header_repeats_rows_do_not_split(report: Path, ledger) -> None:
    doc = _part(report, "word/document.xml")
    tbl = doc.find(f"{W}body/{W}tbl")
    rows = tbl.findall(f"{W}tr")
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)
    assert sum(r.find(f"{W}trPr/{W}tblHeader") is not None for r in rows) == 1
    header = ["".join(t.text for t in tc.iter(f"{W}t")) for tc in rows[0].findall(f"{W}tc")]
    # the ledger's own columns, 主要内容 spanning item + content as in the source
    assert header == ["序号", "重点工作", "主要内容", "量化指标", "责任单位", "完成时限", "进展落实情况"]
    assert rows[0].findall(f"{W}tc")[2].find(f"{W}tcPr/{W}gridSpan").get(f"{W}val") == "2"
    assert len(tbl.find(f"{W}tblGrid").findall(f"{W}gridCol")) == 8
    # header + 2 section rows + 12 tasks
    assert len(rows) == 1 + 2 + len(ledger.all_tasks())


def _row_texts(tr) -> list[str]:
    out = []
    for tc in tr.findall(f"{W}tc"):
        parts = []
        for r in tc.iter(f"{W}r"):
            for el in r:
                if el.tag == f"{W}t":
                    parts.append(el.text or "")
                elif el.tag == f"{W}br":
                    parts.append("\n")
        out.append("".join(parts))
    return out


def test_sections_progress_and_vertical_merges(report: Path) -> None:
    doc = _part(report, "word/document.xml")
    rows = doc.find(f"{W}body/{W}tbl").findall(f"{W}tr")
    section = rows[1]
    assert len(section.findall(f"{W}tc")) == 1
    assert section.find(f".//{W}gridSpan").get(f"{W}val") == "8"
    assert "".join(t.text for t in section.iter(f"{W}t")) == "一、全环节推进信息公开"
    first = _row_texts(rows[2])
    assert first[0] == "1" and first[1] == "加强保障改善\n民生信息公开"
    assert first[2] == "抓好稳岗就业信息公开" and first[3].startswith("第1项")
    assert first[-1] == "任务1已发布政策解读1篇。"

    def vmerge(tr, i):
        vm = tr.findall(f"{W}tc")[i].find(f"{W}tcPr/{W}vMerge")
        return None if vm is None else (vm.get(f"{W}val") or "continue")

    # key work merged over tasks 1-3, item over tasks 1-2
    assert [vmerge(rows[r], 1) for r in (2, 3, 4, 5)] == ["restart", "continue", "continue", "restart"]
    assert [vmerge(rows[r], 2) for r in (2, 3)] == ["restart", "continue"]
    assert _row_texts(rows[3])[1] == ""  # a continued cell is empty
    # a task without item: one cell over item + content
    third = rows[4].findall(f"{W}tc")
    assert third[2].find(f"{W}tcPr/{W}gridSpan").get(f"{W}val") == "2"
    assert len(third) == 7


def test_progress_as_of_date_overrides(tmp_path: Path, ledger) -> None:
    path = tmp_path / "r.docx"
    write_report(ledger, path, _opts(progress_by_task={1: "截至8月15日：已完成。"}))
    rows = _part(path, "word/document.xml").find(f"{W}body/{W}tbl").findall(f"{W}tr")
    assert _row_texts(rows[2])[-1] == "截至8月15日：已完成。"
    assert _row_texts(rows[3])[-1] == "任务2已发布政策解读2篇。"
    data = read_embedded(path)
    assert data["sections"][0]["tasks"][0]["progress"] == "截至8月15日：已完成。"


def test_sign_block_and_chinese_date(report: Path) -> None:
    texts = [p.text for p in Document(str(report)).paragraphs]
    tail = "\n".join(texts)
    for label in (
        "填报人：",
        "联系电话：",
        "审核人：",
        "单位负责人（签字）：",
        "单位（盖章）：银川市自然资源局",
    ):
        assert label in tail
    assert "李四" in tail and "王五" in tail
    assert texts[-1].strip() == "2023年8月15日"


def test_chosen_columns_and_default_columns(tmp_path: Path, ledger) -> None:
    path = tmp_path / "c.docx"
    cols = [
        ColumnSpec("number", "序号"),
        ColumnSpec("content", "工作任务"),
        ColumnSpec("progress", "推进情况"),
    ]
    write_report(ledger, path, _opts(columns=cols))
    rows = _part(path, "word/document.xml").find(f"{W}body/{W}tbl").findall(f"{W}tr")
    assert _row_texts(rows[0]) == ["序号", "工作任务", "推进情况"]
    ledger.columns = []
    write_report(ledger, path, _opts())
    rows = _part(path, "word/document.xml").find(f"{W}body/{W}tbl").findall(f"{W}tr")
    assert _row_texts(rows[0]) == [
        "序号",
        "重点工作",
        "主要内容",
        "量化指标",
        "责任单位",
        "完成时限",
        "进展落实情况",
    ]


def test_embedded_copy_round_trip(report: Path, ledger) -> None:
    with zipfile.ZipFile(report) as z:
        names = z.namelist()
        rels = z.read("word/_rels/document.xml.rels").decode()
    assert any(re.fullmatch(r"customXml/item\d+\.xml", n) for n in names)
    assert any(re.fullmatch(r"customXml/itemProps\d+\.xml", n) for n in names)
    assert "relationships/customXml" in rels
    data = read_embedded(report)
    assert data is not None
    back, _ = ledger_from_dict(data)
    assert ledger_to_dict(back) == ledger_to_dict(ledger)
    assert back.title == ledger.title and len(back.all_tasks()) == len(ledger.all_tasks())
    assert back.all_tasks()[0].remarks == "内部备注：勿公开"  # the internal edition keeps everything


def test_docx_opens_in_python_docx_and_text_is_escaped(tmp_path: Path, ledger) -> None:
    ledger.all_tasks()[0].progress = "a < b & c > d\x07 “引号”\r\n第二行"
    path = tmp_path / "esc.docx"
    write_report(ledger, path, _opts())
    doc = Document(str(path))
    assert "a < b & c > d “引号”" in doc.tables[0].rows[2].cells[-1].text


def test_no_leftover_temp_files(tmp_path: Path, ledger) -> None:
    write_report(ledger, tmp_path / "a.docx", _opts())
    assert [p.name for p in tmp_path.iterdir()] == ["a.docx"]


def test_city_fixture_report(tmp_path: Path, import_fixture) -> None:
    led = import_fixture("city-2023.docx")
    path = tmp_path / "city.docx"
    write_report(led, path, _opts())
    rows = _part(path, "word/document.xml").find(f"{W}body/{W}tbl").findall(f"{W}tr")
    assert len(rows) == 1 + 4 + 39
    assert any(tc.find(f"{W}tcPr/{W}vMerge") is not None for r in rows for tc in r.findall(f"{W}tc"))
