from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hall.core.ids import TicketKind, TicketNumber, TicketStatus
from hall.core.ratings import RatingLevel, RatingRefused, rate
from hall.core.state import Ticket

SH = ZoneInfo("Asia/Shanghai")
FINISHED = datetime(2026, 11, 24, 10, 0, tzinfo=SH)
TICKET = Ticket(ticket_id="20261124-A005", number=TicketNumber("A005"), business="enrollment",
                kind=TicketKind.NORMAL, service_day=FINISHED.date(),
                issued_at=FINISHED - timedelta(minutes=30),
                queued_at=FINISHED - timedelta(minutes=30), status=TicketStatus.FINISHED,
                window=3, staff_id="YB0103", finished_at=FINISHED,
                items=("enrollment", "info_change"))


def submit(ticket=TICKET, *, level=RatingLevel.SATISFIED, sub_scores=None, reasons=(),
           comment="", already=False, at=FINISHED + timedelta(minutes=1)):
    return rate(ticket, rating_id="r1", level=level, sub_scores=sub_scores or {},
                reasons=reasons, comment=comment, channel="pad", already_rated=already,
                valid_s=86400, now=at)


def test_one_rating_covers_every_item_of_the_visit():
    rating = submit(sub_scores={"attitude": RatingLevel.VERY_SATISFIED})
    assert rating.items == ("enrollment", "info_change")
    assert (rating.window, rating.staff_id) == (3, "YB0103")


@pytest.mark.parametrize(("kwargs", "reason"), [
    ({"ticket": replace(TICKET, status=TicketStatus.CALLED, finished_at=None)}, "not_finished"),
    ({"already": True}, "already_rated"),
    ({"at": FINISHED + timedelta(hours=24, seconds=1)}, "expired"),
    ({"level": RatingLevel.DISSATISFIED}, "reason_required"),
    ({"level": RatingLevel.VERY_DISSATISFIED}, "reason_required"),
    ({"level": RatingLevel.DISSATISFIED, "reasons": ("other",)}, "reason_required"),
    ({"level": RatingLevel.DISSATISFIED, "reasons": ("rude_weather",)}, "unknown_reason"),
    ({"sub_scores": {"lighting": RatingLevel.SATISFIED}}, "unknown_indicator"),
    ({"comment": "长" * 301}, "comment_too_long"),
])
def test_a_rating_that_breaks_a_rule_is_refused_with_its_reason(kwargs, reason):
    with pytest.raises(RatingRefused) as refused:
        submit(**kwargs)
    assert refused.value.fields["reason"] == reason


@pytest.mark.parametrize("level", list(RatingLevel))
def test_every_level_is_accepted_with_what_it_needs(level):
    reasons = ("long_wait",) if level.is_bad else ()
    assert submit(level=level, reasons=reasons).level is level


def test_a_rating_within_24_hours_of_the_service_is_accepted():
    assert submit(at=FINISHED + timedelta(hours=23, minutes=59)).channel == "pad"
