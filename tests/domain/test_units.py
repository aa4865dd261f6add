"""Tests for reading 责任单位 cells into units with lead / responsible / cooperating roles."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain import units
from desktop_app.domain.model import UnitAssignment, UnitRole
from desktop_app.domain.units import parse_units

L, R, C = UnitRole.LEAD, UnitRole.RESPONSIBLE, UnitRole.COOPERATING


def _pairs(text: str, default: UnitRole = R) -> list[tuple[str, UnitRole]]:
    return [(u.name, u.role) for u in parse_units(text, default)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "市审批局牵头，市工信局、市农业农村局及各县（市）区人民政府负责，市政府各有关部门、各直属机构配合",
            [
                ("市审批局", L),
                ("市工信局", R),
                ("市农业农村局", R),
                ("各县（市）区人民政府", R),
                ("市政府各有关部门", C),
                ("各直属机构", C),
            ],
        ),
        (
            "各县（市）区人民政府，市政府各部门、各直属机构负责",
            [("各县（市）区人民政府", R), ("市政府各部门", R), ("各直属机构", R)],
        ),
        (
            "(发改局、财政局牵头,各乡镇<街道>、各部门负责落实)",
            [("发改局", L), ("财政局", L), ("各乡镇<街道>", R), ("各部门", R)],
        ),
        (
            "（发改局、财政局牵头，各乡镇<街道>、各部门负责落实）",
            [("发改局", L), ("财政局", L), ("各乡镇<街道>", R), ("各部门", R)],
        ),
        ("市住房和城乡建设局负责", [("市住房和城乡建设局", R)]),
        ("市住房和城乡建设局", [("市住房和城乡建设局", R)]),
        ("市文化和旅游局与市自然资源和规划局", [("市文化和旅游局", R), ("市自然资源和规划局", R)]),
        ("市人力资源和社会保障局和市医保局配合", [("市人力资源和社会保障局", C), ("市医保局", C)]),
        ("市发展和改革委员会牵头", [("市发展和改革委员会", L)]),
        ("市政府各部门、各直属\n机构负责", [("市政府各部门", R), ("各直属机构", R)]),
        ("市政府\r\n办公室", [("市政府办公室", R)]),
        ("市文旅广电局（市图书馆）", [("市文旅广电局（市图书馆）", R)]),
        ("市文旅广电局(市图书馆)、市教育局", [("市文旅广电局(市图书馆)", R), ("市教育局", R)]),
        ("各乡镇<街道>", [("各乡镇<街道>", R)]),
        ("各县（市、区）人民政府", [("各县（市、区）人民政府", R)]),
        ("各县(市、区)政府负责", [("各县(市、区)政府", R)]),
        ("市卫生健康委", [("市卫生健康委", R)]),
        ("市发改委等部门负责", [("市发改委", R)]),
        ("市发改委、市财政局等", [("市发改委", R), ("市财政局", R)]),
        ("市发改委、市财政局等相关单位配合", [("市发改委", C), ("市财政局", C)]),
        ("由市政府办公室牵头", [("市政府办公室", L)]),
        ("市政府办公室牵头负责", [("市政府办公室", L)]),
        ("市政府办公室主责，市大数据局具体落实", [("市政府办公室", L), ("市大数据局", R)]),
        ("市大数据局承办", [("市大数据局", R)]),
        ("市大数据局协助", [("市大数据局", C)]),
        ("市大数据局参与", [("市大数据局", C)]),
        ("市审批局牵头；市工信局负责；市财政局配合。", [("市审批局", L), ("市工信局", R), ("市财政局", C)]),
        ("市审批局牵头市工信局负责", [("市审批局", L), ("市工信局", R)]),
        ("市发改委（牵头）、市财政局", [("市发改委", L), ("市财政局", R)]),
        ("市发改委（牵头单位），市财政局（配合）", [("市发改委", L), ("市财政局", C)]),
        (
            "牵头单位：市发改委；配合单位：市财政局、市审计局",
            [("市发改委", L), ("市财政局", C), ("市审计局", C)],
        ),
        ("责任单位：市发改委", [("市发改委", R)]),
        ("牵头：市发改委 配合：市财政局", [("市发改委", L), ("市财政局", C)]),
        ("市审批局牵头，市审批局负责", [("市审批局", L)]),
        ("市审批局、市审批局", [("市审批局", R)]),
        ("市审批局牵头，各部门", [("市审批局", L), ("各部门", R)]),
        ("市 审批局", [("市审批局", R)]),
        ("各县区、各部门", [("各县区", R), ("各部门", R)]),
        ("各县区及各部门", [("各县区", R), ("各部门", R)]),
        ("市政府办以及市大数据局", [("市政府办", R), ("市大数据局", R)]),
        ("各直属机构,各部门;各县区", [("各直属机构", R), ("各部门", R), ("各县区", R)]),
        # 牵头 reaches back only to the last comma; a semicolon stops every role word
        (
            "各县（市）区人民政府，市民政局牵头，市政府各有关部门、各直属机构配合",
            [("各县（市）区人民政府", R), ("市民政局", L), ("市政府各有关部门", C), ("各直属机构", C)],
        ),
        (
            "各县（市）区人民政府，市人社局、市教育局、市退役军人事务局牵头，市政府各有关部门、各直属机构配合",
            [
                ("各县（市）区人民政府", R),
                ("市人社局", L),
                ("市教育局", L),
                ("市退役军人事务局", L),
                ("市政府各有关部门", C),
                ("各直属机构", C),
            ],
        ),
        (
            "各县（市）区人民政府、市财政局牵头，市政府各部门、各直属机构负责",
            [("各县（市）区人民政府", L), ("市财政局", L), ("市政府各部门", R), ("各直属机构", R)],
        ),
        (
            "市政府各部门、各直属机构负责，市司法局配合",
            [("市政府各部门", R), ("各直属机构", R), ("市司法局", C)],
        ),
        ("市审计局；市财政局配合", [("市审计局", R), ("市财政局", C)]),
        ("市审计局，市财政局配合", [("市审计局", C), ("市财政局", C)]),
        ("牵头单位：市发改委，市财政局", [("市发改委", L), ("市财政局", L)]),
        (
            "市档案馆、市文旅广电局（市图书馆）、市中级人民法院牵头，市邮政管理局负责",
            [("市档案馆", L), ("市文旅广电局（市图书馆）", L), ("市中级人民法院", L), ("市邮政管理局", R)],
        ),
        ("各县（市）区\n人民政府负责", [("各县（市）区人民政府", R)]),
        ("(财政局负责落实)", [("财政局", R)]),
        (
            "(卫生健康局牵头,各乡镇<街道>、各部门负责落实)",
            [("卫生健康局", L), ("各乡镇<街道>", R), ("各部门", R)],
        ),
        ("市市场监管局、市场监管局", [("市市场监管局", R), ("市场监管局", R)]),
        ("市发改委会同市财政局负责", [("市发改委", R), ("市财政局", R)]),
        ("市政府同级部门", [("市政府同级部门", R)]),
        ("市工商和市场监管局", [("市工商和市场监管局", R)]),
        ("市残联与各县区", [("市残联", R), ("各县区", R)]),
        ("市残联和市总工会配合", [("市残联", C), ("市总工会", C)]),
        ("市文旅广电局（市图书馆(分馆）、市教育局", [("市文旅广电局（市图书馆(分馆）", R), ("市教育局", R)]),
        ("【市委网信办】、市公安局", [("【市委网信办】", R), ("市公安局", R)]),
        ("", []),
        ("   ", []),
        ("、，", []),
        ("（）", []),
        ("牵头", []),
        ("负责", []),
    ],
)
def test_parse_units(text: str, expected: list[tuple[str, UnitRole]]) -> None:
    assert _pairs(text) == expected


@pytest.mark.parametrize("default", list(UnitRole))
def test_default_role_for_clauses_without_role_word(default: UnitRole) -> None:
    assert _pairs("市发改委、市财政局", default) == [("市发改委", default), ("市财政局", default)]
    assert _pairs("市审计局牵头，市发改委", default) == [("市审计局", L), ("市发改委", default)]


def test_returns_unit_assignments() -> None:
    assert parse_units("市发改委") == [UnitAssignment("市发改委", UnitRole.RESPONSIBLE)]


def test_unbalanced_brackets_do_not_lose_text() -> None:
    assert _pairs("市文旅广电局（市图书馆") == [("市文旅广电局（市图书馆", R)]
    assert _pairs("市文旅广电局）、市教育局") == [("市文旅广电局）", R), ("市教育局", R)]


def test_non_string_input() -> None:
    assert parse_units(None) == []  # type: ignore[arg-type]


def test_parser_bug_returns_empty_not_raise(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(text: str, role: UnitRole) -> list[UnitAssignment]:
        raise RuntimeError("bug")

    monkeypatch.setattr(units, "_parse", boom)
    assert parse_units("市发改委") == []


def _check(text: str) -> None:
    squashed = "".join(ch for ch in text if not ch.isspace())
    result = units._parse(text, UnitRole.RESPONSIBLE)
    names = [u.name for u in result]
    assert len(names) == len(set(names))
    for u in result:
        assert u.name.strip()
        assert u.name in squashed
        assert isinstance(u.role, UnitRole)


@settings(max_examples=400)
@given(st.text())
def test_never_raises_and_names_come_from_the_text(text: str) -> None:
    assert isinstance(parse_units(text), list)
    _check(text)


_PIECES = st.sampled_from(
    ["市", "局", "委", "办", "县", "区", "人民政府", "各部门", "住房", "城乡建设", "审批", "卫生健康"]
    + ["牵头", "负责", "配合", "落实", "协助", "负责落实", "单位", "：", "等", "由"]
    + list("、，,；;和与及（）()<>《》【】 \n")
)


@settings(max_examples=800)
@given(st.lists(_PIECES, max_size=16).map("".join))
def test_unit_like_text(text: str) -> None:
    _check(text)


@pytest.mark.parametrize("piece", ["和", "市局和", "（市）", "负责", "牵头：", "市局，"])
def test_long_cell_stays_fast(piece: str) -> None:
    import time

    text = piece * (20000 // len(piece))
    start = time.perf_counter()
    parse_units(text)
    assert time.perf_counter() - start < 5  # linear: well under a second; quadratic took minutes


def test_a_clause_describing_the_units_share_is_not_its_name() -> None:
    units = parse_units("市教育局（负责学校信息公开）、市卫健委（负责医疗机构）")
    assert [u.name for u in units] == ["市教育局", "市卫健委"]
    # a bracket that is part of the name stays
    assert [u.name for u in parse_units("各县（市）区人民政府")] == ["各县（市）区人民政府"]


def test_several_units_each_leading() -> None:
    units = parse_units("市金融办、人民银行潍坊市中心支行分别牵头落实")
    assert [(u.name, u.role) for u in units] == [
        ("市金融办", UnitRole.LEAD),
        ("人民银行潍坊市中心支行", UnitRole.LEAD),
    ]


def test_coordinating_leads_and_assisting_cooperates() -> None:
    got = parse_units("法规科统筹，各职能科(室)配合。")
    assert [(u.name, u.role) for u in got] == [("法规科", UnitRole.LEAD), ("各职能科(室)", UnitRole.COOPERATING)]
    got = parse_units("规划处牵头，计财处会办")
    assert [(u.name, u.role) for u in got] == [("规划处", UnitRole.LEAD), ("计财处", UnitRole.COOPERATING)]
    # 统筹 inside a name is no role word
    assert [(u.name, u.role) for u in parse_units("市城乡统筹办")] == [("市城乡统筹办", UnitRole.RESPONSIBLE)]


def test_by_function_phrases_are_roles_not_names() -> None:
    got = parse_units("市政府办公室、市司法局牵头，市直其他单位按职能分工落实")
    assert [(u.name, u.role) for u in got] == [
        ("市政府办公室", UnitRole.LEAD),
        ("市司法局", UnitRole.LEAD),
        ("市直其他单位", UnitRole.RESPONSIBLE),
    ]


def test_square_brackets_inside_a_name_keep_it_whole() -> None:
    got = parse_units("市自然资源和规划局牵头，各县〔市、区〕人民政府负责")
    assert [(u.name, u.role) for u in got] == [
        ("市自然资源和规划局", UnitRole.LEAD),
        ("各县〔市、区〕人民政府", UnitRole.RESPONSIBLE),
    ]
