"""Issue 11, finding 12: a publish path the broker stops acknowledging is noticed and reconnected."""
from __future__ import annotations

import os
import signal
import threading

from hall.protocol import messages as m
from tests.faults.support import RECOVERY_TIMEOUT_S, report
from tests.support import CONNECT_TIMEOUT_S


def wait_until(condition, timeout_s: float) -> bool:
    done = threading.Event()
    for _ in range(int(timeout_s * 10)):
        if condition():
            return True
        done.wait(0.1)
    return condition()


def test_unacknowledged_publishes_make_the_controller_reconnect(
        private_broker, make_controller, make_device):
    controller = make_controller(private_broker)
    kiosk, _ = make_device(private_broker, "kiosk-1")
    assert kiosk.request(m.TakeTicket, business="enrollment").ticket.number == "A001"
    pid = private_broker.process.pid
    os.kill(pid, signal.SIGSTOP)  # the broker takes packets but acknowledges none
    try:
        controller.publisher.publish_all(controller.clock())
        assert wait_until(lambda: controller.bus.recoveries >= 1, timeout_s=RECOVERY_TIMEOUT_S)
    finally:
        os.kill(pid, signal.SIGCONT)
    assert controller.bus.wait_connected(RECOVERY_TIMEOUT_S)
    answer = kiosk.request(m.TakeTicket, business="enrollment", timeout_s=RECOVERY_TIMEOUT_S)
    assert answer.ticket.number == "A002"
    assert wait_until(lambda: controller.bus.publish_stuck_for() == 0.0, CONNECT_TIMEOUT_S)
    assert controller.is_healthy()
    report("broker stopped acknowledging", recoveries=controller.bus.recoveries)
