"""Every file the program writes: to a temporary name beside the target, synced, then renamed onto it.

A kill or a failure midway leaves the old target as it was; what it may leave behind is a file named
`.~<name>.<pid>-<random>.tmp` in the same folder, which `clean_leftovers(folder)` removes at the next start
(or before the next export into that folder). Pure Python, usable by every layer.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from desktop_app.exporters.errors import ExportFailed

TEMP_PREFIX = ".~"
TEMP_SUFFIX = ".tmp"
_LEFTOVER = re.compile(r"^\.~(?P<name>.+)\.(?P<pid>\d{1,10})-(?P<tag>[0-9a-f]{8})\.tmp$")
_MAX_NAME = 120  # keeps the temporary name within the 255 characters file systems allow
STALE_SECONDS = 24 * 3600  # a leftover this old goes even if its process id is in use again


def temp_path_for(target: Path) -> Path:
    """A fresh temporary name in the target's folder: `.~report.docx.1234-0a1b2c3d.tmp`."""
    target = Path(target)
    name = target.name[:_MAX_NAME]
    return target.with_name(f"{TEMP_PREFIX}{name}.{os.getpid()}-{secrets.token_hex(4)}{TEMP_SUFFIX}")


def is_leftover(path: Path) -> bool:
    """Whether a file name is one of our temporary names."""
    return _LEFTOVER.match(Path(path).name) is not None


def _fsync(path: Path) -> None:
    with open(path, "rb+") as fh:
        fh.flush()
        os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows has no directory handles to sync)."""
    if os.name == "nt":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yields a temporary path beside `target` to write to; on success it is synced and renamed onto
    `target`, on any exception it is removed and `target` is left untouched. OSError is not translated."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path_for(target)
    # created here (exclusively, with the usual permissions under the umask) so the name is ours
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0), 0o666)
    os.close(fd)
    try:
        yield tmp
        _fsync(tmp)
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def write_failure(path: Path, exc: OSError) -> ExportFailed:
    """One Chinese sentence for a failed write (the target itself was not touched)."""
    name = Path(path).name
    code = getattr(exc, "errno", None)
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return ExportFailed(f"无法写入《{name}》：磁盘空间不足，原有文件未改动。请清理磁盘或换一个保存位置后重试。")
    if isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ExportFailed(
            f"无法写入《{name}》：文件正被 Word/WPS/Excel 打开或该位置没有写入权限，原有文件未改动。"
            "请关闭该文件或换一个保存位置后重试。"
        )
    if isinstance(exc, IsADirectoryError):
        return ExportFailed(f"无法写入《{name}》：该名称是一个文件夹。请换一个文件名。")
    return ExportFailed(f"无法写入《{name}》：{exc.strerror or exc}，原有文件未改动。请检查保存位置后重试。")


def save_atomically(save: Callable[[str], object], path: Path) -> None:
    """`save(temp_name)` writes the file; it then replaces `path`. An OSError becomes ExportFailed."""
    path = Path(path)
    try:
        with atomic_path(path) as tmp:
            save(str(tmp))
    except OSError as exc:
        raise write_failure(path, exc) from exc


def write_bytes_atomically(path: Path, data: bytes) -> None:
    save_atomically(lambda tmp: Path(tmp).write_bytes(data), path)


def write_text_atomically(path: Path, text: str, encoding: str = "utf-8") -> None:
    save_atomically(lambda tmp: Path(tmp).write_text(text, encoding=encoding, newline=""), path)


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True  # ours: possibly being written right now on another thread
    if os.name == "nt":
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return False
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    except OSError:
        return False
    return True


def clean_leftovers(folder: Path) -> list[Path]:
    """Remove our temporary files in `folder` left by a killed or crashed run (never another running
    copy's file in progress); returns what was removed. Never raises."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        m = _LEFTOVER.match(entry.name)
        if m is None:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            old = now - entry.stat(follow_symlinks=False).st_mtime > STALE_SECONDS
            if not old and _pid_alive(int(m.group("pid"))):
                continue
            os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            continue
    return removed
