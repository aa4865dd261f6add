"""The one schema of our ledger JSON (domain.serialize form), checked before anything is built from it.

Every JSON we read back (an imported .json, the copy embedded in our reports, a report snapshot) passes
`validate_ledger_dict`; a wrong value raises LedgerSchemaError with one Chinese sentence that names the
field ("第1个板块第3项任务的“完成百分比”应为0到100之间的整数，文件中是“150”"). Keys the schema does
not know are ignored (a newer program may add some) but bounded in depth and size like the rest.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from desktop_app.domain.model import DeadlineKind, LedgerError, TaskStatus, UnitRole

FORMAT_NAME = "desktop_app.ledger"
FORMAT_VERSION = 1

YEAR_MIN, YEAR_MAX = 1990, 2100
DATE_MIN, DATE_MAX = date(1900, 1, 1), date(2199, 12, 31)
SHORT = 2_000  # characters: titles, headers, deadline text
NAME = 1_000  # a unit's name, an author
TEXT = 100_000  # characters: content, indicator, progress text (about 50 pages)
MAX_SECTIONS = 500
MAX_TASKS_PER_SECTION = 10_000
MAX_TASKS = 20_000
MAX_HISTORY = 2_000  # entries per task
MAX_UNITS = 200
MAX_COLUMNS = 200
MAX_REPORT_DATES = 60
MAX_EXTRA = 200
MAX_SOURCE_BASE64 = (50 * 1024 * 1024 * 4) // 3 + 4
MAX_UNKNOWN_DEPTH = 8  # levels below an unknown key
MAX_UNKNOWN_ITEMS = 10_000  # values below all unknown keys together

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME_RE = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?")


class LedgerSchemaError(LedgerError, ValueError):
    """A ledger document that breaks the schema; `message` names the field and what it should be."""


class NonFinite:
    """What `json.loads(..., parse_constant=NonFinite)` puts where a file wrote NaN or Infinity."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _show(value: Any) -> str:
    """The offending value as the message quotes it (short)."""
    if value is None:
        return "空值（null）"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, NonFinite):
        return value.text
    if isinstance(value, (int, float)):
        text = repr(value)
        return text if len(text) <= 30 else text[:30] + "…"
    if isinstance(value, str):
        if len(value) > 30:
            return f"“{value[:30]}…”（共 {len(value)} 个字）"
        return f"“{value}”"
    if isinstance(value, dict):
        return "一个对象（{…}）"
    if isinstance(value, list):
        return f"一个列表（{len(value)} 项）"
    return "无法识别的值"


@dataclass(frozen=True)
class Spec:
    """One value of the document: its kind and bounds. `fields` for an object, `item` for a list."""

    kind: str  # str | int | bool | date | datetime | enum | list | object | base64
    label: str = ""
    required: bool = False
    nullable: bool = True
    max_len: int = SHORT
    lo: int = 0
    hi: int = 0
    choices: tuple[str, ...] = ()
    item: Spec | None = None
    item_name: Callable[[int], str] | None = None  # "第3项任务" for the item at index 2
    max_items: int = 0
    fields: dict[str, Spec] = field(default_factory=dict)
    values: Spec | None = None  # object with free keys (extra): the spec of each value
    max_key_len: int = SHORT
    exact: Any = None  # the one allowed value (format name)


def _text(label: str, max_len: int = TEXT, nullable: bool = True, required: bool = False) -> Spec:
    return Spec("str", label, required=required, nullable=nullable, max_len=max_len)


def _enum(label: str, enum: type) -> Spec:
    return Spec("enum", label, choices=tuple(e.value for e in enum))


def _date(label: str) -> Spec:
    return Spec("date", label)


DEADLINE = Spec(
    "object",
    "完成时限（结构）",
    fields={
        "kind": _enum("时限类型", DeadlineKind),
        "relative_days": Spec("int", "相对天数", lo=0, hi=3660),
        "working_days": Spec("bool", "是否按工作日"),
        "anchor_text": _text("起算事件", SHORT),
        "anchor_date": _date("起算日期"),
        "recurrence": _text("周期规则", NAME),
    },
)

HISTORY_ENTRY = Spec(
    "object",
    "进展记录",
    fields={
        "date": _date("日期"),
        "text": _text("进展内容"),
        "status": _enum("状态", TaskStatus),
        "percent": Spec("int", "完成百分比", lo=0, hi=100),
        "author": _text("填写人", NAME),
    },
)

UNIT = Spec(
    "object",
    "责任单位",
    fields={
        "name": _text("名称", NAME, nullable=False, required=True),
        "role": _enum("角色", UnitRole),
    },
)

TASK = Spec(
    "object",
    "任务",
    fields={
        "number": _text("序号", NAME),
        "key_work": _text("重点工作"),
        "item": _text("工作事项"),
        "content": _text("主要内容", required=True),
        "indicator": _text("量化指标"),
        "units": Spec(
            "list", "责任单位列表", item=UNIT, item_name=lambda i: f"第{i}个责任单位", max_items=MAX_UNITS
        ),
        "deadline_text": _text("完成时限", SHORT),
        "due_date": _date("截止日期"),
        "ongoing": Spec("bool", "是否长期"),
        "progress": _text("进展落实情况"),
        "units_text": _text("责任单位（原文）"),
        "cooperating_text": _text("配合单位（原文）"),
        "deadline": DEADLINE,
        "deadline_flagged": Spec("bool", "时限待核对"),
        "status": _enum("状态", TaskStatus),
        "percent": Spec("int", "完成百分比", lo=0, hi=100),
        "remarks": _text("备注"),
        "extra": Spec("object", "其他列", values=_text("其他列的值", nullable=False), max_items=MAX_EXTRA),
        "progress_updated_at": Spec("datetime", "进展更新时间"),
        "history": Spec(
            "list",
            "进展记录",
            item=HISTORY_ENTRY,
            item_name=lambda i: f"第{i}条进展记录",
            max_items=MAX_HISTORY,
        ),
    },
)

SECTION = Spec(
    "object",
    "板块",
    fields={
        "title": _text("标题", SHORT),
        "tasks": Spec(
            "list",
            "任务列表",
            required=True,
            nullable=False,
            item=TASK,
            item_name=lambda i: f"第{i}项任务",
            max_items=MAX_TASKS_PER_SECTION,
        ),
    },
)

COLUMN = Spec(
    "object",
    "列",
    fields={
        "field": _text("字段", SHORT + 10, nullable=False, required=True),
        "header": _text("表头", SHORT, nullable=False, required=True),
    },
)

LEDGER = Spec(
    "object",
    "台账",
    fields={
        "format": Spec("str", "格式名称", exact=FORMAT_NAME),
        "format_version": Spec("int", "格式版本", lo=1, hi=FORMAT_VERSION),
        "ident": _text("台账标识", 100),
        "title": _text("台账名称", SHORT),
        "year": Spec("int", "年度", lo=YEAR_MIN, hi=YEAR_MAX),
        "owner_unit": _text("填报单位", SHORT),
        "issuer": _text("印发单位", SHORT),
        "anchor_date": _date("通知印发/收到日期"),
        "report_dates": Spec(
            "list",
            "报送日期",
            item=_date("报送日期"),
            item_name=lambda i: f"第{i}个报送日期",
            max_items=MAX_REPORT_DATES,
        ),
        "source_name": _text("原文件名", SHORT),
        "columns": Spec(
            "list", "列定义", item=COLUMN, item_name=lambda i: f"第{i}个列定义", max_items=MAX_COLUMNS
        ),
        "sections": Spec(
            "list",
            "板块列表",
            required=True,
            nullable=False,
            item=SECTION,
            item_name=lambda i: f"第{i}个板块",
            max_items=MAX_SECTIONS,
        ),
        "source_file_base64": Spec("base64", "原文件内容", max_len=MAX_SOURCE_BASE64),
    },
)


class _Checker:
    def __init__(self) -> None:
        self.tasks = 0
        self.unknown = 0

    # "第1个板块第3项任务" + "的“完成百分比”"
    @staticmethod
    def _where(place: tuple[str, ...], label: str) -> str:
        owner = "".join(place) or "台账"
        return f"{owner}的“{label}”"

    def _fail(self, place: tuple[str, ...], spec: Spec, expected: str, value: Any) -> LedgerSchemaError:
        return LedgerSchemaError(f"{self._where(place, spec.label)}{expected}，文件中是{_show(value)}")

    def check(self, value: Any, spec: Spec, place: tuple[str, ...]) -> None:
        if value is None:
            if spec.nullable:
                return
            raise self._fail(place, spec, "不能为空", value)
        kind = spec.kind
        if kind == "str" or kind == "base64":
            if not isinstance(value, str):
                raise self._fail(place, spec, f"应为文字（不超过{spec.max_len}个字）", value)
            if len(value) > spec.max_len:
                raise LedgerSchemaError(
                    f"{self._where(place, spec.label)}应不超过{spec.max_len}个字，文件中有{len(value)}个字"
                )
            if spec.exact is not None and value != spec.exact:
                raise self._fail(place, spec, f"应为“{spec.exact}”", value)
            if kind == "base64":
                try:
                    base64.b64decode(value, validate=True)
                except (binascii.Error, ValueError):
                    raise self._fail(place, spec, "应为 base64 编码的文件内容", value) from None
        elif kind == "int":
            if isinstance(value, bool) or not isinstance(value, int) or not spec.lo <= value <= spec.hi:
                raise self._fail(place, spec, f"应为{spec.lo}到{spec.hi}之间的整数", value)
        elif kind == "bool":
            if not isinstance(value, bool):
                raise self._fail(place, spec, "应为 true 或 false", value)
        elif kind == "date":
            if not (isinstance(value, str) and _DATE_RE.fullmatch(value)):
                raise self._fail(place, spec, "应为“年-月-日”格式的日期（如 2023-08-15）", value)
            try:
                day = date.fromisoformat(value)
            except ValueError:
                raise self._fail(place, spec, "应为日历上存在的日期（如 2023-08-15）", value) from None
            if not DATE_MIN <= day <= DATE_MAX:
                raise self._fail(place, spec, "应为1900年到2199年之间的日期", value)
        elif kind == "datetime":
            if not (isinstance(value, str) and _DATETIME_RE.fullmatch(value)):
                raise self._fail(
                    place, spec, "应为“年-月-日T时:分:秒”格式的时间（如 2023-08-15T09:30:00）", value
                )
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                raise self._fail(
                    place, spec, "应为日历上存在的时间（如 2023-08-15T09:30:00）", value
                ) from None
            if not DATE_MIN <= moment.date() <= DATE_MAX:
                raise self._fail(place, spec, "应为1900年到2199年之间的时间", value)
        elif kind == "enum":
            if not isinstance(value, str) or value not in spec.choices:
                raise self._fail(place, spec, f"应为 {'、'.join(spec.choices)} 之一", value)
        elif kind == "list":
            self._list(value, spec, place)
        elif kind == "object":
            self._object(value, spec, place)
        else:  # pragma: no cover - a schema typo
            raise AssertionError(kind)

    def _list(self, value: Any, spec: Spec, place: tuple[str, ...]) -> None:
        if not isinstance(value, list):
            raise self._fail(place, spec, "应为列表（[…]）", value)
        if len(value) > spec.max_items:
            raise LedgerSchemaError(
                f"{self._where(place, spec.label)}应不超过{spec.max_items}项，文件中有{len(value)}项"
            )
        assert spec.item is not None and spec.item_name is not None
        if spec.item is TASK:
            self.tasks += len(value)
            if self.tasks > MAX_TASKS:
                raise LedgerSchemaError(f"台账的任务应不超过{MAX_TASKS}项，文件中超过了这个数")
        for i, item in enumerate(value, start=1):
            name = spec.item_name(i)
            number = item.get("number") if spec.item is TASK and isinstance(item, dict) else None
            if isinstance(number, str) and 0 < len(number) <= 20:
                name += f"（序号 {number}）"  # the number the user sees in the table
            if spec.item.kind == "object":
                if not isinstance(item, dict):
                    where = "".join((*place, name))
                    raise LedgerSchemaError(f"{where}应为对象（{{…}}），文件中是{_show(item)}")
                self.check(item, spec.item, (*place, name))
            else:  # a list of plain values: "台账的“第2个报送日期”"
                self.check(item, replace(spec.item, label=name, nullable=False), place)

    def _object(self, value: Any, spec: Spec, place: tuple[str, ...]) -> None:
        if not isinstance(value, dict):
            raise self._fail(place, spec, "应为对象（{…}）", value)
        if spec.values is not None:  # free keys: "extra"
            if len(value) > spec.max_items:
                raise LedgerSchemaError(
                    f"{self._where(place, spec.label)}应不超过{spec.max_items}项，文件中有{len(value)}项"
                )
            inner = (*place, f"的“{spec.label}”中")
            for key, item in value.items():
                if len(key) > spec.max_key_len:
                    raise LedgerSchemaError(
                        f"{self._where(place, spec.label)}的列名应不超过{spec.max_key_len}个字，"
                        f"文件中是{_show(key)}"
                    )
                self.check(item, replace(spec.values, label=key), inner)
            return
        for key, sub in spec.fields.items():
            if key not in value:
                if sub.required:
                    owner = "".join(place) or "台账"
                    raise LedgerSchemaError(f"{owner}缺少“{sub.label}”（{key}）这一项")
                continue
            self.check(value[key], sub, place)
        for key, item in value.items():
            if key not in spec.fields:
                self._unknown(item, place, str(key), 1)

    def _unknown(self, value: Any, place: tuple[str, ...], key: str, depth: int) -> None:
        """A key we don't read: only bounded (depth, count) and free of NaN/Infinity."""
        stack = [(value, depth)]
        while stack:
            item, level = stack.pop()
            self.unknown += 1
            if self.unknown > MAX_UNKNOWN_ITEMS:
                raise LedgerSchemaError(
                    f"{self._where(place, key[:50])}等未知项的内容过多（超过{MAX_UNKNOWN_ITEMS}个值）"
                )
            if level > MAX_UNKNOWN_DEPTH:
                raise LedgerSchemaError(
                    f"{self._where(place, key[:50])}嵌套超过{MAX_UNKNOWN_DEPTH}层，不是本程序导出的内容"
                )
            if isinstance(item, NonFinite) or (isinstance(item, float) and not math.isfinite(item)):
                raise LedgerSchemaError(f"{self._where(place, key[:50])}中含有非数值 {_show(item)}")
            if isinstance(item, str) and len(item) > TEXT:
                raise LedgerSchemaError(
                    f"{self._where(place, key[:50])}应不超过{TEXT}个字，文件中有{len(item)}个字"
                )
            if isinstance(item, dict):
                stack.extend((v, level + 1) for v in item.values())
            elif isinstance(item, list):
                stack.extend((v, level + 1) for v in item)


def validate_ledger_dict(data: Any) -> None:
    """Raise LedgerSchemaError (one Chinese sentence naming the field) unless `data` is a valid ledger."""
    if not isinstance(data, dict):
        raise LedgerSchemaError(f"文件的最外层应为一个对象（{{…}}），文件中是{_show(data)}")
    _Checker().check(data, LEDGER, ())


def parse_ledger_json(raw: bytes | str) -> Any:
    """JSON text -> Python values, NaN/Infinity kept as NonFinite so the schema names their field.
    Raises LedgerSchemaError for text that is not JSON at all."""
    import json

    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise LedgerSchemaError("文件不是 UTF-8 编码的 JSON 文本") from None
    try:
        return json.loads(text, parse_constant=NonFinite)
    except RecursionError:
        raise LedgerSchemaError("文件中的数据嵌套层数过深，不是本程序导出的台账") from None
    except json.JSONDecodeError as exc:
        raise LedgerSchemaError(f"文件不是有效的 JSON（第{exc.lineno}行第{exc.colno}列：格式错误）") from None
    except ValueError:  # e.g. an integer with more than 4,300 digits
        raise LedgerSchemaError("文件中含有超长的数字，不是本程序导出的台账") from None
