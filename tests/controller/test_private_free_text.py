"""Issue 11, finding 2: free text only clerks need stays off the topics every device reads."""
from __future__ import annotations

from hall.protocol import encode
from hall.protocol import messages as m
from tests.support import STAFF_PIN

ID_NUMBER = "110105199001011234"
PHONE = "13912345678"


def test_a_transfer_note_and_a_green_channel_reason_reach_only_the_clerk_masked(
        broker, controller, make_device):
    topics = controller.topics
    kiosk, kiosk_inbox = make_device(broker, "kiosk-1")
    one, _ = make_device(broker, "counter-1", m.Role.COUNTER)
    three, three_inbox = make_device(broker, "counter-3", m.Role.COUNTER)
    wall, public = make_device(broker, "wall-1", m.Role.WALL,
                               subscriptions=(topics.all_state, topics.all_events))
    one.request(m.SignIn, window=1, staff_id="YB0101", pin=STAFF_PIN)
    three.request(m.SignIn, window=3, staff_id="YB0103", pin=STAFF_PIN)
    ticket = kiosk.request(m.TakeTicket, business="enrollment", priority=True,
                           priority_reason=f"孕妇 {PHONE}", helper_name="李四")
    assert ticket.ticket.priority_reason == "孕妇 139****5678"  # the asking kiosk, masked
    one.request(m.CallNext, window=1)
    note = f"请核对身份证{ID_NUMBER}，电话{PHONE}"
    one.request(m.Transfer, window=1, to_window=3, to_business="cross_region_filing", note=note)
    assert three.request(m.CallNext, window=3).number == ticket.ticket.number

    detail = three_inbox.wait_for(lambda t, msg: isinstance(msg, m.WindowDetail)
                                  and msg.ticket_id == ticket.ticket.ticket_id)[1]
    assert detail.transfer_note == "请核对身份证1101**********1234，电话139****5678"
    assert (detail.priority_reason, detail.helper_name) == ("孕妇 139****5678", "李四")
    assert detail.transferred_from == 1
    public.wait_for(lambda t, msg: isinstance(msg, m.WindowState) and msg.window == 3
                    and msg.ticket_number == ticket.ticket.number)
    everything_public = b"".join(encode(msg) for _, msg in public._items)
    for secret in (ID_NUMBER, PHONE, "孕妇", "李四", "请核对"):
        assert secret.encode() not in everything_public, secret
