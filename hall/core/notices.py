"""Notices pushed by hall managers: urgent ones take the banner, others scroll."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hall.core.errors import HallError

MAX_NOTICE_CHARS = 200


class InvalidNotice(HallError):
    """The notice is empty, too long, or its schedule ends before it starts or has passed."""

    code = "invalid_notice"


@dataclass(frozen=True, slots=True)
class Notice:
    notice_id: str
    text_zh: str
    text_en: str
    urgent: bool
    pushed_at: datetime
    pushed_by: str
    starts_at: datetime | None = None
    expires_at: datetime | None = None

    def is_showing(self, now: datetime) -> bool:
        started = self.starts_at is None or self.starts_at <= now
        return started and not self.has_expired(now)

    def has_expired(self, now: datetime) -> bool:
        return self.expires_at is not None and now >= self.expires_at


def new_notice(notice_id: str, text_zh: str, text_en: str, *, urgent: bool,
               starts_at: datetime | None, expires_at: datetime | None, pushed_by: str,
               now: datetime) -> Notice:
    text_zh, text_en = text_zh.strip(), text_en.strip()
    if not text_zh:
        raise InvalidNotice("a notice needs Chinese text")
    if len(text_zh) > MAX_NOTICE_CHARS or len(text_en) > MAX_NOTICE_CHARS * 2:
        raise InvalidNotice(f"a notice has at most {MAX_NOTICE_CHARS} characters",
                            limit=MAX_NOTICE_CHARS)
    if starts_at is not None and expires_at is not None and expires_at <= starts_at:
        raise InvalidNotice("the notice expires before it starts")
    if expires_at is not None and expires_at <= now:
        raise InvalidNotice("the notice has already expired")
    return Notice(notice_id, text_zh, text_en, urgent, now, pushed_by, starts_at, expires_at)
