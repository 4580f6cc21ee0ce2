"""Clerks sign in with 工号 and PIN; wrong PINs lock; each terminal acts only for its window."""
from hall.protocol import messages as m
from hall.store import SqliteStore
from tests.support import STAFF_PIN


def test_a_clerk_with_the_right_pin_is_signed_in_and_a_wrong_pin_says_so(
        broker, controller, make_device):
    counter, _ = make_device(broker, "counter-2", m.Role.COUNTER)
    wrong = counter.request(m.SignIn, window=2, staff_id="YB0102", pin="111111")
    assert isinstance(wrong, m.Rejected)
    assert (wrong.code, wrong.detail["tries_left"]) == ("wrong_pin", "4")
    right = counter.request(m.SignIn, window=2, staff_id="YB0102", pin=STAFF_PIN)
    assert isinstance(right, m.Accepted)
    assert controller.state.window(2).staff_id == "YB0102"


def test_five_wrong_pins_lock_sign_in_even_with_the_right_pin_until_the_lock_ends(
        broker, controller, make_device, clock):
    counter, _ = make_device(broker, "counter-2", m.Role.COUNTER)
    codes = [counter.request(m.SignIn, window=2, staff_id="YB0102", pin=f"97531{i}").code
             for i in range(5)]
    assert codes == ["wrong_pin"] * 4 + ["sign_in_locked"]
    locked = counter.request(m.SignIn, window=2, staff_id="YB0102", pin=STAFF_PIN)
    assert isinstance(locked, m.Rejected) and locked.code == "sign_in_locked"
    assert locked.detail["minutes"] == "10"
    clock.advance(minutes=10)
    assert isinstance(counter.request(m.SignIn, window=2, staff_id="YB0102", pin=STAFF_PIN),
                      m.Accepted)


def test_trying_many_staff_numbers_at_one_terminal_locks_that_terminal(
        broker, controller, make_device):
    counter, _ = make_device(broker, "counter-2", m.Role.COUNTER)
    for staff_id in ("YB0101", "YB0103", "YB0104", "YB0105", "YB0106"):
        counter.request(m.SignIn, window=2, staff_id=staff_id, pin="975310")
    answer = counter.request(m.SignIn, window=2, staff_id="YB0107", pin=STAFF_PIN)
    assert isinstance(answer, m.Rejected) and answer.code == "sign_in_locked"


def test_an_unknown_staff_number_is_answered_like_a_wrong_pin(broker, controller, make_device):
    counter, _ = make_device(broker, "counter-2", m.Role.COUNTER)
    answer = counter.request(m.SignIn, window=2, staff_id="YB9999", pin=STAFF_PIN)
    assert isinstance(answer, m.Rejected) and answer.code == "wrong_pin"


def test_a_clerk_without_a_pin_cannot_sign_in_and_is_told_to_ask_for_one(
        broker, controller, make_device):
    other_connection = SqliteStore(controller.config.store_path)
    other_connection.remove_pin("YB0102")
    other_connection.close()
    counter, _ = make_device(broker, "counter-2", m.Role.COUNTER)
    answer = counter.request(m.SignIn, window=2, staff_id="YB0102", pin=STAFF_PIN)
    assert isinstance(answer, m.Rejected) and answer.code == "pin_not_set"


def test_a_terminal_acts_only_for_its_own_window_and_a_wall_or_pad_cannot_call(
        broker, controller, make_device):
    counter, _ = make_device(broker, "counter-2", m.Role.COUNTER)
    wall, _ = make_device(broker, "wall-1", m.Role.WALL)
    pad, _ = make_device(broker, "pad-2", m.Role.COUNTER)
    kiosk, _ = make_device(broker, "kiosk-1", m.Role.KIOSK)
    assert counter.request(m.SignIn, window=3, staff_id="YB0103", pin=STAFF_PIN).code == \
        "not_permitted"
    for device in (wall, pad, kiosk):
        assert device.request(m.CallNext, window=2).code == "not_permitted"
    assert wall.request(m.TakeTicket, business="enrollment").code == "not_permitted"
    assert isinstance(kiosk.request(m.TakeTicket, business="enrollment"), m.TicketAnswer)


def test_a_lock_at_one_terminal_does_not_keep_the_clerk_out_of_another_and_managers_hear_of_it(
        broker, controller, make_device):
    manager, alerts = make_device(broker, "console-1", m.Role.CONSOLE, user="manager",
                                  subscriptions=(controller.topics.alert,))
    stolen, _ = make_device(broker, "counter-2", m.Role.COUNTER)
    for attempt in range(5):
        stolen.request(m.SignIn, window=2, staff_id="YB0103", pin=f"97531{attempt}")
    alert = alerts.wait_for(lambda t, msg: isinstance(msg, m.HallAlert)
                            and msg.alert == "sign_in_locked")[1]
    assert "2 号窗口" in alert.message_zh and "YB0103" in alert.message_zh
    own, _ = make_device(broker, "counter-3", m.Role.COUNTER)
    assert isinstance(own.request(m.SignIn, window=3, staff_id="YB0103", pin=STAFF_PIN), m.Accepted)
