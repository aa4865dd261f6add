"""load_any: JSON, embedded copies, column overrides, progress, source bytes."""

from __future__ import annotations

import json
import sys
import types

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
