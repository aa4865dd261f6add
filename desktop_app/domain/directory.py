"""The units directory (名录) and the addressee rules: which directory units a task addresses.

One set of rules for every side: the city office's expected returns (who must report on what), the unit
side's "只看本单位" filter and any later derivation all call `addressed_units` / `addresses`.

A task names units in its 责任单位 / 配合单位 cells. A named unit matches a directory unit by its name or
one of its other names (市发改委 = 市发展和改革委员会), also with the city's name before it (银川市发改委).
A generic addressee (市政府各部门, 各直属机构, 各县（市）区人民政府, 各有关单位 ...) stands for every
directory unit of that kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from desktop_app.domain.model import Task, Unit
from desktop_app.domain.units import parse_units

__all__ = [
    "KINDS",
    "DEPARTMENT",
    "DIRECT",
    "COUNTY",
    "OTHER",
    "Directory",
    "PasteResult",
    "addressed_units",
    "addresses",
    "generic_kinds",
    "guess_kind",
    "named_units",
    "normalise_kind",
    "normalise_name",
    "parse_paste",
    "unmatched_names",
]

DEPARTMENT = "市政府部门"
DIRECT = "直属机构"
COUNTY = "县（市）区政府"
OTHER = "其他"
KINDS = (DEPARTMENT, DIRECT, COUNTY, OTHER)

_SPACE = re.compile(r"[\s\u200b\u3000]+")
_HALF_TO_FULL = str.maketrans({"(": "（", ")": "）", ",": "，"})


def normalise_name(name: str) -> str:
    """A unit name as compared: no spaces, full-width brackets."""
    return _SPACE.sub("", name or "").translate(_HALF_TO_FULL)


# Kind words as people type them in a pasted list.
_KIND_WORDS = {
    DEPARTMENT: ("市政府部门", "政府部门", "部门", "市直部门", "市直单位"),
    DIRECT: ("直属机构", "市政府直属机构", "直属单位", "直属事业单位", "事业单位"),
    COUNTY: (
        "县（市）区政府",
        "县（市）区人民政府",
        "县（市、区）政府",
        "县区政府",
        "县（区）政府",
        "县区",
        "县（市）区",
    ),
    OTHER: ("其他", "其它", ""),
}
_KIND_OF = {normalise_name(w): k for k, words in _KIND_WORDS.items() for w in words}


def normalise_kind(text: str) -> str | None:
    """The kind a typed word means (县区政府 -> 县（市）区政府), None when it is none of them."""
    return _KIND_OF.get(normalise_name(text))


# Generic addressees: (pattern on the normalised name, kinds it stands for; None = every unit).
# Order matters: the first pattern that matches the whole name decides.
_TOWN = "乡镇"
_GENERIC: list[tuple[re.Pattern[str], tuple[str, ...] | None]] = [
    (re.compile(r"^(?:市政府)?各(?:有关|相关)?直属(?:机构|单位|事业单位)$"), (DIRECT,)),
    (re.compile(r"^各县（?(?:市|市、区|区)?）?区?(?:人民)?(?:政府)?$"), (COUNTY,)),
    (re.compile(r"^各县（市）区(?:人民)?政府$"), (COUNTY,)),
    (re.compile(r"^(?:市政府|市直|市级|市)各(?:有关|相关)?(?:部门|单位)$"), (DEPARTMENT,)),
    (re.compile(r"^各(?:有关|相关)?部门$"), (DEPARTMENT, DIRECT)),
    (re.compile(r"^各乡镇(?:人民政府)?(?:（街道(?:办事处)?）|、?街道(?:办事处)?)?$"), (_TOWN,)),
    (re.compile(r"^各街道(?:办事处)?$"), (_TOWN,)),
    (re.compile(r"^(?:各|其他|其它)?(?:有关|相关)(?:单位|部门|机构)$"), None),
    (re.compile(r"^各单位$"), None),
]
_TOWN_NAME = re.compile(r"(?:乡|镇|街道|街道办事处|乡人民政府|镇人民政府)$")


def generic_kinds(name: str) -> tuple[str, ...] | None | bool:
    """For a generic addressee the kinds it stands for (None: every unit); False for a named unit."""
    key = normalise_name(name)
    for pattern, kinds in _GENERIC:
        if pattern.match(key):
            return kinds
    return False


# "银川市发改委" / "市发改委" / "发改委" compare equal on their core: the words after the city's name.
_CITY_PREFIX = re.compile(r"^(?:[^市\s]{2,3})?市(?!场|人民政府|政府)")


def _core(name: str) -> str:
    key = normalise_name(name)
    stripped = _CITY_PREFIX.sub("", key, count=1)
    return stripped if len(stripped) >= 2 else key


@dataclass
class Directory:
    """The directory's units in their order, with an index of every name they go by."""

    units: list[Unit] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._exact: dict[str, Unit] = {}
        self._core: dict[str, list[Unit]] = {}
        for u in self.units:
            for n in (u.name, *u.aliases):
                self._exact.setdefault(normalise_name(n), u)
        for u in self.units:
            for n in {_core(x) for x in (u.name, *u.aliases)}:
                bucket = self._core.setdefault(n, [])
                if u not in bucket:
                    bucket.append(u)

    def find(self, name: str) -> Unit | None:
        """The directory unit a written name means: by name or other name, then with or without the
        city before it (only when that leaves exactly one unit); None when none or ambiguous."""
        key = normalise_name(name)
        if not key:
            return None
        hit = self._exact.get(key)
        if hit is not None:
            return hit
        bucket = self._core.get(_core(key), [])
        return bucket[0] if len(bucket) == 1 else None

    def of_kinds(self, kinds: tuple[str, ...] | None) -> list[Unit]:
        if kinds is None:
            return list(self.units)
        out = [u for u in self.units if u.kind in kinds]
        if _TOWN in kinds:
            out += [u for u in self.units if _TOWN_NAME.search(normalise_name(u.name)) and u not in out]
        return out


def _as_directory(directory: Directory | Sequence[Unit]) -> Directory:
    return directory if isinstance(directory, Directory) else Directory(list(directory))


def _written_names(task: Task) -> list[str]:
    """Every unit name written in the task's unit cells, in order (all roles: 配合 units report too)."""
    names = [u.name for u in task.units]
    if not names:
        names = [u.name for u in parse_units(task.units_text or "")]
    names += [u.name for u in parse_units(task.cooperating_text or "")]
    seen: set[str] = set()
    return [n for n in names if not (n in seen or seen.add(n))]


def addressed_units(task: Task, directory: Directory | Sequence[Unit]) -> list[Unit]:
    """The directory units the task addresses, in directory order: its named units and the units of
    the kinds its generic addressees stand for."""
    d = _as_directory(directory)
    wanted: set[int] = set()
    for name in _written_names(task):
        kinds = generic_kinds(name)
        if kinds is False:
            unit = d.find(name)
            if unit is not None:
                wanted.add(id(unit))
        else:
            wanted.update(id(u) for u in d.of_kinds(kinds))  # type: ignore[arg-type]
    return [u for u in d.units if id(u) in wanted]


def addresses(task: Task, unit: Unit | str, directory: Directory | Sequence[Unit]) -> bool:
    """Does the task address this unit (a directory unit, or a name the directory knows)? A name the
    directory does not know is matched against the task's named units only (no kind to expand)."""
    d = _as_directory(directory)
    if isinstance(unit, str):
        found = d.find(unit)
        if found is None:
            key = normalise_name(unit)
            return any(normalise_name(n) == key for n in _written_names(task))
        unit = found
    return any(u is unit or (u.id is not None and u.id == unit.id) for u in addressed_units(task, d))


def named_units(tasks: Iterable[Task]) -> list[str]:
    """The named (not generic) units written in the tasks, first appearance first."""
    out: list[str] = []
    seen: set[str] = set()
    for task in tasks:
        for name in _written_names(task):
            key = normalise_name(name)
            if generic_kinds(name) is False and key not in seen:
                seen.add(key)
                out.append(key)
    return out


def unmatched_names(tasks: Iterable[Task], directory: Directory | Sequence[Unit]) -> list[str]:
    """Named units in the tasks that no directory unit goes by (to add to the directory)."""
    d = _as_directory(directory)
    return [n for n in named_units(tasks) if d.find(n) is None]


_COUNTY_NAME = re.compile(r"(?:县|区|市)(?:人民)?政府$|^[\u4e00-\u9fff]{1,6}(?:县|区)$")
_DIRECT_NAME = re.compile(r"(?:中心|研究院|研究室|学院|大学|台|馆|院|站|所)$")
_DEPT_NAME = re.compile(r"^(?:[\u4e00-\u9fff]{1,4})?市.*(?:局|委员会|委|办公室|办)$")


def guess_kind(name: str) -> str:
    """A first guess of a unit's kind from its name; the user corrects it in the directory."""
    key = normalise_name(name)
    if _COUNTY_NAME.search(key):
        return COUNTY
    if _DIRECT_NAME.search(key):
        return DIRECT
    if _DEPT_NAME.match(key):
        return DEPARTMENT
    return OTHER


@dataclass
class PasteResult:
    units: list[Unit] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # one Chinese sentence per bad line


_ALIAS_SEP = re.compile(r"[、，,；;/]")
_HEADER = {"名称", "单位", "单位名称", "名录"}


def parse_paste(text: str) -> PasteResult:
    """Rows copied from Excel: name <tab> kind <tab> other names (separated by 、) <tab> contact.
    Only the name is required; an empty kind is guessed from the name; a header row is skipped."""
    out = PasteResult()
    seen: set[str] = set()
    for no, raw in enumerate((text or "").splitlines(), start=1):
        if not raw.strip():
            continue
        cells = [c.strip().strip('"') for c in raw.split("\t")]
        cells += [""] * (4 - len(cells))
        name = normalise_name(cells[0])
        if not name:
            out.errors.append(f"第{no}行没有单位名称，请在第一列填写名称。")
            continue
        if no == 1 and name in _HEADER:
            continue
        if generic_kinds(name) is not False:
            out.errors.append(f"第{no}行“{name}”是泛指的单位，不能列入名录，请填写具体单位名称。")
            continue
        kind = normalise_kind(cells[1]) if cells[1] else guess_kind(name)
        if kind is None:
            out.errors.append(f"第{no}行的类别“{cells[1]}”无法识别，请填写 {'、'.join(KINDS)} 之一。")
            continue
        if name in seen:
            out.errors.append(f"第{no}行的“{name}”与前面的行重复，请删去重复的一行。")
            continue
        seen.add(name)
        aliases = [normalise_name(a) for a in _ALIAS_SEP.split(cells[2]) if normalise_name(a)]
        contact = " ".join(c for c in cells[3:] if c)
        out.units.append(
            Unit(name=name, aliases=[a for a in aliases if a != name], kind=kind, contact=contact)
        )
    return out
