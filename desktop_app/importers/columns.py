"""Which ledger field a table column holds, recognised from its header words."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# field -> header words (simplified; traditional forms are mapped to these first)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号", "项次"),
    "key_work": (
        "重点工作",
        "重点任务",
        "工作要点",
        "工作重点",
        "重点事项",
        "工作类别",
        "类别",
        "工作项目",
        "考核项目",
        "目标任务",
    ),
    "item": ("子项", "工作事项", "具体事项"),
    "content": (
        "主要内容",
        "重要内容",
        "工作任务",
        "具体内容",
        "任务内容",
        "工作内容",
        "工作措施",
        "具体措施",
        "具体任务",
        "任务分解",
        "具体举措",
        "工作举措",
        "考核内容",
        "考核事项",
        "任务名称",
        "具体要求",
        "工作要求",
        "任务要求",
    ),
    "indicator": ("量化指标", "考核指标", "指标", "考核标准", "评价标准"),
    "units": ("责任单位", "责任部门", "牵头单位", "牵头部门", "责任主体", "承办单位", "负责单位", "责任科室"),
    "cooperating_units": ("配合部门", "配合单位", "协同单位", "协同部门", "协办单位", "会办单位", "会办处室"),
    "deadline": (
        "完成时限",
        "时限",
        "完成时间",
        "时间节点",
        "完成期限",
        "办结时限",
        "时间安排",
        "进度安排",
        "时限要求",
        "时间进度",
        "时间要求",
        "进度要求",
        "截止时间",
        "完成节点",
        "计划完成时间",
        "办理时限",
    ),
    "progress": ("推进情况", "进展情况", "进展落实情况", "完成情况", "落实情况", "工作进展", "进度"),
    "remarks": ("备注", "说明"),
}

# Names shown in the import wizard's mapping combo box, in this order.
FIELD_LABELS: dict[str, str] = {
    "number": "序号",
    "key_work": "重点工作",
    "item": "子项",
    "content": "主要内容",
    "indicator": "量化指标",
    "units": "责任单位",
    "cooperating_units": "配合单位",
    "deadline": "完成时限",
    "progress": "推进情况",
    "remarks": "备注",
    "ignore": "（不导入）",
}

# Enough traditional characters for the header words above.
_TRAD = str.maketrans(
    {
        "號": "号",
        "編": "编",
        "點": "点",
        "務": "务",
        "單": "单",
        "責": "责",
        "門": "门",
        "協": "协",
        "時": "时",
        "間": "间",
        "進": "进",
        "況": "况",
        "備": "备",
        "註": "注",
        "內": "内",
        "標": "标",
        "體": "体",
        "頭": "头",
        "牽": "牵",
        "實": "实",
        "項": "项",
        "評": "评",
        "價": "价",
        "說": "说",
        "明": "明",
        "負": "负",
        "辦": "办",
        "結": "结",
        "節": "节",
        "題": "题",
        "際": "际",
        "舉": "举",
        "措": "措",
        "類": "类",
        "別": "别",
        "極": "极",
        "檢": "检",
        "預": "预",
        "計": "计",
        "劃": "划",
        "幹": "干",
        "報": "报",
        "則": "则",
        "規": "规",
        "範": "范",
        "細": "细",
        "確": "确",
        "開": "开",
        "發": "发",
        "資": "资",
        "訊": "讯",
        "屬": "属",
        "眾": "众",
        "與": "与",
        "參": "参",
    }
)
_NOISE = re.compile(r"[\s\u3000:：*＊\-—_/、.．。]+")
_BRACKETED = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")


@lru_cache(maxsize=65536)  # every body cell is compared with the header words: texts repeat
def normalise_header(text: str) -> str:
    """Header text to compare: no spaces/newlines/punctuation, full-width folded, simplified."""
    text = unicodedata.normalize("NFKC", text or "").translate(_TRAD)
    return _NOISE.sub("", text)


def match_header(text: str) -> str | None:
    """The field a header names, or None. Exact words first, then the longest word it contains
    ("责任单位（部门）", "完成时限（2023年）"), only for short headers so a sentence never matches."""
    norm = normalise_header(text)
    if not norm:
        return None
    for field, words in SYNONYMS.items():
        if norm in words:
            return field
    bare = _BRACKETED.sub("", unicodedata.normalize("NFKC", text or "").translate(_TRAD))
    bare = _NOISE.sub("", bare)
    for candidate in (bare, norm):
        if not candidate or len(candidate) > 12:
            continue
        for field, words in SYNONYMS.items():
            if candidate in words:
                return field
        best: tuple[int, str] | None = None
        for field, words in SYNONYMS.items():
            for w in words:
                if w in candidate and (best is None or len(w) > best[0]):
                    best = (len(w), field)
        if best:
            return best[1]
    return None


def header_fields(labels: list[str]) -> list[str | None]:
    return [match_header(x) for x in labels]


def looks_like_header(labels: list[str]) -> bool:
    """A row of labels is a header when it names at least two different fields, one of them what
    the task is (key work / content), and most of its distinct non-empty cells are recognised."""
    distinct = [x for x in dict.fromkeys(labels) if x.strip()]
    if len(distinct) < 2:
        return False
    fields = [match_header(x) for x in distinct]
    named = {f for f in fields if f}
    if len(named) < 2 or not named & {"key_work", "content", "item"}:
        return False
    return sum(1 for f in fields if f) * 2 >= len(distinct)
