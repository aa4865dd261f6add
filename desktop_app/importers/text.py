"""Cleaning cell and paragraph text: joined line breaks, stray spaces, numbering prefixes."""

from __future__ import annotations

import re
import unicodedata

# CJK ideographs plus CJK and full-width punctuation: no space belongs between two of these.
_CJK = "\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2018-\u201f\u2014\u2026"
_SPACE = " \t\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff"
_CJK_GAP = re.compile(f"(?<=[{_CJK}])[{_SPACE}]+(?=[{_CJK}])")
_SPACES = re.compile(f"[{_SPACE}]+")
_WORDCHAR = re.compile(r"[A-Za-z0-9]")

# A line that starts a genuinely separate paragraph: "1." "1、" "（1）" "①" "一是" "（一）" "一、"
ENUMERATED = re.compile(
    r"^(\d{1,3}[.．、)）](?!\d)|[（(]\d{1,3}[)）]|[①-⑳]|[一二三四五六七八九十]+[是、]|[（(][一二三四五六七八九十]+[)）])"
)


def tidy_line(text: str) -> str:
    """One line: spaces between CJK characters removed, other runs of spaces made one, ends trimmed."""
    text = _CJK_GAP.sub("", text)
    text = _SPACES.sub(" ", text)
    return text.strip(_SPACE)


# A line that is one unit's name ("市发展改革委", "各区县政府", "县政府办公室牵头", "市发展改革委（牵头）").
_UNIT_LINE = re.compile(
    r"^(?:各|市|省|县|区|镇|乡|国家|自治区|中共)[\u4e00-\u9fff（）()]{1,20}(?:局|委|办|院|会|部|处|室|所|站|队|中心|"
    r"政府|部门|单位|机构|公司|集团|银行|街道|乡镇|馆|校|团|社|台|署|组|科|股|司|联|协|厅|办事处)"
    r"(?:牵头|负责|配合|参与|协助|[（(](?:牵头|负责|配合|参与|协助)(?:单位)?[)）])?[，,、；;]?$"
)


def join_pieces(pieces: list[str]) -> str:
    """Join lines/paragraphs of one cell: a newline only before a numbered line, else glued
    (one space between two Latin/digit words, nothing between Chinese characters). A cell of one
    unit name per line ("市发展改革委 / 市财政局") keeps its names apart with "、"."""
    if len(pieces) >= 2:
        lines = [x for x in map(tidy_line, pieces) if x]
        if len(lines) >= 2 and all(_UNIT_LINE.match(x) for x in lines):
            return "、".join(x.rstrip("，,、；;") for x in lines)
    out = ""
    for raw in pieces:
        piece = tidy_line(raw)
        if not piece:
            continue
        if not out:
            out = piece
        elif ENUMERATED.match(piece):
            out += "\n" + piece
        elif _WORDCHAR.match(out[-1]) and _WORDCHAR.match(piece[0]):
            out += " " + piece
        else:
            out += piece
    return out


def clean(text: str | None) -> str:
    """A cell value written as one string with newlines (Excel, python-docx text)."""
    if not text:
        return ""
    return join_pieces(str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def normalise_number(text: str) -> str:
    """A 序号 cell as a plain number string: full-width digits, trailing "." or "、" dropped."""
    text = unicodedata.normalize("NFKC", text).strip()
    return text.rstrip(".、。 ").strip()


def first_sentence(text: str) -> tuple[str, str]:
    """Split at the first "。"/"；": (sentence without its stop, the rest)."""
    m = re.search(r"[。；;]", text)
    if not m:
        return text.strip(), ""
    return text[: m.start()].strip(), text[m.end() :].strip()
