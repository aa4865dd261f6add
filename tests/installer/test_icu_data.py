"""installer/icu_data.py: the reduced ICU data library of the Linux bundle answers Qt as the full one does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

INSTALLER = Path(__file__).resolve().parents[2] / "installer"
sys.path.insert(0, str(INSTALLER))
import icu_data  # noqa: E402
from bundle_filter import small_icu_data  # noqa: E402

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux wheels carry ICU")


def _pyside_icu() -> Path:
    import PySide6

    found = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    assert found, "PySide6's Linux wheel carries libicudata.so.NN"
    return found[0]


@pytest.fixture(scope="module")
def full_package() -> bytes:
    return icu_data.data_symbol(_pyside_icu())[1]


@pytest.fixture(scope="module")
def small_lib(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("icu") / _pyside_icu().name
    icu_data.build(_pyside_icu(), out)
    return out


def test_package_reads_and_writes_back_byte_for_byte(full_package):
    header, items = icu_data.read_package(full_package)
    assert len(items) > 1000 and any(name.endswith("/coll/zh.res") for name, _ in items)
    assert icu_data.write_package(header, items) == full_package


def test_kept_items_are_what_qt_asks_for():
    keep = icu_data.keep_item
    for name in ("icudt73l/coll/zh.res", "icudt73l/coll/ucadata.icu", "icudt73l/coll/root.res",
                 "icudt73l/zone/zh_Hans_CN.res", "icudt73l/zone/pool.res", "icudt73l/zh.res", "icudt73l/en_US.res",
                 "icudt73l/root.res", "icudt73l/pool.res", "icudt73l/res_index.res", "icudt73l/coll/res_index.res",
                 "icudt73l/zoneinfo64.res", "icudt73l/metaZones.res", "icudt73l/supplementalData.res",
                 "icudt73l/cnvalias.icu", "icudt73l/nfkc.nrm"):  # fmt: skip
        assert keep(name, 10_000), name
    assert keep("icudt73l/gb18030.cnv", 232_816) and keep("icudt73l/ibm-1252_P100-2000.cnv", 3_248)
    for name, size in (("icudt73l/brkitr/cjdict.dict", 2_000_000), ("icudt73l/translit/root.res", 1_000_000),
                       ("icudt73l/unit/zh.res", 10_000), ("icudt73l/coll/ko.res", 280_000), ("icudt73l/de.res", 30_000),
                       ("icudt73l/ibm-943_P15A-2003.cnv", 90_992), ("icudt73l/unames.icu", 296_000),
                       ("icudt73l/rfc3491.spp", 20_528)):  # fmt: skip
        assert not keep(name, size), name


def test_reduced_package_keeps_the_base_tables_of_kept_converters(full_package):
    small, dropped = icu_data.reduce(full_package)
    _header, items = icu_data.read_package(small)
    names = {n.split("/", 1)[1] for n, _ in items}
    assert {"windows-936-2000.cnv", "ibm-1386_P100-2001.cnv", "windows-950-2000.cnv", "ibm-1373_P100-2002.cnv"} <= names
    assert "ibm-949_P110-1999.cnv" not in names  # a 2 KB extension of the Korean table left out
    assert len(small) < len(full_package) / 4 and len(dropped) > 1000


def test_built_library_answers_qt_as_the_full_one(small_lib, tmp_path):
    assert small_lib.stat().st_size < 8_000_000 < _pyside_icu().stat().st_size
    symbol, blob = icu_data.data_symbol(small_lib)
    assert symbol == icu_data.data_symbol(_pyside_icu())[0] and blob[12:16] == b"CmnD"
    needed = subprocess.run(["objdump", "-T", str(small_lib)], capture_output=True, text=True, check=True).stdout
    assert "GLIBC_" not in needed  # data only: runs on any glibc

    def probe(preload: Path | None) -> list[dict]:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        env.pop("LD_PRELOAD", None)
        if preload is not None:
            env["LD_PRELOAD"] = str(preload)
        done = subprocess.run([sys.executable, str(INSTALLER / "icu_probe.py")], env=env, capture_output=True,
                              text=True, check=True)  # fmt: skip
        return [json.loads(line) for line in done.stdout.splitlines()]

    full, small = probe(None), probe(small_lib)
    assert small[0]["icudata"] == str(small_lib) and full[0]["icudata"] != str(small_lib)
    assert small[1:] == full[1:]
    answers = {k: v for d in small[1:] for k, v in d.items()}
    order = answers["sort zh_CN"]
    assert order.index("阿毛") < order.index("办公室") < order.index("李四") < order.index("赵六")  # pinyin
    assert answers["zone Asia/Shanghai"][:2] == [True, "中国标准时间"]
    assert answers["codec GBK"][0] and answers["codec GB18030"][0] and answers["codec Big5"][0]


def test_spec_hook_swaps_only_the_icu_data_library(small_lib, tmp_path):
    src = str(_pyside_icu())
    binaries = [
        ("PySide6/Qt/lib/libicudata.so.73", src, "BINARY"),
        ("libicudata.so.73", "PySide6/Qt/lib/libicudata.so.73", "SYMLINK"),
        ("PySide6/Qt/lib/libicuuc.so.73", src.replace("icudata", "icuuc"), "BINARY"),
    ]
    out = small_icu_data(binaries, tmp_path)
    assert out[0] == ("PySide6/Qt/lib/libicudata.so.73", str(tmp_path / "libicudata.so.73"), "BINARY")
    assert out[1:] == binaries[1:]
    assert (tmp_path / "libicudata.so.73").read_bytes() == small_lib.read_bytes()  # reproducible


def test_spec_hook_keeps_the_full_library_without_a_compiler(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CC", str(tmp_path / "no-such-cc"))
    binaries = [("PySide6/Qt/lib/libicudata.so.73", str(_pyside_icu()), "BINARY")]
    assert small_icu_data(binaries, tmp_path) == binaries
    assert "full ICU data kept" in capsys.readouterr().err
