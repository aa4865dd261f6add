"""Builds the bundled sample ledger (示例-….json) from tests/data/city-2023.docx, with some progress.

Run from the repository root: python resources/samples/make_sample.py
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

from desktop_app.domain.model import Deadline, DeadlineKind, ProgressEntry, TaskStatus
from desktop_app.domain.serialize import ledger_to_dict
from desktop_app.importers import load_any

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).with_name("sample-city-2023.json")

# number -> (status, percent, progress text, deadline override)
PROGRESS = {
    "1": (
        TaskStatus.IN_PROGRESS,
        60,
        "已在市政府门户网站“高质量发展”专栏发布政策法规 23 条、典型案例 6 个，持续更新。",
        None,
    ),
    "2": (
        TaskStatus.IN_PROGRESS,
        50,
        "开设“稳岗就业”专题，发布招聘信息 1200 余条，组织线上招聘会 4 场。",
        None,
    ),
    "4": (TaskStatus.DONE, 100, "教育、医疗、养老等重点领域信息已按目录全部公开，专栏按月更新。", None),
    "7": (TaskStatus.IN_PROGRESS, 40, "行政处罚、行政许可信息在“双随机一公开”栏目公示 9 件。", None),
    "11": (
        TaskStatus.IN_PROGRESS,
        70,
        "政府规章库已动态更新，新增规范性文件 14 件，清理失效文件 3 件。",
        None,
    ),
    "14": (TaskStatus.IN_PROGRESS, 30, "对 5 件重要政策开展图解、视频解读。", None),
    "15": (TaskStatus.NOT_STARTED, 0, "", ("6月底", date(2023, 6, 30))),
    "20": (TaskStatus.IN_PROGRESS, 50, "", ("7月5日前", date(2023, 7, 5))),
    "21": (TaskStatus.IN_PROGRESS, 60, "上半年受理依申请公开 37 件，均按期答复。", None),
    "26": (TaskStatus.NOT_STARTED, 0, "", ("7月20日前", date(2023, 7, 20))),
    "37": (
        TaskStatus.DONE,
        100,
        "已制定本单位 2023 年政务公开工作要点和任务落实台账，并在门户网站公开。",
        None,
    ),
    "39": (TaskStatus.NOT_STARTED, 0, "", None),
}


def main() -> None:
    result = load_any(ROOT / "tests" / "data" / "city-2023.docx")
    ledger = result.ledger
    ledger.title = "（示例）" + ledger.title
    ledger.source_name = None  # no source file travels with the sample: no fill-back
    ledger.owner_unit = "某市政府办公室"
    ledger.issuer = "某市政府政务公开办公室"
    history: dict[int, list[ProgressEntry]] = {}
    fake_id = 0
    for task in ledger.all_tasks():
        fake_id += 1
        task.id = fake_id
        spec = PROGRESS.get(task.number)
        if not spec:
            continue
        status, percent, text, deadline = spec
        task.status, task.percent, task.progress = status, percent, text
        if deadline:
            task.deadline = Deadline(text=deadline[0], kind=DeadlineKind.DATE, due_date=deadline[1])
        if text:
            task.progress_updated_at = datetime(2023, 6, 20, 10, 0)
            history[fake_id] = [
                ProgressEntry(
                    entry_date=date(2023, 4, 12),
                    text="已制定工作方案，明确责任科室。",
                    status=TaskStatus.IN_PROGRESS,
                    percent=20,
                    author="张三",
                ),
                ProgressEntry(
                    entry_date=date(2023, 6, 20), text=text, status=status, percent=percent, author="张三"
                ),
            ]
    data = ledger_to_dict(ledger, history=history)
    for section in data["sections"]:
        for t in section["tasks"]:
            t.setdefault("history", [])
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {OUT.name}: {len(ledger.all_tasks())} tasks")


if __name__ == "__main__":
    main()
