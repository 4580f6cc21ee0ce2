"""Alerts of the closed loop: overdue cases, overdue or nearly-due complaints, a missing calendar.

Each alert is raised once per day per subject (the controller sweeps about once a minute).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from hall.core.cases import CASE_STATE_ZH, LoopPolicy
from hall.core.complaint_handling import due_alerts
from hall.core.work_calendar import WorkCalendar
from hall.protocol import messages as m
from hall.store.case_store import CaseStore
from hall.store.complaint_store import ComplaintStore

_COMPLAINT_ZH = {"first_contact_overdue": "超过30分钟未首次联系", "overdue": "已超过答复期限",
                 "due_soon": "即将到期", "transfer_overdue": "转办超期"}


class LoopAlerts:
    def __init__(self, cases: CaseStore, complaints: ComplaintStore, calendar: WorkCalendar,
                 policy: LoopPolicy) -> None:
        self._cases = cases
        self._complaints = complaints
        self._calendar = calendar
        self._policy = policy
        self._sent: set[tuple[date, str]] = set()

    def due(self, now: datetime) -> list[m.HallAlert]:
        """The alerts not yet raised today."""
        today = now.date()
        found: list[tuple[str, m.HallAlert]] = []
        for year in self._calendar.missing_years(now):
            found.append((f"calendar:{year}", m.HallAlert(
                alert="calendar_missing", at=now,
                message_zh=f"工作日历缺少 {year} 年法定节假日和调休安排：期限暂按周一至周五计算，"
                           f"请更新 chinese-calendar 或在 hall.toml [[calendar.year]] 中填写")))
        for case in self._cases.cases(open_only=True):
            if case.is_overdue(today):
                found.append((f"case:{case.case_id}", m.HallAlert(
                    alert="case_overdue", at=now,
                    message_zh=f"差评整改 {case.case_id}（{case.window} 号窗口）"
                               f"{CASE_STATE_ZH[case.state]}已超期，负责人 {case.owner}")))
        handlings = self._complaints.handlings(open_only=True)
        for alert in due_alerts(handlings, now, self._calendar, self._policy.warn_working_days):
            found.append((f"complaint:{alert.tracking_number}:{alert.kind}", m.HallAlert(
                alert=f"complaint_{alert.kind}", at=now,
                message_zh=f"投诉 {alert.tracking_number}{_COMPLAINT_ZH[alert.kind]}"
                           f"（期限 {alert.due[:16].replace('T', ' ')}）")))
        fresh = [(key, alert) for key, alert in found if (today, key) not in self._sent]
        self._sent = {k for k in self._sent if k[0] == today} | {(today, k) for k, _ in fresh}
        # Named by subject and day: raised again after a restart, it is the same alert.
        return [replace(alert, alert_id=f"{key}:{today.isoformat()}") for key, alert in fresh]
