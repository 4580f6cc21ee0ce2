"""What the wall shows, as a pure function of the messages it received and the time."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import datetime

from display_wall.announcer import Announcement as CallLine
from hall.chinese_text import full_width_punctuation
from hall.protocol import messages as m
from hall.public_texts import PAUSE_TEXT, STATUS_TEXT, wait_words
from hall.retained_state import keep_retained

RECENT_SHOWN = 8
# Past this an estimate is too uncertain to give in minutes: the wall says 「较长」 instead.
WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
# The waits panel gives way to the day's charts for the last 10 s of every 30 s, unless a
# business is congested: then the waits and the advice stay up.
CHART_CYCLE_S = 30
CATALOGUE_PAGE = 5
CHART_SHOWN_S = 10


class Tone(enum.Enum):
    """How a window's status looks on the wall: each in its own colour, readable at 5 m."""

    SERVING = "serving"
    IDLE = "idle"
    AWAY = "away"  # back soon: 临时离开, 午休, 会议
    PAUSED = "paused"  # 暂停服务, 系统故障
    UNSTAFFED = "unstaffed"  # nobody signed in


@dataclass(frozen=True, slots=True)
class WindowLine:
    window: int
    status_zh: str
    status_en: str
    ticket: str
    staff: str
    is_serving: bool
    is_paused: bool
    tone: Tone = Tone.IDLE


@dataclass(frozen=True, slots=True)
class BusinessLine:
    prefix: str
    name_zh: str
    waiting: int
    wait_zh: str
    congested: bool = False


@dataclass(frozen=True, slots=True)
class WallState:
    hall_name_zh: str = "医疗保障服务大厅"
    hall_name_en: str = ""
    is_open: bool = False
    hours_today: str = ""
    now_calling: CallLine | None = None
    recent: tuple[CallLine, ...] = ()
    windows: tuple[WindowLine, ...] = ()
    businesses: tuple[BusinessLine, ...] = ()
    is_stale: bool = True
    last_update: datetime | None = None
    clock: datetime | None = None
    date_line: str = ""
    urgent_notice: str = ""
    ticker: tuple[str, ...] = ()
    figures: m.DayFigures | None = None
    prefixes: tuple[tuple[str, str], ...] = ()
    show_charts: bool = False
    # When nobody waits, the waits panel pages through the service catalogue instead.
    catalogue_page: tuple[str, ...] = ()


@dataclass
class WallModel:
    """Accumulates what the wall has received; `state()` renders it for a moment in time."""

    hall: m.HallInfo | None = None
    queue: m.QueueSnapshot | None = None
    calls: m.RecentCalls | None = None
    windows: dict[int, m.WindowState] = field(default_factory=dict)
    notices: m.Notices | None = None
    figures: m.DayFigures | None = None
    controller_online: bool = False
    last_update: datetime | None = None
    controller_since: datetime | None = None

    def _is_older(self, message: m.Message) -> bool:
        """Retained state is compared by the controller's `updated_at`: never go back in time."""
        held: m.Message | None = {
            m.HallInfo: self.hall, m.QueueSnapshot: self.queue, m.RecentCalls: self.calls,
            m.Notices: self.notices, m.DayFigures: self.figures}.get(type(message))
        if isinstance(message, m.WindowState):
            held = self.windows.get(message.window)
        new, old = getattr(message, "updated_at", None), getattr(held, "updated_at", None)
        if new is None or old is None:
            return False
        # Made since the controller's latest start: fresh even if its clock was set back.
        return new < old and not (self.controller_since is not None
                                  and new >= self.controller_since)

    def apply(self, message: m.Message, received_at: datetime) -> None:
        if self._is_older(message):
            return  # e.g. the broker's autosaved snapshot, replayed at a reconnect
        if isinstance(message, m.Presence) and message.role is m.Role.CONTROLLER:
            online = message.status is not m.DeviceStatus.OFFLINE
            self.controller_since = message.at if online else None
        if isinstance(message, m.Presence) and message.role is m.Role.CONTROLLER:
            self.controller_online = message.status is not m.DeviceStatus.OFFLINE
            return
        if keep_retained(self, message):
            self.last_update = received_at

    def state(self, now: datetime, *, connected: bool) -> WallState:
        # State older than the controller's latest (re)start is not yet republished: stale.
        behind = (self.controller_since is not None and self.queue is not None
                  and self.queue.updated_at < self.controller_since)
        state = WallState(clock=now.replace(second=0, microsecond=0), last_update=self.last_update,
                          is_stale=not (connected and self.controller_online) or behind,
                          date_line=f"{now.month}月{now.day}日 {WEEKDAYS_ZH[now.weekday()]}")
        if self.hall is not None:
            state = replace(state, hall_name_zh=self.hall.name_zh, hall_name_en=self.hall.name_en,
                            hours_today="  ".join(self.hall.today) or "今日不办公")
        ticker: list[str] = []
        if self.notices is not None:
            showing = [n for n in self.notices.notices if _is_showing(n, now)]
            urgent = [n for n in showing if n.urgent]
            if urgent:
                state = replace(state, urgent_notice=_notice_text(urgent[-1]))
            ticker += [_notice_text(n) for n in showing if not n.urgent]
        if self.queue is not None:
            state = replace(state, is_open=self.queue.is_open, businesses=tuple(
                BusinessLine(b.prefix, b.name_zh, b.waiting, _wait_text(b), b.congested)
                for b in self.queue.businesses))
            ticker += [CONGESTION_ADVICE.format(name=full_width_punctuation(b.name_zh))
                       for b in self.queue.businesses if b.congested]
        state = replace(state, ticker=tuple(ticker))
        quiet = self.queue is not None and sum(b.waiting for b in self.queue.businesses) == 0
        if quiet and self.hall is not None and self.hall.businesses:
            entries = [f"{b.prefix} {full_width_punctuation(b.name_zh)} · "
                       f"{'、'.join(str(w) for w in b.windows)} 号窗口"
                     for b in self.hall.businesses]
            pages = [tuple(entries[i:i + CATALOGUE_PAGE]) for i in range(0, len(entries),
                                                                      CATALOGUE_PAGE)]
            state = replace(state, catalogue_page=pages[(now.second // 10) % len(pages)])
        if self.figures is not None and self.figures.issued_per_hour and self.queue is not None:
            congested = any(b.congested for b in self.queue.businesses)
            state = replace(state, figures=self.figures, show_charts=(
                not congested and now.second % CHART_CYCLE_S >= CHART_CYCLE_S - CHART_SHOWN_S),
                prefixes=tuple((b.code, b.prefix) for b in self.queue.businesses))
        if self.calls is not None and self.calls.calls:
            lines = tuple(CallLine(c.number, c.window, c.is_recall) for c in self.calls.calls)
            state = replace(state, now_calling=lines[0], recent=_recent(lines))
        state = replace(state, windows=tuple(_window_line(self.windows[n])
                                             for n in sorted(self.windows)))
        return state


CONGESTION_ADVICE = ("{name}等候人数较多，您可先办理其他业务，或通过“国家医保服务平台”App "
                     "网上办理、预约后再来")


def _is_showing(notice: m.NoticeView, now: datetime) -> bool:
    started = notice.starts_at is None or notice.starts_at <= now
    return started and (notice.expires_at is None or now < notice.expires_at)


def _notice_text(notice: m.NoticeView) -> str:
    return f"{notice.text_zh}  {notice.text_en}".strip()


def _recent(lines: tuple[CallLine, ...]) -> tuple[CallLine, ...]:
    """The calls before the newest, each number once (a recall is not a second citizen)."""
    seen = {lines[0].number}
    recent = []
    for line in lines[1:]:
        if line.number not in seen:
            seen.add(line.number)
            recent.append(replace(line, is_recall=False))
    return tuple(recent[:RECENT_SHOWN])


def _wait_text(b: m.BusinessQueue) -> str:
    if b.cut_off_zh:
        return b.cut_off_zh
    return wait_text(b.waiting, b.est_wait_min, b.est_wait_low_min, b.est_wait_high_min)


def wait_text(waiting: int, minutes: int | None, low: int | None = None,
              high: int | None = None) -> str:
    """The estimated wait as the wall says it (hall.public_texts.wait_words, as everywhere)."""
    return wait_words(minutes, low, high, waiting=waiting, compact=True) or "暂无窗口"


def _window_line(w: m.WindowState) -> WindowLine:
    zh, en = STATUS_TEXT[w.status]
    tone = {m.WindowStatus.SERVING: Tone.SERVING, m.WindowStatus.IDLE: Tone.IDLE,
            m.WindowStatus.PAUSED: Tone.PAUSED, m.WindowStatus.CLOSED: Tone.UNSTAFFED}[w.status]
    if w.status is m.WindowStatus.PAUSED:
        zh = "暂停服务"
        if w.pause_reason is not None:
            zh = PAUSE_TEXT[w.pause_reason]
            tone = Tone.PAUSED if w.pause_reason is m.PauseReason.SYSTEM_FAULT else Tone.AWAY
    elif w.status is m.WindowStatus.CLOSED:
        zh, en = "未开放", "Not open"
    staff = f"{w.staff_name} {w.staff_id}" if w.staff_id else ""
    return WindowLine(window=w.window, status_zh=zh, status_en=en, ticket=w.ticket_number,
                      staff=staff, is_serving=w.status is m.WindowStatus.SERVING,
                      is_paused=w.status is m.WindowStatus.PAUSED, tone=tone)
