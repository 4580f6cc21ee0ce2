"""Builds receipts from what the controller answered; the kiosk's glue to the layouts."""
from __future__ import annotations

from hall.core.rating_code import printed_code
from hall.core.rating_token import rating_url
from hall.protocol import messages as m
from printer.layout import TicketSlip
from printer.transport import PrinterStatus

STATUS_DETAIL = {
    PrinterStatus.OK: "",
    PrinterStatus.NEAR_END: "打印纸即将用完 printer paper near end",
    PrinterStatus.OUT: "打印机缺纸 printer out of paper",
    PrinterStatus.OFFLINE: "打印机未连接 printer offline",
    PrinterStatus.UNKNOWN: "打印机无应答 printer not answering",
}


def ticket_slip_for(answer: m.TicketAnswer, hall_name_zh: str, rating_base_url: str,
                    *, reprint: bool = False, windows: tuple[int, ...] = ()) -> TicketSlip:
    if answer.ticket is None:
        raise ValueError("a ticket answer without a ticket cannot be printed")
    t = answer.ticket
    return TicketSlip(
        hall_name_zh=hall_name_zh, number=t.number, business_zh=t.business_zh,
        business_en=t.business_en, people_ahead=answer.people_ahead,
        est_wait_min=answer.est_wait_min, issued_at=t.issued_at, kind=t.kind.value,
        rating_url=qr_of(answer, rating_base_url),
        priority_reason=t.priority_reason, reprint=reprint, windows=windows,
        rating_code=printed_code(t.number, answer.rating_token) if answer.rating_token else "",
        wait_range=wait_range_of(answer))


def qr_of(answer: m.TicketAnswer, override_base_url: str = "") -> str:
    """The receipt's rating QR: the controller's URL (from hall.toml's [hall] public_base_url),
    unless the kiosk was started with its own --rating-url; the bare token when neither."""
    if override_base_url:
        return rating_url(override_base_url, answer.rating_token)
    return answer.rating_url or answer.rating_token


def wait_range_of(answer: m.TicketAnswer) -> tuple[int, int] | None:
    """The 80% range of the wait when the controller sends one (the wait estimate's fields)."""
    low, high = answer.est_wait_low_min, answer.est_wait_high_min
    return (low, high) if low is not None and high is not None else None


def presence_for(status: PrinterStatus) -> tuple[m.DeviceStatus, str]:
    """The kiosk's device status for its printer's status: alert when a human is needed."""
    device = m.DeviceStatus.ALERT if status.needs_a_human else m.DeviceStatus.ONLINE
    return device, STATUS_DETAIL[status]
