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
    from desktop_app.exporters.xlsx_writer import Book, Style, print_ready

    kinds = kinds or {}
    book = Book()
    title_st = book.style(Style(font="方正小标宋简体", size=16))
    head_st = book.style(Style(font=HEITI, size=12))
    body_st = book.style(Style(font=FANGSONG, size=12, wrap=True, vertical="center"))

    def sheet(name: str, title: str, header: list[str], rows: list[list], widths: list[int]) -> None:
        ws = book.add_sheet(name)
        ws.widths = dict(enumerate(widths, start=1))
        print_ready(ws, title_rows=(2, 2), freeze=2)
        ws.append([title], title_st)
        ws.merge(1, 1, 1, len(header))
        ws.append(header, head_st)
        ws.line_pt = 16  # rows as tall as their wrapped text
        for r in rows:
            ws.append(r, body_st)  # text cells stay text (xlsx_writer), numbers stay numbers

    sheet(
        "年度汇总",
        f"{year}年度政务公开工作考核扣分汇总",
        ["序号", "单位", "类别", "扣分合计", "扣分项数"],
        [[i, u, kinds.get(u, ""), pts, n] for i, (u, pts, n) in enumerate(totals, start=1)],
        [6, 30, 16, 10, 10],
    )
    sheet(
        "扣分明细",
        f"{year}年度扣分明细",
        ["序号", "单位", "台账", "扣分项", "原因", "扣分"],
        [
            [i, d.unit, d.ledger_title, KIND_LABELS.get(d.kind, d.kind), d.reason, d.points]
            for i, d in enumerate(deductions, start=1)
        ],
        [6, 26, 36, 16, 50, 8],
    )
    sheet(
        "扣分规则",
        f"{year}年度扣分规则",
        ["扣分项", "每次扣分"],
        [
            ["逾期报送", rule.late_return],
            ["未报送", rule.missing_return],
            ["任务逾期未完成（每项）", rule.overdue_task],
        ],
        [30, 12],
    )
    book.title = f"{year}年度考核扣分表"
    book.language = "zh-CN"
    save_atomically(book.save, Path(path))
