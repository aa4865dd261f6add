"""The kept edits of a dropped server connection: one file per database in the user's data folder,
written whole at each change (no temporary file left), read back only for the same database."""

from __future__ import annotations

import json

from desktop_app.services.connection_service import database_key
from desktop_app.services.pending_service import KeptCell, KeptEdit, PendingEdits, pending_file


def _paste(*cells: tuple[int, str, str]) -> KeptEdit:
    return KeptEdit("cells", "粘贴的单元格", [KeptCell(t, f, v, "旧", 3) for t, f, v in cells])


def test_kept_edits_are_in_one_file_per_database_and_read_back(tmp_path) -> None:
    key = database_key("postgresql://zhang@Server.local:5432/ledger")
    assert key == database_key("postgresql://zhang:secret@server.local/ledger")  # no password, one name
    path = pending_file(tmp_path, key)
    kept = PendingEdits(key, path)
    kept.keep(_paste((1, "content", "一"), (2, "content", "二")))
    kept.keep(KeptEdit("entry", "进展记录", entry={"task_id": 5, "text": "进展", "status": "done", "percent": 100}))
    assert kept.count() == 3 and [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary left
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["database"] == key and "secret" not in path.read_text(encoding="utf-8")
    again = PendingEdits(key, path).load()
    assert [e.kind for e in again] == ["cells", "entry"] and again[0].cells[1].value == "二"
    assert again[0].cells[0].version == 3 and again[0].cells[0].base == "旧"
    assert PendingEdits(database_key("postgresql://zhang@other/ledger"), path).load() == []  # another database


def test_a_newer_value_of_a_cell_replaces_the_kept_one_and_the_file_goes_when_all_are_saved(tmp_path) -> None:
    path = pending_file(tmp_path, "k")
    kept = PendingEdits("k", path)
    first = _paste((1, "content", "一"), (2, "content", "二"))
    kept.keep(first)
    kept.keep(_paste((2, "content", "二改")))
    assert kept.cells() == {(1, "content"): "一", (2, "content"): "二改"} and kept.count() == 2
    kept.supersede([(1, "content")])  # saved with a newer value meanwhile
    assert len(kept) == 1 and not first.cells
    for edit in kept:
        kept.drop(edit)
    assert not kept and not path.exists()


def test_an_unreadable_file_is_left_alone(tmp_path) -> None:
    path = pending_file(tmp_path, "k")
    path.write_text("{not json", encoding="utf-8")
    assert PendingEdits("k", path).load() == [] and path.exists()
