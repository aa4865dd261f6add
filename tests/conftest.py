"""Shared test setup: offscreen Qt, a fixed clock, fixture paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch):
    """Tests run on a known day unless they set their own."""
    from desktop_app.domain import clock

    monkeypatch.setenv("LEDGER_TODAY", "2023-07-01")
    clock.set_today(None)
    yield
    clock.set_today(None)
