"""A virtual network receipt printer: decodes the ESC/POS we emit and renders each receipt to PNG.

It listens on TCP like a real printer on port 9100, answers real-time status queries
(DLE EOT), and can be told to run out of paper (also in the middle of a receipt) or to go
offline. Tests print into it through python-escpos's own network transport.
"""
from __future__ import annotations

import enum
import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import qrcode
from PIL import Image

from printer import raster
from printer.layout import Align, Paper

logger = logging.getLogger(__name__)

STATUS_ONLINE = 0x12
STATUS_OFFLINE_BIT = 0x08
PAPER_OK, PAPER_NEAR_END, PAPER_OUT = 0x12, 0x1E, 0x72
_ONE_ARG_ESC = set(b"aE!d-MtGJ3{VcR")
_ONE_ARG_GS = set(b"!BHfhwb")


@enum.unique
class PaperState(enum.StrEnum):
    OK = "ok"
    NEAR_END = "near_end"
    OUT = "out"


@dataclass
class PrintedReceipt:
    lines: list[str] = field(default_factory=list)
    qr_codes: list[str] = field(default_factory=list)
    images: int = 0
    # Each text-mode line with the half-width columns it takes at its magnification.
    text_widths: list[tuple[str, int]] = field(default_factory=list)
    raster_images: list[Image.Image] = field(default_factory=list)
    complete: bool = False
    png: Path | None = None
    finished_at: float = 0.0


@dataclass
class _Style:
    align: Align = Align.LEFT
    bold: bool = False
    scale: int = 1
    chinese: bool = False


class VirtualPrinter:
    """One simulated printer; `receipts` holds what it printed, newest last."""

    def __init__(self, out_dir: Path, paper: Paper = Paper.MM80, port: int = 0) -> None:
        self.out_dir = out_dir
        self.paper = paper
        self.paper_state = PaperState.OK
        self.offline = False
        # Simulates the roll ending: after this many more printed elements, paper is out.
        self.paper_out_after: int | None = None
        self.save_png = True
        self.receipts: list[PrintedReceipt] = []
        self.bytes_received = 0
        self._cond = threading.Condition()
        self._server = socket.create_server(("127.0.0.1", port))
        self.port = self._server.getsockname()[1]
        self._stopping = False
        self._sessions: list[threading.Thread] = []
        self._thread = threading.Thread(target=self._serve, name="virtual-printer", daemon=True)
        out_dir.mkdir(parents=True, exist_ok=True)

    def start(self) -> VirtualPrinter:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping = True
        self._thread.join(timeout=5)
        self._server.close()
        for session in self._sessions:
            session.join(timeout=5)

    def wait_receipts(self, count: int, timeout_s: float = 10.0) -> list[PrintedReceipt]:
        with self._cond:
            if not self._cond.wait_for(
                    lambda: sum(r.complete for r in self.receipts) >= count, timeout=timeout_s):
                raise TimeoutError(f"fewer than {count} receipts printed")
            return [r for r in self.receipts if r.complete]

    # -- the connection --------------------------------------------------------------------

    def _serve(self) -> None:
        # Closing a socket does not wake a thread blocked in accept(): poll instead.
        self._server.settimeout(0.2)
        while not self._stopping:
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self.offline:
                conn.close()
                continue
            session = threading.Thread(target=self._session, args=(conn,), daemon=True,
                                       name="virtual-printer-session")
            self._sessions.append(session)
            session.start()

    def _session(self, conn: socket.socket) -> None:
        decoder = _Decoder(self, conn)
        with conn:
            conn.settimeout(0.2)
            while not self._stopping and not self.offline:
                try:
                    chunk = conn.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    return
                if not chunk:
                    return
                with self._cond:
                    self.bytes_received += len(chunk)
                decoder.feed(chunk)

    # -- what the decoder reports ------------------------------------------------------------

    def status_byte(self, query: int) -> int:
        if query == 4:
            return {PaperState.OK: PAPER_OK, PaperState.NEAR_END: PAPER_NEAR_END,
                    PaperState.OUT: PAPER_OUT}[self.paper_state]
        online = self.paper_state is not PaperState.OUT and not self.offline
        return STATUS_ONLINE | (0 if online else STATUS_OFFLINE_BIT)

    def consume_paper(self) -> bool:
        """Account for one printed element; False when there is no paper to print it on."""
        if self.paper_state is PaperState.OUT:
            return False
        if self.paper_out_after is not None:
            self.paper_out_after -= 1
            if self.paper_out_after < 0:
                self.paper_state = PaperState.OUT
                return False
        return True

    def finish(self, receipt: PrintedReceipt, elements: list[Callable[[], Image.Image]]) -> None:
        receipt.finished_at = time.perf_counter()
        receipt.complete = self.paper_state is not PaperState.OUT
        if receipt.complete and self.save_png:
            number = len(self.receipts) + 1
            receipt.png = self.out_dir / f"receipt-{number:03d}.png"
            _stack([draw() for draw in elements], self.paper.dots).save(receipt.png)
        with self._cond:
            self.receipts.append(receipt)
            self._cond.notify_all()


class _Decoder:
    """Incremental parser of the ESC/POS subset python-escpos and our writer emit."""

    def __init__(self, printer: VirtualPrinter, conn: socket.socket) -> None:
        self.printer = printer
        self.conn = conn
        self.buffer = b""
        self.text = b""
        self.style = _Style()
        self.receipt = PrintedReceipt()
        self.elements: list[Callable[[], Image.Image]] = []
        self.qr_data = ""

    def feed(self, chunk: bytes) -> None:
        self.buffer += chunk
        while self.buffer:
            used = self._step(self.buffer)
            if used == 0:
                return  # an incomplete command: wait for more bytes
            self.buffer = self.buffer[used:]

    def _step(self, b: bytes) -> int:
        c = b[0]
        if c == 0x0A:
            self._line()
            return 1
        if c == 0x10:
            if len(b) < 3:
                return 0
            if b[1] == 0x04:
                self.conn.sendall(bytes([self.printer.status_byte(b[2])]))
            return 3
        if c == 0x1B:
            return self._esc(b)
        if c == 0x1D:
            return self._gs(b)
        if c == 0x1C:
            if len(b) < 2:
                return 0
            self.style.chinese = b[1] == ord("&")
            return 2
        self.text += bytes([c])
        return 1

    def _esc(self, b: bytes) -> int:
        if len(b) < 2:
            return 0
        cmd = b[1]
        if cmd == ord("@"):
            self.style = _Style(chinese=False)
            return 2
        if cmd in _ONE_ARG_ESC:
            if len(b) < 3:
                return 0
            n = b[2]
            if cmd == ord("a"):
                self.style.align = Align.CENTER if n == 1 else Align.LEFT
            elif cmd == ord("E"):
                self.style.bold = bool(n & 1)
            elif cmd == ord("d"):
                dots = self.printer.paper.dots
                self.elements.append(lambda: Image.new("L", (dots, n * 10), 255))
            return 3
        return 2

    def _gs(self, b: bytes) -> int:
        if len(b) < 2:
            return 0
        cmd = b[1]
        if cmd == ord("V"):
            if len(b) < 3:
                return 0
            used = 4 if b[2] in (65, 66) else 3
            if len(b) < used:
                return 0
            self._cut()
            return used
        if cmd == ord("v"):
            return self._raster(b)
        if cmd == ord("("):
            if len(b) < 5:
                return 0
            size = b[3] + 256 * b[4]
            if len(b) < 5 + size:
                return 0
            if b[2] == ord("k"):
                self._qr(b[5:5 + size])
            return 5 + size
        if cmd in _ONE_ARG_GS:
            if len(b) < 3:
                return 0
            if cmd == ord("!"):
                self.style.scale = max(1, (b[2] & 0x0F) + 1)
            return 3
        return 2

    def _raster(self, b: bytes) -> int:
        if len(b) < 8:
            return 0
        width_bytes = b[4] + 256 * b[5]
        height = b[6] + 256 * b[7]
        end = 8 + width_bytes * height
        if len(b) < end:
            return 0
        data = b[8:end]
        if self.printer.consume_paper():
            self.receipt.images += 1
            image = Image.eval(Image.frombytes("1", (width_bytes * 8, height), data).convert("L"),
                               lambda v: 255 - v)
            self.receipt.raster_images.append(image)
            self.elements.append(lambda: image)
        return end

    def _qr(self, body: bytes) -> None:
        if len(body) < 3 or body[0] != 49:
            return
        fn = body[1]
        if fn == 80:
            self.qr_data = body[3:].decode("utf-8", errors="replace")
        elif fn == 81 and self.qr_data and self.printer.consume_paper():
            self.receipt.qr_codes.append(self.qr_data)
            data = self.qr_data
            self.elements.append(lambda: _qr_image(data))

    def _line(self) -> None:
        encoding = "gb18030" if self.style.chinese else "cp437"
        text = self.text.decode(encoding, errors="replace")
        self.text = b""
        if not self.printer.consume_paper():
            return
        self.receipt.lines.append(text)
        dots = self.printer.paper.dots
        if text.strip("-") == "" and text:
            self.elements.append(lambda: raster.rule_image(dots))
        else:
            scale, bold, align = self.style.scale, self.style.bold, self.style.align
            self.receipt.text_widths.append((text, raster.columns_of(text) * scale))
            self.elements.append(lambda: raster.cell_text_image(text, dots, scale, bold, align))

    def _cut(self) -> None:
        if self.text:
            self._line()
        self.printer.finish(self.receipt, self.elements)
        self.receipt, self.elements = PrintedReceipt(), []


def _qr_image(data: str) -> Image.Image:
    code = qrcode.QRCode(box_size=6, border=2)
    code.add_data(data)
    image: Image.Image = code.make_image().get_image().convert("L")
    return image


def _stack(elements: list[Image.Image], width: int) -> Image.Image:
    margin = 16
    height = sum(e.height for e in elements) + 2 * margin
    sheet = Image.new("L", (width + 2 * margin, max(height, 1)), 255)
    y = margin
    for element in elements:
        x = margin + max(0, (width - element.width) // 2)
        sheet.paste(element, (x, y))
        y += element.height
    return sheet
