"""Ledgers of other cities, rebuilt from their published texts (shortened), with the truth per task.

Each shape: the document as the city laid it out (title lines, table rows with merges: "^" = merged
with the cell above, "<" = merged with the cell to the left; or prose paragraphs), and the tasks a
clerk would type from it: number, key work, content, units with roles (L lead, R responsible,
C cooperating), deadline text. Build the files with `python tests/data/realworld/shapes.py OUTDIR`.
"""

from __future__ import annotations

import sys
from pathlib import Path

SHAPES: dict[str, dict] = {
    # 池州市某局: key work first, the number under it in the second column, 时限要求 last.
    "chizhou-bureau-2023": {
        "title": ["池州市信访局2023年政务公开重点任务清单"],
        "rows": [
            ["工作任务", "序号", "具体要求", "责任科室", "时限要求"],
            [
                "强化行政规范性文件集中规范公开",
                "1",
                "对行政规范性文件进行全面清理，并向社会公布现行有效行政规范性文件目录。",
                "办公室",
                "年底前",
            ],
            [
                "深化政策解读形式",
                "2",
                "积极做好政策解读工作，持续提升政策解读质量，丰富解读形式。",
                "各科室",
                "持续推进",
            ],
            [
                "做好主动公开基础工作",
                "3",
                "严格规范政府信息公开专栏，及时、集中、规范发布法定主动公开内容。",
                "各科室",
                "持续推进",
            ],
            [
                "^",
                "4",
                "规范做好政府信息公开工作年度报告编制发布工作，确保体例规范、数据准确。",
                "办公室",
                "持续推进",
            ],
            ["规范办理依申请公开", "5", "依法依规办理政府信息公开申请，防范法律风险。", "各科室", "持续推进"],
        ],
        "truth": [
            (
                "1",
                "强化行政规范性文件集中规范公开",
                "对行政规范性文件进行全面清理，并向社会公布现行有效行政规范性文件目录。",
                [("办公室", "R")],
                "年底前",
            ),
            (
                "2",
                "深化政策解读形式",
                "积极做好政策解读工作，持续提升政策解读质量，丰富解读形式。",
                [("各科室", "R")],
                "持续推进",
            ),
            (
                "3",
                "做好主动公开基础工作",
                "严格规范政府信息公开专栏，及时、集中、规范发布法定主动公开内容。",
                [("各科室", "R")],
                "持续推进",
            ),
            (
                "4",
                "做好主动公开基础工作",
                "规范做好政府信息公开工作年度报告编制发布工作，确保体例规范、数据准确。",
                [("办公室", "R")],
                "持续推进",
            ),
            (
                "5",
                "规范办理依申请公开",
                "依法依规办理政府信息公开申请，防范法律风险。",
                [("各科室", "R")],
                "持续推进",
            ),
        ],
    },
    # 江门市某中心: no number and no deadline column; key work "一、…" merged down the first column;
    # the number lives inside the content cell; "A牵头,B配合".
    "jiangmen-centre-2023": {
        "title": ["江门市土地储备中心2023年政务公开工作任务分解表"],
        "rows": [
            ["工作任务", "具体要求", "责任部门"],
            ["一、做好财政信息公开。", "1.积极推进本中心预算、决算及相关报表公开。", "财务科"],
            ["二、做好政府网站专栏信息公开。", "2.及时更新网站频道的各类型概况信息。", "办公室"],
            ["^", "3.及时反馈网民对调查征集信息的意见。", "各科室"],
            ["^", "4.及时更新微信公众号信息。", "办公室牵头,各科室配合"],
            [
                "三、持续加强重大政策发布解读。",
                "5.聚焦我中心工作，切实加强重大政策实施的发布解读。",
                "各科室",
            ],
        ],
        "truth": [
            ("1", "做好财政信息公开", "积极推进本中心预算、决算及相关报表公开。", [("财务科", "R")], ""),
            ("2", "做好政府网站专栏信息公开", "及时更新网站频道的各类型概况信息。", [("办公室", "R")], ""),
            ("3", "做好政府网站专栏信息公开", "及时反馈网民对调查征集信息的意见。", [("各科室", "R")], ""),
            (
                "4",
                "做好政府网站专栏信息公开",
                "及时更新微信公众号信息。",
                [("办公室", "L"), ("各科室", "C")],
                "",
            ),
            (
                "5",
                "持续加强重大政策发布解读",
                "聚焦我中心工作，切实加强重大政策实施的发布解读。",
                [("各科室", "R")],
                "",
            ),
        ],
    },
    # 潍坊市: 目标任务 | 主要内容 | 责任单位; section rows spanning the table; "（一）…" merged down the
    # first column; "分别牵头落实".
    "weifang-city-2017": {
        "title": ["潍坊市2017年政务公开工作要点实施方案"],
        "rows": [
            ["目标任务", "主要内容", "责任单位"],
            ["一、以政务公开助力稳增长", "<", "<"],
            [
                "（一）加强预期引导",
                "通过市政府例行新闻发布会、媒体采访等形式及时宣传解读经济政策执行落实情况。",
                "市发改委牵头落实",
            ],
            ["^", "加强就业创业政策信息公开，深入解读政策背景、依据、目标任务。", "市人社局牵头落实"],
            [
                "^",
                "加强金融政策信息公开，加大货币和金融业改革发展政策的宣传和预期引导。",
                "市金融办、人民银行潍坊市中心支行分别牵头落实",
            ],
            ["^", "加强财政政策信息公开，按月公开全市财政收支情况。", "市财政局牵头落实"],
            ["二、以政务公开助力促改革", "<", "<"],
            [
                "（二）推进权力清单公开",
                "全面公开市县两级政府工作部门权力清单和责任清单，及时动态更新。",
                "市编办牵头，各县市区政府配合",
            ],
        ],
        "truth": [
            (
                "1",
                "加强预期引导",
                "通过市政府例行新闻发布会、媒体采访等形式及时宣传解读经济政策执行落实情况。",
                [("市发改委", "L")],
                "",
            ),
            (
                "2",
                "加强预期引导",
                "加强就业创业政策信息公开，深入解读政策背景、依据、目标任务。",
                [("市人社局", "L")],
                "",
            ),
            (
                "3",
                "加强预期引导",
                "加强金融政策信息公开，加大货币和金融业改革发展政策的宣传和预期引导。",
                [("市金融办", "L"), ("人民银行潍坊市中心支行", "L")],
                "",
            ),
            (
                "4",
                "加强预期引导",
                "加强财政政策信息公开，按月公开全市财政收支情况。",
                [("市财政局", "L")],
                "",
            ),
            (
                "5",
                "推进权力清单公开",
                "全面公开市县两级政府工作部门权力清单和责任清单，及时动态更新。",
                [("市编办", "L"), ("各县市区政府", "C")],
                "",
            ),
        ],
    },
    # A city's 任务分工方案: three header cells under 工作任务 (重点工作 / 具体任务 / 具体要求), the number
    # and key work merged down, a unit with a clause describing its share.
    "division-three-level-2024": {
        "title": ["某市2024年政务公开工作任务分工方案"],
        "rows": [
            ["序号", "工作任务", "<", "<", "责任单位", "完成时限"],
            ["^", "重点工作", "具体任务", "具体要求", "^", "^"],
            [
                "1",
                "推进决策公开",
                "落实重大行政决策预公开制度",
                "重大决策草案公开征求意见时间不少于30日",
                "市司法局（负责指导）、各县区政府",
                "全年",
            ],
            [
                "2",
                "^",
                "开展决策事项目录管理",
                "4月底前公布年度重大行政决策事项目录",
                "市政府办公室牵头，各部门配合",
                "4月底前",
            ],
        ],
        "truth": [
            (
                "1",
                "推进决策公开",
                "落实重大行政决策预公开制度；重大决策草案公开征求意见时间不少于30日",
                [("市司法局", "R"), ("各县区政府", "R")],
                "全年",
            ),
            (
                "2",
                "推进决策公开",
                "开展决策事项目录管理；4月底前公布年度重大行政决策事项目录",
                [("市政府办公室", "L"), ("各部门", "C")],
                "4月底前",
            ),
        ],
    },
    # An Excel sheet: two title rows, a two-row header whose upper cells (工作任务, 具体要求) span
    # two columns each.
    "excel-two-row-header-2024": {
        "kind": "xlsx",
        "title": ["某市2024年政务公开工作任务台账", "填报单位：            填报时间："],
        "rows": [
            ["序号", "工作任务", "<", "具体要求", "<", "责任单位", "完成时限"],
            ["^", "重点工作", "主要任务", "工作标准", "量化指标", "^", "^"],
            [
                "1",
                "推进决策公开",
                "落实重大行政决策预公开",
                "草案公开征求意见不少于30日",
                "公开率100%",
                "市司法局",
                "全年",
            ],
            [
                "2",
                "推进执行公开",
                "公开重点改革任务进展",
                "按季度公开",
                "每季度1次",
                "市发改委牵头，各部门配合",
                "每季度",
            ],
        ],
        "truth": [
            (
                "1",
                "推进决策公开",
                "落实重大行政决策预公开；草案公开征求意见不少于30日",
                [("市司法局", "R")],
                "全年",
            ),
            (
                "2",
                "推进执行公开",
                "公开重点改革任务进展；按季度公开",
                [("市发改委", "L"), ("各部门", "C")],
                "每季度",
            ),
        ],
    },
    # A county's table with no number, key work and deadline columns: the key work stands as merged
    # "一、…" rows across the table, the numbering "（1）" inside the content cell, one merged unit
    # cell over two tasks, "A、B按职责分工负责".
    "county-rows-as-key-work-2023": {
        "title": ["某县2023年政务公开重点工作任务台账"],
        "rows": [
            ["工作内容", "责任单位", "备注"],
            ["一、加强政策解读回应", "<", "<"],
            ["（1）严格落实政策解读“三同步”制度。", "县政府办公室", ""],
            ["（2）开展政策“一图读懂”系列解读。", "^", ""],
            ["（3）及时回应涉及群众切身利益的舆情关切。", "县委宣传部、县融媒体中心按职责分工负责", ""],
            ["二、夯实公开平台", "<", "<"],
            ["（4）推进政务新媒体规范化建设。", "县政府办公室牵头，各乡镇配合", "重点"],
        ],
        "truth": [
            ("1", "加强政策解读回应", "严格落实政策解读“三同步”制度。", [("县政府办公室", "R")], ""),
            ("2", "加强政策解读回应", "开展政策“一图读懂”系列解读。", [("县政府办公室", "R")], ""),
            (
                "3",
                "加强政策解读回应",
                "及时回应涉及群众切身利益的舆情关切。",
                [("县委宣传部", "R"), ("县融媒体中心", "R")],
                "",
            ),
            ("4", "夯实公开平台", "推进政务新媒体规范化建设。", [("县政府办公室", "L"), ("各乡镇", "C")], ""),
        ],
    },
    # 厦门市集美区 2021: 工作任务 | 工作要求 | 牵头单位 | 责任单位, section rows spanning the table,
    # the 工作任务 cell merged down over its requirements.
    "jimei-district-2021": {
        "title": ["2021年全区政务公开工作主要任务分解表"],
        "rows": [
            ["工作任务", "工作要求", "牵头单位", "责任单位"],
            ["一、紧扣“十四五”开好局起好步，进一步深化政务公开", "<", "<", "<"],
            ["加强规划信息公开", "做好“十四五”规划纲要及专项规划的公开和解读。", "区发改局", "区直各部门"],
            ["^", "及时公开规划实施的年度进展情况。", "区发改局", "区直有关部门、各镇街"],
            ["二、紧扣宏观政策落地见效，进一步深化政务公开", "<", "<", "<"],
            [
                "做好惠企政策公开",
                "集中公开惠企政策清单，推动政策直达快享。",
                "区工信局",
                "区财政局、区市场监管局",
            ],
        ],
        "truth": [
            (
                "1",
                "加强规划信息公开",
                "做好“十四五”规划纲要及专项规划的公开和解读。",
                [("区发改局", "L"), ("区直各部门", "R")],
                "",
            ),
            (
                "2",
                "加强规划信息公开",
                "及时公开规划实施的年度进展情况。",
                [("区发改局", "L"), ("区直有关部门", "R"), ("各镇街", "R")],
                "",
            ),
            (
                "3",
                "做好惠企政策公开",
                "集中公开惠企政策清单，推动政策直达快享。",
                [("区工信局", "L"), ("区财政局", "R"), ("区市场监管局", "R")],
                "",
            ),
        ],
    },
    # 北京市 2016: prose; a （一） heading on its own line, its text in the next paragraph closed by the
    # units.
    "beijing-city-2016": {
        "title": [
            "北京市人民政府办公厅关于印发《北京市2016年政务公开工作要点》的通知",
            "各区人民政府，市政府各委、办、局，各市属机构：",
        ],
        "paragraphs": [
            "一、围绕深化改革推进公开",
            "（一）进一步推进权力清单和责任清单公开",
            "对权力清单进行动态调整，公布2016年版市政府部门权力清单。（市编办牵头，市政府各部门负责落实）",
            "（二）推进行政审批信息公开",
            "全面公开行政审批事项目录，于9月底前完成审批服务指南修订。（市审改办负责）",
            "二、围绕稳增长推进公开",
            "（一）加强宏观经济政策解读",
            "及时解读经济运行情况。（市发展改革委、市统计局分别负责落实）",
        ],
        "truth": [
            (
                "1",
                "进一步推进权力清单和责任清单公开",
                "对权力清单进行动态调整，公布2016年版市政府部门权力清单。",
                [("市编办", "L"), ("市政府各部门", "R")],
                "",
            ),
            (
                "2",
                "推进行政审批信息公开",
                "全面公开行政审批事项目录，于9月底前完成审批服务指南修订。",
                [("市审改办", "R")],
                "9月底前",
            ),
            (
                "3",
                "加强宏观经济政策解读",
                "及时解读经济运行情况。",
                [("市发展改革委", "R"), ("市统计局", "R")],
                "",
            ),
        ],
    },
    # 宣汉县: prose work points; one （一） paragraph holds several tasks, each closed by its units,
    # deadlines inside the sentence, units on a line of their own.
    "xuanhan-county-2023": {
        "title": [
            "宣汉县人民政府办公室关于印发《2023年全县政务公开工作要点》的通知",
            "各乡镇人民政府、街道办事处，县级有关部门（单位）：",
            "经县政府同意，现将《2023年全县政务公开工作要点》印发你们，请结合工作实际认真抓好贯彻落实。",
        ],
        "paragraphs": [
            "一、加大主动公开力度",
            "（一）深入推进“四大战略”信息公开。及时公开重大项目、重大平台、全面深化改革等信息（县发展改革局牵头，"
            "县级有关部门配合）。及时发布提振内需促进消费恢复等方面政策及实施情况（县经济信息化和商务局负责落实）。"
            "于6月底前公开数字经济发展、交通建设三年大会战等相关信息（县交通运输局、县水务局分别负责落实）。",
            "（二）深入推进教育、科技、人才支撑信息公开。做好教育事业发展规划、招生入学政策公开。",
            "责任单位：县教育科技局",
            "二、提升政策解读质效",
            "（一）规范解读程序。严格落实政策文件与解读方案同步起草、同步审签、同步发布。",
            "1.每季度开展政策解读质量评估。",
            "（牵头单位：县政府办公室；责任单位：县级各部门）",
            "2.年底前建立政策问答库。责任单位：县政务服务和公共资源交易服务中心。",
            "三、强化组织保障",
            "各乡镇、各部门要高度重视，切实抓好落实。",
        ],
        "truth": [
            (
                "1",
                "深入推进“四大战略”信息公开",
                "及时公开重大项目、重大平台、全面深化改革等信息",
                [("县发展改革局", "L"), ("县级有关部门", "C")],
                "",
            ),
            (
                "2",
                "深入推进“四大战略”信息公开",
                "及时发布提振内需促进消费恢复等方面政策及实施情况",
                [("县经济信息化和商务局", "R")],
                "",
            ),
            (
                "3",
                "深入推进“四大战略”信息公开",
                "于6月底前公开数字经济发展、交通建设三年大会战等相关信息",
                [("县交通运输局", "R"), ("县水务局", "R")],
                "6月底前",
            ),
            (
                "4",
                "深入推进教育、科技、人才支撑信息公开",
                "深入推进教育、科技、人才支撑信息公开。做好教育事业发展规划、招生入学政策公开。",
                [("县教育科技局", "R")],
                "",
            ),
            (
                "5",
                "规范解读程序",
                "每季度开展政策解读质量评估。",
                [("县政府办公室", "L"), ("县级各部门", "R")],
                "每季度",
            ),
            (
                "6",
                "规范解读程序",
                "年底前建立政策问答库。",
                [("县政务服务和公共资源交易服务中心", "R")],
                "年底前",
            ),
        ],
    },
}


def _merges(rows: list[list[str]]):
    """(top, left, bottom, right) 0-based inclusive of every merged block written with "^" and "<"."""
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value in ("^", "<"):
                continue
            down = i + 1
            while down < len(rows) and j < len(rows[down]) and rows[down][j] == "^":
                down += 1
            right = j + 1
            while right < len(row) and row[right] == "<":
                right += 1
            if down > i + 1 or right > j + 1:
                yield i, j, down - 1, right - 1


def _xlsx_value(value: str):
    if value in ("^", "<"):
        return None
    if isinstance(value, str) and value.startswith("@date:"):
        from datetime import datetime

        return datetime.strptime(value[6:], "%Y-%m-%d")
    return value


def _fill_sheet(ws, title: list[str], rows: list[list[str]]) -> None:
    ncols = max(len(r) for r in rows)
    for line in title:
        ws.append([line])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=ncols)
    top = ws.max_row + 1
    for row in rows:
        ws.append([_xlsx_value(v) for v in row])
    for i, j, b, r in _merges(rows):
        ws.merge_cells(start_row=top + i, start_column=j + 1, end_row=top + b, end_column=r + 1)


def build_xlsx_shape(name: str, shape: dict, out: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    first = True
    for sheet_name, sheet_rows in shape.get("sheets_before", []):
        ws.title = sheet_name
        for row in sheet_rows:
            ws.append(row)
        ws = wb.create_sheet()
        first = False
    ws.title = shape.get("sheet", "Sheet1" if first else "台账")
    _fill_sheet(ws, shape["title"], shape["rows"])
    for line in shape.get("after", []):
        ws.append([line])
    path = out / f"{name}.xlsx"
    wb.save(path)
    return path


def _docx_table(doc, rows: list[list[str]]) -> None:
    ncols = max(len(r) for r in rows)
    rows = [r + [""] * (ncols - len(r)) for r in rows]
    table = doc.add_table(rows=len(rows), cols=ncols)
    table.style = "Table Grid"
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value not in ("^", "<"):
                table.rows[i].cells[j].text = value
    # merges after the text, so a merged cell keeps only its first text
    for i, j, b, r in _merges(rows):
        table.cell(i, j).merge(table.cell(b, r))


def build_shape(name: str, shape: dict, out: Path) -> Path:
    """The file of one shape (a dict as in SHAPES) in `out`."""
    import docx

    if shape.get("kind") == "xlsx":
        return build_xlsx_shape(name, shape, out)
    doc = docx.Document()
    for line in shape["title"]:
        doc.add_paragraph(line)
    for line in shape.get("paragraphs", []):
        doc.add_paragraph(line)
    if "rows" in shape:
        _docx_table(doc, shape["rows"])
    for kind, value in shape.get("blocks", []):
        if kind == "p":
            doc.add_paragraph(value)
        else:
            _docx_table(doc, value)
    for line in shape.get("after", []):
        doc.add_paragraph(line)
    path = out / f"{name}.docx"
    doc.save(path)
    return path


def build(name: str, out: Path) -> Path:
    return build_shape(name, SHAPES[name], out)


def units(text: str) -> list[tuple[str, str]]:
    """ "市发改委:L 各部门:C" -> [("市发改委", "L"), ("各部门", "C")] (truth files write units so)."""
    return [tuple(part.rsplit(":", 1)) for part in text.split()]  # type: ignore[misc]


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    target.mkdir(parents=True, exist_ok=True)
    for key in SHAPES:
        print(build(key, target))
