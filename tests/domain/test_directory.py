"""The addressee rules: which directory units a task addresses (named units, other names, generic words)."""

from __future__ import annotations

import pytest

from desktop_app.domain.directory import (
    COUNTY,
    DEPARTMENT,
    DIRECT,
    OTHER,
    Directory,
    addressed_units,
    addresses,
    generic_kinds,
    guess_kind,
    named_units,
    normalise_kind,
    parse_paste,
    unmatched_names,
)
from desktop_app.domain.model import Task, Unit
from desktop_app.domain.units import parse_units


def _directory() -> Directory:
    return Directory(
        [
            Unit(1, "市发展和改革委员会", ["市发改委"], DEPARTMENT),
            Unit(2, "市财政局", [], DEPARTMENT),
            Unit(3, "市政务服务中心", [], DIRECT),
            Unit(4, "市大数据管理服务局", ["市大数据局"], DIRECT),
            Unit(5, "兴庆区人民政府", ["兴庆区"], COUNTY),
            Unit(6, "永宁县人民政府", ["永宁县"], COUNTY),
            Unit(7, "市总工会", [], OTHER),
            Unit(8, "掌政镇", [], OTHER),
        ]
    )


def _task(units_text: str, cooperating: str = "") -> Task:
    return Task(
        content="x", units_text=units_text, cooperating_text=cooperating, units=parse_units(units_text)
    )


def _names(task: Task) -> list[str]:
    return [u.name for u in addressed_units(task, _directory())]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("市发改委牵头", ["市发展和改革委员会"]),
        ("市发展和改革委员会、市财政局负责", ["市发展和改革委员会", "市财政局"]),
        ("银川市发改委牵头，银川市财政局配合", ["市发展和改革委员会", "市财政局"]),
        ("市政府各部门", ["市发展和改革委员会", "市财政局"]),
        ("各直属机构负责", ["市政务服务中心", "市大数据管理服务局"]),
        ("各县（市）区人民政府", ["兴庆区人民政府", "永宁县人民政府"]),
        ("各县(市)区人民政府", ["兴庆区人民政府", "永宁县人民政府"]),
        ("各县区", ["兴庆区人民政府", "永宁县人民政府"]),
        ("兴庆区", ["兴庆区人民政府"]),
        ("各部门", ["市发展和改革委员会", "市财政局", "市政务服务中心", "市大数据管理服务局"]),
        ("各有关单位", [u.name for u in _directory().units]),
        ("各乡镇（街道）", ["掌政镇"]),
        (
            "市大数据局牵头，各县（市）区人民政府负责",
            ["市大数据管理服务局", "兴庆区人民政府", "永宁县人民政府"],
        ),
        ("市审批局牵头", []),  # not in the directory
        ("", []),
    ],
)
def test_addressed_units(text: str, expected: list[str]) -> None:
    assert _names(_task(text)) == expected


def test_cooperating_column_and_unparsed_units_text_count() -> None:
    task = Task(content="x", units_text="市财政局", cooperating_text="市总工会")  # units not parsed yet
    assert _names(task) == ["市财政局", "市总工会"]


def test_addresses_by_unit_and_by_any_name() -> None:
    d = _directory()
    task = _task("市政府各部门、各直属机构")
    assert addresses(task, d.units[0], d)
    assert addresses(task, "市发改委", d)
    assert addresses(task, "银川市大数据局", d)
    assert not addresses(task, "兴庆区", d)
    assert not addresses(task, "市总工会", d)
    # a unit the directory does not know: only its own name counts
    assert addresses(_task("市审批局牵头"), "市审批局", d)
    assert not addresses(_task("各部门"), "市审批局", d)


def test_the_city_prefix_never_makes_two_units_one() -> None:
    d = Directory([Unit(1, "灵武市人民政府", [], COUNTY), Unit(2, "市城市管理局", [], DEPARTMENT)])
    assert d.find("银川市人民政府") is None
    assert d.find("城市管理局").name == "市城市管理局"  # type: ignore[union-attr]
    assert d.find("银川市城市管理局").name == "市城市管理局"  # type: ignore[union-attr]
    amb = Directory([Unit(1, "银川市教育局", [], DEPARTMENT), Unit(2, "石嘴山市教育局", [], DEPARTMENT)])
    assert amb.find("市教育局") is None  # two candidates: not guessed


def test_generic_words() -> None:
    assert generic_kinds("市政府各部门") == (DEPARTMENT,)
    assert generic_kinds("市政府各有关部门") == (DEPARTMENT,)
    assert generic_kinds("各县（市、区）政府") == (COUNTY,)
    assert generic_kinds("各相关单位") is None
    assert generic_kinds("市财政局") is False


def test_named_and_unmatched_names() -> None:
    tasks = [_task("市发改委牵头，市审批局、各部门负责"), _task("市审批局、市 网信办")]
    assert named_units(tasks) == ["市发改委", "市审批局", "市网信办"]
    assert unmatched_names(tasks, _directory()) == ["市审批局", "市网信办"]


def test_guess_kind_and_kind_words() -> None:
    assert guess_kind("永宁县人民政府") == COUNTY
    assert guess_kind("兴庆区") == COUNTY
    assert guess_kind("市审批局") == DEPARTMENT
    assert guess_kind("市政务服务中心") == DIRECT
    assert guess_kind("中国移动银川分公司") == OTHER
    assert normalise_kind("县区政府") == COUNTY
    assert normalise_kind("直属单位") == DIRECT
    assert normalise_kind("乱写") is None


def test_parse_paste() -> None:
    text = (
        "单位名称\t类别\t其他名称\t联系人\n"
        "市发展和改革委员会\t市政府部门\t市发改委、发改委\t张三 13800000000\n"
        "\n"
        "兴庆区人民政府\t县区政府\n"
        "市政务服务中心\n"
    )
    result = parse_paste(text)
    assert result.errors == []
    assert [(u.name, u.kind, u.aliases, u.contact) for u in result.units] == [
        ("市发展和改革委员会", DEPARTMENT, ["市发改委", "发改委"], "张三 13800000000"),
        ("兴庆区人民政府", COUNTY, [], ""),
        ("市政务服务中心", DIRECT, [], ""),
    ]


def test_parse_paste_names_bad_rows() -> None:
    result = parse_paste("市财政局\t乱写\n\t部门\n各部门\t部门\n市财政局\n市财政局\n")
    assert len(result.errors) == 4
    assert result.errors[0].startswith("第1行的类别“乱写”")
    assert result.errors[1].startswith("第2行没有单位名称")
    assert "泛指" in result.errors[2]
    assert result.errors[3].startswith("第5行") and "重复" in result.errors[3]
    assert [u.name for u in result.units] == ["市财政局"]
