"""installer/windows_requirements.py: what the Windows build installs, read from pyproject.toml for win32."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "installer"))
import windows_requirements  # noqa: E402


def _by_name(lines: list[str]) -> dict[str, str]:
    return {re.split(r"[<>=!~ ]", line, maxsplit=1)[0].lower(): line for line in lines}


def test_windows_gets_pyside6_essentials_below_6_10_and_what_pyinstaller_needs_there() -> None:
    reqs = _by_name(windows_requirements.requirements("3.11"))
    assert "pyside6" not in reqs  # not the meta-package: no PySide6-Addons
    assert reqs["pyside6-essentials"] == "PySide6-Essentials>=6.6,<6.10"  # icuuc.dll (docs/INSTALL.md)
    for name in ("sqlalchemy", "alembic", "openpyxl", "python-docx", "platformdirs", "chinesecalendar"):
        assert name in reqs, name
    assert {"pyinstaller", "pefile", "pywin32-ctypes"} <= set(reqs)


def test_every_runtime_requirement_of_pyproject_reaches_the_windows_build() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {re.split(r"[<>=!~ ;\[]", d, maxsplit=1)[0].lower() for d in project["dependencies"]}
    got = set(_by_name(windows_requirements.requirements("3.11")))
    assert {n if n != "pyside6" else "pyside6-essentials" for n in names} <= got


def test_linux_keeps_its_own_pyside6_range() -> None:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    linux_311 = [d for d in deps if d.startswith("PySide6") and "sys_platform != 'win32'" in d]
    assert any("<6.12" in d and "python_version < '3.12'" in d for d in linux_311)


def test_the_script_prints_one_requirement_a_line() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "installer" / "windows_requirements.py")],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert out.splitlines() == windows_requirements.requirements("3.11")
