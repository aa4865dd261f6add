"""Entry point of the frozen program (PyInstaller): give the CLI somewhere to print, then run it.

On Windows the bundle is built windowed (no console flashes up when a user double-clicks it), so
``sys.stdout`` is ``None`` when started from Explorer or a shortcut. When it is started from a
console (``desktop_app.exe --version``) we attach to that console so --version, list, import and
friends still print; when output is redirected (CI: ``Start-Process -RedirectStandardOutput``) the
inherited handles already work and nothing needs doing.
"""

from __future__ import annotations

import io
import os
import sys


def _attach_parent_console() -> None:
    if sys.platform != "win32" or (sys.stdout is not None and sys.stderr is not None):
        return
    stream: io.TextIOBase | None = None
    try:
        import ctypes

        attach_parent_process = -1
        if ctypes.windll.kernel32.AttachConsole(attach_parent_process):  # type: ignore[attr-defined]
            stream = open("CONOUT$", "w", encoding="utf-8", errors="replace", buffering=1)  # noqa: SIM115
    except (OSError, AttributeError):
        stream = None
    if stream is None:
        # No console at all (double-click): swallow output rather than crash on None.write.
        stream = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if sys.stdout is None:
        sys.stdout = stream
    if sys.stderr is None:
        sys.stderr = stream


def _utf8_when_redirected() -> None:
    """Windows: output redirected to a file or pipe would use the ANSI code page (cp1252 on an English
    system cannot even encode the program's Chinese name, and print() would fail). Write UTF-8 there;
    a real console is unaffected (Python writes to it through the wide-character console API)."""
    if sys.platform != "win32":
        return
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None and not stream.isatty() and hasattr(stream, "reconfigure"):
                stream.reconfigure(encoding="utf-8", errors="replace")
        except (OSError, ValueError):
            pass


def _restore_library_path() -> None:
    """Linux bundle: the bootloader puts its own folder on LD_LIBRARY_PATH, and programs we start
    (LibreOffice converting .doc/.wps, xdg-open behind QDesktopServices) would load our bundled copies
    of system libraries and crash. Give children the user's original value; this process is not
    affected (the dynamic loader read the variable when the process started)."""
    if not (getattr(sys, "frozen", False) and sys.platform.startswith("linux")):
        return
    orig = os.environ.pop("LD_LIBRARY_PATH_ORIG", None)
    if orig:
        os.environ["LD_LIBRARY_PATH"] = orig
    else:
        os.environ.pop("LD_LIBRARY_PATH", None)


def main() -> int:
    _attach_parent_console()
    _utf8_when_redirected()
    _restore_library_path()
    from desktop_app.cli import main as cli_main

    code = int(cli_main() or 0)
    import gc

    gc.freeze()  # leaving: the last collection need not walk the ledger's objects (desktop_app/__main__.py)
    return code


if __name__ == "__main__":
    sys.exit(main())
