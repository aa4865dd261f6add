"""Excel 97-2003 .xls and WPS .et read directly (importers/xls_reader.py, xlrd): real files made by
LibreOffice Calc from ledgers of the corpus, read to the same fields as their .xlsx originals."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest

from desktop_app.importers import load_any, safety
from desktop_app.importers.errors import ImportFailed

_TEST = Path(__file__).parent / "test_realworld.py"
_SPEC = importlib.util.spec_from_file_location("realworld_test", _TEST)
realworld = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(realworld)

SHAPES = {
    "excel-two-row-header-2024": realworld.shapes.SHAPES["excel-two-row-header-2024"],
    "excel-vague-headers-2023": realworld.corpus.CORPUS["excel-vague-headers-2023"],
    "excel-date-cells-2024": realworld.corpus.CORPUS["excel-date-cells-2024"],
    "excel-key-first-2023": realworld.corpus.CORPUS["excel-key-first-2023"],
}


@pytest.fixture(scope="module")
def xls_files(tmp_path_factory) -> dict[str, Path]:
    """The shapes as .xlsx, turned into .xls by LibreOffice Calc in one run."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice not installed")
    src = tmp_path_factory.mktemp("xlsx")
    out = tmp_path_factory.mktemp("xls")
    paths = [realworld.shapes.build_shape(name, shape, src) for name, shape in SHAPES.items()]
    profile = (out / "profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "xls",
            "--outdir",
            str(out),
        ]
        + [str(p) for p in paths],
        check=True,
        capture_output=True,
        timeout=300,
    )
    made = {name: out / f"{name}.xls" for name in SHAPES}
    assert all(p.exists() and p.read_bytes()[:8] == safety.OLE_MAGIC for p in made.values())
    return made


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_xls_reads_as_its_xlsx_does(xls_files, name, monkeypatch) -> None:
    # read directly: no converter is asked for
    monkeypatch.setattr(safety, "convert_legacy", lambda *_a: pytest.fail("converter used"))
    shape = SHAPES[name]
    tasks = load_any(xls_files[name]).ledger.all_tasks()
    assert len(tasks) == len(shape["truth"])
    for task, truth in zip(tasks, shape["truth"], strict=True):
        assert all(realworld._fields_right(task, truth).values()), (name, task.number)


def test_wps_et_is_the_same_format(xls_files, tmp_path) -> None:
    et = tmp_path / "台账.et"
    shutil.copy(xls_files["excel-vague-headers-2023"], et)
    result = load_any(et)
    assert [t.number for t in result.ledger.all_tasks()] == ["1", "2", "3", "4"]
    assert result.ledger.source_name == "台账.et"


def test_a_damaged_xls_gets_one_sentence(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(safety, "find_converter", lambda: None)
    path = tmp_path / "坏表.xls"
    path.write_bytes(safety.OLE_MAGIC + b"\x00" * 504 + "Workbook".encode("utf-16-le") + b"\x00" * 2000)
    with pytest.raises(ImportFailed) as err:
        load_any(path)
    message = err.value.message
    assert "坏表.xls" in message and "\n" not in message and "Traceback" not in message
