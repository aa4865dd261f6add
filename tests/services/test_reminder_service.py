"""Reminders while the program is closed: what is due within N working days, what is overdue, the next
report round — across every ledger; off until the user switches it on."""

from __future__ import annotations

from datetime import date

from desktop_app.domain.deadlines import parse_deadline
from desktop_app.domain.model import Ledger, Section, Task, TaskStatus


def test_digest_across_ledgers_by_working_days(ctx) -> None:
    def task(n: str, deadline: str, status: TaskStatus = TaskStatus.NOT_STARTED) -> Task:
        return Task(number=n, content=f"任务{n}", deadline=parse_deadline(deadline, 2024), status=status)

    a = ctx.ledgers.add_ledger(
        Ledger(
            title="甲台账",
            year=2024,
            report_dates=[date(2024, 5, 15)],
            sections=[Section(tasks=[task("1", "4月30日前"), task("2", "5月8日前"), task("3", "4月20日前"),
                                     task("4", "4月29日前", TaskStatus.DONE), task("5", "长期坚持")])],
        )
    )
    ctx.ledgers.add_ledger(Ledger(title="乙台账", year=2024, sections=[Section(tasks=[task("9", "5月6日前")])]))
    ctx.progress.set_report_dates(a.id, [date(2024, 5, 15)])
    assert not ctx.reminders.enabled()  # off by default
    ctx.reminders.set_enabled(True, days=3)
    assert ctx.reminders.enabled() and ctx.reminders.days() == 3
    d = ctx.reminders.digest(as_of=date(2024, 4, 26))  # Friday; 4/28 (Sunday) is a 调休 workday
    assert [(i.number, i.workdays_left) for i in d.due] == [("1", 3)]  # 4/28, 4/29, 4/30
    assert [i.number for i in d.overdue] == ["3"]
    assert d.next_round == (date(2024, 5, 15), "甲台账")
    assert "1 项已逾期" in d.summary() and "3 个工作日内" in d.summary() and "5月15日" in d.summary()
    wide = ctx.reminders.digest(as_of=date(2024, 4, 26), days=10)  # 劳动节 5/1–5/5 are not counted
    assert [i.number for i in wide.due] == ["1", "9", "2"]
    assert [i.workdays_left for i in wide.due] == [3, 4, 6]  # 4/28 4/29 4/30 | 5/6 | 5/7 5/8
