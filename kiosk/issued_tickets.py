"""The tickets this kiosk issued today and how often each was reprinted, kept on disk: a kiosk
that lost power still reprints a slip it issued before, and never more often than allowed."""
from __future__ import annotations

import json
import logging
import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hall.protocol import messages as m

logger = logging.getLogger(__name__)

# A ticket's slip may be reprinted at the kiosk that issued it, once, on the day of issue.
REPRINTS_PER_TICKET = 1
# The answers are kept as the wire wrote them; any reply topic lets the codec read them back.
_REPLY_TOPIC = "hall/kiosk/device/kiosk/reply"


class IssuedTickets:
    """A reprint is of this kiosk's own tickets only (another's number typed gets nothing).
    With a `path`, every change is written (fsynced, then renamed over the old file) before the
    slip is printed; without one it lives in memory (tests, tools)."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._day: date | None = None
        self._tickets: dict[str, tuple[m.TicketAnswer, int]] = {}
        if path is not None:
            self._load(path)

    def remember(self, answer: m.TicketAnswer) -> None:
        if answer.ticket is None:
            return
        day = answer.ticket.issued_at.date()
        if day != self._day:
            self._day, self._tickets = day, {}
        self._tickets[answer.ticket.number] = (answer, 0)
        self._save()

    def for_reprint(self, today: date, number: str) -> m.TicketAnswer | None:
        found = self._tickets.get(number) if today == self._day else None
        if found is None or found[1] >= REPRINTS_PER_TICKET:
            return None
        return found[0]

    def reprinted(self, today: date, number: str) -> None:
        answer = self.for_reprint(today, number)
        if answer is not None:
            self._tickets[number] = (answer, self._tickets[number][1] + 1)
            self._save()

    # -- the file --------------------------------------------------------------------------

    def _save(self) -> None:
        if self._path is None:
            return
        from hall.protocol import encode

        body = {"day": self._day.isoformat() if self._day else None,
                "tickets": [{"answer": encode(answer).decode("utf-8"), "reprints": count}
                            for answer, count in self._tickets.values()]}
        self._path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self._path.with_suffix(".tmp")
        with open(temporary, "w", encoding="utf-8") as f:
            json.dump(body, f, ensure_ascii=False)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, self._path)
        directory = os.open(self._path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)  # the rename itself survives a power cut
        finally:
            os.close(directory)

    def _load(self, path: Path) -> None:
        from hall.protocol import decode
        from hall.protocol import messages as m

        try:
            body = json.loads(path.read_text(encoding="utf-8"))
            day = date.fromisoformat(body["day"]) if body.get("day") else None
            tickets = {}
            for entry in body.get("tickets", ()):
                answer = decode(_REPLY_TOPIC, entry["answer"].encode("utf-8"))
                if isinstance(answer, m.TicketAnswer) and answer.ticket is not None:
                    tickets[answer.ticket.number] = (answer, int(entry["reprints"]))
        except FileNotFoundError:
            return
        except (OSError, ValueError, KeyError, TypeError) as exc:
            # A damaged file costs the day's reprints at this kiosk, never the kiosk itself.
            logger.warning("cannot read the issued tickets in %s: %s", path, exc)
            return
        self._day, self._tickets = day, tickets
