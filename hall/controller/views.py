"""Translates core state into the retained state and event messages of the wire."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from hall.core import events as ev
from hall.core.catalogue import Catalogue
from hall.core.cutoff import CutoffMode, cutoff_for
from hall.core.day_stats import day_stats
from hall.core.ids import TicketKind, TicketStatus
from hall.core.masking import mask_personal
from hall.core.state import HallState, Ticket
from hall.core.wait_estimate import TwinEstimator, WaitEstimator
from hall.core.work_calendar import next_opening
from hall.protocol import messages as m

NEXT_NUMBERS_SHOWN = 5


def ticket_view(catalogue: Catalogue, ticket: Ticket) -> m.TicketView:
    business = catalogue.business(ticket.business)
    return m.TicketView(
        ticket_id=ticket.ticket_id, number=str(ticket.number), business=ticket.business,
        business_zh=business.name_zh, business_en=business.name_en,
        kind=ticket.kind, issued_at=ticket.issued_at,
        priority_reason=_bounded(ticket.priority_reason, m.TicketView, "priority_reason"),
    )


def queue_snapshot(catalogue: Catalogue, estimator: WaitEstimator, state: HallState,
                   now: datetime, modes: Mapping[str, CutoffMode] | None = None
                   ) -> m.QueueSnapshot:
    book = state.book
    estimates = estimator.for_all_businesses(state, now)
    rows = []
    for business in catalogue.businesses:
        queue = book.first_waiting(business.code, NEXT_NUMBERS_SHOWN)
        estimate = estimates[business.code]
        priority = (estimator.for_priority(state, business.code, now)
                    if isinstance(estimator, TwinEstimator) else None)
        mode = (modes or {}).get(business.code, CutoffMode.AUTO)
        cut = cutoff_for(catalogue, business.code, estimate, now, mode) if state.is_open else None
        rows.append(m.BusinessQueue(
            code=business.code, prefix=business.prefix, name_zh=business.name_zh,
            name_en=business.name_en, waiting=book.waiting_count(business.code),
            priority_waiting=sum(len(book.lane(business.code, k)) for k in TicketKind
                                 if k is not TicketKind.NORMAL),
            windows_open=estimate.windows_open, est_wait_min=estimate.minutes,
            congested=estimate.minutes is not None
            and estimate.minutes >= catalogue.rules.congestion_wait_min,
            oldest_queued_at=min((t.queued_at for t in queue), default=None),
            next_numbers=tuple(str(t.number) for t in queue[:NEXT_NUMBERS_SHOWN]),
            next_priority_numbers=tuple(str(t.number) for t in queue[:NEXT_NUMBERS_SHOWN]
                                        if t.kind is TicketKind.PRIORITY),
            est_wait_low_min=estimate.low_min, est_wait_high_min=estimate.high_min,
            priority_wait_low_min=priority.low_min if priority else None,
            priority_wait_high_min=priority.high_min if priority else None,
            cut_off=cut.reason if cut else "", cut_off_zh=cut.text_zh if cut else "",
            cut_off_en=cut.text_en if cut else "",
            next_opening=cut.next_opening if cut else None, cutoff_mode=mode.value,
        ))
    return m.QueueSnapshot(service_day=state.service_day, is_open=state.is_open, updated_at=now,
                           businesses=tuple(rows))


def window_state(catalogue: Catalogue, state: HallState, number: int,
                 now: datetime) -> m.WindowState:
    window = catalogue.window(number)
    ws = state.window(number)
    staff_name = ""
    if ws.staff_id:
        staff_name = catalogue.staff_member(ws.staff_id).name
    ticket = state.tickets.get(ws.ticket_id) if ws.ticket_id else None
    kept = state.book.kept_at_window(number)
    return m.WindowState(
        window=number, status=ws.status, updated_at=now,
        name_zh=window.name_zh, businesses=window.businesses, staff_id=ws.staff_id,
        staff_name=staff_name, ticket_number=str(ticket.number) if ticket else "",
        ticket_business=ticket.business if ticket else "",
        pause_reason=ws.pause_reason,
        since=ws.since,
        ticket=_window_ticket(ticket) if ticket else None,
        parked=tuple(str(t.number) for t in kept if t.status is TicketStatus.PARKED),
        no_shows=tuple(str(t.number) for t in kept if t.status is TicketStatus.NO_SHOW),
        handled_today=state.book.finished_at_window(number),
    )


def _window_ticket(ticket: Ticket) -> m.WindowTicket:
    """The public view: every wall and kiosk reads it, so no free text (see window_detail)."""
    return m.WindowTicket(
        ticket_id=ticket.ticket_id, number=str(ticket.number), business=ticket.business,
        kind=ticket.kind, issued_at=ticket.issued_at, called_at=ticket.called_at,
        first_called_at=ticket.first_called_at, call_count=ticket.call_count,
        transferred_from=ticket.transferred_from)


def window_detail(state: HallState, number: int, now: datetime) -> m.WindowDetail:
    """For the window's clerk alone: the free text about the ticket in service, masked."""
    ws = state.window(number)
    ticket = state.tickets.get(ws.ticket_id) if ws.ticket_id else None
    if ticket is None:
        return m.WindowDetail(window=number, updated_at=now)
    return m.WindowDetail(
        window=number, updated_at=now, ticket_id=ticket.ticket_id, number=str(ticket.number),
        priority_reason=_bounded(ticket.priority_reason, m.WindowDetail, "priority_reason"),
        helper_name=_bounded(ticket.helper_name, m.WindowDetail, "helper_name"),
        transfer_note=_bounded(ticket.transfer_note, m.WindowDetail, "transfer_note"),
        transferred_from=ticket.transferred_from)


def _bounded(text: str, cls: type, name: str) -> str:
    """Masked, and never longer than the schema lets a device decode."""
    return mask_personal(text)[:m.text_limit(cls, name)]


def hall_info(catalogue: Catalogue, state: HallState, timezone: str,
              now: datetime) -> m.HallInfo:
    def fmt(sessions: tuple[object, ...]) -> tuple[str, ...]:
        return tuple(f"{s.opens:%H:%M}-{s.closes:%H:%M}" for s in sessions)  # type: ignore[attr-defined]

    return m.HallInfo(
        hall_id=catalogue.hall_id, name_zh=catalogue.name_zh, name_en=catalogue.name_en,
        timezone=timezone, is_open=state.is_open, updated_at=now,
        today=fmt(catalogue.hours.sessions_on(now.date())),
        hours=tuple(m.DayHours(weekday=d, sessions=fmt(catalogue.hours.weekly.get(d, ())))
                    for d in range(1, 8)),
        businesses=tuple(m.BusinessInfo(
            code=b.code, prefix=b.prefix, name_zh=b.name_zh, name_en=b.name_en,
            windows=tuple(w.number for w in catalogue.windows_serving(b.code)))
            for b in catalogue.businesses),
        next_opens_at=next_opening(catalogue.hours, now),
    )


def recent_calls(state: HallState, now: datetime) -> m.RecentCalls:
    return m.RecentCalls(updated_at=now, calls=tuple(
        m.CallView(number=str(c.number), window=c.window, business=c.business, at=c.at,
                   is_recall=c.is_recall) for c in state.recent_calls))


def wire_event(catalogue: Catalogue, event: ev.Event) -> m.Message | None:
    """The broadcast message for a domain event, or None when only state topics change."""
    if isinstance(event, (ev.TicketCalled, ev.TicketRecalled)):
        t = event.ticket
        staff = catalogue.staff_member(t.staff_id).name if t.staff_id else ""
        cls = m.TicketCalled if isinstance(event, ev.TicketCalled) else m.TicketRecalled
        return cls(number=str(t.number), ticket_id=t.ticket_id, window=event.window,
                   business=t.business, ticket_kind=t.kind, at=event.at,
                   call_count=t.call_count, staff_id=t.staff_id, staff_name=staff)
    if isinstance(event, ev.TicketFinished):
        t = event.ticket
        return m.TicketFinished(number=str(t.number), ticket_id=t.ticket_id, window=event.window,
                                staff_id=event.staff_id, items=t.items, at=event.at,
                                handle_s=event.handle_s)
    return None


def day_figures(state: HallState, now: datetime) -> m.DayFigures:
    stats = day_stats(state, now)
    return m.DayFigures(
        updated_at=now,
        issued_per_hour=tuple(m.HourCount(hour=h, issued=n) for h, n in stats.issued_per_hour),
        waiting_over_day=tuple(m.WaitingSample(at=a, waiting=n) for a, n in stats.waiting_over_day),
        avg_wait=tuple(m.BusinessWait(code=c, avg_wait_min=w) for c, w in stats.avg_wait_min))
