"""Ticket answered -> last byte at the printer, in text and raster mode, beside a raw socket."""
from __future__ import annotations

import socket
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from escpos.escpos import Escpos
from escpos.printer import Dummy

from bench.figures import Figure, figure
from printer.connections import PrinterAddress, open_printer
from printer.escpos_writer import PrinterProfile, TextMode, write_receipt
from printer.layout import Paper, TicketSlip, ticket_slip
from printer.transport import ReceiptPrinter
from printer.virtual import VirtualPrinter


def sample_ops(n: int) -> list:  # type: ignore[type-arg]
    slip = TicketSlip("市医疗保障服务大厅", f"C{n % 1000:03d}", "异地就医备案",
                      "Filing for medical treatment in another region", 3, 12,
                      datetime.now().astimezone(), "normal",
                      "https://hall.local/r/r1.demo-hall.20261124-C005.1795000000.abcdefghijklmnopqrstuv")
    return ticket_slip(slip, Paper.MM80)


def run_printer_bench(count: int) -> list[Figure]:
    figures = []
    with tempfile.TemporaryDirectory(prefix="hall-print-bench-") as tmp:
        for mode in TextMode:
            virtual = VirtualPrinter(Path(tmp) / mode.value, Paper.MM80).start()
            virtual.save_png = False
            profile = PrinterProfile(Paper.MM80, mode, native_qr=mode is TextMode.GB18030)
            raw = Dummy()
            write_receipt(raw, sample_ops(0), profile)
            floor = []
            for i in range(count):
                start = time.perf_counter()
                with socket.create_connection(("127.0.0.1", virtual.port)) as conn:
                    conn.sendall(raw.output)
                    floor.append(virtual.wait_receipts(i + 1)[-1].finished_at - start)
            address = PrinterAddress("network", "127.0.0.1", virtual.port)
            printer = ReceiptPrinter(_opener(address), profile,
                                     Path(tmp) / f"spool-{mode.value}")
            printer.start()
            samples = []
            for i in range(count):
                start = time.perf_counter()
                printer.submit("ticket", sample_ops(i))
                samples.append(virtual.wait_receipts(count + i + 1)[-1].finished_at - start)
            printer.stop()
            virtual.stop()
            figures.append(figure(f"raw socket: same {len(raw.output)} bytes ({mode}, floor)",
                                  floor))
            figures.append(figure(f"ticket answered -> last byte at printer ({mode})", samples))
    return figures


def _opener(address: PrinterAddress) -> Callable[[], Escpos]:
    return lambda: open_printer(address)
