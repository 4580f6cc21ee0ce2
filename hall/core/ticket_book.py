"""The day's tickets as an immutable mapping that changes in O(changes), with its waiting lanes.

A command changes a handful of tickets, but a busy hall holds thousands of them by the evening.
Copying or scanning every ticket per command made the controller slower as the day filled, so a
book shares one frozen base dictionary between states and keeps the recent changes beside it,
folding them into a new base only every COMPACT_AFTER changes. Waiting tickets are also kept in
lanes per (business, kind) in queue order, and parked or no-show tickets per window, so calling
and publishing never walk the whole day.
"""
from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from hall.core.ids import TicketKind, TicketStatus

if TYPE_CHECKING:
    from hall.core.state import Ticket

COMPACT_AFTER = 256

LaneKey = tuple[str, TicketKind]


def queue_key(ticket: Ticket) -> tuple[datetime, int, str]:
    """Queue order: longest in the queue first, the lower number on a tie."""
    return (ticket.queued_at, ticket.number.sequence, ticket.number.prefix)


class TicketBook(Mapping[str, "Ticket"]):
    __slots__ = ("_base", "_recent", "_added", "_lanes", "_at_window", "_finished_at")

    def __init__(self, tickets: Mapping[str, Ticket] | None = None) -> None:
        self._base: dict[str, Ticket] = dict(tickets or {})
        self._recent: dict[str, Ticket] = {}
        self._added = 0
        lanes: dict[LaneKey, list[Ticket]] = {}
        at_window: dict[int, list[str]] = {}
        finished: dict[int, int] = {}
        for t in self._base.values():
            if t.status is TicketStatus.WAITING:
                lanes.setdefault((t.business, t.kind), []).append(t)
            elif t.window is not None:
                if t.status in (TicketStatus.PARKED, TicketStatus.NO_SHOW):
                    at_window.setdefault(t.window, []).append(t.ticket_id)
                elif t.status is TicketStatus.FINISHED:
                    finished[t.window] = finished.get(t.window, 0) + 1
        self._lanes: dict[LaneKey, tuple[str, ...]] = {
            key: tuple(t.ticket_id for t in sorted(found, key=queue_key))
            for key, found in lanes.items()}
        self._at_window = {n: tuple(ids) for n, ids in at_window.items()}
        self._finished_at = finished

    # -- Mapping ----------------------------------------------------------------------------

    def __getitem__(self, key: str) -> Ticket:
        found = self._recent.get(key)
        if found is not None:
            return found
        return self._base[key]

    def get(self, key: str, default: Ticket | None = None) -> Ticket | None:  # type: ignore[override]
        found = self._recent.get(key)
        if found is not None:
            return found
        return self._base.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._recent or key in self._base

    def __iter__(self) -> Iterator[str]:
        yield from self._base
        for key in self._recent:
            if key not in self._base:
                yield key

    def __len__(self) -> int:
        return len(self._base) + self._added

    # -- indexes ----------------------------------------------------------------------------

    def lane(self, business: str, kind: TicketKind) -> tuple[str, ...]:
        """Ids of the waiting tickets of one business and kind, in queue order."""
        return self._lanes.get((business, kind), ())

    def waiting_of(self, business: str) -> list[Ticket]:
        """The waiting tickets of one business, in queue order (all kinds merged)."""
        found = [self[i] for kind in TicketKind for i in self.lane(business, kind)]
        found.sort(key=queue_key)
        return found

    def first_waiting(self, business: str, count: int,
                      kinds: tuple[TicketKind, ...] = tuple(TicketKind)) -> list[Ticket]:
        """The first `count` waiting tickets of a business (of `kinds`), in queue order."""
        found = [self[i] for kind in kinds for i in self.lane(business, kind)[:count]]
        found.sort(key=queue_key)
        return found[:count]

    def position(self, ticket: Ticket) -> int:
        """How many tickets of the same business wait before `ticket` in queue order."""
        mine = queue_key(ticket)
        return sum(bisect.bisect_left(self.lane(ticket.business, kind), mine,
                                      key=lambda i: queue_key(self[i])) for kind in TicketKind)

    def waiting_count(self, business: str) -> int:
        return sum(len(self.lane(business, kind)) for kind in TicketKind)

    def all_waiting(self) -> Iterator[Ticket]:
        for ids in self._lanes.values():
            for i in ids:
                yield self[i]

    def kept_at_window(self, window: int) -> tuple[Ticket, ...]:
        """Parked and no-show tickets whose last window was `window`."""
        return tuple(self[i] for i in self._at_window.get(window, ()))

    def finished_at_window(self, window: int) -> int:
        return self._finished_at.get(window, 0)

    # -- change -----------------------------------------------------------------------------

    def changed_since(self, older: Mapping[str, Ticket]) -> list[Ticket] | None:
        """The tickets that differ from `older` when that is cheap to tell, else None."""
        if isinstance(older, TicketBook) and older._base is self._base:
            return [t for key, t in self._recent.items() if older.get(key) is not t]
        return None

    def updated(self, changes: Mapping[str, Ticket]) -> TicketBook:
        """A new book with `changes` applied; this one stays as it was."""
        new = TicketBook.__new__(TicketBook)
        new._base = self._base
        new._recent = dict(self._recent)
        new._added = self._added
        lanes = dict(self._lanes)
        at_window = dict(self._at_window)
        finished = dict(self._finished_at)
        for key, ticket in changes.items():
            old = self.get(key)
            if old is None:
                new._added += 1
            else:
                _leave(old, lanes, at_window, finished)
            _enter(ticket, lanes, at_window, finished, new)
            new._recent[key] = ticket
        new._lanes = {k: v for k, v in lanes.items() if v}
        new._at_window = {k: v for k, v in at_window.items() if v}
        new._finished_at = finished
        if len(new._recent) > COMPACT_AFTER:
            new._base = {**new._base, **new._recent}
            new._recent = {}
            new._added = 0
        return new


def _leave(old: Ticket, lanes: dict[LaneKey, tuple[str, ...]],
           at_window: dict[int, tuple[str, ...]], finished: dict[int, int]) -> None:
    if old.status is TicketStatus.WAITING:
        key = (old.business, old.kind)
        lanes[key] = tuple(i for i in lanes.get(key, ()) if i != old.ticket_id)
    elif old.window is not None:
        if old.status in (TicketStatus.PARKED, TicketStatus.NO_SHOW):
            at_window[old.window] = tuple(i for i in at_window.get(old.window, ())
                                          if i != old.ticket_id)
        elif old.status is TicketStatus.FINISHED:
            finished[old.window] = finished.get(old.window, 1) - 1


def _enter(ticket: Ticket, lanes: dict[LaneKey, tuple[str, ...]],
           at_window: dict[int, tuple[str, ...]], finished: dict[int, int],
           book: TicketBook) -> None:
    if ticket.status is TicketStatus.WAITING:
        key = (ticket.business, ticket.kind)
        lane = lanes.get(key, ())
        mine = queue_key(ticket)

        def key_of(i: str) -> tuple[datetime, int, str]:
            return queue_key(book._recent.get(i) or book._base[i])

        # New and re-queued tickets almost always go last: try that before a search.
        if not lane or key_of(lane[-1]) <= mine:
            lanes[key] = (*lane, ticket.ticket_id)
        else:
            at = bisect.bisect_right(lane, mine, key=key_of)
            lanes[key] = (*lane[:at], ticket.ticket_id, *lane[at:])
    elif ticket.window is not None:
        if ticket.status in (TicketStatus.PARKED, TicketStatus.NO_SHOW):
            at_window[ticket.window] = (*at_window.get(ticket.window, ()), ticket.ticket_id)
        elif ticket.status is TicketStatus.FINISHED:
            finished[ticket.window] = finished.get(ticket.window, 0) + 1


def as_book(tickets: Mapping[str, Ticket] | Iterable[Ticket]) -> TicketBook:
    if isinstance(tickets, TicketBook):
        return tickets
    if isinstance(tickets, Mapping):
        return TicketBook(tickets)
    return TicketBook({t.ticket_id: t for t in tickets})
