"""The counter's receipt printer: a citizen's ticket slip printed again, marked 补打."""
from __future__ import annotations

from pathlib import Path

from hall.protocol import messages as m
from printer.connections import PrinterAddress, address_of_spec, open_printer
from printer.escpos_writer import PrinterProfile
from printer.layout import Paper, ticket_slip
from printer.slips import ticket_slip_for
from printer.transport import PrinterStatus, ReceiptPrinter


class CounterPrinter:
    """Spooled to disk before `reprint` returns; printed by the transport's worker, also after
    the printer comes back. False when the printer needs a human (paper, offline)."""

    def __init__(self, address: PrinterAddress, spool: Path, rating_base_url: str,
                 paper: Paper = Paper.MM80) -> None:
        self.receipt_printer = ReceiptPrinter(lambda: open_printer(address),
                                              PrinterProfile(paper=paper), spool,
                                              answers_status=address.answers_status)
        self.rating_base_url = rating_base_url

    def start(self) -> None:
        self.receipt_printer.start()

    def stop(self) -> None:
        self.receipt_printer.stop()

    def reprint(self, answer: m.TicketAnswer, hall_name_zh: str,
                windows: tuple[int, ...]) -> bool:
        slip = ticket_slip_for(answer, hall_name_zh, self.rating_base_url, reprint=True,
                               windows=windows)
        self.receipt_printer.submit("ticket", ticket_slip(slip, self.receipt_printer.profile.paper))
        status = self.receipt_printer.status
        return status is None or not status.needs_a_human or (
            status is PrinterStatus.UNKNOWN and not self.receipt_printer.answers_status)


def open_counter_printer(spec: str, spool: Path, rating_base_url: str) -> CounterPrinter | None:
    address = address_of_spec(spec)
    return CounterPrinter(address, spool, rating_base_url) if address is not None else None
