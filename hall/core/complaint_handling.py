"""投诉接待处理: from registration to the answer, with the deadlines of documents 000 and 003 §九.

Phone and online complaints: first contact within 30 minutes. Answer within 7 working days; a
complex one may be extended to 15 with a reason and a manager's approval. A matter that is not
the hall's goes within 3 working days to the named department, and the complainant is told.
Closed with the answer and the complainant's satisfaction; a closed complaint may be reopened.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from hall.core.complaints import MAX_TEXT_CHARS, ComplaintRefused
from hall.core.work_calendar import WorkCalendar

FIRST_CONTACT = timedelta(minutes=30)
ANSWER_WORKING_DAYS = 7
EXTENDED_WORKING_DAYS = 15
TRANSFER_WORKING_DAYS = 3


@enum.unique
class ComplaintChannel(enum.StrEnum):
    KIOSK = "kiosk"
    COUNTER = "counter"
    PHONE = "phone"
    LETTER = "letter"
    ONLINE = "online"
    HOTLINE_12345 = "12345"


CHANNEL_ZH = {ComplaintChannel.KIOSK: "自助终端", ComplaintChannel.COUNTER: "窗口",
              ComplaintChannel.PHONE: "电话", ComplaintChannel.LETTER: "来信",
              ComplaintChannel.ONLINE: "网上", ComplaintChannel.HOTLINE_12345: "12345转办"}
TIMED_FIRST_CONTACT = (ComplaintChannel.PHONE, ComplaintChannel.ONLINE)


@enum.unique
class ComplaintStatus(enum.StrEnum):
    REGISTERED = "registered"
    HANDLING = "handling"
    TRANSFERRED = "transferred"
    CLOSED = "closed"


STATUS_ZH = {ComplaintStatus.REGISTERED: "已登记", ComplaintStatus.HANDLING: "办理中",
             ComplaintStatus.TRANSFERRED: "已转办", ComplaintStatus.CLOSED: "已办结"}


@enum.unique
class Satisfaction(enum.StrEnum):
    SATISFIED = "satisfied"
    BASIC = "basically_satisfied"
    DISSATISFIED = "dissatisfied"
    NOT_REACHED = "not_reached"


@dataclass(frozen=True, slots=True)
class Handling:
    """Where a complaint stands; the personal data stays with the Complaint record."""

    tracking_number: str
    channel: ComplaintChannel
    registered_at: datetime
    answer_due: date
    transfer_due: date
    first_contact_due: datetime | None = None
    first_contact_at: datetime | None = None
    status: ComplaintStatus = ComplaintStatus.REGISTERED
    handler: str = ""
    extended: bool = False
    department: str = ""
    transferred_at: datetime | None = None
    closed_at: datetime | None = None
    satisfaction: Satisfaction | None = None
    reopened: int = 0
    provisional_due: bool = False

    @property
    def is_open(self) -> bool:
        return self.status not in (ComplaintStatus.CLOSED, ComplaintStatus.TRANSFERRED)

    def answered_on_time(self) -> bool | None:
        if self.closed_at is None:
            return None
        return self.closed_at.date() <= self.answer_due


def start_handling(tracking_number: str, channel: ComplaintChannel, registered_at: datetime,
                   calendar: WorkCalendar) -> Handling:
    day = registered_at.date()
    answer = calendar.add_working_days(day, ANSWER_WORKING_DAYS)
    transfer = calendar.add_working_days(day, TRANSFER_WORKING_DAYS)
    first = registered_at + FIRST_CONTACT if channel in TIMED_FIRST_CONTACT else None
    return Handling(tracking_number=tracking_number, channel=channel,
                    registered_at=registered_at, answer_due=answer.due, transfer_due=transfer.due,
                    first_contact_due=first,
                    provisional_due=answer.provisional or transfer.provisional)


def record_contact(h: Handling, *, first: bool, note: str, now: datetime) -> Handling:
    _open(h)
    _bounded(note)
    if first and h.first_contact_at is None:
        return replace(h, first_contact_at=now)
    return h


def assign(h: Handling, *, handler: str) -> Handling:
    _open(h)
    if not handler.strip() or len(handler) > 40:
        raise ComplaintRefused("name the handler", reason="handler")
    return replace(h, handler=handler.strip(), status=ComplaintStatus.HANDLING)


def extend(h: Handling, *, reason: str, approved_by: str, calendar: WorkCalendar) -> Handling:
    """A complex case: 15 working days instead of 7, with a reason and a manager's approval."""
    _open(h)
    if h.extended:
        raise ComplaintRefused("already extended to 15 working days", reason="extended")
    if not reason.strip():
        raise ComplaintRefused("an extension needs its reason", reason="reason")
    if not approved_by.strip() or approved_by == h.handler:
        raise ComplaintRefused("a manager other than the handler approves the extension",
                               reason="approved_by")
    _bounded(reason)
    due = calendar.add_working_days(h.registered_at.date(), EXTENDED_WORKING_DAYS)
    return replace(h, extended=True, answer_due=due.due,
                   provisional_due=h.provisional_due or due.provisional)


def transfer(h: Handling, *, department: str, told_via: str, now: datetime) -> Handling:
    """Not the hall's matter: hand it to the named department and tell the complainant."""
    _open(h)
    if not department.strip() or len(department) > 60:
        raise ComplaintRefused("name the department it goes to", reason="department")
    if not told_via.strip():
        raise ComplaintRefused("say how the complainant was told", reason="told_via")
    return replace(h, department=department.strip(), transferred_at=now,
                   status=ComplaintStatus.TRANSFERRED)


def close(h: Handling, *, answer: str, satisfaction: Satisfaction, now: datetime) -> Handling:
    _open(h)
    if not answer.strip():
        raise ComplaintRefused("close with the answer given", reason="answer")
    _bounded(answer)
    return replace(h, closed_at=now, satisfaction=satisfaction, status=ComplaintStatus.CLOSED)


def reopen(h: Handling, *, reason: str) -> Handling:
    if h.status is not ComplaintStatus.CLOSED:
        raise ComplaintRefused("only a closed complaint is reopened", reason="not_closed")
    if not reason.strip():
        raise ComplaintRefused("say why it is reopened", reason="reason")
    _bounded(reason)
    return replace(h, status=ComplaintStatus.HANDLING, closed_at=None, satisfaction=None,
                   reopened=h.reopened + 1)


@dataclass(frozen=True, slots=True)
class DueAlert:
    tracking_number: str
    kind: str  # first_contact_overdue | overdue | due_soon | transfer_overdue
    due: str


def due_alerts(handlings: list[Handling], now: datetime, calendar: WorkCalendar,
               warn_working_days: int = 1) -> list[DueAlert]:
    """Overdue and nearly-due complaints, for managers."""
    today = now.date()
    alerts = []
    for h in handlings:
        if not h.is_open:
            continue
        if h.first_contact_due and h.first_contact_at is None and now > h.first_contact_due:
            alerts.append(DueAlert(h.tracking_number, "first_contact_overdue",
                                   h.first_contact_due.isoformat()))
        if today > h.answer_due:
            alerts.append(DueAlert(h.tracking_number, "overdue", h.answer_due.isoformat()))
        elif calendar.working_days_between(today, h.answer_due) <= warn_working_days:
            alerts.append(DueAlert(h.tracking_number, "due_soon", h.answer_due.isoformat()))
    return alerts


def _open(h: Handling) -> None:
    if not h.is_open:
        raise ComplaintRefused(f"complaint {h.tracking_number} is {h.status.value}",
                               reason="not_open")


def _bounded(text: str) -> None:
    if len(text) > MAX_TEXT_CHARS:
        raise ComplaintRefused(f"at most {MAX_TEXT_CHARS} characters", reason="text")
