"""考核扣分表 (.xlsx): the office's rule, every deduction with its reason, the yearly total per unit."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from desktop_app.domain.score import Deduction, ScoreRule
from desktop_app.exporters.score_sheet import write_score_sheet


def test_the_sheet_holds_the_rule_the_deductions_with_reasons_and_the_yearly_totals(tmp_path: Path, ooxml_valid) -> None:
    deductions = [
        Deduction("市财政局", "late", "第1次报送（8月15日前）逾期报送，2023年8月17日报送", 1.0, ledger_title="台账甲"),
        Deduction("永宁县人民政府", "missing", "第1次报送（8月15日前）未报送", 2.0, ledger_title="台账甲"),
        Deduction("永宁县人民政府", "overdue", "第3项已过完成时限（2023年6月30日）仍未完成", 0.5, ledger_title="台账甲"),
    ]
    totals = [("市财政局", 1.0, 1), ("永宁县人民政府", 2.5, 2)]
    out = tmp_path / "扣分.xlsx"
    write_score_sheet(
        out, 2023, ScoreRule(1, 2, 0.5), deductions, totals, {"市财政局": "市政府部门", "永宁县人民政府": "县（市）区政府"}
    )
    ooxml_valid(out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["年度汇总", "扣分明细", "扣分规则"]
    rows = lambda ws: [r for r in ws.iter_rows(min_row=3, values_only=True)]  # noqa: E731
    assert wb["年度汇总"]["A1"].value.startswith("2023")
    assert rows(wb["年度汇总"]) == [(1, "市财政局", "市政府部门", 1, 1), (2, "永宁县人民政府", "县（市）区政府", 2.5, 2)]
    assert [r[1:] for r in rows(wb["扣分明细"])] == [
        ("市财政局", "台账甲", "逾期报送", "第1次报送（8月15日前）逾期报送，2023年8月17日报送", 1),
        ("永宁县人民政府", "台账甲", "未报送", "第1次报送（8月15日前）未报送", 2),
        ("永宁县人民政府", "台账甲", "任务逾期未完成", "第3项已过完成时限（2023年6月30日）仍未完成", 0.5),
    ]
    assert rows(wb["扣分规则"]) == [("逾期报送", 1), ("未报送", 2), ("任务逾期未完成（每项）", 0.5)]
    assert wb["扣分明细"].print_title_rows == "$2:$2"  # the header on every printed page
