"""生成本单位台账 (domain.derive): which city tasks concern a unit, linked, with internal columns."""

from __future__ import annotations

import pytest

from desktop_app.domain.derive import (
    INTERNAL_HEADERS,
    LINK_TASK,
    derive_unit_ledger,
    is_internal_column,
    kind_from_word,
)
from desktop_app.domain.directory import COUNTY, DEPARTMENT, DIRECT, Directory
from desktop_app.domain.model import ColumnSpec, Ledger, LedgerError, Section, Task, Unit
from desktop_app.domain.units import parse_units


def _task(tid: int, number: str, content: str, units: str) -> Task:
    return Task(id=tid, number=number, content=content, units_text=units, units=parse_units(units))


def _city() -> Ledger:
    return Ledger(
        id=7,
        title="某市2024年政务公开工作要点任务分工",
        year=2024,
        issuer="市政务公开办",
        columns=[ColumnSpec("number", "序号"), ColumnSpec("content", "工作任务"), ColumnSpec("units", "责任单位")],
        sections=[
            Section(
                title="一、公开",
                tasks=[
                    _task(1, "1", "公开教育收费目录", "市教育局"),
                    _task(2, "2", "公开价格监测", "市发改委牵头，市市场监管局配合"),
                    _task(3, "3", "更新政府信息公开指南", "市政府各部门"),
                ],
            ),
            Section(
                title="二、解读",
                tasks=[
                    _task(4, "4", "乡镇政务公开标准化", "各县（市）区人民政府"),
                    _task(5, "5", "直属机构公开年报", "各直属机构"),
                ],
            ),
        ],
    )


def _directory() -> Directory:
    return Directory(
        [
            Unit(id=1, name="市教育局", kind=DEPARTMENT),
            Unit(id=2, name="市发展和改革委员会", aliases=["市发改委"], kind=DEPARTMENT),
            Unit(id=3, name="市住房公积金管理中心", kind=DIRECT),
            Unit(id=4, name="兴庆区人民政府", kind=COUNTY),
        ]
    )


def _numbers(ledger: Ledger) -> list[str]:
    return [t.number for t in ledger.all_tasks()]


def test_named_and_generic_tasks_by_kind_with_links_and_internal_columns() -> None:
    d = derive_unit_ledger(_city(), "市教育局", DEPARTMENT, _directory())
    assert _numbers(d.ledger) == ["1", "3"]  # named; 市政府各部门; not the counties' or 直属机构' tasks
    assert (d.tasks, d.generic) == (2, 1)
    assert [s.title for s in d.ledger.sections] == ["一、公开"]  # a section with nothing for me is left out
    assert d.ledger.title == "市教育局2024年政务公开工作任务分工台账" and d.ledger.owner_unit == "市教育局"
    first = d.ledger.all_tasks()[0]
    assert first.extra[LINK_TASK] == "1" and first.content == "公开教育收费目录" and first.progress == ""
    assert [c.header for c in d.ledger.columns if is_internal_column(c)] == list(INTERNAL_HEADERS)
    assert all(h in first.extra for h in INTERNAL_HEADERS)


def test_aliases_and_the_kind_given_decide() -> None:
    by_alias = derive_unit_ledger(_city(), "市发展和改革委员会", DEPARTMENT, _directory())
    assert _numbers(by_alias.ledger) == ["2", "3"]  # 市发改委 is its other name
    direct = derive_unit_ledger(_city(), "市住房公积金管理中心", DIRECT, _directory())
    assert _numbers(direct.ledger) == ["5"]
    county = derive_unit_ledger(_city(), "西夏区人民政府", COUNTY, _directory())  # not in the directory
    assert _numbers(county.ledger) == ["4"]
    cooperating = derive_unit_ledger(_city(), "市市场监管局", DEPARTMENT, None)  # 配合 units report too
    assert _numbers(cooperating.ledger) == ["2", "3"]


def test_a_task_given_to_several_units_separately_names_only_mine() -> None:
    """"市教育局、市卫健委分别负责落实": the unit's copy names the unit alone; a 牵头/配合 task keeps all."""
    city = _city()
    city.sections[0].tasks.append(_task(6, "6", "开展政策解读", "市教育局、市卫健委分别负责落实"))
    d = derive_unit_ledger(city, "市教育局", DEPARTMENT, _directory())
    split = next(t for t in d.ledger.all_tasks() if t.number == "6")
    assert split.units_text == "市教育局" and [u.name for u in split.units] == ["市教育局"]
    other = derive_unit_ledger(city, "市发展和改革委员会", DEPARTMENT, _directory())
    assert next(t for t in other.ledger.all_tasks() if t.number == "2").units_text == "市发改委牵头，市市场监管局配合"


def test_nothing_for_the_unit_or_a_bad_kind_is_one_sentence() -> None:
    with pytest.raises(LedgerError, match="没有写给“市气象局”"):
        derive_unit_ledger(_city(), "市气象局", "其他", _directory())
    with pytest.raises(LedgerError, match="不认识"):
        kind_from_word("学校")
    assert kind_from_word("县区") == COUNTY and kind_from_word("部门") == DEPARTMENT
