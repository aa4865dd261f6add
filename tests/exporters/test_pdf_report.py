"""PDF without Qt: one table per section, nothing drawn over anything, the real characters in the text
layer, groups kept together or continued as "21（续）", the seal block with the last rows."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from desktop_app.domain.model import Ledger, Section, Task
from desktop_app.exporters import fonts as fonts_mod
from desktop_app.exporters.common import ReportOptions
from desktop_app.exporters.errors import ExportFailed
from desktop_app.exporters.pdf_report import write_pdf
from desktop_app.exporters.report_layout import PageSpec, ReportLayout, layout_report, ttfont
from desktop_app.importers import load_any

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures"
if not FIXTURES.exists():
    FIXTURES = Path("/work/shared/fixtures")
OPTS = ReportOptions(
    as_of=date(2023, 8, 15), unit="银川市自然资源局", filler="张三", phone="13912345678", head_of_unit="李四"
)
KANGXI = re.compile("[\u2f00-\u2fdf\u2e80-\u2eff]")


def pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(
        ["pdftotext", *args, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def _group_ledger(rows: int, long: bool = True) -> Ledger:
    """Item 21 over `rows` rows (merged number and key work, as in the city's form), then item 22."""
    text = "组织开展政务公开专题培训，覆盖全部乡镇街道和部门，形成培训记录和考核台账。" * (6 if long else 1)
    tasks = [
        Task(id=i + 1, number=f"21-{i + 1}", key_work="强化政务公开队伍建设", content=f"第{i + 1}条：{text}")
        for i in range(rows)
    ]
    tasks.append(Task(id=rows + 1, number="22", key_work="开展回头看", content="对上一年度工作要点落实情况开展回头看。"))
    return Ledger(title="某局2023年政务公开任务落实台账", year=2023, owner_unit="某局",
                  sections=[Section(title="一、队伍建设", tasks=tasks)])


def _boxes(layout: ReportLayout, page):
    """Each text line's ink box (x0, top, x1, bottom) by its font's metrics."""
    from desktop_app.exporters.report_layout import _metrics

    out = []
    for t in page.texts:
        m = _metrics(layout.fonts[t.role])
        out.append((t.x, t.y - m.ascent * t.size, t.x + m.width(t.text, t.size), t.y + m.descent * t.size, t))
    return out


def _assert_nothing_overlaps(layout: ReportLayout) -> None:
    for page in layout.pages:
        boxes = sorted(_boxes(layout, page), key=lambda b: b[1])
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                if b[1] >= a[3] - 0.01:
                    break
                overlap_x = min(a[2], b[2]) - max(a[0], b[0])
                assert overlap_x <= 0.01, f"{a[4].text!r} over {b[4].text!r}"
        for x0, top, x1, bottom, t in boxes:
            for r in page.rules:
                if abs(r.y1 - r.y2) < 0.01:  # horizontal
                    assert not (top + 0.01 < r.y1 < bottom - 0.01 and min(r.x1, r.x2) < x1 and max(r.x1, r.x2) > x0), t.text
                else:
                    assert not (x0 + 0.01 < r.x1 < x1 - 0.01 and min(r.y1, r.y2) < bottom and max(r.y1, r.y2) > top), t.text


def test_city_ledger_pdf_has_real_text_one_table_per_section_and_embedded_fonts(tmp_path: Path) -> None:
    ledger = load_any(FIXTURES / "city-2023.docx").ledger
    path = tmp_path / "台账.pdf"
    pages = write_pdf(ledger, path, OPTS)
    assert path.read_bytes().startswith(b"%PDF") and pdf_pages(path) == pages > 1
    text = pdftotext(path, "-raw")  # in drawing order: a cell's lines one after the other
    assert not KANGXI.search(text)  # the real characters, not their radical look-alikes
    flat = re.sub(r"\s+", "", text)
    for task in ledger.all_tasks():  # every task's text is there to search (its lines in order)
        assert re.sub(r"\s+", "", task.content)[:30] in flat, task.number
    for section in ledger.sections:
        assert flat.count(re.sub(r"\s+", "", section.title)) == 1  # one heading: one table per section
    for page in range(1, pages + 1):  # the header row at the top of the table on every page
        assert "进展落实情况" in pdftotext(path, "-raw", "-f", str(page), "-l", str(page))
    assert pages <= text.count("进展落实情况") <= pages + len(ledger.sections) - 1
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows and all(r[-5] == "yes" and r[-4] == "yes" for r in rows)  # embedded as subsets, every one
    assert "填报单位（盖章）：银川市自然资源局" in text and "2023年8月15日" in text


def test_nothing_is_drawn_over_anything(tmp_path: Path) -> None:
    for name in ("city-2023.docx", "natural-resources-2022.docx"):
        ledger = load_any(FIXTURES / name).ledger
        for task in ledger.all_tasks()[:6]:
            task.progress = "已在门户网站发布政策解读 12 篇（www.yinchuan.gov.cn/zwgk）。" * 8
        _assert_nothing_overlaps(layout_report(ledger, OPTS))
    _assert_nothing_overlaps(layout_report(_group_ledger(14), OPTS))
    _assert_nothing_overlaps(layout_report(_group_ledger(2), OPTS, spec=PageSpec("A3", False)))


def test_a_group_too_long_for_a_page_continues_with_its_number(tmp_path: Path) -> None:
    layout = layout_report(_group_ledger(14), OPTS)
    assert len(layout.pages) >= 2
    second = [t.text for t in layout.pages[1].texts]
    assert "21（续）" in "".join(second) and "强化政务公开队伍建设" in "".join(second)
    first = [t.text for t in layout.pages[0].texts]
    assert "21" in first and "（续）" not in "".join(first)


def test_a_group_that_fits_a_page_is_kept_together_and_the_seal_block_goes_with_the_last_rows() -> None:
    ledger = _group_ledger(3, long=True)
    filler = [Task(id=100 + i, number=str(i + 1), key_work=f"工作{i}", content="填充内容。" * 30) for i in range(7)]
    ledger.sections[0].tasks[:0] = filler
    layout = layout_report(ledger, OPTS)
    for page in layout.pages:
        texts = "".join(t.text for t in page.texts)
        if "第1条" in texts:
            assert "第3条" in texts and "21（续）" not in texts  # the three rows of 21 on one page
    last = "".join(t.text for t in layout.pages[-1].texts)
    assert "开展回头看" in last and "填报单位（盖章）" in last  # never the seal block alone


def test_signature_line_is_left_blank_and_the_name_stands_apart() -> None:
    layout = layout_report(_group_ledger(1, long=False), OPTS)
    texts = layout.pages[-1].texts
    label = next(t for t in texts if t.text == "单位负责人（签字）：")
    name = next(t for t in texts if t.text == "（姓名：李四）")
    blank = [r for r in layout.pages[-1].rules if abs(r.y1 - r.y2) < 0.01 and r.x1 >= label.x and r.x2 <= name.x]
    assert blank and blank[0].x2 - blank[0].x1 > 50  # a line to sign on, with room for a signature


def test_linear_layout_keeps_every_task_once_in_a_filter(tmp_path: Path) -> None:
    ledger = load_any(FIXTURES / "natural-resources-2022.docx").ledger
    chosen = ledger.all_tasks()[2:4]
    path = tmp_path / "选中.pdf"
    write_pdf(ledger, path, OPTS, tasks=chosen, spec=PageSpec("A3", False))
    text = re.sub(r"\s+", "", pdftotext(path, "-raw"))
    assert all(re.sub(r"\s+", "", t.content)[:20] in text for t in chosen)
    others = [t for t in ledger.all_tasks() if t not in chosen and t.content[:20] not in chosen[0].content]
    assert not any(re.sub(r"\s+", "", t.content)[:20] in text for t in others)
    size = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", size).groups())
    assert round(w) == 842 and round(h) == 1191  # A3 portrait


def test_no_cjk_font_gives_one_sentence(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "DejaVuSans.ttf").write_bytes(b"not a font")
    monkeypatch.setattr(fonts_mod, "font_dirs", lambda: [tmp_path])
    with pytest.raises(ExportFailed) as exc:
        write_pdf(_group_ledger(1), tmp_path / "x.pdf", OPTS)
    assert "中文字体" in exc.value.message and "\n" not in exc.value.message
    assert not (tmp_path / "x.pdf").exists()


def test_fonts_are_found_by_role_and_cff_fonts_are_not_taken() -> None:
    found = fonts_mod.find_fonts()
    for role in ("fang", "song", "hei", "kai"):
        assert found[role].path.exists() and ttfont(found[role]) is not None
    noto = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    if noto.exists():
        assert not fonts_mod._embeddable(noto)  # CFF outlines: the PDF writer cannot embed them


def test_cli_writes_pdf_without_qt(tmp_path: Path) -> None:
    """`export -o x.pdf` with PySide6 unimportable: the PDF needs no Qt any more."""
    root = Path(__file__).resolve().parents[2]
    db = tmp_path / "l.sqlite3"
    env = {**os.environ, "PYTHONPATH": str(root)}
    imp = subprocess.run(
        [sys.executable, "-m", "desktop_app", "import", str(FIXTURES / "natural-resources-2022.docx"), "--db", str(db)],
        capture_output=True, text=True, env=env, timeout=240,
    )
    assert imp.returncode == 0, imp.stderr
    out = tmp_path / "cli.pdf"
    code = (
        "import sys; sys.modules['PySide6'] = None; from desktop_app.cli import main; "
        f"sys.exit(main(['export', '1', '--db', {str(db)!r}, '-o', {str(out)!r}]))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=240)
    assert run.returncode == 0, run.stderr
    assert "加强涉企" in pdftotext(out) or "政务公开" in pdftotext(out)
