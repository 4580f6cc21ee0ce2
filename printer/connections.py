"""Opens the configured printer through python-escpos: USB, network, serial, CUPS or a file."""
from __future__ import annotations

import socket
from dataclasses import dataclass

from escpos.escpos import Escpos

from printer.escpos_writer import PrinterProfile, TextMode
from printer.layout import Paper

STATUS_TIMEOUT_S = 2.0


@dataclass(frozen=True, slots=True)
class PrinterAddress:
    """Where the printer is: `kind` is usb, network, serial, cups or file."""

    kind: str
    host: str = ""
    port: int = 9100
    usb_vendor: int = 0
    usb_product: int = 0
    device: str = ""
    cups_name: str = ""


    @property
    def answers_status(self) -> bool:
        return self.kind in ("network", "usb", "serial")


def printer_from_config(raw: dict[str, object]) -> tuple[PrinterAddress, PrinterProfile]:
    """The kiosk's [printer] table: connection and profile, validated."""
    kind = str(raw.get("connection", "network"))
    if kind not in ("network", "usb", "serial", "cups", "file"):
        raise ValueError(f"printer connection must be network, usb, serial, cups or file, "
                         f"not {kind!r}")
    address = PrinterAddress(
        kind=kind, host=str(raw.get("host", "")), port=int(str(raw.get("port", 9100))),
        usb_vendor=int(str(raw.get("usb_vendor", "0")), 0),
        usb_product=int(str(raw.get("usb_product", "0")), 0),
        device=str(raw.get("device", "")), cups_name=str(raw.get("cups_name", "")))
    profile = PrinterProfile(
        paper=Paper(int(str(raw.get("paper_mm", 80)))),
        text_mode=TextMode(str(raw.get("text_mode", "gb18030"))),
        native_qr=bool(raw.get("native_qr", True)),
        has_cutter=bool(raw.get("cutter", True)))
    return address, profile


def open_printer(address: PrinterAddress) -> Escpos:
    """Open the printer now; raises what python-escpos raises when it is not there."""
    from escpos import printer as p

    device: Escpos
    if address.kind == "network":
        device = p.Network(address.host, address.port, timeout=STATUS_TIMEOUT_S)
    elif address.kind == "usb":
        device = p.Usb(address.usb_vendor, address.usb_product, timeout=int(STATUS_TIMEOUT_S * 1000))
    elif address.kind == "serial":
        device = p.Serial(address.device, timeout=STATUS_TIMEOUT_S)
    elif address.kind == "cups":
        device = p.CupsPrinter(address.cups_name)
    elif address.kind == "file":
        device = p.File(address.device)
    else:
        raise ValueError(f"unknown printer connection {address.kind!r}")
    device.open()
    if address.kind == "network":
        # Status queries follow small writes: without this, Nagle's algorithm holds them
        # back until the printer's delayed ACK, about 40 ms a receipt.
        device.device.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return device


def address_of_spec(spec: str) -> PrinterAddress | None:
    """A device's `--printer`: `none`, `HOST:PORT` (network, also the virtual printer) or
    `file:PATH`; None for none."""
    if spec in ("", "none"):
        return None
    if spec.startswith("file:"):
        return PrinterAddress("file", device=spec[5:])
    host, _, port = spec.rpartition(":")
    return PrinterAddress("network", host=host or "127.0.0.1", port=int(port or 9100))
