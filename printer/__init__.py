"""Receipt printing: pure layouts, python-escpos transports and a virtual printer."""
from __future__ import annotations

from printer.escpos_writer import PrinterProfile, TextMode, write_receipt
from printer.layout import (
    ComplaintSlip,
    Paper,
    TicketSlip,
    complaint_slip,
    guide_slip,
    mask_id_number,
    mask_name,
    mask_phone,
    ticket_slip,
)
from printer.transport import PrinterStatus, PrintJob, ReceiptPrinter

__all__ = [
    "ComplaintSlip",
    "Paper",
    "PrintJob",
    "PrinterProfile",
    "PrinterStatus",
    "ReceiptPrinter",
    "TextMode",
    "TicketSlip",
    "complaint_slip",
    "guide_slip",
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "ticket_slip",
    "write_receipt",
]
