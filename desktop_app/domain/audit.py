"""How the audit trail reads to a person: the words for each action and field."""

from __future__ import annotations

import re

from desktop_app.domain.model import AuditEvent, TaskStatus

ACTION_WORDS: dict[str, str] = {
    "update": "修改",
    "create": "新建",
    "delete": "删除（移入回收站）",
    "restore": "恢复",
    "purge": "彻底删除",
    "move": "移动",
    "import": "导入",
    "export": "导出",
    "submit": "记为已报送",
    "unsubmit": "撤销已报送标记",
    "progress": "记录进展",
    "undo_progress": "撤销进展",
    "correct_entry": "更正进展记录",
    "withdraw_entry": "撤回进展记录",
    "reinstate_entry": "恢复进展记录",
    "attach": "添加佐证材料",
    "update_ledger": "修改台账信息",
    "delete_ledger": "删除台账",
    "copy_next_year": "复制到下一年",
    "carry_over": "结转",
    "derive": "生成本单位台账",
    "create_section": "新增板块",
    "rename_section": "重命名板块",
    "delete_section": "删除板块",
    "restore_section": "恢复板块",
}

FIELD_WORDS: dict[str, str] = {
    "number": "序号",
    "key_work": "重点工作",
    "item": "项目",
    "content": "主要内容",
    "indicator": "量化指标",
    "units_text": "责任单位",
    "cooperating_text": "配合单位",
    "deadline_text": "完成时限",
    "anchor_date": "起算日期",
    "status": "状态",
    "percent": "完成百分比",
    "progress": "进展",
    "remarks": "备注",
    "title": "台账名称",
    "year": "年度",
    "owner_unit": "所属单位",
    "issuer": "印发单位",
    "report_dates": "报送日期",
}

HEADERS = ("时间", "修改人", "任务", "操作", "内容", "原值", "新值")


def action_word(event: AuditEvent) -> str:
    return ACTION_WORDS.get(event.action, event.action)


def field_word(event: AuditEvent) -> str:
    f = event.field or ""
    if f.startswith("extra:"):
        return f[len("extra:") :]
    return FIELD_WORDS.get(f, f if event.action not in ("submit", "unsubmit", "export") else "")


_STATUS_CODE = re.compile(r"\b(not_started|in_progress|done)\b")


def readable(value: str | None) -> str:
    """A stored value as a person reads it: the status codes of progress changes in words."""
    return _STATUS_CODE.sub(lambda m: TaskStatus(m.group(1)).label, value or "")


def audit_row(event: AuditEvent, task_label: str = "") -> list[str]:
    """One line of the viewer and of its Excel export, in HEADERS order."""
    return [
        f"{event.at:%Y-%m-%d %H:%M:%S}" if event.at else "",
        getattr(event, "person", "") or "",
        task_label,
        action_word(event),
        field_word(event),
        readable(event.old_value),
        readable(event.new_value),
    ]
