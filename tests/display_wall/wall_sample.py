"""A busy morning of the sample hall, as the messages a wall receives."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from hall.config import SAMPLE_HALL, load_config
from hall.protocol import messages as m

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 10, 12, tzinfo=SH)
CATALOGUE = load_config(SAMPLE_HALL, env={"HALL_MQTT_PASSWORD": "x"}).catalogue


def busy_morning() -> list[m.Message]:
    messages: list[m.Message] = [
        m.Presence(device_id="controller", role=m.Role.CONTROLLER, status=m.DeviceStatus.ONLINE),
        m.HallInfo(hall_id="demo-hall", name_zh=CATALOGUE.name_zh, name_en=CATALOGUE.name_en,
                   timezone="Asia/Shanghai", is_open=True, updated_at=NOW,
                   today=("09:00-12:00", "13:30-17:00")),
        m.QueueSnapshot(service_day=date(2026, 11, 24), is_open=True, updated_at=NOW,
                        businesses=tuple(
                            m.BusinessQueue(code=b.code, prefix=b.prefix, name_zh=b.name_zh,
                                            name_en=b.name_en, waiting=(i * 3) % 11,
                                            priority_waiting=0, windows_open=2,
                                            est_wait_min=None if i == 9 else (i * 7) % 40,
                                            est_wait_low_min=None if i == 9 else
                                            max(0, (i * 7) % 40 - 4),
                                            est_wait_high_min=None if i == 9 else
                                            (i * 7) % 40 + 6)
                            for i, b in enumerate(CATALOGUE.businesses))),
        m.RecentCalls(updated_at=NOW, calls=tuple(
            m.CallView(number=n, window=w, business="enrollment", at=NOW)
            for n, w in (("C012", 3), ("A031", 1), ("H044", 2), ("E007", 6), ("B019", 8),
                         ("D003", 5), ("C011", 4), ("A030", 2), ("F002", 7)))),
    ]
    staff = {s.staff_id: s.name for s in CATALOGUE.staff}
    for w, (status, ticket, staff_id, reason) in enumerate([
            (m.WindowStatus.SERVING, "A031", "YB0101", None),
            (m.WindowStatus.SERVING, "H044", "YB0102", None),
            (m.WindowStatus.SERVING, "C012", "YB0103", None),
            (m.WindowStatus.PAUSED, "", "YB0104", m.PauseReason.AWAY),
            (m.WindowStatus.SERVING, "D003", "YB0105", None),
            (m.WindowStatus.IDLE, "", "YB0106", None),
            (m.WindowStatus.PAUSED, "", "YB0107", m.PauseReason.SYSTEM_FAULT),
            (m.WindowStatus.CLOSED, "", "", None)], start=1):
        messages.append(m.WindowState(window=w, status=status, updated_at=NOW,
                                      staff_id=staff_id, staff_name=staff.get(staff_id, ""),
                                      ticket_number=ticket, pause_reason=reason))
    return messages


def notices() -> m.Notices:
    from datetime import timedelta

    def notice(nid: str, text: str, *, urgent: bool = False, start_h: float | None = None,
               end_h: float | None = None) -> m.NoticeView:
        return m.NoticeView(
            notice_id=nid, text_zh=text, text_en="", urgent=urgent, pushed_at=NOW,
            starts_at=None if start_h is None else NOW + timedelta(hours=start_h),
            expires_at=None if end_h is None else NOW + timedelta(hours=end_h))

    return m.Notices(updated_at=NOW, notices=(
        notice("u1", "今日 16:00 起系统升级，暂停办理异地就医备案", urgent=True, end_h=6),
        notice("n1", "即日起门诊慢特病认定可在定点医院直接申请", end_h=24),
        notice("n2", "下午 14:00 起开放 9 号窗口", start_h=3),
        notice("n3", "上午的旧通知", start_h=-3, end_h=-1),
    ))


def figures() -> m.DayFigures:
    return m.DayFigures(
        updated_at=NOW,
        issued_per_hour=(m.HourCount(hour=9, issued=64), m.HourCount(hour=10, issued=23)),
        waiting_over_day=tuple(m.WaitingSample(at=f"{9 + i // 4:02d}:{i % 4 * 15:02d}",
                                               waiting=w)
                               for i, w in enumerate((3, 12, 25, 31, 22, 18))),
        avg_wait=tuple(m.BusinessWait(code=b.code, avg_wait_min=float(5 + i * 3))
                       for i, b in enumerate(CATALOGUE.businesses)))


def quiet_hall() -> list[m.Message]:
    info = m.HallInfo(hall_id="demo-hall", name_zh=CATALOGUE.name_zh, name_en=CATALOGUE.name_en,
                      timezone="Asia/Shanghai", is_open=True, updated_at=NOW,
                      today=("09:00-12:00", "13:30-17:00"),
                      businesses=tuple(m.BusinessInfo(
                          code=b.code, prefix=b.prefix, name_zh=b.name_zh, name_en=b.name_en,
                          windows=tuple(w.number for w in CATALOGUE.windows_serving(b.code)))
                          for b in CATALOGUE.businesses))
    queue = m.QueueSnapshot(service_day=date(2026, 11, 24), is_open=True, updated_at=NOW,
                            businesses=tuple(m.BusinessQueue(
                                code=b.code, prefix=b.prefix, name_zh=b.name_zh,
                                name_en=b.name_en, waiting=0, priority_waiting=0,
                                windows_open=1, est_wait_min=0) for b in CATALOGUE.businesses))
    return [*busy_morning(), info, queue]
