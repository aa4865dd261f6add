"""The score sheet as an Excel workbook: 年度汇总 (one row per unit), 扣分明细 (each deduction with its reason),
and the rule the points came from. Every text cell stays text; written atomically."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from desktop_app.domain.score import KIND_LABELS, Deduction, ScoreRule
from desktop_app.exporters.files import save_atomically

FANGSONG, HEITI = "仿宋_GB2312", "黑体"


def write_score_sheet(
    path: Path,
    year: int,
    rule: ScoreRule,
    deductions: Sequence[Deduction],
    totals: Sequence[tuple[str, float, int]],
    kinds: dict[str, str] | None = None,
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    kinds = kinds or {}
    wb = Workbook()
    head = Font(name=HEITI, size=12)
    body = Font(name=FANGSONG, size=12)
    wrap = Alignment(wrap_text=True, vertical="center")

    def sheet(ws, title: str, header: list[str], rows: list[list], widths: list[int]) -> None:  # noqa: ANN001
        ws.append([title])
        ws["A1"].font = Font(name="方正小标宋简体", size=16)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        ws.append(header)
        for c in ws[2]:
            c.font = head
        for r in rows:
            ws.append(r)
        for row in ws.iter_rows(min_row=3):
            for c in row:
                c.font, c.alignment = body, wrap
                if isinstance(c.value, str):
                    c.data_type = "s"
        for i, w in enumerate(widths):
            ws.column_dimensions[chr(ord("A") + i)].width = w
        ws.freeze_panes = "A3"
        ws.print_title_rows = "2:2"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4

    summary = wb.active
    summary.title = "年度汇总"
    sheet(
        summary,
        f"{year}年度政务公开工作考核扣分汇总",
        ["序号", "单位", "类别", "扣分合计", "扣分项数"],
        [[i, u, kinds.get(u, ""), pts, n] for i, (u, pts, n) in enumerate(totals, start=1)],
        [6, 30, 16, 10, 10],
    )
    detail = wb.create_sheet("扣分明细")
    sheet(
        detail,
        f"{year}年度扣分明细",
        ["序号", "单位", "台账", "扣分项", "原因", "扣分"],
        [
            [i, d.unit, d.ledger_title, KIND_LABELS.get(d.kind, d.kind), d.reason, d.points]
            for i, d in enumerate(deductions, start=1)
        ],
        [6, 26, 36, 16, 50, 8],
    )
    rules = wb.create_sheet("扣分规则")
    sheet(
        rules,
        f"{year}年度扣分规则",
        ["扣分项", "每次扣分"],
        [
            ["逾期报送", rule.late_return],
            ["未报送", rule.missing_return],
            ["任务逾期未完成（每项）", rule.overdue_task],
        ],
        [30, 12],
    )
    wb.properties.title = f"{year}年度考核扣分表"
    wb.properties.language = "zh-CN"
    save_atomically(wb.save, Path(path))
