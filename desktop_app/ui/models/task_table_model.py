"""The task table: a flat model of section rows and task rows, sorted and filtered in Python over
precomputed keys (never through a proxy calling data() per comparison)."""

from __future__ import annotations

import gc
import html
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QColor, QFont

from desktop_app.domain.model import Ledger, Section, Task, TaskStatus, UnitRole
from desktop_app.domain.status import display_percent, effective_status
from desktop_app.ui import status_style
from desktop_app.ui.models.roles import (
    FULL_TEXT_ROLE,
    IS_SECTION_ROLE,
    SEARCH_TERMS_ROLE,
    SECTION_ID_ROLE,
    STATUS_ROLE,
    TASK_ID_ROLE,
)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    field: str | None  # the field name for LedgerService.update_task; None = read only
    width: int


COLUMNS: list[Column] = [
    Column("number", "序号", "number", 56),
    Column("key_work", "重点工作", "key_work", 120),
    Column("content", "主要内容", "content", 280),
    Column("indicator", "量化指标", "indicator", 150),
    Column("units", "责任单位", "units_text", 130),
    Column("deadline", "完成时限", "deadline_text", 90),
    Column("status", "状态", "status", 130),
    Column("percent", "进度", "percent", 56),
    Column("progress", "进展落实情况", "progress", 260),
    Column("updated", "最后更新", None, 96),
]
COLUMN_INDEX = {c.key: i for i, c in enumerate(COLUMNS)}
# The imported columns a ledger may not have at all; the rest are always shown.
_COLUMN_TEXT: dict[str, Callable[[Task], str]] = {
    "key_work": lambda t: t.key_work or "",
    "indicator": lambda t: t.indicator or "",
    "units": lambda t: t.units_text or "",
    "deadline": lambda t: t.deadline.text or "",
}
WARM_UP_START_MS = 30  # after a ledger is shown, the warm-up waits this long (its first paint goes first)
WARM_UP_BATCH = 2000  # search texts built per event-loop turn after a ledger is shown (~10 ms)
STALE_FILTER = "STALE"  # a pseudo status in FilterSpec.statuses: tasks marked 待更新

_SECTION_BG = QColor("#eceff1")
_CONT_FG = QColor("#9e9e9e")
_STALE_FG = QColor(status_style.STALE_COLOR)
_FLAGGED_FG = QColor("#bf360c")
_DISPLAY, _ALIGN, _BACKGROUND, _FOREGROUND = (
    int(Qt.DisplayRole),
    int(Qt.TextAlignmentRole),
    int(Qt.BackgroundRole),
    int(Qt.ForegroundRole),
)
_DECORATION, _FONT, _CHECK = int(Qt.DecorationRole), int(Qt.FontRole), int(Qt.CheckStateRole)
_CENTER = int(Qt.AlignCenter)
_LEFT = int(Qt.AlignLeft | Qt.AlignVCenter)
_STATUS_COL = COLUMN_INDEX["status"]
_DEADLINE_COL = COLUMN_INDEX["deadline"]
_CONTENT_COL = COLUMN_INDEX["content"]
_UPDATED_COL = COLUMN_INDEX["updated"]
_CENTERED = {COLUMN_INDEX["number"], COLUMN_INDEX["percent"]}
# flags() runs for every painted cell; or-ing PySide6's flag enums there costs ~0.3 ms a call
_SELECTABLE = Qt.ItemIsEnabled | Qt.ItemIsSelectable
_EDITABLE = _SELECTABLE | Qt.ItemIsEditable


@dataclass(frozen=True)
class FilterSpec:
    text: str = ""
    statuses: frozenset[str] = field(default_factory=frozenset)  # DisplayStatus names; empty = all
    unit: str = ""  # a unit name ("" = any)
    unit_role: UnitRole | None = None  # the role that unit must have (None = any)
    my_unit: str = ""  # "only my unit": tasks where this unit takes part
    due_within: int | None = None  # days; overdue tasks count as due

    @property
    def terms(self) -> list[str]:
        return [t for t in self.text.lower().split() if t]

    @property
    def active(self) -> bool:
        return bool(self.terms or self.statuses or self.unit or self.my_unit or self.due_within is not None)


_DIGITS = re.compile(r"(\d+)")


def _natural_key(text: str) -> tuple:
    if text.isdecimal():  # most 序号 are plain numbers
        return ((0, int(text), ""),)
    parts = _DIGITS.split(text)
    return tuple((0, int(p), "") if p.isdecimal() else (1, 0, p) for p in parts if p)


def _one_line(text: str) -> str:
    return " ".join(text.split()) if text else ""


def _same_number_cell(first: Task, prev: Task, task: Task) -> bool:
    """Does `task` sit under the same merged 序号 cell as the run that began with `first`?"""
    number = (task.number or "").strip()
    if number:
        return number == (prev.number or "").strip() == (first.number or "").strip()
    key = (task.key_work or "").strip()
    return bool(key) and key == (prev.key_work or "").strip() and not (first.number or "").count("-")


def unit_matches(name: str, wanted: str) -> bool:
    """Loose match: 自然资源局 finds 市自然资源局 and the other way round."""
    return bool(name and wanted) and (wanted in name or name in wanted)


def task_units(task: Task) -> list[tuple[str, UnitRole]]:
    units = [(u.name, u.role) for u in task.units]
    if not units and task.units_text:
        units = [(task.units_text, UnitRole.RESPONSIBLE)]
    return units


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic collection while many small objects are made (each would walk the whole ledger)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _reversed_keeping_ties(asc: list[int], values: list[Any], unique: bool) -> list[int]:
    """The descending order from the ascending one: runs of equal keys reversed as blocks, each run
    kept in ledger order (what a stable sort with reverse=True gives)."""
    if unique:
        return asc[::-1]
    starts = [0, *[i for i in range(1, len(values)) if values[i] != values[i - 1]]]
    ends = [*starts[1:], len(asc)]
    out: list[int] = []
    for start, end in zip(reversed(starts), reversed(ends), strict=True):
        out.extend(asc[start:end])
    return out


@dataclass
class LazyLedger:
    """What the table needs to show a ledger before it has read its tasks (LedgerService.ledger_outline):
    every row's (section id, task id, 序号, 重点工作), the filter bar's unit names, the task fields with
    text somewhere; and how to read tasks: some by id (the rows painted, a warm-up batch), all of them
    (a sort, a filter, an edit), and the status rule's inputs grouped (the counts of the banner)."""

    heads: list[tuple[int, int, str, str]]
    unit_names: list[str]
    fields_with_text: set[str]
    load: Callable[[list[int]], dict[int, Task]]
    load_all: Callable[[], list[tuple[int, Task]]]
    status_groups: Callable[[], list[tuple[Task, int]]] | None = None


class _Head:
    """A row's 序号 and 重点工作 before its task is read (number_places and the 〃 marks use these)."""

    __slots__ = ("id", "number", "key_work")

    def __init__(self, tid: int, number: str, key_work: str) -> None:
        self.id, self.number, self.key_work = tid, number, key_work


LOAD_BLOCK = 200  # tasks read at once when a row not read yet is painted (a screen is ~30 rows)
_TEXT_FIELDS = {"key_work": "key_work", "indicator": "indicator", "units": "units_text", "deadline": "deadline_text"}


class _TaskRows(dict):
    """task id -> Task of a ledger shown before its tasks are read: every id is known (len, in, iteration
    in ledger order); a task is read with the block of rows around it the first time it is asked for."""

    def __init__(self, order: list[int], load_block: Callable[[int], None], load_all: Callable[[], None]):
        super().__init__()
        self.order = order
        self.known = dict(zip(order, range(len(order)), strict=True))  # id -> its place in ledger order
        self._load_block = load_block
        self._load_all = load_all

    def __missing__(self, tid: int) -> Task:
        if tid not in self.known:
            raise KeyError(tid)
        self._load_block(tid)
        return dict.__getitem__(self, tid)

    def __contains__(self, tid: object) -> bool:
        return tid in self.known

    def __len__(self) -> int:
        return len(self.known)

    def __iter__(self) -> Iterator[int]:
        return iter(self.order)

    def __bool__(self) -> bool:
        return bool(self.known)

    def get(self, tid: int, default: Any = None) -> Any:  # type: ignore[override]
        return self[tid] if tid in self.known else default

    def loaded(self, tid: int) -> bool:
        return dict.__contains__(self, tid)

    def loaded_count(self) -> int:
        return dict.__len__(self)

    def values(self):  # type: ignore[override]  # noqa: ANN201
        self._load_all()
        return [self[tid] for tid in self.order]

    def items(self):  # type: ignore[override]  # noqa: ANN201
        self._load_all()
        return [(tid, self[tid]) for tid in self.order]


class _StatusCache(dict):
    """task id -> StatusInfo, computed the first time a row asks (a painted row, a sort, a count)."""

    def __init__(self, compute: Callable[[int], Any]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, tid: int) -> Any:
        info = self[tid] = self._compute(tid)
        return info


class TaskTableModel(QAbstractTableModel):
    """Rows are ints: a task id (>= 0) or -(i + 1) for the i-th section header row.

    The rows are a list of ids; what a row shows is built when it is first painted and cached
    (_display), and so is its status (_info, a _StatusCache): opening a 50,000-task ledger computes
    the statuses of the rows on screen, not of all 50,000. Sorting, filtering and counting compute
    the rest when they need them; the search texts are built in batches after the table is shown.
    """

    def __init__(
        self,
        status_of: Callable[[Task], Any],
        edit_handler: Callable[[int, str, Any], bool] | None = None,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self._status_of = status_of
        self._edit_handler = edit_handler
        self._section_edit_handler: Callable[[int, str], bool] | None = None
        self.read_only = False  # 只读 (a reader's database, or the person's role on this ledger): no editors
        self._ledger: Ledger | None = None
        self._sections: list[Section] = []
        self._tasks: dict[int, Task] = {}
        self._info: dict[int, Any] = _StatusCache(self._compute_status)
        self._display: dict[int, list[str]] = {}
        self._hay: dict[int, str] = {}
        self._sort_keys: dict[int, dict[int, Any]] = {}
        self._ranks: dict[tuple[int, bool], dict[int, int]] = {}
        self._orders: dict[int, tuple[list[int], list[Any], bool]] = {}  # column -> _ascending
        self._sorted_sections: dict[tuple[int, bool], list[list[int]]] = {}
        self._row_pos: dict[int, int] | None = None
        self._section_ids: list[list[int]] | None = None
        self._section_rows: list[int] = []
        self._rows: list[int] = []
        self._continued: set[int] = set()  # task rows whose 重点工作 repeats the row above
        self._places: dict[int, tuple[int, int, str]] | None = None  # task id -> its 序号 group
        self._visible_per_section: dict[int, int] = {}
        self._filter = FilterSpec()
        self._terms: list[str] = []
        self._refine = False  # set_filter: the new filter narrows the old, only the rows shown need a look
        self._visible_ids: list[list[int]] = []  # per section, the ids shown, in their order
        self._continued_all: set[int] | None = None  # 〃 rows of the whole ledger, unfiltered, unsorted
        # 重点工作 as small ints (equal text, equal int; "" is 0): finding the 〃 rows of 80,000 rows
        # shown compares ints, not the strings of 80,000 task objects spread over the heap
        self._kw_codes: dict[int, int] | None = None
        self._kw_intern: dict[str, int] = {"": 0}
        self._sort_column = -1
        self._sort_order = Qt.AscendingOrder
        self._visible_count = 0
        self._show_section_rows = True
        self._warm_pending: Iterator[int] | None = None
        self._warm_for: dict[int, Task] | None = None
        self._warm_timer: QTimer | None = None
        self._mine: Callable[[Task], bool] | None = None  # 只看本单位 by the directory's rules
        self._lazy: LazyLedger | None = None  # the ledger's tasks not all read yet (set_ledger(lazy=...))
        self._heads: list[list[_Head]] = []  # per section, while lazy
        self._lazy_counts: Counter | None = None

    # ---- loading -------------------------------------------------------------------------------
    def set_edit_handler(self, handler: Callable[[int, str, Any], bool] | None) -> None:
        self._edit_handler = handler

    def set_section_edit_handler(self, handler: Callable[[int, str], bool] | None) -> None:
        """Called with (section id, new title) when a section row is edited in place."""
        self._section_edit_handler = handler

    def set_my_unit_rule(self, mine: Callable[[Task], bool] | None) -> None:
        """Which tasks 只看本单位 keeps (ui.my_unit.my_unit_rule); None: by the unit's name alone."""
        self._mine = mine
        if self._filter.my_unit:
            self._relayout()

    def column_has_data(self, column: int) -> bool:
        """Whether any task shown has text in this column (an imported column left empty starts hidden)."""
        key = COLUMNS[column].key if 0 <= column < len(COLUMNS) else ""
        read = _COLUMN_TEXT.get(key)
        if read is None:
            return True
        if self._lazy is not None:
            return _TEXT_FIELDS[key] in self._lazy.fields_with_text
        return any(read(t).strip() for t in self._tasks.values())

    def set_ledger(self, ledger: Ledger | None, lazy: LazyLedger | None = None) -> None:
        """Show a ledger. With `lazy` (the ledger's sections hold no tasks yet), rows are read from it
        in blocks as they are painted and in batches by the warm-up; a sort, a filter, an edit or
        tasks()/sections()/infos() read the rest first (ensure_loaded). Once every task is read, the
        ledger's sections hold them, as without `lazy`."""
        self.beginResetModel()
        self._ledger = ledger
        self._sections = list(ledger.sections) if ledger else []
        self._lazy = lazy if ledger is not None else None
        self._lazy_counts = None
        if self._lazy is not None:
            index = {sec.id: i for i, sec in enumerate(self._sections)}
            self._heads = [[] for _ in self._sections]
            for sid, tid, number, key_work in self._lazy.heads:
                i = index.get(sid)
                if i is not None:  # a task whose section is gone is not shown (as LedgerRepository.get)
                    self._heads[i].append(_Head(tid, number, key_work))
            order = [h.id for heads in self._heads for h in heads]
            self._tasks = _TaskRows(order, self._load_block, self.ensure_loaded)
        else:
            self._heads = []
            self._tasks = {t.id: t for s in self._sections for t in s.tasks if t.id is not None}
        self._display.clear()
        self._hay.clear()
        self._sort_keys.clear()
        self._drop_ranks()
        self._section_ids = None
        self._places = None
        self._kw_codes = None
        self._info.clear()
        self._show_section_rows = not (
            len(self._sections) == 1 and not (self._sections[0].title or "").strip()
        )
        self._rebuild_rows()
        self.endResetModel()

    def ledger(self) -> Ledger | None:
        return self._ledger

    def set_status_function(self, status_of: Callable[[Task], Any]) -> None:
        self._status_of = status_of
        self.recompute_statuses()

    def recompute_statuses(self) -> None:
        """Run the status rules again (a new day, new thresholds, a report date changed)."""
        self._info.clear()
        self._lazy_counts = None
        self._sort_keys.pop(COLUMN_INDEX["status"], None)
        self._drop_ranks()
        for tid in self._display:
            self._display[tid][COLUMN_INDEX["status"]] = self._status_text(tid)
        if (
            self._filter.statuses
            or self._filter.due_within is not None
            or self._sort_column == COLUMN_INDEX["status"]
        ):
            self._relayout()
        elif self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1))

    def update_task(self, task: Task) -> None:
        """A task changed (edited here or elsewhere): refresh its row."""
        if task.id is None:
            return
        self.ensure_loaded()
        old = self._tasks.get(task.id)
        self._tasks[task.id] = task
        self._note_key_work(task)
        for s in self._sections:
            if s.id == task.section_id or (old is not None and any(t.id == task.id for t in s.tasks)):
                s.tasks = [task if t.id == task.id else t for t in s.tasks]
        self._info.pop(task.id, None)
        self._display.pop(task.id, None)
        self._hay.pop(task.id, None)
        for keys in self._sort_keys.values():
            keys.pop(task.id, None)
        self._drop_ranks()
        self._section_ids = None
        if old is not None and old.number != task.number:
            self._places = None
            self._relayout()
            return
        if old is not None and old.key_work != task.key_work:
            self._places = None
            self._relayout()
            return
        row = self.row_of_task(task.id)
        if row >= 0:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def _forget(self, task_id: int) -> None:
        self._places = None  # the 序号 groups follow the ledger's order of tasks
        self._display.pop(task_id, None)
        self._hay.pop(task_id, None)
        for keys in self._sort_keys.values():
            keys.pop(task_id, None)
        self._drop_ranks()
        self._section_ids = None

    def remove_task(self, task_id: int) -> bool:
        """A task was deleted: drop its row (no reload of the ledger)."""
        self.ensure_loaded()
        if self._tasks.pop(task_id, None) is None:
            return False
        for s in self._sections:
            s.tasks = [t for t in s.tasks if t.id != task_id]
        self._info.pop(task_id, None)
        self._forget(task_id)
        self._relayout()
        return True

    def insert_task(self, task: Task) -> bool:
        """A task was added or restored at task.position of its section. False: section unknown."""
        self.ensure_loaded()
        section = next((s for s in self._sections if s.id == task.section_id), None)
        if section is None or task.id is None:
            return False
        section.tasks = [t for t in section.tasks if t.id != task.id]
        section.tasks.insert(max(0, min(task.position, len(section.tasks))), task)
        self._tasks[task.id] = task
        self._note_key_work(task)
        self._info.pop(task.id, None)
        self._forget(task.id)
        self._relayout()
        return True

    def move_task(self, task: Task) -> bool:
        """A task moved to task.position of section task.section_id."""
        self.ensure_loaded()
        if task.id not in self._tasks:
            return False
        for s in self._sections:
            s.tasks = [t for t in s.tasks if t.id != task.id]
        return self.insert_task(task)

    # ---- queries ---------------------------------------------------------------------------------
    def task(self, task_id: int) -> Task | None:
        return self._tasks.get(task_id)

    def tasks(self) -> list[Task]:
        self.ensure_loaded()
        return [t for s in self._sections for t in s.tasks]

    # ---- reading a lazy ledger -----------------------------------------------------------------------
    def loaded_count(self) -> int:
        """How many of the ledger's tasks are read so far (all of them once ensure_loaded ran)."""
        tasks = self._tasks
        return tasks.loaded_count() if isinstance(tasks, _TaskRows) else len(tasks)

    def fully_loaded(self) -> bool:
        return self._lazy is None

    def _load_block(self, tid: int) -> None:
        """Read the rows around this one (a little before, more after: the way a table scrolls)."""
        tasks = self._tasks
        if not isinstance(tasks, _TaskRows):
            return
        order = tasks.order
        start = max(0, tasks.known[tid] - LOAD_BLOCK // 4)
        self._load_ids([t for t in order[start : start + LOAD_BLOCK] if not tasks.loaded(t)] or [tid])

    def _load_ids(self, ids: list[int]) -> None:
        tasks, lazy = self._tasks, self._lazy
        if not isinstance(tasks, _TaskRows) or lazy is None or not ids:
            return
        found = lazy.load(ids)
        for tid in ids:
            task = found.get(tid)
            if task is None:  # gone meanwhile (another copy deleted it): an empty row until the reload
                head = self._head_of(tid)
                task = Task(id=tid, number=head.number if head else "", key_work=head.key_work if head else "")
            dict.__setitem__(tasks, tid, task)
        if tasks.loaded_count() >= len(tasks):
            self._finish_loading()

    def _head_of(self, tid: int) -> _Head | None:
        return next((h for heads in self._heads for h in heads if h.id == tid), None)

    def ensure_loaded(self) -> None:
        """Read every task not read yet (one query for the ledger), then hold them as a ledger read whole."""
        tasks, lazy = self._tasks, self._lazy
        if lazy is None or not isinstance(tasks, _TaskRows):
            return
        if tasks.loaded_count() < len(tasks):
            with _collector_paused():
                for _sid, task in lazy.load_all():
                    if task.id in tasks.known and not tasks.loaded(task.id):
                        dict.__setitem__(tasks, task.id, task)
            missing = [tid for tid in tasks.order if not tasks.loaded(tid)]
            if missing:  # deleted meanwhile: read from the recycle bin, or an empty row
                self._load_ids(missing)
                return
        self._finish_loading()

    def _finish_loading(self) -> None:
        tasks = self._tasks
        if not isinstance(tasks, _TaskRows):
            return
        plain = {tid: dict.__getitem__(tasks, tid) for tid in tasks.order}
        for section, heads in zip(self._sections, self._heads, strict=True):
            section.tasks = [plain[h.id] for h in heads]
        self._tasks = plain
        self._lazy = None
        self._heads = []
        self._lazy_counts = None

    def status_counts(self) -> Counter:
        """(display status, stale) -> how many tasks: from the statuses in memory, or, while the tasks
        are not all read, from the stored inputs of the rule grouped in one query (the rule run once a
        group), so the banner and the report countdown read no task."""
        lazy = self._lazy
        if lazy is not None and lazy.status_groups is not None:
            if self._lazy_counts is None:
                counts: Counter = Counter()
                for task, n in lazy.status_groups():
                    info = self._status_of(task)
                    counts[(info.status, info.stale)] += n
                self._lazy_counts = counts
            return Counter(self._lazy_counts)
        return Counter((i.status, i.stale) for i in self.infos().values())

    def _compute_status(self, tid: int) -> Any:
        return self._status_of(self._tasks[tid])

    def info(self, task_id: int) -> Any:
        return self._info[task_id] if task_id in self._tasks else None

    def infos(self) -> dict[int, Any]:
        """Every task's status (computed now for those not yet asked for)."""
        self.ensure_loaded()
        info, status_of = self._info, self._status_of
        for tid, task in self._tasks.items():  # one loop, not a __missing__ call per task
            if tid not in info:
                info[tid] = status_of(task)
        return dict(info)

    def computed_status_count(self) -> int:
        """How many statuses are computed so far (the rest wait until a row or a count needs them)."""
        return len(self._info)

    def sections(self) -> list[Section]:
        self.ensure_loaded()  # the callers read the sections' tasks
        return list(self._sections)

    def task_id_at(self, row: int) -> int | None:
        if 0 <= row < len(self._rows) and self._rows[row] >= 0:
            return self._rows[row]
        return None

    def section_at(self, row: int) -> Section | None:
        if 0 <= row < len(self._rows):
            rid = self._rows[row]
            if rid < 0:
                return self._sections[-rid - 1]
            task = self._tasks.get(rid)
            if task is not None:
                for s in self._sections:
                    if s.id == task.section_id:
                        return s
        return None

    def row_of_task(self, task_id: int) -> int:
        pos = self._row_pos
        if pos is None:  # built once per layout: an edit in a 100,000-row table finds its row by lookup
            pos = self._row_pos = dict(zip(self._rows, range(len(self._rows)), strict=True))
        return pos.get(task_id, -1) if task_id >= 0 else -1

    def visible_task_ids(self) -> list[int]:
        return [r for r in self._rows if r >= 0]

    @property
    def total_count(self) -> int:
        return len(self._tasks)

    @property
    def visible_count(self) -> int:
        return self._visible_count

    def count_text(self) -> str:
        if self._filter.active:
            return f"共 {self.total_count} 项，显示 {self.visible_count} 项"
        return f"共 {self.total_count} 项"

    def unit_names(self) -> list[str]:
        if self._lazy is not None:
            return list(self._lazy.unit_names)
        tasks = self._tasks.values()  # what task_units gives, as two set comprehensions
        names = {u.name for t in tasks for u in t.units}
        names.update(t.units_text for t in tasks if not t.units and t.units_text)
        return sorted(names)

    def search_terms(self) -> list[str]:
        return self._terms

    def filter_spec(self) -> FilterSpec:
        return self._filter

    def sort_state(self) -> tuple[int, Qt.SortOrder]:
        return self._sort_column, self._sort_order

    # ---- filter and sort -------------------------------------------------------------------------
    def set_filter(self, spec: FilterSpec) -> None:
        if spec == self._filter:
            return
        if spec.active:
            self.ensure_loaded()
        old = self._filter
        self._filter = spec
        self._terms = spec.terms
        # typing on: the new text narrows the old one, so only the rows shown now need a look
        refine = (
            old.terms
            and spec.text.startswith(old.text)
            and spec == FilterSpec(**{**old.__dict__, "text": spec.text})
        )
        self._refine = bool(refine) and len(self._visible_ids) == len(self._ids_by_section())
        try:
            self._relayout()
        finally:
            self._refine = False

    def sort(self, column: int, order: Qt.SortOrder = Qt.AscendingOrder) -> None:
        if 0 <= column < len(COLUMNS):
            self.ensure_loaded()
        self._sort_column = column if 0 <= column < len(COLUMNS) else -1
        self._sort_order = order
        self._relayout()

    def _haystack(self, tid: int) -> str:
        hay = self._hay.get(tid)
        if hay is None:
            t = self._tasks[tid]
            parts = [
                t.number,
                t.key_work,
                t.item or "",
                t.content,
                t.indicator,
                t.units_text,
                t.cooperating_text,
                t.deadline.text,
                t.progress,
                t.remarks,
                *t.extra.values(),
                status_style.status_label(self._info[tid].status),
            ]
            hay = "\n".join(parts).lower()
            self._hay[tid] = hay
        return hay

    def warm_up(self, sort_keys: bool = False) -> None:
        """Build the search haystacks ahead of the first keystroke (all at once; the sort keys too
        when asked: a keystroke that finds the warm-up unfinished needs only the haystacks)."""
        self.ensure_loaded()
        while self.warm_up_batch(len(self._tasks) or 1, sort_keys):
            pass

    def warm_up_batch(self, size: int = WARM_UP_BATCH, sort_keys: bool = True) -> bool:
        """Build the next `size` search haystacks, and each column's sort key of those tasks (the first
        sort of a 100,000-task ledger then only sorts); True while some are left."""
        pending = self._warm_pending
        if pending is None or self._warm_for is not self._tasks:
            pending = self._warm_pending = iter(list(self._tasks))
            self._warm_for = self._tasks
        hay, tasks = self._hay, self._tasks
        batch: list[int] = []
        with _collector_paused():
            for tid in pending:
                if tid in tasks and tid not in hay:
                    batch.append(tid)
                    if len(batch) >= size:
                        break
            if isinstance(tasks, _TaskRows):  # a lazy ledger: the batch's tasks in one read
                self._load_ids([tid for tid in batch if not tasks.loaded(tid)])
            for tid in batch:
                self._haystack(tid)
            if sort_keys and batch:
                for column in range(len(COLUMNS)):
                    keys = self._sort_keys.setdefault(column, {})
                    keys.update(zip(batch, self._column_keys(column, batch), strict=True))
        if len(batch) >= size:
            return True
        self._warm_pending = None
        return False

    def search_ready(self) -> bool:
        """Whether every search text is built (a keystroke then only filters)."""
        return len(self._hay) >= len(self._tasks)

    def warming(self) -> bool:
        """Whether the warm-up still has batches (or the 主要内容 order) to do while the window idles."""
        return self._warm_timer is not None and self._warm_timer.isActive()

    def start_warm_up(self) -> None:
        """Build the search haystacks in batches from the event loop, the window staying responsive."""
        self._warm_pending = None
        if self._warm_timer is None:
            self._warm_timer = QTimer(self)
            self._warm_timer.timeout.connect(self._warm_tick)
        self._warm_timer.setInterval(WARM_UP_START_MS)  # the first paint goes first, then batch on batch
        self._warm_timer.start()

    def _warm_tick(self) -> None:
        if self._warm_timer is not None and self._warm_timer.interval():
            self._warm_timer.setInterval(0)
        # ready (a keystroke built the rest): stop, without one more pass over every id
        if not self.search_ready() and self.warm_up_batch():
            return
        if self._warm_timer is not None:
            self._warm_timer.stop()
        if self._tasks:  # the one slow first sort (long texts, all different): its order made now
            self._ascending(_CONTENT_COL)

    def _accepts_other(self, tid: int) -> bool:
        """The criteria other than the search terms (status, due, unit); a status only when asked."""
        f = self._filter
        if f.statuses or f.due_within is not None:
            info = self._info[tid]
        if f.statuses:
            name = getattr(info.status, "name", str(info.status))
            if name not in f.statuses and not (STALE_FILTER in f.statuses and info.stale):
                return False
        if f.due_within is not None:
            if info.days_left is None or info.days_left > f.due_within:
                return False
            if effective_status(self._tasks[tid]) == TaskStatus.DONE:
                return False
        if f.unit or f.my_unit:
            units = task_units(self._tasks[tid])
            if f.unit and not any(
                n == f.unit and (f.unit_role is None or r == f.unit_role) for n, r in units
            ):
                return False
            if f.my_unit:
                task = self._tasks[tid]
                if not (self._mine(task) if self._mine is not None else any(
                    unit_matches(n, f.my_unit) for n, _r in units
                )):
                    return False
        return True

    def _rank(self, column: int, descending: bool) -> dict[int, int]:
        """Each task's place in the whole ledger sorted by this column, ties in ledger order: built
        once per column and direction, after which a sort (or a keystroke under a sort) compares ints.
        The dict's order is the sorted order. Descending comes from the ascending order in one pass
        (the runs of equal keys reversed as blocks), not from a second sort."""
        ranks = self._ranks.get((column, descending))
        if ranks is None:
            asc, values, unique = self._ascending(column)
            order = _reversed_keeping_ties(asc, values, unique) if descending else asc
            ranks = self._ranks[(column, descending)] = dict(zip(order, range(len(order)), strict=True))
        return ranks

    def _ascending(self, column: int) -> tuple[list[int], list[Any], bool]:
        """(the ledger's task ids sorted by this column, ties in ledger order; their keys in that order;
        whether no two keys are equal), kept until a task changes.

        The keys come from one comprehension per column (_column_keys) with the collector paused (a
        100,000-row ledger is millions of objects: a full collection each time 100,000 keys are made
        cost more than the keys); a column of few distinct values (deadline, status, units ...) sorts
        those values once and the tasks by small ints."""
        cached = self._orders.get(column)
        if cached is None:
            self.ensure_loaded()
            with _collector_paused():
                ids = [tid for section_ids in self._ids_by_section() for tid in section_ids]
                keys = self._sort_keys.setdefault(column, {})
                if len(keys) < len(ids) or not all(map(keys.__contains__, ids)):
                    missing = [tid for tid in ids if tid not in keys]
                    keys.update(zip(missing, self._column_keys(column, missing), strict=True))
                values = list(map(keys.__getitem__, ids))
                distinct = set(values)
                if len(distinct) * 2 < len(values):
                    place = dict(zip(sorted(distinct), range(len(distinct)), strict=True))
                    values = list(map(place.__getitem__, values))
                order = sorted(range(len(ids)), key=values.__getitem__)
                cached = self._orders[column] = (
                    list(map(ids.__getitem__, order)),
                    list(map(values.__getitem__, order)),
                    len(distinct) == len(values),
                )
        return cached

    def _sorted_by_section(self, column: int, descending: bool) -> list[list[int]]:
        """Each section's task ids in this column's order, unfiltered: read off the sorted order of the
        whole ledger in one pass (no sort per section), kept like the ranks."""
        key = (column, descending)
        out = self._sorted_sections.get(key)
        if out is None:
            by_section = self._ids_by_section()
            order = self._rank(column, descending)  # its keys are the ids in sorted order
            if len(by_section) == 1:
                out = [list(order)]
            else:
                where: dict[int, int] = {}
                for i, ids in enumerate(by_section):
                    where.update(dict.fromkeys(ids, i))
                out = [[] for _ in by_section]
                append = [o.append for o in out]
                for tid in order:
                    append[where[tid]](tid)
            self._sorted_sections[key] = out
        return out

    def _drop_ranks(self) -> None:
        self._ranks.clear()
        self._orders.clear()
        self._sorted_sections.clear()

    def _column_keys(self, column: int, tids: list[int]) -> list[Any]:
        """The sort keys of these tasks for one column (what _sort_key gives, one comprehension)."""
        tasks = [self._tasks[tid] for tid in tids]
        col = COLUMNS[column].key
        if col == "number":
            natural: dict[str, tuple] = {}  # numbers repeat (21, 21, 21 …): each text parsed once
            return [
                natural.get(t.number) or natural.setdefault(t.number, _natural_key(t.number)) for t in tasks
            ]
        if col == "deadline":
            by_deadline: dict[int, tuple] = {}  # equal deadlines are shared objects (ledger_tasks)
            out = []
            for t in tasks:
                d = t.deadline
                key = by_deadline.get(id(d))
                if key is None:
                    due = d.due_date
                    key = by_deadline[id(d)] = (
                        (0, due.toordinal(), d.text) if due else (1 if d.text else 2, 0, d.text)
                    )
                out.append(key)
            return out
        if col == "status":
            info = self._info
            return [
                (getattr(i.status, "sort_key", 0), i.days_left if i.days_left is not None else 10**6)
                for i in (info[tid] for tid in tids)
            ]
        if col == "percent":
            return [display_percent(t) for t in tasks]
        if col == "updated":
            return [t.progress_updated_at.timestamp() if t.progress_updated_at else 0.0 for t in tasks]
        if col == "content":
            return [((t.item or "") + t.content).lower() for t in tasks]
        if col == "units":
            return [t.units_text.lower() for t in tasks]
        return [getattr(t, col).lower() for t in tasks]  # key_work, indicator, progress: plain text

    def _ids_by_section(self) -> list[list[int]]:
        """The task ids of each section in ledger order (kept until a task is added, moved or removed)."""
        cached = self._section_ids
        if cached is None:
            if self._lazy is not None:
                cached = self._section_ids = [[h.id for h in heads] for heads in self._heads]
            else:
                cached = self._section_ids = [
                    [t.id for t in s.tasks if t.id is not None] for s in self._sections
                ]
            self._continued_all = None
        return cached

    def _key_work_codes(self) -> dict[int, int]:
        codes = self._kw_codes
        if codes is None:
            intern = self._kw_intern = {"": 0}
            codes = self._kw_codes = {}
            rows = (h for heads in self._heads for h in heads) if self._lazy is not None else self._tasks.values()
            for t in rows:
                tid, kw = t.id, t.key_work or ""
                code = intern.get(kw)
                if code is None:
                    code = intern[kw] = len(intern)
                codes[tid] = code
        return codes

    def _note_key_work(self, task: Task) -> None:
        if self._kw_codes is not None and task.id is not None:
            intern = self._kw_intern
            self._kw_codes[task.id] = intern.setdefault(task.key_work or "", len(intern))

    def _continued_in(self, ids: list[int]) -> Iterable[int]:
        """The rows among these whose 重点工作 repeats the row above (shown as 〃)."""
        codes = self._key_work_codes()
        try:
            kws = [codes[tid] for tid in ids]
        except KeyError:  # a task not noted: all again
            self._kw_codes = None
            codes = self._key_work_codes()
            kws = [codes[tid] for tid in ids]
        return [tid for tid, kw, prev in zip(ids, kws, [0, *kws], strict=False) if kw and kw == prev]

    def _all_continued(self) -> set[int]:
        by_section = self._ids_by_section()  # first: a rebuilt id list drops the cached set
        if self._continued_all is None:
            self._continued_all = {tid for ids in by_section for tid in self._continued_in(ids)}
        return self._continued_all

    def _filtered(self, ids: list[int]) -> list[int]:
        """The ids the filter lets through, in their order: each step one comprehension over the ids
        left by the one before (cheapest first), not a method call per row and criterion."""
        if self._terms:
            hay = self._hay
            if len(hay) < len(self._tasks):
                self.warm_up()  # the first keystroke before the warm-up finished: the rest now
            for term in self._terms:
                try:
                    ids = [tid for tid in ids if term in hay[tid]]
                except KeyError:  # a haystack dropped by an edit meanwhile
                    self.warm_up()
                    ids = [tid for tid in ids if term in hay[tid]]
        f = self._filter
        if f.statuses or f.due_within is not None or f.unit or f.my_unit:
            ids = [tid for tid in ids if self._accepts_other(tid)]
        return ids

    def number_places(self) -> dict[int, tuple[int, int, str]]:
        """Rows under one 序号 (a merged cell over several rows of the city's form, read as the same
        number on each row, or on the first row only with the same 重点工作 below it): task id -> (its
        place in the group, the group's size, the group's number)."""
        if self._places is None:
            places: dict[int, tuple[int, int]] = {}
            for si in range(len(self._sections)):
                run: list[Task] = []
                for t in [*self._rows_of(si), None]:
                    if t is not None and run and _same_number_cell(run[0], run[-1], t):
                        run.append(t)
                        continue
                    if len(run) > 1:
                        number = run[0].number.strip()
                        places.update({x.id: (i, len(run), number) for i, x in enumerate(run, 1)})
                    run = [t] if t is not None and (t.number or "").strip() else []
            self._places = places
        return self._places

    def _rows_of(self, i: int) -> list:
        """Section i's tasks, or their heads while the ledger is read lazily."""
        return self._heads[i] if self._lazy is not None else self._sections[i].tasks

    def shown_number(self, tid: int) -> str:
        """序号 as the window shows it: 21-1 … 21-4 for the four rows under one merged 21."""
        place = self.number_places().get(tid)
        return f"{place[2]}-{place[0]}" if place else self._tasks[tid].number

    def _rebuild_rows(self) -> None:
        rows: list[int] = []
        continued: set[int] = set()
        visible = 0
        active = self._filter.active
        col = self._sort_column
        self._visible_per_section = {}
        descending = self._sort_order == Qt.DescendingOrder
        rank = self._rank(col, descending) if col >= 0 else None
        by_section = self._ids_by_section()
        # sorted, nothing filtered: the sections' rows straight from the ledger's sorted order
        ready = self._sorted_by_section(col, descending) if rank is not None and not active else None
        # typing on: each section's rows shown now, already in order, are all that need a look
        sources = self._visible_ids if self._refine else by_section
        if rank is None and not active:
            continued = self._all_continued()
        visible_ids: list[list[int]] = []
        section_rows: list[int] = []
        for i, source in enumerate(sources):
            if ready is not None:
                ids = list(ready[i])
            else:
                ids = self._filtered(source) if active else list(source)
            if rank is not None and ready is None and not self._refine:
                ids.sort(key=rank.__getitem__)
            elif rank is None and active:
                continued.update(self._continued_in(ids))
            visible_ids.append(ids)
            self._visible_per_section[i] = len(ids)
            visible += len(ids)
            if self._show_section_rows and (ids or not active):
                section_rows.append(len(rows))
                rows.append(-(i + 1))
            rows.extend(ids)
        self._rows = rows
        self._visible_ids = visible_ids
        self._section_rows = section_rows
        self._row_pos = None
        self._continued = continued
        self._visible_count = visible

    def _relayout(self) -> None:
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_ids = [(self._rows[i.row()] if 0 <= i.row() < len(self._rows) else None, i.column()) for i in old]
        self._rebuild_rows()
        if old:
            pos = dict(zip(self._rows, range(len(self._rows)), strict=True))
            new = [
                self.index(pos[rid], c) if rid is not None and rid in pos else QModelIndex()
                for rid, c in old_ids
            ]
            self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    # ---- display ---------------------------------------------------------------------------------
    def _status_text(self, tid: int) -> str:
        info = self._info[tid]
        label = status_style.status_label(info.status)
        name = getattr(info.status, "name", "")
        if info.days_left is not None and name == "OVERDUE":
            label = f"{label} {-info.days_left} 天"
        elif info.days_left is not None and name in ("DUE_VERY_SOON", "DUE_SOON"):
            label = f"{label}（剩 {info.days_left} 天）"
        if info.stale:
            label += f" · {status_style.STALE_LABEL}"
        return label

    def _full_row(self, tid: int) -> list[str]:
        """Every cell's whole text, line breaks kept (tooltips, the sort keys of text columns)."""
        t = self._tasks[tid]
        content = f"【{t.item}】{t.content}" if t.item and t.item != t.content else t.content
        units = t.units_text
        if t.cooperating_text:
            units = f"{units}；配合：{t.cooperating_text}" if units else f"配合：{t.cooperating_text}"
        return [
            t.number,
            t.key_work,
            content,
            t.indicator,
            units,
            t.deadline.text,
            self._status_text(tid),
            f"{display_percent(t)}%",
            t.progress,
            t.progress_updated_at.strftime("%Y-%m-%d") if t.progress_updated_at else "",
        ]

    def _display_row(self, tid: int) -> list[str]:
        """The cells as shown: one line each (the view wraps them into the row's two lines)."""
        row = self._display.get(tid)
        if row is None:
            row = self._display[tid] = [_one_line(text) for text in self._full_row(tid)]
        return row

    def _edit_value(self, t: Task, key: str) -> Any:
        if key == "status":
            return effective_status(t).value
        if key == "percent":
            return display_percent(t)
        if key == "units":
            return t.units_text
        if key == "deadline":
            return t.deadline.text
        if key == "updated":
            return self._display_row(t.id)[COLUMN_INDEX["updated"]]
        return getattr(t, key)

    def _tooltip(self, tid: int, column: int) -> str | None:
        key = COLUMNS[column].key
        if key == "number" and tid in self.number_places():
            place, size, number = self.number_places()[tid]
            return f"原表第 {number} 项（合并单元格，共 {size} 行）的第 {place} 行"
        if key in ("status", "deadline"):
            info = self._info[tid]
            t = self._tasks[tid]
            parts = [status_style.status_label(info.status)]
            if t.deadline.due_date:
                parts.append(
                    f"截止 {t.deadline.due_date.year}年{t.deadline.due_date.month}月{t.deadline.due_date.day}日"
                )
            if info.days_left is not None:
                parts.append(
                    f"已逾期 {-info.days_left} 天" if info.days_left < 0 else f"还有 {info.days_left} 天"
                )
            if t.deadline.flagged:
                parts.append("完成时限未能识别，请核对")
            if info.stale:
                parts.append("上次报送后进展未更新（待更新）")
            return "，".join(parts)
        text = self._full_row(tid)[column]
        if not text or (len(text) < 16 and "\n" not in text):
            return None
        # <qt> makes Qt wrap the tooltip instead of one endless line
        return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"

    # ---- QAbstractItemModel ------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:
        if orientation == Qt.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.DisplayRole:
                return COLUMNS[section].header
            if role == Qt.ToolTipRole:
                return f"{COLUMNS[section].header}（右键选择显示的列）"
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.NoItemFlags
        if self.read_only:
            return _SELECTABLE
        rid = self._rows[index.row()]
        if rid >= 0 and COLUMNS[index.column()].field is not None:
            return _EDITABLE
        if rid < 0 and index.column() == 0 and self._section_edit_handler is not None:
            return _EDITABLE  # the section title, edited in place
        return _SELECTABLE

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.DisplayRole) -> Any:
        # called ~9 times per painted cell: plain int comparisons, cached colours, no enum arithmetic
        if not index.isValid():
            return None
        rid = self._rows[index.row()]
        col = index.column()
        if rid < 0:
            return self._section_data(-rid - 1, col, role)
        if role == _DISPLAY:
            if col == 1 and rid in self._continued:
                return "〃"
            if col == 0 and rid in self.number_places():
                return self.shown_number(rid)
            return self._display_row(rid)[col]
        if role == _ALIGN:
            return _CENTER if col in _CENTERED else _LEFT
        if role == _BACKGROUND:
            if col == _STATUS_COL:
                return status_style.status_color(self._info[rid].status)
            if col == _DEADLINE_COL:
                return status_style.status_tint(self._info[rid].status)
            return None
        if role == _FOREGROUND:
            if col == _STATUS_COL:
                return status_style.status_text_color(self._info[rid].status)
            if col == _UPDATED_COL and self._info[rid].stale:
                return _STALE_FG
            if col == 1 and rid in self._continued:
                return _CONT_FG
            if col == _DEADLINE_COL and self._tasks[rid].deadline.flagged:
                return _FLAGGED_FG
            return None
        if role == _DECORATION:
            if col == _STATUS_COL:
                info = self._info[rid]
                return status_style.status_icon(info.status, info.stale)
            return None
        if role == _FONT or role == _CHECK:
            return None
        if role == Qt.EditRole:
            return self._edit_value(self._tasks[rid], COLUMNS[col].key)
        if role == FULL_TEXT_ROLE:
            return self._full_row(rid)[col]
        if role == Qt.ToolTipRole:
            return self._tooltip(rid, col)
        if role == TASK_ID_ROLE:
            return rid
        if role == SECTION_ID_ROLE:
            return self._tasks[rid].section_id
        if role == IS_SECTION_ROLE:
            return False
        if role == STATUS_ROLE:
            return self._info[rid].status
        if role == SEARCH_TERMS_ROLE:
            return self._terms
        return None

    def _section_data(self, i: int, col: int, role: int) -> Any:
        s = self._sections[i]
        if role == Qt.DisplayRole:
            if col != 0:
                return ""
            title = _one_line(s.title or "") or "（未分节）"
            shown = self._visible_per_section.get(i, 0)
            total = len(self._ids_by_section()[i])
            count = f"{total} 项" if shown == total else f"{shown}/{total} 项"
            return f"{title}（{count}）"
        if role == Qt.BackgroundRole:
            return _SECTION_BG
        if role == Qt.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ToolTipRole and col == 0:
            return s.title or None
        if role == Qt.EditRole:
            return (s.title or "") if col == 0 else None
        if role == SECTION_ID_ROLE:
            return s.id
        if role == IS_SECTION_ROLE:
            return True
        if role == TASK_ID_ROLE:
            return None
        if role == SEARCH_TERMS_ROLE:
            return self._terms
        return None

    def is_section_row(self, row: int) -> bool:
        return 0 <= row < len(self._rows) and self._rows[row] < 0

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.EditRole
    ) -> bool:
        if not index.isValid() or role != Qt.EditRole or self.read_only:
            return False
        rid = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if rid < 0:
            section = self._sections[-rid - 1]
            title = str(value or "").strip()
            if index.column() != 0 or self._section_edit_handler is None or title == (section.title or ""):
                return False
            return bool(self._section_edit_handler(section.id, title))
        if column.field is None or self._edit_handler is None:
            return False
        task = self._tasks[rid]
        if value == self._edit_value(task, column.key):
            return False
        return bool(self._edit_handler(rid, column.field, value))

    def section_rows(self) -> Iterable[int]:
        return iter(self._section_rows)  # noted by _rebuild_rows: the view's spans, no pass over every row
