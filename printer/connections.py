"""Opens the configured printer through python-escpos: USB, network, serial, CUPS or a file."""
from __future__ import annotations

import socket
from dataclasses import dataclass

from escpos.escpos import Escpos

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
