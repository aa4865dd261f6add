"""Which database to open: an SQLite file (the default) or a PostgreSQL server database (host, port,
database, user). The addresses remembered (the recent list) never hold a password: it is asked each
session and kept in memory only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from desktop_app.domain.model import LedgerError
from desktop_app.services.context import AppContext
from desktop_app.storage.database import is_server_url

DEFAULT_PORT = 5432
RECENT_LIMIT = 8

__all__ = ["DEFAULT_PORT", "ServerAddress", "database_key", "open_database", "remember", "same_database"]


@dataclass(frozen=True)
class ServerAddress:
    host: str
    database: str
    user: str = ""
    port: int = DEFAULT_PORT

    def url(self) -> str:
        """postgresql://user@host:port/database (no password, ever)."""
        if not self.host.strip() or not self.database.strip():
            missing = "服务器地址" if not self.host.strip() else "数据库名"
            raise LedgerError(f"请填写{missing}后再连接服务器数据库。")
        host = self.host.strip()
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"  # an IPv6 address
        user = f"{quote(self.user.strip(), safe='')}@" if self.user.strip() else ""
        return f"postgresql://{user}{host}:{int(self.port)}/{quote(self.database.strip(), safe='')}"

    @classmethod
    def parse(cls, text: str) -> ServerAddress | None:
        """The fields of a `postgresql://` address; None for anything else (a file's path)."""
        if not is_server_url(text):
            return None
        parts = urlsplit(text.strip())
        try:
            port = parts.port or DEFAULT_PORT
        except ValueError:
            port = DEFAULT_PORT
        return cls(
            host=parts.hostname or "",
            database=unquote(parts.path.lstrip("/")),
            user=unquote(parts.username or ""),
            port=port,
        )


def open_database(
    target: Path | str, *, read_only: bool = False, password: Callable[[str], str | None] | None = None
) -> AppContext:
    """The window's way in, at start (--db) and from 文件 → 打开数据库…: the same AppContext.open.
    Raises LedgerError (one sentence) and then nothing was changed."""
    return AppContext.open(target, daily_backup=True, read_only=read_only, password=password)


def _key(target: str) -> str:
    if is_server_url(target):
        address = ServerAddress.parse(target)
        if address and address.host and address.database:
            return ServerAddress(address.host.lower(), address.database, address.user, address.port).url()
        return target.strip()
    try:
        return str(Path(target).expanduser().resolve())
    except OSError:
        return target.strip()


def database_key(target: str | Path) -> str:
    """One name per database whatever it was called by: a file's full path, a server's address
    (host in lower case, no password). The kept edits of a dropped connection are filed under it."""
    return _key(str(target))


def same_database(a: str | Path, b: str | Path) -> bool:
    """The same file (whatever the name it was given by) or the same server database."""
    return _key(str(a)) == _key(str(b))


def remember(recent: list[str], target: str | Path, limit: int = RECENT_LIMIT) -> list[str]:
    """The recent list with `target` first (once), at most `limit` long; never a password."""
    text = str(target)
    if is_server_url(text):
        address = ServerAddress.parse(text)
        if address is None or not address.host or not address.database:
            return list(recent)
        text = address.url()  # drops a password written into the address
    else:
        text = _key(text)
    kept = [r for r in recent if r and not same_database(r, text)]
    return [text, *kept][:limit]
