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


def locked_task(repo: LedgerRepository, task_id: int) -> tuple[Task, int | None]:
    """The task's row lock first (its version + 1 as the transaction's first write), then the task as it
    is now, with its new version. Read before the lock, a field another person committed meanwhile would
    be written back over by the stale copy: a lost update (benchmarks/bench_concurrent.py saw one in
    790 edits). (task, the new version; None when the row's version is not kept)."""
    version = repo.bump_version(task_id)
    task = require_task(repo, task_id)
    if version is not None:
        task.version = version
    return task, version
