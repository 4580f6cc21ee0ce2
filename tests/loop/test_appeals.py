"""申诉复核 and the reproducible 5% re-check draw."""
from __future__ import annotations

from datetime import datetime, time

import pytest

from hall.core import appeals as ap
from hall.core.cases import CaseRefused
from hall.core.catalogue import ServiceHours, Session
from hall.core.ratings import Rating, RatingLevel
from hall.official_calendar import work_calendar
from tests.support import SHANGHAI

DAY = (Session(time(9), time(17)),)
CALENDAR = work_calendar(ServiceHours(weekly={d: DAY if d <= 5 else () for d in range(1, 8)}))
RATED = datetime(2026, 9, 29, 15, tzinfo=SHANGHAI)
RATING = Rating(rating_id="r1", ticket_id="t1", service_day=RATED.date(), window=3,
                staff_id="YB0103", items=("enrollment",), level=RatingLevel.VERY_DISSATISFIED,
                rated_at=RATED, channel="pad", reasons=("attitude",))


def appeal(now: datetime) -> ap.Appeal:
    return ap.file_appeal(RATING, appeal_id="S1", filed_by="YB0103", reason="未在我窗口办理",
                          pending_or_upheld=False, window_working_days=5, calendar=CALENDAR,
                          now=now)


def test_an_appeal_within_five_working_days_counts_the_make_up_saturday():
    # 9/30, 10/8, 10/9, 10/10 (调休), 10/12 = 5 working days: still in time
    assert appeal(datetime(2026, 10, 12, 9, tzinfo=SHANGHAI)).rating_id == "r1"
    with pytest.raises(CaseRefused) as late:
        appeal(datetime(2026, 10, 13, 9, tzinfo=SHANGHAI))
    assert late.value.fields["reason"] == "too_late"


def test_only_the_rated_clerk_appeals_and_only_once():
    with pytest.raises(CaseRefused):
        ap.file_appeal(RATING, appeal_id="S1", filed_by="YB0104", reason="x",
                       pending_or_upheld=False, window_working_days=5, calendar=CALENDAR,
                       now=RATED)
    with pytest.raises(CaseRefused):
        ap.file_appeal(RATING, appeal_id="S1", filed_by="YB0103", reason="x",
                       pending_or_upheld=True, window_working_days=5, calendar=CALENDAR,
                       now=RATED)


@pytest.mark.parametrize("decider, role", [("li-manager", ap.DeciderRole.MANAGER),
                                           ("YB0103", ap.DeciderRole.SUPERVISOR)])
def test_neither_the_case_owner_nor_the_appellant_decides(decider, role):
    with pytest.raises(CaseRefused) as refused:
        ap.decide_appeal(appeal(RATED), decided_by=decider, role=role, case_owner="li-manager",
                         upheld=True, exclusion=ap.ExclusionKind.MALICIOUS, reason="x", now=RATED)
    assert refused.value.fields["reason"] == "not_impartial"


def test_a_supervisor_may_decide_even_as_owner_and_an_upheld_appeal_names_its_kind():
    decided = ap.decide_appeal(appeal(RATED), decided_by="li-manager",
                               role=ap.DeciderRole.SUPERVISOR, case_owner="li-manager",
                               upheld=True, exclusion=ap.ExclusionKind.MIS_RATING,
                               reason="评价器误触", now=RATED)
    assert decided.upheld and decided.exclusion is ap.ExclusionKind.MIS_RATING
    with pytest.raises(CaseRefused):
        ap.decide_appeal(decided, decided_by="zhao", role=ap.DeciderRole.MANAGER,
                         case_owner="li-manager", upheld=False, exclusion=None, reason="x",
                         now=RATED)


def test_the_draw_takes_five_percent_rounded_up_and_is_reproducible():
    ids = [f"r{n:03d}" for n in range(101)]
    first = ap.draw_recheck(2026, ids, share=0.05, seed="科室会议 2026-12-01", drawn_by="m",
                            now=RATED)
    again = ap.draw_recheck(2026, list(reversed(ids)), share=0.05, seed="科室会议 2026-12-01",
                            drawn_by="other", now=RATED)
    assert len(first.drawn) == 6 and first.drawn == again.drawn
    other_seed = ap.draw_recheck(2026, ids, share=0.05, seed="another", drawn_by="m", now=RATED)
    assert other_seed.drawn != first.drawn
    assert ap.draw_recheck(2026, ["r1"], share=0.05, seed="s", drawn_by="m",
                           now=RATED).drawn == ("r1",)
    assert ap.draw_recheck(2026, [], share=0.05, seed="s", drawn_by="m", now=RATED).drawn == ()
