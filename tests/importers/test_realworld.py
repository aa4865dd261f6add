"""Field accuracy on ledgers of other cities (tests/data/realworld/shapes.py): reported and held."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from desktop_app.domain.model import UnitRole
from desktop_app.importers import load_any

_SPEC = importlib.util.spec_from_file_location(
    "realworld_shapes", Path(__file__).parents[1] / "data" / "realworld" / "shapes.py"
)
shapes = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(shapes)

_ROLE = {"L": UnitRole.LEAD, "R": UnitRole.RESPONSIBLE, "C": UnitRole.COOPERATING}
FIELDS = ("number", "key_work", "content", "units", "deadline")


def _fields_right(task, truth) -> dict[str, bool]:
    number, key_work, content, units, deadline = truth
    return {
        "number": task.number == number,
        "key_work": task.key_work == key_work,
        "content": task.content == content,
        "units": [(u.name, u.role) for u in task.units] == [(n, _ROLE[r]) for n, r in units],
        "deadline": task.deadline.text == deadline,
    }


def _score(name: str, folder: Path) -> tuple[int, int, list[str]]:
    tasks = load_any(shapes.build(name, folder)).ledger.all_tasks()
    truth = shapes.SHAPES[name]["truth"]
    right, wrong = 0, []
    for i, expected in enumerate(truth):
        got = _fields_right(tasks[i], expected) if i < len(tasks) else dict.fromkeys(FIELDS, False)
        right += sum(got.values())
        wrong += [f"{name} 第{i + 1}项 {f}" for f, ok in got.items() if not ok]
    # a task found that the truth does not have is wrong in every field
    extra = max(0, len(tasks) - len(truth))
    wrong += [f"{name} 多出 {extra} 项"] if extra else []
    return right, (len(truth) + extra) * len(FIELDS), wrong


@pytest.mark.parametrize("name", sorted(shapes.SHAPES))
def test_shape(name, tmp_path) -> None:
    right, total, wrong = _score(name, tmp_path)
    assert right == total, wrong


def test_accuracy_over_the_corpus(tmp_path, capsys) -> None:
    right = total = 0
    wrong: list[str] = []
    for name in sorted(shapes.SHAPES):
        r, t, w = _score(name, tmp_path)
        right, total, wrong = right + r, total + t, wrong + w
    with capsys.disabled():
        print(f"\n外地台账 {len(shapes.SHAPES)} 份：字段正确 {right}/{total} = {right / total:.1%}")
    assert right / total >= 0.98, wrong
