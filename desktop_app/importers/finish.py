"""The last step of every reader: deadlines and units read, progress marked, odd cells flagged."""

from __future__ import annotations

import re
from dataclasses import replace

from desktop_app.domain.deadlines import parse_deadline
from desktop_app.domain.model import ColumnSpec, Deadline, Ledger, TaskStatus, UnitAssignment, UnitRole
from desktop_app.domain.units import parse_units
from desktop_app.importers.people import PEOPLE_COLUMN, split_people
from desktop_app.importers.result import ImportResult
from desktop_app.importers.text import to_simplified

# A rule the ledger states once for how its units cells are written: "逗号前为牵头单位，…，下同" (the units
# before the first "，" lead), "排在首位的为牵头单位" (the first unit named leads). Said with 下同 it holds for
# every task after it too.
_RULE = re.compile(
    r"(?:^|[。；;])\s*(?:注[:：])?\s*([^。；;]*?(?:(逗号|，)前|(?:排在?|列)(?:首位|第一位?)|第一个)[^。；;]*?"
    r"为牵头(?:单位|部门)[^。；;]*)[。；;]?\s*$"
)
_SPACES = re.compile(r"\s+")
_ROLE_WORDS = re.compile("牵头|负责|配合|协助|协办|会办|参与|落实|主责|统筹")


def _stated_rules(ledger: Ledger) -> None:
    """Apply a units rule stated in a units cell ("逗号前为牵头单位…下同") to it and, with 下同, to the tasks
    after it; the statement itself is no unit and is taken out of the cell."""
    rule: str | None = None
    for task in ledger.all_tasks():
        text = task.units_text
        m = _RULE.search(to_simplified(text)) if text else None
        own = None
        if m:
            own = "comma" if m.group(2) else "first"
            text = text[: m.start(1)].rstrip("。；;，, ")
            if "下同" in m.group(1):
                rule = own
        which = own or rule
        if which and text and not _ROLE_WORDS.search(_LABEL.sub("", to_simplified(text))):
            text = _lead_by_rule(text, which)
        task.units_text = text


_LABEL = re.compile(r"^\s*(?:责任|牵头|主办)?(?:单位|部门)\s*[:：]")


def _lead_by_rule(text: str, which: str) -> str:
    label = _LABEL.match(text)
    head, body = (text[: label.end()], text[label.end() :]) if label else ("", text)
    cut = body.find("，") if which == "comma" else -1
    if which == "comma" and cut < 0:
        cut = body.find(",")
    if which == "first":
        cut = next((i for i, ch in enumerate(body) if ch in "、，,；;"), -1)
    if cut <= 0:
        return f"{head}{body}牵头" if which == "comma" or cut < 0 else text
    return f"{head}{body[:cut]}牵头{body[cut:]}"


def _parse_units(text: str, role: UnitRole) -> list[UnitAssignment]:
    """parse_units, also for traditional characters ("市財政局牽頭"): the roles read in the simplified
    form, the names as written."""
    folded = to_simplified(text)
    if folded == text:
        return parse_units(text, role)
    written = _SPACES.sub("", text)
    plain = to_simplified(written)
    out = []
    for unit in parse_units(folded, role):
        at = plain.find(unit.name)
        name = written[at : at + len(unit.name)] if at >= 0 else unit.name
        out.append(UnitAssignment(name=name, role=unit.role))
    return out


def finish_tasks(ledger: Ledger, result: ImportResult) -> None:
    # Ledgers repeat the same units and deadline cells on many rows: read each text once.
    units_seen: dict[tuple[str, UnitRole], list[UnitAssignment]] = {}
    deadlines_seen: dict[str, Deadline] = {}
    _stated_rules(ledger)

    def units(text: str, role: UnitRole) -> list[UnitAssignment]:
        if not text:
            return []
        if (text, role) not in units_seen:
            units_seen[(text, role)] = _parse_units(text, role)
        return list(units_seen[(text, role)])

    for si, section in enumerate(ledger.sections):
        section.position = si
        for ti, task in enumerate(section.tasks):
            task.position = ti
            text = task.deadline.text
            if text not in deadlines_seen:
                folded = to_simplified(text)  # "長期堅持" read as 长期坚持, kept as written
                deadline = parse_deadline(folded, ledger.year)
                deadlines_seen[text] = replace(deadline, text=text) if folded != text else deadline
            task.deadline = deadlines_seen[text]  # frozen: safe to share
            if task.deadline.flagged:
                result.flagged.append((si, ti, f"无法识别完成时限“{text}”"))
            # a person is not a unit ("（张某某）", "王副县长"): kept apart (table cells were done per column)
            for attr in ("units_text", "cooperating_text"):
                text, people = split_people(getattr(task, attr))
                if people:
                    setattr(task, attr, text)
                    written = task.extra.get(PEOPLE_COLUMN, "")
                    task.extra[PEOPLE_COLUMN] = "；".join(dict.fromkeys(([written] if written else []) + people))
                    if not any(c.field == f"extra:{PEOPLE_COLUMN}" for c in ledger.columns):
                        ledger.columns.append(ColumnSpec(f"extra:{PEOPLE_COLUMN}", PEOPLE_COLUMN))
            task.units = units(task.units_text, UnitRole.RESPONSIBLE) + units(
                task.cooperating_text, UnitRole.COOPERATING
            )
            if (task.units_text or task.cooperating_text) and not task.units:
                result.flagged.append(
                    (si, ti, f"无法识别责任单位“{task.units_text or task.cooperating_text}”")
                )
            if task.progress:
                task.status = TaskStatus.IN_PROGRESS
