"""Generated harder fixtures (see importer_fixtures.py), built once per test session."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import importer_fixtures  # noqa: E402


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("generated")
    return {name: make(out / name) for name, make in importer_fixtures.ALL.items()}
