"""The log file: exactly one rotating handler per process, in the user log folder or a temp one."""

from __future__ import annotations

import logging
import logging.handlers
import tempfile
from pathlib import Path

from desktop_app import paths

MARK = "_ledger_handler"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


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
            handler = logging.handlers.RotatingFileHandler(
                path, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
            )
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
