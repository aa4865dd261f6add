"""The score sheet from the collected returns: deductions per unit per round with reason, the office's rule
(editable), yearly totals, exported to Excel."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pytest

from desktop_app.domain import clock
from desktop_app.domain.deadlines import parse_deadline
from desktop_app.domain.model import Ledger, LedgerError, Section, Task, TaskStatus
from desktop_app.domain.score import ScoreRule
from desktop_app.domain.units import parse_units
from desktop_app.exporters.common import ReportOptions
from desktop_app.exporters.docx_report import write_report
from desktop_app.services.context import AppContext

DIRECTORY = "市财政局\t市政府部门\n市发展和改革委员会\t市政府部门\t市发改委\n兴庆区人民政府\t县区政府\t兴庆区\n"


@pytest.fixture
def office(tmp_path: Path):
    ctx = AppContext.open(tmp_path / "city.sqlite3")
    ctx.directory.add_pasted(DIRECTORY)
    tasks = [
        Task(number="1", content="公开预算决算", units_text="各有关单位", units=parse_units("各有关单位"),
             deadline=parse_deadline("2023年6月30日", 2023)),
        Task(number="2", content="公开建设项目信息", units_text="市发改委", units=parse_units("市发改委"),
             deadline=parse_deadline("11月底", 2023)),
    ]
    ledger = ctx.ledgers.add_ledger(Ledger(title="2023年政务公开工作要点台账", year=2023, sections=[Section(tasks=tasks)]))
    ctx.progress.set_report_dates(ledger.id, [date(2023, 8, 15)])
    yield ctx, ctx.ledgers.get_ledger(ledger.id), tmp_path
    ctx.close()
    clock.set_today(None)


def _send(ctx, ledger, folder: Path, unit: str, done: bool, on: date) -> None:  # noqa: ANN001
    mine = copy.deepcopy(ledger)
    for t in mine.all_tasks():
        t.progress = f"{unit}第{t.number}项" + ("已全部完成" if done else "正在推进")
        t.status, t.percent = (TaskStatus.DONE, 100) if done else (TaskStatus.IN_PROGRESS, 60)
    path = folder / f"{unit}.docx"
    write_report(mine, path, ReportOptions(as_of=on, unit=unit))
    clock.set_today(on)
    _rnd, [out] = ctx.collect.collect([path], ledger.id)
    assert out.outcome == "new", out.line


def test_deductions_per_unit_per_round_with_reason_totals_and_excel(office, ooxml_valid) -> None:
    ctx, ledger, tmp = office
    _send(ctx, ledger, tmp, "市财政局", True, date(2023, 8, 10))  # on time, task 1 done: nothing
    _send(ctx, ledger, tmp, "市发展和改革委员会", False, date(2023, 8, 18))  # late, task 1 overdue
    # 兴庆区人民政府 sends nothing: missing, and task 1 not reported done
    got = ctx.score.assess(ledger.id)
    assert [(d.unit, d.reason, d.points) for d in got] == [
        ("市发展和改革委员会", "第1次报送（8月15日前）逾期报送，2023年8月18日报送", 1.0),
        ("市发展和改革委员会", "第1项已过完成时限（2023年6月30日）仍未完成", 0.5),
        ("兴庆区人民政府", "第1次报送（8月15日前）未报送", 2.0),
        ("兴庆区人民政府", "第1项已过完成时限（2023年6月30日）仍未完成", 0.5),
    ]
    assert ctx.score.totals(2023) == [("市发展和改革委员会", 1.5, 2), ("兴庆区人民政府", 2.5, 2)]

    ctx.score.set_rule(2023, ScoreRule(late_return=3, missing_return=5, overdue_task=0))  # the office's own rule
    ctx.score.assess(ledger.id)  # the round assessed again replaces its deductions
    assert ctx.score.totals(2023) == [("市发展和改革委员会", 3.0, 1), ("兴庆区人民政府", 5.0, 1)]
    assert ctx.score.rule(2023) == ScoreRule(3, 5, 0) and ctx.score.rule(2024) == ScoreRule()
    with pytest.raises(LedgerError, match="0 到 100"):
        ctx.score.set_rule(2023, ScoreRule(late_return=-1))
    assert ctx.score.rule(2023) == ScoreRule(3, 5, 0)

    out = ctx.score.export_xlsx(2023, tmp / "考核扣分.xlsx")
    ooxml_valid(out)
    import openpyxl

    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["年度汇总", "扣分明细", "扣分规则"]
    summary = [r for r in wb["年度汇总"].iter_rows(min_row=3, values_only=True)]
    assert summary == [(1, "市发展和改革委员会", "市政府部门", 3, 1), (2, "兴庆区人民政府", "县（市）区政府", 5, 1)]
    detail = [r[1:] for r in wb["扣分明细"].iter_rows(min_row=3, values_only=True)]
    assert detail[1] == ("兴庆区人民政府", "2023年政务公开工作要点台账", "未报送", "第1次报送（8月15日前）未报送", 5)
    with pytest.raises(LedgerError, match=r"\.xlsx"):
        ctx.score.export_xlsx(2023, tmp / "考核扣分.docx")
