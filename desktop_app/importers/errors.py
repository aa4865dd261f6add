"""The one error an import raises: a Chinese sentence naming the file and what to do."""

from __future__ import annotations

from desktop_app.domain.model import LedgerError

WORD_HINT = "请在 Word/WPS 中打开后另存为 .docx 再导入。"
EXCEL_HINT = "请在 Excel/WPS 中打开后另存为 .xlsx 再导入。"


class ImportFailed(LedgerError):
    """The file could not be turned into a ledger; `message` says why and what to do.

    `tables`: tables found without a recognised header (TableInfo, fields all "ignore"), so the
    import wizard can still offer to map their columns by hand (load_any(..., overrides=...))."""

    def __init__(self, message: str, tables: list | None = None) -> None:
        super().__init__(message)
        self.tables = tables or []


def fail(name: str, reason: str, hint: str = WORD_HINT) -> ImportFailed:
    """`无法读取《name》：reason。hint` as one error."""
    return ImportFailed(f"无法读取《{name}》：{reason}。{hint}")


class TooMuch(Exception):
    """A reader stopped at one of its bounds; the text says what (Chinese, no file name, no full stop)."""
