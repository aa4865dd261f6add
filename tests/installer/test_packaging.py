"""Packaging files checked without building anything: spec, launcher, version info, NSIS, icons, CI."""

from __future__ import annotations

import ast
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
SPEC = INSTALLER / "desktop_app.spec"
NSI = INSTALLER / "desktop_app.nsi"
WORKFLOW = ROOT / ".github" / "workflows" / "windows-installer.yml"

sys.path.insert(0, str(INSTALLER))
import version_info  # noqa: E402

import desktop_app  # noqa: E402
from desktop_app import paths  # noqa: E402


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# --- spec -----------------------------------------------------------------------------------------
def test_spec_is_python_and_names_the_launcher() -> None:
    text = _text(SPEC)
    ast.parse(text)
    assert 'installer" / "launcher.py' in text
    assert 'name="desktop_app"' in text and "COLLECT(" in text  # one-folder


@pytest.mark.parametrize(
    "needle",
    [
        'collect_data_files("alembic")',
        'collect_data_files("docx")',
        'collect_data_files("openpyxl")',
        'collect_data_files("chinese_calendar")',
        'collect_submodules("desktop_app.storage.migrations")',
        '(ROOT / "resources")',
        '"storage" / "migrations"',
        "PySide6.QtPrintSupport",
        "version=VERSION_FILE",
        "icon=ICON",
        "console=CONSOLE",
        "upx=False",
    ],
)
def test_spec_bundles(needle: str) -> None:
    assert needle in _text(SPEC)


@pytest.mark.parametrize(
    "module",
    [
        "QtWebEngineCore",
        "QtQuick",
        "QtQml",
        "Qt3DCore",
        "QtMultimedia",
        "QtCharts",
        "QtDataVisualization",
        "QtBluetooth",
        "QtSensors",
        "QtSerialPort",
        "QtNetworkAuth",
        "QtDesigner",
        "QtTest",
    ],
)
def test_spec_excludes_unused_qt(module: str) -> None:
    import bundle_filter

    assert "EXCLUDED_QT" in _text(SPEC)
    assert module in bundle_filter.EXCLUDED_QT


def test_spec_excludes_tkinter() -> None:
    assert '"tkinter"' in _text(SPEC)


def test_paths_look_for_resources_where_the_spec_puts_them(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.resources_dir() == tmp_path / "resources"


# --- launcher -------------------------------------------------------------------------------------
def test_launcher_runs_the_cli(monkeypatch) -> None:
    import launcher

    import desktop_app.cli as cli

    calls: list[int] = []
    monkeypatch.setattr(cli, "main", lambda: calls.append(1) or 0)
    assert launcher.main() == 0
    assert calls == [1]


def test_launcher_leaves_streams_alone_off_windows(monkeypatch) -> None:
    import launcher

    out, err = sys.stdout, sys.stderr
    launcher._attach_parent_console()
    assert sys.stdout is out and sys.stderr is err


def test_launcher_gives_windowless_program_somewhere_to_print(monkeypatch) -> None:
    import launcher

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    launcher._attach_parent_console()  # no ctypes.windll here: falls back to devnull
    assert sys.stdout is not None and sys.stderr is not None
    print("does not raise")
    sys.stdout.close()


def test_launcher_writes_utf8_when_redirected_on_windows(monkeypatch, tmp_path: Path) -> None:
    import io

    import launcher

    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp1252")
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(sys, "stdout", stream)
    launcher._utf8_when_redirected()
    print("政务公开任务落实台账 0.1.0")
    sys.stdout.flush()
    assert raw.getvalue().decode("utf-8").strip() == "政务公开任务落实台账 0.1.0"


@pytest.mark.parametrize(("orig", "expected"), [(None, None), ("/opt/lib", "/opt/lib")])
def test_launcher_gives_children_the_users_library_path(monkeypatch, orig, expected) -> None:
    import launcher

    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("LD_LIBRARY_PATH", "/bundle/_internal")
    if orig is None:
        monkeypatch.delenv("LD_LIBRARY_PATH_ORIG", raising=False)
    else:
        monkeypatch.setenv("LD_LIBRARY_PATH_ORIG", orig)
    launcher._restore_library_path()
    import os

    assert os.environ.get("LD_LIBRARY_PATH") == expected
    assert "LD_LIBRARY_PATH_ORIG" not in os.environ


# --- version info ---------------------------------------------------------------------------------
def test_version_info_matches_the_package() -> None:
    assert version_info.package_version() == desktop_app.__version__
    assert _text(INSTALLER / "version_info.txt") == version_info.render(desktop_app.__version__), (
        "installer/version_info.txt is stale: run python installer/version_info.py"
    )


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("0.1.0", (0, 1, 0, 0)),
        ("1.2", (1, 2, 0, 0)),
        ("2.10.3rc1", (2, 10, 3, 0)),
        ("1.0.0+local", (1, 0, 0, 0)),
    ],
)
def test_version_tuple(version: str, expected: tuple[int, int, int, int]) -> None:
    assert version_info.version_tuple(version) == expected


def test_version_info_evaluates_like_pyinstaller_reads_it() -> None:
    """PyInstaller eval()s the file with its VSVersionInfo classes; stand-ins check shape and values."""

    def make(kind):
        return lambda *a, **k: (kind, a, k)

    names = [
        "VSVersionInfo",
        "FixedFileInfo",
        "StringFileInfo",
        "StringTable",
        "StringStruct",
        "VarFileInfo",
        "VarStruct",
    ]
    info = eval(_text(INSTALLER / "version_info.txt"), {n: make(n) for n in names})  # noqa: S307
    assert info[0] == "VSVersionInfo"
    ffi = info[2]["ffi"]
    assert ffi[2]["filevers"] == version_info.version_tuple(desktop_app.__version__)
    strings = dict(s[1] for s in info[2]["kids"][0][1][0][0][1][1])
    assert strings["ProductVersion"] == desktop_app.__version__
    assert strings["OriginalFilename"] == "desktop_app.exe"


# --- NSIS -----------------------------------------------------------------------------------------
def test_nsis_basics() -> None:
    text = _text(NSI)
    assert re.search(r"^Unicode true", text, re.M)
    assert re.search(r"^RequestExecutionLevel user", text, re.M)
    assert '!insertmacro MUI_LANGUAGE "SimpChinese"' in text
    assert "!include MUI2.nsh" in text
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\' in text
    assert "$SMPROGRAMS\\" in text and "$DESKTOP\\" in text
    assert "!ifndef VERSION" in text and "!ifndef BUNDLE_DIR" in text


def test_nsis_output_name_is_not_setup_exe() -> None:
    m = re.search(r'^OutFile "([^"]+)"', _text(NSI), re.M)
    assert m
    name = m.group(1).replace("\\", "/").rsplit("/", 1)[-1]
    assert name == "desktop_app-${VERSION}-win64-installer.exe"


@pytest.mark.parametrize(
    "value",
    [
        "DisplayName",
        "DisplayVersion",
        "Publisher",
        "UninstallString",
        "QuietUninstallString",
        "InstallLocation",
        "DisplayIcon",
        "NoModify",
        "NoRepair",
        "EstimatedSize",
    ],
)
def test_nsis_registers_uninstaller(value: str) -> None:
    text = _text(NSI)
    assert 'UNINST_KEY "Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\${APP_ID}"' in text
    assert re.search(rf'WriteReg(?:Str|DWORD) HKCU "\$\{{UNINST_KEY\}}" "{value}"', text)


def test_nsis_every_message_box_has_a_silent_default() -> None:
    boxes = [line for line in _text(NSI).splitlines() if re.match(r"\s*MessageBox\b", line)]
    assert boxes
    assert all("/SD " in line for line in boxes), [b for b in boxes if "/SD " not in b]


def test_nsis_data_folder_is_the_programs_data_folder() -> None:
    """The folder the installer promises to keep is platformdirs' user_data_path on Windows."""
    text = _text(NSI)
    expected = f"$LOCALAPPDATA\\{paths.APP_AUTHOR}\\{desktop_app.APP_ID}"
    assert f'!define DATA_DIR "{expected}"' in text
    # platformdirs on Windows: %LOCALAPPDATA%\<author>\<app> when roaming=False
    assert "roaming=False" in _text(ROOT / "desktop_app" / "paths.py")


def test_nsis_never_deletes_user_data_or_whole_install_dir() -> None:
    for line in _text(NSI).splitlines():
        code = line.split(";", 1)[0]
        if re.match(r"\s*(RMDir|Delete)\b", code):
            assert "DATA_DIR" not in code and "zwgk" not in code, line
            assert not re.match(r'\s*RMDir\s+/r\s+"\$INSTDIR"\s*$', code), line
    assert "卸载" in _text(NSI) and "保留" in _text(NSI)  # the uninstaller says the data stays


def test_nsis_checks_the_program_is_not_running() -> None:
    text = _text(NSI)
    assert "Call CloseRunningApp" in text and "Call un.CloseRunningApp" in text


@pytest.mark.skipif(shutil.which("makensis") is None, reason="makensis not installed")
def test_nsis_compiles_against_a_fake_bundle(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    (bundle / "_internal" / "resources").mkdir(parents=True)
    (bundle / "desktop_app.exe").write_bytes(b"MZ fake")
    (bundle / "_internal" / "resources" / "x.txt").write_text("x", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.run(
        [
            "makensis",
            "-V2",
            "-WX",
            "-DCOMPRESSOR=none",
            "-DVERSION=9.8.7",
            f"-DBUNDLE_DIR={bundle}",
            f"-DOUT_DIR={out}",
            str(NSI),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (out / "desktop_app-9.8.7-win64-installer.exe").stat().st_size > 10_000


# --- icons ----------------------------------------------------------------------------------------
def test_ico_has_the_sizes_windows_uses() -> None:
    data = (ROOT / "resources" / "icons" / "app.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = {struct.unpack_from("<B", data, 6 + 16 * i)[0] or 256 for i in range(count)}
    assert {16, 24, 32, 48, 256} <= sizes


def test_png_icon_is_256() -> None:
    data = (ROOT / "resources" / "icons" / "app.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (256, 256)


# --- scripts and CI -------------------------------------------------------------------------------
@pytest.mark.parametrize("script", ["check_linux.sh", "build_linux.sh", "check_nsis_wine.sh", "check_windows.sh"])
def test_shell_scripts_parse(script: str) -> None:
    path = INSTALLER / script
    assert path.stat().st_mode & 0o111, f"{script} is not executable"
    subprocess.run(["bash", "-n", str(path)], check=True)


def test_windows_build_script_is_ascii_and_runs_the_steps() -> None:
    raw = (INSTALLER / "build_windows.ps1").read_bytes()
    raw.decode("ascii")  # Windows PowerShell 5.1 reads BOM-less scripts in the ANSI code page
    text = raw.decode()
    for step in (
        "-m venv",
        'pip install ".[build]"',
        "PyInstaller",
        "desktop_app.spec",
        "makensis",
        "/DVERSION=",
        "/DBUNDLE_DIR=",
    ):
        assert step in text, step


def test_workflow() -> None:
    yaml = pytest.importorskip("yaml")
    wf = yaml.safe_load(_text(WORKFLOW))
    job = wf["jobs"]["build"]
    assert job["runs-on"] == "windows-latest"
    steps = job["steps"]
    uses = [s.get("uses", "") for s in steps]
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    assert str(python["with"]["python-version"]) == "3.11"
    assert any(u.startswith("actions/upload-artifact") for u in uses)
    runs = "\n".join(s.get("run", "") for s in steps)
    assert "build_windows.ps1" in runs and "--version" in runs and "--smoke" in runs
    assert any((s.get("env") or {}).get("QT_QPA_PLATFORM") == "offscreen" for s in steps)


def test_wine_library_parses_and_both_wine_checks_use_it() -> None:
    subprocess.run(["bash", "-n", str(INSTALLER / "wine_lib.sh")], check=True)
    for script in ("check_nsis_wine.sh", "check_windows.sh"):
        text = _text(INSTALLER / script)
        assert 'source "$ROOT/installer/wine_lib.sh"' in text, script
        assert "uninstall_and_check" in text and "assert_installed" in text, script


def test_ci_runs_the_windows_check_only_when_asked() -> None:
    text = _text(ROOT / ".ci" / "run")
    assert 'DESKTOP_APP_CHECK_WINDOWS:-0}" == "1"' in text
    assert "installer/check_windows.sh" in text
