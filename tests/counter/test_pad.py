"""The rating pad facing the citizen, against the real controller and broker."""
from __future__ import annotations

from PySide6.QtCore import Qt

from counter.pad_flow import PadScreen
from counter.widgets import clipped_texts
from hall.protocol import messages as m
from tests.counter.conftest import plain, save_png
from tests.support import STAFF_PIN


def serve(app, kiosk, counter, items=("cross_region_filing",)):
    kiosk.request(m.TakeTicket, business="cross_region_filing")
    counter.request(m.CallNext, window=3)
    counter.request(m.Finish, window=3, items=items)


def signed_in_counter(make_device, broker):
    counter, _ = make_device(broker, "counter-3", m.Role.COUNTER)
    assert isinstance(counter.request(m.SignIn, window=3, staff_id="YB0103", pin=STAFF_PIN),
                      m.Accepted)
    return counter


def test_the_idle_pad_shows_the_staff_card_and_hours(qtbot, broker, controller, make_device,
                                                     make_counter):
    app = make_counter(broker, window=3)
    signed_in_counter(make_device, broker)
    qtbot.waitUntil(lambda: app.pad.idle_name.text() == "张敏", timeout=5_000)
    assert app.pad.idle_id.text() == "工号 YB0103"
    assert app.pad.idle_hours.text().startswith("今日服务时间 ")
    save_png(app.pad, "pad-idle")
    assert clipped_texts(app.pad) == []
    from PySide6.QtWidgets import QLabel

    photos = [w for w in app.pad.idle.findChildren(QLabel) if w.text() == "张" and w.isVisible()]
    assert len(photos) == 1  # the clerk's photo, or the circle with the surname


def test_a_good_rating_is_one_tap_and_covers_every_batch_item(
        qtbot, broker, controller, make_device, make_counter):
    app = make_counter(broker, window=3)
    kiosk, _ = make_device(broker, "kiosk-1")
    counter = signed_in_counter(make_device, broker)
    serve(app, kiosk, counter, items=("cross_region_filing", "relationship_transfer"))
    qtbot.waitUntil(lambda: app.flow.screen is PadScreen.RATING, timeout=5_000)
    assert "异地就医备案、医保关系转移接续" in app.pad.rating_items.text()
    qtbot.mouseClick(app.pad.sub_buttons[("attitude", m.RatingLevel.VERY_SATISFIED)],
                     Qt.MouseButton.LeftButton)
    chosen = app.pad.sub_buttons[("attitude", m.RatingLevel.VERY_SATISFIED)]
    assert chosen.text() == "✓ 非常满意"
    assert app.pad.sub_buttons[("attitude", m.RatingLevel.SATISFIED)].text() == "满意"
    save_png(app.pad, "pad-rating")
    assert clipped_texts(app.pad) == []
    qtbot.mouseClick(app.pad.level_buttons[m.RatingLevel.VERY_SATISFIED],
                     Qt.MouseButton.LeftButton)
    assert app.flow.screen is PadScreen.THANKS
    save_png(app.pad, "pad-thanks")
    qtbot.waitUntil(lambda: isinstance(app.last_rating_answer, m.Accepted), timeout=5_000)
    [rating] = controller.store.ratings_of_day(controller.state.service_day)
    assert rating.items == ("cross_region_filing", "relationship_transfer")
    assert rating.sub_scores == {"attitude": m.RatingLevel.VERY_SATISFIED}
    assert list(app.outbox.directory.glob("*.json")) == []


def test_a_bad_rating_needs_a_reason_before_it_is_sent(
        qtbot, broker, controller, make_device, make_counter):
    app = make_counter(broker, window=3)
    kiosk, _ = make_device(broker, "kiosk-1")
    serve(app, kiosk, signed_in_counter(make_device, broker))
    qtbot.waitUntil(lambda: app.flow.screen is PadScreen.RATING, timeout=5_000)
    qtbot.mouseClick(app.pad.level_buttons[m.RatingLevel.DISSATISFIED], Qt.MouseButton.LeftButton)
    assert app.flow.screen is PadScreen.REASONS
    qtbot.mouseClick(app.pad.send, Qt.MouseButton.LeftButton)
    assert app.pad.reason_message.text() == "请至少选择一项原因"
    assert app.flow.screen is PadScreen.REASONS
    qtbot.mouseClick(app.pad.reason_buttons["long_wait"], Qt.MouseButton.LeftButton)
    assert app.pad.reason_message.text() == ""
    assert app.pad.reason_buttons["long_wait"].text() == "✓ 等候时间过长"
    assert app.pad.reason_buttons["slow"].text() == "办理效率低"
    assert app.pad.chosen_level.text() == "您的评价：不满意"
    assert "other" not in app.pad.reason_buttons  # it needs typed words; pads have no keyboard
    save_png(app.pad, "pad-reasons")
    assert clipped_texts(app.pad) == []
    qtbot.mouseClick(app.pad.send, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(app.last_rating_answer, m.Accepted), timeout=5_000)
    [rating] = controller.store.ratings_of_day(controller.state.service_day)
    assert (rating.level, rating.reasons) == (m.RatingLevel.DISSATISFIED, ("long_wait",))


def test_an_unrated_service_returns_the_pad_to_idle_and_stays_rateable_by_receipt(
        qtbot, broker, controller, make_device, make_counter, clock):
    app = make_counter(broker, window=3)
    kiosk, _ = make_device(broker, "kiosk-1")
    ticket = kiosk.request(m.TakeTicket, business="cross_region_filing")
    counter = signed_in_counter(make_device, broker)
    counter.request(m.CallNext, window=3)
    counter.request(m.Finish, window=3)
    qtbot.waitUntil(lambda: app.flow.screen is PadScreen.RATING, timeout=5_000)
    assert app.rating_link.startswith("https://hall.example/rate/r/")
    clock.advance(seconds=61)
    qtbot.waitUntil(lambda: app.flow.screen is PadScreen.IDLE, timeout=5_000)
    clock.advance(hours=3)
    later = kiosk.request(m.SubmitRating, rating_token=ticket.rating_token,
                          level=m.RatingLevel.SATISFIED)
    assert isinstance(later, m.Accepted)


def test_a_rating_given_while_the_broker_is_down_is_delivered_once_after_it_returns(
        qtbot, private_broker, make_controller, make_device, make_counter):
    controller = make_controller(private_broker)
    app = make_counter(private_broker, window=3)
    kiosk, _ = make_device(private_broker, "kiosk-1")
    serve(app, kiosk, signed_in_counter(make_device, private_broker))
    qtbot.waitUntil(lambda: app.flow.screen is PadScreen.RATING, timeout=5_000)
    private_broker.stop()
    qtbot.waitUntil(lambda: not app.pad_client.is_connected, timeout=10_000)
    qtbot.mouseClick(app.pad.level_buttons[m.RatingLevel.SATISFIED], Qt.MouseButton.LeftButton)
    assert app.flow.screen is PadScreen.THANKS
    assert len(list(app.outbox.directory.glob("*.json"))) == 1
    private_broker.start()
    qtbot.waitUntil(lambda: isinstance(app.last_rating_answer, m.Accepted), timeout=30_000)
    assert list(app.outbox.directory.glob("*.json")) == []
    assert len(controller.store.ratings_of_day(controller.state.service_day)) == 1


def test_the_same_rating_sent_twice_is_recorded_once(qtbot, broker, controller, make_device,
                                                     make_counter):
    app = make_counter(broker, window=3)
    kiosk, _ = make_device(broker, "kiosk-1")
    serve(app, kiosk, signed_in_counter(make_device, broker))
    qtbot.waitUntil(lambda: app.flow.screen is PadScreen.RATING, timeout=5_000)
    invite = app.flow.invite
    pad = app.pad_client
    intent = m.SubmitRating(request_id="same-request", reply_to=pad.topics.reply(pad.device_id),
                            ticket_id=invite.ticket_id, level=m.RatingLevel.SATISFIED)
    for _ in range(2):
        pad.resend(intent)
        assert isinstance(pad.answer(intent, 5), m.Accepted)
    assert len(controller.store.ratings_of_day(controller.state.service_day)) == 1


def test_the_window_screen_shows_the_number_in_service_and_the_staff_card(
        qtbot, broker, controller, make_device, make_counter):
    app = make_counter(broker, window=3)
    kiosk, _ = make_device(broker, "kiosk-1")
    counter = signed_in_counter(make_device, broker)
    kiosk.request(m.TakeTicket, business="cross_region_filing")
    counter.request(m.CallNext, window=3)
    qtbot.waitUntil(lambda: app.screen.current.text() == "请 C001 号", timeout=5_000)
    assert app.screen.staff_name.text() == "张敏"
    save_png(app.screen, "window-screen-serving")
    assert clipped_texts(app.screen) == []
    from tests.counter.test_terminal import assert_window_number_uncovered

    assert_window_number_uncovered(app.screen)


def test_a_window_nobody_signed_in_to_says_so_large_under_its_number(
        qtbot, broker, controller, make_counter):
    from tests.counter.test_terminal import assert_window_number_uncovered

    app = make_counter(broker, window=8)
    qtbot.waitUntil(lambda: "暂停服务" in plain(app.screen.sign.text()), timeout=5_000)
    assert app.screen.window_name.text() == "综合窗口"
    save_png(app.screen, "window-screen-closed")
    assert clipped_texts(app.screen) == []
    assert_window_number_uncovered(app.screen)


def test_the_five_levels_come_first_and_largest_with_the_kiosks_words_below(
        qtbot, broker, controller, make_device, make_counter):
    from hall.public_texts import RATING_LEVEL_TEXT
    from kiosk.texts import LEVEL_SHORT_ZH

    app = make_counter(broker, window=3)
    kiosk, _ = make_device(broker, "kiosk-1")
    serve(app, kiosk, signed_in_counter(make_device, broker))
    qtbot.waitUntil(lambda: app.flow.screen is PadScreen.RATING, timeout=5_000)
    level = app.pad.level_buttons[m.RatingLevel.SATISFIED]
    sub = app.pad.sub_buttons[("efficiency", m.RatingLevel.SATISFIED)]
    assert level.mapTo(app.pad, level.rect().topLeft()).y() < sub.mapTo(
        app.pad, sub.rect().topLeft()).y()
    assert level.height() > 2 * sub.height() and level.font().pixelSize() > sub.font().pixelSize()
    for (_, lv), b in app.pad.sub_buttons.items():
        assert b.text() == RATING_LEVEL_TEXT[lv][0] == LEVEL_SHORT_ZH[lv.value].replace("\n", "")


def test_the_pads_timeout_runs_on_real_seconds_when_the_hall_clock_is_sped_up(
        qtbot, broker, controller, make_device, hall_id, tmp_path, clock):
    from counter.app import CounterApp, CounterConfig
    from tests.conftest import device_settings
    from tests.support import FakeClock

    real = FakeClock()
    app = CounterApp(CounterConfig(
        hall_id=hall_id, window=3, mqtt=device_settings(broker), pad_mqtt=device_settings(broker),
        outbox_dir=tmp_path / "outbox"), clock=clock, pad_clock=real)
    for widget in app.widgets.values():
        qtbot.addWidget(widget)
    app.start()
    try:
        qtbot.waitUntil(lambda: app.pad_client.is_connected and app.client.is_connected,
                        timeout=10_000)
        kiosk, _ = make_device(broker, "kiosk-1")
        serve(app, kiosk, signed_in_counter(make_device, broker))
        qtbot.waitUntil(lambda: app.flow.screen is PadScreen.RATING, timeout=5_000)
        clock.advance(minutes=30)  # half an hour of a demo's fast hall clock
        app._tick()
        assert app.flow.screen is PadScreen.RATING
        real.advance(seconds=61)
        app._tick()
        assert app.flow.screen is PadScreen.IDLE
    finally:
        app.stop()
