"""Disk full, no write permission, damaged file: storage failures named in one Chinese sentence."""

from __future__ import annotations

import errno
import sqlite3

from desktop_app.domain.model import LedgerError

# SQLite primary result codes (the low byte of an extended code).
SQLITE_PERM = 3
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26

NOTHING_LOST = "已有数据没有丢失"


class StorageError(LedgerError):
    """A write the disk refused (full, read-only, no permission); `kind` says which."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


def _sqlite_cause(exc: BaseException) -> BaseException | None:
    """The sqlite3 / OS error behind an exception (SQLAlchemy wraps them in `.orig`)."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, sqlite3.Error | OSError):
            return cur
        orig = getattr(cur, "orig", None)
        cur = orig if isinstance(orig, BaseException) else (cur.__cause__ or cur.__context__)
    return None


def classify(exc: BaseException) -> str | None:
    """'full', 'readonly', 'ioerror' or None for an error that is not the disk refusing a write."""
    cause = _sqlite_cause(exc)
    if isinstance(cause, OSError):
        if cause.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            return "full"
        if cause.errno in (errno.EACCES, errno.EPERM, errno.EROFS) or isinstance(cause, PermissionError):
            return "readonly"
        if getattr(cause, "winerror", None) in (39, 112):  # ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL
            return "full"
        return None
    if isinstance(cause, sqlite3.Error):
        code = getattr(cause, "sqlite_errorcode", None)
        text = str(cause).lower()
        primary = code & 0xFF if isinstance(code, int) else None
        if primary == SQLITE_FULL or "database or disk is full" in text:
            return "full"
        if primary in (SQLITE_READONLY, SQLITE_PERM) or "readonly database" in text:
            return "readonly"
        if primary == SQLITE_CANTOPEN or "unable to open database file" in text:
            return "readonly"
        if primary == SQLITE_IOERR or "disk i/o error" in text:
            return "ioerror"
    return None


def storage_message(kind: str, where: str, action: str = "保存") -> str:
    """One sentence: what happened, that nothing was lost, what to do."""
    if kind == "full":
        return (
            f"无法{action}：{where}所在的磁盘空间不足，本次操作未写入，{NOTHING_LOST}。请清理磁盘空间后重试。"
        )
    if kind == "readonly":
        return (
            f"无法{action}：没有写入{where}的权限（文件或文件夹是只读的），本次操作未写入，{NOTHING_LOST}。"
            "请检查文件夹权限，或把数据库放到可写的位置后重试。"
        )
    return (
        f"无法{action}：读写{where}时磁盘出错（磁盘可能已满、已拔出或已断开），本次操作未写入，"
        f"{NOTHING_LOST}。请检查磁盘后重试。"
    )


def as_storage_error(exc: BaseException, where: str, action: str = "保存") -> StorageError | None:
    """A StorageError for a disk that refused a write, else None (the caller re-raises the original)."""
    kind = classify(exc)
    if kind is None:
        return None
    return StorageError(storage_message(kind, where, action), kind)
