"""The units directory: filled from a ledger, completed from rows pasted from Excel."""

from __future__ import annotations

import pytest

from desktop_app.domain.directory import COUNTY, DEPARTMENT, DIRECT
from desktop_app.domain.model import Ledger, LedgerError, Section, Task
from desktop_app.domain.units import parse_units


def _ledger(ctx) -> int:  # noqa: ANN001
    def t(n: str, units: str) -> Task:
        return Task(number=n, content=f"任务{n}", units_text=units, units=parse_units(units))

    ledger = Ledger(
        title="2023年政务公开工作要点任务分解",
        year=2023,
        sections=[
            Section(
                title="一",
                tasks=[t("1", "市发改委牵头，市财政局、各县（市）区人民政府负责"), t("2", "各部门")],
            )
        ],
    )
    return ctx.ledgers.add_ledger(ledger).id


def test_fill_from_ledger_adds_named_units_once(ctx) -> None:  # noqa: ANN001
    lid = _ledger(ctx)
    change = ctx.directory.fill_from_ledger(lid)
    assert [(u.name, u.kind) for u in change.added] == [("市发改委", DEPARTMENT), ("市财政局", DEPARTMENT)]
    assert ctx.directory.fill_from_ledger(lid).added == []  # again: nothing new
    assert [u.name for u in ctx.directory.units()] == ["市发改委", "市财政局"]


def test_pasted_rows_complete_the_directory_and_other_names_match(ctx) -> None:  # noqa: ANN001
    lid = _ledger(ctx)
    ctx.directory.add_pasted(
        "市发展和改革委员会\t市政府部门\t市发改委\t张三\n兴庆区人民政府\t县区政府\t兴庆区\n"
    )
    # 市发改委 is now another name of a directory unit: not added again
    assert [u.name for u in ctx.directory.fill_from_ledger(lid).added] == ["市财政局"]
    change = ctx.directory.add_pasted("市政务服务中心\t直属机构\n市财政局\t\t\t李四 0951-1234567\n")
    assert [u.name for u in change.added] == ["市政务服务中心"]
    assert [u.name for u in change.updated] == ["市财政局"]
    units = ctx.directory.units()
    assert [(u.name, u.kind, u.aliases, u.contact) for u in units] == [
        ("市发展和改革委员会", DEPARTMENT, ["市发改委"], "张三"),
        ("兴庆区人民政府", COUNTY, ["兴庆区"], ""),
        ("市财政局", DEPARTMENT, [], "李四 0951-1234567"),
        ("市政务服务中心", DIRECT, [], ""),
    ]
    from desktop_app.domain.directory import addressed_units

    task = ctx.ledgers.get_ledger(lid).all_tasks()[0]
    assert [u.name for u in addressed_units(task, ctx.directory.directory())] == [
        "市发展和改革委员会",
        "兴庆区人民政府",
        "市财政局",
    ]


def test_a_bad_pasted_row_changes_nothing(ctx) -> None:  # noqa: ANN001
    with pytest.raises(LedgerError) as err:
        ctx.directory.add_pasted("市财政局\t部门\n市审批局\t乱写\n")
    assert "第2行" in err.value.message and "未作任何修改" in err.value.message
    assert ctx.directory.units() == []
    with pytest.raises(LedgerError):
        ctx.directory.add_pasted("\n\n")


def test_derived_unit_ledger_is_stored_and_its_internal_columns_stay_home(ctx, tmp_path) -> None:
    """生成本单位台账 through the service: stored as a new ledger; its report for the city shows the city's
    rows with the unit's progress and none of the internal columns; JSON (the unit's own copy) keeps them."""
    import json
    from pathlib import Path

    from docx import Document

    from desktop_app.domain.directory import DEPARTMENT

    data = Path(__file__).resolve().parent.parent / "data"
    city = ctx.imports.import_file(data / "city-2023.docx")
    derived = ctx.directory.derive_unit_ledger(city.id, "市教育局", DEPARTMENT)
    unit = ctx.ledgers.get_ledger(derived.ledger.id)
    assert unit.id != city.id and unit.owner_unit == "市教育局" and len(unit.all_tasks()) == derived.tasks > 0
    task = unit.all_tasks()[0]
    ctx.ledgers.update_task(task.id, "extra:责任科室", "INTERNAL-OFFICE")
    ctx.progress.add_entry(task.id, "UNIT-WORDS 已完成目录更新", "in_progress", 50)
    out = ctx.exports.export(unit.id, "docx", tmp_path / "unit.docx")
    doc = Document(str(out))
    header = [c.text for c in doc.tables[0].rows[0].cells]
    cells = "\n".join(c.text for r in doc.tables[0].rows for c in r.cells)
    assert not {"责任科室", "责任人", "具体措施", "内部时限"} & set(header)
    assert "UNIT-WORDS" in cells and "INTERNAL-OFFICE" not in cells
    js = json.loads(ctx.exports.export(unit.id, "json", tmp_path / "unit.json").read_text(encoding="utf-8"))
    first = js["sections"][0]["tasks"][0]
    assert first["extra"]["责任科室"] == "INTERNAL-OFFICE"
