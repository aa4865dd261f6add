"""Reads a 责任单位 cell ("A牵头，B、C负责，D配合") into unit assignments with roles."""

from __future__ import annotations

import re

from desktop_app.domain.model import UnitAssignment, UnitRole

__all__ = ["parse_units", "ROLE_WORDS"]

_OPEN = "（(<〈《【[｛{＜〔［"
_CLOSE = "）)>〉》】]｝}＞〕］"
_PAIRS = dict(zip(_OPEN, _CLOSE, strict=True))

# Longest first: at one position "牵头负责" must win over "牵头", "负责落实" over "负责".
ROLE_WORDS: dict[str, UnitRole] = {
    "分别牵头落实": UnitRole.LEAD,
    "分别牵头负责": UnitRole.LEAD,
    "分别牵头": UnitRole.LEAD,
    "牵头负责": UnitRole.LEAD,
    "牵头落实": UnitRole.LEAD,
    "牵头抓总": UnitRole.LEAD,
    "牵头统筹": UnitRole.LEAD,
    "共同牵头": UnitRole.LEAD,
    "牵头": UnitRole.LEAD,
    "统筹": UnitRole.LEAD,  # only closing a clause ("法规科统筹，各科室配合"): see _SUFFIX
    "指导": UnitRole.LEAD,  # only closing a clause ("市政府办公室指导，各部门负责"): see _SUFFIX
    "主责": UnitRole.LEAD,
    "负总责": UnitRole.LEAD,
    "主办": UnitRole.LEAD,  # only closing a clause or in brackets ("市财政局（主办）")
    "为主": UnitRole.LEAD,  # only closing a clause ("市财政局为主，市审计局配合")
    "为牵头单位": UnitRole.LEAD,
    "为牵头部门": UnitRole.LEAD,
    "负责落实": UnitRole.RESPONSIBLE,
    "具体落实": UnitRole.RESPONSIBLE,
    "具体负责": UnitRole.RESPONSIBLE,
    "负责实施": UnitRole.RESPONSIBLE,
    "具体实施": UnitRole.RESPONSIBLE,
    "组织实施": UnitRole.RESPONSIBLE,
    "参照落实": UnitRole.RESPONSIBLE,
    "参照执行": UnitRole.RESPONSIBLE,
    "共同负责": UnitRole.RESPONSIBLE,
    "为责任单位": UnitRole.RESPONSIBLE,
    "为责任部门": UnitRole.RESPONSIBLE,
    "分别负责": UnitRole.RESPONSIBLE,
    "按职责分工负责": UnitRole.RESPONSIBLE,
    "按职能分工负责": UnitRole.RESPONSIBLE,
    "按职责分工落实": UnitRole.RESPONSIBLE,
    "按职能分工落实": UnitRole.RESPONSIBLE,
    "负责": UnitRole.RESPONSIBLE,
    "落实": UnitRole.RESPONSIBLE,
    "承办": UnitRole.RESPONSIBLE,
    "配合落实": UnitRole.COOPERATING,
    "协同配合": UnitRole.COOPERATING,
    "协同": UnitRole.COOPERATING,  # only closing a clause ("协同创新中心" is a name): see _SUFFIX
    "为配合单位": UnitRole.COOPERATING,
    "为配合部门": UnitRole.COOPERATING,
    "协助落实": UnitRole.COOPERATING,
    "共同配合": UnitRole.COOPERATING,
    "配合": UnitRole.COOPERATING,
    "协助": UnitRole.COOPERATING,
    "协办": UnitRole.COOPERATING,
    "会办": UnitRole.COOPERATING,
    "参与": UnitRole.COOPERATING,
}
_ROLE_ALT = "|".join(sorted(ROLE_WORDS, key=len, reverse=True))
# "牵头单位：A；配合单位：B" names the role before the units; "责任单位" is the plain case.
_LABEL_WORDS = {"责任": UnitRole.RESPONSIBLE, "主办": UnitRole.LEAD, **ROLE_WORDS}
_LABEL = re.compile("(" + "|".join(sorted(_LABEL_WORDS, key=len, reverse=True)) + r")(?:单位|部门)?[:：]")
# 统筹/指导/协同/会办/主办/为主 are roles only where a clause ends ("市城乡统筹办", "宣传处会办公室" are no such).
_CLAUSE_END = "(?=[、，,；;。]|$)"
_ALT_ENDING = "|".join(
    w + _CLAUSE_END if w in ("统筹", "指导", "协同", "会办", "主办", "为主") else w
    for w in sorted(ROLE_WORDS, key=len, reverse=True)
)
# "按职责分工" / "根据各自职责" / "按照职能" before a role word belong to it ("县直各部门按照职责落实").
_DUTY = r"(?:(?:按照?|根据|依据)(?:各自)?(?:职责|职能)(?:分工)?)"
_SUFFIX = re.compile(_DUTY + "?(" + _ALT_ENDING + ")")
# "市财政局（配合：市审计局）": a label inside the brackets after a unit opens a clause of its own.
_LABEL_IN_BRACKETS = re.compile(
    r"[（(]\s*((?:牵头|责任|配合|协办|参与|主办|协同)(?:单位|部门)?\s*[:：][^（）()]+)[)）]"
)
# "宣传处会办公室" / "政法处会财务处、审计处": the office before 会 leads, those after it cooperate (会办).
# Not after 委 (常委会, 管委会, 居委会 are names) nor where either side already names a role.
_HUI = re.compile(r"^([^；;，,]{2,20}?[处科室局厅司站所队])会(?!计|展|议|商|同|签|审|员)([^；;，,]{2,40})$")
# What a unit does, written after its role word ("区司法局牵头区级规范性文件集中公开工作"): not a name.
_ACTIVITY = re.compile(r"工作$|^(?:做好|开展|推进|加强|抓好|督促|推动|完善|组织开展)")
_CLAUSE_SEP = "、，,；;。：:/\\|"
# 和/与/及 join two units only when the left part is a whole unit name; "市住房和城乡建设局" stays whole.
_CONJ = re.compile(r"以及|会同|及|和|与")
_UNIT_END = re.compile(
    r"(?:局|委|厅|办|院|会|部|处|室|所|站|队|中心|政府|部门|单位|机构|公司|集团|银行|街道|乡镇|"
    r"[县区市镇乡]|馆|校|团|社|台|署|组|科|股|司|行|联|协)$"
)
# ... or when the right part starts like a unit name does ("市残联和市总工会"); 市场 is not 市.
_UNIT_START = re.compile(r"各|市(?!场)|省|县|区|自治区|国家")
_TRAILING_ETC = re.compile(r"等(?:相关|有关|其他)?(?:单位|部门|机构)?$")
_LEADING = re.compile(r"^(?:由|请|以|另)")
# "市教育局（负责学校信息公开）": a clause describing the unit's share is not part of its name.
_DESCRIPTION = re.compile(r"[（(][^（）()]*(?:负责|牵头|配合|承担|协助|指导|落实|做好|抓好)[^（）()]*[)）]$")
_SPACE = re.compile(r"\s+")
_LIST_NUMBER = re.compile(r"(?:^|(?<=\s))(?:\d{1,2}[.．、)）](?![\d０-９])|[（(]\d{1,2}[)）])|[①-⑳]")
_MARKS = "★☆*＊▲△※"


def _top_pairs(text: str) -> dict[int, int]:
    """Outermost balanced bracket pairs, opening index -> closing index; unmatched brackets are text."""
    pairs: dict[int, int] = {}
    stack: list[tuple[int, str]] = []
    for i, ch in enumerate(text):
        if ch in _PAIRS:
            stack.append((i, _PAIRS[ch]))
        elif ch in _CLOSE:
            # Close the nearest opener of the same kind; openers left open inside it ("（a(b）") are text.
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][1] == ch:
                    start = stack[depth][0]
                    del stack[depth:]
                    if not stack:
                        pairs[start] = i
                    break
    return pairs


def _bracket_mask(text: str) -> list[bool]:
    """True for characters inside (or forming) an outermost balanced bracket pair."""
    inside = [False] * len(text)
    for start, end in _top_pairs(text).items():
        for j in range(start, end + 1):
            inside[j] = True
    return inside


def _strip_outer(text: str) -> str:
    """ "(发改局、财政局牵头,各部门负责落实)" -> the inside, when one bracket pair wraps everything."""
    # The opening bracket must close at the very end, not earlier ("(市)区政府" is a name).
    while len(text) >= 2 and _top_pairs(text).get(0) == len(text) - 1:
        text = text[1:-1].strip()
    return text


def _role_tokens(text: str, mask: list[bool]) -> list[tuple[int, int, UnitRole, bool]]:
    """(start, end, role, is_label) for role words outside brackets and bracketed role marks like "（牵头）"."""
    tokens: list[tuple[int, int, UnitRole, bool]] = []
    taken = [False] * len(text)
    for m in _LABEL.finditer(text):
        if not any(mask[m.start() : m.end()]):
            tokens.append((m.start(), m.end(), _LABEL_WORDS[m.group(1)], True))
            for j in range(m.start(), m.end()):
                taken[j] = True
    pairs = _top_pairs(text)
    i = 0
    while i < len(text):
        if taken[i]:
            i += 1
            continue
        if i in pairs:
            end = pairs[i]
            inner = text[i + 1 : end]
            role = ROLE_WORDS.get(inner) or ROLE_WORDS.get(re.sub(r"(?:单位|部门)$", "", inner))
            if role is not None:
                tokens.append((i, end + 1, role, False))
            i = end + 1
            continue
        m = _SUFFIX.match(text, i)
        if m and not mask[i]:
            tokens.append((m.start(), m.end(), ROLE_WORDS[m.group(1)], False))
            i = m.end()
            continue
        i += 1
    tokens.sort()
    return tokens


def _split_names(part: str) -> list[str]:
    """Split one group of units at 、，; and at 和/与/及 between whole unit names; brackets stay whole."""
    mask = _bracket_mask(part)
    names: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(part):
        ch = part[i]
        if not mask[i] and ch in _CLAUSE_SEP:
            names.append("".join(current))
            current = []
            i += 1
            continue
        if not mask[i]:
            m = _CONJ.match(part, i)
            if (
                m
                and current
                and m.end() < len(part)
                # the tail is enough for the suffix test, and keeps a long cell linear
                and (_UNIT_END.search("".join(current[-4:])) or _UNIT_START.match(part, m.end()))
            ):
                names.append("".join(current))
                current = []
                i = m.end()
                continue
        current.append(ch)
        i += 1
    names.append("".join(current))
    return [n for n in (_clean(n) for n in names) if n]


def _clean(name: str) -> str:
    name = name.strip(" 　\t")
    previous = None
    while previous != name:
        previous = name
        name = _TRAILING_ETC.sub("", name)
        name = _LEADING.sub("", name)
        stripped = _DESCRIPTION.sub("", name)
        if stripped and stripped != name:
            name = stripped
        name = name.strip("、，,；;。：:.!！?？/\\|-—~")
    # Punctuation or a lone bracket is not a unit.
    if not any(ch.isalnum() for ch in name):
        return ""
    return name


def _last_break(text: str, mask: list[bool], start: int, end: int, breaks: str) -> int:
    """Index of the last bracket-free character of `breaks` in text[start:end], or -1."""
    for i in range(end - 1, start - 1, -1):
        if text[i] in breaks and not mask[i]:
            return i
    return -1


def parse_units(text: str, default_role: UnitRole = UnitRole.RESPONSIBLE) -> list[UnitAssignment]:
    """Units named in a cell with their roles, in order, each name once (its first role wins).

    A role word applies to the units before it back to the previous role word, across commas:
    "各县（市）区人民政府，市政府各部门、各直属机构负责" makes all three responsible. Two limits: a
    semicolon ends its reach, and 牵头 reaches back only to the last comma ("各县（市）区人民政府，市民政局
    牵头": only 市民政局 leads; the counties get default_role). Units after the last role word get
    default_role. Line breaks and spaces inside names are dropped. Never raises.
    """
    try:
        return _parse(text, default_role)
    except Exception:  # an odd cell must not stop an import; the text is still kept as written
        return []


def _parse(text: str, default_role: UnitRole) -> list[UnitAssignment]:
    if not isinstance(text, str):
        return []
    # "1.市发改委\n2.市财政局" / "①市发改委②市财政局": a numbered list of units, its numbers are separators.
    text = _LIST_NUMBER.sub("、", text)
    # Cells wrap long names over lines ("各直属\n机构"); Chinese unit names have no spaces.
    text = _strip_outer(_SPACE.sub("", text))
    if not text:
        return []
    text = _LABEL_IN_BRACKETS.sub(r"；\1", text)
    m = _HUI.match(text)
    if m and not _SUFFIX.search(text) and _UNIT_END.search(m.group(2)):
        text = f"{m.group(1)}牵头，{m.group(2)}配合"
    mask = _bracket_mask(text)
    groups: list[tuple[str, UnitRole]] = []
    start = 0
    pending: UnitRole | None = None  # a "牵头单位：" label's role for what follows it
    for t_start, t_end, role, is_label in _role_tokens(text, mask):
        if t_start < start:
            continue
        chunk = text[start:t_start]
        if is_label:
            groups.append((chunk, pending or default_role))
            pending = role
        else:
            # A role word reaches back over commas ("A，B、C负责": all responsible) but not over a
            # semicolon; 牵头 reaches back only to the last comma, since naming a unit lead is a
            # strong claim: in "各县（市）区人民政府，市民政局牵头" the counties are not the lead.
            cut = _last_break(text, mask, start, t_start, "；;。" + ("，," if role == UnitRole.LEAD else ""))
            if cut > start:
                groups.append((text[start:cut], pending or default_role))
                chunk = text[cut + 1 : t_start]
            groups.append((chunk, role))
            pending = None
        start = t_end
    groups.append((text[start:], pending or default_role))

    result: list[UnitAssignment] = []
    seen: set[str] = set()
    for chunk, role in groups:
        for name in _split_names(_strip_outer(chunk.strip(_CLAUSE_SEP))):
            if _ACTIVITY.search(name):
                continue
            own = role
            bare = name.strip(_MARKS)
            if bare != name and bare:
                # "★市发改委、市财政局": the marked unit leads (带★/*的为牵头单位) unless a role word says otherwise
                name, own = bare, (UnitRole.LEAD if role == default_role else role)
            if name not in seen:
                seen.add(name)
                result.append(UnitAssignment(name=name, role=own))
    return result
