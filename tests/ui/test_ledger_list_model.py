"""Ledgers grouped by year, newest year first."""

from __future__ import annotations

from desktop_app.domain.model import LedgerSummary
from desktop_app.ui.models.ledger_list_model import LedgerListModel
from desktop_app.ui.models.roles import LEDGER_ID_ROLE


def _s(i, title, year, n=3):
    return LedgerSummary(id=i, title=title, year=year, owner_unit="市财政局", task_count=n, updated_at=None)


def test_groups_by_year(qapp, qtmodeltester):
    model = LedgerListModel()
    model.set_ledgers([_s(1, "甲", 2022), _s(2, "乙", 2023), _s(3, "丙", 2023), _s(4, "丁", None)])
    qtmodeltester.check(model)
    years = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert years == ["2023年", "2022年", "未定年份"]
    y2023 = model.index(0, 0)
    assert [model.index(r, 0, y2023).data() for r in range(model.rowCount(y2023))] == ["乙", "丙"]
    assert model.index(0, 0, y2023).data(LEDGER_ID_ROLE) == 2
    assert y2023.data(LEDGER_ID_ROLE) is None
    assert model.index_of_ledger(4).data() == "丁"
    assert not model.index_of_ledger(99).isValid()
    assert "共 3 项任务" in model.index(0, 0, y2023).data(3)  # tooltip


def test_reloading_replaces_the_rows(qapp, qtmodeltester):
    model = LedgerListModel()
    model.set_ledgers([_s(1, "甲", 2022)])
    model.set_ledgers([])
    qtmodeltester.check(model)
    assert model.rowCount() == 0
