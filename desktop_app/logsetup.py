"""The log file: exactly one rotating handler per process, in the user log folder or a temp one."""

from __future__ import annotations

import logging
import logging.handlers
import tempfile
from pathlib import Path

from desktop_app import paths

MARK = "_ledger_handler"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MAX_BYTES = 2_000_000  # then desktop_app.log -> .log.1 (-> .2, .3); the oldest goes
BACKUP_COUNT = 3
RETRY_BYTES = 64_000  # after a failed rotation, write this much more before trying again


class LogFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating handler that keeps writing when the file cannot be rotated.

    On Windows a file that another process holds open (a second instance of the program, an editor,
    a virus scanner) cannot be renamed (WinError 32). The standard handler then loses the record,
    prints "--- Logging error ---" and fails again on every later record; this one reopens the
    file, keeps appending and tries to rotate again after ``RETRY_BYTES`` more.
    """

    def __init__(self, path: Path) -> None:
        super().__init__(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8")
        self._retry_at = 0

    def shouldRollover(self, record: logging.LogRecord) -> bool:  # noqa: N802 - logging's name
        if not super().shouldRollover(record):
            return False
        return self.stream is None or self.stream.tell() >= self._retry_at

    def doRollover(self) -> None:  # noqa: N802 - logging's name
        try:
            super().doRollover()
        except OSError:
            if self.stream is None:
                self.stream = self._open()
            self.stream.seek(0, 2)
            self._retry_at = self.stream.tell() + RETRY_BYTES
        else:
            self._retry_at = 0


def current_log_file() -> Path | None:
    """The file our handler writes to, if it is installed."""
    for handler in logging.getLogger().handlers:
        if getattr(handler, MARK, False):
            return Path(handler.baseFilename)  # type: ignore[attr-defined]
    return None


def setup_logging(log_path: Path | None = None) -> Path | None:
    """Install the one log handler (idempotent: the CLI and the GUI both call it). Returns its file.

    One handler only: two handlers on one file write every line twice, and on Windows the second
    open handle makes rotation fail (WinError 32). A folder that cannot be written is no reason not
    to start: the log goes to a temporary folder instead; None if even that fails.
    """
    existing = current_log_file()
    if existing is not None:
        return existing
    for path in _candidates(log_path):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handler = LogFileHandler(path)
        except OSError:
            continue
        setattr(handler, MARK, True)
        handler.setFormatter(logging.Formatter(FORMAT))
        root = logging.getLogger()
        root.addHandler(handler)
        root.setLevel(logging.INFO)
        if path.parent != Path(log_path or paths.log_file()).parent:
            logging.getLogger(__name__).warning("log folder not writable, logging to %s", path)
        return path
    return None


def _candidates(log_path: Path | None):  # noqa: ANN202 - a generator of paths
    yield Path(log_path) if log_path is not None else paths.log_file()
    yield paths.fallback_log_dir() / paths.LOG_NAME
    try:
        yield Path(tempfile.mkdtemp(prefix="desktop_app-log-")) / paths.LOG_NAME
    except OSError:
        return
