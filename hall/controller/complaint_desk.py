"""Registers complaints with a tracking number and a working-day deadline; looks them up."""
from __future__ import annotations

from datetime import date, datetime

from hall.core.catalogue import Catalogue
from hall.core.complaints import Complaint, file_complaint
from hall.core.errors import HallError
from hall.protocol import encode
from hall.protocol import messages as m
from hall.store import SqliteStore


class UnknownComplaint(HallError):
    """No complaint has that tracking number."""

    code = "unknown_complaint"


class ComplaintDesk:
    def __init__(self, store: SqliteStore, catalogue: Catalogue) -> None:
        self._store = store
        self._catalogue = catalogue

    def handle(self, intent: m.FileComplaint | m.LookupComplaint, device_id: str,
               now: datetime) -> m.ComplaintAnswer:
        if isinstance(intent, m.LookupComplaint):
            found = self._store.complaint_status(intent.tracking_number)
            if found is None:
                raise UnknownComplaint(f"no complaint {intent.tracking_number!r}",
                                       tracking_number=intent.tracking_number)
            category, status, registered_at, answer_due = found
            return m.ComplaintAnswer(
                request_id=intent.request_id, tracking_number=intent.tracking_number.upper(),
                category=m.ComplaintCategory(category), status=status,
                registered_at=datetime.fromisoformat(registered_at),
                answer_due=date.fromisoformat(answer_due))
        if intent.business:
            self._catalogue.business(intent.business)

        def make(sequence: int) -> Complaint:
            return file_complaint(
                sequence=sequence, category=intent.category,
                reasons=intent.reasons, text=intent.text, name=intent.name,
                id_number=intent.id_number, phone=intent.phone, business=intent.business,
                first_responder=device_id, hours=self._catalogue.hours, now=now)

        def answer_of(c: Complaint) -> m.ComplaintAnswer:
            return m.ComplaintAnswer(request_id=intent.request_id,
                                     tracking_number=c.tracking_number,
                                     category=intent.category, status="registered",
                                     registered_at=c.registered_at, answer_due=c.answer_due)

        complaint = self._store.save_complaint(
            make, lambda c: (device_id, intent.request_id, encode(answer_of(c)))
            if intent.request_id else None)
        return answer_of(complaint)
