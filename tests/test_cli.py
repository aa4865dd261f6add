"""The command line: list, backup, inspect, import, export; errors are one Chinese sentence, exit 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
    )


def test_version(capsys) -> None:
    assert main(["--version"]) == 0
    assert "0.1.0" in capsys.readouterr().out


def test_list_on_new_database_is_empty_json(tmp_path: Path, capsys) -> None:
    assert main(["list", "--db", str(tmp_path / "a.sqlite3")]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_import_prints_id_last_and_list_shows_it(tmp_path: Path, data_dir: Path, capsys) -> None:
    db = str(tmp_path / "a.sqlite3")
    assert main(["import", str(data_dir / "city-2023.docx"), "--db", db]) == 0
    out = capsys.readouterr().out
    ledger_id = int(out.split()[-1])
    assert main(["list", "--db", db]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["id"] == ledger_id and rows[0]["task_count"] == 39 and rows[0]["year"] == 2023


def test_inspect_writes_nothing(tmp_path: Path, data_dir: Path, capsys) -> None:
    assert main(["inspect", str(data_dir / "natural-resources-2022.docx")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["title"].startswith("银川市自然资源局2022年")
    assert sum(len(s["tasks"]) for s in data["sections"]) == 45
    task = data["sections"][0]["tasks"][0]
    for key in (
        "number",
        "key_work",
        "item",
        "content",
        "indicator",
        "units",
        "deadline_text",
        "due_date",
        "ongoing",
        "progress",
    ):
        assert key in task


def test_backup(tmp_path: Path, capsys) -> None:
    db = tmp_path / "a.sqlite3"
    assert main(["list", "--db", str(db)]) == 0
    assert main(["backup", "--db", str(db)]) == 0
    assert list((tmp_path / "backups").glob("a-*.sqlite3"))


@pytest.mark.parametrize(
    "args",
    [
        ["inspect", "no-such-file.docx"],
        ["export", "99", "--db", "{db}", "--format", "json", "-o", "{tmp}/x.json"],
        ["list", "--db", "{tmp}"],
        ["frobnicate"],
        ["export", "1", "--db", "{db}", "--format", "txt", "-o", "x"],
    ],
)
def test_errors_exit_2_with_one_chinese_sentence(tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "a.sqlite3"
    args = [a.format(db=db, tmp=tmp_path) for a in args]
    proc = run(*args)
    assert proc.returncode == 2, proc.stderr
    err = proc.stderr.strip()
    assert "Traceback" not in err and len(err.splitlines()) == 1
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err)


def test_bad_ledger_today(tmp_path: Path) -> None:
    proc = run("list", "--db", str(tmp_path / "a.sqlite3"), env={"LEDGER_TODAY": "2023-13-45"})
    assert proc.returncode == 2 and "LEDGER_TODAY" in proc.stderr


def test_second_copy_told_who_has_it(tmp_path: Path) -> None:
    from desktop_app.storage.database import Database

    db = tmp_path / "a.sqlite3"
    with Database(db):
        proc = run("import", str(ROOT / "tests" / "data" / "city-2023.docx"), "--db", str(db))
    assert proc.returncode == 2 and "已被" in proc.stderr
