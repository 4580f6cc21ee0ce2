"""The controller's notices: validated, stored, and published retained for the walls."""
from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from hall.core.errors import HallError
from hall.core.masking import mask_personal
from hall.core.notices import Notice, new_notice
from hall.protocol import messages as m
from hall.store import SqliteStore

Publish = Callable[[m.Message], None]
# Makes the stored form of an answer: stored in the same transaction as the notice it answers.
AnswerRecord = Callable[[m.Answer], tuple[str, str, bytes]]


class UnknownNotice(HallError):
    """No notice with that id is in force."""

    code = "unknown_notice"


class NoticeBoard:
    def __init__(self, store: SqliteStore, publish: Publish) -> None:
        self._store = store
        self._publish = publish
        self._notices: list[Notice] = store.notices_in_force()

    def handle(self, intent: m.PushNotice | m.RetractNotice, device_id: str,
               now: datetime, request: AnswerRecord | None = None) -> m.Accepted:
        """Carry out a manager's notice intent, its answer stored with it; HallError if refused."""
        if isinstance(intent, m.PushNotice):
            notice = new_notice(uuid.uuid4().hex[:8], intent.text_zh, intent.text_en,
                                urgent=intent.urgent, starts_at=intent.starts_at,
                                expires_at=intent.expires_at, pushed_by=device_id, now=now)
            answer = m.Accepted(request_id=intent.request_id, events=("NoticePushed",),
                                notice_id=notice.notice_id)
            self._store.save_notice(notice, request(answer) if request else None)
            self._notices.append(notice)
        else:
            answer = m.Accepted(request_id=intent.request_id, events=("NoticeRetracted",),
                                notice_id=intent.notice_id)
            if not self._store.retract_notice(intent.notice_id, now,
                                              request(answer) if request else None):
                raise UnknownNotice(f"no notice {intent.notice_id!r} is in force",
                                    notice_id=intent.notice_id)
            self._notices = [n for n in self._notices if n.notice_id != intent.notice_id]
        self.publish(now)
        return answer

    def replace(self, intent: m.ReplaceNotice | m.EditNotice, device_id: str, now: datetime,
                request: AnswerRecord | None = None) -> m.Accepted:
        """Retract a notice and push its successor in one transaction and one publish, so a
        wall never shows neither or both and a crash keeps exactly one; HallError if refused."""
        notice = new_notice(uuid.uuid4().hex[:8], intent.text_zh, intent.text_en,
                            urgent=intent.urgent, starts_at=intent.starts_at,
                            expires_at=intent.expires_at, pushed_by=device_id, now=now)
        answer = m.Accepted(request_id=intent.request_id, events=("NoticeReplaced",),
                            notice_id=notice.notice_id)
        if not self._store.replace_notice(intent.notice_id, notice,
                                          request(answer) if request else None):
            raise UnknownNotice(f"no notice {intent.notice_id!r} is in force",
                                notice_id=intent.notice_id)
        self._notices = [n for n in self._notices if n.notice_id != intent.notice_id] + [notice]
        self.publish(now)
        return answer

    def tick(self, now: datetime) -> None:
        """Drop expired notices from the retained list (walls already hide them on their own)."""
        if any(n.has_expired(now) for n in self._notices):
            self._notices = [n for n in self._notices if not n.has_expired(now)]
            self.publish(now)

    def publish(self, now: datetime) -> None:
        self._publish(m.Notices(updated_at=now, notices=tuple(
            m.NoticeView(notice_id=n.notice_id,
                         text_zh=mask_personal(n.text_zh, digit_runs=False),
                         text_en=mask_personal(n.text_en, digit_runs=False),
                         urgent=n.urgent, pushed_at=n.pushed_at, starts_at=n.starts_at,
                         expires_at=n.expires_at)
            for n in self._notices if not n.has_expired(now))))
