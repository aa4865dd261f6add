"""生成本单位台账: a unit's own 任务分工 ledger drawn from the city's work points.

The tasks that concern the unit (named, or addressed generically to its kind of unit: the same rules
as 只看本单位 and the city office's expected returns, domain.directory) are copied with the city's
number, key work, content, deadline and units, each linked to its city task; internal columns
(责任科室, 责任人, 具体措施, 内部时限) are added for the unit's own use and never printed in a report
that goes to the city or to the public (exporters.common.report_columns leaves them out).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from desktop_app.domain.directory import KINDS, Directory, addresses, normalise_kind, normalise_name
from desktop_app.domain.model import (
    ColumnSpec,
    Ledger,
    LedgerError,
    Section,
    Task,
    TaskStatus,
    Unit,
    UnitAssignment,
)

# The unit's own columns, kept in Task.extra under these headers.
INTERNAL_HEADERS: tuple[str, ...] = ("责任科室", "责任人", "具体措施", "内部时限")
INTERNAL_COLUMNS: tuple[ColumnSpec, ...] = tuple(ColumnSpec(f"extra:{h}", h) for h in INTERNAL_HEADERS)
# Task.extra keys linking a derived task to its city task (not a column: never shown or printed).
LINK_LEDGER = "_city_ledger_id"
LINK_TASK = "_city_task_id"

# CLI words for the kinds (--kind 部门|直属机构|县区|其他).
KIND_WORDS = {"部门": KINDS[0], "直属机构": KINDS[1], "县区": KINDS[2], "其他": KINDS[3]}


def is_internal_column(col: ColumnSpec) -> bool:
    return col.field.startswith("extra:") and col.field[len("extra:") :] in INTERNAL_HEADERS


def is_link_key(key: str) -> bool:
    return key.startswith("_city_")


def kind_from_word(word: str) -> str:
    """部门 / 直属机构 / 县区 / 其他, or a kind as the directory writes it; LedgerError otherwise."""
    kind = KIND_WORDS.get(word.strip()) or normalise_kind(word)
    if kind is None:
        raise LedgerError(f"单位类型“{word}”不认识：请写 部门、直属机构、县区 或 其他。")
    return kind


@dataclass
class Derived:
    ledger: Ledger
    tasks: int  # how many city tasks concern the unit
    generic: int  # of which addressed generically (市政府各部门 …) rather than by name
    links: dict[int, int] = field(default_factory=dict)  # position in ledger.all_tasks() -> city task id


def derive_unit_ledger(city: Ledger, unit_name: str, kind: str, directory: Directory | None = None) -> Derived:
    """The unit's ledger: the city's tasks addressed to `unit_name` (of `kind`), in the city's order and
    sections, with the internal columns added. The directory decides aliases; the unit is added to a
    copy of it with its kind when the directory does not know it, so generic addressees reach it."""
    name = unit_name.strip()
    if not name:
        raise LedgerError("请填写本单位名称（如 市教育局）。")
    units = list(directory.units) if directory is not None else []
    known = Directory(units).find(name)
    if known is None:
        me = Unit(id=-1, name=name, kind=kind)
        d = Directory([*units, me])
    else:
        me = copy.copy(known)
        me.kind = kind  # what the user says about the unit wins for this ledger
        d = Directory([me if u is known else u for u in units])
    sections: list[Section] = []
    links: dict[int, int] = {}
    count = generic = 0
    for sec in city.sections:
        mine: list[Task] = []
        for t in sec.tasks:
            if not addresses(t, me, d):
                continue
            generic += 0 if _named_directly(t, me) else 1
            links[count] = t.id  # type: ignore[assignment]
            count += 1
            mine.append(_copy_task(t, city, len(mine), me if _SEPARATELY in (t.units_text or "") else None))
        if mine:
            sections.append(Section(title=sec.title, position=len(sections), tasks=mine))
    if not count:
        raise LedgerError(
            f"城市台账中没有写给“{name}”（{kind}）的任务：请检查单位名称和类型，或在单位名录中补充别名。"
        )
    cols = list(city.columns) or []
    cols = [c for c in cols if c.field != "progress" and not is_internal_column(c)]
    cols += [ColumnSpec("progress", "进展落实情况"), *INTERNAL_COLUMNS]
    ledger = Ledger(
        title=f"{name}{city.year}年政务公开工作任务分工台账" if city.year else f"{name}政务公开工作任务分工台账",
        year=city.year,
        owner_unit=name,
        issuer=city.issuer or city.owner_unit,
        report_dates=list(city.report_dates),
        source_name=None,
        columns=cols,
        sections=sections,
        # the city's lineage: the unit's report carries the city ledger's identity, so the city office's
        # collection takes it as a return of its own ledger (the unit's title is its own)
        ident=city.ident,
    )
    return Derived(ledger=ledger, tasks=count, generic=generic, links=links)


def _named_directly(task: Task, me: Unit) -> bool:
    wanted = {normalise_name(n) for n in (me.name, *me.aliases)}
    names = [u.name for u in task.units] + [task.units_text or "", task.cooperating_text or ""]
    return any(w and w in normalise_name(n) for n in names for w in wanted)


_SEPARATELY = "分别"  # "市教育局、市卫健委分别负责落实": each unit carries the whole task on its own


def _copy_task(t: Task, city: Ledger, position: int, only: Unit | None = None) -> Task:
    """The unit's copy of a city task; `only`: the task was given to several units 分别, so the copy
    names this unit alone (its own share of the work)."""
    extra = {k: v for k, v in t.extra.items() if not is_link_key(k)}
    for h in INTERNAL_HEADERS:
        extra.setdefault(h, "")
    extra[LINK_LEDGER] = str(city.id or "")
    extra[LINK_TASK] = str(t.id or "")
    return Task(
        number=t.number,
        key_work=t.key_work,
        item=t.item,
        content=t.content,
        indicator=t.indicator,
        units_text=only.name if only else t.units_text,
        cooperating_text="" if only else t.cooperating_text,
        units=[UnitAssignment(only.name)] if only else copy.deepcopy(t.units),
        deadline=copy.deepcopy(t.deadline),
        status=TaskStatus.NOT_STARTED,
        percent=0,
        progress="",
        remarks="",
        extra=extra,
        position=position,
    )
