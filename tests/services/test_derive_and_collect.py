"""The loop both ways: the city sends its ledger, a unit draws its own ledger from it (生成本单位台账),
records its progress there and reports; the city office collects that report as a return of its own
ledger, the unit's words on the city's tasks, none of the unit's internal columns."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from desktop_app.domain import clock
from desktop_app.domain.directory import DEPARTMENT
from desktop_app.domain.model import TaskStatus
from desktop_app.services.collect_service import NEW, UNCHANGED
from desktop_app.services.context import AppContext
from tests.services.test_collect_service import DIRECTORY, city  # noqa: F401  (the city's fixture)


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_a_report_from_the_units_own_ledger_is_collected_on_the_citys_tasks(city, tmp_path: Path, fmt) -> None:  # noqa: F811
    ctx, lid = city
    sent = ctx.exports.export(lid, "docx", tmp_path / "下发.docx")
    unit = AppContext.open(tmp_path / "unit.sqlite3")
    try:
        unit.directory.add_pasted(DIRECTORY)
        received = unit.imports.import_file(sent)
        unit.settings.set("my_unit", "市发展和改革委员会")
        derived = unit.directory.derive_unit_ledger(received.id, "市发展和改革委员会", DEPARTMENT)
        mine = unit.ledgers.get_ledger(derived.ledger.id)
        assert mine.title != received.title  # the unit's own title
        assert [t.number for t in mine.all_tasks()] == ["2", "3", "4"]  # 市发改委牵头, 市政府各部门, 各有关单位
        for t in mine.all_tasks():
            unit.ledgers.update_task(t.id, "extra:责任科室", "INTERNAL-OFFICE")
            unit.progress.add_entry(t.id, f"发改委报第{t.number}项：已部署", TaskStatus.IN_PROGRESS, 40)
        (tmp_path / "r").mkdir()
        out = unit.exports.export(mine.id, fmt, tmp_path / "r" / f"发改委报送.{fmt}")
    finally:
        unit.close()

    clock.set_today(date(2023, 8, 10))
    _rnd, first = ctx.collect.collect([out], lid)
    assert [(o.outcome, o.unit, o.reported) for o in first] == [(NEW, "市发展和改革委员会", 3)]
    tasks = {t.number: t.id for t in ctx.ledgers.get_ledger(lid).all_tasks()}
    on_row = {n: [(r.unit, r.progress) for r in ctx.collect.by_task(lid).get(tid, [])] for n, tid in tasks.items()}
    assert on_row == {
        "1": [],
        "2": [("市发展和改革委员会", "发改委报第2项：已部署")],
        "3": [("市发展和改革委员会", "发改委报第3项：已部署")],
        "4": [("市发展和改革委员会", "发改委报第4项：已部署")],
    }
    assert "INTERNAL-OFFICE" not in str(on_row)
    _rnd, again = ctx.collect.collect([out], lid)
    assert [o.outcome for o in again] == [UNCHANGED]
