"""The kiosk's pure parts: search by pinyin initials, rating codes, explanations, wording."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from hall.core.rating_token import sign_rating_token
from hall.protocol import messages as m
from kiosk.guide_index import GuideIndex, initials_of
from kiosk.screen_state import (
    KioskState,
    Purpose,
    Screen,
    back_of,
    check_scanned_rating,
    explain,
    mask_phone_typed,
    tracking_number_of,
)
from kiosk.texts import TEXTS
from tests.kiosk.conftest import GUIDES
from tests.support import SHANGHAI

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI)
KEY = b"0123456789abcdef0123456789abcdef"
# 附件3 服务禁忌用语: none of these may be said or shown by the kiosk.
FORBIDDEN = ("我不知道", "反正我没有办法", "没看见我正在忙", "我不是刚才已经说过", "规定就是这样",
             "你去反映好了", "我们不可能有错", "这不关我的事", "你去找别人", "这事情我们不管",
             "你去投诉好了", "你去找领导")


@pytest.mark.parametrize(("typed", "first"), [("ydjy", "异地就医备案"), ("YDJYBA", "异地就医备案"),
                                              ("cbdj", "参保登记"), ("mzmtb", "门诊慢特病待遇认定"),
                                              ("sg", "医疗费用手工(零星)报销"),
                                              ("yljz", "医疗救助待遇申请")])
def test_pinyin_initials_find_the_item(typed, first):
    assert GuideIndex(GUIDES).search(typed)[0].name_zh == first


def test_initials_read_polyphones_as_the_phrase_says():
    assert initials_of("参保缴费凭证打印") == "cbjfpzdy"
    assert initials_of("医疗费用手工(零星)报销") == "ylfysglxbx"
    assert GuideIndex(GUIDES).search("qqq") == ()


def test_items_are_grouped_in_categories_that_cover_the_catalogue():
    index = GuideIndex(GUIDES)
    assert [c.name_zh for c in index.categories] == ["参保登记", "异地就医", "待遇申请", "费用报销",
                                                     "查询打印"]
    assert sorted(code for c in index.categories for code in c.codes) == sorted(
        g.code for g in GUIDES)


def test_the_sample_guides_tell_everything_at_once():
    for guide in GUIDES:
        assert guide.materials and guide.conditions and guide.time_limit and guide.fee
        assert "窗口" in guide.where and guide.category_zh and guide.category_en


def test_a_rating_code_of_this_hall_still_open_is_accepted_from_its_url():
    token = sign_rating_token(KEY, "demo-hall", "20261124-C001", NOW + timedelta(hours=30))
    assert check_scanned_rating(f"https://hall.local/r/{token}", "demo-hall", NOW) == (token, "")


@pytest.mark.parametrize(("scanned", "problem"), [
    ("https://example.com/hello", "rate_code_bad"),
    (sign_rating_token(KEY, "other-hall", "20261124-C001", NOW + timedelta(hours=3)),
     "rate_code_bad"),
    (sign_rating_token(KEY, "demo-hall", "20261124-C001", NOW - timedelta(minutes=1)),
     "rate_code_expired"),
    ("r1.demo-hall.20261124-C001.soon.sig", "rate_code_bad"),
])
def test_a_foreign_damaged_or_expired_rating_code_is_named_before_rating(scanned, problem):
    assert check_scanned_rating(scanned, "demo-hall", NOW) == ("", problem)


@pytest.mark.parametrize(("code", "detail", "key"), [
    ("invalid_appointment", {"reason": "unknown"}, "appt_unknown"),
    ("invalid_appointment", {"reason": "used"}, "appt_used"),
    ("invalid_appointment", {"reason": "expired"}, "appt_expired"),
    ("invalid_rating_token", {"reason": "forged"}, "rate_code_bad"),
    ("invalid_rating_token", {"reason": "expired"}, "rate_code_expired"),
    ("rating_refused", {"reason": "already_rated"}, "rate_already"),
    ("rating_refused", {"reason": "not_finished"}, "rate_not_finished"),
    ("unknown_complaint", None, "lookup_unknown"),
    ("hall_closed", None, "hall_closed"),
    ("numbers_exhausted", None, "numbers_exhausted"),
    ("something_new", None, "failed"),
])
def test_every_refusal_has_a_plain_explanation(code, detail, key):
    notice = explain(m.Rejected(request_id="r", code=code, message="", detail=detail))
    assert notice.key == key


def test_too_early_names_the_time_check_in_opens():
    notice = explain(m.Rejected(request_id="r", code="invalid_appointment", message="", detail={
        "reason": "too_early", "earliest": "2026-11-24T12:00:00+08:00"}))
    assert (notice.key, notice.values) == ("appt_too_early", (("time", "12:00"),))


def test_no_forbidden_phrase_and_every_text_in_both_languages():
    for key, (zh, en) in TEXTS.items():
        assert zh and en, key
        assert not any(phrase in zh for phrase in FORBIDDEN), key


def test_a_fresh_state_keeps_the_hall_and_forgets_the_citizen():
    state = KioskState(screen=Screen.COMPLAINT_PHONE, large=True, typed="139")
    fresh = state.fresh()
    assert (fresh.screen, fresh.large, fresh.typed, fresh.hall) == (Screen.HOME, False, "",
                                                                     state.hall)


def test_back_leads_one_step_up():
    assert back_of(KioskState(screen=Screen.CATEGORIES, purpose=Purpose.PRIORITY)) is \
        Screen.PRIORITY_REASONS
    assert back_of(KioskState(screen=Screen.GUIDE, category="")) is Screen.GUIDE_SEARCH
    assert back_of(KioskState(screen=Screen.COMPLAINT_CONFIRM)) is Screen.COMPLAINT_PHONE


def test_typed_numbers_are_shaped_and_masked():
    assert tracking_number_of("202611240001") == "TS20261124-0001"
    assert tracking_number_of("2026") == "TS2026"
    assert mask_phone_typed("13812345678") == "138****5678"


def test_the_voice_reads_a_ticket_number_digit_by_digit():
    from kiosk.spoken import spoken_number_zh

    assert spoken_number_zh("C012") == "C 零 一 二"
