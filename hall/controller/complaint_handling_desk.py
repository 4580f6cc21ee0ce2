"""Complaints from every channel, and the console's handling steps, stored with their answers."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from hall.core import complaint_handling as ch
from hall.core.catalogue import Catalogue
from hall.core.complaints import Complaint, ComplaintRefused, file_complaint
from hall.core.errors import HallError
from hall.core.work_calendar import WorkCalendar
from hall.protocol import encode
from hall.protocol import messages as m
from hall.store import SqliteStore
from hall.store.complaint_store import ComplaintStore

MAX_FIELD_CHARS = 60
AnswerOf = Callable[[Complaint, ch.Handling], m.Answer]


class UnknownComplaint(HallError):
    """No complaint has that tracking number."""

    code = "unknown_complaint"


class ComplaintHandlingDesk:
    def __init__(self, store: SqliteStore, catalogue: Catalogue, calendar: WorkCalendar) -> None:
        self.complaints = ComplaintStore(store)
        self._catalogue = catalogue
        self._calendar = calendar

    def register(self, intent: m.FileComplaint | m.RegisterComplaint,
                 channel: ch.ComplaintChannel, responder: str, device_id: str, now: datetime,
                 answer_of: AnswerOf) -> m.Answer:
        """Number, check and store a complaint with its handling and the request's answer."""
        if intent.business:
            self._catalogue.business(intent.business)
        event_time = intent.event_time if isinstance(intent, m.RegisterComplaint) else ""
        if len(event_time) > MAX_FIELD_CHARS or len(responder) > MAX_FIELD_CHARS:
            raise ComplaintRefused("a field is too long", reason="event_time")

        def make(sequence: int) -> tuple[Complaint, ch.Handling, str]:
            complaint = file_complaint(
                sequence=sequence, category=intent.category, reasons=intent.reasons,
                text=intent.text, name=intent.name, id_number=intent.id_number,
                phone=intent.phone, business=intent.business, first_responder=responder,
                hours=self._catalogue.hours, now=now)
            handling = ch.start_handling(complaint.tracking_number, channel, now, self._calendar)
            return complaint, handling, event_time.strip()

        answers: list[m.Answer] = []

        def request(c: Complaint, h: ch.Handling) -> tuple[str, str, bytes] | None:
            answers.append(answer_of(c, h))
            return (device_id, intent.request_id, encode(answers[-1])) if intent.request_id \
                else None

        self.complaints.register(make, responder, request)
        return answers[-1]

    def handle(self, intent: m.RegisterComplaint | m.ComplaintStep | m.ViewComplaint,
               device_id: str, now: datetime) -> m.Answer:
        if isinstance(intent, m.RegisterComplaint):
            try:
                channel = ch.ComplaintChannel(intent.channel)
            except ValueError:
                raise ComplaintRefused(f"unknown channel {intent.channel!r}",
                                       reason="channel") from None
            if channel in (ch.ComplaintChannel.KIOSK, ch.ComplaintChannel.COUNTER):
                raise ComplaintRefused("kiosk and counter complaints come from those devices",
                                       reason="channel")
            return self.register(intent, channel, intent.actor, device_id, now,
                                 lambda c, h: self._answer(intent, h))
        handling = self.handling(intent.tracking_number)
        if isinstance(intent, m.ViewComplaint):
            record = self.complaints.full_record(handling.tracking_number, intent.actor, now)
            return m.LoopAnswer(request_id=intent.request_id, ref=handling.tracking_number,
                                state=handling.status.value, due=handling.answer_due,
                                provisional_due=handling.provisional_due, detail=record)
        after, details, answer_text = self._step(handling, intent, now)
        answer = self._answer(intent, after)
        request = (device_id, intent.request_id, encode(answer)) if intent.request_id else None
        self.complaints.save(after, intent.step, intent.actor, now, details, request,
                             answer=answer_text)
        return answer

    def handling(self, tracking_number: str) -> ch.Handling:
        found = self.complaints.handling(tracking_number)
        if found is None:
            raise UnknownComplaint(f"no complaint {tracking_number!r}",
                                   tracking_number=tracking_number)
        return found

    def _step(self, h: ch.Handling, intent: m.ComplaintStep,
              now: datetime) -> tuple[ch.Handling, dict[str, str], str | None]:
        note = intent.note.strip()
        match intent.step:
            case "first_contact" | "contact" | "finding":
                if not note:
                    raise ComplaintRefused("say what was said or found", reason="note")
                first = intent.step == "first_contact"
                after = ch.record_contact(h, first=first, note=note, now=now)
                on_time = "" if not first or h.first_contact_due is None else (
                    "yes" if now <= h.first_contact_due else "no")
                return after, {"note": note, "on_time": on_time}, None
            case "assign":
                return ch.assign(h, handler=intent.handler), {"handler": intent.handler}, None
            case "extend":
                after = ch.extend(h, reason=note, approved_by=intent.approved_by,
                                  calendar=self._calendar)
                return after, {"reason": note, "approved_by": intent.approved_by,
                               "answer_due": after.answer_due.isoformat()}, None
            case "transfer":
                after = ch.transfer(h, department=intent.department, told_via=intent.told_via,
                                    now=now)
                return after, {"department": intent.department, "told_via": intent.told_via,
                               "on_time": "yes" if now.date() <= h.transfer_due else "no"}, None
            case "close":
                try:
                    satisfaction = ch.Satisfaction(intent.satisfaction)
                except ValueError:
                    raise ComplaintRefused("the complainant's satisfaction is needed",
                                           reason="satisfaction") from None
                after = ch.close(h, answer=note, satisfaction=satisfaction, now=now)
                return after, {"satisfaction": satisfaction.value,
                               "on_time": "yes" if after.answered_on_time() else "no"}, note
            case "reopen":
                return ch.reopen(h, reason=note), {"reason": note}, None
        raise ComplaintRefused(f"unknown step {intent.step!r}", reason="step")

    @staticmethod
    def _answer(intent: m.Intent, h: ch.Handling) -> m.LoopAnswer:
        detail = {"transfer_due": h.transfer_due.isoformat()}
        if h.first_contact_due is not None:
            detail["first_contact_due"] = h.first_contact_due.isoformat()
        if h.department:
            detail["department"] = h.department
        return m.LoopAnswer(request_id=intent.request_id, ref=h.tracking_number,
                            state=h.status.value, due=h.answer_due,
                            provisional_due=h.provisional_due, detail=detail)
