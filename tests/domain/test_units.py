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


L, R, C = UnitRole.LEAD, UnitRole.RESPONSIBLE, UnitRole.COOPERATING


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "参照落实": the towns follow the same task
        (
            "市发展和改革局牵头，市直有关部门落实；各镇(街)参照落实",
            [("市发展和改革局", L), ("市直有关部门", R), ("各镇(街)", R)],
        ),
        ("市城管局主责，市住建局协同", [("市城管局", L), ("市住建局", C)]),
        ("市政务服务中心负责，各乡镇（街道）协同配合", [("市政务服务中心", R), ("各乡镇（街道）", C)]),
        ("市政府办公室指导，各部门负责", [("市政府办公室", L), ("各部门", R)]),
        ("市政府办公室牵头抓总，各部门具体实施", [("市政府办公室", L), ("各部门", R)]),
        ("市委宣传部、市政府新闻办共同牵头", [("市委宣传部", L), ("市政府新闻办", L)]),
        ("市财政局为牵头单位，市审计局为配合单位", [("市财政局", L), ("市审计局", C)]),
        ("市财政局（主办）、市审计局（协办）", [("市财政局", L), ("市审计局", C)]),
        ("市财政局为主，市审计局配合", [("市财政局", L), ("市审计局", C)]),
        ("市财政局负总责，各县区具体落实", [("市财政局", L), ("各县区", R)]),
        # "按照职责" / "根据各自职责" before any role word belong to it
        ("县政府办公室负责，县直各部门按照职责落实", [("县政府办公室", R), ("县直各部门", R)]),
        ("市司法局牵头，各部门根据各自职责配合", [("市司法局", L), ("各部门", C)]),
    ],
)
def test_more_ways_of_writing_roles(text: str, expected) -> None:
    assert [(u.name, u.role) for u in parse_units(text)] == expected


def test_a_label_inside_the_brackets_after_a_unit_opens_its_own_clause() -> None:
    got = parse_units("市财政局（配合：市审计局、市统计局）")
    assert [(u.name, u.role) for u in got] == [("市财政局", R), ("市审计局", C), ("市统计局", C)]
    got = parse_units("市教育局（牵头单位：市教育局）")  # the same unit named twice keeps its first role
    assert [u.name for u in got] == ["市教育局"]


def test_what_a_unit_does_after_its_role_word_is_no_unit() -> None:
    got = parse_units(
        "区司法局牵头区级规范性文件集中公开工作，区各规范性文件制定主体具体落实；"
        "各成员单位负责做好本单位规范性文件集中公开工作"
    )
    assert [(u.name, u.role) for u in got] == [("区司法局", L), ("区各规范性文件制定主体", R), ("各成员单位", R)]
    # 协同/指导 inside a name are no role words
    assert [u.name for u in parse_units("市协同创新中心、市指导站")] == ["市协同创新中心", "市指导站"]


def test_an_office_before_hui_leads_and_those_after_it_cooperate() -> None:
    """ "宣传处会办公室" (广东's 主办处室会协办处室): 会 is not 会办 here, and 办公室 stays whole."""
    assert [(u.name, u.role) for u in parse_units("宣传处会办公室")] == [("宣传处", L), ("办公室", C)]
    assert [(u.name, u.role) for u in parse_units("政法处会财务处、审计处")] == [
        ("政法处", L),
        ("财务处", C),
        ("审计处", C),
    ]
    assert [(u.name, u.role) for u in parse_units("规划处牵头，计财处会办")] == [("规划处", L), ("计财处", C)]
    for name in ("市人大常委会办公室", "县管委会办公室", "市财政局会计科", "市商务局会展办"):
        assert [(u.name, u.role) for u in parse_units(name)] == [(name, R)]


def test_numbered_lists_of_units_and_marked_leads() -> None:
    assert [u.name for u in parse_units("1.市发改委\n2.市财政局")] == ["市发改委", "市财政局"]
    assert [u.name for u in parse_units("（1）市发改委 （2）市财政局")] == ["市发改委", "市财政局"]
    assert [(u.name, u.role) for u in parse_units("①市发改委②市财政局配合")] == [("市发改委", C), ("市财政局", C)]
    # 带★/*的为牵头单位: the mark is no part of the name
    assert [(u.name, u.role) for u in parse_units("★市发改委、市财政局")] == [("市发改委", L), ("市财政局", R)]
    assert [(u.name, u.role) for u in parse_units("市发改委*、市审计局配合")] == [("市发改委", C), ("市审计局", C)]
    assert [u.name for u in parse_units("市12345热线办")] == ["市12345热线办"]
