"""报送情况通报 (.docx): counts submitted/late/missing, the lists, the tasks no unit reported on; official look."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import docx
import pytest

from desktop_app.exporters.returns_notice import NoticeTask, NoticeUnit, write_notice
from tests.exporters import rendered


def test_the_notice_counts_lists_and_names_the_silent_tasks_in_official_fonts(tmp_path: Path, ooxml_valid) -> None:
    out = tmp_path / "通报.docx"
    write_notice(
        out,
        "银川市2023年政务公开工作要点任务落实台账",
        "第1次报送（8月15日前）",
        date(2023, 8, 15),
        [
            NoticeUnit("市财政局", "submitted", datetime(2023, 8, 14, 9)),
            NoticeUnit("市商务局", "late", datetime(2023, 8, 17, 10)),
            NoticeUnit("市统计局", "missing"),
            NoticeUnit("贺兰县人民政府", "missing"),
        ],
        [NoticeTask("12", "构建政策问答平台")],
        issuer="银川市人民政府办公室",
        as_of=date(2023, 8, 18),
    )
    ooxml_valid(out)
    d = docx.Document(str(out))
    text = [p.text for p in d.paragraphs]
    assert text[0] == "关于《银川市2023年政务公开工作要点任务落实台账》第1次报送（8月15日前）报送情况的通报"
    body = "\n".join(text)
    assert "本次应报送单位 4 个（截止时间2023年8月15日），其中按时报送 1 个，逾期报送 1 个，未报送 2 个。" in body
    assert "三、逾期报送的单位\n市商务局（2023年8月17日报送）。" in body
    assert "四、未报送的单位\n市统计局、贺兰县人民政府。" in body
    assert "五、各单位均未报送进展的任务\n第12项：构建政策问答平台" in body
    assert text[-2:] == ["银川市人民政府办公室", "2023年8月18日"]
    fonts = {r.font.name for p in d.paragraphs for r in p.runs if r.text}
    assert fonts == {"方正小标宋简体", "仿宋_GB2312", "黑体"}
    east_asia = d.paragraphs[0].runs[0]._r.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    )
    assert east_asia == "方正小标宋简体"  # named for East Asian text too


@pytest.mark.skipif(not rendered.have_renderer(), reason="LibreOffice/poppler not installed")
def test_the_notice_has_page_numbers_outside_as_the_report(tmp_path: Path, ooxml_valid) -> None:
    """GB/T 9704: "— 1 —" under the type area, odd pages at the right, even pages at the left."""
    out = tmp_path / "通报.docx"
    units = [NoticeUnit(f"第{i}个单位", "missing") for i in range(30)]
    tasks = [NoticeTask(str(i), "在政府门户网站集中发布政策文件并做好解读回应工作。" * 3) for i in range(1, 25)]
    write_notice(out, "某市台账", "第1次报送", date(2023, 8, 15), units, tasks, "某市政府办公室", date(2023, 8, 18))
    ooxml_valid(out)
    pdf = rendered.to_pdf(out, tmp_path / "pdf")
    pages = rendered.page_words(pdf)
    assert len(pages) >= 3
    mm = 72 / 25.4
    for n, words in enumerate(pages, start=1):
        body_bottom = 297 * mm - 35 * mm  # the type area ends 35 mm above the paper's foot
        foot = [w for w in words if w.y0 > body_bottom]
        assert [w.text for w in foot] == ["—", str(n), "—"], (n, [w.text for w in foot])
        assert 5 * mm < foot[0].y0 - body_bottom < 10 * mm  # about 7 mm under the type area
        if n % 2:
            assert foot[-1].x1 > 210 * mm - 26 * mm - 2 * 14 and foot[0].x0 > 105 * mm  # right, 1 char in
        else:
            assert foot[0].x0 < 28 * mm + 2 * 14 and foot[-1].x1 < 105 * mm  # left, 1 char in
