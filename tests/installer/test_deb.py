"""The Linux .deb and the glibc 2.28 build: installer/make_deb.sh, glibc_needed.sh, requirements-oldglibc.txt,
bundle_filter.OLD_GLIBC_SYSTEM_PROVIDED. (installer/check_deb.sh installs a real package: check_linux.sh.)"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
sys.path.insert(0, str(INSTALLER))
from bundle_filter import OLD_GLIBC_SYSTEM_PROVIDED, SYSTEM_PROVIDED, drop_orphan_system_libs  # noqa: E402

LIBDIR = Path("/usr/lib/x86_64-linux-gnu")


def _names(lines: list[str]) -> dict[str, str]:
    out = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line:
            out[re.split(r"[<>=!~ ;\[]", line, maxsplit=1)[0].lower()] = line
    return out


def test_oldglibc_requirements_carry_every_runtime_dependency_with_pyside6_below_6_10() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {n if n != "pyside6" else "pyside6-essentials" for n in _names(project["dependencies"])}
    wanted |= set(_names(project["optional-dependencies"]["server"]))
    reqs = _names((INSTALLER / "requirements-oldglibc.txt").read_text(encoding="utf-8").splitlines())
    assert wanted <= set(reqs), wanted - set(reqs)
    assert "pyside6" not in reqs  # Essentials only, no Addons
    assert "<6.10" in reqs["pyside6-essentials"]  # 6.10's wheels are manylinux_2_34 (glibc 2.34)
    assert "pyinstaller" in reqs


def _drop(binaries, direct, provided):
    def no_ldd(src):
        raise AssertionError("ldd used")

    kept = drop_orphan_system_libs(binaries, no_ldd, lambda src: direct.get(src, []), provided)
    return [d for d, _s, _k in kept]


def test_old_glibc_build_leaves_out_the_desktops_libraries_but_keeps_xcb_cursor() -> None:
    binaries = [
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/q/gui", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/q/qxcb", "BINARY"),
        ("libstdc++.so.6", "/s/stdcxx", "BINARY"),
        ("libgcc_s.so.1", "/s/gcc", "BINARY"),
        ("libX11.so.6", "/s/x11", "BINARY"),
        ("libfontconfig.so.1", "/s/fc", "BINARY"),
        ("libexpat.so.1", "/s/expat", "BINARY"),  # only fontconfig links it: goes with it
        ("libxcb-cursor.so.0", "/s/cursor", "BINARY"),  # Qt 6 needs it, Qt 5 desktops lack it
        ("libxkbcommon-x11.so.0", "/s/xkbx11", "BINARY"),  # goes with the system's libxkbcommon
        ("libxcb.so.1", "/s/xcb", "BINARY"),
    ]
    direct = {
        "/q/gui": ["libstdc++.so.6", "libgcc_s.so.1", "libX11.so.6", "libfontconfig.so.1"],
        "/q/qxcb": ["libxcb-cursor.so.0", "libxcb.so.1", "libX11.so.6", "libxkbcommon-x11.so.0"],
        "/s/fc": ["libexpat.so.1", "libfreetype.so.6"],
        "/s/cursor": ["libxcb.so.1"],
    }
    assert _drop(binaries, direct, SYSTEM_PROVIDED | OLD_GLIBC_SYSTEM_PROVIDED) == [
        "PySide6/Qt/lib/libQt6Gui.so.6",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "libxcb-cursor.so.0",
        "libxcb.so.1",
    ]
    # the ordinary build keeps them all (it runs on the build machine's glibc anyway)
    assert len(_drop(binaries, direct, SYSTEM_PROVIDED)) == len(binaries)


def test_spec_uses_the_old_glibc_list_only_when_asked() -> None:
    spec = (INSTALLER / "desktop_app.spec").read_text(encoding="utf-8")
    assert 'os.environ.get("DESKTOP_APP_OLDGLIBC") == "1"' in spec
    assert "OLD_GLIBC_SYSTEM_PROVIDED" in spec


@pytest.mark.skipif(not shutil.which("objdump"), reason="needs objdump (binutils)")
def test_glibc_needed_names_the_files_over_the_limit(tmp_path: Path) -> None:
    new, old = LIBDIR / "libX11.so.6", LIBDIR / "libxcb-cursor.so.0"  # Debian 12: GLIBC_2.34 / GLIBC_2.8
    bundle = tmp_path / "bundle"
    (bundle / "_internal").mkdir(parents=True)
    shutil.copy(old, bundle / "_internal" / "libxcb-cursor.so.0")
    (bundle / "_internal" / "notes.txt").write_text("not ELF", encoding="utf-8")
    script = str(INSTALLER / "glibc_needed.sh")
    ok = subprocess.run(["bash", script, str(bundle), "2.28"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "glibc >= 2.8 needed (1 ELF files checked" in ok.stdout
    assert "ok: no file needs more than GLIBC_2.28" in ok.stdout

    shutil.copy(new, bundle / "_internal" / "renamed-without-so")  # found by its ELF header, not its name
    bad = subprocess.run(["bash", script, str(bundle), "2.28"], capture_output=True, text=True)
    assert bad.returncode == 1
    assert "GLIBC_2.34 _internal/renamed-without-so" in bad.stderr
    assert "glibc >= 2.34 needed" in bad.stdout


def _fake_bundle(root: Path) -> Path:
    bundle = root / "desktop_app"
    (bundle / "_internal" / "resources").mkdir(parents=True)
    exe = bundle / "desktop_app"
    exe.write_text("#!/bin/sh\necho 'desktop_app 0.1.0'\n", encoding="utf-8")
    exe.chmod(0o755)
    (bundle / "_internal" / "resources" / "app.qss").write_text("QWidget {}", encoding="utf-8")
    (bundle / "install-user.sh").write_text("#!/bin/sh\n", encoding="utf-8")  # the .tar.gz's helper
    return bundle


@pytest.mark.skipif(not shutil.which("dpkg-deb"), reason="needs dpkg-deb")
def test_make_deb_lays_out_opt_menu_entry_icon_and_launcher(tmp_path: Path) -> None:
    env = dict(os.environ, DEB_COMPRESS="none", DEB_DEPENDS="libc6 (>= 2.28), libx11-6")
    out = subprocess.run(
        ["bash", str(INSTALLER / "make_deb.sh"), str(_fake_bundle(tmp_path)), str(tmp_path / "out")],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    deb = Path(out.stdout.strip().splitlines()[-1])
    assert deb.name == "desktop-app_0.1.0_amd64.deb" and deb.is_file()

    def field(name: str) -> str:
        return subprocess.run(
            ["dpkg-deb", "--field", str(deb), name], capture_output=True, text=True
        ).stdout.strip()

    assert field("Package") == "desktop-app" and field("Architecture") == "amd64"
    assert field("Depends") == "libc6 (>= 2.28), libx11-6"
    contents = subprocess.run(["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True).stdout
    paths = {line.split()[5].rstrip("/") for line in contents.splitlines()}
    assert {
        "./opt/desktop-app/desktop_app",
        "./opt/desktop-app/_internal/resources/app.qss",
        "./usr/bin/desktop-app",
        "./usr/share/applications/desktop-app.desktop",
        "./usr/share/icons/hicolor/256x256/apps/desktop-app.png",
    } <= paths
    assert "./opt/desktop-app/install-user.sh" not in paths
    assert all(
        p.startswith(("./opt/desktop-app", "./usr/")) or p in (".", "./opt", "./usr") for p in paths
    ), paths
    assert all(" root/root " in line for line in contents.splitlines())

    unpacked = tmp_path / "x"
    subprocess.run(["dpkg-deb", "-R", str(deb), str(unpacked)], check=True)
    entry = (unpacked / "usr/share/applications/desktop-app.desktop").read_text(encoding="utf-8")
    assert "Name[zh_CN]=政务公开任务落实台账" in entry.splitlines()
    assert "Exec=/usr/bin/desktop-app" in entry.splitlines() and "Icon=desktop-app" in entry.splitlines()
    launcher = unpacked / "usr/bin/desktop-app"
    assert launcher.stat().st_mode & 0o111
    assert 'exec /opt/desktop-app/desktop_app "$@"' in launcher.read_text(encoding="utf-8")
    # The maintainer scripts refresh caches only: nothing removes or touches the users' data.
    for script in ("postinst", "postrm"):
        text = (unpacked / "DEBIAN" / script).read_text(encoding="utf-8")
        assert "rm " not in text and "HOME" not in text and "/home" not in text, script
    assert not (unpacked / "DEBIAN" / "prerm").exists()
    md5 = (unpacked / "DEBIAN" / "md5sums").read_text(encoding="utf-8")
    assert "opt/desktop-app/desktop_app" in md5


def test_check_scripts_parse_and_ci_builds_the_old_glibc_package_only_when_asked() -> None:
    for script in (
        "make_deb.sh",
        "check_deb.sh",
        "build_deb.sh",
        "glibc_needed.sh",
        "build_python_oldglibc.sh",
        "check_glibc_chroot.sh",
    ):
        path = INSTALLER / script
        assert path.stat().st_mode & 0o111, f"{script} is not executable"
        subprocess.run(["bash", "-n", str(path)], check=True)
    check_linux = (INSTALLER / "check_linux.sh").read_text(encoding="utf-8")
    assert "installer/check_deb.sh" in check_linux and "installer/glibc_needed.sh" in check_linux
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'DESKTOP_APP_CHECK_OLDGLIBC:-0}" == "1"' in ci
