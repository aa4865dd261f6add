"""Harder ledgers than the four real fixtures, built with python-docx/openpyxl into a folder.

Run directly to write them into tests/data/generated/ for a look: python tests/importers/importer_fixtures.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import docx
import openpyxl
from docx.shared import Pt

# (number, key work, content, lead units, cooperating units, deadline, progress, remarks, 督办人)
TRAD_HEADER_TOP = [
    "序號",
    "工作任務",
    "具体內容",
    "責任單位",
    "責任單位",
    "時限",
    "推進情況",
    "備註",
    "督办人",
]
TRAD_HEADER_SUB = [
    "序號",
    "工作任務",
    "具体內容",
    "牵头單位",
    "協同單位",
    "時限",
    "推進情況",
    "備註",
    "督办人",
]


def _set(cell, text: str) -> None:
    """Cell text; "\n\n" separates paragraphs, "\n" is a line break inside one paragraph."""
    paras = text.split("\n\n")
    cell.text = ""
    first = cell.paragraphs[0]
    for i, ptext in enumerate(paras):
        p = first if i == 0 else cell.add_paragraph()
        for j, line in enumerate(ptext.split("\n")):
            run = p.add_run(line)
            run.font.size = Pt(10)
            if j < len(ptext.split("\n")) - 1:
                run.add_break()


def traditional_docx(path: Path) -> Path:
    """Title row inside the table, two header rows (責任單位 over 牵头單位|協同單位), traditional
    header words, section rows inside the table, a merged number over two rows, a repeated header,
    an unknown column (督办人), stray spaces, full-width digits."""
    d = docx.Document()
    d.add_paragraph("XX区司法局2024年政务公开工作任务台账")
    rows = 11
    t = d.add_table(rows=rows, cols=9)
    t.style = "Table Grid"
    title = t.cell(0, 0).merge(t.cell(0, 8))
    _set(title, "XX区司法局2024年政务公开工作任务分解表")
    for c, (top, sub) in enumerate(zip(TRAD_HEADER_TOP, TRAD_HEADER_SUB, strict=True)):
        if top == sub:
            m = t.cell(1, c).merge(t.cell(2, c))
            _set(m, top)
        else:
            _set(t.cell(2, c), sub)
    m = t.cell(1, 3).merge(t.cell(1, 4))
    _set(m, "責任單位")
    sec = t.cell(3, 0).merge(t.cell(3, 8))
    _set(sec, "一、 信息 公开")
    data = [
        [
            "１",
            "推进 决策\n公开",
            "做好决策预公开。",
            "办公室",
            "司法局、财政局",
            "2024年6月底前",
            "",
            "",
            "张三",
        ],
        [
            "2",
            "加强政策解读",
            "解读A：在 市政府 门户网站发布解读。",
            "宣传科",
            "",
            "长期坚持",
            "已发布 3 篇",
            "",
            "",
        ],
        ["", "", "解读B\n\n1.图文解读\n\n2.视频解读", "宣传科", "", "每季度最后1个月15日前", "", "重点", ""],
    ]
    for i, values in enumerate(data):
        for c, v in enumerate(values):
            _set(t.cell(4 + i, c), v)
    # number and key work of item 2 merged over its two rows
    for c in (0, 1):
        top = t.cell(5, c).merge(t.cell(6, c))
        _set(top, data[1][c])
    for c, h in enumerate(TRAD_HEADER_SUB):  # the header again, as after a page break
        _set(t.cell(7, c), h)
    _set(t.cell(8, 0), "二、平台建设")
    last = ["3", "网站建设", "完善 Windows\nXP 兼容页面", "信息中心", "各科室", "全年", "", "", ""]
    for c, v in enumerate(last):
        _set(t.cell(9, c), v)
    # row 10 stays empty
    d.add_paragraph("填报人：　　　　审核人：")
    d.save(path)
    return path


def sections_docx(path: Path) -> Path:
    """Other header words (重要内容, 责任部门, 配合部门, 完成时间, 进展情况), no key-work column,
    sections as paragraphs, the header repeated per table and on the second row of one table."""
    d = docx.Document()
    d.add_paragraph("某县2023年政务公开重点任务清单")
    d.add_paragraph("请于2023年6月30日、12月10日前报送县政务公开办公室。")
    header = ["序号", "重要内容", "责任部门", "配合部门", "完成时间", "进展情况", "备注"]
    blocks = [
        (
            "第一部分 公开",
            [
                ["1", "公开预算。", "财政局", "", "3月底", "", ""],
                ["2", "公开决算", "财政局", "审计局", "8月31日", "", ""],
            ],
        ),
        ("第二部分 解读", [["3", "多元解读", "各部门", "", "印发后30日内", "", ""]]),
    ]
    for bi, (title, rows) in enumerate(blocks):
        d.add_paragraph(title)
        extra = 1 if bi == 1 else 0
        t = d.add_table(rows=1 + len(rows) + extra, cols=len(header))
        if extra:
            _set(t.cell(0, 0).merge(t.cell(0, len(header) - 1)), "（续表）")
        for c, h in enumerate(header):
            _set(t.cell(extra, c), h)
        for r, values in enumerate(rows):
            for c, v in enumerate(values):
                _set(t.cell(1 + extra + r, c), v)
    d.save(path)
    return path


def ledger_xlsx(path: Path) -> Path:
    """Merged title rows, a 填报 line, the header on row 4, several sheets (two of them ledgers),
    merged and blank-under-above number/key work, section rows, separate 配合单位, traditional
    words, an unknown column, full-width punctuation and stray spaces."""
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "说明"
    notes["A1"] = "本表由各单位填写，填写说明如下："
    notes["A2"] = "1．进展情况按季度更新。"
    ws = wb.create_sheet("任务台账")
    ws["A1"] = "某市发改委2024年政务公开工作要点落实台账"
    ws.merge_cells("A1:I1")
    ws["A2"] = "（第一季度）"
    ws.merge_cells("A2:I2")
    ws["A3"] = "填报单位："
    ws["F3"] = "填报时间："
    header = [
        "序號",
        "重点工作",
        "工作任务",
        "量化指标",
        "責任部門",
        "配合单位",
        "完成時限",
        "完成情况",
        "联系人",
    ]
    ws.append(header)
    ws.append(["一、经济 领域"])
    ws.append(
        [
            1,
            "加强投资\n信息公开",
            "公开重大项目清单",
            "按时发布",
            "发改委",
            "各县区",
            "2024年11月",
            "已公开 12 项",
            "李四",
        ]
    )
    ws.append([None, None, "公开项目审批结果", "按时发布", "发改委", None, "11月底", None, None])
    ws.append([2, "价格信息公开", "公开价格监测", "每月", "价格科", "统计局", "每月10日前", None, None])
    ws.merge_cells("A6:A7")
    ws.merge_cells("B6:B7")
    ws.append(["二、 民生 领域", None, None, None, None, None, None, None, None])
    ws.append([3, "就业信息", "公开招聘信息", "及时", "人社局", "", "长期坚持", "", ""])
    ws.append([None, None, "公开培训信息", "及时", "人社局", "", "某个时候", "", ""])  # blank under above
    ws.append(header)  # a repeated header
    ws.append([4, "回头看", "对上年要点开展回头看", "按时完成", "办公室", "", "2024年6月", "", ""])
    summary = wb.create_sheet("汇总表")
    summary.append(["序号", "重点工作", "主要内容", "责任单位", "完成时限"])
    summary.append([1, "汇总", "汇总任务", "办公室", "12月底"])
    wb.save(path)
    return path


def notice_docx(path: Path) -> Path:
    """A short notice with full-width numbering （一） 1． and an item whose units come in a
    second paragraph."""
    d = docx.Document()
    for text in [
        "某县人民政府办公室关于印发某县2024年政务公开工作要点的通知",
        "各乡镇人民政府，县政府各部门：",
        "现将《某县2024年政务公开工作要点》印发给你们，请认真贯彻落实。",
        "某县2024年政务公开工作要点",
        "2024年全县政务公开工作的总体要求是：坚持以人民为中心。",
        "一、深化重点领域公开",
        "（一）助力经济发展。",
        "1．加强市场主体信息公开。做好涉企政策公开。（发改局牵头，各部门负责落实）",
        "2、推动减税降费信息公开。系统梳理政策。",
        "及时推送到企业。（税务局负责落实）",
        "（二）优化政策咨询服务。设立咨询窗口。（政务服务中心负责落实）",
        "二、夯实工作基础",
        "（一）加强培训。每年培训两次。（政府办牵头，各部门配合）",
        "各单位要按照本要点制定工作方案。",
        "某县人民政府办公室",
        "2024年3月1日",
    ]:
        d.add_paragraph(text)
    d.save(path)
    return path


def big_ledger_docx(path: Path, rows: int = 2000) -> Path:
    """A ledger table of `rows` rows (8 columns), built by copying a row element: add_row() +
    cell.text would itself be quadratic."""
    import copy

    d = docx.Document()
    d.add_paragraph("某市2024年政务公开工作要点任务落实台账")
    header = ["序号", "重点工作", "主要内容", "量化指标", "责任单位", "配合单位", "完成时限", "推进情况"]
    t = d.add_table(rows=2, cols=len(header))
    for c, h in enumerate(header):
        t.cell(0, c).text = h
    template = t.rows[1]._tr
    for c in range(len(header)):
        t.cell(1, c).text = "x"
    tbl = t._tbl
    tbl.remove(template)
    for i in range(rows):
        tr = copy.deepcopy(template)
        values = [
            str(i + 1),
            f"重点工作{i // 5 + 1}",
            f"第{i + 1}项任务：在市政府门户网站公开相关信息，及时回应社会关切。",
            "查看发布情况和实际掌握情况",
            "市政府办公室牵头，各部门负责",
            "市司法局",
            ["11月底", "长期坚持", "2024年6月", "全年"][i % 4],
            "",
        ]
        for tc, v in zip(tr.tc_lst, values, strict=True):
            tc.xpath(".//w:t")[0].text = v
        tbl.append(tr)
    d.save(path)
    return path


ALL = {
    "traditional-two-header.docx": traditional_docx,
    "paragraph-sections.docx": sections_docx,
    "several-sheets.xlsx": ledger_xlsx,
    "short-notice.docx": notice_docx,
}

if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent.parent / "data" / "generated"
    out.mkdir(parents=True, exist_ok=True)
    for name, make in ALL.items():
        print(make(out / name))
