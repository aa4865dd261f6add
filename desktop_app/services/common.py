"""Small pieces every service shares: the "gone" messages and look-ups that raise them."""

from __future__ import annotations

from desktop_app.domain.model import LedgerError, Task
from desktop_app.storage.repository import LedgerRepository

TASK_GONE = "该任务已不存在（可能已被删除）。请刷新后再试。"
LEDGER_GONE = "该台账已不存在（可能已被删除）。请在左侧列表中重新选择。"


def require_task(repo: LedgerRepository, task_id: int) -> Task:
    """The task, or a LedgerError telling the user it was deleted meanwhile."""
    task = repo.get_task(task_id)
    if task is None:
        raise LedgerError(TASK_GONE)
    return task
