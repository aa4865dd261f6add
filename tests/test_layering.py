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


def _ui_import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the modules of ui/ it imports (every import: top-level, in a function, or only for
    type checking: each is a dependency a reader has to follow)."""
    mods: dict[str, Path] = {}
    for path in sorted((root / "ui").rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        mods[name] = path
    graph: dict[str, set[str]] = {}
    for name, path in mods.items():
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                candidates = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                candidates = [a.name for a in node.names]
            else:
                continue
            deps.update(c for c in candidates if c in mods and c != name)
        graph[name] = deps
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each a cycle to break."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle_inside_ui() -> None:
    """A window part names the narrow face it uses (ui.window_parts protocols) instead of importing the
    window; two parts that need each other share a third thing."""
    graph = _ui_import_graph(PKG)
    assert "desktop_app.ui.main_window" in graph and len(graph) > 20
    cycles = _cycles(graph)
    assert not cycles, f"import cycles inside ui/: {cycles}"


def test_the_cycle_check_finds_a_cycle(tmp_path: Path) -> None:
    root = tmp_path / "desktop_app"
    (root / "ui" / "widgets").mkdir(parents=True)
    (root / "ui" / "__init__.py").write_text("")
    (root / "ui" / "a.py").write_text("from desktop_app.ui import b\n")
    (root / "ui" / "b.py").write_text("def f():\n    from desktop_app.ui.widgets.c import x\n")
    (root / "ui" / "widgets" / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from desktop_app.ui.a import A\n"
    )
    (root / "ui" / "d.py").write_text("import desktop_app.ui.a\n")
    assert _cycles(_ui_import_graph(root)) == [
        ["desktop_app.ui.a", "desktop_app.ui.b", "desktop_app.ui.widgets.c"]
    ]
