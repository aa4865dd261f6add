"""The one schema of our ledger JSON: every broken document is refused with a sentence naming the field."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from desktop_app.domain.deadlines import parse_deadline
from desktop_app.domain.ledger_schema import LedgerSchemaError, parse_ledger_json, validate_ledger_dict
from desktop_app.domain.model import (
    Ledger,
    ProgressEntry,
    Section,
    Task,
    TaskStatus,
    UnitAssignment,
    UnitRole,
)
from desktop_app.domain.serialize import ledger_from_dict, ledger_to_dict

SAMPLE = Path(__file__).parents[2] / "resources" / "samples" / "sample-city-2023.json"


def good_document() -> dict:
    """A ledger as our JSON export writes it: 2 sections, 3 tasks, history on the third."""
    tasks = [
        Task(
            id=i,
            number=str(i),
            key_work="加强信息公开",
            content=f"任务{i}",
            units_text="市审批局牵头，市工信局负责",
            units=[UnitAssignment("市审批局", UnitRole.LEAD), UnitAssignment("市工信局")],
            deadline=parse_deadline(text, 2023),
            status=TaskStatus.IN_PROGRESS,
            percent=40,
            progress="已公开 9 件",
            extra={"备注2": "无"},
        )
        for i, text in ((1, "11月底"), (2, "文件公布后3个工作日内"), (3, "每季度最后1个月15日前"))
    ]
    ledger = Ledger(
        title="测试台账",
        year=2023,
        report_dates=[date(2023, 8, 15)],
        sections=[Section(title="一、公开", tasks=tasks[:1]), Section(title="二、解读", tasks=tasks[1:])],
    )
    history = {3: [ProgressEntry(entry_date=date(2023, 6, 1), text="第一次", percent=20, author="张三")]}
    return json.loads(json.dumps(ledger_to_dict(ledger, history)))


def task3(d: dict) -> dict:
    return d["sections"][1]["tasks"][1]


class Root:
    """What a case returns when it replaces the whole document."""

    def __init__(self, value: object) -> None:
        self.value = value


def nest(depth: int) -> object:
    value: object = "x"
    for _ in range(depth):
        value = {"a": value}
    return value


# (case, change to a good document, fragments the message must contain: the field and what it should be)
CASES: list[tuple[str, Callable[[dict], object], tuple[str, ...]]] = [
    ("year text", lambda d: d.update(year="abc"), ("台账的“年度”", "1990到2100之间的整数", "“abc”")),
    ("year too small", lambda d: d.update(year=1989), ("台账的“年度”", "1989")),
    ("year too large", lambda d: d.update(year=2101), ("台账的“年度”", "2101")),
    ("year bool", lambda d: d.update(year=True), ("台账的“年度”", "true")),
    ("year float", lambda d: d.update(year=2023.5), ("台账的“年度”", "2023.5")),
    ("year huge float", lambda d: d.update(year=float("inf")), ("台账的“年度”",)),
    (
        "percent over 100",
        lambda d: task3(d).update(percent=150),
        ("第2个板块第2项任务（序号 3）的“完成百分比”", "0到100之间的整数", "150"),
    ),
    ("percent negative", lambda d: task3(d).update(percent=-1), ("第2项任务（序号 3）的“完成百分比”", "-1")),
    (
        "percent string",
        lambda d: task3(d).update(percent="50"),
        ("第2项任务（序号 3）的“完成百分比”", "“50”"),
    ),
    (
        "status enum",
        lambda d: task3(d).update(status="finished"),
        ("第2项任务（序号 3）的“状态”", "not_started", "finished"),
    ),
    ("role enum", lambda d: task3(d)["units"][0].update(role="boss"), ("第1个责任单位的“角色”", "lead")),
    ("deadline kind", lambda d: task3(d)["deadline"].update(kind="someday"), ("的“时限类型”", "someday")),
    ("impossible date", lambda d: task3(d).update(due_date="2023-02-30"), ("的“截止日期”", "2023-02-30")),
    ("slashed date", lambda d: task3(d).update(due_date="2023/08/15"), ("的“截止日期”", "年-月-日")),
    ("week date", lambda d: task3(d).update(due_date="2023-W01-1"), ("的“截止日期”", "2023-W01-1")),
    ("date out of range", lambda d: task3(d).update(due_date="0001-01-01"), ("的“截止日期”", "1900年")),
    ("report date", lambda d: d.update(report_dates=["2023-13-01"]), ("台账的“第1个报送日期”", "2023-13-01")),
    (
        "report dates null item",
        lambda d: d.update(report_dates=[None]),
        ("台账的“第1个报送日期”", "不能为空"),
    ),
    ("datetime word", lambda d: task3(d).update(progress_updated_at="昨天"), ("的“进展更新时间”", "“昨天”")),
    (
        "datetime with zone",
        lambda d: task3(d).update(progress_updated_at="2023-08-15T09:30:00+08:00"),
        ("的“进展更新时间”",),
    ),
    ("history date", lambda d: task3(d)["history"][0].update(date="6月1日"), ("第1条进展记录的“日期”",)),
    (
        "history percent",
        lambda d: task3(d)["history"][0].update(percent="50%"),
        ("第1条进展记录的“完成百分比”",),
    ),
    ("history object", lambda d: task3(d).update(history={"date": "2023-06-01"}), ("的“进展记录”", "列表")),
    ("huge content", lambda d: task3(d).update(content="字" * 1_000_000), ("的“主要内容”", "1000000个字")),
    ("long title", lambda d: d.update(title="题" * 2001), ("台账的“台账名称”", "2000个字")),
    ("long unit name", lambda d: task3(d)["units"][0].update(name="局" * 1001), ("的“名称”", "1000个字")),
    ("missing sections", lambda d: d.pop("sections"), ("台账缺少“板块列表”",)),
    ("missing tasks", lambda d: d["sections"][0].pop("tasks"), ("第1个板块缺少“任务列表”",)),
    ("missing content", lambda d: task3(d).pop("content"), ("第2个板块第2项任务（序号 3）缺少“主要内容”",)),
    ("missing unit name", lambda d: task3(d)["units"][1].pop("name"), ("第2个责任单位缺少“名称”",)),
    ("null tasks", lambda d: d["sections"][0].update(tasks=None), ("第1个板块的“任务列表”", "不能为空")),
    ("sections object", lambda d: d.update(sections={"a": 1}), ("台账的“板块列表”", "列表")),
    ("sections nested list", lambda d: d.update(sections=[d["sections"]]), ("第1个板块应为对象", "列表")),
    ("title nested object", lambda d: d.update(title={"text": "x"}), ("台账的“台账名称”", "对象")),
    ("units nested list", lambda d: task3(d).update(units=[["市审批局"]]), ("第1个责任单位应为对象",)),
    ("deadline list", lambda d: task3(d).update(deadline=["11月底"]), ("的“完成时限（结构）”", "对象")),
    ("extra number", lambda d: task3(d).update(extra={"备注2": 3}), ("的“其他列”中的“备注2”", "文字")),
    ("extra key long", lambda d: task3(d).update(extra={"列" * 2001: "x"}), ("的“其他列”的列名",)),
    ("ongoing text", lambda d: task3(d).update(ongoing="yes"), ("的“是否长期”", "true 或 false")),
    ("working days int", lambda d: task3(d)["deadline"].update(working_days=1), ("的“是否按工作日”",)),
    ("relative days huge", lambda d: task3(d)["deadline"].update(relative_days=10**9), ("的“相对天数”",)),
    (
        "other format",
        lambda d: d.update(format="another.program"),
        ("台账的“格式名称”", "desktop_app.ledger"),
    ),
    ("newer format", lambda d: d.update(format_version=99), ("台账的“格式版本”", "99")),
    ("too many sections", lambda d: d.update(sections=[{"tasks": []}] * 501), ("台账的“板块列表”", "500项")),
    ("bad base64", lambda d: d.update(source_file_base64="!!!"), ("台账的“原文件内容”", "base64")),
    (
        "deep unknown key",
        lambda d: task3(d).update(future=nest(20)),
        ("第2项任务（序号 3）的“future”", "嵌套超过"),
    ),
    ("root list", lambda d: Root([d]), ("文件的最外层应为一个对象", "列表")),
    ("root string", lambda d: Root("ledger"), ("文件的最外层应为一个对象", "“ledger”")),
    ("root null", lambda d: Root(None), ("文件的最外层应为一个对象",)),
]


@pytest.mark.parametrize("case,change,fragments", CASES, ids=[c[0] for c in CASES])
def test_broken_document_is_refused_naming_the_field(case, change, fragments) -> None:
    doc = good_document()
    replaced = change(doc)
    doc = replaced.value if isinstance(replaced, Root) else doc
    with pytest.raises(LedgerSchemaError) as caught:
        ledger_from_dict(doc)
    message = caught.value.message
    for fragment in fragments:
        assert fragment in message, (case, message)
    assert "\n" not in message and "Traceback" not in message


def test_there_are_at_least_twenty_broken_documents() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize(
    "text,fragments",
    [
        ('{"sections": [], "year": NaN}', ("台账的“年度”", "NaN")),
        ('{"sections": [], "year": Infinity}', ("台账的“年度”", "Infinity")),
        ('{"sections": [], "later": [1, -Infinity]}', ("台账的“later”", "-Infinity")),
        ('{"sections": [], "year": 1e400}', ("台账的“年度”", "inf")),
    ],
)
def test_nan_and_infinity_name_their_field(text: str, fragments: tuple[str, ...]) -> None:
    with pytest.raises(LedgerSchemaError) as caught:
        validate_ledger_dict(parse_ledger_json(text))
    for fragment in fragments:
        assert fragment in caught.value.message


@pytest.mark.parametrize(
    "raw,fragment",
    [
        (b'{"sections": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}", "嵌套层数过深"),
        (b'{"sections": [}', "不是有效的 JSON"),
        (b"\xff\xfe{\x00", "UTF-8"),
        (b'{"sections": [], "year": ' + b"9" * 5000 + b"}", "超长的数字"),
    ],
)
def test_text_that_is_not_json_is_refused(raw: bytes, fragment: str) -> None:
    with pytest.raises(LedgerSchemaError) as caught:
        parse_ledger_json(raw)
    assert fragment in caught.value.message


def test_our_own_exports_pass_the_schema() -> None:
    doc = good_document()
    ledger, histories = ledger_from_dict(copy.deepcopy(doc))
    assert ledger.year == 2023 and histories[1][1][0].author == "张三"
    assert (
        ledger_to_dict(ledger)["sections"][1]["tasks"][0]["deadline"]
        == doc["sections"][1]["tasks"][0]["deadline"]
    )
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    validate_ledger_dict(sample)


def test_unknown_keys_are_ignored_but_optional_ones_may_be_missing() -> None:
    doc = {"sections": [{"tasks": [{"content": "只有内容", "added_by_a_newer_version": {"a": [1, 2]}}]}]}
    ledger, _ = ledger_from_dict(doc)
    assert ledger.sections[0].tasks[0].content == "只有内容"
