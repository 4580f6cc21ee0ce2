"""Registers complaints from the kiosk and the counter, and answers the progress lookup."""
from __future__ import annotations

from datetime import datetime

from hall.controller.complaint_handling_desk import ComplaintHandlingDesk, UnknownComplaint
from hall.core.catalogue import Catalogue
from hall.core.complaint_handling import STATUS_ZH, ComplaintChannel, Handling
from hall.core.complaints import Complaint
from hall.core.work_calendar import WorkCalendar
from hall.protocol import messages as m
from hall.store import SqliteStore

__all__ = ["ComplaintDesk", "UnknownComplaint"]


class ComplaintDesk:
    def __init__(self, store: SqliteStore, catalogue: Catalogue,
                 calendar: WorkCalendar | None = None) -> None:
        self._store = store
        self.handling = ComplaintHandlingDesk(
            store, catalogue, calendar or WorkCalendar(
                covered_years=frozenset(), hall_closures=catalogue.hours.closed_dates,
                hall_openings=frozenset(catalogue.hours.extra_workdays)))

    def handle(self, intent: m.FileComplaint | m.LookupComplaint, device_id: str,
               now: datetime) -> m.ComplaintAnswer:
        if isinstance(intent, m.LookupComplaint):
            handling = self.handling.handling(intent.tracking_number)
            found = self._store.complaint_status(intent.tracking_number)
            assert found is not None
            return _progress(intent.request_id, m.ComplaintCategory(found[0]), handling)
        channel = ComplaintChannel.COUNTER if device_id.startswith("counter-") \
            else ComplaintChannel.KIOSK

        def answer_of(c: Complaint, h: Handling) -> m.ComplaintAnswer:
            return _progress(intent.request_id, c.category, h)

        answer = self.handling.register(intent, channel, device_id, device_id, now, answer_of)
        assert isinstance(answer, m.ComplaintAnswer)
        return answer


def _progress(request_id: str, category: m.ComplaintCategory, h: Handling) -> m.ComplaintAnswer:
    """What the kiosk's progress lookup shows: status and dates, nothing personal."""
    return m.ComplaintAnswer(
        request_id=request_id, tracking_number=h.tracking_number, category=category,
        status=h.status.value, registered_at=h.registered_at, answer_due=h.answer_due,
        status_zh=STATUS_ZH[h.status], first_contact_due=h.first_contact_due,
        transferred_to=h.department, closed_at=h.closed_at, provisional_due=h.provisional_due)
