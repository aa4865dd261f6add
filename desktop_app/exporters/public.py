"""The public edition (公开版): find personal data in a ledger, mask what the user decides, drop internal fields."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

from desktop_app.domain.model import Ledger, Task
from desktop_app.domain.privacy import PersonalDataHit, find_personal_data, mask_text
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
        return TASK_FIELDS.get(
            self.field, {"section_title": "板块标题", "title": "标题"}.get(self.field, self.field)
        )


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
    for si, section in enumerate(ledger.sections):
        scan(si, None, "section_title", section.title or "")
        for ti, task in enumerate(section.tasks):
            for name, text in _task_texts(task, _progress(task, progress_by_task)):
                scan(si, ti, name, text)
    return out


def _masked(text: str, hits: list[PersonalDataHit]) -> str:
    return mask_text(text, hits) if hits else text


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

    out = copy.deepcopy(ledger)
    out.source_file = None
    out.title = _masked(out.title, chosen.get((None, None, "title"), []))
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
            if task.deadline.text:
                d = task.deadline
                task.deadline = dataclasses.replace(d, text=m("deadline", d.text))
            task.remarks = ""
            task.extra = {}
    out.columns = [c for c in out.columns if c.field != "remarks" and not c.field.startswith("extra:")]
    return out


def mask_all(ledger: Ledger, progress_by_task: dict[int, str] | None = None) -> Ledger:
    """The public copy with every hit masked (`export --public`)."""
    return apply_decisions(ledger, None, progress_by_task)


def public_edition(ledger: Ledger, options: ReportOptions) -> tuple[Ledger, ReportOptions]:
    """For options.public: the masked copy (options.masks decide), and options naming no person and
    carrying no unmasked progress. Otherwise both unchanged."""
    if not options.public:
        return ledger, options
    masked = apply_decisions(ledger, options.masks, options.progress_by_task)
    opts = dataclasses.replace(
        options, progress_by_task=None, filler="", phone="", reviewer="", head_of_unit=""
    )
    return masked, opts
