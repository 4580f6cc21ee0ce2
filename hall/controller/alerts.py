"""`hall_alert`s about devices and windows that managers must look at (not congestion)."""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

from hall.controller.rate_limits import Limit
from hall.protocol import messages as m

logger = logging.getLogger("hall.controller.alerts")

# A device that keeps hitting a limit is reported again after this long, not at every message.
ALERT_AGAIN_S = 600.0
# (device, limit) pairs remembered at most.
MAX_REMEMBERED = 1024


class DeviceAlerts:
    def __init__(self, publish: Callable[[m.HallAlert], object],
                 clock: Callable[[], datetime]) -> None:
        self._publish = publish
        self._clock = clock
        self._last: dict[tuple[str, str], float] = {}

    def rate_limited(self, device_id: str, limit: Limit) -> None:
        """Once per device and limit every ALERT_AGAIN_S, however long it lasts."""
        key = (device_id, limit.name)
        last = self._last.pop(key, None)
        mono = time.monotonic()
        if last is not None and mono - last < ALERT_AGAIN_S:
            self._last[key] = last
            return
        self._last[key] = mono
        while len(self._last) > MAX_REMEMBERED:
            del self._last[next(iter(self._last))]
        logger.warning("%s exceeded its %s limit: refusing its requests for now", device_id,
                       limit.name)
        at = self._clock()
        self._publish(m.HallAlert(
            alert="rate_limited", at=at, alert_id=f"rate_limited:{device_id}:{limit.name}:{at}",
            message_zh=f"设备 {device_id} 的{limit.name_zh}请求异常频繁，已暂时限制，"
                       "请检查该设备是否被盗用"))

    def check_in_locked(self, device_id: str) -> None:
        logger.warning("appointment check-in locked at %s after repeated failures", device_id)
        at = self._clock()
        self._publish(m.HallAlert(
            alert="check_in_locked", at=at, alert_id=f"check_in_locked:{device_id}:{at}",
            message_zh=f"设备 {device_id} 预约签到连续失败，已暂停签到 15 分钟，请到现场查看"))

    def sign_in_locked(self, staff_id: str, window: int) -> None:
        """Managers hear of every lock: a clerk who forgot the PIN, or someone guessing."""
        logger.warning("sign-in at window %d locked after wrong PINs for 工号 %s", window,
                       staff_id)
        at = self._clock()
        self._publish(m.HallAlert(
            alert="sign_in_locked", at=at, alert_id=f"sign_in_locked:{window}:{staff_id}:{at}",
            message_zh=f"{window} 号窗口登录已锁定：工号 {staff_id} 连续输错密码"))
