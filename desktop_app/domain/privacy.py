"""Personal data in ledger text (隐私信息要遮掩): find ID, mobile, bank-card and plate numbers; mask them."""

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
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"

_RE_ID18 = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_RE_ID15 = re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])")
_RE_CARD = re.compile(r"(?<![0-9A-Za-z])(?:\d{16,19}|\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?)(?![0-9A-Za-z])")
_RE_MOBILE = re.compile(r"(?<![0-9A-Za-z+])(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?![0-9A-Za-z])")
_RE_PLATE = re.compile(
    rf"(?<![0-9A-Za-z])[{_PROVINCES}][A-HJ-NP-Z][·・•.\s]?(?:[DF][A-HJ-NP-Z0-9]\d{{4}}|\d{{5}}[DF]|[A-HJ-NP-Z0-9]{{5}})"
    r"(?![0-9A-Za-z])"
)
_RE_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9-])"
)
_RE_LANDLINE = re.compile(
    r"(?<![0-9A-Za-z])(?:0\d{2,3}-\d{7,8}|[(（]0\d{2,3}[)）]\s?\d{7,8})(?:-\d{1,5})?(?![0-9A-Za-z])"
)
_RE_BIRTH = re.compile(
    r"出生(?:日期|年月|年月日|时间|于)?\s*[：:为是]?\s*"
    r"(\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|\d{4}[-./]\d{1,2}(?:[-./]\d{1,2})?|\d{8}(?!\d))"
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
    return "".join(c for c in value if c.isdigit())


def find_personal_data(text: str) -> list[PersonalDataHit]:
    """Every hit in the text, ordered by position; a stretch of text belongs to one hit at most."""
    if not text:
        return []
    hits: list[PersonalDataHit] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(kind: PersonalDataKind, m: re.Match[str], certain: bool, group: int = 0) -> None:
        start, end = m.span(group)
        if free(start, end):
            hits.append(PersonalDataHit(kind, start, end, m.group(group), certain))
            taken.append((start, end))

    for m in _RE_ID18.finditer(text):
        v = m.group()
        if id_checksum_ok(v):
            add(PersonalDataKind.ID_NUMBER, m, True)
        elif _valid_birth(int(v[6:10]), int(v[10:12]), int(v[12:14])) and v[:2] in _ID_REGIONS:
            add(PersonalDataKind.ID_NUMBER, m, False)  # right shape, wrong check digit: a typo?
    for m in _RE_CARD.finditer(text):
        d = _digits(m.group())
        if 16 <= len(d) <= 19 and luhn_ok(d):
            add(PersonalDataKind.BANK_CARD, m, True)
    for m in _RE_ID15.finditer(text):
        v = m.group()
        if v[:2] in _ID_REGIONS and _valid_birth(1900 + int(v[6:8]), int(v[8:10]), int(v[10:12])):
            add(PersonalDataKind.ID_NUMBER, m, False)
    for m in _RE_MOBILE.finditer(text):
        add(PersonalDataKind.MOBILE, m, True)
    for m in _RE_PLATE.finditer(text):
        add(PersonalDataKind.PLATE, m, True)
    for m in _RE_EMAIL.finditer(text):
        add(PersonalDataKind.EMAIL, m, False)
    for m in _RE_LANDLINE.finditer(text):
        add(PersonalDataKind.LANDLINE, m, False)
    for m in _RE_BIRTH.finditer(text):
        add(PersonalDataKind.BIRTH_DATE, m, False, group=1)
    hits.sort(key=lambda h: h.start)
    return hits


# First two digits of an ID number: the province-level region codes of GB/T 2260.
_ID_REGIONS = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)


def mask_value(kind: PersonalDataKind | str, value: str) -> str:
    """The de-identified form: 640104********3013, 139****5678, ************1234, 宁A***45."""
    kind = PersonalDataKind(kind)
    if kind == PersonalDataKind.ID_NUMBER:
        v = value.strip()
        return v[:6] + "*" * (len(v) - 10) + v[-4:]
    if kind == PersonalDataKind.MOBILE:
        d = _digits(value)[-11:]
        return d[:3] + "****" + d[-4:]
    if kind == PersonalDataKind.BANK_CARD:
        d = _digits(value)
        return "*" * (len(d) - 4) + d[-4:]
    if kind == PersonalDataKind.PLATE:
        v = re.sub(r"[·・•.\s]", "", value)
        return v[:2] + "*" * (len(v) - 4) + v[-2:]
    if kind == PersonalDataKind.EMAIL:
        name, _, domain = value.partition("@")
        return (name[:1] or "*") + "***@" + domain
    if kind == PersonalDataKind.LANDLINE:
        m = re.match(r"[(（]?(0\d{2,3})[)）]?[\s-]?(\d+)(.*)", value)
        if m:
            number = m.group(2)
            return f"{m.group(1)}-{'*' * (len(number) - 2)}{number[-2:]}"
        return re.sub(r"\d", "*", value)
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
