"""The public edition: personal data masked everywhere in the file, internal fields left out."""

from __future__ import annotations

import html
import re
import subprocess
import sys
import unicodedata
import zipfile
from datetime import date
from pathlib import Path

import pytest

from desktop_app.domain.deadlines import parse_deadline
from desktop_app.domain.model import (
    ColumnSpec,
    Deadline,
    DeadlineKind,
    Ledger,
    Section,
    Task,
    TaskStatus,
    UnitAssignment,
    UnitRole,
)
from desktop_app.domain.privacy import PersonalDataKind as K
from desktop_app.domain.privacy import find_personal_data
from desktop_app.exporters.common import DEFAULT_COLUMNS, ReportOptions
from desktop_app.exporters.dispatch import export_ledger
from desktop_app.exporters.public import apply_decisions, mask_all, scan_ledger
from desktop_app.importers.embedded_copy import read_embedded

DATA = Path(__file__).resolve().parent.parent / "data"
GOOD_ID = "11010519491231002X"  # as in conftest.personal_ledger
MOBILE = "13912345678"

SECRETS = (
    GOOD_ID,
    MOBILE,
    "1234 5678",
    "A12345",
    "zhang.san@example.com",
    "内部备注",
    "李四",
    "王五",
    "张三",
)


def _opts(**kw) -> ReportOptions:
    return ReportOptions(
        as_of=date(2023, 8, 15),
        made_on=date(2023, 8, 15),
        unit="银川市自然资源局",
        filler="张三",
        phone="13800001111",
        reviewer="李四",
        head_of_unit="王五",
        public=True,
        **kw,
    )


def _all_xml_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "\n".join(
            z.read(n).decode("utf-8", "replace") for n in z.namelist() if not n.endswith((".jpeg", ".png"))
        )


def test_scan_finds_each_hit_with_place_and_context(personal_ledger) -> None:
    findings = scan_ledger(personal_ledger)
    kinds = {(f.task_index, f.field, f.hit.kind.value) for f in findings}
    assert (0, "progress", "id_number") in kinds
    assert (0, "progress", "mobile") in kinds
    assert (1, "content", "plate") in kinds
    assert (2, "extra:联系人", "mobile") in kinds
    assert (3, "indicator", "email") in kinds
    f = next(f for f in findings if f.hit.kind.value == "id_number")
    assert GOOD_ID in f.context and f.section_index == 0 and len({x.key for x in findings}) == len(findings)


def test_decisions_keep_or_mask(personal_ledger) -> None:
    findings = scan_ledger(personal_ledger)
    keep = next(f for f in findings if f.hit.kind.value == "mobile" and f.field == "progress")
    out = apply_decisions(personal_ledger, {keep.key: False}, findings=findings)
    progress = out.all_tasks()[0].progress
    assert MOBILE in progress and GOOD_ID not in progress and "110105********002X" in progress
    assert personal_ledger.all_tasks()[0].progress.count(GOOD_ID) == 1  # the original is untouched
    assert out.all_tasks()[0].remarks == "" and out.source_file is None


def test_mask_all_leaves_no_certain_hit(personal_ledger) -> None:
    out = mask_all(personal_ledger, {1: f"新进展：电话{MOBILE}"})
    assert out.all_tasks()[0].progress == "新进展：电话139****5678"
    assert scan_ledger(out) == []


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "json"])
def test_public_file_holds_no_personal_data_anywhere(tmp_path: Path, personal_ledger, fmt: str) -> None:
    path = tmp_path / f"public.{fmt}"
    export_ledger(personal_ledger, fmt, path, _opts(progress_by_task={2: f"进展，联系{MOBILE}"}))
    text = path.read_text(encoding="utf-8") if fmt == "json" else _all_xml_text(path)
    for secret in SECRETS:
        assert secret not in text, secret
    assert "13800001111" not in text  # the filler's phone is not in the public edition
    assert not [h for h in find_personal_data(re.sub(r"<[^>]+>", " ", text)) if h.certain]
    if fmt != "json":
        data = read_embedded(path)
        assert data is not None
        tasks = data["sections"][0]["tasks"]
        assert tasks[0]["progress"].startswith("已向申请人（身份证号110105********002X）")
        assert tasks[1]["progress"] == "进展，联系139****5678"
        assert all(t["remarks"] == "" and t["extra"] == {} for t in tasks)


def test_public_docx_has_no_sign_names_and_no_remark_column(tmp_path: Path, personal_ledger) -> None:
    from docx import Document

    personal_ledger.columns.append(personal_ledger.columns[0].__class__("remarks", "备注"))
    path = tmp_path / "p.docx"
    export_ledger(personal_ledger, "docx", path, _opts())
    doc = Document(str(path))
    texts = "\n".join(p.text for p in doc.paragraphs)
    assert "审核人" not in texts and "单位负责人" not in texts
    assert "填报单位：银川市自然资源局" in texts and "2023年8月15日" in texts
    header = [c.text for c in doc.tables[0].rows[0].cells]
    assert "备注" not in header


# ------------------------------------------------- every written form, in every part of every output

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "domain"))
from privacy_forms import FORMS, Form, leaks, squeeze  # noqa: E402

# what the settings and the journal add: persons that must not appear in a public file either
PEOPLE = (
    Form("setting-filler", "吴十", K.PERSON_NAME, ("吴十",)),
    Form("setting-phone", "13912349999", K.MOBILE, ("13912349999",)),
    Form("setting-reviewer", "郑十一", K.PERSON_NAME, ("郑十一",)),
    Form("setting-head", "冯十二", K.PERSON_NAME, ("冯十二",)),
    Form("history-author", "周九", K.PERSON_NAME, ("周九",)),
)
ALL = FORMS + PEOPLE
FIELDS = ("progress", "content", "indicator", "units_text", "key_work", "item", "deadline_text")


def _forms_ledger() -> Ledger:
    """One task per written form, the form in one of the shown fields (cycling), and the ledger's
    title, units and section title carrying forms as well."""
    tasks = []
    for i, form in enumerate(FORMS):
        field = FIELDS[i % len(FIELDS)]
        t = Task(
            number=str(i + 1),
            key_work="加强信息公开",
            content=f"第{i + 1}项任务",
            indicator="查看发布情况",
            units_text="市教育局",
            units=[UnitAssignment("市教育局")],
            deadline=parse_deadline("11月底", 2023),
            progress="已按要求推进。",
            remarks=form.text,
            extra={"联系人": form.text},
        )
        if field == "deadline_text":
            t.deadline = Deadline(f"11月底（{form.text}）", DeadlineKind.DATE, date(2023, 11, 30))
        elif field == "units_text":
            t.units_text = f"市教育局（{form.text}）"
            t.units = [UnitAssignment(t.units_text, UnitRole.LEAD)]
        else:
            setattr(t, field, f"{getattr(t, field) or ''}{form.text}")
        tasks.append(t)
    half = len(tasks) // 2
    return Ledger(
        title=f"市教育局2023年台账（{FORMS[0].text}）",
        year=2023,
        owner_unit=f"市教育局（{FORMS[42].text}）",
        issuer=f"市政务公开办（{FORMS[9].text}）",
        columns=[*DEFAULT_COLUMNS[:2], ColumnSpec("item", "主要内容"), *DEFAULT_COLUMNS[2:]],
        sections=[
            Section(title=f"一、信息公开（{FORMS[40].text}）", tasks=tasks[:half]),
            Section(title="二、政策解读", tasks=tasks[half:]),
        ],
    )


@pytest.fixture
def forms_ctx(tmp_path: Path):
    from desktop_app.services.context import AppContext

    ctx = AppContext.open(tmp_path / "forms.sqlite3")
    ledger = ctx.ledgers.add_ledger(_forms_ledger())
    for key, value in (
        ("my_unit", "市教育局"),
        ("contact_person", "吴十"),
        ("phone", "13912349999"),
        ("reviewer", "郑十一"),
        ("head_of_unit", "冯十二"),
    ):
        ctx.settings.set(key, value)
    for form, task in zip(FORMS, ledger.all_tasks(), strict=True):  # the journal holds every form too
        for day, text in ((date(2023, 6, 1), "旧进展："), (date(2023, 6, 20), "新进展，")):
            ctx.progress.add_entry(
                task.id, text + form.text, TaskStatus.IN_PROGRESS, 20, author="周九", entry_date=day
            )
    yield ctx, ctx.ledgers.get_ledger(ledger.id)
    ctx.close()


def _package_texts(path: Path) -> dict[str, str]:
    """Every part of the zip, as written and with its markup removed (a number split over runs)."""
    out: dict[str, str] = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            raw = z.read(name).decode("utf-8", "replace")
            out[name] = html.unescape(raw)  # writers may spell CJK as &#21152;
            out[name + " (text)"] = html.unescape(re.sub(r"<[^>]+>", "", raw))
    return out


def _pdf_texts(path: Path) -> dict[str, str]:
    """The text poppler reads (in drawing order: a cell's lines stay together), and the metadata.
    NFKC: the embedded fonts map some characters to their Kangxi-radical look-alikes (⼈ for 人)."""
    text = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True)
    return {
        k: unicodedata.normalize("NFKC", v.stdout.decode("utf-8"))
        for k, v in (("text", text), ("info", info))
    }


def _check_clean(texts: dict[str, str]) -> None:
    for part, text in texts.items():
        assert leaks(text, ALL) == [], part
        assert [h.value for h in find_personal_data(text) if h.certain] == [], part


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "json", "pdf"])
def test_every_form_is_absent_from_every_part_of_every_public_output(forms_ctx, tmp_path, fmt, monkeypatch) -> None:
    from desktop_app.exporters import pdf_report

    drawn: list[str] = []
    layout = pdf_report.layout_report

    def recorded(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - what is drawn, besides what poppler reads
        out = layout(*args, **kwargs)
        drawn.append(out.text())
        return out

    ctx, ledger = forms_ctx
    monkeypatch.setattr(pdf_report, "layout_report", recorded)
    path = ctx.exports.export(ledger.id, fmt, tmp_path / f"公开版.{fmt}", public=True)
    # the internal edition carries them (the test data is honest): the filler, the history, each form
    internal = ctx.exports.export(ledger.id, fmt, tmp_path / f"内部.{fmt}")
    if fmt == "pdf":
        texts, inside = _pdf_texts(path), _pdf_texts(internal)
        assert "填报单位:市教育局" in texts["text"] and "吴十" in inside["text"]
        texts["painted"], inside["painted"] = drawn
    elif fmt == "json":
        texts = {"json": path.read_text(encoding="utf-8")}
        inside = {"json": internal.read_text(encoding="utf-8")}
        assert "周九" in inside["json"]  # the internal JSON keeps the journal with its authors
    else:
        texts, inside = _package_texts(path), _package_texts(internal)
        names = {n for n in texts if not n.endswith(" (text)")}
        assert "docProps/core.xml" in names
        if fmt == "docx":
            assert any(n.startswith("customXml/") for n in names) and "word/footer1.xml" in names
        else:
            assert "xl/worksheets/sheet2.xml" in names  # the very hidden sheet with the embedded copy
        data = read_embedded(path)
        assert data is not None and len([t for s in data["sections"] for t in s["tasks"]]) == len(FORMS)
    assert set(leaks("\n".join(inside.values()), ALL)) >= {f.id for f in FORMS if f.kind != K.PERSON_NAME}
    _check_clean(texts)


def test_public_document_properties_are_neutral(forms_ctx, tmp_path) -> None:
    ctx, ledger = forms_ctx
    for fmt in ("docx", "xlsx"):
        path = ctx.exports.export(ledger.id, fmt, tmp_path / f"公开版.{fmt}", public=True)
        with zipfile.ZipFile(path) as z:
            core = z.read("docProps/core.xml").decode()
            app = z.read("docProps/app.xml").decode()
        for tag in ("dc:creator", "cp:lastModifiedBy"):
            assert re.search(rf"<{tag}[^>]*>[^<]+</{tag}>", core) is None, (fmt, tag, core)
        assert re.search(r"<(Company|Manager)>[^<]+<", app) is None, app


def test_kept_findings_stay_and_the_rest_is_masked_in_every_part(forms_ctx, tmp_path) -> None:
    """The user keeps the office number 010-12345678 (a published hotline): it stays, nothing else does."""
    ctx, ledger = forms_ctx
    findings = ctx.exports.scan_public(ledger.id)
    kept = [f for f in findings if f.hit.value == "010-12345678"]
    assert kept
    decisions = {f.key: f not in kept for f in findings}
    path = ctx.exports.export(ledger.id, "docx", tmp_path / "k.docx", public=True, decisions=decisions)
    texts = _package_texts(path)
    assert "010-12345678" in texts["word/document.xml"]
    assert leaks("\n".join(texts.values()), ALL) == ["landline-010"]


def test_fill_back_public_masks_the_original_document_too(tmp_path: Path) -> None:
    """按原表填报 in the public edition: the city's own file goes out, so its parts are scrubbed too."""
    from desktop_app.services.context import AppContext

    ctx = AppContext.open(tmp_path / "fb.sqlite3")
    try:
        ledger = ctx.imports.import_file(DATA / "city-2023.docx")
        tasks = ctx.ledgers.get_ledger(ledger.id).all_tasks()
        for form, task in zip(FORMS, tasks, strict=False):
            ctx.ledgers.update_task(task.id, "progress", f"已完成，{form.text}")
        ctx.settings.set("contact_person", "吴十")
        ctx.settings.set("phone", "13912349999")
        path = ctx.exports.export(ledger.id, "docx", tmp_path / "fb.docx", public=True, fill_back=True)
    finally:
        ctx.close()
    texts = _package_texts(path)
    shown = FORMS[: len(tasks)] + PEOPLE
    assert leaks("\n".join(texts.values()), shown) == []
    assert "5556666" not in texts["word/document.xml"]  # the hotline printed in the city's table, masked


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_cli_export_public_holds_no_form(forms_ctx, tmp_path: Path, fmt: str) -> None:
    """`python -m desktop_app export --public -o x.pdf`: the command line's own PDF path (Qt offscreen)."""
    import os

    ctx, ledger = forms_ctx
    db = ctx.db_path
    ctx.close()  # the single-writer lock: the command opens the database itself
    out = tmp_path / f"cli.{fmt}"
    root = Path(__file__).resolve().parent.parent.parent
    env = {**os.environ, "PYTHONPATH": str(root), "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop_app",
            "export",
            str(ledger.id),
            "--db",
            str(db),
            "--public",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
    )
    assert run.returncode == 0, run.stderr
    _check_clean(_pdf_texts(out) if fmt == "pdf" else _package_texts(out))


def test_scrub_package_masks_numbers_split_over_runs_headers_and_properties(tmp_path: Path) -> None:
    """A document edited by hand: a mobile typed in three runs, a name in the page header, the author
    in the properties, a mailto link; scrub_package leaves none of them and keeps the file valid."""
    from docx import Document

    from desktop_app.exporters.public import scrub_package

    doc = Document()
    p = doc.add_paragraph("联系电话：")
    for part in ("139", "-1234-", "0099"):
        p.add_run(part)
    doc.add_paragraph("已完成公开。")
    doc.sections[0].header.paragraphs[0].text = "联系人：张三"
    doc.sections[0].footer.paragraphs[0].text = "经办人 李四 0951-7654321"
    doc.core_properties.author = "张三"
    doc.core_properties.last_modified_by = "李四"
    doc.core_properties.keywords = "13912340099"
    path = tmp_path / "hand.docx"
    doc.save(str(path))
    assert scrub_package(path) >= 3
    texts = _package_texts(path)
    joined = "\n".join(texts.values())
    assert squeeze("13912340099") not in squeeze(joined)
    assert "张三" not in joined and "李四" not in joined and "7654321" not in joined
    assert "已完成公开。" in texts["word/document.xml"]
    assert Document(str(path)).paragraphs[0].text == "联系电话：139****0099"
    assert scrub_package(path) == 0  # a clean file is left as it is


def test_a_public_round_written_again_from_its_snapshot_stays_public(forms_ctx, tmp_path) -> None:
    """export_snapshot of a round sent as 公开版: the filler, the phone and every form stay out."""
    ctx, ledger = forms_ctx
    ctx.progress.set_report_dates(ledger.id, [date(2023, 8, 15)])
    round_id = ctx.progress.rounds(ledger.id)[0].id
    ctx.exports.export(ledger.id, "docx", tmp_path / "公开版.docx", public=True, round_id=round_id)
    again = ctx.exports.export_snapshot(round_id, "docx", tmp_path / "再次导出.docx")
    texts = _package_texts(again)
    joined = "\n".join(texts.values())
    assert "吴十" not in joined and "13912349999" not in joined
    _check_clean(texts)
