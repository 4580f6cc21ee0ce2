"""The kiosk's printer status reaches the hall as the kiosk's presence: alert when paper is out."""
from __future__ import annotations

from hall.protocol import messages as m
from printer.escpos_writer import PrinterProfile
from printer.layout import Cut, Paper, Text
from printer.slips import presence_for
from printer.virtual import PaperState


def test_paper_out_raises_an_alert_on_the_bus_and_clears_when_refilled(
        broker, hall_id, make_device, make_virtual, make_receipt_printer):
    kiosk, _ = make_device(broker, "kiosk-1")
    watcher, inbox = make_device(broker, "console-1", m.Role.CONSOLE, user="manager",
                                 subscriptions=(kiosk.topics.presence("kiosk-1"),))
    virtual = make_virtual(Paper.MM80)
    virtual.paper_state = PaperState.OUT
    printer, log = make_receipt_printer(virtual, PrinterProfile(), start=False)
    printer._on_status = lambda status, pending: kiosk.set_status(*presence_for(status))
    printer.submit("ticket", [Text("A001"), Cut()])
    printer.start()
    try:
        alert = inbox.wait_for(lambda t, msg: isinstance(msg, m.Presence)
                               and msg.status is m.DeviceStatus.ALERT)[1]
        assert alert.detail == "打印机缺纸 printer out of paper"
        inbox.clear()
        virtual.paper_state = PaperState.OK
        inbox.wait_for(lambda t, msg: isinstance(msg, m.Presence)
                       and msg.status is m.DeviceStatus.ONLINE and msg.detail == "",
                       timeout_s=20)
        assert virtual.wait_receipts(1)[0].lines[-1] == "A001"
    finally:
        printer.stop()
