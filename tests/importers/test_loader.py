"""load_any: JSON, embedded copies, column overrides, progress, source bytes."""

from __future__ import annotations

import json
import sys
import types

import pytest

from desktop_app.domain.serialize import ledger_to_dict
from desktop_app.importers import FIELD_LABELS, apply_mapping, load_any


def test_json_round_trip(tmp_path, data_dir) -> None:
    ledger = load_any(data_dir / "city-2023.docx").ledger
    path = tmp_path / "city.json"
    path.write_text(json.dumps(ledger_to_dict(ledger), ensure_ascii=False), encoding="utf-8")
    result = load_any(path)
    assert result.source_kind == "json"
    assert len(result.ledger.all_tasks()) == 39
    assert ledger_to_dict(result.ledger)["sections"] == ledger_to_dict(ledger)["sections"]
    assert result.ledger.source_name == "city.json"


def test_embedded_copy_wins(tmp_path, data_dir, monkeypatch) -> None:
    ledger = load_any(data_dir / "natural-resources-2022.docx").ledger
    ledger.title = "嵌入的副本"
    fake = types.ModuleType("desktop_app.importers.embedded_copy")
    fake.read_embedded = lambda path: ledger_to_dict(ledger)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "desktop_app.importers.embedded_copy", fake)
    result = load_any(data_dir / "natural-resources-2022.docx")
    assert result.source_kind == "embedded"
    assert result.ledger.title == "嵌入的副本"
    assert result.ledger.source_file == (data_dir / "natural-resources-2022.docx").read_bytes()
    # with the user's own mapping the visible table is read
    assert load_any(data_dir / "natural-resources-2022.docx", overrides={}).source_kind == "docx-table"


def test_embedded_copy_absent_or_broken(data_dir, monkeypatch) -> None:
    fake = types.ModuleType("desktop_app.importers.embedded_copy")

    def broken(path):
        raise ValueError("bad")

    fake.read_embedded = broken  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "desktop_app.importers.embedded_copy", fake)
    assert load_any(data_dir / "city-2023.docx").source_kind == "docx-table"
    fake.read_embedded = lambda path: None  # type: ignore[attr-defined]
    assert load_any(data_dir / "city-2023.docx").source_kind == "docx-table"


def test_overrides_remap_columns(data_dir) -> None:
    path = data_dir / "natural-resources-2022.docx"
    first = load_any(path)
    info = first.tables[0]
    assert info.headers == ["序号", "重点工作", "主要内容", "量化指标", "完成时限", "推进情况"]
    assert info.fields == ["number", "key_work", "content", "indicator", "deadline", "progress"]
    assert info.task_count == 45 and info.sample
    second = apply_mapping(path, first, {0: {3: "remarks", 5: "ignore"}})
    t = second.ledger.all_tasks()[0]
    assert t.indicator == "" and t.remarks.startswith("查看市自然资源局")
    assert [c.field for c in second.ledger.columns] == [
        "number",
        "key_work",
        "content",
        "remarks",
        "deadline",
    ]
    assert set(second.tables[0].fields) <= set(FIELD_LABELS)


def test_overrides_per_table(data_dir) -> None:
    result = load_any(data_dir / "city-2023.docx", overrides={1: {2: "content"}})
    tasks = {t.number: t for t in result.ledger.all_tasks()}
    assert tasks["11"].item is None  # table 1 (second section): the sub-item column read as content
    assert tasks["2"].item == "抓好稳岗就业信息公开"  # other tables untouched


def test_progress_callback(data_dir) -> None:
    calls: list[tuple[int, int]] = []
    load_any(data_dir / "city-2023.docx", progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1][0] == calls[-1][1]
    assert all(a <= b for a, b in calls)


def test_xlsx_source_bytes(data_dir) -> None:
    result = load_any(str(data_dir / "natural-resources-2022.xlsx"))
    assert result.ledger.source_file == (data_dir / "natural-resources-2022.xlsx").read_bytes()
    assert result.ledger.source_name == "natural-resources-2022.xlsx"
    assert all(s.id is None and all(t.id is None for t in s.tasks) for s in result.ledger.sections)


def test_table_without_header_mapped_by_hand(tmp_path) -> None:
    import docx

    from desktop_app.importers import ImportFailed

    d = docx.Document()
    d.add_paragraph("某局2024年政务公开工作任务台账")
    good = d.add_table(rows=2, cols=3)
    for c, v in enumerate(["序号", "主要内容", "责任单位"]):
        good.cell(0, c).text = v
    for c, v in enumerate(["1", "公开预算", "财政科"]):
        good.cell(1, c).text = v
    bare = d.add_table(rows=3, cols=3)
    for r in range(3):
        for c, v in enumerate([str(r + 2), f"任务{r + 2}", "办公室"]):
            bare.cell(r, c).text = v
    path = tmp_path / "表头缺失.docx"
    d.save(path)
    first = load_any(path)
    assert len(first.ledger.all_tasks()) == 1 + 3  # a headerless table of the same width continues the first
    d2 = docx.Document()
    bare2 = d2.add_table(rows=3, cols=4)
    for r in range(3):
        for c, v in enumerate([str(r + 1), f"任务{r + 1}", "办公室", "11月底"]):
            bare2.cell(r, c).text = v
    path2 = tmp_path / "无表头.docx"
    d2.save(path2)
    with pytest.raises(ImportFailed) as info:
        load_any(path2)  # a table without any header is not a ledger by itself ...
    assert [t.sample[0] for t in info.value.tables] == [
        ["1", "任务1", "办公室", "11月底"]
    ]  # ... but can be mapped
    mapped = load_any(path2, overrides={0: {0: "number", 1: "content", 2: "units", 3: "deadline"}})
    assert [(t.number, t.content, t.units_text, t.deadline.text) for t in mapped.ledger.all_tasks()] == [
        ("1", "任务1", "办公室", "11月底"),
        ("2", "任务2", "办公室", "11月底"),
        ("3", "任务3", "办公室", "11月底"),
    ]
    assert mapped.tables[0].header_rows == 0
