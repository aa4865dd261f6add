"""The dependency wall: ui -> services -> storage|importers|exporters -> domain."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "desktop_app"

# package -> packages of ours it must not import
FORBIDDEN = {
    "domain": {"storage", "services", "importers", "exporters", "ui", "app"},
    "storage": {"services", "importers", "exporters", "ui", "app"},
    "importers": {"storage", "services", "exporters", "ui", "app"},
    "exporters": {"storage", "services", "importers", "ui", "app"},
    "services": {"ui", "app"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _files():
    return sorted(p for p in PKG.rglob("*.py"))


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(PKG)))
def test_layering(path: Path) -> None:
    rel = path.relative_to(PKG)
    top = rel.parts[0] if len(rel.parts) > 1 else rel.stem
    names = _imports(path)
    if top not in ("ui", "app"):
        assert not any(n == "PySide6" or n.startswith("PySide6.") for n in names), f"{rel} imports Qt"
    if top != "storage":
        assert not any(n.split(".")[0] in ("sqlalchemy", "alembic") for n in names), f"{rel} imports SQLAlchemy"
    for bad in FORBIDDEN.get(top, set()):
        assert not any(n == f"desktop_app.{bad}" or n.startswith(f"desktop_app.{bad}.") for n in names), (
            f"{rel} imports desktop_app.{bad}"
        )
