"""Writing files: a temporary name beside the target, renamed only on success; leftovers cleaned."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop_app.exporters.errors import ExportFailed
from desktop_app.exporters.files import (
    STALE_SECONDS,
    atomic_path,
    clean_leftovers,
    is_leftover,
    save_atomically,
    temp_path_for,
    write_bytes_atomically,
    write_text_atomically,
)


def _names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def test_success_replaces_the_target_and_leaves_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "报告.docx"
    target.write_bytes(b"old")
    seen: list[Path] = []

    def save(tmp: str) -> None:
        seen.append(Path(tmp))
        assert target.read_bytes() == b"old"  # the target is untouched while the new file is written
        Path(tmp).write_bytes(b"new")

    save_atomically(save, target)
    assert target.read_bytes() == b"new"
    assert _names(tmp_path) == {"报告.docx"}
    tmp = seen[0]
    assert tmp.parent == tmp_path
    assert tmp.name.startswith(".~报告.docx.") and tmp.name.endswith(".tmp")
    assert is_leftover(tmp)


def test_failure_leaves_the_old_target_and_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "old.xlsx"
    target.write_bytes(b"old contents")

    def save(tmp: str) -> None:
        Path(tmp).write_bytes(b"half a fi")
        raise ValueError("boom")

    with pytest.raises(ValueError):
        save_atomically(save, target)
    assert target.read_bytes() == b"old contents"
    assert _names(tmp_path) == {"old.xlsx"}


@pytest.mark.parametrize(
    ("code", "words"),
    [(errno.ENOSPC, "磁盘空间不足"), (errno.EACCES, "没有写入权限"), (errno.EROFS, "没有写入权限")],
)
def test_os_errors_become_one_sentence_and_keep_the_old_file(tmp_path: Path, code: int, words: str) -> None:
    target = tmp_path / "old.json"
    target.write_text("{}", encoding="utf-8")

    def save(tmp: str) -> None:
        raise OSError(code, os.strerror(code))

    with pytest.raises(ExportFailed) as info:
        save_atomically(save, target)
    msg = info.value.message
    assert words in msg and "原有文件未改动" in msg and "《old.json》" in msg
    assert msg.count("。") <= 2 and "Traceback" not in msg
    assert target.read_text(encoding="utf-8") == "{}"
    assert _names(tmp_path) == {"old.json"}


def test_written_file_has_ordinary_permissions(tmp_path: Path) -> None:
    if os.name == "nt":  # POSIX permission bits only
        return
    old = os.umask(0o022)
    try:
        write_bytes_atomically(tmp_path / "a.pdf", b"%PDF")
    finally:
        os.umask(old)
    assert (tmp_path / "a.pdf").stat().st_mode & 0o777 == 0o644


def test_text_and_bytes_helpers(tmp_path: Path) -> None:
    write_text_atomically(tmp_path / "a.json", "台账\n")
    write_bytes_atomically(tmp_path / "b.bin", b"\x00\x01")
    assert (tmp_path / "a.json").read_text(encoding="utf-8") == "台账\n"
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"
    assert _names(tmp_path) == {"a.json", "b.bin"}


def test_atomic_path_creates_the_folder(tmp_path: Path) -> None:
    target = tmp_path / "new" / "folder" / "x.docx"
    with atomic_path(target) as tmp:
        tmp.write_bytes(b"x")
    assert target.read_bytes() == b"x"


def test_long_names_fit(tmp_path: Path) -> None:
    target = tmp_path / ("长" * 80 + ".docx")  # 240 bytes in UTF-8
    tmp = temp_path_for(target)
    assert len(tmp.name) < 255 and is_leftover(tmp)


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_clean_leftovers_removes_only_dead_runs_files(tmp_path: Path) -> None:
    dead = _dead_pid()
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        files = {
            f".~报告.docx.{dead}-0a1b2c3d.tmp": True,  # a killed run's file: removed
            f".~b.xlsx.{live.pid}-11111111.tmp": False,  # another copy still writing: kept
            f".~c.pdf.{os.getpid()}-22222222.tmp": False,  # ours, maybe being written now: kept
            f".~old.json.{os.getpid()}-33333333.tmp": True,  # ours but a day old: removed
            ".~lock.报告.docx#": False,  # LibreOffice's lock file
            "~$报告.docx": False,  # Word's owner file
            "报告.docx": False,
            ".~x.docx.tmp": False,  # not our pattern
        }
        for name in files:
            (tmp_path / name).write_bytes(b"x")
        day_old = time.time() - STALE_SECONDS - 60
        os.utime(tmp_path / f".~old.json.{os.getpid()}-33333333.tmp", (day_old, day_old))
        removed = clean_leftovers(tmp_path)
        assert {p.name for p in removed} == {n for n, gone in files.items() if gone}
        assert _names(tmp_path) == {n for n, gone in files.items() if not gone}
    finally:
        live.kill()
        live.wait()


def test_clean_leftovers_on_a_missing_folder_does_nothing(tmp_path: Path) -> None:
    assert clean_leftovers(tmp_path / "nope") == []
    assert not (tmp_path / "nope").exists()
