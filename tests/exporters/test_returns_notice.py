"""报送情况通报 (.docx): counts submitted/late/missing, the lists, the tasks no unit reported on; official look."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import docx

from desktop_app.exporters.returns_notice import NoticeTask, NoticeUnit, write_notice


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
