from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from printer.connections import PrinterAddress, open_printer
from printer.escpos_writer import PrinterProfile
from printer.layout import Paper
from printer.transport import PrinterStatus, ReceiptPrinter
from printer.virtual import VirtualPrinter

OUTPUT = Path(__file__).resolve().parents[1] / "output" / "receipts"


@pytest.fixture
def make_virtual(tmp_path: Path) -> Iterator[Callable[..., VirtualPrinter]]:
    started: list[VirtualPrinter] = []

    def make(paper: Paper = Paper.MM80, name: str = "") -> VirtualPrinter:
        out = OUTPUT / name if name else tmp_path / "printed"
        printer = VirtualPrinter(out, paper).start()
        started.append(printer)
        return printer

    yield make
    for printer in started:
        printer.stop()


class StatusLog:
    def __init__(self) -> None:
        self.seen: list[PrinterStatus] = []

    def __call__(self, status: PrinterStatus, pending: int) -> None:
        self.seen.append(status)


@pytest.fixture
def make_receipt_printer(tmp_path: Path) -> Iterator[Callable[..., tuple[ReceiptPrinter, StatusLog]]]:
    started: list[ReceiptPrinter] = []

    def make(virtual: VirtualPrinter, profile: PrinterProfile, spool: Path | None = None,
             start: bool = True) -> tuple[ReceiptPrinter, StatusLog]:
        log = StatusLog()
        address = PrinterAddress("network", "127.0.0.1", virtual.port)
        printer = ReceiptPrinter(lambda: open_printer(address), profile,
                                 spool or tmp_path / "spool", on_status=log)
        if start:
            printer.start()
            started.append(printer)
        return printer, log

    yield make
    for printer in started:
        printer.stop()
