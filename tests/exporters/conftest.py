"""Ledgers for the exporter tests: a hand-built one shaped like the city table, and the fixtures imported."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from desktop_app.domain.model import ColumnSpec, Deadline, DeadlineKind, Ledger, Section, Task, TaskStatus

DATA = Path(__file__).resolve().parent.parent / "data"
GOOD_ID = "11010519491231002X"
MOBILE = "13912345678"


def make_ledger(sections: int = 2, per_section: int = 6) -> Ledger:
    ledger = Ledger(
        title="银川市2023年政务公开工作要点任务落实台账",
        year=2023,
        owner_unit="银川市自然资源局",
        issuer="银川市政府政务公开办公室",
        source_name="city-2023.docx",
        columns=[
            ColumnSpec("number", "序号"),
            ColumnSpec("key_work", "重点工作"),
            ColumnSpec("item", "主要内容"),
            ColumnSpec("content", "主要内容"),
            ColumnSpec("indicator", "量化指标"),
            ColumnSpec("units", "责任单位"),
            ColumnSpec("deadline", "完成时限"),
            ColumnSpec("progress", "进展落实情况"),
        ],
    )
    n = 0
    titles = ["一、全环节推进信息公开", "二、全流程优化政策服务", "三、全方位完善互动参与"]
    for si in range(sections):
        section = Section(title=titles[si % 3], position=si)
        for ti in range(per_section):
            n += 1
            section.tasks.append(
                Task(
                    id=n,
                    number=str(n),
                    key_work="加强保障改善\n民生信息公开"
                    if ti < per_section // 2
                    else "加强政府自身建设信息公开",
                    item="抓好稳岗就业信息公开" if ti < 2 else None,
                    content=f"第{n}项：系统梳理已出台发布的各项稳就业政策，通过政府网站集中发布。",
                    indicator="查看各级各部门在市政府门户网站发布情况",
                    units_text="各县（市）区人民政府，市政府各部门",
                    deadline=Deadline("11月底", DeadlineKind.DATE, date(2023, 11, 30))
                    if ti % 2
                    else Deadline("长期坚持", DeadlineKind.ONGOING),
                    status=TaskStatus.DONE if ti == 0 else TaskStatus.IN_PROGRESS,
                    progress=f"任务{n}已发布政策解读{n}篇。",
                    remarks="内部备注：勿公开",
                    position=ti,
                )
            )
        ledger.sections.append(section)
    return ledger


@pytest.fixture
def ledger() -> Ledger:
    return make_ledger()


@pytest.fixture
def personal_ledger() -> Ledger:
    """A ledger whose texts hold personal data."""
    led = make_ledger(1, 4)
    tasks = led.all_tasks()
    tasks[0].progress = f"已向申请人（身份证号{GOOD_ID}）送达告知书，联系电话{MOBILE}。"
    tasks[1].content += "车辆宁A12345已登记。"
    tasks[2].extra = {"联系人": "139 1234 5678"}
    tasks[3].indicator = "邮箱 zhang.san@example.com"
    return led


@pytest.fixture
def import_fixture():
    """name -> the fixture document imported (skips when the importer is not there)."""
    try:
        from desktop_app.importers import load_any
    except ImportError:
        pytest.skip("importer not available")

    def load(name: str) -> Ledger:
        return load_any(DATA / name).ledger

    return load
