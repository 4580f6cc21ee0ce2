"""THE wire schema: every message that crosses MQTT, as frozen dataclasses with KIND and VERSION."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

# The wire uses the core's own enumerations: one list of statuses, kinds and levels.
from hall.core.complaints import ComplaintCategory as ComplaintCategory
from hall.core.cutoff import CutoffMode as CutoffMode
from hall.core.ids import PauseReason as PauseReason
from hall.core.ids import TicketKind as TicketKind
from hall.core.ids import TicketStatus as TicketStatus
from hall.core.ids import WindowStatus as WindowStatus
from hall.core.ratings import RatingLevel as RatingLevel

PROTOCOL_VERSION = 1


@enum.unique
class Role(enum.StrEnum):
    CONTROLLER = "controller"
    KIOSK = "kiosk"
    COUNTER = "counter"
    WALL = "wall"
    CONSOLE = "console"


@enum.unique
class DeviceStatus(enum.StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"
    # A human is needed: printer out of paper, camera gone, ...
    ALERT = "alert"


@dataclass(frozen=True, slots=True, kw_only=True)
class Message:
    KIND: ClassVar[str] = ""
    VERSION: ClassVar[int] = PROTOCOL_VERSION
    DOC: ClassVar[str] = ""


# -- intents: devices ask, the controller decides ------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Intent(Message):
    """A device's request; the answer goes to `reply_to` carrying the same `request_id`."""

    request_id: str
    reply_to: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class TakeTicket(Intent):
    KIND = "take_ticket"
    DOC = "A kiosk asks for a ticket of one business type (priority = 绿色通道)."
    business: str
    priority: bool = False
    priority_reason: str = ""
    helper_name: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckInAppointment(Intent):
    KIND = "check_in_appointment"
    DOC = ("A kiosk checks in an appointment by its code and asks for its ticket; "
           "`phone_last4` is required when the booking carries a phone number.")
    code: str
    phone_last4: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class SignIn(Intent):
    KIND = "sign_in"
    DOC = "A clerk signs in at a window with their 工号."
    window: int
    staff_id: str
    pin: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class WindowIntent(Intent):
    window: int


@dataclass(frozen=True, slots=True, kw_only=True)
class SignOut(WindowIntent):
    KIND = "sign_out"
    DOC = "The clerk at a window signs out."


@dataclass(frozen=True, slots=True, kw_only=True)
class CallNext(WindowIntent):
    KIND = "call_next"
    DOC = "Call the next ticket by the window's skills and the priority rule."


@dataclass(frozen=True, slots=True, kw_only=True)
class CallTicket(WindowIntent):
    KIND = "call_ticket"
    DOC = "Call one specific waiting ticket to this window."
    number: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Recall(WindowIntent):
    KIND = "recall"
    DOC = "Call the current ticket again (重呼)."


@dataclass(frozen=True, slots=True, kw_only=True)
class MarkNoShow(WindowIntent):
    KIND = "mark_no_show"
    DOC = "The called citizen did not come (过号); allowed after the grace period."


@dataclass(frozen=True, slots=True, kw_only=True)
class Requeue(Intent):
    KIND = "requeue"
    DOC = "Put a no-show ticket back at the end of its queue."
    number: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Transfer(WindowIntent):
    KIND = "transfer"
    DOC = "Transfer the current ticket (转窗) to another window and/or business, with a note."
    to_window: int | None = None
    to_business: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Park(WindowIntent):
    KIND = "park"
    DOC = "Set the current ticket aside (the citizen fetches a document) and free the window."


@dataclass(frozen=True, slots=True, kw_only=True)
class Unpark(WindowIntent):
    KIND = "unpark"
    DOC = "Take a ticket parked at this window back into service."
    number: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Finish(WindowIntent):
    KIND = "finish"
    DOC = "Finish the current ticket; `items` lists the business types handled (batch)."
    items: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Pause(WindowIntent):
    KIND = "pause"
    DOC = "Pause the window with a reason (临时离开, 午休, 系统故障, ...)."
    reason: PauseReason


@dataclass(frozen=True, slots=True, kw_only=True)
class Resume(WindowIntent):
    KIND = "resume"
    DOC = "Resume a paused window."


@dataclass(frozen=True, slots=True, kw_only=True)
class PushNotice(Intent):
    KIND = "push_notice"
    DOC = ("A manager publishes a notice: urgent ones take the walls' banner, others scroll; "
           "shown from starts_at until expires_at (both optional).")
    text_zh: str
    text_en: str = ""
    urgent: bool = False
    starts_at: datetime | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RetractNotice(Intent):
    KIND = "retract_notice"
    DOC = "A manager takes a notice down."
    notice_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SubmitRating(Intent):
    KIND = "submit_rating"
    DOC = ("好差评 of one service: by the window's rating pad (`pad-<window>`, with `ticket_id`) "
           "or by scanning the receipt (`rating_token`). Levels: 非常满意 … 非常不满意; "
           "sub-indicators attitude, efficiency, proficiency, told_at_once are optional; "
           "a bad level needs at least one reason.")
    level: RatingLevel
    ticket_id: str = ""
    rating_token: str = ""
    sub_scores: dict[str, RatingLevel] | None = None
    reasons: tuple[str, ...] = ()
    comment: str = ""
    # Optional: a real-name bad rating is called back (回访); stored for managers only.
    callback_phone: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class FileComplaint(Intent):
    KIND = "file_complaint"
    DOC = ("A complaint or suggestion, read back and confirmed on the kiosk or registered at a "
           "window (the device is the first responder, 首问负责). Name, ID number and phone are "
           "optional and stored only for managers.")
    category: ComplaintCategory
    reasons: tuple[str, ...] = ()
    text: str = ""
    name: str = ""
    id_number: str = ""
    phone: str = ""
    business: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class LookupComplaint(Intent):
    KIND = "lookup_complaint"
    DOC = "The progress of a complaint by its tracking number (nothing personal is returned)."
    tracking_number: str


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenHall(Intent):
    KIND = "open_hall"
    DOC = "A manager opens ticket issuing."


@dataclass(frozen=True, slots=True, kw_only=True)
class CloseHall(Intent):
    KIND = "close_hall"
    DOC = "A manager stops new tickets; waiting tickets stay callable."


# -- answers: the controller to one device --------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class TicketView:
    ticket_id: str
    number: str
    business: str
    business_zh: str
    business_en: str
    kind: TicketKind
    issued_at: datetime
    priority_reason: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Answer(Message):
    request_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TicketAnswer(Answer):
    KIND = "ticket_answer"
    DOC = "The ticket issued for a take_ticket or check_in_appointment, with the wait ahead."
    ticket: TicketView | None = None
    people_ahead: int = 0
    est_wait_min: int | None = None
    # Signed by the controller; printed as the receipt's QR code for rating this service.
    rating_token: str = ""
    # -- wait range (issue 14): holds the true wait 8 times in 10; absent when unknown --
    est_wait_low_min: int | None = None
    est_wait_high_min: int | None = None
    # `<[hall] public_base_url>/r/<rating_token>`: what the receipt's QR holds (the hub's hall.toml
    # is its one source); empty when the hall has no public base URL.
    rating_url: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Accepted(Answer):
    KIND = "accepted"
    DOC = "The intent was carried out; `events` names what happened."
    events: tuple[str, ...] = ()
    number: str = ""
    notice_id: str = ""
    rating_id: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ComplaintAnswer(Answer):
    KIND = "complaint_answer"
    DOC = "A complaint's tracking number, category, status and the date its answer is due."
    tracking_number: str
    category: ComplaintCategory
    status: str
    registered_at: datetime
    answer_due: date
    # The progress lookup's wording and further dates (nothing personal).
    status_zh: str = ""
    first_contact_due: datetime | None = None
    transferred_to: str = ""
    closed_at: datetime | None = None
    provisional_due: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Rejected(Answer):
    KIND = "rejected"
    DOC = "The intent was refused or malformed; `code` is stable, `message` is for logs."
    code: str
    message: str
    detail: dict[str, str] | None = None


# -- retained state: written only by the controller ----------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class BusinessQueue:
    code: str
    prefix: str
    name_zh: str
    name_en: str
    waiting: int
    priority_waiting: int
    windows_open: int
    est_wait_min: int | None = None
    # The estimate passed the hall's congestion threshold: walls show guidance.
    congested: bool = False
    # Since when the longest-waiting ticket waits; the first few numbers in queue order.
    oldest_queued_at: datetime | None = None
    next_numbers: tuple[str, ...] = ()
    # Those of next_numbers that are 绿色通道 tickets, for the clerk's queue list.
    next_priority_numbers: tuple[str, ...] = ()
    # -- wait ranges and the issuing cut-off (issue 14); absent fields mean "unknown" --
    est_wait_low_min: int | None = None
    est_wait_high_min: int | None = None
    # A 绿色通道 ticket's own wait: it goes ahead by the hall's priority rule.
    priority_wait_low_min: int | None = None
    priority_wait_high_min: int | None = None
    # Ticket issuing for this business has stopped today: the call would come after closing
    # (cut_off = "auto") or a manager stopped it ("manager"); the kiosk says why and when next.
    cut_off: str = ""
    cut_off_zh: str = ""
    cut_off_en: str = ""
    next_opening: datetime | None = None
    # The manager's override for today: "auto" (the estimate decides), "open" or "stop".
    cutoff_mode: str = "auto"


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueSnapshot(Message):
    KIND = "queue_snapshot"
    DOC = "Waiting counts and estimated waits per business type (retained)."
    service_day: date
    is_open: bool
    updated_at: datetime
    businesses: tuple[BusinessQueue, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class WindowState(Message):
    KIND = "window_state"
    DOC = "One window: status, clerk's name and 工号, current ticket (retained)."
    window: int
    status: WindowStatus
    updated_at: datetime
    name_zh: str = ""
    businesses: tuple[str, ...] = ()
    staff_id: str = ""
    staff_name: str = ""
    ticket_number: str = ""
    ticket_business: str = ""
    pause_reason: PauseReason | None = None
    since: datetime | None = None
    # For the clerk's terminal: the ticket in service and what waits on this window.
    ticket: WindowTicket | None = None
    parked: tuple[str, ...] = ()
    no_shows: tuple[str, ...] = ()
    handled_today: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class WindowTicket:
    ticket_id: str
    number: str
    business: str
    kind: TicketKind
    issued_at: datetime
    called_at: datetime | None = None
    first_called_at: datetime | None = None
    call_count: int = 0
    # Always "" on this public topic since issue 11: the reason and the note go to the clerk
    # alone in WindowDetail. Kept in the schema so that older terminals still decode.
    priority_reason: str = ""
    transferred_from: int | None = None
    transfer_note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class BusinessInfo:
    code: str
    prefix: str
    name_zh: str
    name_en: str
    windows: tuple[int, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class DayHours:
    weekday: int
    sessions: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class HallInfo(Message):
    KIND = "hall_info"
    DOC = "The hall's name, service hours, today's sessions and catalogue (retained)."
    hall_id: str
    name_zh: str
    name_en: str
    timezone: str
    is_open: bool
    updated_at: datetime
    today: tuple[str, ...] = ()
    hours: tuple[DayHours, ...] = ()
    businesses: tuple[BusinessInfo, ...] = ()
    # The start of the next opening period after `updated_at`, holidays and 调休 followed
    # (the kiosk's "open again at"); None when none is within 60 days.
    next_opens_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CallView:
    number: str
    window: int
    business: str
    at: datetime
    is_recall: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class RecentCalls(Message):
    KIND = "recent_calls"
    DOC = "The last calls of the day, newest first (retained)."
    updated_at: datetime
    calls: tuple[CallView, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class NoticeView:
    notice_id: str
    text_zh: str
    text_en: str
    urgent: bool
    pushed_at: datetime
    starts_at: datetime | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Notices(Message):
    KIND = "notices"
    DOC = ("Every notice not yet expired, scheduled ones included; each wall honours start and "
           "expiry on its own clock (retained).")
    updated_at: datetime
    notices: tuple[NoticeView, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class HourCount:
    hour: int
    issued: int


@dataclass(frozen=True, slots=True, kw_only=True)
class WaitingSample:
    at: str
    waiting: int


@dataclass(frozen=True, slots=True, kw_only=True)
class BusinessWait:
    code: str
    avg_wait_min: float


@dataclass(frozen=True, slots=True, kw_only=True)
class DayFigures(Message):
    KIND = "day_figures"
    DOC = ("The day so far for the walls' charts: tickets per hour, people waiting over the day, "
           "average wait per business (retained, refreshed about once a minute).")
    updated_at: datetime
    issued_per_hour: tuple[HourCount, ...] = ()
    waiting_over_day: tuple[WaitingSample, ...] = ()
    avg_wait: tuple[BusinessWait, ...] = ()


# -- events: QoS 1, not retained -------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class TicketCalled(Message):
    KIND = "ticket_called"
    DOC = "A ticket was called to a window; walls announce it."
    number: str
    ticket_id: str
    window: int
    business: str
    ticket_kind: TicketKind
    at: datetime
    call_count: int = 1
    staff_id: str = ""
    staff_name: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class TicketRecalled(Message):
    KIND = "ticket_recalled"
    DOC = "The current ticket of a window was called again (重呼); walls announce it again."
    number: str
    ticket_id: str
    window: int
    business: str
    ticket_kind: TicketKind
    at: datetime
    call_count: int = 2
    staff_id: str = ""
    staff_name: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class TicketFinished(Message):
    KIND = "ticket_finished"
    DOC = "A service ended; the window's rating pad offers the rating."
    number: str
    ticket_id: str
    window: int
    staff_id: str
    items: tuple[str, ...]
    at: datetime
    handle_s: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class HallAlert(Message):
    KIND = "hall_alert"
    DOC = ("Something managers must act on, e.g. congestion: a business's wait passed the threshold. "
           "`alert_id`, when given, names the alert itself: the same alert raised again (the "
           "closed loop's daily ones after a controller restart) carries the same id, so the "
           "console shows it once.")
    alert: str
    at: datetime
    business: str = ""
    est_wait_min: int | None = None
    message_zh: str = ""
    alert_id: str = ""


# -- direct: the controller to one device, unasked ------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class RatingInvite(Message):
    KIND = "rating_invite"
    DOC = ("To the window's rating pad alone (its reply topic) when a service ends: what to rate, "
           "and the signed code a phone can rate with instead.")
    ticket_id: str
    number: str
    window: int
    staff_id: str
    staff_name: str
    items: tuple[str, ...]
    items_zh: tuple[str, ...]
    finished_at: datetime
    rating_token: str
    # `<[hall] public_base_url>/r/<rating_token>`: the pad's QR for a phone; empty without one.
    rating_url: str = ""


# -- reports: for managers and the central platform, QoS 1, not retained --------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class RatingRecorded(Message):
    KIND = "rating_recorded"
    DOC = ("A 好差评 the controller has stored: what the hall forwards to the central 好差评 "
           "platform (bridge) and what managers' consoles count. Nothing identifies the citizen.")
    rating_id: str
    ticket_id: str
    service_day: date
    window: int
    staff_id: str
    items: tuple[str, ...]
    level: RatingLevel
    channel: str
    rated_at: datetime
    sub_scores: dict[str, RatingLevel] | None = None
    reasons: tuple[str, ...] = ()
    comment: str = ""


# -- presence: retained, one per device, with a last will -----------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Presence(Message):
    KIND = "presence"
    DOC = "A device's liveness (online/offline/alert), boot counter and version (retained)."
    device_id: str
    role: Role
    status: DeviceStatus
    boot_count: int = 0
    app_version: str = ""
    detail: str = ""
    at: datetime | None = None


# -- direct, for the clerk alone (issue 11): free text off the topics every device reads ------


@dataclass(frozen=True, slots=True, kw_only=True)
class WindowDetail(Message):
    KIND = "window_detail"
    DOC = ("What only the window's clerk needs about the ticket in service, on the counter's own "
           "reply topic (`counter-<window>`, retained): the transfer note, the 绿色通道 reason and "
           "the helper's name, personal numbers masked. Never on state/window/<n>.")
    window: int
    updated_at: datetime
    ticket_id: str = ""
    number: str = ""
    priority_reason: str = ""
    helper_name: str = ""
    transfer_note: str = ""
    transferred_from: int | None = None


# -- the manager console (hall console): manager intents and the phone page -----------------


@dataclass(frozen=True, slots=True, kw_only=True)
class EditNotice(Intent):
    KIND = "edit_notice"
    DOC = ("A manager replaces a notice in force with new text, urgency or times; the old one is "
           "retracted and the answer names the new notice's id.")
    notice_id: str
    text_zh: str
    text_en: str = ""
    urgent: bool = False
    starts_at: datetime | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SetStaffPin(Intent):
    KIND = "set_staff_pin"
    DOC = ("A manager sets a clerk's sign-in PIN (6 digits, not trivial); the PIN is stored "
           "hashed, never in the answer, and any sign-in lock of that 工号 is lifted.")
    staff_id: str
    pin: str


@dataclass(frozen=True, slots=True, kw_only=True)
class UnlockSignIn(Intent):
    KIND = "unlock_sign_in"
    DOC = "A manager lifts sign-in locks: of a 工号 at every window and of the windows named."
    staff_id: str = ""
    windows: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class LookupTicketProgress(Intent):
    KIND = "lookup_ticket_progress"
    DOC = ("The phone page (console account only) asks where a receipt's ticket stands, by the "
           "signed code of its QR; nothing personal is answered.")
    rating_token: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TicketProgress(Answer):
    KIND = "ticket_progress"
    DOC = ("Where a ticket stands: waiting (people ahead, estimated minutes), called or in service "
           "(at which window), finished (whether it may still be rated), or over.")
    number: str
    business_zh: str
    business_en: str
    status: TicketStatus
    people_ahead: int = 0
    est_wait_min: int | None = None
    window: int | None = None
    is_rated: bool = False
    can_rate: bool = False


# -- kiosk without a camera: the receipt's short rating code (foh-kiosk) ----------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class RedeemRatingCode(Intent):
    KIND = "redeem_rating_code"
    DOC = ("A kiosk without a camera: the receipt's short rating code as the citizen typed it "
           "(ticket number and six check digits, `A031482913`); answered with the receipt's "
           "rating token (`rating_code_answer`) or `invalid_rating_token`.")
    code: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RatingCodeAnswer(Answer):
    KIND = "rating_code_answer"
    DOC = "The rating token of the receipt whose short code was typed; it goes on to submit_rating."
    rating_token: str
    number: str = ""
    # What the receipt can do now (see check_rating_code): rate, follow_up, followed_up.
    stage: str = ""


# -- the 好差评 closed loop, complaint handling (manager intents, answers, reports) ----------
# Sent by the manager console on behalf of its signed-in account `actor` (manager, supervisor
# or a clerk's 工号 for an appeal); the broker lets only the manager account publish them.


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseIntent(Intent):
    case_id: str
    actor: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordCallback(CaseIntent):
    KIND = "record_callback"
    DOC = ("回访 of a bad-rating case: channel (phone, sms, visit), whether the citizen was reached "
           "and what they said. Reached moves the case on to 核实.")
    channel: str
    reached: bool
    said: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class VerifyCase(CaseIntent):
    KIND = "verify_case"
    DOC = "核实: whether the bad rating's complaint is confirmed, with a note."
    confirmed: bool
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class RectifyCase(CaseIntent):
    KIND = "rectify_case"
    DOC = ("整改: `measure` at_once (立行立改), with_deadline (限期整改, `due` required) or "
           "explained (解释说明), with what was done or planned.")
    measure: str
    plan: str
    due: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CompleteRectification(CaseIntent):
    KIND = "complete_rectification"
    DOC = "A 限期整改 is done."
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordFeedback(CaseIntent):
    KIND = "record_feedback"
    DOC = "反馈: the citizen was told the outcome (channel, note); a 追评 may follow."
    channel: str
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class CloseCase(CaseIntent):
    KIND = "close_case"
    DOC = "办结 of a case after the feedback."
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ReassignCase(CaseIntent):
    KIND = "reassign_case"
    DOC = "Give a case to another manager."
    owner: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ViewCallbackPhone(CaseIntent):
    KIND = "view_callback_phone"
    DOC = "The rater's callback phone of a case, for the manager calling back (audited)."


@dataclass(frozen=True, slots=True, kw_only=True)
class AppealRating(Intent):
    KIND = "appeal_rating"
    DOC = ("申诉: a clerk (`actor` = their 工号) appeals a rating of their own service, with a "
           "reason, within the configured working days.")
    rating_id: str
    actor: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DecideAppeal(Intent):
    KIND = "decide_appeal"
    DOC = ("复核: a manager other than the case owner, or a supervisor (`role`), upholds or "
           "rejects an appeal with a reason; upheld needs `exclusion` mis_rating (误评) or "
           "malicious (恶意差评) and takes the rating out of every statistic.")
    appeal_id: str
    actor: str
    role: str
    upheld: bool
    reason: str
    exclusion: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class DrawRecheck(Intent):
    KIND = "draw_recheck"
    DOC = ("复核抽查: draw the year's re-check sample (at least 5% of real-name bad ratings) with a "
           "recorded seed; once per year, reproducible.")
    year: int
    actor: str
    seed: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordRecheck(Intent):
    KIND = "record_recheck"
    DOC = "The result of re-checking one drawn rating."
    rating_id: str
    actor: str
    result: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RegisterComplaint(Intent):
    KIND = "register_complaint"
    DOC = ("A complaint taken by phone, letter, online or referred by 12345, with the form of "
           "document 000 read back to the complainant first: name, ID number, contact, time of "
           "the event, business, request; `actor` is the first responder (首问负责).")
    channel: str
    category: ComplaintCategory
    actor: str
    text: str
    reasons: tuple[str, ...] = ()
    name: str = ""
    id_number: str = ""
    phone: str = ""
    event_time: str = ""
    business: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ComplaintStep(Intent):
    KIND = "complaint_step"
    DOC = ("One handling step of a complaint. `step`: first_contact | contact | finding (note), "
           "assign (handler), extend (reason, approved_by: to 15 working days), transfer "
           "(department, told_via: the complainant is told), close (answer, satisfaction), "
           "reopen (reason).")
    tracking_number: str
    actor: str
    step: str
    note: str = ""
    handler: str = ""
    approved_by: str = ""
    department: str = ""
    told_via: str = ""
    satisfaction: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ViewComplaint(Intent):
    KIND = "view_complaint"
    DOC = "A complaint's full form with the personal data: managers only, each view audited."
    tracking_number: str
    actor: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SubmitFollowUp(Intent):
    KIND = "submit_follow_up"
    DOC = ("追评: the citizen's one follow-up rating of a service whose bad-rating case gave its "
           "feedback, through the same receipt code (`rating_token`) or the window's pad "
           "(`ticket_id`).")
    level: RatingLevel
    ticket_id: str = ""
    rating_token: str = ""
    comment: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class LoopAnswer(Answer):
    KIND = "loop_answer"
    DOC = ("The closed loop's answer: the case, appeal, draw or complaint concerned (`ref`), its "
           "state and due dates; `detail` carries a step's result (a drawn sample, a phone, a "
           "complaint's full form).")
    ref: str
    state: str
    due: date | None = None
    provisional_due: bool = False
    detail: dict[str, str] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseOutcome(Message):
    KIND = "case_outcome"
    DOC = ("A step of a bad rating's closed loop, after it is stored: opened, callback_done, "
           "rectified, feedback_given, follow_up, closed, excluded_on_appeal, appeal_rejected. "
           "On report/cases beside rating_recorded, for managers and the bridge to the central "
           "好差评 platform; nothing identifies the citizen.")
    case_id: str
    rating_id: str
    outcome: str
    at: datetime
    window: int
    staff_id: str
    state: str
    detail: dict[str, str] | None = None


LOOP_INTENTS: tuple[type[Intent], ...] = (
    RecordCallback, VerifyCase, RectifyCase, CompleteRectification, RecordFeedback, CloseCase,
    ReassignCase, ViewCallbackPhone, AppealRating, DecideAppeal, DrawRecheck, RecordRecheck,
    RegisterComplaint, ComplaintStep, ViewComplaint,
)


# -- wait estimates and the issuing cut-off (issue 14) --------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class TicketWait:
    ticket_id: str
    number: str
    business: str
    people_ahead: int
    low_min: int | None = None
    high_min: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TicketWaits(Message):
    KIND = "ticket_waits"
    DOC = ("The remaining wait of waiting tickets whose figures changed as the queue moved "
           "(people ahead, 80% range in minutes): for the phone page and SMS. QoS 0, not "
           "retained; `complete` marks a full list after a reconnect or a new day.")
    updated_at: datetime
    waits: tuple[TicketWait, ...]
    complete: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class SetIssuingCutoff(Intent):
    KIND = "set_issuing_cutoff"
    DOC = ("A manager overrides one business's issuing cut-off for the rest of the day "
           "(auto, open or stop); answered with accepted.")
    business: str
    mode: CutoffMode


# -- console-rest: a notice replaced in one step (walls show exactly one version) -----------


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplaceNotice(Intent):
    KIND = "replace_notice"
    DOC = ("A manager replaces a notice in force with new text, urgency or times in one "
           "transaction: the old one is retracted and the new one stored together, and the walls' "
           "retained list changes once, so they show exactly one version at any time. The answer "
           "names the new notice's id; a refused replacement changes nothing.")
    notice_id: str
    text_zh: str
    text_en: str = ""
    urgent: bool = False
    starts_at: datetime | None = None
    expires_at: datetime | None = None


# -- the kiosk's part of the closed loop; reprinting a slip at the counter (foh) -------------


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckRatingCode(Intent):
    KIND = "check_rating_code"
    DOC = ("A receipt's rating code scanned at a kiosk, before the citizen rates: answered with "
           "rating_code_answer, whose `stage` says what the receipt can do now (`rate`; "
           "`follow_up` when its bad-rating case awaits the citizen's 追评; `followed_up` when "
           "that is done), or refused (`invalid_rating_token`, `rating_refused` already_rated).")
    rating_token: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ReprintTicket(WindowIntent):
    KIND = "reprint_ticket"
    DOC = ("A clerk reprints a citizen's ticket slip of the day (lost, or the kiosk's print "
           "failed) on the counter's receipt printer: answered with the ticket_answer to print, "
           "marked 补打, a few times per ticket (`reprint_refused` beyond), or `unknown_ticket`.")
    number: str


INTENTS: tuple[type[Intent], ...] = (
    TakeTicket, CheckInAppointment, SignIn, SignOut, CallNext, CallTicket, Recall, MarkNoShow,
    Requeue, Transfer, Park, Unpark, Finish, Pause, Resume, SubmitRating, FileComplaint,
    LookupComplaint, SubmitFollowUp, LookupTicketProgress, RedeemRatingCode,
    CheckRatingCode, ReprintTicket,
)
# Only the manager account may publish these (broker ACL on the manager topics).
MANAGER_INTENTS: tuple[type[Intent], ...] = (OpenHall, CloseHall, PushNotice, RetractNotice,
                                              *LOOP_INTENTS, EditNotice, SetStaffPin,
                                              UnlockSignIn, SetIssuingCutoff,
                                              ReplaceNotice)
ANSWERS: tuple[type[Answer], ...] = (TicketAnswer, Accepted, ComplaintAnswer, Rejected, LoopAnswer,
                                     TicketProgress, RatingCodeAnswer)
STATES: tuple[type[Message], ...] = (QueueSnapshot, WindowState, HallInfo, RecentCalls, Notices,
                                     DayFigures)
EVENTS: tuple[type[Message], ...] = (TicketCalled, TicketRecalled, TicketFinished, HallAlert,
                                     TicketWaits)
PRESENCE: tuple[type[Message], ...] = (Presence,)
DIRECT: tuple[type[Message], ...] = (RatingInvite, WindowDetail)
REPORTS: tuple[type[Message], ...] = (RatingRecorded, CaseOutcome)
ALL_MESSAGES: tuple[type[Message], ...] = (*INTENTS, *MANAGER_INTENTS, *ANSWERS, *STATES, *EVENTS,
                                          *PRESENCE, *DIRECT, *REPORTS)


# -- text limits: decode refuses longer text as malformed (hostile devices, issue 11) ----------

MAX_REQUEST_ID = 64
MAX_TOPIC = 128
# Entries of any list or object field (items, reasons, sub_scores, notices, calls, ...).
MAX_ITEMS = 64
MAX_KEY = 32
# Any text field not named in TEXT_LIMITS: ids, codes, numbers, names of things.
MAX_TEXT = 200
TEXT_LIMITS: dict[str, int] = {
    "request_id": MAX_REQUEST_ID,
    "reply_to": MAX_TOPIC,
    # Free text a person types at a device: what a screen or a receipt line can show.
    "TakeTicket.priority_reason": 40,
    "TakeTicket.helper_name": 20,
    "TakeTicket.business": 40,
    "CheckInAppointment.code": 32,
    "CheckInAppointment.phone_last4": 4,
    "RedeemRatingCode.code": 20,
    "SignIn.pin": 32,
    "Transfer.note": 100,
    "PushNotice.text_zh": 300,
    "PushNotice.text_en": 600,
    "SubmitRating.comment": 300,
    "SubmitRating.reasons": 40,
    "SubmitRating.rating_token": 512,
    "FileComplaint.text": 1000,
    "FileComplaint.reasons": 40,
    "FileComplaint.name": 30,
    "FileComplaint.id_number": 18,
    "FileComplaint.phone": 20,
    "Presence.detail": 200,
    # What the controller writes: the same bounds, so nothing it sends is refused by a device.
    "TicketView.priority_reason": 40,
    "WindowTicket.priority_reason": 40,
    "WindowTicket.transfer_note": 100,
    "NoticeView.text_zh": 300,
    "NoticeView.text_en": 600,
    "RatingRecorded.comment": 300,
    "RatingRecorded.reasons": 40,
    "RatingInvite.rating_token": 512,
    "TicketAnswer.rating_token": 512,
    "RatingCodeAnswer.rating_token": 512,
    "Rejected.message": 1000,
    "HallAlert.message_zh": 300,
    "WindowDetail.priority_reason": 40,
    "WindowDetail.helper_name": 20,
    "WindowDetail.transfer_note": 100,
}


# The manager console's intents (the notice and code bounds match push_notice's and the receipt's).
TEXT_LIMITS.update({
    "EditNotice.text_zh": 300,
    "EditNotice.text_en": 600,
    "SetStaffPin.pin": 32,
    "LookupTicketProgress.rating_token": 512,
})

# The closed loop (issue 13): a letter's request is as long as a kiosk's complaint, and the full
# form `view_complaint` answers carries it back in `detail`.
TEXT_LIMITS.update({
    "RegisterComplaint.text": 1000,
    "LoopAnswer.detail": 1000,
})


# The kiosk's closed loop and the counter's reprint (foh).
TEXT_LIMITS.update({
    "CheckRatingCode.rating_token": 512,
    "SubmitFollowUp.rating_token": 512,
    "SubmitFollowUp.comment": 300,
    "ReprintTicket.number": 8,
})


def text_limit(cls: type, name: str) -> int:
    """The most characters field `name` of message class `cls` (or its items) may carry."""
    for klass in getattr(cls, "__mro__", (cls,)):
        limit = TEXT_LIMITS.get(f"{klass.__name__}.{name}")
        if limit is not None:
            return limit
    return TEXT_LIMITS.get(name, MAX_TEXT)


# A replaced notice: the same bounds as push_notice's; a rating URL is a base URL and a token.
TEXT_LIMITS.update({
    "TicketAnswer.rating_url": 800,
    "RatingInvite.rating_url": 800,
    "ReplaceNotice.text_zh": 300,
    "ReplaceNotice.text_en": 600,
})
