"""The ledger's title, year, owner, issuer and report dates, read from its heading lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

_YEAR = re.compile(r"(20\d{2})\s*年")
_TITLE_WORDS = ("台账", "要点", "清单", "任务", "计划", "方案", "分解")
_DATE = r"(?:(?:20\d{2})\s*年)?\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
_REPORT = re.compile(
    rf"(?:分别)?于\s*({_DATE}(?:\s*[、和及,，与]\s*{_DATE})*)\s*(?:前|之前)?\s*(?:报送|上报|报)"
)
_ONE_DATE = re.compile(r"(?:(20\d{2})\s*年)?\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ISSUER_TO = re.compile(r"报送\s*([\u4e00-\u9fff（）()]{2,30}(?:办公室|办|政府|局|委员会|中心))")
_SENTENCE = re.compile(r"[。，,；;！？]")
_NOT_TITLE = re.compile(r"^[（(].*[)）]$")  # "（填报版）"


@dataclass
class Meta:
    title: str = ""
    year: int | None = None
    owner_unit: str = ""
    issuer: str = ""
    report_dates: list[date] = field(default_factory=list)
    fill_line: str | None = None


def pick_title(lines: list[str]) -> str:
    """The heading line: the first short line naming a year and a ledger word; else the first short line."""
    short = [x for x in lines if x and len(x) <= 80 and not _NOT_TITLE.match(x) and "填报" not in x]
    for x in short:
        if (
            _YEAR.search(x)
            and any(w in x for w in _TITLE_WORDS)
            and "通知" not in x
            and not _SENTENCE.search(x)
        ):
            return x.strip("《》")
    for x in short:
        if _YEAR.search(x) and any(w in x for w in _TITLE_WORDS) and "通知" not in x:
            return x
    for x in short:
        if any(w in x for w in _TITLE_WORDS):
            return x
    return short[0] if short else ""


def owner_from_title(title: str) -> str:
    """Who the ledger belongs to: the words before the year ("银川市自然资源局2022年…" -> 银川市自然资源局)."""
    m = _YEAR.search(title)
    if not m:
        return ""
    owner = title[: m.start()].strip(" 　《")
    owner = re.sub(r"^.*关于印发", "", owner)
    return owner if 1 < len(owner) <= 30 else ""


def report_dates(texts: list[str], year: int | None) -> list[date]:
    """Dates in "分别于2023年8月15日、12月5日前报送": later dates without a year take the last year seen."""
    out: list[date] = []
    for text in texts:
        for m in _REPORT.finditer(text):
            current = year
            for d in _ONE_DATE.finditer(m.group(1)):
                if d.group(1):
                    current = int(d.group(1))
                if current is None:
                    continue
                try:
                    value = date(current, int(d.group(2)), int(d.group(3)))
                except ValueError:
                    continue
                if value not in out:
                    out.append(value)
        if out:
            break
    return sorted(out)


def read_meta(preamble: list[str], other_text: list[str], fallback_title: str = "") -> Meta:
    """`preamble`: lines above the table / the notice's heading; `other_text`: the rest, searched
    for report dates and the issuer when the preamble has none."""
    meta = Meta()
    meta.title = pick_title(preamble) or fallback_title
    m = _YEAR.search(meta.title)
    if m:
        meta.year = int(m.group(1))
    else:
        for x in preamble:
            m = _YEAR.search(x)
            if m:
                meta.year = int(m.group(1))
                break
    meta.owner_unit = owner_from_title(meta.title)
    for x in preamble:
        if "填报单位" in x or "填报时间" in x or "填报人" in x:
            meta.fill_line = x
            break
    meta.report_dates = report_dates(preamble, meta.year) or report_dates(other_text, meta.year)
    for x in preamble + other_text:
        m2 = _ISSUER_TO.search(x)
        if m2:
            meta.issuer = m2.group(1)
            break
    return meta
