"""One program per database: OS locks on the real file's identity, naming who holds it."""

from __future__ import annotations

import getpass
import json
import os
import socket
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from desktop_app.domain.model import LedgerError
from desktop_app.paths import real_path


def _holder_text(info: dict) -> str:
    who = info.get("user") or "另一用户"
    host = info.get("host") or "另一台电脑"
    since = info.get("since") or ""
    pid = info.get("pid")
    return f"{who}（{host}，进程 {pid}，自 {since} 起）"


class DatabaseLocked(LedgerError):
    """Another program holds the database for writing; `holder` says who. It may still be read."""

    def __init__(self, message: str, holder: dict) -> None:
        super().__init__(message)
        self.holder = holder


class DatabaseLock:
    """Held for as long as the program has the database open; released by the OS on a crash.

    Keyed on the real file, not on the name it was opened by: the lock file sits beside the file a
    symlink points to, and a second lock in the temp folder is named after the file's identity
    (device and inode), which every hardlink of it shares.
    """

    def __init__(self, db_path: Path) -> None:
        self.db_path = real_path(db_path)
        self.path = self.db_path.with_name(self.db_path.name + ".lock")
        self._fh = None
        self._id_fh = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - kept open while locked
        try:
            self._lock(fh)
        except OSError:
            info = _read_info(fh)
            fh.close()
            raise self._held(info) from None
        self._fh = fh
        _write_info(fh)
        try:
            self._acquire_identity()
        except BaseException:
            self.release()
            raise

    def _acquire_identity(self) -> None:
        if not self.db_path.exists():
            open(self.db_path, "ab").close()  # an empty file is a new database; now it has an inode
        st = os.stat(self.db_path)
        if not st.st_ino:  # a file system without file ids (some network/FAT drives): no identity
            return
        path = identity_lock_path(st.st_dev, st.st_ino)
        mode = "r+"
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        except PermissionError:  # another user's lock file: flock works on a read-only handle too
            mode = "r"
            try:
                fd = os.open(path, os.O_RDONLY)
            except OSError:
                return  # best effort: the lock beside the file still holds
        except OSError:
            return
        fh = os.fdopen(fd, mode, encoding="utf-8")
        try:
            self._lock(fh)
        except OSError:
            info = _read_info(fh)
            fh.close()
            raise self._held(info) from None
        self._id_fh = fh
        if mode == "r+":
            _write_info(fh)

    def _held(self, info: dict) -> DatabaseLocked:
        return DatabaseLocked(
            f"数据库《{self.db_path.name}》已被 {_holder_text(info)} 打开，"
            "为避免数据互相覆盖，请先关闭那边的程序再打开，或以只读方式打开查看。",
            info,
        )

    def release(self) -> None:
        for name in ("_id_fh", "_fh"):
            fh = getattr(self, name)
            if fh is None:
                continue
            try:
                self._unlock(fh)
            except OSError:
                pass
            finally:
                fh.close()
                setattr(self, name, None)

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


def identity_lock_path(dev: int, ino: int) -> Path:
    """The per-file lock every name of the same file (hardlinks, symlinks) maps to."""
    return Path(tempfile.gettempdir()) / f"zwgk-ledger-{dev:x}-{ino:x}.lock"


def _read_info(fh) -> dict:  # noqa: ANN001
    try:
        fh.seek(0)
        info = json.loads(fh.read() or "{}")
    except (OSError, ValueError):
        return {}
    return info if isinstance(info, dict) else {}


def _write_info(fh) -> None:  # noqa: ANN001
    info = {
        "user": _user(),
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "since": datetime.now().strftime("%Y-%m-%d %H:%M"),
    }
    try:
        fh.seek(0)
        fh.truncate()
        fh.write(json.dumps(info, ensure_ascii=False))
        fh.flush()
    except OSError:
        pass  # who holds it is a courtesy; the OS lock is what counts


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
