"""`hall printer ...`: the virtual printer and a test print for IT staff."""
from __future__ import annotations

import argparse
import threading
from datetime import datetime
from pathlib import Path

from printer.connections import PrinterAddress, open_printer
from printer.escpos_writer import PrinterProfile, TextMode
from printer.layout import Paper, TicketSlip, ticket_slip
from printer.transport import PrinterStatus, ReceiptPrinter
from printer.virtual import VirtualPrinter


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("printer", help="receipt printer tools")
    actions = p.add_subparsers(required=True, metavar="ACTION")
    v = actions.add_parser("virtual", help="run a virtual network printer that saves PNGs")
    v.add_argument("--port", type=int, default=9100)
    v.add_argument("--paper", type=int, choices=[58, 80], default=80)
    v.add_argument("--out", type=Path, default=Path("receipts"))
    v.add_argument("--count", type=int, default=0, help="stop after N receipts (0: never)")
    v.set_defaults(handler=run_virtual)
    t = actions.add_parser("test", help="print a test ticket and report the printer's status")
    t.add_argument("--host", required=True)
    t.add_argument("--port", type=int, default=9100)
    t.add_argument("--paper", type=int, choices=[58, 80], default=80)
    t.add_argument("--mode", choices=[m.value for m in TextMode], default="gb18030")
    t.add_argument("--spool", type=Path, default=Path("var/print-spool"))
    t.set_defaults(handler=run_test)


def run_virtual(args: argparse.Namespace) -> int:
    printer = VirtualPrinter(args.out, Paper(args.paper), port=args.port).start()
    print(f"virtual {args.paper} mm printer on 127.0.0.1:{printer.port}, receipts to {args.out}",
          flush=True)
    printed = 0
    try:
        while args.count == 0 or printed < args.count:
            try:
                receipts = printer.wait_receipts(printed + 1, timeout_s=3600)
            except TimeoutError:
                continue
            printed = len(receipts)
            print(f"printed {receipts[-1].png}", flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        printer.stop()
    return 0


def run_test(args: argparse.Namespace) -> int:
    address = PrinterAddress("network", args.host, args.port)
    done = threading.Event()
    statuses: list[PrinterStatus] = []

    def on_status(status: PrinterStatus, pending: int) -> None:
        statuses.append(status)
        print(f"printer status: {status} ({pending} waiting)", flush=True)

    printer = ReceiptPrinter(lambda: open_printer(address),
                             PrinterProfile(Paper(args.paper), TextMode(args.mode)), args.spool,
                             on_status=on_status, on_printed=lambda job, t: done.set())
    slip = TicketSlip("测试打印 Test print", "A000", "打印测试", "Printer test", 0, 0,
                      datetime.now().astimezone(), "normal", "https://example.invalid/r/test")
    printer.submit("test", ticket_slip(slip, Paper(args.paper)))
    printer.start()
    ok = done.wait(timeout=20)
    printer.stop()
    print("test ticket printed" if ok else "not printed: it stays in the spool "
          f"{args.spool} and prints when the printer is back")
    return 0 if ok else 1
