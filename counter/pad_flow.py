"""The rating pad's flow (idle → rating → reasons → thanks), pure and driven by `now`."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from hall.protocol import messages as m

# A citizen who walks away leaves the pad to the next one; the receipt's QR still works.
RATING_TIMEOUT = timedelta(seconds=60)
THANKS_SHOWN = timedelta(seconds=5)


class PadScreen(enum.Enum):
    IDLE = "idle"
    RATING = "rating"
    REASONS = "reasons"
    THANKS = "thanks"


class ReasonMissing(Exception):
    """不满意 and 非常不满意 need a reason; 其他 needs a few words."""


@dataclass
class PadFlow:
    screen: PadScreen = PadScreen.IDLE
    invite: m.RatingInvite | None = None
    level: m.RatingLevel | None = None
    sub_scores: dict[str, m.RatingLevel] = field(default_factory=dict)
    reasons: set[str] = field(default_factory=set)
    comment: str = ""
    since: datetime | None = None
    rated: set[str] = field(default_factory=set)

    def invited(self, invite: m.RatingInvite, now: datetime) -> None:
        if invite.ticket_id in self.rated:
            return  # a redelivered invite for a service already rated here
        self._reset()
        self.invite, self.screen, self.since = invite, PadScreen.RATING, now

    def choose(self, level: m.RatingLevel, now: datetime) -> bool:
        """Pick the level; True when the rating is complete and can be sent now."""
        if self.invite is None:
            return False
        self.level, self.since = level, now
        if level.is_bad:
            self.screen = PadScreen.REASONS
            return False
        return True

    def score(self, indicator: str, level: m.RatingLevel, now: datetime) -> None:
        self.since = now
        if self.sub_scores.get(indicator) is level:
            del self.sub_scores[indicator]
        else:
            self.sub_scores[indicator] = level

    def toggle_reason(self, code: str, now: datetime) -> None:
        self.since = now
        self.reasons ^= {code}

    def submission(self) -> dict[str, object]:
        """The fields of the SubmitRating to send; ReasonMissing if the rules are not met."""
        if self.invite is None or self.level is None:
            raise ReasonMissing("no level chosen")
        if self.level.is_bad and not self.reasons:
            raise ReasonMissing("请至少选择一项原因")
        if "other" in self.reasons and not self.comment.strip():
            raise ReasonMissing("选择“其他”时请简要说明")
        return {"ticket_id": self.invite.ticket_id, "level": self.level,
                "sub_scores": dict(self.sub_scores) or None,
                "reasons": tuple(sorted(self.reasons)), "comment": self.comment.strip()}

    def sent(self, now: datetime) -> None:
        if self.invite is not None:
            self.rated.add(self.invite.ticket_id)
        self.screen, self.since = PadScreen.THANKS, now

    def tick(self, now: datetime) -> bool:
        """Return to idle after a timeout; True when the screen changed."""
        if self.since is None or self.screen is PadScreen.IDLE:
            return False
        limit = THANKS_SHOWN if self.screen is PadScreen.THANKS else RATING_TIMEOUT
        if now - self.since < limit:
            return False
        self._reset()
        return True

    def _reset(self) -> None:
        self.screen, self.invite, self.level, self.since = PadScreen.IDLE, None, None, None
        self.sub_scores, self.reasons, self.comment = {}, set(), ""
