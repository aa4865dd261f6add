"""Small dialogs: report dates, ledger information."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate

from desktop_app.domain.model import Ledger
from desktop_app.ui.dialogs.ledger_dialog import LedgerDialog
from desktop_app.ui.dialogs.report_dates_dialog import ReportDatesDialog


def test_report_dates_sorted_unique_with_presets(qtbot):
    d = ReportDatesDialog([date(2023, 12, 5), date(2023, 8, 15)], 2023)
    qtbot.addWidget(d)
    assert d.dates() == [date(2023, 8, 15), date(2023, 12, 5)]
    d.add_date(date(2023, 8, 15))
    assert len(d.dates()) == 2
    d.add_date(date(2023, 3, 15))
    assert d.dates()[0] == date(2023, 3, 15)
    d.set_dates([date(2023, m, 15) for m in (3, 6, 9, 12)])
    assert len(d.dates()) == 4
    assert d.list.item(0).text() == "2023年3月15日"


def test_ledger_dialog_values(qtbot):
    d = LedgerDialog(year=2024)
    qtbot.addWidget(d)
    d.accept()  # an empty title gets a sensible one
    assert d.values() == ("2024年政务公开工作任务落实台账", 2024)
    e = LedgerDialog(ledger=Ledger(title="甲台账", year=2022, owner_unit="市财政局", issuer="市政务公开办"))
    qtbot.addWidget(e)
    assert e.fields() == {
        "title": "甲台账", "year": 2022, "owner_unit": "市财政局", "issuer": "市政务公开办", "anchor_date": None
    }  # fmt: skip
    e.anchor_known.setChecked(True)  # 通知印发/收到日期 known: the relative deadlines count from it
    e.anchor.setDate(QDate(2022, 3, 1))
    assert e.fields()["anchor_date"] == date(2022, 3, 1)
