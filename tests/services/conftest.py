"""A fresh AppContext on a temporary database, optionally holding the city ledger."""

from __future__ import annotations

import pytest

from desktop_app.domain.deadlines import parse_deadline
from desktop_app.domain.model import Ledger, Section, Task, UnitAssignment, UnitRole
from desktop_app.services.context import AppContext


@pytest.fixture
def ctx(db_target):
    """On both engines (tests/conftest.py: engine_kind): an SQLite file and a PostgreSQL database."""
    c = AppContext.open(db_target)
    yield c
    c.close()


def make_ledger() -> Ledger:
    def task(n: str, content: str, deadline: str) -> Task:
        return Task(
            number=n,
            key_work="加强信息公开",
            content=content,
            units_text="市审批局牵头，市工信局负责",
            units=[UnitAssignment("市审批局", UnitRole.LEAD), UnitAssignment("市工信局")],
            deadline=parse_deadline(deadline, 2023),
        )

    return Ledger(
        title="测试市2023年政务公开工作要点任务落实台账",
        year=2023,
        sections=[
            Section(
                title="一、信息公开",
                tasks=[task("1", "公开财政预决算", "11月底"), task("2", "公开重大项目", "7月5日前")],
            ),
            Section(title="二、政策解读", tasks=[task("3", "解读政策", "长期坚持")]),
        ],
    )


@pytest.fixture
def ledger(ctx: AppContext) -> Ledger:
    return ctx.ledgers.add_ledger(make_ledger())
