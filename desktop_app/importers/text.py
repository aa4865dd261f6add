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


# Traditional characters of the words that carry a ledger's structure -> simplified: role words (牽頭, 負責,
# 落實, 參與, 協助), labels (責任單位, 部門), unit endings (廳, 辦, 處, 隊, 縣, 區, 鄉鎮), deadline words
# (長期堅持, 持續推進, 時限). One character for one, so a position in the folded text is one in the original.
_TRAD_PAIRS = (
    "牽牵 頭头 負负 責责 實实 參参 與与 協协 辦办 單单 門门 會会 職职 統统 籌筹 據据 導导 體体 執执 擔担 別别 為为 總总 關关 機机 構构 組组 織织 廳厅 處处 隊队 館馆 團团  "
    "聯联 鄉乡 鎮镇 縣县 區区 臺台 屬属 級级 轄辖 長长 堅坚 續续 進进 態态 時时 週周 內内 後后 個个 開开 啟启 動动 務务 報报 結结 發发 佈布 請请 號号 編编 點点 項项 況况  "
    "備备 註注 標标 細细 價价 說说 節节 題题 際际 舉举 類类 劃划 規规 範范 確确 資资 訊讯 眾众 衛卫 環环 護护 農农 業业 經经 濟济 貿贸 場场 監监 審审 計计 稅税 財财 醫医  "
    "療疗 網网 數数 廣广 電电 視视 聞闻 傳传 應应 黨党 員员 議议 紀纪 檢检 專专 現现 幹干 億亿 萬万 係系 歷历 葉叶 陳陈 劉刘 張张 趙赵 錢钱 孫孙 楊杨 衆众 圖图 書书 歸归  "
    "廠厂 產产 檔档 無无 戶户 龍龙 漢汉 蘇苏 灣湾 陽阳 貴贵 慶庆 鄭郑 禮礼 僑侨 優优 補补 貼贴 災灾 險险 質质 營营 紅红 鐵铁 運运 輸输 郵邮 氣气 礦矿 糧粮 儲储 獻献 藝艺  "
    "術术 懷怀 僅仅 證证 認认"
)
_TO_SIMPLIFIED = str.maketrans({pair[0]: pair[1] for pair in _TRAD_PAIRS.split()})


def to_simplified(text: str) -> str:
    """The structural words of a traditional-character text in simplified form (same length)."""
    return text.translate(_TO_SIMPLIFIED)


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
