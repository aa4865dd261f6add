"""Cell text cleaning: joined line breaks, stray spaces, numbered paragraphs."""

from __future__ import annotations

from desktop_app.importers.text import clean, first_sentence, join_pieces, normalise_number


def test_line_breaks_in_chinese_are_joined_without_space() -> None:
    assert clean("加强经济\n高质量发展信息公开") == "加强经济高质量发展信息公开"


def test_latin_words_keep_one_space() -> None:
    assert clean("Windows\nXP") == "Windows XP"
    assert join_pieces(["共 12", "345 件"]) == "共 12 345 件"


def test_spaces_between_cjk_removed_and_ends_trimmed() -> None:
    assert clean("\u3000查看市政府 门户网站  发布情况 ") == "查看市政府门户网站发布情况"
    assert clean("图文解读占比不低于 80%") == "图文解读占比不低于 80%"
    assert clean("“信用中国（宁夏）” 网站") == "“信用中国（宁夏）”网站"


def test_numbered_paragraphs_keep_their_own_lines() -> None:
    assert join_pieces(["要求如下：", "1.图文解读", "2.视频解读"]) == "要求如下：\n1.图文解读\n2.视频解读"
    assert join_pieces(["（1）甲", "（2）乙"]) == "（1）甲\n（2）乙"
    assert join_pieces(["各县（市）区人民政府，市政府各部门、各直属", "机构负责"]) == (
        "各县（市）区人民政府，市政府各部门、各直属机构负责"
    )


def test_number_and_first_sentence() -> None:
    assert normalise_number(" １２、") == "12"
    assert normalise_number("3.") == "3"
    assert first_sentence("加强涉及市场主体的信息公开。增强透明度。") == (
        "加强涉及市场主体的信息公开",
        "增强透明度。",
    )
    assert first_sentence("没有句号") == ("没有句号", "")


def test_one_unit_a_line_with_the_lead_marked_in_brackets() -> None:
    assert clean("市发展改革委（牵头）\n市工业和信息化局\n市商务局") == "市发展改革委（牵头）、市工业和信息化局、市商务局"


def test_structural_words_in_traditional_characters_fold_one_for_one() -> None:
    from desktop_app.importers.text import to_simplified

    written = "市財政局牽頭，縣直各部門配合；長期堅持"
    assert to_simplified(written) == "市财政局牵头，县直各部门配合；长期坚持"
    assert len(to_simplified(written)) == len(written)
    assert to_simplified("市财政局") == "市财政局"
