"""Personal-data detection and masking (隐私信息要遮掩)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from privacy_forms import FORMS, Form, leaks

from desktop_app.domain.privacy import (
    PersonalDataKind,
    find_personal_data,
    id_checksum_ok,
    luhn_ok,
    mask_all,
    mask_text,
    mask_value,
)

DATA = Path(__file__).resolve().parent.parent / "data"

ID = "11010519491231002X"  # the GB 11643 example number
ID2 = "640104199001013013"


def _id_with_check(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c) * w for c, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


def _card_with_luhn(first: str) -> str:
    for d in "0123456789":
        if luhn_ok(first + d):
            return first + d
    raise AssertionError


def test_id_checksum_including_x() -> None:
    assert id_checksum_ok(ID)
    assert id_checksum_ok(ID.lower())
    assert id_checksum_ok(_id_with_check("64010419900101301"))
    assert not id_checksum_ok("110105194912310021")


def test_finds_id_number_and_masks_first6_last4() -> None:
    good = _id_with_check("64010419900101301")
    hits = find_personal_data(f"申请人身份证号{good}，已核实。")
    assert [(h.kind, h.value, h.certain) for h in hits] == [(PersonalDataKind.ID_NUMBER, good, True)]
    assert mask_value("id_number", good) == good[:6] + "********" + good[-4:]


def test_wrong_check_digit_is_only_likely() -> None:
    good = _id_with_check("64010419900101301")
    bad = good[:17] + ("1" if good[17] != "1" else "2")
    hits = find_personal_data(bad)
    assert len(hits) == 1 and not hits[0].certain


def test_old_15_digit_id_is_likely() -> None:
    hits = find_personal_data("旧证号640104900101301。")
    assert [(h.kind, h.certain) for h in hits] == [(PersonalDataKind.ID_NUMBER, False)]


def test_mobile_numbers_plain_and_spaced() -> None:
    text = "联系人电话13912345678，备用139 1234 5678，另一个139-1234-5678。"
    hits = find_personal_data(text)
    assert [h.kind for h in hits] == [PersonalDataKind.MOBILE] * 3
    assert all(mask_value(h.kind, h.value) == "139****5678" for h in hits)
    assert mask_all(text) == "联系人电话139****5678，备用139****5678，另一个139****5678。"


def test_not_inside_longer_digit_runs() -> None:
    assert find_personal_data("编号2139123456789012345678901") == []
    assert find_personal_data("文号12345678901234") == []


def test_bank_card_luhn() -> None:
    card = _card_with_luhn("622202123456789012")  # 19 digits
    hits = find_personal_data(f"退款至银行卡{card}。")
    assert [(h.kind, h.certain) for h in hits] == [(PersonalDataKind.BANK_CARD, True)]
    assert mask_value("bank_card", card) == "*" * 15 + card[-4:]
    not_luhn = card[:-1] + str((int(card[-1]) + 1) % 10)
    assert find_personal_data(not_luhn) == []


def test_car_plates() -> None:
    hits = find_personal_data("车辆京A12345与宁A·D12345、宁AD12345均已登记")
    assert [h.kind for h in hits] == [PersonalDataKind.PLATE] * 3
    assert mask_value("plate", "宁A12345") == "宁A***45"
    assert mask_value("plate", "宁A·D12345") == "宁A****45"


def test_likely_ones() -> None:
    text = "邮箱zhang.san@example.com，电话0951-1234567，出生日期：1990年1月1日。"
    hits = find_personal_data(text)
    kinds = {h.kind: h for h in hits}
    assert set(kinds) == {PersonalDataKind.EMAIL, PersonalDataKind.LANDLINE, PersonalDataKind.BIRTH_DATE}
    assert not any(h.certain for h in hits)
    assert kinds[PersonalDataKind.BIRTH_DATE].value == "1990年1月1日"
    masked = mask_text(text, hits)
    assert "zhang.san" not in masked and "1234567" not in masked and "1990" not in masked
    assert "0951-*****67" in masked


def test_ordinary_ledger_text_has_no_hits() -> None:
    text = (
        "在“双随机一公开”栏目公示行政处罚信息 9 件，2023年8月15日前报送；"
        "实地查看银川市 12345 热线；国发〔2021〕26 号；宁夏回族自治区。"
    )
    assert find_personal_data(text) == []


def test_id_takes_precedence_over_card() -> None:
    hits = find_personal_data(ID)
    assert [h.kind for h in hits] == [PersonalDataKind.ID_NUMBER]
    assert ID2 and mask_value("id_number", ID) == "110105********002X"


# ---------------------------------------------------------------- the written forms (privacy_forms.py)


def test_the_table_holds_at_least_30_forms_of_every_kind() -> None:
    assert len(FORMS) >= 30 and len({f.id for f in FORMS}) == len(FORMS)
    assert {f.kind for f in FORMS} == set(PersonalDataKind)


@pytest.mark.parametrize("form", FORMS, ids=str)
def test_every_written_form_is_found_and_masked(form: Form) -> None:
    hits = find_personal_data(form.text)
    assert form.kind in {h.kind for h in hits}, [(h.kind, h.value) for h in hits]
    assert leaks(form.text, (form,)) == [form.id]  # the table row is honest: the secret is in the text
    masked = mask_all(form.text)
    assert leaks(masked, (form,)) == [], masked
    assert find_personal_data(masked) == [], masked  # the masked form is not taken for data again
    assert masked != form.text and "*" in masked


def test_all_forms_in_one_text_are_masked_together() -> None:
    text = "；".join(f.text for f in FORMS)
    masked = mask_all(text)
    assert leaks(masked) == [] and find_personal_data(masked) == []


@pytest.mark.parametrize(
    "text",
    [
        "建立联系人制度，明确联系人，负责人要及时报送",
        "负责人：市教育局办公室",
        "2023-2025年每年12月5日前报送，文号宁政办发〔2023〕12号",
        "公开行政处罚信息 1 3 5 7 9 件",
        "办件量 1234 5678 件次（两年合计）",
        "云计算平台、新ERP系统上线",
        "银川市12345政务服务便民热线",
    ],
)
def test_ordinary_text_with_labels_and_numbers_has_no_hits(text: str) -> None:
    assert find_personal_data(text) == []


def _document_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return re.sub(r"<[^>]+>", "", re.sub(r"</w:p>", "\n", xml))


def test_fixture_ledgers_give_few_plausible_hits() -> None:
    """The four real ledgers hold one published office hotline (0951—5556666) and no personal data."""
    hits = []
    for path in sorted(DATA.glob("*.docx")):
        hits += [(path.name, h) for h in find_personal_data(_document_text(path))]
    assert [(name, h.kind, h.value, h.certain) for name, h in hits] == [
        ("city-2023.docx", PersonalDataKind.LANDLINE, "0951—5556666", False)
    ]
