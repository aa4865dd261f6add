"""A throw-away PostgreSQL cluster for the tests and benchmarks: initdb + pg_ctl in a temp folder.

PostgreSQL refuses to run as root, so under root (CI) the server runs as the `postgres` system user
(created by the Debian package) through runuser; the cluster lives in a fresh folder under the temp
dir, listens on a free port on 127.0.0.1 only, and is removed at the end. fsync is off: nothing here
must survive a crash of the machine.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

SUPERUSER = "postgres"
CLERK, CLERK_PASSWORD = "clerk", "clerk-pw-2023"  # a login that needs a password (scram)


class ClusterUnavailable(RuntimeError):
    """No PostgreSQL binaries (or no psycopg) on this machine: the caller skips or reports it."""


def find_bin_dir() -> Path:
    env = os.environ.get("LEDGER_PG_BIN")
    candidates = [env] if env else []
    candidates += sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True
    )
    which = shutil.which("initdb")
    if which:
        candidates.append(str(Path(which).parent))
    for c in candidates:
        if c and (Path(c) / "initdb").exists() and (Path(c) / "pg_ctl").exists():
            return Path(c)
    raise ClusterUnavailable("PostgreSQL 未安装（找不到 initdb/pg_ctl）：请安装 Debian 软件包 postgresql")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self) -> None:
        try:
            import psycopg  # noqa: F401
        except ImportError as exc:
            raise ClusterUnavailable("没有安装 psycopg：pip install 'psycopg[binary]'") from exc
        self.bin = find_bin_dir()
        self.root = Path(tempfile.mkdtemp(prefix="zwgk-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = _free_port()
        self._as_root = os.geteuid() == 0
        self._counter = 0
        self.started = False

    # ------------------------------------------------------------------ life
    def _run(self, *args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self._as_root:
            cmd = ["runuser", "-u", SUPERUSER, "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=self.root)
        if check and done.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} failed: {done.stdout}{done.stderr}{self._log_tail()}")
        return done

    def _log_tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-2000:]
        except OSError:
            return ""

    def start(self) -> Cluster:
        if self._as_root:
            shutil.chown(self.root, SUPERUSER, SUPERUSER)
        os.chmod(self.root, 0o700)
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust", "--no-locale", "-E", "UTF8", "-N")
        (self.data / "pg_hba.conf").write_text(
            "local all all trust\n"
            f"host all {SUPERUSER} 127.0.0.1/32 trust\n"
            "host all all 127.0.0.1/32 scram-sha-256\n",
            encoding="utf-8",
        )
        with open(self.data / "postgresql.conf", "a", encoding="utf-8") as fh:
            fh.write(
                f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.root}'\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 200\n"
                "shared_buffers = 32MB\npassword_encryption = 'scram-sha-256'\n"
            )
        self._pg_ctl("start")
        self.started = True
        self.sql(f"CREATE ROLE {CLERK} LOGIN PASSWORD '{CLERK_PASSWORD}'")
        return self

    def _pg_ctl(self, what: str, *extra: str) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", what, *extra)

    def restart(self) -> None:
        """A server restart: every open connection is cut (what a client sees when the server reboots)."""
        self._pg_ctl("restart", "-m", "fast")

    def stop_server(self) -> None:
        self._pg_ctl("stop", "-m", "fast")

    def start_server(self) -> None:
        self._pg_ctl("start")

    def stop(self) -> None:
        if self.started:
            self._run("pg_ctl", "-D", str(self.data), "-w", "-t", "60", "stop", "-m", "immediate", check=False)
            self.started = False
        shutil.rmtree(self.root, ignore_errors=True)

    # ------------------------------------------------------------------ databases
    def url(self, database: str, user: str = SUPERUSER) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, database: str = "postgres") -> list[tuple]:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=SUPERUSER, dbname=database, autocommit=True
        ) as con:
            cur = con.execute(statement)
            return cur.fetchall() if cur.description else []

    def new_database(self, template: str | None = None, owner: str | None = None) -> str:
        """A fresh empty database (or a copy of `template`); returns its name."""
        self._counter += 1
        name = f"t{os.getpid()}_{self._counter}_{int(time.time() * 1000) % 100000}"
        extra = f" TEMPLATE {template}" if template else " TEMPLATE template0"
        if owner:
            extra += f" OWNER {owner}"
        self.sql(f"CREATE DATABASE {name}{extra}")
        return name

    def drop_database(self, name: str) -> None:
        self.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
