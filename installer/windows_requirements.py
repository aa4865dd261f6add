"""The requirements of the Windows build, read from pyproject.toml with the markers of Windows x64 / CPython 3.11.

``pip download --platform win_amd64`` evaluates environment markers against the machine it runs on, not
the target, so installer/check_windows.sh asks this script which requirements hold on Windows:

    python3 installer/windows_requirements.py [--python 3.11]   # one requirement a line

The PySide6 meta-package is replaced by PySide6-Essentials (QtCore, QtGui, QtWidgets, QtPrintSupport,
QtSvg: all the program imports) so the ~150 MB of PySide6-Addons are neither downloaded nor analysed.
The build extra (PyInstaller) comes with what PyInstaller needs on Windows only (pefile, pywin32-ctypes).
"""

from __future__ import annotations

import argparse
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WINDOWS_ONLY = ["pefile>=2022.5.30,!=2024.8.26", "pywin32-ctypes>=0.2.1"]


def _marker_env(python: str) -> dict[str, str]:
    return {
        "sys_platform": "win32",
        "platform_system": "Windows",
        "os_name": "nt",
        "platform_machine": "AMD64",
        "platform_python_implementation": "CPython",
        "implementation_name": "cpython",
        "python_version": python,
        "python_full_version": python + ".0",
        "implementation_version": python + ".0",
        "extra": "",
    }


def _evaluate(marker: str, env: dict[str, str]) -> bool:
    try:
        from packaging.markers import Marker
    except ImportError:  # pip vendors packaging
        from pip._vendor.packaging.markers import Marker
    return Marker(marker).evaluate(env)


def requirements(python: str = "3.11") -> list[str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = data["project"]
    env = _marker_env(python)
    out: list[str] = []
    for line in [*project["dependencies"], *project.get("optional-dependencies", {}).get("build", [])]:
        spec, _, marker = line.partition(";")
        if marker.strip() and not _evaluate(marker.strip(), env):
            continue
        spec = spec.strip()
        name = re.split(r"[<>=!~\[ ]", spec, maxsplit=1)[0]
        if name.lower() == "pyside6":
            spec = "PySide6-Essentials" + spec[len(name):]
        out.append(spec)
    return out + WINDOWS_ONLY


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default="3.11")
    for line in requirements(parser.parse_args().python):
        print(line)


if __name__ == "__main__":
    main()
