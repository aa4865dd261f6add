"""The one error exporters raise: a Chinese sentence saying what went wrong and what to do."""

from __future__ import annotations

from desktop_app.domain.model import LedgerError


class ExportFailed(LedgerError):
    """Writing a report failed; `message` is shown to the user as is."""
