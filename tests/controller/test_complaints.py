from __future__ import annotations

from datetime import date

from hall.protocol import messages as m


def test_a_complaint_gets_a_tracking_number_and_a_deadline_and_can_be_looked_up(
        broker, controller, make_device):
    kiosk, _ = make_device(broker, "kiosk-1")
    filed = kiosk.request(m.FileComplaint, category=m.ComplaintCategory.HANDLING,
                          reasons=("many_trips", "not_told_at_once"), name="张三丰",
                          id_number="320402195501011234", phone="13812345678",
                          business="manual_reimbursement")
    assert isinstance(filed, m.ComplaintAnswer)
    assert filed.tracking_number == "TS20261124-0001"
    assert filed.answer_due == date(2026, 12, 3)
    second = kiosk.request(m.FileComplaint, category=m.ComplaintCategory.SUGGESTION,
                           text="建议增加老年人座椅")
    assert second.tracking_number == "TS20261124-0002"
    looked_up = kiosk.request(m.LookupComplaint, tracking_number="ts20261124-0001")
    assert isinstance(looked_up, m.ComplaintAnswer)
    assert (looked_up.status, looked_up.category) == ("registered", m.ComplaintCategory.HANDLING)


def test_an_unknown_tracking_number_or_an_empty_complaint_is_explained(broker, controller,
                                                                       make_device):
    kiosk, _ = make_device(broker, "kiosk-1")
    unknown = kiosk.request(m.LookupComplaint, tracking_number="TS20990101-0001")
    assert isinstance(unknown, m.Rejected) and unknown.code == "unknown_complaint"
    empty = kiosk.request(m.FileComplaint, category=m.ComplaintCategory.OTHER)
    assert (empty.code, empty.detail["reason"]) == ("complaint_refused", "reasons")


def test_a_retried_complaint_is_filed_once(broker, controller, make_device):
    kiosk, _ = make_device(broker, "kiosk-1")
    first = kiosk.request(m.FileComplaint, request_id="c-1", category=m.ComplaintCategory.POLICY,
                          reasons=("policy_unclear",))
    again = kiosk.request(m.FileComplaint, request_id="c-1", category=m.ComplaintCategory.POLICY,
                          reasons=("policy_unclear",))
    assert first == again
    third = kiosk.request(m.FileComplaint, category=m.ComplaintCategory.POLICY,
                          reasons=("policy_unclear",))
    assert third.tracking_number == "TS20261124-0002"
