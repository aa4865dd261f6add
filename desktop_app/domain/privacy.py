"""Personal data in ledger text (隐私信息要遮掩): find ID, mobile, bank-card and plate numbers, e-mail
addresses, phone numbers and the names after 联系人/经办人…, in the forms people type; mask them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class PersonalDataKind(StrEnum):
    ID_NUMBER = "id_number"  # 居民身份证号 (18 digits, or 15 for the old form)
    MOBILE = "mobile"
    BANK_CARD = "bank_card"
    PLATE = "plate"
    EMAIL = "email"
    LANDLINE = "landline"
    BIRTH_DATE = "birth_date"
    PERSON_NAME = "person_name"  # a name after 联系人/经办人/填报人 …

    @property
    def label(self) -> str:
        return {
            "id_number": "身份证号",
            "mobile": "手机号码",
            "bank_card": "银行卡号",
            "plate": "车牌号码",
            "email": "电子邮箱",
            "landline": "固定电话",
            "birth_date": "出生日期",
            "person_name": "个人姓名",
        }[self.value]


@dataclass(frozen=True)
class PersonalDataHit:
    kind: PersonalDataKind
    start: int
    end: int
    value: str
    certain: bool  # False: looks like personal data, the user decides


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领"

# Full-width digits, letters and the signs inside numbers (１３９, ＡＢＣ, ＠, －, ＋, ．) read as ASCII;
# one character for one, so positions hold. Full-width ，：（） stay: the patterns name them.
_WIDE = "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ＠－＋．"
_HALF = str.maketrans({c: chr(ord(c) - 0xFEE0) for c in _WIDE})
_RE_FULL_WIDTH = re.compile(f"[{re.escape(_WIDE)}]")
_BLANK = " \t\u3000\u00a0\u2002\u2003\u2009"
_DASHES = "-‐‑‒–—.·・"
# A run of digit groups joined by one separator each: "110101 19900307 2318", "139-1234-5678".
_SEP = rf"(?:[{_BLANK}]{{1,2}}|[{_BLANK}]?[{re.escape(_DASHES)}][{_BLANK}]?)"
_RE_CLUSTER = re.compile(rf"\d+(?:{_SEP}\d+)*(?:[Xx](?![A-Za-z]))?")
_RE_GROUP = re.compile(r"\d+[Xx]?")
_RE_MOBILE_DIGITS = re.compile(r"1[3-9]\d{9}")
_RE_PLATE = re.compile(
    rf"(?<![A-Za-z0-9])[{_PROVINCES}][{_BLANK}]?[A-HJ-NP-Z][·・•.\-{_BLANK}]?"
    r"(?:[DF][A-HJ-NP-Z0-9]\d{4}|\d{5}[DF]|[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警港澳])"
    r"(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_RE_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+\s?@\s?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9-])"
)
_RE_LANDLINE_PARENS = re.compile(
    r"(?<![0-9])[(（]0\d{2,3}[)）][ \-]?\d{3,4}[ \-]?\d{4}(?:-\d{1,5})?(?![0-9])"
)
# 电话：8123 4567 — a number after a phone label, whatever its shape.
_RE_LABELLED_NUMBER = re.compile(
    r"(?:联系电话|办公电话|电话号码|电话|手机号码|手机号|手机|联系方式|座机|固话|传真|tel|phone|mobile)"
    r"\s*[：:]?\s*((?:\+|00)?[\d(（][\d \-()（）]{5,}\d)",
    re.IGNORECASE,
)
_RE_BIRTH = re.compile(
    r"出生(?:日期|年月|年月日|时间|于)?\s*[：:为是]?\s*"
    r"(\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|\d{4}[-./]\d{1,2}(?:[-./]\d{1,2})?|\d{8}(?!\d))"
)
_NAME_LABELS = (
    "联系人|联络人|经办人|填报人|审核人|承办人|负责人|申请人|当事人|举报人|投诉人|来访人|姓名|联系方式"
)
_RE_NAME = re.compile(
    rf"(?:{_NAME_LABELS})(?:及其?(?:联系)?(?:电话|方式|手机))?\s*(?:[(（][^)）]{{0,6}}[)）])?\s*([：:]?)\s*"
    r"([\u4e00-\u9fff][\u4e00-\u9fff·]{1,3})([\u4e00-\u9fff]?)"
)
# Every kind needs one of these: five digits in a row (separators allowed), an @, a province and a
# letter (a plate), 出生, or a label before a name.
_MAYBE = re.compile(
    r"\d(?:[^\d\u4e00-\u9fff]{0,3}\d){4}|"
    rf"[@＠]|[{_PROVINCES}][{_BLANK}]?[A-Za-zＡ-Ｚａ-ｚ]|出生|{_NAME_LABELS}"
)
# Common surnames (百家姓, the ones that cover most people): a name after a label starts with one.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季"
    "裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦"
    "戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻"
    "苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练"
    "廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿"
    "鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
# Words that follow 联系人/负责人 in ordinary ledger text and are not names.
_NOT_NAMES = (
    "制度",
    "名单",
    "信息",
    "机制",
    "电话",
    "手机",
    "方式",
    "姓名",
    "职责",
    "责任",
    "单位",
    "部门",
    "队伍",
    "会议",
    "工作",
    "台账",
    "邮箱",
    "地址",
    "签字",
    "盖章",
    "确认",
    "及时",
    "要",
    "应",
    "须",
    "负责",
    "签名",
)


def id_checksum_ok(value: str) -> bool:
    """GB 11643: the 18th character is the ISO 7064 MOD 11-2 check of the first 17 digits."""
    if len(value) != 18 or not value[:17].isdigit():
        return False
    total = sum(int(c) * w for c, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17].upper()


def _valid_birth(year: int, month: int, day: int) -> bool:
    try:
        born = date(year, month, day)
    except ValueError:
        return False
    return date(1880, 1, 1) <= born <= date(2100, 12, 31)


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        n = int(c)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def _digits(value: str) -> str:
    return "".join(c for c in value.translate(_HALF) if c.isascii() and c.isdigit())


# First two digits of an ID number: the province-level region codes of GB/T 2260.
_ID_REGIONS = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)


def _classify(d: str, groups: list[str]) -> tuple[PersonalDataKind, bool, int] | None:
    """What a digit string (its groups as written) is: (kind, certain, digits to skip at the front)."""
    n = len(d)
    if n == 18 and d[:17].isdigit() and (d[17].isdigit() or d[17] in "Xx"):
        if id_checksum_ok(d):
            return PersonalDataKind.ID_NUMBER, True, 0
        if d[:2] in _ID_REGIONS and _valid_birth(int(d[6:10]), int(d[10:12]), int(d[12:14])):
            return PersonalDataKind.ID_NUMBER, False, 0  # right shape, wrong check digit: a typo?
    if not d.isdigit():
        return None
    if 16 <= n <= 19:
        if luhn_ok(d):
            return PersonalDataKind.BANK_CARD, True, 0
        if len(groups) >= 4 and all(len(g) == 4 for g in groups[:-1]):
            return PersonalDataKind.BANK_CARD, False, 0  # 6222 0212 3456 7890: a card with a typo?
    if n == 11 and _RE_MOBILE_DIGITS.fullmatch(d):
        return PersonalDataKind.MOBILE, True, 0
    for prefix in ("0086", "86"):  # +86 13912345678 written as one group
        if (
            d.startswith(prefix)
            and len(groups[0]) > len(prefix)
            and _RE_MOBILE_DIGITS.fullmatch(d[len(prefix) :])
        ):
            return PersonalDataKind.MOBILE, True, len(prefix)
    if n == 15 and d[:2] in _ID_REGIONS and _valid_birth(1900 + int(d[6:8]), int(d[8:10]), int(d[10:12])):
        return PersonalDataKind.ID_NUMBER, False, 0
    if len(groups) in (2, 3) and re.fullmatch(r"0\d{2,3}", groups[0]) and re.fullmatch(r"\d{7,8}", groups[1]):
        if len(groups) == 2 or len(groups[2]) <= 5:
            return PersonalDataKind.LANDLINE, False, 0  # 010-12345678, 0951 1234567-801
    return None


def _number_hits(norm: str) -> list[tuple[PersonalDataKind, int, int, bool]]:
    """IDs, cards, mobiles and landlines in runs of digit groups, whatever separates the groups."""
    out: list[tuple[PersonalDataKind, int, int, bool]] = []
    for cm in _RE_CLUSTER.finditer(norm):
        if cm.end() - cm.start() < 10:
            continue  # the shortest kind here (a landline, 010-1234567) has ten digits
        spans = [(g.start() + cm.start(), g.end() + cm.start()) for g in _RE_GROUP.finditer(cm.group())]
        texts = [norm[s:e] for s, e in spans]
        i = 0
        while i < len(spans):
            found = None
            for j in range(min(len(spans), i + 6) - 1, i - 1, -1):  # the longest run first
                groups = texts[i : j + 1]
                if any(len(g) < 3 for g in groups[:-1]) or any("X" in g.upper() for g in groups[:-1]):
                    continue
                kind = _classify("".join(groups), groups)
                if kind is not None:
                    found = (j, kind)
                    break
            if found is None:
                i += 1
                continue
            j, (kind, certain, skip) = found
            out.append((kind, spans[i][0] + skip, spans[j][1], certain))
            i = j + 1
    return out


def find_personal_data(text: str) -> list[PersonalDataHit]:
    """Every hit in the text, ordered by position; a stretch of text belongs to one hit at most."""
    if len(text) < 5 or not _MAYBE.search(text):
        return []  # most texts leave here
    norm = text.translate(_HALF) if _RE_FULL_WIDTH.search(text) else text
    hits: list[PersonalDataHit] = []
    taken: list[tuple[int, int]] = []

    def add(kind: PersonalDataKind, start: int, end: int, certain: bool) -> None:
        if start < end and all(end <= s or start >= e for s, e in taken):
            hits.append(PersonalDataHit(kind, start, end, text[start:end], certain))
            taken.append((start, end))

    for m in _RE_EMAIL.finditer(norm):
        add(PersonalDataKind.EMAIL, *m.span(), False)
    for kind, start, end, certain in _number_hits(norm):
        add(kind, start, end, certain)
    for m in _RE_LANDLINE_PARENS.finditer(norm):
        add(PersonalDataKind.LANDLINE, *m.span(), False)
    for m in _RE_LABELLED_NUMBER.finditer(norm):
        start, end = m.span(1)
        if len(_digits(m.group(1))) >= 7 and all(end <= s or start >= e for s, e in taken):
            add(PersonalDataKind.LANDLINE, start, end, False)
    for m in _RE_PLATE.finditer(norm):
        tail = re.sub(r"[^0-9]", "", m.group()[2:])
        if len(tail) >= 2:
            add(PersonalDataKind.PLATE, *m.span(), True)
    for m in _RE_BIRTH.finditer(norm):
        add(PersonalDataKind.BIRTH_DATE, *m.span(1), False)
    for m in _RE_NAME.finditer(norm):
        name = m.group(2)
        if name[0] not in _SURNAMES or any(name.startswith(w) or name[1:].startswith(w) for w in _NOT_NAMES):
            continue
        if m.group(3):  # more text follows: where does the name end?
            name = _trim_name(name)
        start = m.start(2)
        add(PersonalDataKind.PERSON_NAME, start, start + len(name), bool(m.group(1)))
    hits.sort(key=lambda h: h.start)
    return hits


_AFTER_NAME = ("电话", "手机", "联系", "同志", "先生", "女士", "负责", "科长", "主任", "局长", "电", "手")


def _trim_name(name: str) -> str:
    """张三电话 -> 张三: a name ends where a word that follows names begins (2 to 3 characters kept)."""
    for i in range(2, len(name)):
        if any(name[i:].startswith(w) for w in _AFTER_NAME):
            return name[:i]
    return name[:3]


def mask_value(kind: PersonalDataKind | str, value: str) -> str:
    """The de-identified form: 640104********3013, 139****5678, ************1234, 宁A***45, 张*."""
    kind = PersonalDataKind(kind)
    value = value.translate(_HALF)
    if kind == PersonalDataKind.ID_NUMBER:
        v = re.sub(r"[^0-9Xx]", "", value)
        return v[:6] + "*" * (len(v) - 10) + v[-4:]
    if kind == PersonalDataKind.MOBILE:
        d = _digits(value)[-11:]
        return d[:3] + "****" + d[-4:]
    if kind == PersonalDataKind.BANK_CARD:
        d = _digits(value)
        return "*" * (len(d) - 4) + d[-4:]
    if kind == PersonalDataKind.PLATE:
        v = re.sub(rf"[·・•.\-{_BLANK}]", "", value).upper()
        return v[:2] + "*" * (len(v) - 4) + v[-2:]
    if kind == PersonalDataKind.EMAIL:
        name, _, domain = value.replace(" ", "").partition("@")
        return (name[:1] or "*") + "***@" + domain
    if kind == PersonalDataKind.LANDLINE:
        d = _digits(value)
        m = re.match(r"\D*(0\d{2,3})\D", value)
        if m and len(d) > len(m.group(1)) + 2:
            rest = d[len(m.group(1)) :]
            return f"{m.group(1)}-{'*' * (len(rest) - 2)}{rest[-2:]}"
        return "*" * max(0, len(d) - 2) + d[-2:]
    if kind == PersonalDataKind.PERSON_NAME:
        return value[:1] + "*" * (len(value) - 1)
    return re.sub(r"\d", "*", value)  # birth dates: keep the shape, hide the digits


def mask_text(text: str, hits: list[PersonalDataHit]) -> str:
    """The text with each given hit replaced by its masked form."""
    out = text
    for hit in sorted(hits, key=lambda h: h.start, reverse=True):
        if out[hit.start : hit.end] != hit.value:
            continue  # the hit belongs to another version of the text
        out = out[: hit.start] + mask_value(hit.kind, hit.value) + out[hit.end :]
    return out


def mask_all(text: str) -> str:
    """Every hit, certain or likely, masked."""
    return mask_text(text, find_personal_data(text))
