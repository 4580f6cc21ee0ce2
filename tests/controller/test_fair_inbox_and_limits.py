from __future__ import annotations

from hall.controller.fair_inbox import FairInbox
from hall.controller.rate_limits import MAX_BUCKETS, Limit, RateLimiter

LIMIT = Limit("tickets", "取号", burst=3, per_minute=60)


def test_senders_take_turns_however_much_one_of_them_sent():
    inbox: FairInbox[str] = FairInbox(per_sender=100)
    for i in range(50):
        inbox.put("flooder", f"f{i}")
    inbox.put("citizen", "c0")
    assert [inbox.get(0) for _ in range(3)] == ["f0", "c0", "f1"]


def test_a_sender_with_too_much_waiting_is_refused_unless_its_message_may_not_be_dropped():
    inbox: FairInbox[int] = FairInbox(per_sender=2)
    assert [inbox.put("a", i) for i in range(3)] == [True, True, False]
    assert inbox.put("a", 3, droppable=False)
    assert inbox.refused == 1 and len(inbox) == 3


def test_urgent_items_come_first_and_an_empty_inbox_times_out():
    inbox: FairInbox[str] = FairInbox()
    inbox.put("a", "x")
    inbox.put_urgent("wake")
    assert [inbox.get(0), inbox.get(0), inbox.get(0.01)] == ["wake", "x", None]


def test_a_limit_allows_its_burst_then_refills_with_time():
    limiter = RateLimiter()
    assert [limiter.allow("kiosk-1", LIMIT, 0.0) for _ in range(4)] == [True] * 3 + [False]
    assert limiter.allow("kiosk-2", LIMIT, 0.0)
    assert limiter.allow("kiosk-1", LIMIT, 1.0) and not limiter.allow("kiosk-1", LIMIT, 1.0)


def test_scale_zero_turns_limits_off_and_buckets_stay_bounded():
    assert all(RateLimiter(0).allow("k", LIMIT, 0.0) for _ in range(100))
    limiter = RateLimiter()
    for i in range(MAX_BUCKETS + 50):
        limiter.allow(f"kiosk-{i}", LIMIT, 0.0)
    assert len(limiter) == MAX_BUCKETS
