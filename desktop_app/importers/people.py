"""People written into a units cell ("县财政局（张某某）", "县财政局局长张某", "责任人：李某", "王副县长"):
a person is not a unit. They are taken out of the units text and kept apart (the task's extra column
责任人, an internal column reports never print), so the units read are the units alone.

Without a header saying the column holds people too ("牵头单位及责任人", "责任单位/责任领导"), only
what is surely a person is taken out: a 某 name, a title with or without a name, "…同志", a phone
number, a "责任人：" label. Under such a header a bare name of two to four characters is one too.
"""

from __future__ import annotations

import re
from functools import lru_cache

from desktop_app.importers.columns import normalise_header

PERSON_HEADER_WORDS = ("责任人", "领导", "联系人", "负责人", "分管", "经办人", "联络员", "包保", "责任领导")
PEOPLE_COLUMN = "责任人"  # the extra column the people go to

_HAN = r"[\u4e00-\u9fff]"
_TITLE = (
    r"(?:常务)?副?(?:县长|市长|区长|州长|省长|局长|主任|书记|镇长|乡长|科长|部长|秘书长|主席|处长|所长|"
    r"站长|院长|股长|队长|馆长|社长|台长|行长|经理|总经理|调研员|专干|干事|科员|委员|组长|主管)"
)
_LABEL = r"(?:责任人|联系人|负责人|分管领导|责任领导|牵头领导|包保领导|分管负责人|经办人|联络员)"
_PHONE = r"(?:电话|手机|联系电话)?[：:]?\s*(?:\d{3,4}[-－]?)?\d{7,11}"
# One person as written: "张某某", "张某", "欧阳某某", "张三同志", "副县长王某", "王某副县长", "分管副局长",
# "李某 13800000000", "责任人：李某".
_ONE = (
    rf"(?:{_LABEL}[：:]?\s*)?(?:分管|主要负责人|主要领导)?(?:{_HAN}{{1,2}}某{{1,2}}|{_HAN}{{2,4}}同志|"
    rf"{_TITLE}\s*{_HAN}{{0,3}}(?:某{{1,2}})?|{_HAN}{{1,3}}(?:某{{1,2}})?\s*{_TITLE}|{_HAN}{{1,2}}{_TITLE})"
    rf"(?:\s*{_PHONE})?"
)
_SURE = re.compile(rf"^(?:{_ONE}|{_LABEL}[：:]\s*\S.*|{_PHONE})$")
# A bare name, only where the header says people are written here.
_BARE = re.compile(rf"^{_HAN}{{2,4}}(?:\s*{_PHONE})?$")
# The common surnames (a bare name starts with one; "网安", "本级" do not).
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴"
    "霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑"
    "景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
# A unit's name ends so; a bare "name" ending so is a unit.
_UNIT_END = re.compile(
    r"(?:局|委|办|院|会|部|处|室|所|站|队|中心|政府|部门|单位|机构|公司|集团|银行|街道|乡镇|镇|乡|馆|校|团|社|"
    r"台|署|组|科|股|司|行|联|协|区|县|市|厅|庭|港|场|园|各方|办事处)$"
)
_ROLE_TAIL = re.compile(
    r"(?:分别|按职责分工|按职能分工|共同|具体)?(?:牵头负责|牵头落实|牵头|负责落实|负责|落实|配合落实|配合|协助|参与|主责)$"
)
_ROLES = re.compile(r"^(?:牵头|负责|配合|协助|参与|主责|落实|承办|主办|协办)(?:单位|部门)?$")
# The unit a person is glued after: up to the first ending a unit name stops at.
_UNIT_HEAD = r"^(.+?(?:局|委|办|院|会|部|处|室|所|站|队|中心|政府|街道|馆|校|科|股|厅))[：:\s]*"
# "县财政局局长张某" / "县财政局张某某" / "县财政局：李某": a unit with its person glued after it.
_GLUED = re.compile(
    _UNIT_HEAD + rf"({_TITLE}?\s*{_HAN}{{1,2}}某{{1,2}}|{_TITLE}\s*{_HAN}{{2,3}}|{_TITLE}|{_HAN}{{2,4}}同志)$"
)
# ... and, where the header says people are written here, a bare name after the unit ("县财政局李四").
_GLUED_BARE = re.compile(_UNIT_HEAD + rf"({_HAN}{{2,3}})$")
_SEP = re.compile(r"([、，,；;\n/]+)")
_OPEN, _CLOSE = "（(", "）)"


def header_names_people(header: str) -> bool:
    """ "牵头单位及责任人", "责任单位（责任领导）": the header says people are written in the column."""
    words = normalise_header(header)
    return any(w in words for w in PERSON_HEADER_WORDS)


def is_person(text: str, people_expected: bool = False) -> bool:
    text = text.strip()
    if not text or _ROLES.match(text):
        return False
    if _SURE.match(text):
        return not _UNIT_END.search(text) or bool(re.search(_TITLE + r"$", text))
    if people_expected and _BARE.match(text):
        name = re.sub(_PHONE + "$", "", text).strip()
        return name[0] in _SURNAMES and not _UNIT_END.search(name)
    return False


def _brackets(text: str) -> list[tuple[int, int]]:
    """Outermost （…） pairs (start, end inclusive)."""
    out: list[tuple[int, int]] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            if depth == 0:
                start = i
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
            if depth == 0:
                out.append((start, i))
    return out


def _people_in(inner: str, people_expected: bool) -> list[str] | None:
    """The people a bracket holds, when it holds nothing else."""
    if is_person(inner.strip(), people_expected):
        return [inner.strip()]
    parts = [p.strip() for p in re.split(r"[、，,；;\s]+", inner) if p.strip()]
    if parts and all(is_person(p, people_expected) for p in parts):
        return parts
    return None


def split_people(text: str, people_expected: bool = False) -> tuple[str, list[str]]:
    """(the units text without the people in it, the people as "单位：人" or "人"). Text without people
    comes back unchanged."""
    if not text:
        return text, []
    units, people = _split(text, people_expected)
    return units, list(people)


@lru_cache(maxsize=8192)  # ledgers repeat the same units cell on many rows
def _split(text: str, people_expected: bool) -> tuple[str, tuple[str, ...]]:
    people: list[str] = []
    # 1. brackets holding only people: "县财政局（张某某）牵头"
    out = text
    for a, b in reversed(_brackets(text)):
        found = _people_in(text[a + 1 : b], people_expected)
        if found is None:
            continue
        unit = _SEP.split(text[:a])[-1].strip()
        unit = _ROLE_TAIL.sub("", unit)
        people[:0] = [f"{unit}：{p}" if unit else p for p in found]
        out = out[:a] + out[b + 1 :]
    # 2. pieces between separators that are people, or a unit with its person glued after it
    pieces = _SEP.split(out)
    kept: list[str] = []
    dropped_any = False
    for i in range(0, len(pieces), 2):
        piece = pieces[i]
        sep = pieces[i + 1] if i + 1 < len(pieces) else ""
        bare = piece.strip()
        tail = _ROLE_TAIL.search(bare)
        core = bare[: tail.start()] if tail and tail.start() > 0 else bare
        role = bare[len(core) :]
        if core and is_person(core, people_expected):
            people.append(core)
            dropped_any = True
            if role and kept:  # "县财政局、张某某负责": the role word still closes the clause
                kept[-2] += role
            continue
        m = _GLUED.match(core) if core else None
        if m is None and people_expected and core:
            m = _GLUED_BARE.match(core)
            if m and (_UNIT_END.search(m.group(2)) or not is_person(m.group(2), True)):
                m = None
        if m and (people_expected or is_person(m.group(2))):
            people.append(f"{m.group(1)}：{m.group(2).strip()}")
            piece = m.group(1) + role
        kept += [piece, sep]
    if dropped_any or people:
        out = "".join(kept).strip()
        out = re.sub(r"^[、，,；;\s]+|[、，,；;\s]+$", "", out)
        out = re.sub(r"([、，,；;])[、，,；;]+", r"\1", out)
    return (out if people else text), tuple(people)
