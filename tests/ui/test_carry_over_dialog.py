"""The 年度结转 dialog: open, fill (per task and for all completed ones), accept, cancel; and the
window command that runs it."""

from __future__ import annotations

from datetime import date

from desktop_app.domain.deadlines import parse_deadline
from desktop_app.domain.model import Ledger, LedgerError, Section, Task, TaskStatus
from desktop_app.services.ledger_service import CARRY_FIELD
from desktop_app.ui.dialogs.carry_over_dialog import CARRY, CarryOverDialog


def _ledger() -> Ledger:
    def task(i: int, content: str, deadline: str, **kw) -> Task:
        return Task(id=i, number=str(i), content=content, deadline=parse_deadline(deadline, 2022), **kw)

    return Ledger(
        id=7,
        title="某局2022年任务落实台账",
        year=2022,
        sections=[
            Section(
                tasks=[
                    task(1, "已完成的", "11月底", status=TaskStatus.DONE, percent=100),
                    task(2, "进度满了", "11月底", percent=100),
                    task(3, "继续做", "2022年11月", progress="进行中"),
                    task(4, "要合并的", "12月底"),
                ]
            )
        ],
    )


def test_defaults_bulk_choice_and_reasons(qtbot):
    dialog = CarryOverDialog(_ledger(), run=lambda reasons: None)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 4
    assert "进展、状态和进度将清空" in dialog.intro.text() and "2023 年" in dialog.intro.text()
    # done tasks (also 100 % with no status) are left behind as 已完成 by default, the rest carried
    assert dialog.reasons() == {1: "已完成", 2: "已完成", 3: None, 4: None}
    assert dialog.table.item(1, 2).text() == "已完成"  # the status every view shows
    dialog.done_choice.setCurrentIndex(0)
    dialog.done_choice.activated.emit(0)  # "已完成的任务全部：结转到下一年"
    assert dialog.reasons() == {1: None, 2: None, 3: None, 4: None}
    dialog.done_choice.setCurrentIndex(2)
    dialog.done_choice.activated.emit(2)  # all done ones: 不结转：取消
    assert [dialog.choice(i) for i in (1, 2, 3)] == ["不结转：取消", "不结转：取消", CARRY]
    dialog.set_choice(1, "不结转：已完成", "已在门户网站公开")
    dialog.set_choice(4, "不结转：合并到…", "第3项")
    assert dialog.reasons() == {1: "已完成：已在门户网站公开", 2: "取消", 3: None, 4: "合并到第3项"}


def test_merge_without_target_is_refused_in_the_dialog(qtbot):
    ran = []
    dialog = CarryOverDialog(_ledger(), run=ran.append)
    qtbot.addWidget(dialog)
    dialog.set_choice(4, "不结转：合并到…")
    dialog.buttons.accepted.emit()
    assert ran == [] and "合并到哪一项" in dialog.error.text()
    assert dialog.pages.currentIndex() == 0


def test_a_failed_copy_is_shown_and_the_dialog_stays(qtbot):
    def fail(reasons):
        raise LedgerError("结转失败：有任务已不在原台账中（可能刚被删除）。请重新打开结转窗口。")

    dialog = CarryOverDialog(_ledger(), run=fail)
    qtbot.addWidget(dialog)
    dialog.start()
    assert dialog.error.text().startswith("结转失败") and dialog.result_value is None
    assert dialog.pages.currentIndex() == 0


def test_cancel_runs_nothing(qtbot):
    ran = []
    dialog = CarryOverDialog(_ledger(), run=ran.append)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.buttons.rejected.emit()
    assert ran == [] and dialog.result() == CarryOverDialog.Rejected and dialog.result_value is None


def _plain_ledger(window) -> Ledger:
    tasks = [
        Task(number="1", content="已完成的", deadline=parse_deadline("11月底", 2022), status=TaskStatus.DONE),
        Task(number="2", content="取消的", deadline=parse_deadline("11月底", 2022)),
        Task(number="3", content="写明年份", deadline=parse_deadline("2022年11月", 2022), progress="推进中"),
        Task(number="4", content="更早年份", deadline=parse_deadline("2021年12月", 2022)),
    ]
    ledger = window.ctx.ledgers.add_ledger(
        Ledger(title="某局2022年任务落实台账", year=2022, sections=[Section(title="一、公开", tasks=tasks)])
    )
    window.ctx.progress.set_report_dates(ledger.id, [date(2022, 8, 15), date(2022, 12, 5)])
    window.reload_ledgers(select=ledger.id)
    window.open_ledger(ledger.id)
    return ledger


def test_window_command_runs_the_dialog_and_opens_the_new_ledger(window, monkeypatch):
    old = _plain_ledger(window)
    ids = {t.content: t.id for t in old.all_tasks()}
    seen = []

    def drive(dialog):  # what the user does: fill, press 开始结转, read the result, close
        seen.append(dialog)
        dialog.set_choice(ids["取消的"], "不结转：取消", "上级已取消该项")
        dialog.buttons.accepted.emit()
        assert dialog.pages.currentIndex() == 1
        dialog.accept()
        return True

    monkeypatch.setattr(window, "run_dialog", drive)
    window.copy_to_next_year()
    dialog = seen[0]
    assert dialog.objectName() == "carryOverDialog"
    result = dialog.result_value
    assert result.carried == 2
    assert "1 项的完成时限未能自动顺延" in dialog.summary.text()
    assert dialog.result_list.count() == 1 and "2021年12月" in dialog.result_list.item(0).text()
    # the window shows the new ledger: progress cleared, dated deadline moved, rounds carried
    assert window.current_ledger().id == result.ledger.id
    new = window.ctx.ledgers.get_ledger(result.ledger.id)
    moved = {t.content: t for t in new.all_tasks()}
    assert set(moved) == {"写明年份", "更早年份"}
    assert moved["写明年份"].deadline.text == "2023年11月" and moved["写明年份"].progress == ""
    assert new.report_dates == [date(2023, 8, 15), date(2023, 12, 5)]
    assert "1 项完成时限待确认" in window.statusBar().currentMessage()
    after = {t.content: t for t in window.ctx.ledgers.get_ledger(old.id).all_tasks()}
    assert after["取消的"].extra[CARRY_FIELD] == "未结转：取消：上级已取消该项（2023年）"


def test_window_command_cancelled_changes_nothing(window, monkeypatch):
    old = _plain_ledger(window)
    monkeypatch.setattr(window, "run_dialog", lambda dialog: dialog.reject() or False)
    window.copy_to_next_year()
    assert [s.id for s in window.summaries()] == [old.id]
    assert window.current_ledger().id == old.id
    assert all(CARRY_FIELD not in t.extra for t in window.ctx.ledgers.get_ledger(old.id).all_tasks())
