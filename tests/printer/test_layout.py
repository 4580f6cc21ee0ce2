from __future__ import annotations

from dataclasses import replace

import pytest

from hall.config import SAMPLE_GUIDES, SAMPLE_HALL, load_config, load_guides
from printer.layout import Paper, Text, guide_slip, mask_id_number, mask_name, mask_phone
from printer.raster import columns_of, wrap


@pytest.mark.parametrize(("name", "shown"), [
    ("张三", "张*"), ("张三丰", "张**"), ("欧阳娜娜", "欧阳**"), ("李", "李"), ("", ""),
    ("王先生", "王先生"), ("王小明先生", "王先生"), ("欧阳女士", "欧阳女士"), ("王生", "王*"),
])
def test_names_are_masked_on_public_slips_by_surname_and_title_never_as_a_real_looking_name(
        name, shown):
    assert mask_name(name) == shown


@pytest.mark.parametrize(("id_number", "shown"), [
    ("110105194912310021", "**************0021"), ("12345", "*2345"), ("", ""),
])
def test_id_numbers_show_only_their_last_four_characters(id_number, shown):
    assert mask_id_number(id_number) == shown


@pytest.mark.parametrize(("phone", "shown"), [
    ("13812345678", "138****5678"), ("0519-8888", "051**8888"), ("110", "***"),
])
def test_phone_numbers_are_masked(phone, shown):
    assert mask_phone(phone) == shown


@pytest.mark.parametrize("columns", [16, 24, 32, 48])
def test_wrapped_lines_fit_the_paper_and_lose_no_character(columns):
    text = "您已领取 A005 号，前方等待 3 人。Filing for medical treatment in another region（异地）"
    lines = wrap(text, columns)
    assert all(columns_of(line) <= columns for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert not any(line[:1] in "，。）" for line in lines)


def test_every_business_of_the_sample_hall_has_a_complete_guide():
    catalogue = load_config(SAMPLE_HALL, env={"HALL_MQTT_PASSWORD": "x"}).catalogue
    guides = load_guides(SAMPLE_GUIDES, catalogue)
    assert set(guides) == {b.code for b in catalogue.businesses}
    slip = guide_slip(catalogue.name_zh, guides["cross_region_filing"], Paper.MM58)
    texts = [op.text for op in slip if isinstance(op, Text)]
    assert "一次性告知单" in texts
    assert any("异地就医备案登记表" in t for t in texts)


def test_a_wait_range_from_the_controller_is_printed_as_a_range_else_the_single_estimate():
    from datetime import datetime
    from types import SimpleNamespace

    from printer.layout import TicketSlip, ticket_slip
    from printer.slips import wait_range_of

    assert wait_range_of(SimpleNamespace(est_wait_low_min=12, est_wait_high_min=20)) == (12, 20)
    assert wait_range_of(SimpleNamespace(est_wait_low_min=None, est_wait_high_min=None)) is None
    slip = TicketSlip("大厅", "A001", "参保登记", "Enrollment", 3, 15, datetime(2026, 11, 24, 9),
                      "normal", "token", wait_range=(12, 20))
    texts = [op.text for op in ticket_slip(slip, Paper.MM58) if isinstance(op, Text)]
    assert "预计等待约 12–20 分钟" in texts
    texts = [op.text for op in ticket_slip(replace(slip, wait_range=None), Paper.MM58)
             if isinstance(op, Text)]
    assert "预计等待约 15 分钟" in texts
