"""Builds and parses every topic under hall/<hall_id>/...; no topic is spelled anywhere else."""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from hall.protocol.errors import MessageDecodeError

ROOT = "hall"
_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")


@enum.unique
class TopicKind(enum.StrEnum):
    QUEUE = "state/queue"
    HALL = "state/hall"
    CALLS = "state/calls"
    NOTICES = "state/notices"
    FIGURES = "state/figures"
    WINDOW = "state/window"
    CALLED = "event/called"
    RECALLED = "event/recalled"
    FINISHED = "event/finished"
    ALERT = "event/alert"
    WAITS = "event/waits"
    INTENT = "device/intent"
    REPLY = "device/reply"
    PRESENCE = "device/presence"
    MANAGER_INTENT = "manager/intent"
    RATINGS_REPORT = "report/ratings"
    CASES_REPORT = "report/cases"


@dataclass(frozen=True, slots=True)
class ParsedTopic:
    kind: TopicKind
    hall_id: str
    device_id: str = ""
    window: int = 0


def is_valid_id(value: str) -> bool:
    return _ID.fullmatch(value) is not None


class Topics:
    """All topics of one hall."""

    def __init__(self, hall_id: str) -> None:
        if not is_valid_id(hall_id):
            raise ValueError(f"hall id {hall_id!r} must be lowercase letters, digits and -")
        self.hall_id = hall_id
        self.base = f"{ROOT}/{hall_id}"

    @property
    def queue(self) -> str:
        return f"{self.base}/state/queue"

    @property
    def hall(self) -> str:
        return f"{self.base}/state/hall"

    @property
    def calls(self) -> str:
        return f"{self.base}/state/calls"

    @property
    def figures(self) -> str:
        return f"{self.base}/state/figures"

    @property
    def notices(self) -> str:
        return f"{self.base}/state/notices"

    def window(self, number: int) -> str:
        return f"{self.base}/state/window/{number}"

    @property
    def all_windows(self) -> str:
        return f"{self.base}/state/window/+"

    @property
    def all_state(self) -> str:
        return f"{self.base}/state/#"

    @property
    def called(self) -> str:
        return f"{self.base}/event/called"

    @property
    def recalled(self) -> str:
        return f"{self.base}/event/recalled"

    @property
    def finished(self) -> str:
        return f"{self.base}/event/finished"

    @property
    def alert(self) -> str:
        return f"{self.base}/event/alert"

    @property
    def waits(self) -> str:
        """Per-ticket remaining waits as the queue moves (the phone page, SMS)."""
        return f"{self.base}/event/waits"

    @property
    def all_events(self) -> str:
        return f"{self.base}/event/#"

    def intent(self, device_id: str) -> str:
        return f"{self.base}/device/{_device(device_id)}/intent"

    def reply(self, device_id: str) -> str:
        return f"{self.base}/device/{_device(device_id)}/reply"

    def presence(self, device_id: str) -> str:
        return f"{self.base}/device/{_device(device_id)}/presence"

    def manager_intent(self, device_id: str) -> str:
        return f"{self.base}/manager/{_device(device_id)}/intent"

    @property
    def all_manager_intents(self) -> str:
        return f"{self.base}/manager/+/intent"

    @property
    def all_intents(self) -> str:
        return f"{self.base}/device/+/intent"

    @property
    def all_presence(self) -> str:
        return f"{self.base}/device/+/presence"

    @property
    def ratings_report(self) -> str:
        """Every recorded 好差评, for managers and the central platform (via the bridge)."""
        return f"{self.base}/report/ratings"

    @property
    def cases_report(self) -> str:
        """Each step of a bad rating's closed loop (case_outcome), beside the ratings."""
        return f"{self.base}/report/cases"

    def pairing_request(self, request_id: str) -> str:
        """A new board's sealed pairing request (provisioning/pairing.py); not a protocol message."""
        return f"{self.base}/pairing/{_device(request_id)}/request"

    def pairing_answer(self, request_id: str) -> str:
        return f"{self.base}/pairing/{_device(request_id)}/answer"

    def parse(self, topic: str) -> ParsedTopic:
        """Parse a topic of this hall; raise MessageDecodeError for anything else."""
        parsed = parse(topic)
        if parsed.hall_id != self.hall_id:
            raise MessageDecodeError(f"topic of another hall: {topic}", topic=topic)
        return parsed


def parse(topic: str) -> ParsedTopic:
    parts = topic.split("/")
    if len(parts) < 4 or parts[0] != ROOT or not is_valid_id(parts[1]):
        raise MessageDecodeError(f"not a hall topic: {topic!r}", topic=topic)
    hall_id, section, rest = parts[1], parts[2], parts[3:]
    if section == "state":
        if rest in (["queue"], ["hall"], ["calls"], ["notices"], ["figures"]):
            return ParsedTopic(TopicKind(f"state/{rest[0]}"), hall_id)
        if len(rest) == 2 and rest[0] == "window" and rest[1].isascii() and rest[1].isdigit():
            return ParsedTopic(TopicKind.WINDOW, hall_id, window=int(rest[1]))
    elif section == "event" and rest in (["called"], ["recalled"], ["finished"], ["alert"],
                                         ["waits"]):
        return ParsedTopic(TopicKind(f"event/{rest[0]}"), hall_id)
    elif (section == "device" and len(rest) == 2 and is_valid_id(rest[0])
          and rest[1] in ("intent", "reply", "presence")):
        return ParsedTopic(TopicKind(f"device/{rest[1]}"), hall_id, device_id=rest[0])
    elif (section == "manager" and len(rest) == 2 and is_valid_id(rest[0])
          and rest[1] == "intent"):
        return ParsedTopic(TopicKind.MANAGER_INTENT, hall_id, device_id=rest[0])
    elif section == "report" and rest == ["ratings"]:
        return ParsedTopic(TopicKind.RATINGS_REPORT, hall_id)
    elif section == "report" and rest == ["cases"]:
        return ParsedTopic(TopicKind.CASES_REPORT, hall_id)
    raise MessageDecodeError(f"unknown hall topic: {topic!r}", topic=topic)


def _device(device_id: str) -> str:
    if not is_valid_id(device_id):
        raise ValueError(f"device id {device_id!r} must be lowercase letters, digits and -")
    return device_id
