"""People written into units cells (importers/people.py): a person is not a unit; the units read are the
units alone and the people are kept in the internal 责任人 column."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from desktop_app.domain.model import UnitRole
from desktop_app.importers import load_any
from desktop_app.importers.people import header_names_people, is_person, split_people


@pytest.mark.parametrize(
    ("text", "units", "people"),
    [
        ("县财政局（张某某）", "县财政局", ["县财政局：张某某"]),
        ("县审计局（李某）、县财政局（赵某某）", "县审计局、县财政局", ["县审计局：李某", "县财政局：赵某某"]),
        ("县财政局（王副县长）牵头，县审计局配合", "县财政局牵头，县审计局配合", ["县财政局：王副县长"]),
        ("县财政局（负责人：张三 13800000000）", "县财政局", ["县财政局：负责人：张三 13800000000"]),
        ("县财政局局长张某", "县财政局", ["县财政局：局长张某"]),
        ("分管副县长，县发改局", "县发改局", ["分管副县长"]),
        ("县财政局、张某某负责", "县财政局负责", ["张某某"]),
    ],
)
def test_people_are_taken_out_of_any_units_cell(text, units, people) -> None:
    assert split_people(text) == (units, people)


@pytest.mark.parametrize(
    "text",
    [
        "市公安局（交警支队）",
        "各县（市、区）政府",
        "县委宣传部（县委网信办）",
        "市住建局（主管部门）",
        "县政府办公室（县政务公开办）",
        "市发改委（牵头）",
        "市公安局（网安）",
        "市人大常委会",
    ],
)
def test_unit_names_and_their_brackets_are_no_people(text) -> None:
    assert split_people(text, True) == (text, [])


def test_a_bare_name_is_a_person_only_where_the_header_says_people_are_written() -> None:
    assert split_people("县财政局：张三") == ("县财政局：张三", [])
    assert split_people("县财政局：张三", True) == ("县财政局", ["县财政局：张三"])
    assert split_people("县财政局（张伟）", True) == ("县财政局", ["县财政局：张伟"])
    assert not is_person("张伟") and is_person("张伟", True) and not is_person("财政局", True)
    assert header_names_people("牵头单位及责任人") and header_names_people("责任单位（责任领导）")
    assert not header_names_people("责任单位")


def test_a_units_and_people_column_gives_the_units_and_keeps_the_people(tmp_path: Path) -> None:
    rows = [
        ["序号", "重点工作", "工作任务", "牵头单位及责任人", "配合单位", "完成时限", "责任领导"],
        ["1", "财政公开", "公开预决算信息。", "县财政局（张某某）", "县审计局", "3月底前", "王副县长"],
        ["2", "审计公开", "公开审计结果。", "县审计局（李伟）、县财政局（赵某某）", "", "年底前", "王副县长"],
        ["3", "审计公开", "公开审计整改情况。", "县审计局\n局长李某", "", "年底前", "王副县长"],
    ]
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    path = tmp_path / "people.xlsx"
    wb.save(path)
    result = load_any(path)
    tasks = result.ledger.all_tasks()
    assert [[(u.name, u.role) for u in t.units] for t in tasks] == [
        [("县财政局", UnitRole.LEAD), ("县审计局", UnitRole.COOPERATING)],
        [("县审计局", UnitRole.LEAD), ("县财政局", UnitRole.LEAD)],
        [("县审计局", UnitRole.LEAD)],
    ]
    # the lead column marks its units lead as it always did
    assert [t.units_text for t in tasks] == ["县财政局牵头", "县审计局、县财政局牵头", "县审计局牵头"]
    assert [t.extra["责任人"] for t in tasks] == [
        "县财政局：张某某",
        "县审计局：李伟；县财政局：赵某某",
        "县审计局：局长李某",
    ]
    assert all(t.extra["责任领导"] == "王副县长" for t in tasks)  # a person column stays a column of its own
    fields = [c.field for c in result.ledger.columns]
    assert "extra:责任人" in fields and "extra:责任领导" in fields and "units" in fields
    assert not result.flagged
