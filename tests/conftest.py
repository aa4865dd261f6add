"""Shared test setup: offscreen Qt, a fixed clock, fixture paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DATA = Path(__file__).parent / "data"


# CI sets LEDGER_NO_SKIP=1: a skipped test there is a test that never ran, so it fails the run.
_SKIPPED: list[str] = []


def pytest_runtest_logreport(report) -> None:
    if report.skipped and os.environ.get("LEDGER_NO_SKIP") == "1":
        _SKIPPED.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus) -> None:
    if _SKIPPED and exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter) -> None:
    if _SKIPPED:
        terminalreporter.write_line(f"LEDGER_NO_SKIP=1 但有 {len(_SKIPPED)} 项测试被跳过：", red=True)
        for nodeid in _SKIPPED:
            terminalreporter.write_line(f"  {nodeid}", red=True)


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
