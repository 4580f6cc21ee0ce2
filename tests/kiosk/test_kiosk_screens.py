"""Every kiosk screen at both sizes, normal and large text: rendered to PNG, no text cut off."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from PySide6.QtCore import QEvent, QRect
from PySide6.QtWidgets import QApplication, QWidget

from hall.protocol import messages as m
from kiosk.guide_index import GuideIndex
from kiosk.layout_check import clipped_texts
from kiosk.screen_state import (
    ComplaintDraft,
    ComplaintResult,
    HallView,
    KioskState,
    Notice,
    Purpose,
    RatingDraft,
    Screen,
    TicketResult,
)
from kiosk.texts import DEFAULT_PRIORITY_REASONS, Lang
from kiosk.view import KioskView
from kiosk.view_model import KioskViewModel
from kiosk.widgets import TouchButton
from tests.kiosk.conftest import GUIDES, OUTPUT
from tests.support import SHANGHAI

NOW = datetime(2026, 11, 24, 10, 5, tzinfo=SHANGHAI)
# From the smallest supported portrait screen up, and the landscape one.
SIZES = [(720, 1280), (1080, 1920), (1920, 1080)]


def hall() -> HallView:
    queue = m.QueueSnapshot(service_day=NOW.date(), is_open=True, updated_at=NOW, businesses=tuple(
        m.BusinessQueue(code=g.code, prefix="ABCDEFGHJK"[i], name_zh=g.name_zh, name_en=g.name_en,
                        waiting=i * 3, priority_waiting=0, windows_open=1 + i % 3,
                        est_wait_min=None if i == 9 else i * 7,
                        est_wait_low_min=None if i == 9 else max(0, i * 7 - 4),
                        est_wait_high_min=None if i == 9 else i * 7 + 6,
                        cut_off="auto" if i == 8 else "",
                        cut_off_zh="预计今日无法办理，建议预约或网上办理" if i == 8 else "",
                        cut_off_en="Likely not served today" if i == 8 else "")
        for i, g in enumerate(GUIDES)))
    return HallView(name_zh="市医疗保障服务大厅", name_en="Municipal Medical Insurance Service Hall",
                    queue=queue, connected=True,
                    windows=tuple((n, m.WindowStatus.IDLE if n < 6 else m.WindowStatus.CLOSED)
                                  for n in range(1, 9)),
                    today=("08:30-10:00", "13:30-17:00"),
                    business_windows=tuple((g.code, (3, 5, 12)) for g in GUIDES))


def every_screen(base: KioskState) -> dict[str, KioskState]:
    ticket = TicketResult("C012", "异地就医备案", "Filing for medical treatment in another region",
                          11, 35, "priority", True, "cross_region_filing", (3, 5, 12))
    closed = replace(base.hall, queue=replace(base.hall.queue, is_open=False))
    no_window = replace(base.hall, queue=replace(base.hall.queue, businesses=tuple(
        replace(b, windows_open=0) if b.code == "manual_reimbursement" else b
        for b in base.hall.queue.businesses)))
    result = ComplaintResult("TS20261124-0001", m.ComplaintCategory.ATTITUDE, "registered", NOW,
                             date(2026, 12, 3), True)
    complaint = ComplaintDraft(m.ComplaintCategory.ATTITUDE, ("rude", "long_wait", "facilities"),
                               "欧", "title_ms", "13812345678")
    states = {
        "home": replace(base, screen=Screen.HOME),
        "priority_reasons": replace(base, screen=Screen.PRIORITY_REASONS, purpose=Purpose.PRIORITY),
        "categories": replace(base, screen=Screen.CATEGORIES, purpose=Purpose.PRIORITY,
                              priority_reason="70岁以上老人"),
        "categories_guide": replace(base, screen=Screen.CATEGORIES, purpose=Purpose.GUIDE),
        "items": replace(base, screen=Screen.ITEMS, category="待遇申请"),
        "items_long": replace(base, screen=Screen.ITEMS, category="费用报销"),
        "busy": replace(base, screen=Screen.BUSY, busy_key="busy_ticket"),
        "ticket": replace(base, screen=Screen.TICKET, ticket=ticket),
        "ticket_unprinted": replace(base, screen=Screen.TICKET, ticket=replace(
            ticket, printed=False, est_wait_min=None, kind="normal")),
        "appointment": replace(base, screen=Screen.APPOINTMENT, typed="YY2026112401"),
        "appointment_phone": replace(base, screen=Screen.APPOINTMENT_PHONE, typed="56",
                                     appointment_code="YY2026112401"),
        "guide_search": replace(base, screen=Screen.GUIDE_SEARCH, typed="cb"),
        "guide": replace(base, screen=Screen.GUIDE, guide_code="cross_region_filing",
                         category="异地就医", guide_printed=True),
        "guide_longest": replace(base, screen=Screen.GUIDE, guide_code="manual_reimbursement"),
        "status": replace(base, screen=Screen.STATUS),
        "rate_scan": replace(base, screen=Screen.RATE_SCAN),
        "rate_level": replace(base, screen=Screen.RATE_LEVEL, rating=RatingDraft("t")),
        "rate_details": replace(base, screen=Screen.RATE_DETAILS, rating=RatingDraft(
            "t", m.RatingLevel.VERY_DISSATISFIED, (("attitude", m.RatingLevel.DISSATISFIED),),
            ("long_wait",))),
        "complaint_category": replace(base, screen=Screen.COMPLAINT_CATEGORY),
        "complaint_reasons": replace(base, screen=Screen.COMPLAINT_REASONS, complaint=complaint),
        "complaint_name": replace(base, screen=Screen.COMPLAINT_NAME, complaint=complaint,
                                  typed="l"),
        "complaint_phone": replace(base, screen=Screen.COMPLAINT_PHONE, complaint=complaint),
        "complaint_confirm": replace(base, screen=Screen.COMPLAINT_CONFIRM, complaint=complaint),
        "complaint_done": replace(base, screen=Screen.COMPLAINT_DONE, complaint_result=result),
        "lookup": replace(base, screen=Screen.LOOKUP, typed="202611240001"),
        "progress": replace(base, screen=Screen.PROGRESS, complaint_result=result),
        "message": replace(base, screen=Screen.MESSAGE, notice=Notice("appt_expired")),
        "offline": replace(base, screen=Screen.HOME, hall=replace(base.hall, connected=False)),
        "home_closed": replace(base, screen=Screen.HOME, hall=closed),
        "categories_no_window": replace(base, screen=Screen.CATEGORIES, hall=no_window),
        "guide_unprinted": replace(base, screen=Screen.GUIDE, guide_code="cross_region_filing",
                                   category="异地就医", guide_printed=False),
        "guide_more_time": replace(base, screen=Screen.GUIDE, guide_code="manual_reimbursement",
                                   asking_more_time=True, more_time_left_s=17),
        "rate_phone": replace(base, screen=Screen.RATE_PHONE, typed="1381234", rating=RatingDraft(
            "t", m.RatingLevel.DISSATISFIED, (), ("long_wait",))),
        "rate_phone_whole": replace(base, screen=Screen.RATE_PHONE, typed="13812345678",
                                    rating=RatingDraft("t", m.RatingLevel.DISSATISFIED, (),
                                                       ("long_wait",))),
        "follow_up": replace(base, screen=Screen.FOLLOW_UP, rating=RatingDraft("t")),
        "follow_up_chosen": replace(base, screen=Screen.FOLLOW_UP,
                                    rating=RatingDraft("t", m.RatingLevel.SATISFIED)),
        "guide_search_word": replace(base, screen=Screen.GUIDE_SEARCH, typed="住院"),
        "rate_scan_typed": replace(base, screen=Screen.RATE_SCAN, typed="A031482913"),
        "reprint": replace(base, screen=Screen.REPRINT, typed="A031"),
        "rate_scan_no_camera": replace(base, screen=Screen.RATE_SCAN, typed="A031482913"),
        "complaint_done_unprinted": replace(base, screen=Screen.COMPLAINT_DONE,
                                            complaint_result=replace(result, printed=False)),
        "complaint_name_picked": replace(base, screen=Screen.COMPLAINT_NAME, complaint=complaint,
                                         typed="o"),
    }
    assert {s.screen for s in states.values()} == set(Screen)
    return states


@pytest.fixture(scope="module")
def view_model():
    vm = KioskViewModel(hall_id="demo-hall", guides=GuideIndex(GUIDES),
                        requester=lambda intent_type, fields: None, printer=None,
                        clock=lambda: NOW, priority_reasons=DEFAULT_PRIORITY_REASONS)
    yield vm
    vm.stop()


@pytest.mark.parametrize("lang", [Lang.ZH, Lang.EN], ids=["zh", "en"])
@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_screen_renders_without_a_clipped_label(qtbot, view_model, width, height, large,
                                                      lang):
    view = KioskView(view_model)
    # Only the states drawn here: the model's own (its link check each second) would replace
    # the screen being saved with the home screen.
    view_model.state_changed.disconnect(view.render_state)
    qtbot.addWidget(view)
    view.resize(width, height)
    view.show()
    folder = OUTPUT / "screens"
    folder.mkdir(parents=True, exist_ok=True)
    problems = {}
    base = KioskState(large=large, lang=lang, hall=hall())
    for name, state in every_screen(base).items():
        view_model.has_camera = not name.endswith("_no_camera")
        view.render_state(state)
        for _ in range(3):
            QApplication.processEvents()
        assert view.state is state
        mode = "large" if large else "normal"
        assert view.grab().save(str(folder / f"{name}-{width}x{height}-{mode}-{lang}.png"))
        clipped = clipped_texts(view) + actions_out_of_sight(view)
        if clipped:
            problems[name] = clipped
    view_model.has_camera = True
    # The forty screens' replaced widgets deleted now, not left to slow the next test.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert problems == {}


def actions_out_of_sight(view: KioskView) -> list[str]:
    """Every button of the fixed bar lies wholly inside the window: nothing to scroll for."""
    bar = view.findChild(QWidget, "action_bar")
    if bar is None:
        return []
    return [f"action {b.text()!r} at {b.mapTo(view, b.rect().topLeft()).toTuple()} is out of sight"
            for b in bar.findChildren(TouchButton) if b.isVisibleTo(view)
            and not view.rect().contains(QRect(b.mapTo(view, b.rect().topLeft()), b.size()))]
