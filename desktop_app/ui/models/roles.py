"""Custom item roles used by the ui models, in one place."""

from __future__ import annotations

from PySide6.QtCore import Qt

TASK_ID_ROLE = Qt.UserRole + 1  # int task id, or None on a section row
SECTION_ID_ROLE = Qt.UserRole + 2  # int section id of the row
IS_SECTION_ROLE = Qt.UserRole + 3  # bool
STATUS_ROLE = Qt.UserRole + 4  # DisplayStatus of a task row
LEDGER_ID_ROLE = Qt.UserRole + 5  # int ledger id (ledger list)
SEARCH_TERMS_ROLE = Qt.UserRole + 6  # list[str] lowercase terms to highlight
FULL_TEXT_ROLE = Qt.UserRole + 7  # the whole text of a cell (display may be shortened)
