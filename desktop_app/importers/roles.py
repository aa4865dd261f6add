"""Which field each table column holds, decided by evidence: the header words at every header level and
what the column holds (lengths, numbering, dates and deadline words, unit names, people, repetition
and merges). Every decision carries a confidence and a reason the import wizard and `inspect` show.

The synonym list (columns.SYNONYMS) is one piece of evidence among these: a header it names exactly
and a column whose cells agree is certain; a header no list holds ("责任股室", "完成日期", "主责单位")
is decided by the words in it and the cells under it; a column whose cells contradict its header, or
whose header says nothing and whose cells say little, gets a low confidence and is shown as doubtful.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from desktop_app.importers.columns import FIELD_LABELS, match_header, normalise_header
from desktop_app.importers.grid import Cell
from desktop_app.importers.text import to_simplified

DOUBTFUL = 0.7  # below this a decision is shown as doubtful and the wizard stops on it
SAMPLE_ROWS = 60

# Words inside a header (any level) and the field they point to, strongest first.
_PERSON_WORDS = ("领导", "责任人", "联系人", "负责人", "分管", "经办人", "联络员", "包保")
_HEADER_HINTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("number", ("序号", "编号", "项次", "序列")),
    ("progress", ("落实情况", "进展", "完成情况", "推进情况", "工作成效", "成效")),
    ("deadline", ("时间", "时限", "日期", "期限", "节点", "进度安排", "截止", "时序")),
    ("cooperating_units", ("配合", "协同", "协办", "协助", "参与", "会办")),
    ("units", ("单位", "部门", "科室", "股室", "处室", "主体", "责任", "牵头", "主责", "承办", "主办")),
    ("remarks", ("备注", "说明")),
    ("indicator", ("指标", "标准", "目标值", "预期")),
    ("key_work", ("类别", "分类", "项目", "领域", "方面", "要点", "重点", "板块", "类型")),
    ("content", ("任务", "措施", "内容", "事项", "要求", "举措", "工作")),
)
# Headers of columns that are no field of a task (kept as extra columns, not guessed into one).
_EXTRA_WORDS = (
    "分值",
    "分数",
    "得分",
    "考核方式",
    "完成标志",
    "成果形式",
    "佐证",
    "依据",
    "文号",
    "状态",
    "最后更新",
    "完成进度",
)

_NUMBERISH = re.compile(
    r"^(?:\d{1,3}(?:[.．\-－]\d{1,3})*|[一二三四五六七八九十]{1,3}|[（(][一二三四五六七八九十\d]{1,3}[)）])[.．、]?$"
)
_DEADLINE = re.compile(
    r"\d{4}\s*年|\d{1,2}\s*月|月底|月末|日前|年底|年末|季度|每月|每年|每周|每半年|半年|上旬|中旬|下旬|"
    r"长期|持续|常态|全年|前$|以前|之前|之内|内$|立即|及时|随时|定期|按月|按季|按年|已完成|上级(?:部署|要求|安排)|"
    r"时序|次年|翌年|\d{4}[.．/-]\d{1,2}"
)
_UNIT_END = re.compile(
    r"(?:局|委|办|院|会|部|处|室|所|站|队|中心|政府|部门|单位|机构|公司|集团|银行|街道|乡镇|镇|乡|馆|校|"
    r"团|社|台|署|组|科|股|司|行|联|协|区|县|市|厅|庭|港|场|园|人员|各方|办事处)$"
)
_ROLE_TAIL = re.compile(
    r"(?:分别|按职责分工|按职能分工|共同|具体)?"
    r"(?:牵头负责|牵头落实|牵头统筹|牵头|统筹|负责落实|负责|落实|配合落实|配合|协助|协办|会办|参与|承办|主责)$"
)
_UNIT_LABEL = re.compile(r"^(?:牵头|责任|配合|参与|主办|协办|主责)(?:单位|部门)?[:：]")
# "一、做好…" / "（一）加强…" : a heading numbered the way key work is, with a name after it.
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(]\s*[一二三四五六七八九十]{1,3}\s*[)）])\s*\S")
_UNIT_SPLIT = re.compile(r"[、，,；;\n/]+")
_PERSON = re.compile(
    r"(?:副?(?:局长|市长|县长|区长|主任|书记|镇长|乡长|科长|部长|秘书长|主席|处长|所长|站长|院长|股长)|某某|同志)$"
)


@dataclass
class RoleDecision:
    field: str  # a field of ColumnSpec, "extra:<header>" or "ignore"
    confidence: float  # 0..1; below DOUBTFUL the wizard asks
    reason: str  # one Chinese phrase: the evidence

    # the cells overrule the header's word ("具体要求" over a column of 1, 2, 3; "工作任务" over
    # "一、…" headings): the mapping takes this field although the header names another
    by_cells: bool = False

    @property
    def doubtful(self) -> bool:
        return self.confidence < DOUBTFUL


@dataclass
class Profile:
    """What one column holds, over the sampled body rows (own cells only, not merge continuations)."""

    filled: int = 0
    rows: int = 0
    numberish: float = 0.0
    sequential: float = 0.0
    deadline: float = 0.0
    unit: float = 0.0
    person: float = 0.0
    long: float = 0.0
    avg_len: float = 0.0
    repeated: float = 0.0  # share of rows continuing a merge or repeating the value above
    heading: float = 0.0  # share of cells that are "一、…" / "（一）…" headings


def _is_unit_text(text: str) -> bool:
    text = _UNIT_LABEL.sub("", text.strip())
    parts = [p for p in _UNIT_SPLIT.split(text) if p.strip()]
    if not parts or len(text) > 80:
        return False
    good = 0
    for part in parts:
        part = _UNIT_LABEL.sub("", part.strip())
        part = _ROLE_TAIL.sub("", part).strip("。.")
        part = re.sub(r"[（(][^（）()]*[)）]$", "", part)
        if part.startswith("各") or (2 <= len(part) <= 24 and _UNIT_END.search(part)):
            good += 1
    return good * 2 > len(parts)


def is_unit_text(text: str) -> bool:
    """Every part of the text (split at 、，；) a unit name, as a 责任单位 cell holds."""
    text = _UNIT_LABEL.sub("", text.strip())
    parts = [p for p in _UNIT_SPLIT.split(text) if p.strip()]
    if not parts or len(text) > 80:
        return False
    for part in parts:
        part = _ROLE_TAIL.sub("", _UNIT_LABEL.sub("", part.strip())).strip("。.")
        part = re.sub(r"[（(][^（）()]*[)）]$", "", part)
        if not (part.startswith("各") or (2 <= len(part) <= 24 and _UNIT_END.search(part))):
            return False
    return True


def _is_deadline_text(text: str) -> bool:
    return len(text) <= 16 and bool(_DEADLINE.search(text))


def profile(cells: Sequence[Cell]) -> Profile:
    p = Profile(rows=len(cells))
    own = [c for c in cells if c.text and not c.cont]
    p.filled = len(own)
    if not own:
        return p
    n = len(own)
    texts = [to_simplified(c.text) for c in own]  # 責任單位 cells of "市財政局牽頭" read as unit names
    p.numberish = sum(1 for t in texts if _NUMBERISH.match(t)) / n
    ints = [int(t.rstrip(".．、")) for t in texts if t.rstrip(".．、").isdecimal()]
    if len(ints) >= 2:
        p.sequential = sum(1 for a, b in zip(ints, ints[1:], strict=False) if b in (a, a + 1)) / (
            len(ints) - 1
        )
    p.deadline = sum(1 for t in texts if _is_deadline_text(t)) / n
    p.unit = sum(1 for t in texts if _is_unit_text(t)) / n
    p.person = sum(1 for t in texts if len(t) <= 8 and _PERSON.search(t)) / n
    p.long = sum(1 for t in texts if len(t) >= 14) / n
    p.heading = sum(1 for t in texts if len(t) <= 60 and _HEADING.match(t)) / n
    p.avg_len = sum(len(t) for t in texts) / n
    prev = None
    rep = 0
    for c in cells:
        if c.text and (c.cont or c.text == prev):
            rep += 1
        prev = c.text
    p.repeated = rep / max(1, len([c for c in cells if c.text]))
    return p


def _hint(words: str) -> str | None:
    if any(w in words for w in _PERSON_WORDS):
        return "person"
    if any(w in words for w in _EXTRA_WORDS):
        return "extra"
    for field, hints in _HEADER_HINTS:
        if any(w in words for w in hints):
            return field
    return None


def _from_cells(p: Profile) -> tuple[str | None, float, str]:
    """The field the cells alone point to, with the strength of that evidence."""
    if p.filled == 0:
        return None, 0.0, "列中没有内容"
    if p.numberish >= 0.8:
        return "number", 0.5 + 0.4 * p.sequential, "列中是编号"
    if p.person >= 0.6:
        return "person", 0.8, "列中是人名或职务"
    if p.deadline >= 0.6 and p.avg_len <= 16:
        return "deadline", 0.5 + 0.4 * p.deadline, "列中是日期或时限用语"
    if p.unit >= 0.6 and p.avg_len <= 40:
        return "units", 0.5 + 0.4 * p.unit, "列中是单位名称"
    if p.long >= 0.5:
        return "content", 0.5 + 0.3 * p.long, "列中是较长的任务文字"
    if p.avg_len <= 20 and p.repeated >= 0.2:
        return "key_work", 0.55, "列中是较短且成组重复（合并）的文字"
    if p.avg_len <= 20:
        return "key_work", 0.45, "列中是较短的文字"
    return "content", 0.45, "列中是文字"


# Cells that agree with a field named by the header (a 责任单位 column of unit names ...).
def _agrees(field: str, p: Profile) -> bool | None:
    if p.filled == 0:
        return None
    if field == "number":
        return p.numberish >= 0.6
    if field == "deadline":
        return p.deadline >= 0.5 or p.avg_len <= 12
    if field in ("units", "cooperating_units"):
        return p.unit >= 0.4 and p.person < 0.5
    if field in ("content", "item"):
        return p.numberish < 0.5 and p.deadline < 0.8
    if field == "key_work":
        return p.numberish < 0.5
    return None


def decide(
    labels: Sequence[str], levels: Sequence[Sequence[str]], columns: Sequence[Sequence[Cell]]
) -> list[RoleDecision]:
    """One decision per grid column. `labels`: the header as the mapping reads it (levels joined);
    `levels`: the header text of each grid column at each header level; `columns`: sampled body cells."""
    out: list[RoleDecision] = []
    for c, label in enumerate(labels):
        texts = [lv[c] for lv in levels if c < len(lv) and lv[c]]
        words = "".join(normalise_header(t) for t in texts) or normalise_header(label)
        p = profile(columns[c]) if c < len(columns) else Profile()
        named = next((f for f in (match_header(t) for t in reversed(texts)) if f), None) or match_header(
            label
        )
        cell_field, cell_strength, cell_reason = _from_cells(p)
        shown = label.strip() or f"第{c + 1}列"
        if named:
            agree = _agrees(named, p)
            if agree is False:
                out.append(
                    RoleDecision(named, 0.55, f"表头“{shown}”像{FIELD_LABELS[named]}，但{cell_reason}")
                )
            else:
                out.append(RoleDecision(named, 0.95 if agree else 0.9, f"表头“{shown}”"))
            continue
        hint = _hint(words)
        if hint == "person":
            out.append(RoleDecision(f"extra:{shown}", 0.9, f"表头“{shown}”指人员，不是责任单位"))
            continue
        if hint == "extra":
            out.append(RoleDecision(f"extra:{shown}", 0.85, f"表头“{shown}”不是任务的字段"))
            continue
        if hint and (cell_field == hint or (hint == "cooperating_units" and cell_field == "units")):
            out.append(RoleDecision(hint, 0.85, f"表头“{shown}”，且{cell_reason}"))
        elif hint and _agrees(hint, p) is not False:
            out.append(RoleDecision(hint, 0.75, f"表头“{shown}”"))
        elif cell_field == "person":
            out.append(RoleDecision(f"extra:{shown}", 0.75, cell_reason))
        elif cell_field and cell_strength >= 0.6:
            out.append(
                RoleDecision(cell_field, min(0.8, cell_strength), f"表头“{shown}”未识别，{cell_reason}")
            )
        elif label.strip():
            out.append(RoleDecision(f"extra:{shown}", 0.6 if p.filled else 0.9, f"表头“{shown}”未识别"))
        elif p.filled:  # kept as written and shown, never dropped unseen
            out.append(RoleDecision(f"extra:第{c + 1}列", 0.5, "无表头，列中有内容，原样保留"))
        else:
            out.append(RoleDecision("ignore", 0.9, "无表头"))
    _settle(out, columns, [normalise_header(x) for x in labels])
    return out


def _settle(out: list[RoleDecision], columns: Sequence[Sequence[Cell]], words: Sequence[str]) -> None:
    """Make the set of decisions a ledger: one number, one content column (the longer text), the
    shorter text before it the key work; a second units column cooperates or leads by its header."""
    profiles = [profile(columns[i]) if i < len(columns) else Profile() for i in range(len(out))]
    # A column of short "一、…" / "（一）…" headings under a task header, beside another text column, is
    # key work whatever its header says (工作任务 spanning 一、… | （一）… | 具体要求).
    texts = [i for i, d in enumerate(out) if d.field in ("content", "item")]
    for i in texts:
        p = profiles[i]
        if p.filled >= 2 and p.heading >= 0.8 and p.avg_len <= 40 and len(texts) >= 2:
            if any(j != i and profiles[j].heading < 0.5 for j in texts):
                out[i] = RoleDecision("key_work", 0.85, out[i].reason + "，列中是“一、”“（一）”式标题", True)
    fields = [d.field for d in out]
    # A header naming text over a column of 1, 2, 3 … (具体要求 spanning the number and the text).
    if "number" not in fields:
        for i, d in enumerate(out):
            p = profiles[i]
            if d.field in ("content", "item") and p.filled >= 2 and p.numberish >= 0.8 and p.sequential >= 0.8:
                out[i] = RoleDecision("number", 0.8, d.reason + "，按编号列导入", True)
                break
    fields = [d.field for d in out]
    # No column says what the task is, but one says how it is judged (考核指标 | 评分标准 | 责任部门): the
    # first such column is the task.
    if not set(fields) & {"content", "item", "key_work"}:
        for i, d in enumerate(out):
            if d.field == "indicator" and profiles[i].filled:
                out[i] = RoleDecision("content", min(d.confidence, 0.75), d.reason + "，表中没有任务列，按主要内容导入", True)
                break
    fields = [d.field for d in out]
    # No deadline column, and a 备注 (or unnamed) column holding deadlines ("11月底前完成"): that is the deadline.
    if "deadline" not in fields:
        for i, d in enumerate(out):
            p = profiles[i]
            if (d.field == "remarks" or d.field.startswith("extra:")) and _hint(words[i]) not in ("person", "extra"):
                if p.filled >= 2 and p.deadline >= 0.6 and p.avg_len <= 16:
                    out[i] = RoleDecision("deadline", 0.75, d.reason + "，列中是日期或时限用语，按完成时限导入", True)
                    break
    fields = [d.field for d in out]
    content = [i for i, f in enumerate(fields) if f == "content"]
    if len(content) >= 2 and "key_work" not in fields and "item" not in fields:
        lengths = [profile(columns[i]).avg_len if i < len(columns) else 0 for i in content]
        first = content[0]
        if lengths[0] < max(lengths[1:]) or profile(columns[first]).repeated > 0:
            out[first] = RoleDecision(
                "key_work", out[first].confidence, out[first].reason + "（较短，作重点工作）"
            )
    numbers = [i for i, f in enumerate(fields) if f == "number"]
    for i in numbers[1:]:
        out[i] = RoleDecision(f"extra:第{i + 1}列", 0.6, "第二个编号列")


def header_like(texts: Sequence[str]) -> bool:
    """A row that could be a header nobody's list knows: three or more short labels, no numbers,
    no sentence punctuation."""
    distinct = [t for t in dict.fromkeys(texts) if t.strip()]
    if len(distinct) < 3:
        return False
    for t in distinct:
        if len(normalise_header(t)) > 10 or _NUMBERISH.match(t) or re.search(r"[。；，,]", t):
            return False
    return True


def ledger_like(decisions: Sequence[RoleDecision]) -> bool:
    """Decisions that make a ledger: what the task is, plus who does it or by when."""
    fields = {d.field for d in decisions if d.confidence >= 0.6}
    return bool(fields & {"content", "key_work"}) and bool(
        fields & {"units", "cooperating_units", "deadline"}
    )
