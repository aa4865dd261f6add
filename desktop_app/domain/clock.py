"""The one clock: what "today" is, settable by LEDGER_TODAY=YYYY-MM-DD or --as-of."""

from __future__ import annotations

import os
from datetime import date

_override: date | None = None


def set_today(value: date | None) -> None:
    """Fix today's date for this process (the --as-of option); None returns to the real clock."""
    global _override
    _override = value


def today() -> date:
    if _override is not None:
        return _override
    env = os.environ.get("LEDGER_TODAY", "").strip()
    if env:
        try:
            return date.fromisoformat(env)
        except ValueError:
            pass  # a bad value is reported by the CLI; the real clock is the safe fallback
    return date.today()


def chinese_date(value: date) -> str:
    """2023年8月15日"""
    return f"{value.year}年{value.month}月{value.day}日"


def chinese_month_day(value: date) -> str:
    """8月15日"""
    return f"{value.month}月{value.day}日"
