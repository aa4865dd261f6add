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


# ------------------------------------------------------------------ both engines
# A test that (through its fixtures) asks for `engine_kind` runs once per engine: on an SQLite file and
# on a database of the throw-away PostgreSQL cluster (tests/pgcluster.py, started once per session).
# `@pytest.mark.sqlite_only` keeps a test to SQLite (file backups, quick_check, the lock file).
# LEDGER_ENGINES=sqlite runs the SQLite half only (quick local runs); CI runs both.
ENGINES = [e for e in os.environ.get("LEDGER_ENGINES", "sqlite,postgresql").split(",") if e]


def pytest_generate_tests(metafunc) -> None:
    if "engine_kind" in metafunc.fixturenames:
        only_sqlite = metafunc.definition.get_closest_marker("sqlite_only") is not None
        kinds = ["sqlite"] if only_sqlite else ENGINES
        metafunc.parametrize("engine_kind", kinds)


@pytest.fixture(scope="session")
def pg_cluster():
    import pgcluster  # tests/pgcluster.py

    try:
        cluster = pgcluster.Cluster().start()
    except pgcluster.ClusterUnavailable as exc:
        pytest.skip(str(exc))
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def pg_template(pg_cluster) -> str:
    """A database migrated to head with the holiday table seeded: each test gets a copy (0.2 s)."""
    from desktop_app.services.context import AppContext

    name = pg_cluster.new_database()
    AppContext.open(pg_cluster.url(name)).close()
    return name


@pytest.fixture
def pg_url(pg_cluster, pg_template):
    """A fresh ledger database on the test server (a copy of the template), dropped afterwards."""
    name = pg_cluster.new_database(template=pg_template)
    yield pg_cluster.url(name)
    pg_cluster.drop_database(name)


@pytest.fixture
def db_target(engine_kind: str, tmp_path: Path, request):
    """What AppContext.open / Database take: an SQLite file, or a server URL."""
    if engine_kind == "postgresql":
        return request.getfixturevalue("pg_url")
    return tmp_path / "ledger.sqlite3"


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


# The schema check every written .docx/.xlsx must pass (README of the tool: exit 0 means no violation).
# It lives in the workplace's shared folder beside the checkout (../shared), wherever that is.
def _find_validator() -> Path:
    tail = Path("shared") / "tools" / "ooxml" / "validate_ooxml.py"
    candidates = [Path(os.environ["OOXML_VALIDATOR"])] if os.environ.get("OOXML_VALIDATOR") else []
    candidates += [Path(__file__).resolve().parents[2] / tail, Path("/work") / tail]
    return next((c for c in candidates if c.exists()), candidates[0])


OOXML_VALIDATOR = _find_validator()
os.environ.setdefault("OOXML_VALIDATOR", str(OOXML_VALIDATOR))  # for test modules that run it themselves


@pytest.fixture
def ooxml_valid():
    """ooxml_valid(path, ...) asserts each file passes validate_ooxml.py."""
    import subprocess
    import sys

    def check(*paths: Path) -> None:
        assert OOXML_VALIDATOR.exists(), f"OOXML validator not found at {OOXML_VALIDATOR}"
        done = subprocess.run(
            [sys.executable, str(OOXML_VALIDATOR), *map(str, paths)], capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stdout + done.stderr

    return check
