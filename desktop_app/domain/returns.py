"""The city office's collection rules: which unit sent a return, which task of the ledger each returned
task is, and whether a unit's return is in, late or missing. Pure functions; no guessing: a returned
task that matches no task clearly is reported as uncertain, never stored on a task."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from difflib import SequenceMatcher

from desktop_app.domain.directory import Directory, normalise_name
from desktop_app.domain.model import Task, TaskStatus, Unit

__all__ = [
    "SUBMITTED",
    "LATE",
    "MISSING",
    "UnitReturn",
    "ReturnVersion",
    "describe_changes",
    "TaskMatch",
    "match_tasks",
    "unit_from_fill_line",
    "unit_from_file_name",
    "return_state",
    "normalise_content",
    "same_ledger",
    "task_candidates",
    "unit_candidates",
]

SUBMITTED, LATE, MISSING = "submitted", "late", "missing"

SURE = 0.9  # similarity at or above which two contents are the same task
MARGIN = 0.08  # the best candidate must beat the next one by this much


@dataclass
class UnitReturn:
    """What one unit reported on one task in one round."""

    ledger_id: int
    round_id: int | None
    unit: str
    task_id: int
    progress: str = ""
    status: TaskStatus = TaskStatus.NOT_STARTED
    percent: int = 0
    file_name: str = ""
    received_at: datetime | None = None
    id: int | None = None
    dated: datetime | None = None  # the file's own date (identity, else file time): which return is newer

    def same_report(self, other: UnitReturn) -> bool:
        return (self.progress, self.status, self.percent) == (other.progress, other.status, other.percent)


@dataclass
class ReturnVersion:
    """One of a unit's returns for a round (历次报送): the current one (replaced_at None) or one a newer
    return replaced, with what the newer one changed."""

    unit: str
    file_name: str
    received_at: datetime | None
    rows: list[UnitReturn]
    replaced_at: datetime | None = None
    replaced_by: str = ""
    changes: str = ""  # what the return that replaced this one changed ("" for the current one)
    id: int | None = None


def _numbers_text(numbers: list[str]) -> str:
    return "第" + "、".join(numbers) + "项"


def describe_changes(old: list[UnitReturn], new: list[UnitReturn], numbers: dict[int, str]) -> str:
    """What a newer return changed against the older one, in words: "第3项进展改写；新报第5项；不再报第2项"
    (task numbers from `numbers`, task id -> 序号; "无变化" when the same)."""
    before = {r.task_id: r for r in old}
    after = {r.task_id: r for r in new}

    def label(tid: int) -> str:
        return numbers.get(tid) or "?"

    rewritten = [tid for tid in after if tid in before and after[tid].progress != before[tid].progress]
    state = [
        tid
        for tid in after
        if tid in before
        and tid not in rewritten
        and (after[tid].status, after[tid].percent) != (before[tid].status, before[tid].percent)
    ]
    added = [tid for tid in after if tid not in before]
    dropped = [tid for tid in before if tid not in after]
    parts = []
    if rewritten:
        parts.append(_numbers_text([label(t) for t in rewritten]) + "进展改写")
    if state:
        parts.append(_numbers_text([label(t) for t in state]) + "状态或完成度改变")
    if added:
        parts.append("新报" + _numbers_text([label(t) for t in added]))
    if dropped:
        parts.append("不再报" + _numbers_text([label(t) for t in dropped]))
    return "；".join(parts) or "无变化"


_NOISE = re.compile(r"[\s\u200b\u3000，,。.、；;：:“”\"'‘’（）()《》【】\[\]—\-－·…!！?？]+")


def normalise_content(text: str) -> str:
    return _NOISE.sub("", text or "")


def _key(task: Task) -> str:
    return normalise_content(task.content or task.item or task.key_work or "")


def _number(text: str) -> str:
    return re.sub(r"\s+", "", text or "").rstrip("．.、")


@dataclass
class TaskMatch:
    """returned[i] -> target task, or why not."""

    matched: dict[int, Task] = field(default_factory=dict)  # index in the returned list -> target task
    uncertain: list[tuple[int, str]] = field(default_factory=list)  # index, one Chinese sentence


def _label(task: Task) -> str:
    if task.number:
        return f"第{task.number}项"
    return f"“{(task.content or task.item or '')[:16]}”"


def match_tasks(returned: list[Task], target: list[Task]) -> TaskMatch:
    """Each returned task to the target ledger's task it is: same content (after spaces and punctuation)
    first; else the same number with a content at least 90 % alike; else the one clearly most alike
    (≥ 90 % and ahead of the next by 8 points). Two returned tasks never take the same target task."""
    out = TaskMatch()
    by_key: dict[str, list[Task]] = {}
    for t in target:
        by_key.setdefault(_key(t), []).append(t)
    taken: set[int] = set()
    keys = {id(t): _key(t) for t in target}

    def similarity(a: str, b: str) -> float:
        m = SequenceMatcher(None, a, b, autojunk=False)
        return m.ratio() if m.real_quick_ratio() >= SURE and m.quick_ratio() >= SURE else 0.0

    for i, task in enumerate(returned):
        key = _key(task)
        if not key:
            out.uncertain.append((i, f"{_label(task)}没有任务内容，无法对应到台账中的任务"))
            continue
        same = [t for t in by_key.get(key, []) if id(t) not in taken]
        if len(same) > 1:  # the same text twice in the ledger: the number decides
            same = [t for t in same if _number(t.number) == _number(task.number)] or same
        choice: Task | None = same[0] if len(same) == 1 else None
        if choice is None and not same:
            numbered = [t for t in target if _number(t.number) == _number(task.number) and id(t) not in taken]
            if len(numbered) == 1 and task.number and similarity(key, keys[id(numbered[0])]) >= SURE:
                choice = numbered[0]
            else:
                scored = sorted(
                    ((similarity(key, keys[id(t)]), n) for n, t in enumerate(target) if id(t) not in taken),
                    reverse=True,
                )
                if (
                    scored
                    and scored[0][0] >= SURE
                    and (len(scored) == 1 or scored[0][0] - scored[1][0] >= MARGIN)
                ):
                    choice = target[scored[0][1]]
        if choice is None:
            why = "与台账中多项任务相同" if len(same) > 1 else "在台账中找不到内容相同的任务"
            out.uncertain.append((i, f"{_label(task)}{why}，未收录，请人工核对"))
            continue
        taken.add(id(choice))
        out.matched[i] = choice
    return out


def task_candidates(task: Task, target: list[Task], exclude: set[int] = frozenset(), n: int = 3) -> list[tuple[Task, float]]:  # noqa: B006
    """The target tasks a returned task may be, best first, with how alike their contents are (0..1): the
    same number first among equals; tasks whose id() is in `exclude` (already matched) left out. For the
    question asked in the collect wizard, never to decide alone."""
    key = _key(task)
    number = _number(task.number)
    scored = []
    for pos, t in enumerate(target):
        if id(t) in exclude:
            continue
        other = _key(t)
        ratio = SequenceMatcher(None, key, other, autojunk=False).ratio() if key and other else 0.0
        same_number = bool(number) and _number(t.number) == number
        scored.append((ratio + (0.001 if same_number else 0.0), -pos, t, ratio, same_number))
    scored.sort(key=lambda x: (x[0], x[1]), reverse=True)
    best = [(t, ratio) for _s, _p, t, ratio, _n in scored[:n]]
    numbered = next((x for x in scored if x[4]), None)  # the task of the same number is always offered
    if numbered is not None and all(t is not numbered[2] for t, _r in best):
        best.append((numbered[2], numbered[3]))
    return best


def unit_candidates(hint: str, directory: Directory) -> list[Unit]:
    """Every directory unit, the ones most like `hint` (a written 填报单位 or a file name) first."""
    key = normalise_name(hint or "")

    def score(u: Unit) -> float:
        best = 0.0
        for name in (u.name, *u.aliases):
            n = normalise_name(name)
            if not n or not key:
                continue
            if n in key or key in n:
                best = max(best, 1.0 + len(n) / 100)
            else:
                best = max(best, SequenceMatcher(None, key, n, autojunk=False).ratio())
        return best

    order = {id(u): i for i, u in enumerate(directory.units)}
    return sorted(directory.units, key=lambda u: (-score(u), order[id(u)]))


def same_ledger(title: str, year: int | None, target_title: str, target_year: int | None) -> str | None:
    """None when a return can be of the target ledger; else why not (one Chinese phrase)."""
    if year and target_year and year != target_year:
        return f"是 {year} 年的台账，不是 {target_year} 年的"
    a, b = normalise_content(title), normalise_content(target_title)
    if a and b and a != b and SequenceMatcher(None, a, b, autojunk=False).ratio() < 0.8:
        return f"标题“{title}”与台账“{target_title}”不符"
    return None


_FILL_UNIT = re.compile(r"填报单位\s*[:：]\s*(.*?)(?=\s{2,}|[\u3000\t]|填报人|联系|填报时间|审核|$)")


def unit_from_fill_line(line: str | None) -> str:
    """ "填报单位：市财政局　　填报时间：…" -> 市财政局 ("" when the line names none)."""
    if not line:
        return ""
    m = _FILL_UNIT.search(line)
    if not m:
        return ""
    return normalise_name(m.group(1).strip("（）()_ ＿"))


def unit_from_file_name(stem: str, directory: Directory) -> Unit | None:
    """The directory unit whose name or other name the file name holds (the longest such name wins;
    two different units with names of the same length: None)."""
    key = normalise_name(stem)
    best: list[tuple[int, Unit]] = []
    for u in directory.units:
        for n in (u.name, *u.aliases):
            n = normalise_name(n)
            if len(n) >= 2 and n in key:
                best.append((len(n), u))
    if not best:
        return None
    best.sort(key=lambda x: -x[0])
    top = [u for n, u in best if n == best[0][0]]
    return top[0] if all(u is top[0] for u in top) else None


def return_state(received: datetime | None, due: date | None) -> str:
    if received is None:
        return MISSING
    if due is not None and received.date() > due:
        return LATE
    return SUBMITTED


def reminder_text(
    ledger_title: str, round_label: str, due: date | None, missing: list[str], as_of: date | None = None
) -> str:
    """The 催报 text for the units that have not sent their return ("" when none is missing)."""
    if not missing:
        return ""
    from desktop_app.domain.clock import chinese_date, today

    what = f"《{ledger_title}》" if ledger_title else "任务落实台账"
    day = as_of or today()
    late = due is not None and day > due
    when = f"截止时间为{chinese_date(due)}，" if due else ""
    return (
        f"{'、'.join(missing)}：\n"
        f"{what}{round_label}的报送{when}"
        f"{'现已逾期，' if late else ''}贵单位尚未报送。请于{'收到通知后1个工作日内' if late else '截止时间前'}"
        "将填写好进展落实情况的台账（Word 或 Excel，并加盖单位公章）报送市政务公开办。"
        "逾期未报送的，将在季度通报中通报，并纳入年度考核扣分。"
    )


NOT_EXPECTED = "not_expected"
BLANK = "blank"  # the unit sent its return for the round but wrote nothing on this task addressed to it
STATE_LABELS = {SUBMITTED: "已报送", LATE: "逾期报送", MISSING: "未报送", BLANK: "报送未填写", NOT_EXPECTED: "不涉及"}


def cell_state(addressed: bool, received: datetime | None, due: date | None, sent: bool = False) -> str:
    """A unit's state on one task of a round: its return's state when it reported on the task; else, when
    the task is addressed to it, blank if it sent a return for the round (`sent`) and missing if not;
    not_expected when the task is not addressed to it."""
    if received is None:
        if not addressed:
            return NOT_EXPECTED
        return BLANK if sent else MISSING
    return return_state(received, due)
