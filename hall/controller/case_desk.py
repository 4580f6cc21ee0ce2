"""Carries out the closed loop's intents: bad-rating cases, 追评, appeals and the re-check draw.

Each intent is checked by the pure core, then stored in one transaction with its answer; only
then is the outcome published (report/cases) for managers and the bridge.
"""
from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from hall.controller.authority import NotPermitted, device_window
from hall.core import appeals as ap
from hall.core import cases as cs
from hall.core.catalogue import Catalogue
from hall.core.errors import HallError, UnknownTicket
from hall.core.rating_token import token_from_scan, verify_rating_token
from hall.core.ratings import Rating
from hall.core.work_calendar import WorkCalendar
from hall.protocol import encode
from hall.protocol import messages as m
from hall.store import SqliteStore
from hall.store.case_store import CaseStore

_PHONE = re.compile(r"^[0-9+\-]{7,16}$")
# Outcomes the central platform hears of, by the case step that produces them.
_OUTCOME_OF_STEP = {"opened": "opened", "callback": "callback_done", "rectify": "rectified",
                    "rectified": "rectified", "feedback": "feedback_given",
                    "follow_up": "follow_up", "closed": "closed"}
OutcomeSink = Callable[[m.CaseOutcome], None]


class UnknownCase(HallError):
    """No case, appeal or rating with that id."""

    code = "unknown_case"


class CaseDesk:
    def __init__(self, store: SqliteStore, catalogue: Catalogue, calendar: WorkCalendar,
                 policy: cs.LoopPolicy, key: bytes, on_outcome: OutcomeSink) -> None:
        self._store = store
        self.cases = CaseStore(store)
        self._catalogue = catalogue
        self._calendar = calendar
        self._policy = policy
        self._key = key
        self._on_outcome = on_outcome

    # -- opened by the controller ------------------------------------------------------------

    def open_for(self, rating: Rating, callback_phone: str, now: datetime) -> cs.Case | None:
        """Open the case of a bad rating (once); keep its callback phone for managers only."""
        phone = callback_phone.strip()
        if phone and _PHONE.match(phone):
            self.cases.save_contact(rating.rating_id, phone, now)
        if not rating.level.is_bad or self.cases.case_of_rating(rating.rating_id) is not None:
            return None
        case, step = cs.open_case(rating, case_id=f"C{uuid.uuid4().hex[:10]}",
                                  real_name=self.cases.has_contact(rating.rating_id),
                                  policy=self._policy, calendar=self._calendar)
        self.cases.save_case(case, step)
        self._publish(case, step)
        return case

    def open_missing(self, now: datetime) -> int:
        """Cases of bad ratings stored just before a stop, opened at the next start."""
        opened = [self.open_for(r, "", now) for r in self.cases.bad_ratings_without_case()]
        return sum(1 for c in opened if c is not None)

    # -- intents ---------------------------------------------------------------------------

    def handle(self, intent: m.Intent, device_id: str, now: datetime) -> m.Answer:
        if isinstance(intent, m.SubmitFollowUp):
            return self._follow_up(intent, device_id, now)
        if isinstance(intent, m.CaseIntent):
            return self._case_step(intent, device_id, now)
        if isinstance(intent, m.AppealRating):
            return self._appeal(intent, device_id, now)
        if isinstance(intent, m.DecideAppeal):
            return self._decide(intent, device_id, now)
        if isinstance(intent, m.DrawRecheck):
            return self._draw(intent, device_id, now)
        if isinstance(intent, m.RecordRecheck):
            return self._recheck(intent, device_id, now)
        raise HallError(f"the case desk does not take {intent.KIND}")

    def _case_step(self, intent: m.CaseIntent, device_id: str, now: datetime) -> m.Answer:
        case = self._case(intent.case_id)
        if isinstance(intent, m.ViewCallbackPhone):
            phone = self.cases.callback_phone(case.rating_id, intent.actor, now)
            return self._answer(intent, case, {"phone": phone})
        step: tuple[cs.Case, cs.CaseStep]
        match intent:
            case m.RecordCallback():
                step = cs.record_callback(case, actor=intent.actor, channel=intent.channel,
                                          reached=intent.reached, said=intent.said, now=now)
            case m.VerifyCase():
                step = cs.verify(case, actor=intent.actor, confirmed=intent.confirmed,
                                 note=intent.note, now=now)
            case m.RectifyCase():
                step = cs.rectify(case, actor=intent.actor, kind=_measure(intent.measure),
                                  plan=intent.plan, due=intent.due, now=now)
            case m.CompleteRectification():
                step = cs.complete_rectification(case, actor=intent.actor, note=intent.note,
                                                 now=now)
            case m.RecordFeedback():
                step = cs.record_feedback(case, actor=intent.actor, channel=intent.channel,
                                          note=intent.note, now=now)
            case m.CloseCase():
                step = cs.close(case, actor=intent.actor, note=intent.note, now=now)
            case m.ReassignCase():
                step = cs.reassign(case, actor=intent.actor, owner=intent.owner, now=now)
            case _:
                raise HallError(f"no case step for {intent.KIND}")
        after, record = step
        answer = self._answer(intent, after)
        self.cases.save_case(after, record, _request(device_id, intent, answer))
        # A 限期整改 only planned is not yet an outcome; an unreached callback neither.
        if not (record.step == "rectify" and after.state is cs.CaseState.RECTIFY) and not (
                record.step == "callback" and after.state is cs.CaseState.CALLBACK):
            self._publish(after, record)
        return answer

    def _follow_up(self, intent: m.SubmitFollowUp, device_id: str, now: datetime) -> m.Answer:
        if intent.rating_token:
            # 追评 comes days after the service: the code's signature proves the service; its
            # 24-hour rating window does not apply (so it is checked as of the epoch).
            epoch = datetime.fromtimestamp(0, tz=now.tzinfo or UTC)
            claim = verify_rating_token(self._key, token_from_scan(intent.rating_token), epoch)
            ticket_id = claim.ticket_id
        elif intent.ticket_id:
            ticket = self._store.ticket(intent.ticket_id)
            if ticket is None:
                raise UnknownTicket(f"no ticket {intent.ticket_id}", number=intent.ticket_id)
            if device_id.startswith("pad-") and device_window(device_id) != ticket.window:
                raise NotPermitted(f"{device_id} cannot rate services of window {ticket.window}",
                                   device=device_id)
            ticket_id = ticket.ticket_id
        else:
            raise cs.CaseRefused("name the service: a ticket id or the receipt's code",
                                 reason="no_ticket")
        case = self.cases.case_of_ticket(ticket_id)
        if case is None:
            raise cs.CaseRefused("this service has no bad-rating case to follow up",
                                 reason="no_case")
        after, record = cs.follow_up(case, level=intent.level, comment=intent.comment, now=now)
        answer = self._answer(intent, after)
        self.cases.save_case(after, record, _request(device_id, intent, answer))
        self._publish(after, record)
        return answer

    def _appeal(self, intent: m.AppealRating, device_id: str, now: datetime) -> m.Answer:
        rating = self._rating(intent.rating_id)
        taken = any(a.pending or a.upheld for a in self.cases.appeals(rating.rating_id))
        appeal = ap.file_appeal(rating, appeal_id=f"S{uuid.uuid4().hex[:10]}",
                                filed_by=intent.actor, reason=intent.reason,
                                pending_or_upheld=taken,
                                window_working_days=self._policy.appeal_working_days,
                                calendar=self._calendar, now=now)
        answer = m.LoopAnswer(request_id=intent.request_id, ref=appeal.appeal_id, state="pending")
        self.cases.save_appeal(appeal, _request(device_id, intent, answer), now)
        return answer

    def _decide(self, intent: m.DecideAppeal, device_id: str, now: datetime) -> m.Answer:
        appeal = self.cases.appeal(intent.appeal_id)
        if appeal is None:
            raise UnknownCase(f"no appeal {intent.appeal_id!r}", ref=intent.appeal_id)
        case = self.cases.case_of_rating(appeal.rating_id)
        try:
            role = ap.DeciderRole(intent.role)
            exclusion = ap.ExclusionKind(intent.exclusion) if intent.exclusion else None
        except ValueError as exc:
            raise cs.CaseRefused(str(exc), reason="role_or_exclusion") from None
        decided = ap.decide_appeal(appeal, decided_by=intent.actor, role=role,
                                   case_owner=case.owner if case else "", upheld=intent.upheld,
                                   exclusion=exclusion, reason=intent.reason, now=now)
        state = "upheld" if decided.upheld else "rejected"
        answer = m.LoopAnswer(request_id=intent.request_id, ref=decided.appeal_id, state=state)
        self.cases.save_appeal(decided, _request(device_id, intent, answer), now)
        rating = self._rating(appeal.rating_id)
        self._on_outcome(m.CaseOutcome(
            case_id=case.case_id if case else "", rating_id=rating.rating_id,
            outcome="excluded_on_appeal" if decided.upheld else "appeal_rejected", at=now,
            window=rating.window, staff_id=rating.staff_id,
            state=case.state.value if case else "",
            detail={"exclusion": decided.exclusion.value} if decided.exclusion else None))
        return answer

    def _draw(self, intent: m.DrawRecheck, device_id: str, now: datetime) -> m.Answer:
        if self.cases.draw(intent.year) is not None:
            raise cs.CaseRefused(f"the re-check of {intent.year} was drawn already",
                                 reason="already_drawn")
        if not intent.seed.strip() or len(intent.seed) > 64:
            raise cs.CaseRefused("a draw needs its recorded seed (up to 64 characters)",
                                 reason="seed")
        draw = ap.draw_recheck(intent.year, self.cases.real_name_bad_ratings(intent.year),
                               share=self._policy.recheck_share, seed=intent.seed,
                               drawn_by=intent.actor, now=now)
        answer = m.LoopAnswer(request_id=intent.request_id, ref=str(intent.year), state="drawn",
                              detail={"population": str(draw.population),
                                      "drawn": " ".join(draw.drawn)})
        self.cases.save_draw(draw, _request(device_id, intent, answer))
        return answer

    def _recheck(self, intent: m.RecordRecheck, device_id: str, now: datetime) -> m.Answer:
        rating = self._rating(intent.rating_id)
        year = rating.rated_at.year
        draw = self.cases.draw(year)
        if draw is None or rating.rating_id not in draw.drawn:
            raise cs.CaseRefused("this rating was not drawn for re-check", reason="not_drawn")
        if not intent.result.strip() or len(intent.result) > cs.MAX_NOTE_CHARS:
            raise cs.CaseRefused("record the re-check's result", reason="result")
        answer = m.LoopAnswer(request_id=intent.request_id, ref=rating.rating_id,
                              state="rechecked")
        self.cases.save_recheck(rating.rating_id, year, intent.result.strip(), intent.actor, now,
                                _request(device_id, intent, answer))
        return answer

    # -- helpers -----------------------------------------------------------------------------

    def _case(self, case_id: str) -> cs.Case:
        case = self.cases.case(case_id)
        if case is None:
            raise UnknownCase(f"no case {case_id!r}", ref=case_id)
        return case

    def _rating(self, rating_id: str) -> Rating:
        rating = self.cases.rating(rating_id)
        if rating is None:
            raise UnknownCase(f"no rating {rating_id!r}", ref=rating_id)
        return rating

    def _answer(self, intent: m.Intent, case: cs.Case,
                detail: dict[str, str] | None = None) -> m.LoopAnswer:
        due = case.callback_due if case.state is cs.CaseState.CALLBACK else (
            case.rectify_due or case.feedback_due)
        return m.LoopAnswer(request_id=intent.request_id, ref=case.case_id,
                            state=case.state.value, due=due,
                            provisional_due=case.provisional_due, detail=detail)

    def _publish(self, case: cs.Case, step: cs.CaseStep) -> None:
        outcome = _OUTCOME_OF_STEP.get(step.step)
        if outcome is None:
            return
        detail = {k: v for k, v in step.details.items() if k in ("kind", "confirmed", "level",
                                                                 "channel", "on_time", "due")}
        self._on_outcome(m.CaseOutcome(case_id=case.case_id, rating_id=case.rating_id,
                                       outcome=outcome, at=step.at, window=case.window,
                                       staff_id=case.staff_id, state=case.state.value,
                                       detail=detail or None))


def _measure(text: str) -> cs.RectifyKind:
    try:
        return cs.RectifyKind(text)
    except ValueError:
        raise cs.CaseRefused(f"unknown rectification {text!r}", reason="measure") from None


def _request(device_id: str, intent: m.Intent, answer: m.Answer) -> tuple[str, str, bytes] | None:
    return (device_id, intent.request_id, encode(answer)) if intent.request_id else None
