"""The controller's inbox: senders take turns, and no sender can fill it.

A device flooding its intent topic (30,000 QoS 0 messages in a fraction of a second) would
otherwise sit in one FIFO ahead of every other device's request for as long as the backlog
takes. Here each sender (topic) has its own short queue, served round-robin; what a sender
sends at QoS 0 beyond PER_SENDER waiting messages is refused at once (the caller drops it: a
real device never has that many requests outstanding, and resends what is unanswered).
"""
from __future__ import annotations

import threading
from collections import OrderedDict, deque
from typing import Generic, TypeVar

T = TypeVar("T")

PER_SENDER = 100


class FairInbox(Generic[T]):
    def __init__(self, per_sender: int = PER_SENDER) -> None:
        self._per_sender = per_sender
        self._queues: OrderedDict[str, deque[T]] = OrderedDict()
        self._urgent: deque[T] = deque()
        self._cond = threading.Condition()
        self.refused = 0

    def put(self, sender: str, item: T, *, droppable: bool = True) -> bool:
        """Queue `item` behind the sender's earlier ones; False (not queued) when it is
        droppable and the sender has too many waiting. QoS 1 deliveries are not droppable:
        the broker bounds them (it sends a resumed session's backlog at once)."""
        with self._cond:
            waiting = self._queues.get(sender)
            if waiting is None:
                waiting = self._queues[sender] = deque()
            elif droppable and len(waiting) >= self._per_sender:
                self.refused += 1
                return False
            waiting.append(item)
            self._cond.notify()
            return True

    def put_urgent(self, item: T) -> None:
        """Ahead of every sender (the controller's own wake-ups)."""
        with self._cond:
            self._urgent.append(item)
            self._cond.notify()

    def get(self, timeout_s: float) -> T | None:
        """The next item, senders in turn; None when nothing came within `timeout_s`."""
        with self._cond:
            if not self._cond.wait_for(lambda: bool(self._urgent or self._queues), timeout_s):
                return None
            if self._urgent:
                return self._urgent.popleft()
            sender, waiting = next(iter(self._queues.items()))
            item = waiting.popleft()
            del self._queues[sender]
            if waiting:
                self._queues[sender] = waiting  # to the back of the round
            return item

    def __len__(self) -> int:
        with self._cond:
            return len(self._urgent) + sum(len(q) for q in self._queues.values())
