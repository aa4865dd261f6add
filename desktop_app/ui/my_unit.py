"""只看本单位: which tasks are this unit's, by the directory's addressee rules (domain.directory): its
name and other names (市发改委 = 市发展和改革委员会), the generic addressees of its kind (市政府各部门,
各直属机构, 各县（市）区人民政府 ...), and on the unit's own ledger every task that names no unit."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from desktop_app.domain.directory import KINDS, OTHER, Directory, addresses, normalise_kind
from desktop_app.domain.model import Task, Unit

_ALIAS_SPLIT = re.compile(r"[，,、;；\s]+")


def split_aliases(text: str) -> list[str]:
    return [a for a in _ALIAS_SPLIT.split(text or "") if a]


def loose_match(name: str, wanted: str) -> bool:
    """自然资源局 finds 市自然资源局 and the other way round (for names the directory does not know)."""
    return bool(name and wanted) and (wanted in name or name in wanted)


def names_no_unit(task: Task) -> bool:
    return not task.units and not (task.units_text or "").strip() and not (task.cooperating_text or "").strip()


def my_unit_rule(
    name: str,
    aliases: Sequence[str] = (),
    kind: str = "",
    directory_units: Sequence[Unit] = (),
    owner_unit: str = "",
) -> Callable[[Task], bool] | None:
    """A test "is this task mine?" for the unit called `name` (None when no unit is set). The unit's
    settings add to what the directory knows of it: its kind and other names."""
    name = (name or "").strip()
    if not name:
        return None
    units = list(directory_units)
    found = Directory(units).find(name)
    extra = [a for a in aliases if a and a != name]
    chosen = normalise_kind(kind) if kind else None
    chosen = chosen if chosen in KINDS else None
    me = Unit(
        id=found.id if found else None,
        name=found.name if found else name,
        aliases=list(dict.fromkeys([*(found.aliases if found else []), *extra, *([name] if found else [])])),
        kind=chosen or (found.kind if found else OTHER),
        contact=found.contact if found else "",
    )
    units = [me if u is found else u for u in units] + ([] if found else [me])
    directory = Directory(units)
    names = [name, *extra]
    own = bool(owner_unit.strip()) and (
        directory.find(owner_unit) is me or any(loose_match(owner_unit.strip(), n) for n in names)
    )

    def mine(task: Task) -> bool:
        if own and names_no_unit(task):
            return True  # the unit's own ledger: a task naming nobody is the unit's
        if addresses(task, me, directory):
            return True
        written = [u.name for u in task.units] or [task.units_text or ""]
        return any(loose_match(w, n) for w in written for n in names)

    return mine
