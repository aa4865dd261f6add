"""A prose notice of work points (一、 section, （一） group, 1. item) -> sections and tasks.

Choices: a task's key work is its （一） group heading; `item` is the first sentence of the numbered
item (its key phrase, "加强涉及市场主体的信息公开", without the 。) and `content` the item's full text
without its number and without the closing units parenthesis, which becomes `units_text`. A （一）
paragraph with no 1. 2. items under it is itself a task: key work = its first sentence, item None,
content = its full text. Tasks are numbered 1, 2, 3 ... through the document, as ledgers number
them. Paragraphs before the first 一、 (notice header, addressee, signature, 总体要求) and unnumbered
paragraphs after the items (closing requirements) are not tasks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop_app.domain.model import Deadline, Section, Task
from desktop_app.importers.text import first_sentence

_CN = "一二三四五六七八九十"
SECTION = re.compile(rf"^\s*([{_CN}]+)\s*[、.．]\s*(.*)$")
GROUP = re.compile(rf"^\s*[（(]\s*([{_CN}]+)\s*[)）]\s*[、.．]?\s*(.*)$")
ITEM = re.compile(r"^\s*(\d{1,2})\s*(?:[.．、](?!\d)|[)）])\s*(.*)$")
# The closing parenthesis naming the units: "(发改局、财政局牵头,各乡镇<街道>、各部门负责落实)"
UNITS = re.compile(r"[（(]([^（）()]*(?:[（(][^（）()]*[)）][^（）()]*)*)[)）]\s*[。.]?\s*$")
_UNIT_WORDS = ("负责", "牵头", "落实", "配合", "责任单位", "参与")


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


def parse_notice(paragraphs: list[str]) -> NoticeParse:
    sections: list[Section] = []
    preamble: list[str] = []
    trailing: list[str] = []
    group_heading: str | None = None
    group_task: Task | None = None  # the （一） paragraph, a task of its own if no items follow
    group_has_items = False
    last: Task | None = None
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
            body, units = split_units(m.group(2).strip())
            heading, _rest = first_sentence(body)
            group_heading, group_has_items = heading, False
            group_task = Task(
                key_work=heading, item=None, content=body, units_text=units, deadline=Deadline()
            )
            last = group_task
            items += 1
            continue
        m = ITEM.match(text)
        if m and sections:
            body, units = split_units(m.group(2).strip())
            item, _rest = first_sentence(body)
            task = Task(
                key_work=group_heading or "",
                item=item or None,
                content=body,
                units_text=units,
                deadline=Deadline(),
            )
            group_has_items = True
            sections[-1].tasks.append(task)
            last = task
            items += 1
            continue
        # Unnumbered text: the rest of an item whose units come at its end, else closing text.
        body, units = split_units(text)
        if last is not None and not last.units_text and units:
            last.content = f"{last.content}\n{body}".strip()
            last.units_text = units
        else:
            trailing.append(text)
            last = None
    close_group()
    for section in sections:
        for task in section.tasks:
            counter += 1
            task.number = str(counter)
    return NoticeParse([s for s in sections if s.tasks], preamble, trailing, items)
