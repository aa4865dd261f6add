"""Who sent a file and for what: the identity every report, Excel file and fill-back carries (issue 14).

It travels twice in the file: as document custom properties (docProps/custom.xml, kept by Word, WPS and
Excel through editing) and in the embedded copy ("identity"). The city office's collection reads it first:
the ledger it belongs to, the unit that sent it, the round and the date."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

# custom property name -> FileIdentity field (ASCII names: every office suite keeps them as written)
PROPERTY_NAMES = {
    "LedgerId": "ledger",
    "ReportingUnit": "unit",
    "ReportRound": "round_no",
    "RoundDueDate": "round_due",
    "ReportDate": "date",
}


def new_ident() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class FileIdentity:
    ledger: str = ""  # the ledger's stable ident (Ledger.ident): the same on the office's and the units' side
    unit: str = ""  # 填报单位
    round_no: int | None = None  # 1-based: the n-th report date of the year
    round_due: date | None = None  # that report date
    date: date | None = None  # 填报时间

    @property
    def round_label(self) -> str:
        return round_label(self.round_no, self.round_due)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ledger": self.ledger,
            "unit": self.unit,
            "round_no": self.round_no,
            "round_due": self.round_due.isoformat() if self.round_due else None,
            "date": self.date.isoformat() if self.date else None,
        }

    def properties(self) -> dict[str, str]:
        """The custom properties, as text (empty ones left out)."""
        values = self.to_dict()
        out = {}
        for prop, key in PROPERTY_NAMES.items():
            v = values[key]
            if v not in (None, ""):
                out[prop] = str(v)
        return out

    @classmethod
    def from_dict(cls, d: Any) -> FileIdentity | None:
        """From to_dict()'s form or from properties() (values as text); None when it holds no ledger id."""
        if not isinstance(d, dict):
            return None
        d = {PROPERTY_NAMES.get(k, k): v for k, v in d.items()}
        ledger = d.get("ledger")
        if not isinstance(ledger, str) or not ledger.strip() or len(ledger) > 100:
            return None
        unit = d.get("unit") if isinstance(d.get("unit"), str) else ""
        return cls(
            ledger=ledger.strip(),
            unit=(unit or "").strip()[:200],
            round_no=_int(d.get("round_no")),
            round_due=_date(d.get("round_due")),
            date=_date(d.get("date")),
        )


def _int(v: Any) -> int | None:
    try:
        n = int(v)
    except (TypeError, ValueError):
        return None
    return n if 0 < n < 1000 else None


def _date(v: Any) -> date | None:
    if not isinstance(v, str):
        return None
    try:
        return date.fromisoformat(v.strip()[:10])
    except ValueError:
        return None


def round_for(report_dates: list[date], as_of: date) -> tuple[int | None, date | None]:
    """The round a report written on as_of is for: the first report date on or after it, else the last
    one; (None, None) when the ledger has no report dates."""
    dates = sorted(set(report_dates))
    if not dates:
        return None, None
    for i, d in enumerate(dates, start=1):
        if d >= as_of:
            return i, d
    return len(dates), dates[-1]


def round_label(round_no: int | None, due: date | None) -> str:
    """ "第2次报送（8月15日前）"; "" without a round."""
    if not round_no:
        return ""
    return f"第{round_no}次报送" + (f"（{due.month}月{due.day}日前）" if due else "")
