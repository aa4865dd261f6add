"""Prose notices: 一、 section, （一） group, 1. item, units in the closing parenthesis."""

from __future__ import annotations

from desktop_app.domain.model import UnitRole
from desktop_app.importers import load_any
from desktop_app.importers.notice_reader import parse_notice, split_units


def test_lingwu_notice(data_dir) -> None:
    result = load_any(data_dir / "lingwu-2022-notice.docx")
    ledger = result.ledger
    assert result.source_kind == "notice"
    tasks = ledger.all_tasks()
    assert len(tasks) == 21
    assert [len(s.tasks) for s in ledger.sections] == [9, 4, 5, 3]
    assert [s.title for s in ledger.sections][0] == "一、持续深化重点领域信息公开"
    assert [t.number for t in tasks] == [str(i) for i in range(1, 22)]
    assert ledger.title == "灵武市2022年政务公开工作要点"
    assert (ledger.year, ledger.owner_unit, ledger.issuer) == (2022, "灵武市", "灵武市人民政府办公室")
    for t in tasks:
        assert t.units, t.number
        assert all(u.name and isinstance(u.role, UnitRole) for u in t.units)
        assert t.units_text and t.units_text not in t.content
        assert t.key_work and t.content
    first = tasks[0]
    assert first.key_work == "以公开助力经济健康发展"
    assert first.item == "加强涉及市场主体的信息公开"
    assert first.content.startswith("加强涉及市场主体的信息公开。增强政策制定实施的透明度")
    assert first.content.endswith("发展环境。")
    third = tasks[2]
    assert third.units_text == "发改局、财政局牵头,各乡镇<街道>、各部门负责落实"
    assert [(u.name, u.role) for u in third.units][:2] == [
        ("发改局", UnitRole.LEAD),
        ("财政局", UnitRole.LEAD),
    ]
    # a （二） paragraph with no 1. 2. below it is a task of its own
    t13 = tasks[12]
    assert t13.key_work == "优化政策咨询服务" and t13.item is None
    assert t13.content.startswith("优化政策咨询服务。采取线下与线上")
    # nothing from the preamble or the closing paragraph
    texts = " ".join(t.content for t in tasks)
    assert "此件公开发布" not in texts and "总体要求" not in texts and "各单位要根据本要点" not in texts


def test_short_notice(generated) -> None:
    result = load_any(generated["short-notice.docx"])
    tasks = result.ledger.all_tasks()
    assert [t.item for t in tasks] == ["加强市场主体信息公开", "推动减税降费信息公开", None, None]
    assert tasks[1].content == "推动减税降费信息公开。系统梳理政策。\n及时推送到企业。"
    assert tasks[1].units_text == "税务局负责落实"
    assert [(u.name, u.role) for u in tasks[3].units] == [
        ("政府办", UnitRole.LEAD),
        ("各部门", UnitRole.COOPERATING),
    ]
    assert result.ledger.title == "某县2024年政务公开工作要点"


def test_split_units() -> None:
    assert split_units("做好公开。(各部门负责落实)") == ("做好公开。", "各部门负责落实")
    assert split_units("依据《条例》（国办函〔2020〕109号）执行。") == (
        "依据《条例》（国办函〔2020〕109号）执行。",
        "",
    )
    assert split_units("做好公开（发改局（物价）牵头，各部门负责）。")[1] == "发改局（物价）牵头，各部门负责"


def test_no_sections_no_tasks() -> None:
    parsed = parse_notice(["关于做好某项工作的通知", "请各单位认真落实。"])
    assert parsed.sections == [] and parsed.items_seen == 0


def test_notice_columns_and_missing_units_flagged(tmp_path) -> None:
    import docx

    d = docx.Document()
    for text in [
        "某局2024年政务公开工作要点",
        "一、公开",
        "（一）甲。",
        "1.做好公开。（办公室负责）",
        "2.做好解读。",
    ]:
        d.add_paragraph(text)
    path = tmp_path / "n.docx"
    d.save(path)
    result = load_any(path)
    assert [c.field for c in result.ledger.columns] == ["number", "key_work", "item", "content", "units"]
    tasks = result.ledger.all_tasks()
    assert [(t.key_work, t.item, t.units_text) for t in tasks] == [
        ("甲", "做好公开", "办公室负责"),
        ("甲", "做好解读", ""),
    ]
    assert result.flagged == [(0, 1, "原文未写明责任单位（条目末尾的括号）")]


# Shapes of other cities' work points: several tasks in one paragraph, each closed by its units;
# units on a line of their own; deadlines written inside the sentence.
_SEVERAL = [
    "某市人民政府办公室关于印发某市2024年政务公开工作要点的通知",
    "一、加强政策解读",
    "（一）提升解读质量。严格落实解读方案与政策文件同步起草（市司法局负责落实）。"
    "各部门于6月底前完成解读材料清理（市政府各部门分别负责落实）。"
    "围绕优化营商环境开展系列解读（市发展改革委牵头，市商务局配合）。",
    "（二）做好政策咨询。完善政策咨询服务，每季度更新问答库。责任单位：市政务服务中心。",
    "二、规范平台建设",
    "（一）加强网站管理。",
    "1.开展网站普查，9月30日前完成整改。",
    "责任单位：市政府办公室",
    "2.推进政务新媒体规范发展。",
    "（牵头单位：市委网信办；责任单位：各县（市）区人民政府）",
    "三、强化保障",
    "各单位要高度重视，认真落实。",
]


def test_several_tasks_in_one_group_paragraph() -> None:
    parse = parse_notice(_SEVERAL)
    first = parse.sections[0].tasks
    assert [t.content for t in first[:3]] == [
        "严格落实解读方案与政策文件同步起草",
        "各部门于6月底前完成解读材料清理",
        "围绕优化营商环境开展系列解读",
    ]
    assert {t.key_work for t in first[:3]} == {"提升解读质量"}
    assert [t.units_text for t in first[:3]] == [
        "市司法局负责落实",
        "市政府各部门分别负责落实",
        "市发展改革委牵头，市商务局配合",
    ]
    assert first[1].deadline.text == "6月底前"
    assert first[3].units_text == "责任单位：市政务服务中心"
    assert first[3].deadline.text == "每季度"
    assert "责任单位" not in first[3].content


def test_units_on_their_own_line_attach_to_the_task_above() -> None:
    parse = parse_notice(_SEVERAL)
    tasks = parse.sections[1].tasks
    assert [t.item for t in tasks] == ["开展网站普查，9月30日前完成整改", "推进政务新媒体规范发展"]
    assert tasks[0].units_text == "责任单位：市政府办公室"
    assert tasks[0].deadline.text == "9月30日前"
    assert tasks[1].units_text == "牵头单位：市委网信办；责任单位：各县（市）区人民政府"
    # the closing requirements are not tasks
    assert len(parse.sections) == 2


def test_several_tasks_read_with_roles_and_dates(tmp_path) -> None:
    from docx import Document

    doc = Document()
    for text in _SEVERAL:
        doc.add_paragraph(text)
    path = tmp_path / "要点.docx"
    doc.save(path)
    tasks = load_any(path).ledger.all_tasks()
    assert len(tasks) == 6
    roles = {(u.name, u.role) for u in tasks[2].units}
    assert roles == {("市发展改革委", UnitRole.LEAD), ("市商务局", UnitRole.COOPERATING)}
    assert tasks[1].deadline.due_date is not None and tasks[1].deadline.due_date.month == 6
    assert [u.name for u in tasks[5].units] == ["市委网信办", "各县（市）区人民政府"]
    assert tasks[5].units[0].role == UnitRole.LEAD


def test_a_sentence_deadline_needs_a_closing_word() -> None:
    from desktop_app.importers.notice_reader import deadline_in

    assert deadline_in("建立年初建账、年中查账、年底交账的机制") == ""
    assert deadline_in("于2024年11月底前完成") == "2024年11月底前"
    assert deadline_in("年底前全部上线") == "年底前"


def test_a_sentence_deadline_keeps_its_year_and_a_monthly_rhythm() -> None:
    from desktop_app.importers.notice_reader import deadline_in

    assert deadline_in("同步发布，2022年底前实现解读全覆盖") == "2022年底前"
    assert deadline_in("按月公开低保、特困人员救助供养情况") == "按月"
    assert deadline_in("按月份统计") == ""  # 按月 as a rhythm only before a verb of publishing


def test_a_units_line_may_hold_the_deadline_after_spaces() -> None:
    from desktop_app.importers.notice_reader import units_and_deadline

    for line in ("责任单位：县财政局　　完成时限：2023年3月底前", "责任单位：县财政局完成时限：2023年3月底前"):
        assert units_and_deadline(line) == ("责任单位：县财政局", "2023年3月底前")


def test_labelled_units_with_brackets_and_a_bracket_of_unit_names_close_a_paragraph() -> None:
    from desktop_app.importers.notice_reader import split_tasks

    text = "公开国土空间规划。牵头单位：市自然资源局；责任单位：各县（市、区）人民政府。"
    assert split_tasks(text) == [("公开国土空间规划。", "牵头单位：市自然资源局；责任单位：各县（市、区）人民政府")]
    assert split_tasks("整合网站栏目，6月底前完成改版。（市政府办公室、市大数据局）") == [
        ("整合网站栏目，6月底前完成改版。", "市政府办公室、市大数据局")
    ]
    # a bracket that names no unit stays in the text
    assert split_tasks("修订政务公开指南（2024年版）") == [("修订政务公开指南（2024年版）", "")]


def test_units_brackets_after_the_full_stop_close_one_task_each() -> None:
    """"……规划信息。（市规划委负责落实）推进……。（市发展改革委负责落实）": the bracket stands after the full
    stop of the sentence it closes and the next task follows at once."""
    parsed = parse_notice(
        [
            "一、加强重点工作信息公开",
            "（一）做好重大规划信息公开。发布控制性详细规划等规划信息。（市规划委负责落实）推进区域协作"
            "信息公开。（市发展改革委、市教委分别负责落实）公开重点交通项目建设情况。（市交通委负责落实）",
        ]
    )
    tasks = [t for s in parsed.sections for t in s.tasks]
    assert [(t.key_work, t.content, t.units_text) for t in tasks] == [
        ("做好重大规划信息公开", "发布控制性详细规划等规划信息。", "市规划委负责落实"),
        ("做好重大规划信息公开", "推进区域协作信息公开。", "市发展改革委、市教委分别负责落实"),
        ("做好重大规划信息公开", "公开重点交通项目建设情况。", "市交通委负责落实"),
    ]
    # a bracket inside a sentence that names no units stays in the text
    parsed = parse_notice(["一、公开", "（一）做好公开。依据《条例》（国办函〔2020〕109号）执行。（市政府办负责落实）"])
    (task,) = [t for s in parsed.sections for t in s.tasks]
    assert "（国办函〔2020〕109号）" in task.content and task.units_text == "市政府办负责落实"


def test_deadlines_written_in_more_ways_inside_the_text_and_the_units_bracket() -> None:
    parsed = parse_notice(
        [
            "一、加强重点领域公开",
            "1.做好年报编制。次年1月31日前发布上一年度年报。（县政府办公室负责落实）",
            "2.做好考核。（县政府办公室负责，根据上级部署）",
            "3.做好专栏改版。2024年第三季度末前完成专栏改版。（县政府办公室负责）",
            "4.做好平台整合。2024年上半年完成。（县数据局负责）",
            "5.做好专题更新。（县数据局负责，每季度）",
            "6.做好政策解读。（县政府办公室牵头，县直各部门配合，长期推进）",
        ]
    )
    tasks = [t for s in parsed.sections for t in s.tasks]
    assert [(t.units_text, t.deadline.text) for t in tasks] == [
        ("县政府办公室负责落实", "次年1月31日前"),
        ("县政府办公室负责", "根据上级部署"),
        ("县政府办公室负责", "2024年第三季度末前"),
        ("县数据局负责", "2024年上半年"),
        ("县数据局负责", "每季度"),
        ("县政府办公室牵头，县直各部门配合", "长期推进"),
    ]


def test_units_in_other_brackets_and_a_deadline_bracket_of_its_own() -> None:
    parsed = parse_notice(
        [
            "一、加强重点领域公开",
            "1.做好财政预决算公开。按规定公开政府预决算。【责任单位：县财政局】",
            "2.做好年报编制。依据《通知》（国办发〔2020〕9号）发布年报。〔县政府办公室负责〕",
            "3.做好培训。（县政府办公室负责）（2024年6月底前完成）",
        ]
    )
    tasks = [t for s in parsed.sections for t in s.tasks]
    assert [(t.content, t.units_text, t.deadline.text) for t in tasks] == [
        ("做好财政预决算公开。按规定公开政府预决算。", "责任单位：县财政局", ""),
        ("做好年报编制。依据《通知》（国办发〔2020〕9号）发布年报。", "县政府办公室负责", ""),
        ("做好培训。", "县政府办公室负责", "2024年6月底前"),
    ]


def test_a_notice_in_traditional_characters_finds_its_units_and_deadlines() -> None:
    parsed = parse_notice(
        [
            "一、深化重點領域公開",
            "（一）財政信息公開。公開政府預決算。（縣財政局負責落實）推進債務公開。（縣財政局牽頭，長期堅持）",
            "（二）依申請公開。規範答復。",
            "責任單位：縣司法局",
            "完成時限：2024年6月底前",
        ]
    )
    tasks = [t for s in parsed.sections for t in s.tasks]
    assert [(t.content, t.units_text, t.deadline.text) for t in tasks] == [
        ("公開政府預決算。", "縣財政局負責落實", ""),
        ("推進債務公開。", "縣財政局牽頭", "長期堅持"),
        ("依申請公開。規範答復。", "責任單位：縣司法局", "2024年6月底前"),
    ]


def test_sub_item_paragraphs_each_closed_by_units_are_tasks_none_lost() -> None:
    """"（1）…（单位负责）" / "①…" under a （一） heading: every one a task, its number not in the content (the first
    one, read as the heading's text, was lost when a second followed)."""
    parsed = parse_notice(
        [
            "一、深化重点领域公开",
            "（一）财政信息公开",
            "（1）公开政府预决算。（县财政局负责）",
            "（2）公开债务信息。（县财政局负责）",
            "（二）政策解读",
            "①做好政策解读。（县政府办公室负责）",
            "②做好回应关切。（县政府办公室牵头，县直各部门配合）",
        ]
    )
    tasks = [t for s in parsed.sections for t in s.tasks]
    assert [(t.number, t.key_work, t.content, t.units_text) for t in tasks] == [
        ("1", "财政信息公开", "公开政府预决算。", "县财政局负责"),
        ("2", "财政信息公开", "公开债务信息。", "县财政局负责"),
        ("3", "政策解读", "做好政策解读。", "县政府办公室负责"),
        ("4", "政策解读", "做好回应关切。", "县政府办公室牵头，县直各部门配合"),
    ]
