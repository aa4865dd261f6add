"""One program per database: an OS lock on a file beside it, naming who holds it."""

from __future__ import annotations

import getpass
import json
import os
import socket
import sys
from datetime import datetime
from pathlib import Path

from desktop_app.domain.model import LedgerError


def _holder_text(info: dict) -> str:
    who = info.get("user") or "另一用户"
    host = info.get("host") or "另一台电脑"
    since = info.get("since") or ""
    pid = info.get("pid")
    return f"{who}（{host}，进程 {pid}，自 {since} 起）"


class DatabaseLock:
    """Held for as long as the program has the database open; released by the OS on a crash."""

    def __init__(self, db_path: Path) -> None:
        self.path = db_path.with_name(db_path.name + ".lock")
        self._fh = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - kept open while locked
        try:
            self._lock(fh)
        except OSError:
            fh.seek(0)
            try:
                info = json.loads(fh.read() or "{}")
            except ValueError:
                info = {}
            fh.close()
            raise LedgerError(
                f"数据库《{self.path.stem}》已被 {_holder_text(info)} 打开，"
                "为避免数据互相覆盖，请先关闭那边的程序再打开。"
            ) from None
        info = {
            "user": _user(),
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "since": datetime.now().strftime("%Y-%m-%d %H:%M"),
        }
        fh.seek(0)
        fh.truncate()
        fh.write(json.dumps(info, ensure_ascii=False))
        fh.flush()
        self._fh = fh

    def release(self) -> None:
        if self._fh is None:
            return
        try:
            self._unlock(self._fh)
        finally:
            self._fh.close()
            self._fh = None

    @staticmethod
    def _lock(fh) -> None:
        if sys.platform == "win32":
            import msvcrt

            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    @staticmethod
    def _unlock(fh) -> None:
        if sys.platform == "win32":
            import msvcrt

            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name is not worth failing over
        return ""


def is_network_path(path: Path) -> bool:
    """True for UNC paths, mapped network drives, and NFS/CIFS mounts: WAL is unsafe there."""
    text = str(path)
    if text.startswith("\\\\") or text.startswith("//"):
        return True
    if sys.platform == "win32":
        try:
            import ctypes

            drive = os.path.splitdrive(str(path.resolve()))[0] + "\\"
            return ctypes.windll.kernel32.GetDriveTypeW(drive) == 4  # DRIVE_REMOTE
        except Exception:  # noqa: BLE001
            return False
    try:
        resolved = str(path.resolve())
        best, fstype = "", ""
        with open("/proc/mounts", encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 3 and resolved.startswith(parts[1]) and len(parts[1]) > len(best):
                    best, fstype = parts[1], parts[2]
        return fstype.startswith(("nfs", "cifs", "smb", "fuse.sshfs", "9p"))
    except OSError:
        return False
