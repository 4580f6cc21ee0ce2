from __future__ import annotations

import pytest

from hall.core.masking import mask_personal


@pytest.mark.parametrize(("text", "masked"), [
    ("", ""),
    ("需补充材料", "需补充材料"),
    ("请核对身份证110105199001011234", "请核对身份证1101**********1234"),
    ("身份证 11010519900101123X 已核", "身份证 1101**********123X 已核"),
    ("身份证 110105 19900101 123x", "身份证 1101**********123x"),
    ("电话13912345678请回电", "电话139****5678请回电"),
    ("电话 139 1234 5678", "电话 139****5678"),
    ("电话 139-1234-5678", "电话 139****5678"),
    ("+86 13912345678", "139****5678"),
    ("全角１３９１２３４５６７８", "全角*******５６７８"),
    ("座机 010-62345678", "座机 *******5678"),
    ("卡号 6222020200112233445", "卡号 ***************3445"),
    ("A023 号转 5 号窗口，共 3 份材料", "A023 号转 5 号窗口，共 3 份材料"),
    ("预约码 482913", "预约码 482913"),
    ("两个号 13912345678 和 13800001111", "两个号 139****5678 和 138****1111"),
], ids=lambda value: value[:12])
def test_personal_numbers_in_free_text_are_masked_and_everything_else_kept(text, masked):
    assert mask_personal(text) == masked


def test_masking_twice_changes_nothing_more():
    once = mask_personal("身份证110105199001011234 电话13912345678")
    assert mask_personal(once) == once


def test_a_notice_keeps_the_halls_hotline_but_never_an_id_or_a_mobile_number():
    notice = "咨询电话 0571-87654321，身份证 11010519900101123X，联系人 13912345678"
    assert mask_personal(notice, digit_runs=False) == (
        "咨询电话 0571-87654321，身份证 1101**********123X，联系人 139****5678")
