"""A prose notice of work points (一、 section, （一） group, 1. item) -> sections and tasks.

Choices: a task's key work is its （一） group heading; `item` is the first sentence of the numbered
item (its key phrase, "加强涉及市场主体的信息公开", without the 。) and `content` the item's full text
without its number and without the closing units parenthesis, which becomes `units_text`. A （一）
paragraph with no 1. 2. items under it is itself a task: key work = its first sentence, item None,
content = its full text. Tasks are numbered 1, 2, 3 ... through the document, as ledgers number
them. Paragraphs before the first 一、 (notice header, addressee, signature, 总体要求) and unnumbered
paragraphs after the items (closing requirements) are not tasks.

One paragraph can hold several tasks, each sentence group closed by its own units ("……（市教育局负责
落实）。……（市民政局牵头，各县区配合）。" or "……。责任单位：市司法局。"): each becomes a task, with
the group heading as key work. A line of its own "责任单位：…" (or "（牵头单位：…；责任单位：…）") gives
its units to the task above it. A deadline written in the sentence ("于6月底前", "每季度") becomes
the task's deadline text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop_app.domain.model import Deadline, Section, Task
from desktop_app.importers.text import first_sentence, to_simplified

_CN = "一二三四五六七八九十"
SECTION = re.compile(rf"^\s*([{_CN}]+)\s*[、.．]\s*(.*)$")
GROUP = re.compile(rf"^\s*[（(]\s*([{_CN}]+)\s*[)）]\s*[、.．]?\s*(.*)$")
ITEM = re.compile(r"^\s*(\d{1,2})\s*(?:[.．、](?!\d)|[)）])\s*(.*)$")
# The closing parenthesis naming the units: "(发改局、财政局牵头,各乡镇<街道>、各部门负责落实)"
UNITS = re.compile(r"[（(]([^（）()]*(?:[（(][^（）()]*[)）][^（）()]*)*)[)）]\s*[。.]?\s*$")
_UNIT_WORDS = ("负责", "牵头", "落实", "配合", "责任单位", "参与")
# A bracketed units clause anywhere, when it closes a sentence: followed by 。/；/end.
_PAREN = r"[（(]([^（）()]*(?:[（(][^（）()]*[)）][^（）()]*)*)[)）]"
# ... or standing after the full stop of the sentence it closes ("……规划信息。（市规划国土委负责落实）推进……").
CLOSER = re.compile(r"(?:" + _PAREN + r"\s*(?:[。；;.]|$)|(?<=[。；;!！?？])\s*" + _PAREN + r")")
# "责任单位：市司法局。" / "牵头单位：A；配合单位：B" closing a sentence (not inside brackets).
_LABEL = r"(?:牵头|责任|配合|参与|主办|协办)(?:单位|部门)\s*[：:]"
_NAMES = r"(?:[^。（）()]|[（(][^（）()。]*[)）])*?"  # unit names, brackets inside them ("各县（市、区）政府")
LABELED = re.compile(r"(?<![（(])\s*(" + _LABEL + _NAMES + r"(?:[；;]\s*" + _LABEL + _NAMES + r")*)\s*(?:。|$)")
# A paragraph that is only a units line: "责任单位：…", "（牵头单位：…；责任单位：…）".
UNIT_LINE = re.compile(r"^\s*[（(]?\s*(" + _LABEL + r".*?)\s*[)）]?\s*[。.]?\s*$")
# Deadlines written inside a sentence: "于6月底前", "2023年9月30日前", "2022年底前", "每季度", "按月公开".
DEADLINE_IN = re.compile(
    r"((?:\d{4}年|次年|翌年|当年|今年|明年)?\d{1,2}月(?:底|末|中旬|上旬|下旬|份|\d{1,2}日)?(?:前|以前|之前|内))"
    r"|((?:\d{4})?(?:年底|年末|上半年|下半年)(?:前|以前|内))"
    r"|(\d{4}年(?:上半年|下半年|第[一二三四1-4]季度(?:末)?)(?:前|以前|内)?)"
    r"|((?:第[一二三四1-4]季度)(?:末)?(?:前|以前|内))"
    r"|(每(?:季度|月|半年|年)(?:\d{1,2}日前)?)"
    r"|(按(?:季度|月|季|年)(?=公开|发布|更新|报送|通报|调整))"
    r"|(长期坚持)"
)


# A line of its own giving the deadline of the task above: "完成时限：长期坚持".
_DEADLINE_LABEL = r"(?:完成时限|完成时间|时间节点|时限要求|时间要求|完成期限|时限)\s*[：:]"
DEADLINE_LINE = re.compile(r"^\s*[（(]?\s*" + _DEADLINE_LABEL + r"\s*(.+?)\s*[)）]?\s*[。.]?\s*$")
# after "；" or "，", or after spaces on one line ("责任单位：县财政局　　完成时限：3月底前", the spaces
# between Chinese characters dropped when the line was read)
_DEADLINE_IN_UNITS = re.compile(r"(?:[；;，,]|\s)?\s*" + _DEADLINE_LABEL + r"\s*([^；;（）()]+?)\s*(?=[；;]|$)")
_DEADLINE_WORDS = re.compile(
    r"^(?:长期坚持|持续推进|长期推进|持续开展|长期|常态化|常态化开展|全年|立即启动|及时|按时序推进|"
    r"(?:根据|按照?)上级(?:部署|要求|安排|统一部署)|每(?:季度|月|半年|年|周))$"
)
# Parts of a notice that frame the work rather than assign it ("一、总体要求" "（一）指导思想").
_FRAME = re.compile(r"总体要求|指导思想|基本原则|工作目标|主要目标|保障措施|组织保障|组织领导|工作要求|有关要求")


def units_and_deadline(units: str) -> tuple[str, str]:
    """ "责任单位：县财政局；完成时限：6月底前" -> ("责任单位：县财政局", "6月底前"); the same for a deadline
    closing the units clause ("市政府办公室牵头，市直各部门配合，12月底前完成")."""
    folded = to_simplified(units)  # traditional characters matched as simplified, sliced as written
    m = _DEADLINE_IN_UNITS.search(folded)
    if m:
        return (units[: m.start()] + units[m.end() :]).strip("；;，, "), units[m.start(1) : m.end(1)].strip("。. ")
    cut = max(units.rfind(ch) for ch in "，,；;")
    if cut > 0:
        tail = units[cut + 1 :].strip("。. ")
        bare = tail[:-2] if to_simplified(tail).endswith("完成") else tail
        if bare and (_DEADLINE_WORDS.match(to_simplified(bare)) or DEADLINE_IN.fullmatch(to_simplified(bare))):
            return units[:cut].strip(), bare
    return units, ""


@dataclass
class NoticeParse:
    sections: list[Section]
    preamble: list[str]
    trailing: list[str]
    items_seen: int


def split_units(text: str) -> tuple[str, str]:
    """(text without the closing units parenthesis, the units inside it) — units "" when none."""
    m = UNITS.search(text)
    if m and any(w in m.group(1) for w in _UNIT_WORDS):
        return text[: m.start()].rstrip(), m.group(1).strip()
    return text, ""


def split_tasks(text: str) -> list[tuple[str, str]]:
    """[(sentence group, its units)] for each units clause closing a sentence inside `text`.

    One pair (text, "") when nothing in it names units; text after the last clause, when it says
    something (more than punctuation), is kept with the last task rather than lost.
    """
    cuts: list[tuple[int, int, str]] = []
    end = len(text.rstrip())
    folded = to_simplified(text)  # traditional characters matched as simplified, sliced as written
    for m in CLOSER.finditer(folded):
        g = 1 if m.group(1) is not None else 2
        inner = m.group(g)
        # units named with a role word, or only unit names in the bracket that closes the paragraph
        # ("……6月底前完成改版。（市政府办公室）")
        if any(w in inner for w in _UNIT_WORDS) or (m.end() >= end and _only_units(inner)):
            cuts.append((m.start(), m.end(), text[m.start(g) : m.end(g)].strip()))
    for m in LABELED.finditer(folded):
        if not any(a <= m.start(1) < b for a, b, _ in cuts):
            cuts.append((m.start(1), m.end(), _labeled_units(text[m.start(1) : m.end(1)])))
    cuts.sort()
    if not cuts:
        return [(text, "")]
    parts: list[tuple[str, str]] = []
    start = 0
    for a, b, units in cuts:
        if a < start:
            continue
        body = text[start:a].strip().rstrip("，,；;")
        if body:
            parts.append((body, units))
        elif parts and not parts[-1][1]:
            parts[-1] = (parts[-1][0], units)
        start = b
    rest = text[start:].strip()
    if rest and any(ch.isalnum() for ch in rest):
        if parts:
            parts[-1] = (f"{parts[-1][0]}{rest}", parts[-1][1])
        else:
            parts.append((rest, ""))
    return parts or [(text, "")]


def _only_units(text: str) -> bool:
    from desktop_app.importers.roles import is_unit_text

    return bool(text.strip()) and is_unit_text(text)


def _labeled_units(text: str) -> str:
    """ "牵头单位：A；责任单位：B、C" -> "A牵头；B、C负责" (the form parse_units reads best)."""
    return text.strip().rstrip("。.；;")


def deadline_in(text: str) -> str:
    """The first deadline written inside a sentence, "" when none."""
    m = DEADLINE_IN.search(to_simplified(text))
    return text[m.start() : m.end()] if m else ""


# The number opening a sub-item paragraph: "（1）", "①", "1）".
_SUB_NUMBER = re.compile(r"^\s*(?:[（(]\s*\d{1,2}\s*[)）]|[①-⑳]|\d{1,2}\s*[)）])\s*")
# A bracket of its own holding only the deadline: "……。（县政府办公室负责）（2024年6月底前完成）".
_DEADLINE_BRACKET = re.compile(r"\s*[（(]\s*([^（）()]{2,20}?)\s*[)）]\s*[。.]?\s*$")
# 【】〔〕［］ around a units clause are read like （）; "国办发〔2020〕109号" names no units and stays.
_OTHER_BRACKETS = re.compile(r"[【〔［]([^【】〔〕［］]*)[】〕］]")


def round_brackets(text: str) -> str:
    """ "……。【责任单位：县财政局】" -> "……。（责任单位：县财政局）"."""
    if not any(ch in text for ch in "【〔［"):
        return text
    return _OTHER_BRACKETS.sub(
        lambda m: f"（{m.group(1)}）" if any(w in to_simplified(m.group(1)) for w in _UNIT_WORDS) else m.group(0),
        text,
    )


def _deadline_bracket(body: str) -> tuple[str, str]:
    m = _DEADLINE_BRACKET.search(body)
    if m:
        inner = m.group(1)
        bare = inner[:-2] if to_simplified(inner).endswith("完成") else inner
        if _DEADLINE_WORDS.match(to_simplified(bare)) or DEADLINE_IN.fullmatch(to_simplified(bare)):
            return body[: m.start()].rstrip(), bare
    return body, ""


def _task(key_work: str, item: str | None, body: str, units: str) -> Task:
    units, written = units_and_deadline(units)
    if units:
        body, bracketed = _deadline_bracket(body)
        written = written or bracketed
    return Task(
        key_work=key_work,
        item=item or None,
        content=body,
        units_text=units,
        deadline=Deadline(text=written or deadline_in(body)),
    )


def _section_key(title: str | None) -> str:
    """ "一、推进重点领域公开" -> 推进重点领域公开: the key work of items standing right under a part."""
    m = SECTION.match(title or "")
    return m.group(2).strip().rstrip("。.") if m else ""


def parse_notice(paragraphs: list[str]) -> NoticeParse:
    sections: list[Section] = []
    preamble: list[str] = []
    trailing: list[str] = []
    group_heading: str | None = None
    group_task: Task | None = None  # the （一） paragraph, a task of its own if no items follow
    group_has_items = False
    heading_only = False  # the （一） paragraph is a bare heading, its text follows below
    last: Task | None = None
    line_units: Task | None = None  # the task whose units came from lines of their own
    items = 0
    counter = 0

    def close_group() -> None:
        nonlocal group_task
        if group_task is not None and not group_has_items and sections:
            sections[-1].tasks.append(group_task)
        group_task = None

    for text in paragraphs:
        if not text:
            continue
        text = round_brackets(text)
        if not sections and not SECTION.match(text):
            preamble.append(text)
            continue
        m = SECTION.match(text)
        if m and len(text) <= 60 and not UNITS.search(text):
            close_group()
            sections.append(Section(title=text.strip(), position=len(sections)))
            group_heading, group_has_items, last = None, False, None
            continue
        m = GROUP.match(text)
        if m:
            close_group()
            whole = m.group(2).strip()
            parts = split_tasks(whole)
            heading, _rest = first_sentence(parts[0][0])
            group_heading, group_has_items = heading, False
            heading_only = len(parts) == 1 and not _rest.strip() and not parts[0][1]
            if len(parts) == 1:
                body, units = parts[0]
                group_task = _task(heading, None, body, units)
                last = group_task
            else:
                # Several tasks in one （一） paragraph: its first sentence heads them.
                group_has_items = True
                for k, (body, units) in enumerate(parts):
                    if k == 0 and _rest.strip() and body.startswith(heading):
                        body = body[len(heading) :].lstrip("。.：:，, ")
                    sections[-1].tasks.append(_task(heading, None, body, units))
                last = sections[-1].tasks[-1]
            items += len(parts)
            continue
        m = ITEM.match(text)
        if m and sections:
            for body, units in split_tasks(m.group(2).strip()):
                item, _rest = first_sentence(body)
                task = _task(group_heading or _section_key(sections[-1].title), item, body, units)
                sections[-1].tasks.append(task)
                last = task
                items += 1
            group_has_items = True
            continue
        # A line of its own naming the units of the task above: "责任单位：市司法局", then maybe
        # "配合单位：…" and "完成时限：…" lines.
        u = UNIT_LINE.match(to_simplified(text))
        if u and last is not None and (not last.units_text or last is line_units):
            units, written = units_and_deadline(_labeled_units(text[u.start(1) : u.end(1)]))
            last.units_text = f"{last.units_text}；{units}" if last.units_text else units
            if written:
                last.deadline = Deadline(text=written)
            line_units = last
            continue
        d = DEADLINE_LINE.match(to_simplified(text))
        if d and last is not None:
            last.deadline = Deadline(text=text[d.start(1) : d.end(1)].strip())
            continue
        # Unnumbered text: the rest of an item whose units come at its end, a paragraph of tasks
        # closed by their own units inside a group, else closing text.
        parts = split_tasks(text)
        if last is not None and not last.units_text and parts[0][1]:
            if heading_only and last is group_task:
                # "（一）标题" on a line of its own: the paragraph below is the task's text
                last.content = _SUB_NUMBER.sub("", parts[0][0], count=1)
            else:
                last.content = f"{last.content}\n{parts[0][0]}".strip()
            last.units_text, written = units_and_deadline(parts[0][1])
            if written or not last.deadline.text:
                last.deadline = Deadline(text=written or deadline_in(last.content))
            parts = parts[1:]
        elif group_heading is not None and parts[0][1] and last is not None:
            pass
        else:
            trailing.append(text)
            last = None
            continue
        for body, units in parts:
            # "（1）…" / "①…" / "1）…" paragraphs each closed by their units: tasks numbered through the notice
            task = _task(group_heading or "", None, _SUB_NUMBER.sub("", body, count=1), units)
            if group_task is not None and not group_has_items:
                group_has_items = True
                if group_task.units_text:
                    # the （一） paragraph above (or the one under its heading) is a task of its own: kept
                    sections[-1].tasks.append(group_task)
                # else the （一） paragraph above was only a heading after all
                group_task = None
            sections[-1].tasks.append(task)
            last = task
            items += 1
    close_group()
    for section in sections:
        # "一、总体要求" with its （一）指导思想 / （二）工作目标: no units, no tasks
        if _FRAME.search(to_simplified(section.title or "")) and not any(t.units_text for t in section.tasks):
            section.tasks = []
        elif section.tasks and all(_FRAME.fullmatch(t.key_work or "") and not t.units_text for t in section.tasks):
            section.tasks = []
    for section in sections:
        for task in section.tasks:
            counter += 1
            task.number = str(counter)
    return NoticeParse([s for s in sections if s.tasks], preamble, trailing, items)
