"""Personal data in the forms people type (隐私信息要遮掩): one row per written form, used by the
detector tests (tests/domain/test_privacy.py) and the public-edition tests (tests/exporters/test_public.py).

Each row: an id, the text a user might type (the form inside a sentence), the kind the detector must
report, and the secrets: strings that must not survive masking. For numbers the secret is the bare digit
string; a test strips separators from the output before searching, so a masked "139-1234-5678" cannot
survive as "13912345678" anywhere."""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop_app.domain.privacy import PersonalDataKind, luhn_ok

K = PersonalDataKind
_FW = str.maketrans(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz@",
    "".join(chr(ord(c) + 0xFEE0) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz@"),
)


def full_width(text: str) -> str:
    return text.translate(_FW)


def id_number(first17: str) -> str:
    """An ID number with a valid GB 11643 check character."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c) * w for c, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


def id_ending_x(region: str, birth: str) -> str:
    """The first ID number with this region and birth date whose check character is X."""
    for seq in range(1000):
        v = id_number(f"{region}{birth}{seq:03d}")
        if v.endswith("X"):
            return v
    raise AssertionError("no X")


def card(first: str) -> str:
    """A bank-card number (Luhn check digit appended)."""
    return next(first + d for d in "0123456789" if luhn_ok(first + d))


def groups(value: str, sizes: tuple[int, ...], sep: str) -> str:
    out, at = [], 0
    for n in sizes:
        out.append(value[at : at + n])
        at += n
    if at < len(value):
        out.append(value[at:])
    return sep.join(out)


@dataclass(frozen=True)
class Form:
    id: str
    text: str  # as typed, inside a sentence
    kind: PersonalDataKind
    secrets: tuple[str, ...]  # digit strings (searched with separators stripped) or names / plates

    def __str__(self) -> str:  # pytest ids
        return self.id


ID_A = id_number("11010119900307231")
ID_B = id_number("64010419850612301")
ID_C = id_number("32010619770101451")
ID_D = id_number("44030519920229123")
ID_X = id_ending_x("510104", "19880815")
ID_E = id_number("37020219950505661")
CARD_19 = card("622202123456789012")
CARD_16A = card("621700123456789")
CARD_16B = card("622848004400123")
CARD_19B = card("621226020012345678")

FORMS: tuple[Form, ...] = (
    # 居民身份证号
    Form("id-plain", f"申请人身份证号{ID_A}已核实", K.ID_NUMBER, (ID_A,)),
    Form("id-spaced-6-8-4", f"身份证：{groups(ID_B, (6, 8), ' ')}，已登记", K.ID_NUMBER, (ID_B,)),
    Form("id-dashed-6-8-4", f"证件号码{groups(ID_C, (6, 8), '-')}。", K.ID_NUMBER, (ID_C,)),
    Form("id-x-lower", f"身份证号码 {ID_X.lower()} 经核查", K.ID_NUMBER, (ID_X.lower(),)),
    Form("id-x-upper-spaced", f"号码：{groups(ID_X, (6, 4, 4), ' ')}", K.ID_NUMBER, (ID_X,)),
    Form("id-6-4-4-4", f"身份证 {groups(ID_D, (6, 4, 4), ' ')} 已录入", K.ID_NUMBER, (ID_D,)),
    Form("id-full-width", f"身份证号{full_width(ID_E)}已备案", K.ID_NUMBER, (ID_E,)),
    Form("id-old-15", "旧身份证号640104850612301。", K.ID_NUMBER, ("640104850612301",)),
    # 手机号码
    Form("mobile-plain", "联系电话13912340001。", K.MOBILE, ("13912340001",)),
    Form("mobile-dashed-3-4-4", "请致电139-1234-0002咨询", K.MOBILE, ("13912340002",)),
    Form("mobile-spaced-3-4-4", "手机 139 1234 0003，工作日", K.MOBILE, ("13912340003",)),
    Form("mobile-plus86-space", "境外来电 +86 139 1234 0004", K.MOBILE, ("13912340004",)),
    Form("mobile-plus86-dash", "电话+86-139-1234-0005。", K.MOBILE, ("13912340005",)),
    Form("mobile-0086-dash", "请拨0086-13912340006联系", K.MOBILE, ("13912340006",)),
    Form("mobile-paren-plus86", "联系（+86）13912340007即可", K.MOBILE, ("13912340007",)),
    Form("mobile-paren-ascii", "联系(+86)139 1234 0008即可", K.MOBILE, ("13912340008",)),
    Form("mobile-plus86-joined", "热线+8613912340009受理", K.MOBILE, ("13912340009",)),
    Form("mobile-full-width", f"手机{full_width('15812340010')}（工作时间）", K.MOBILE, ("15812340010",)),
    Form("mobile-7-4", "手机号1861234 0011。", K.MOBILE, ("18612340011",)),
    Form("mobile-dotted", "电话 177.1234.0012 ", K.MOBILE, ("17712340012",)),
    Form(
        "mobile-full-width-dashed",
        f"手机{full_width('139')}－{full_width('1234')}－{full_width('0013')}",
        K.MOBILE,
        ("13912340013",),
    ),
    # 银行卡号
    Form("card-19-plain", f"退款至银行卡{CARD_19}。", K.BANK_CARD, (CARD_19,)),
    Form("card-16-groups-space", f"账号 {groups(CARD_16A, (4, 4, 4), ' ')} 已退回", K.BANK_CARD, (CARD_16A,)),
    Form("card-16-groups-dash", f"卡号{groups(CARD_16B, (4, 4, 4), '-')}。", K.BANK_CARD, (CARD_16B,)),
    Form("card-19-groups", f"银行账户：{groups(CARD_19B, (4, 4, 4, 4), ' ')}", K.BANK_CARD, (CARD_19B,)),
    # 车牌号码
    Form("plate-plain", "车辆京A12345已登记", K.PLATE, ("京A12345",)),
    Form("plate-lower", "车牌京a54321违停", K.PLATE, ("京A54321",)),
    Form("plate-lower-dot", "粤b·67890已处理", K.PLATE, ("粤B67890",)),
    Form("plate-new-energy", "新能源车宁A·D13579。", K.PLATE, ("宁AD13579",)),
    Form("plate-new-energy-lower", "车辆沪ad24680年检", K.PLATE, ("沪AD24680",)),
    Form("plate-spaced", "号牌 川A 11223，", K.PLATE, ("川A11223",)),
    Form("plate-full-width", f"车牌号{'苏' + full_width('E33445')}已放行", K.PLATE, ("苏E33445",)),
    # 电子邮箱
    Form("email-plain", "邮箱zhang.san@example.com，", K.EMAIL, ("zhang.san@example.com", "zhang.san")),
    Form("email-digits", "发送至 Lisi2023@163.com 备案", K.EMAIL, ("Lisi2023@163.com", "Lisi2023")),
    Form("email-full-width-at", f"邮箱wang_wu{full_width('@')}qq.com", K.EMAIL, ("wang_wu",)),
    # 固定电话
    Form("landline-010", "办公室010-12345678。", K.LANDLINE, ("01012345678",)),
    Form("landline-0951", "咨询0951-7654321，", K.LANDLINE, ("09517654321",)),
    Form("landline-parens", "电话（0951）6012345", K.LANDLINE, ("09516012345",)),
    Form("landline-spaced", "值班 0951 6098765 ", K.LANDLINE, ("09516098765",)),
    Form("landline-extension", "总机010-87654321-801转", K.LANDLINE, ("01087654321",)),
    Form("landline-labelled-local", "联系电话：8123 4567。", K.LANDLINE, ("81234567",)),
    # 联系人 / 经办人 + 姓名
    Form("name-contact-colon", "联系人：张三，负责协调", K.PERSON_NAME, ("张三",)),
    Form("name-handler-comma", "经办人：李四，电话另告", K.PERSON_NAME, ("李四",)),
    Form("name-contact-3-chars", "联系人欧阳娜娜。", K.PERSON_NAME, ("欧阳娜娜",)),
    Form("name-filler", "填报人：王小明 ", K.PERSON_NAME, ("王小明",)),
    Form("name-contact-way", "联系方式：赵六 13812340014", K.PERSON_NAME, ("赵六", "13812340014")),
    Form("name-sign", "经办人（签字）：钱七", K.PERSON_NAME, ("钱七",)),
    Form("name-comrade", "经办人孙八同志已到场", K.PERSON_NAME, ("孙八",)),
    # 出生日期
    Form("birth-date", "出生日期：1990年3月7日，", K.BIRTH_DATE, ("1990年3月7日",)),
)


_HALF = str.maketrans({chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)})
_SEPARATORS = re.compile(r"[\s\u3000\-‐‑‒–—.·・()（）+_/\\]")


def squeeze(text: str) -> str:
    """The text as a search sees it: full-width read as ASCII, separators gone, upper case."""
    return _SEPARATORS.sub("", text.translate(_HALF)).upper()


def leaks(text: str, forms: tuple[Form, ...] = FORMS) -> list[str]:
    """The ids of the forms whose secrets are still in the text, in any written form."""
    flat = squeeze(text)
    return [f.id for f in forms if any(squeeze(s) in flat for s in f.secrets)]
