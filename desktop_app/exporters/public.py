"""The public edition (公开版): find personal data in a ledger, mask what the user decides, drop internal
fields and the names of persons; every output (table, header lines, embedded copy, JSON, document
properties) is built from the masked copy, and scrub_package masks what still slipped into any part."""

from __future__ import annotations

import copy
import dataclasses
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from desktop_app.domain.model import Ledger, Task, UnitAssignment
from desktop_app.domain.privacy import PersonalDataHit, find_personal_data, mask_text, mask_value
from desktop_app.exporters.common import ReportOptions

# Task fields that reach a public report, with their Chinese names for the review dialog.
TASK_FIELDS: dict[str, str] = {
    "key_work": "重点工作",
    "item": "主要内容（分项）",
    "content": "主要内容",
    "indicator": "量化指标",
    "units_text": "责任单位",
    "cooperating_text": "配合单位",
    "deadline": "完成时限",
    "progress": "进展落实情况",
}


@dataclass(frozen=True)
class Finding:
    """One hit in one field: where (section/task index, None for the ledger itself), what, and around it."""

    section_index: int | None
    task_index: int | None
    field: str  # a Task field name, "extra:<key>", "section_title", or a Ledger field name
    hit: PersonalDataHit
    context: str  # the text around the hit, for the user to judge

    @property
    def key(self) -> str:
        """Stable name of the finding: the key of ReportOptions.masks / the decisions dict."""
        si = "" if self.section_index is None else self.section_index
        ti = "" if self.task_index is None else self.task_index
        return f"{si}:{ti}:{self.field}:{self.hit.start}:{self.hit.kind.value}"

    @property
    def field_label(self) -> str:
        if self.field.startswith("extra:"):
            return self.field[len("extra:") :]
        return TASK_FIELDS.get(self.field, LEDGER_FIELDS.get(self.field, self.field))


LEDGER_FIELDS: dict[str, str] = {
    "title": "标题",
    "section_title": "板块标题",
    "owner_unit": "台账单位",
    "issuer": "印发单位",
}


def _context(text: str, hit: PersonalDataHit, width: int = 12) -> str:
    start, end = max(0, hit.start - width), min(len(text), hit.end + width)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def _task_texts(task: Task, progress: str) -> Iterator[tuple[str, str]]:
    yield "key_work", task.key_work
    yield "item", task.item or ""
    yield "content", task.content
    yield "indicator", task.indicator
    yield "units_text", task.units_text
    yield "cooperating_text", task.cooperating_text
    yield "deadline", task.deadline.text
    yield "progress", progress
    for k, v in task.extra.items():
        yield f"extra:{k}", v


def _progress(task: Task, progress_by_task: dict[int, str] | None) -> str:
    if progress_by_task is not None and task.id is not None and task.id in progress_by_task:
        return progress_by_task[task.id]
    return task.progress


def scan_ledger(ledger: Ledger, progress_by_task: dict[int, str] | None = None) -> list[Finding]:
    """Every personal-data hit in what a public report would show (remarks are left out, so not scanned)."""
    out: list[Finding] = []

    def scan(si: int | None, ti: int | None, name: str, text: str) -> None:
        for hit in find_personal_data(text):
            out.append(Finding(si, ti, name, hit, _context(text, hit)))

    scan(None, None, "title", ledger.title)
    scan(None, None, "owner_unit", ledger.owner_unit)
    scan(None, None, "issuer", ledger.issuer)
    for si, section in enumerate(ledger.sections):
        scan(si, None, "section_title", section.title or "")
        for ti, task in enumerate(section.tasks):
            for name, text in _task_texts(task, _progress(task, progress_by_task)):
                scan(si, ti, name, text)
    return out


def _masked(text: str, hits: list[PersonalDataHit]) -> str:
    return mask_text(text, hits) if hits else text


def mask_except(text: str, kept: Iterable[str] = ()) -> str:
    """Every hit masked but those whose value the user chose to keep (a published office number)."""
    if not text:
        return text
    kept = set(kept)
    return _masked(text, [h for h in find_personal_data(text) if h.value not in kept])


def kept_values(findings: list[Finding], decisions: dict[str, bool] | None) -> frozenset[str]:
    """The texts the user decided to publish as they are (decisions: Finding.key -> mask?)."""
    return frozenset(f.hit.value for f in findings if (decisions or {}).get(f.key, True) is False)


def apply_decisions(
    ledger: Ledger,
    decisions: dict[str, bool] | None = None,
    progress_by_task: dict[int, str] | None = None,
    findings: list[Finding] | None = None,
) -> Ledger:
    """A public copy of the ledger: hits masked unless decided False (decisions: Finding.key -> mask?),
    progress as of the report date written into each task, remarks/extra fields/source file left out.
    `findings` defaults to scan_ledger(ledger, progress_by_task). The original is not changed."""
    if findings is None:
        findings = scan_ledger(ledger, progress_by_task)
    decisions = decisions or {}
    chosen: dict[tuple[int | None, int | None, str], list[PersonalDataHit]] = {}
    for f in findings:
        if decisions.get(f.key, True):
            chosen.setdefault((f.section_index, f.task_index, f.field), []).append(f.hit)

    kept = kept_values(findings, decisions)
    out = copy.deepcopy(ledger)
    out.source_file = None
    out.source_name = None  # a file name may name a person
    out.title = _masked(out.title, chosen.get((None, None, "title"), []))
    out.owner_unit = _masked(out.owner_unit, chosen.get((None, None, "owner_unit"), []))
    out.issuer = _masked(out.issuer, chosen.get((None, None, "issuer"), []))
    for si, section in enumerate(out.sections):
        if section.title:
            section.title = _masked(section.title, chosen.get((si, None, "section_title"), []))
        for ti, task in enumerate(section.tasks):

            def m(name: str, text: str, si: int = si, ti: int = ti) -> str:
                return _masked(text, chosen.get((si, ti, name), []))

            task.progress = m("progress", _progress(task, progress_by_task))
            task.key_work = m("key_work", task.key_work)
            if task.item is not None:
                task.item = m("item", task.item)
            task.content = m("content", task.content)
            task.indicator = m("indicator", task.indicator)
            task.units_text = m("units_text", task.units_text)
            task.cooperating_text = m("cooperating_text", task.cooperating_text)
            d = task.deadline
            task.deadline = dataclasses.replace(
                d,
                text=m("deadline", d.text) if d.text else d.text,
                anchor_text=mask_except(d.anchor_text, kept),
            )
            # what the table does not show is masked too: the parsed unit names, the number
            task.units = [UnitAssignment(mask_except(u.name, kept), u.role) for u in task.units]
            task.number = mask_except(task.number, kept)
            task.remarks = ""
            task.extra = {}
            task.removed_history = None
            task.removed_attachments = None
    out.columns = [
        dataclasses.replace(c, header=mask_except(c.header, kept))
        for c in out.columns
        if c.field != "remarks" and not c.field.startswith("extra:")
    ]
    return out


def mask_all(ledger: Ledger, progress_by_task: dict[int, str] | None = None) -> Ledger:
    """The public copy with every hit masked (`export --public`)."""
    return apply_decisions(ledger, None, progress_by_task)


def public_edition(ledger: Ledger, options: ReportOptions) -> tuple[Ledger, ReportOptions]:
    """For options.public: the masked copy (options.masks decide), and options naming no person and
    carrying no unmasked progress. Otherwise both unchanged."""
    if not options.public:
        return ledger, options
    findings = scan_ledger(ledger, options.progress_by_task)
    masked = apply_decisions(ledger, options.masks, options.progress_by_task, findings)
    kept = kept_values(findings, options.masks)
    opts = dataclasses.replace(
        options,
        progress_by_task=None,
        # the signature block and the 填报人/联系电话 line name persons: the public edition has none
        filler="",
        phone="",
        reviewer="",
        head_of_unit="",
        unit=mask_except(options.unit, kept),
        title=mask_except(options.title, kept) if options.title else options.title,
        masks=None,
    )
    return masked, opts


def scrub_data(value: Any, kept: Iterable[str] = ()) -> Any:
    """A JSON-ready value with every string masked (the last guard before a public JSON is written)."""
    kept = set(kept)
    if isinstance(value, str):
        return mask_except(value, kept)
    if isinstance(value, dict):
        return {k: scrub_data(v, kept) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_data(v, kept) for v in value]
    return value


# ------------------------------------------------------------------ every part of a written package

_CORE_NEUTRAL = (
    "creator",
    "lastModifiedBy",
    "keywords",
    "description",
    "subject",
    "category",
    "contentStatus",
)
_APP_NEUTRAL = ("Company", "Manager", "HyperlinkBase")
_JOINED = frozenset({"p", "si", "is"})  # text split over runs: w:p / a:p paragraphs, shared/inline strings
_RUN_TEXT = frozenset({"t", "instrText", "delText"})
_NOT_TEXT = frozenset({"v", "f"})  # a cell's value index / formula: never user text as such
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False)


_ATTRS = frozenset(
    {"Target", "descr", "title", "tooltip", "name", "author", "initials"}
)  # link targets, alt texts
_LOCAL: dict[str, str] = {}


def _local(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""  # a comment or processing instruction
    name = _LOCAL.get(tag)
    if name is None:
        name = _LOCAL[tag] = tag.rsplit("}", 1)[-1]
    return name


def _mask_across(nodes: list[etree._Element], kept: frozenset[str]) -> bool:
    """Mask hits in the joined text of several text nodes (a number split over runs), node by node."""
    texts = [n.text or "" for n in nodes]
    joined = "".join(texts)
    hits = [h for h in find_personal_data(joined) if h.value not in kept]
    if not hits:
        return False
    new = [""] * len(nodes)
    owner = [i for i, t in enumerate(texts) for _ in t]  # the node holding each character
    at = 0
    for h in hits:
        for p in range(at, h.start):
            new[owner[p]] += joined[p]
        new[owner[h.start]] += mask_value(h.kind, h.value)
        at = h.end
    for p in range(at, len(joined)):
        new[owner[p]] += joined[p]
    for n, t in zip(nodes, new, strict=True):
        n.text = t
    return True


def _has_hits(text: str, kept: frozenset[str]) -> bool:
    return any(h.value not in kept for h in find_personal_data(text))


def _looks_clean(root: etree._Element, kept: frozenset[str]) -> bool:
    """A quick look at a whole part (C-speed joins): paragraphs with their runs joined, every text node
    apart, the attributes that hold text. Only a part that shows a hit is walked node by node."""
    paragraphs = "\x00".join("".join(p.itertext()) for p in root.iter("{*}p", "{*}si", "{*}is"))
    nodes = "\x00".join(root.itertext())
    attrs = "\x00".join(
        str(v) for v in root.xpath("//@*[" + " or ".join(f"local-name()='{a}'" for a in _ATTRS) + "]")
    )
    return not (_has_hits(paragraphs, kept) or _has_hits(nodes, kept) or _has_hits(attrs, kept))


def _scrub_xml(root: etree._Element, kept: frozenset[str]) -> bool:
    if _looks_clean(root, kept):
        return False
    changed = False
    done: set[etree._Element] = set()
    for el in root.iter():
        name = _local(el)
        if name in _JOINED:
            runs = [t for t in el.iter() if _local(t) in _RUN_TEXT and t not in done]
            done.update(runs)
            changed |= _mask_across(runs, kept)
        elif name and name not in _NOT_TEXT and el not in done and el.text and el.text.strip():
            masked = mask_except(el.text, kept)
            if masked != el.text:
                el.text, changed = masked, True
        if el.attrib:
            for attr, val in el.attrib.items():
                if attr.rsplit("}", 1)[-1] in _ATTRS:
                    masked = mask_except(val, kept)  # "mailto:…", a picture's description
                    if masked != val:
                        el.set(attr, masked)
                        changed = True
    return changed


def _neutral_properties(name: str, root: etree._Element) -> bool:
    """docProps: no person as author or last editor, no company or manager, no custom values."""
    changed = False
    if name == "docProps/custom.xml":
        for prop in root:
            for value in prop:
                if value.text:
                    value.text, changed = "", True
        return changed
    wanted = _CORE_NEUTRAL if name == "docProps/core.xml" else _APP_NEUTRAL
    for el in root:
        if _local(el) in wanted and (el.text or len(el)):
            el.text = ""
            for child in list(el):
                el.remove(child)
            changed = True
    return changed


def scrub_package(path: Path, kept: Iterable[str] = ()) -> int:
    """Rewrite a written .docx/.xlsx so that no part of it carries personal data: every XML part
    (body, headers, footers, shared strings, every sheet, the embedded copy, relationships) masked,
    the document properties neutral. Returns the number of parts changed (0: the file is untouched)."""
    from desktop_app.exporters.files import save_atomically

    kept = frozenset(kept)
    path = Path(path)
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        members = {i.filename: z.read(i) for i in infos}
    changed: dict[str, bytes] = {}
    for info in infos:
        name = info.filename
        if not name.endswith((".xml", ".rels", ".vml")):
            continue
        try:
            root = etree.fromstring(members[name], _PARSER)
        except etree.XMLSyntaxError:
            continue
        touched = False
        if name in ("docProps/core.xml", "docProps/app.xml", "docProps/custom.xml"):
            touched = _neutral_properties(name, root)
        touched |= _scrub_xml(root, kept)
        if touched:
            standalone = b'standalone="yes"' in members[name][:100]
            changed[name] = etree.tostring(
                root, xml_declaration=True, encoding="UTF-8", standalone=True if standalone else None
            )
    if not changed:
        return 0

    def save(target: str) -> None:
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for info in infos:
                out.writestr(info, changed.get(info.filename, members[info.filename]))

    save_atomically(save, path)
    return len(changed)


def package_is_clean(data: bytes, kept: Iterable[str] = ()) -> bool:
    """True when scrub_package would change nothing (for tests and checks)."""
    kept = frozenset(kept)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels", ".vml")):
                root = etree.fromstring(z.read(name), _PARSER)
                if _scrub_xml(root, kept):
                    return False
    return True


def scrub_json(path: Path, kept: Iterable[str] = ()) -> bool:
    """A written public JSON with every string masked and no author; True when something changed."""
    import json

    from desktop_app.exporters.files import save_atomically

    path = Path(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    clean = scrub_data(_without_authors(data), kept)
    if clean == data:
        return False
    text = json.dumps(clean, ensure_ascii=False, indent=2) + "\n"
    save_atomically(lambda target: Path(target).write_text(text, encoding="utf-8"), path)
    return True


def _without_authors(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: ("" if k == "author" else _without_authors(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_authors(v) for v in value]
    return value


def scrub_written(ledger: Ledger, fmt: str, path: Path, options: ReportOptions) -> None:
    """After a public file is written: mask whatever personal data reached any part of it, keeping
    only what the user chose to publish (options.masks)."""
    keeps_some = any(v is False for v in (options.masks or {}).values())
    kept = (
        kept_values(scan_ledger(ledger, options.progress_by_task), options.masks)
        if keeps_some
        else frozenset()
    )
    if fmt == "json":
        scrub_json(path, kept)
    else:
        scrub_package(path, kept)
