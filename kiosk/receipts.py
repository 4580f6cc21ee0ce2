"""The kiosk's receipts: ticket slips, 一次性告知单 and complaint receipts on its printer."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from pathlib import Path

from hall.core.complaints import CATEGORY_ZH
from hall.core.guides import ServiceGuide
from hall.protocol import messages as m
from kiosk.screen_state import ComplaintDraft
from kiosk.texts import RECEIPT_LOOKUP_HINT
from printer.connections import PrinterAddress, open_printer
from printer.escpos_writer import PrinterProfile
from printer.layout import ComplaintSlip, Paper, complaint_slip, guide_slip, ticket_slip
from printer.slips import STATUS_DETAIL, ticket_slip_for
from printer.transport import Connect, PrinterStatus, ReceiptPrinter


class KioskPrinter:
    """Turns answers into slips and spools them; False when the printer needs a human."""

    def __init__(self, printer: ReceiptPrinter, hall_name_zh: str, rating_base_url: str) -> None:
        self.printer = printer
        self.hall_name_zh = hall_name_zh
        self.rating_base_url = rating_base_url

    @property
    def paper(self) -> Paper:
        return self.printer.profile.paper

    def _is_usable(self) -> bool:
        status = self.printer.status
        return status is None or not status.needs_a_human or status is PrinterStatus.UNKNOWN and (
            not self.printer.answers_status)

    def print_ticket(self, answer: m.TicketAnswer, windows: tuple[int, ...] = (),
                     reprint: bool = False) -> bool:
        slip = ticket_slip_for(answer, self.hall_name_zh, self.rating_base_url, reprint=reprint,
                               windows=windows)
        self.printer.submit("ticket", ticket_slip(slip, self.paper))
        return self._is_usable()

    def print_guide(self, guide: ServiceGuide, printed_at: datetime | None = None) -> bool:
        self.printer.submit("guide", guide_slip(self.hall_name_zh, guide, self.paper, printed_at))
        return self._is_usable()

    def print_complaint(self, answer: m.ComplaintAnswer, draft: ComplaintDraft) -> bool:
        slip = ComplaintSlip(
            hall_name_zh=self.hall_name_zh, tracking_number=answer.tracking_number,
            category_zh=CATEGORY_ZH[answer.category], registered_at=answer.registered_at,
            answer_due=datetime.combine(answer.answer_due, time(0)),
            complainant_name=draft.name, id_number="", phone=draft.phone, lookup_hint=RECEIPT_LOOKUP_HINT)
        self.printer.submit("complaint", complaint_slip(slip, self.paper))
        return self._is_usable()


class KioskPrinterRunner:
    """The kiosk's printer with its spool and worker; status changes reach the kiosk's presence."""

    def __init__(self, connect: Connect, profile: PrinterProfile, spool: Path, *,
                 answers_status: bool, hall_name_zh: str, rating_base_url: str) -> None:
        self.receipt_printer = ReceiptPrinter(connect, profile, spool, on_status=self._changed,
                                              answers_status=answers_status)
        self.printer = KioskPrinter(self.receipt_printer, hall_name_zh, rating_base_url)
        self.on_change: Callable[[], None] | None = None

    def _changed(self, status: PrinterStatus, pending: int) -> None:
        if self.on_change is not None:
            self.on_change()

    def needs_a_human(self) -> bool:
        status = self.receipt_printer.status
        return status is not None and status.needs_a_human and self.receipt_printer.answers_status

    def status_text(self) -> str:
        status = self.receipt_printer.status
        if status is None:
            return "printer idle"
        return STATUS_DETAIL[status] or "printer ok"

    def start(self) -> None:
        self.receipt_printer.start()

    def stop(self) -> None:
        self.receipt_printer.stop()


def open_kiosk_printer(spec: str, spool: Path, hall_name_zh: str, rating_base_url: str,
                       paper: Paper = Paper.MM80) -> KioskPrinterRunner | None:
    """`none`, `HOST:PORT` (a network printer, also the virtual one) or `file:PATH`."""
    if spec in ("", "none"):
        return None
    if spec.startswith("file:"):
        address = PrinterAddress("file", device=spec[5:])
    else:
        host, _, port = spec.rpartition(":")
        address = PrinterAddress("network", host=host or "127.0.0.1", port=int(port or 9100))
    return KioskPrinterRunner(lambda: open_printer(address), PrinterProfile(paper=paper), spool,
                              answers_status=address.answers_status, hall_name_zh=hall_name_zh,
                              rating_base_url=rating_base_url)
