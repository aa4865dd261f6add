"""The folder each kind of file was last saved in (settings last_dir_<kind>, then last_dir_export):
one memory for every save dialog, so a report, a workbook or an archive copy opens where the last one went."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop_app.domain.model import LedgerError


def _keys(kind: str) -> tuple[str, ...]:
    return (f"last_dir_{kind}", "last_dir_export")


def last_folder(settings: Any, kind: str) -> Path:
    """The folder a file of this kind (docx, xlsx, pdf, ofd, json) was last saved in, else the folder
    any export went to last, else the home folder; a folder since removed is skipped."""
    for key in _keys(kind):
        try:
            value = settings.get(key)
        except LedgerError:
            value = None
        if value and Path(value).is_dir():
            return Path(value)
    return Path.home()


def remember_folder(settings: Any, kind: str, folder: Path) -> None:
    """Remember where a file of this kind went; a setting that cannot be written never stops a save."""
    for key in _keys(kind):
        try:
            settings.set(key, str(folder))
        except LedgerError:
            pass
