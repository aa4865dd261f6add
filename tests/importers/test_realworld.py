"""Field accuracy on ledgers of other cities: the nine first shapes (tests/data/realworld/shapes.py), the
tuning corpus (corpus.py), the held-back set (heldback/heldback.py, never tuned on) and the second
held-back set (heldback/heldback2.py: 88.6 % at its first measure, then tuned on) and the third
(heldback/heldback3.py: 92.0 % at its first measure after that tuning, then tuned on) and the fourth
(heldback/heldback4.py, ten ledgers written blind: 156 of 200 fields, 78.0 % at its first measure on main
fdfedf1, then tuned on: 200/200 by general rules — units brackets after the full stop, a "1." key work
numbering its task, a "1.…2.…" list inside the cell, deadlines in a 备注 column, a stated "逗号前为牵头单位…
下同" rule, "A会B") and the fifth (heldback/heldback5.py, ten more ledgers written blind and kept out of main
until measured: 143 of 175 fields, 81.7 % at its first measure on main 94df567, after heldback4's tuning: the
honest estimate on unseen shapes). Files are built by builders.py.

Each set prints a table of fields right per file and in total, and holds the floor reached so far."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from desktop_app.domain.model import UnitRole
from desktop_app.importers import load_any

_DATA = Path(__file__).parents[1] / "data" / "realworld"


def _module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


builders = _module("realworld_builders", _DATA / "builders.py")
shapes = _module("realworld_shapes", _DATA / "shapes.py")
corpus = _module("realworld_corpus", _DATA / "corpus.py")
heldback = _module("realworld_heldback", _DATA / "heldback" / "heldback.py")
heldback2 = _module("realworld_heldback2", _DATA / "heldback" / "heldback2.py")
heldback3 = _module("realworld_heldback3", _DATA / "heldback" / "heldback3.py")
heldback4 = _module("realworld_heldback4", _DATA / "heldback" / "heldback4.py")
heldback5 = _module("realworld_heldback5", _DATA / "heldback" / "heldback5.py")

_ROLE = {"L": UnitRole.LEAD, "R": UnitRole.RESPONSIBLE, "C": UnitRole.COOPERATING}
FIELDS = ("number", "key_work", "content", "units", "deadline")
SETS = {
    "shapes": shapes.SHAPES,
    "corpus": corpus.CORPUS,
    "heldback": heldback.HELDBACK,
    "heldback2": heldback2.HELDBACK2,
    "heldback3": heldback3.HELDBACK3,
    "heldback4": heldback4.HELDBACK4,
    "heldback5": heldback5.HELDBACK5,
}
# The floor each set has reached (fields right / fields): a change that loses fields fails here.
FLOOR = {
    "shapes": 1.0,
    "corpus": 1.0,
    "heldback": 1.0,
    "heldback2": 1.0,
    "heldback3": 1.0,
    "heldback4": 1.0,  # 0.78 at its first measure (156/200), before any tuning on it
    "heldback5": 0.817,  # its first measure (143/175), before any tuning on it
}


def _units(value) -> list[tuple[str, UnitRole]]:
    pairs = builders.units(value) if isinstance(value, str) else value
    return [(n, _ROLE[r]) for n, r in pairs]


def _fields_right(task, truth) -> dict[str, bool]:
    number, key_work, content, units, deadline = truth
    return {
        "number": task.number == number,
        "key_work": task.key_work == key_work,
        "content": task.content == content,
        "units": [(u.name, u.role) for u in task.units] == _units(units),
        "deadline": task.deadline.text == deadline,
    }


def score(name: str, shape: dict, folder: Path) -> tuple[int, int, list[str]]:
    try:
        tasks = load_any(builders.build_shape(name, shape, folder)).ledger.all_tasks()
    except Exception as exc:  # a refused file scores nothing
        tasks = []
        refused = [f"{name} 未导入：{exc}"]
    else:
        refused = []
    truth = shape["truth"]
    right, wrong = 0, refused
    for i, expected in enumerate(truth):
        got = _fields_right(tasks[i], expected) if i < len(tasks) else dict.fromkeys(FIELDS, False)
        right += sum(got.values())
        wrong += [f"{name} 第{i + 1}项 {f}" for f, ok in got.items() if not ok]
    # a task found that the truth does not have is wrong in every field
    extra = max(0, len(tasks) - len(truth))
    wrong += [f"{name} 多出 {extra} 项"] if extra else []
    return right, (len(truth) + extra) * len(FIELDS), wrong


def measure(which: str, folder: Path) -> tuple[int, int, list[str], list[str]]:
    right = total = 0
    wrong: list[str] = []
    lines: list[str] = []
    for name, shape in sorted(SETS[which].items()):
        r, t, w = score(name, shape, folder)
        right, total, wrong = right + r, total + t, wrong + w
        lines.append(f"  {name:<40} {r:>3}/{t:<3} {r / t:6.1%}")
    lines.append(
        f"  {'合计 ' + str(len(SETS[which])) + ' 份':<38} {right:>3}/{total:<3} {right / total:6.1%}"
    )
    return right, total, wrong, lines


@pytest.mark.parametrize("name", sorted(shapes.SHAPES))
def test_first_shapes_each_right(name, tmp_path) -> None:
    right, total, wrong = score(name, shapes.SHAPES[name], tmp_path)
    assert right == total, wrong


@pytest.mark.parametrize("which", sorted(SETS))
def test_accuracy_holds_its_floor(which, tmp_path, capsys) -> None:
    right, total, wrong, lines = measure(which, tmp_path)
    with capsys.disabled():
        print(f"\n外地台账（{which}）字段正确率：")
        print("\n".join(lines))
    assert right / total >= FLOOR[which], wrong


def test_corpus_is_large_and_held_back_set_apart() -> None:
    assert len(shapes.SHAPES) + len(corpus.CORPUS) >= 25
    assert len(heldback.HELDBACK) >= 8 and len(heldback2.HELDBACK2) >= 8
    assert not set(heldback.HELDBACK) & (set(corpus.CORPUS) | set(shapes.SHAPES))
    earlier: set[str] = set(corpus.CORPUS) | set(shapes.SHAPES) | set(heldback.HELDBACK)
    assert not set(heldback2.HELDBACK2) & earlier
    assert not set(heldback3.HELDBACK3) & (earlier | set(heldback2.HELDBACK2))
    earlier |= set(heldback2.HELDBACK2) | set(heldback3.HELDBACK3)
    assert len(heldback4.HELDBACK4) >= 10 and not set(heldback4.HELDBACK4) & earlier
    earlier |= set(heldback4.HELDBACK4)
    assert len(heldback5.HELDBACK5) >= 10 and not set(heldback5.HELDBACK5) & earlier


@pytest.mark.parametrize("which", ["heldback2", "heldback3", "heldback4", "heldback5"])
def test_inspect_reports_a_decision_for_every_column_of_the_new_shapes(which, tmp_path) -> None:
    """What `inspect` prints as column_decisions: every column of every table, with its confidence and
    reason; doubtful exactly when below roles.DOUBTFUL; a hidden column not imported, saying why."""
    from desktop_app.importers.errors import ImportFailed
    from desktop_app.importers.result import column_decisions
    from desktop_app.importers.roles import DOUBTFUL

    seen = 0
    for name, shape in sorted(SETS[which].items()):
        try:
            result = load_any(builders.build_shape(name, shape, tmp_path))
        except ImportFailed:  # a refused file has no columns to decide; its fields count as wrong above
            continue
        decisions = column_decisions(result)
        assert len(decisions) == sum(len(t.headers) for t in result.tables), name
        for d in decisions:
            assert 0 <= d["confidence"] <= 1 and d["reason"], (name, d)
            assert d["doubtful"] == (d["confidence"] < DOUBTFUL and d["field"] != "ignore"), (name, d)
            assert d["field"] != "ignore" or "隐藏" in d["reason"], (name, d)
        for c in shape.get("hidden_cols", []):
            assert decisions[c]["field"] == "ignore", name
        seen += len(decisions)
    assert seen
