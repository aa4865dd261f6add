"""The Word report: GB/T 9704 form, landscape table, repeated header, merges, sign block, embedded copy."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
import rendered
from docx import Document
from lxml import etree

from desktop_app.domain.model import ColumnSpec, Ledger, ProgressEntry, Section, Task, TaskStatus
from desktop_app.domain.serialize import ledger_from_dict, ledger_to_dict
from desktop_app.exporters.common import GBT9704_LANDSCAPE, ReportOptions, column_widths, lines_needed
from desktop_app.exporters.docx_report import template_path, write_report
from desktop_app.importers.embedded_copy import read_embedded

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
AS_OF = date(2023, 8, 15)


def _opts(**kw) -> ReportOptions:
    base = dict(
        as_of=AS_OF,
        made_on=AS_OF,
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


def test_page_is_gbt9704_landscape_with_page_numbers_outside(report: Path) -> None:
    doc = _part(report, "word/document.xml")
    sect = doc.find(f"{W}body/{W}sectPr")
    size = sect.find(f"{W}pgSz")
    assert (size.get(f"{W}w"), size.get(f"{W}h"), size.get(f"{W}orient")) == ("16838", "11906", "landscape")
    mar = {k.split("}")[1]: int(v) for k, v in sect.find(f"{W}pgMar").attrib.items()}
    mm = 1440 / 25.4
    # GB/T 9704 turned sideways: the 225 mm line across, 156 mm down; 28 mm and 37 mm on the two edges
    assert round((16838 - mar["left"] - mar["right"]) / mm) == 225
    assert round((11906 - mar["top"] - mar["bottom"]) / mm) == 156
    assert (round(mar["top"] / mm), round(mar["left"] / mm)) == (28, 37)
    tbl_w = int(doc.find(f"{W}body/{W}tbl/{W}tblPr/{W}tblW").get(f"{W}w"))
    assert abs(tbl_w - (16838 - mar["left"] - mar["right"])) <= 2  # the table fills the type area
    refs = {r.get(f"{W}type"): r.get(f"{R}id") for r in sect.findall(f"{W}footerReference")}
    assert set(refs) == {"default", "even"}
    settings = _part(report, "word/settings.xml")
    assert settings.find(f"{W}evenAndOddHeaders") is not None
    rels = {r.get("Id"): r.get("Target") for r in _part(report, "word/_rels/document.xml.rels")}
    for kind, side in (("default", "right"), ("even", "left")):  # odd pages right, even pages left
        footer = _part(report, "word/" + rels[refs[kind]])
        assert footer.find(f".//{W}pPr/{W}jc").get(f"{W}val") == side
        assert [f.get(f"{W}fldCharType") for f in footer.iter(f"{W}fldChar")] == ["begin", "separate", "end"]
        assert "PAGE" in "".join(t.text for t in footer.iter(f"{W}instrText"))
        texts = [t.text for t in footer.iter(f"{W}t")]
        assert texts[0] == "— " and texts[-1] == " —"


def test_title_and_info_line(report: Path) -> None:
    doc = Document(str(report))
    title = doc.paragraphs[0]
    assert title.text == "银川市2023年政务公开工作要点任务落实台账"
    assert title.style.font.size.pt == 22
    rfonts = title.style.element.find(f".//{W}rFonts")
    assert rfonts.get(f"{W}eastAsia") == "方正小标宋简体"
    assert title.alignment == 1 or title.style.paragraph_format.alignment == 1  # centred
    texts = [p.text for p in doc.paragraphs]
    assert texts[1] == "（2023年度\u3000截至2023年8月15日）"  # the subtitle: the year and the report date
    info = next(t for t in texts if t.startswith("填报单位"))
    assert info == "填报单位：银川市自然资源局\u3000\u3000填报时间：2023年8月15日"
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
    # header + 2 section rows + 12 tasks + the block to sign
    assert len(rows) == 1 + 2 + len(ledger.all_tasks()) + 1


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


def _sign_paragraphs(path: Path) -> list:
    """The block to sign and seal: the last row of the report's table."""
    rows = _part(path, "word/document.xml").find(f"{W}body/{W}tbl").findall(f"{W}tr")
    return rows[-1].findall(f"{W}tc/{W}p")


def test_sign_block_leaves_the_lines_to_sign_blank(report: Path) -> None:
    paras = _sign_paragraphs(report)
    texts = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in paras]
    tail = "\n".join(texts)
    for label in ("填报人（签字）：", "联系电话：0951-6012345", "审核人（签字）：", "单位负责人（签字）："):
        assert label in tail
    assert "填报单位（盖章）：银川市自然资源局" in tail
    assert texts[-1] == "2023年8月15日"
    for name in ("张三", "李四", "王五"):  # each printed name stands apart, after its line
        assert f"（姓名：{name}）" in tail
    # the lines to sign on: underlined runs holding nothing but spaces, one per signature
    blanks = [r for p in paras for r in p.iter(f"{W}r") if r.find(f"{W}rPr/{W}u") is not None]
    assert len(blanks) == 3
    assert all("".join(t.text for t in r.iter(f"{W}t")).strip("\u3000 ") == "" for r in blanks)
    assert all(len("".join(t.text for t in r.iter(f"{W}t"))) >= 5 for r in blanks)
    # no name printed on a signing line: the name follows the blank in a run of its own
    for p, text in zip(paras, texts, strict=True):
        for name in ("张三", "李四", "王五"):
            if name in text:
                runs = list(p.iter(f"{W}r"))
                at = next(i for i, r in enumerate(runs) if name in "".join(t.text for t in r.iter(f"{W}t")))
                assert runs[at].find(f"{W}rPr/{W}u") is None and runs[at - 1].find(f"{W}rPr/{W}u") is not None


def test_sign_block_without_names_and_in_the_public_edition(tmp_path: Path, ledger) -> None:
    path = tmp_path / "blank.docx"
    write_report(ledger, path, _opts(filler="", reviewer="", head_of_unit=""))
    tail = "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in _sign_paragraphs(path))
    assert "单位负责人（签字）：" in tail and "姓名" not in tail
    public = tmp_path / "public.docx"
    write_report(ledger, public, _opts(public=True))
    tail = "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in _sign_paragraphs(public))
    assert "填报单位（盖章）：银川市自然资源局" in tail
    assert not any(n in tail for n in ("张三", "李四", "王五", "0951"))


def test_seal_block_is_part_of_the_table_chained_to_the_last_rows(report: Path) -> None:
    rows = _part(report, "word/document.xml").find(f"{W}body/{W}tbl").findall(f"{W}tr")
    seal, last = rows[-1], rows[-2]
    assert all(p.find(f"{W}pPr/{W}keepNext") is not None for p in last.iter(f"{W}p"))
    assert seal.find(f"{W}trPr/{W}cantSplit") is not None
    (tc,) = seal.findall(f"{W}tc")
    assert tc.find(f"{W}tcPr/{W}gridSpan").get(f"{W}val") == "8"
    borders = tc.find(f"{W}tcPr/{W}tcBorders")
    assert {b.tag.split("}")[1] for b in borders if b.get(f"{W}val") == "nil"} >= {"left", "bottom", "right"}
    assert borders.find(f"{W}top") is None  # the line under the last row stays


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
    assert len(rows) == 1 + 4 + 39 + 1  # and the block to sign
    assert any(tc.find(f"{W}tcPr/{W}vMerge") is not None for r in rows for tc in r.findall(f"{W}tc"))


# --- layout: widths, rows across pages, row groups, rendering ------------------------------------------


def _grid(path: Path) -> list[int]:
    tbl = _part(path, "word/document.xml").find(f"{W}body/{W}tbl")
    return [int(g.get(f"{W}w")) for g in tbl.find(f"{W}tblGrid").findall(f"{W}gridCol")]


def _simple(n: int, **fields) -> Ledger:
    led = Ledger(
        title="某局2023年政务公开工作要点任务落实台账", year=2023, owner_unit="某局", columns=list(SIMPLE)
    )
    section = Section(title=None)
    for i in range(n):
        values = {k: (v(i) if callable(v) else v) for k, v in fields.items()}
        section.tasks.append(Task(id=i + 1, number=str(i + 1), position=i, **values))
    led.sections.append(section)
    return led


SIMPLE = (
    ColumnSpec("number", "序号"),
    ColumnSpec("key_work", "重点工作"),
    ColumnSpec("content", "主要内容"),
    ColumnSpec("indicator", "量化指标"),
    ColumnSpec("progress", "推进情况"),
)


def test_column_widths_follow_the_measured_text(tmp_path: Path) -> None:
    long_text = "推进政务公开标准化规范化建设，" * 6
    path = tmp_path / "w.docx"
    write_report(_simple(12, content=long_text, indicator="查看发布情况", progress="已完成"), path, _opts())
    grid = _grid(path)
    number, key_work, content, indicator, progress = grid
    assert content > 2 * indicator and content > 2 * progress  # the long text gets the room
    assert number < key_work  # a number needs little
    tbl = _part(path, "word/document.xml").find(f"{W}body/{W}tbl")
    assert sum(grid) == int(tbl.find(f"{W}tblPr/{W}tblW").get(f"{W}w"))
    # the other way round, the other column grows
    write_report(_simple(12, content="发布信息", indicator=long_text, progress="已完成"), path, _opts())
    grid = _grid(path)
    assert grid[3] > 2 * grid[2]


def test_cjk_counts_full_width_ascii_half() -> None:
    cols = [ColumnSpec("content", "甲"), ColumnSpec("indicator", "乙")]
    rows = [["政" * 40, "a" * 40] for _ in range(10)]
    widths = column_widths(cols, rows, [(i, i + 1) for i in range(10)], 400.0, GBT9704_LANDSCAPE)
    assert widths[0] > 1.5 * widths[1]
    assert lines_needed("政" * 20, 10) == 2 and lines_needed("a" * 20, 10) == 1
    assert lines_needed("2022年11月", 5) == 1 and lines_needed("2022年11月", 4) == 2
    assert lines_needed("第一行\n第二行", 10) == 2


def test_short_rows_never_split_a_row_taller_than_a_page_may(tmp_path: Path) -> None:
    path = tmp_path / "tall.docx"
    huge = "在门户网站发布政策解读材料并持续更新。" * 160
    led = _simple(3, content=lambda i: huge if i == 1 else "发布信息", key_work=lambda i: f"工作{i}")
    write_report(led, path, _opts())
    rows = _part(path, "word/document.xml").find(f"{W}body/{W}tbl").findall(f"{W}tr")
    can_split = [r.find(f"{W}trPr/{W}cantSplit") is None for r in rows]
    # header, short, a row no page can hold, short, the block to sign
    assert can_split == [False, False, True, False, False]
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None


def _group_ledger(groups: list[int], text: str = "在门户网站集中发布政策文件并做好解读回应。" * 3) -> Ledger:
    """Item n (its number and key work merged over its rows, as the city's form has "21" over four rows)."""
    led = Ledger(
        title="某局2023年政务公开工作要点任务落实台账", year=2023, owner_unit="某局", columns=list(SIMPLE)
    )
    section = Section(title=None)
    k = 0
    for n, size in enumerate(groups, 1):
        for j in range(size):
            k += 1
            number = f"{n}-{j + 1}" if size > 1 else str(n)
            section.tasks.append(
                Task(
                    id=k, number=number, key_work=f"第{n}项重点工作", content=f"{number}：{text}", position=k
                )
            )
    led.sections.append(section)
    return led


def _vmerge(tc) -> str | None:
    vm = tc.find(f"{W}tcPr/{W}vMerge")
    return None if vm is None else (vm.get(f"{W}val") or "continue")


def test_a_group_that_fits_on_a_page_is_chained_together(tmp_path: Path) -> None:
    path = tmp_path / "g.docx"
    write_report(_group_ledger([1, 4, 1]), path, _opts())
    rows = _part(path, "word/document.xml").find(f"{W}body/{W}tbl").findall(f"{W}tr")[1:]

    def kept(tr) -> bool:
        return all(p.find(f"{W}pPr/{W}keepNext") is not None for p in tr.iter(f"{W}p"))

    # the group's first three rows hold on to the next; its last row and the single item before do not
    assert [kept(r) for r in rows[:5]] == [False, True, True, True, False]
    assert [_vmerge(r.findall(f"{W}tc")[0]) for r in rows[1:5]] == [
        "restart",
        "continue",
        "continue",
        "continue",
    ]
    assert _row_texts(rows[1])[0] == "2" and _row_texts(rows[2])[0] == ""


def test_a_group_taller_than_a_page_continues_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "long.docx"
    write_report(_group_ledger([2, 14, 2]), path, _opts())
    rows = _part(path, "word/document.xml").find(f"{W}body/{W}tbl").findall(f"{W}tr")[1:-1]  # the tasks
    numbers = [_row_texts(r)[0] for r in rows]
    keys = [_row_texts(r)[1] for r in rows]
    assert numbers[2] == "2" and keys[2] == "第2项重点工作"
    cont = [i for i, t in enumerate(numbers) if t == "2（续）"]
    assert cont, numbers  # the part on the next page starts again with the number ...
    for i in cont:
        assert keys[i] == "第2项重点工作"  # ... and the key work
        assert _vmerge(rows[i].findall(f"{W}tc")[0]) == "restart"  # and merges anew from there
        assert not all(p.find(f"{W}pPr/{W}keepNext") is not None for p in rows[i - 1].iter(f"{W}p"))
    data = read_embedded(path)  # the tasks and their numbers are untouched
    assert [t["number"] for t in data["sections"][0]["tasks"]][2:4] == ["2-1", "2-2"]


def test_visible_hashes_are_what_the_rows_show(tmp_path: Path, import_fixture) -> None:
    from desktop_app.exporters.embedded import docx_row_hashes

    for led in (import_fixture("city-2023.docx"), _group_ledger([2, 14, 2])):
        path = tmp_path / "h.docx"
        write_report(led, path, _opts())
        tbl = _part(path, "word/document.xml").find(f"{W}body/{W}tbl")
        trs = tbl.findall(f"{W}tr")
        task_trs = [tr for tr in trs[1:] if len(tr.findall(f"{W}tc")) > 1]
        expected = docx_row_hashes(trs, task_trs)
        data = read_embedded(path)
        assert [t["visible"] for s in data["sections"] for t in s["tasks"]] == expected


def test_history_appendix(tmp_path: Path, ledger, ooxml_valid) -> None:
    history = {
        1: [
            ProgressEntry(
                task_id=1,
                entry_date=date(2023, 3, 1),
                text="已印发工作方案。",
                status=TaskStatus.IN_PROGRESS,
                percent=30,
                author="张三",
            ),
            ProgressEntry(
                task_id=1,
                entry_date=date(2023, 6, 30),
                text="已发布解读8篇。",
                status=TaskStatus.DONE,
                percent=100,
                author="张三",
            ),
            ProgressEntry(task_id=1, entry_date=date(2023, 9, 1), text="报送日之后的记录", percent=100),
        ],
        2: [
            ProgressEntry(
                task_id=2, entry_date=date(2023, 5, 5), text="正在推进。", percent=50, author="李四"
            )
        ],
    }
    path = tmp_path / "hist.docx"
    write_report(ledger, path, _opts(), history=history)
    ooxml_valid(path)
    body = _part(path, "word/document.xml").find(f"{W}body")
    label = next(p for p in body.iter(f"{W}p") if "".join(t.text or "" for t in p.iter(f"{W}t")) == "附件")
    assert label.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "AppendixLabel"  # starts a page (the style)
    tables = body.findall(f"{W}tbl")
    assert len(tables) == 2
    rows = [_row_texts(tr) for tr in tables[1].findall(f"{W}tr")]
    assert rows[0] == ["序号", "任务", "日期", "进展情况", "状态", "完成比例", "填报人"]
    assert [r[2:7] for r in rows[1:]] == [
        ["2023年3月1日", "已印发工作方案。", "推进中", "30%", "张三"],
        ["2023年6月30日", "已发布解读8篇。", "已完成", "100%", "张三"],
        ["2023年5月5日", "正在推进。", "推进中", "50%", "李四"],
    ]
    assert "报送日之后的记录" not in "".join(t.text or "" for t in body.iter(f"{W}t"))
    # the appendix is not read back as tasks
    assert len(read_embedded(path)["sections"][0]["tasks"]) == 6
    public = tmp_path / "hist-public.docx"
    write_report(ledger, public, _opts(public=True), history=history)
    rows = [
        _row_texts(tr)
        for tr in _part(public, "word/document.xml").find(f"{W}body").findall(f"{W}tbl")[1].findall(f"{W}tr")
    ]
    assert rows[0][-1] == "完成比例" and not any("张三" in c for r in rows for c in r)
    plain = tmp_path / "plain.docx"
    write_report(ledger, plain, _opts())
    assert len(_part(plain, "word/document.xml").find(f"{W}body").findall(f"{W}tbl")) == 1


def test_every_kind_of_report_is_valid_ooxml(tmp_path: Path, ledger, import_fixture, ooxml_valid) -> None:
    paths = []
    for name, led, kw in (
        ("a.docx", ledger, {}),
        ("b.docx", ledger, {"public": True}),
        ("c.docx", import_fixture("city-2023.docx"), {}),
        ("d.docx", _group_ledger([2, 14, 2]), {}),
    ):
        write_report(led, tmp_path / name, _opts(**kw))
        paths.append(tmp_path / name)
    ooxml_valid(*paths)


# --- as LibreOffice lays the pages out ------------------------------------------------------------------

needs_renderer = pytest.mark.skipif(not rendered.have_renderer(), reason="LibreOffice/poppler not installed")
FIXTURES = Path(__file__).resolve().parent.parent / "data"


def _model_of(monkeypatch) -> list:
    from desktop_app.exporters import docx_report

    seen: list = []
    build = docx_report.build_report_model

    def keep(*a, **kw):
        seen.append(build(*a, **kw))
        return seen[-1]

    monkeypatch.setattr(docx_report, "build_report_model", keep)
    return seen


def _blank_tops(pdf: Path, model) -> list[str]:
    problems = []
    for page, row in enumerate(rendered.first_rows(pdf, model, GBT9704_LANDSCAPE.left), 1):
        if row is None:
            problems.append(f"第{page}页从一行的中间开始")
        elif any(c.merge == "continue" and c.field in ("number", "key_work") for c in row.cells):
            problems.append(f"第{page}页首行的序号/重点工作为空（{row.task.number}）")
    return problems


@needs_renderer
@pytest.mark.parametrize(
    "name", ["natural-resources-2022.docx", "city-2023.docx", "natural-resources-2022.xlsx"]
)
def test_fixture_reports_take_no_more_pages_than_the_original(
    tmp_path: Path, import_fixture, monkeypatch, name: str
) -> None:
    models = _model_of(monkeypatch)
    path = tmp_path / "report.docx"
    write_report(import_fixture(name), path, _opts())
    pdf = rendered.to_pdf(path, tmp_path / "out")
    ours = rendered.page_count(pdf)
    original = rendered.pages_of(FIXTURES / name.replace(".xlsx", ".docx"), tmp_path / "orig")
    assert ours <= original, (ours, original)
    assert _blank_tops(pdf, models[-1]) == []
    # the last page holds the last rows with the block to sign: never the block alone
    last = rendered.page_words(pdf)[-1]
    text = "".join(w.text for w in last)
    assert "填报单位（盖章）" in text and "序号" in text


@needs_renderer
def test_groups_across_pages_render_with_their_number(tmp_path: Path, monkeypatch) -> None:
    models = _model_of(monkeypatch)
    path = tmp_path / "groups.docx"
    # groups of 4 rows (the city's "21" over four rows) and one longer than a page
    write_report(_group_ledger([1, 4, 3, 4, 2, 4, 14, 4, 3, 4, 1]), path, _opts())
    pdf = rendered.to_pdf(path, tmp_path / "out")
    model = models[-1]
    assert rendered.page_count(pdf) >= 3
    assert _blank_tops(pdf, model) == []
    tops = rendered.first_rows(pdf, model, GBT9704_LANDSCAPE.left)
    # a continuation ("7（续）") only ever stands at the top of a page
    assert [r.task.number for r in model.rows if r.continued] == [
        r.task.number for r in tops if r is not None and r.continued
    ]
    assert any(r is not None and r.continued for r in tops)


@needs_renderer
def test_the_seal_block_never_stands_alone(tmp_path: Path, monkeypatch) -> None:
    """A table ending where the block to sign no longer fits: the last rows go over with it."""
    from desktop_app.exporters.common import build_report_model

    g = GBT9704_LANDSCAPE
    for n in range(4, 40):
        led = _simple(
            n, content="在门户网站集中发布政策文件并做好解读回应。" * 3, key_work=lambda i: f"工作{i}"
        )
        m = build_report_model(led, _opts(), g, first_page_used=110.0)
        if m.end_y > g.body_height - 60:  # the block (more than 100 pt) would be left for the next page
            break
    else:
        pytest.fail("no table size ends near the foot of a page")
    path = tmp_path / "seal.docx"
    write_report(led, path, _opts())
    pdf = rendered.to_pdf(path, tmp_path / "out")
    last = "".join(w.text for w in rendered.page_words(pdf)[-1])
    assert "填报单位（盖章）" in last
    assert "序号" in last and str(n) in last  # the last rows stand above the block on its page


def test_reimport_of_a_report_with_continued_groups(tmp_path: Path) -> None:
    """Rows reading "2（续）" are the same tasks: unchanged they import as the program's, an edited
    progress cell in one of them is that task's edit, nothing else."""
    import sys

    from desktop_app.importers import load_any

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "importers"))
    from reimport_edit import cells, edit_docx, set_cell

    led = _group_ledger([2, 14, 2])
    path = tmp_path / "报告.docx"
    write_report(led, path, _opts())
    result = load_any(path)
    assert result.source_kind == "embedded" and result.changes == []
    assert [t.number for t in result.ledger.all_tasks()] == [t.number for t in led.all_tasks()]

    def edit(body) -> None:
        rows = body.find(f"{W}tbl").findall(f"{W}tr")
        at = next(i for i, tr in enumerate(rows) if _row_texts(tr)[0] == "2（续）")
        set_cell(cells(rows[at])[-1], "在Word中填写的进展。")

    edited = edit_docx(path, tmp_path / "报告-改.docx", edit)
    result = load_any(edited)
    changed = [t for t in result.ledger.all_tasks() if t.progress == "在Word中填写的进展。"]
    assert len(changed) == 1 and changed[0].number.startswith("2-")
    assert [c.text for c in result.changes] == [f"第{changed[0].number}项：推进情况 已在文件中修改"]
    assert len(result.ledger.all_tasks()) == len(led.all_tasks())
