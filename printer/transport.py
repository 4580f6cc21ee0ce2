"""Sends receipts to the printer through python-escpos, off the screen's thread, losing none.

Jobs are spooled to disk before printing and removed only after the printer has taken the
whole receipt with paper in it. A job that fails (paper out mid-ticket, cable pulled, printer
off) stays in the spool and is printed again, marked as a reprint, once the printer is back.
"""
from __future__ import annotations

import enum
import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from escpos.escpos import Escpos

from printer import layout
from printer.escpos_writer import PrinterProfile, write_receipt

logger = logging.getLogger(__name__)

DLE_EOT_PAPER = b"\x10\x04\x04"
RETRY_MIN_S = 0.5
RETRY_MAX_S = 10.0


@enum.unique
class PrinterStatus(enum.StrEnum):
    OK = "ok"
    NEAR_END = "near_end"
    OUT = "out"
    OFFLINE = "offline"
    # The printer is connected but does not answer status queries: never assume it is fine.
    UNKNOWN = "unknown"

    @property
    def needs_a_human(self) -> bool:
        return self in (PrinterStatus.OUT, PrinterStatus.OFFLINE, PrinterStatus.UNKNOWN)


@dataclass(frozen=True, slots=True)
class PrintJob:
    job_id: str
    kind: str
    ops: tuple[layout.PrintOp, ...]
    attempts: int = 0


Connect = Callable[[], Escpos]
StatusListener = Callable[[PrinterStatus, int], None]


class ReceiptPrinter:
    """A printer behind a queue: submit() returns at once; status changes are reported."""

    def __init__(self, connect: Connect, profile: PrinterProfile, spool: Path, *,
                 on_status: StatusListener | None = None,
                 on_printed: Callable[[PrintJob, float], None] | None = None,
                 answers_status: bool = True) -> None:
        self._connect = connect
        # CUPS queues and plain files cannot be asked for paper: print blind, report unknown.
        self.answers_status = answers_status
        self.profile = profile
        self.spool = spool
        spool.mkdir(parents=True, exist_ok=True)
        self._on_status = on_status
        self._on_printed = on_printed
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self.status: PrinterStatus | None = None  # not asked yet
        self._thread = threading.Thread(target=self._run, name="receipt-printer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        self._thread.join(timeout=10)

    def submit(self, kind: str, ops: list[layout.PrintOp]) -> PrintJob:
        """Spool a receipt for printing; it is on disk when this returns."""
        job = PrintJob(f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}", kind, tuple(ops))
        self._write(job)
        self._wake.set()
        return job

    def pending(self) -> list[PrintJob]:
        """Jobs not yet printed, oldest first."""
        jobs = []
        for path in sorted(self.spool.glob("*.job.json")):
            try:
                jobs.append(self._read(path))
            except FileNotFoundError:
                continue  # printed and removed meanwhile
        return jobs

    # -- the worker --------------------------------------------------------------------------

    def _run(self) -> None:
        delay = RETRY_MIN_S
        while not self._stopping.is_set():
            jobs = self.pending()
            if not jobs:
                self._wake.wait(timeout=5.0)
                self._wake.clear()
                continue
            if self._print(jobs[0]):
                delay = RETRY_MIN_S
                continue
            self._wake.wait(timeout=delay)
            self._wake.clear()
            delay = min(delay * 2, RETRY_MAX_S)

    def _print(self, job: PrintJob) -> bool:
        try:
            printer = self._connect()
        except Exception as exc:  # python-escpos raises several types for a missing device
            self._set_status(PrinterStatus.OFFLINE, f"{type(exc).__name__}: {exc}")
            return False
        try:
            before = self._paper(printer) if self.answers_status else PrinterStatus.UNKNOWN
            if self.answers_status and before is not PrinterStatus.OK and (
                    before is not PrinterStatus.NEAR_END):
                self._set_status(before)
                return False
            ops = list(job.ops)
            if job.attempts:
                ops = _marked_reprint(ops)
            self._write(job.__class__(job.job_id, job.kind, job.ops, job.attempts + 1))
            write_receipt(printer, ops, self.profile)
            after = self._paper(printer) if self.answers_status else PrinterStatus.UNKNOWN
            self._set_status(after)
            if self.answers_status and after in (PrinterStatus.OUT, PrinterStatus.UNKNOWN,
                                                 PrinterStatus.OFFLINE):
                logger.warning("receipt %s not finished: printer %s; it stays queued",
                               job.job_id, after)
                return False
            (self.spool / f"{job.job_id}.job.json").unlink(missing_ok=True)
            if self._on_printed is not None:
                self._on_printed(job, time.perf_counter())
            return True
        except OSError as exc:
            self._set_status(PrinterStatus.OFFLINE, str(exc))
            return False
        except Exception as exc:  # a driver fault must not kill the queue: keep the job
            logger.exception("printing %s failed", job.job_id)
            self._set_status(PrinterStatus.UNKNOWN, f"{type(exc).__name__}: {exc}")
            return False
        finally:
            try:
                printer.close()
            except Exception:  # closing a dead connection may fail in several ways
                logger.debug("closing the printer failed", exc_info=True)

    def _paper(self, printer: Escpos) -> PrinterStatus:
        try:
            printer._raw(DLE_EOT_PAPER)
            reply = printer._read()
        except TimeoutError:
            return PrinterStatus.UNKNOWN
        except OSError:
            return PrinterStatus.OFFLINE
        if not reply:
            return PrinterStatus.OFFLINE  # the connection was closed: no printer there
        byte = reply[-1]
        if byte & 0x60 == 0x60:
            return PrinterStatus.OUT
        if byte & 0x0C == 0x0C:
            return PrinterStatus.NEAR_END
        return PrinterStatus.OK

    def _set_status(self, status: PrinterStatus, detail: str = "") -> None:
        changed = status is not self.status
        self.status = status
        if changed:
            if status.needs_a_human:
                logger.warning("receipt printer %s %s", status, detail)
            if self._on_status is not None:
                self._on_status(status, len(self.pending()))

    # -- the spool -----------------------------------------------------------------------------

    def _write(self, job: PrintJob) -> None:
        path = self.spool / f"{job.job_id}.job.json"
        temporary = path.with_suffix(".tmp")
        body = {"job_id": job.job_id, "kind": job.kind, "attempts": job.attempts,
                "ops": [{"op": type(op).__name__, **asdict(op)} for op in job.ops]}
        with self._lock:
            with open(temporary, "w", encoding="utf-8") as f:
                json.dump(body, f, ensure_ascii=False)
                f.flush()
                os.fsync(f.fileno())
            os.replace(temporary, path)

    def _read(self, path: Path) -> PrintJob:
        body = json.loads(path.read_text(encoding="utf-8"))
        ops: list[layout.PrintOp] = []
        for raw in body["ops"]:
            kind = raw.pop("op")
            if kind == "Text":
                ops.append(layout.Text(raw["text"], raw["scale"], raw["bold"],
                                       layout.Align(raw["align"])))
            elif kind == "Qr":
                ops.append(layout.Qr(raw["data"], raw["caption"]))
            elif kind == "Rule":
                ops.append(layout.Rule())
            elif kind == "Cut":
                ops.append(layout.Cut())
        return PrintJob(body["job_id"], body["kind"], tuple(ops), body["attempts"])


def _marked_reprint(ops: list[layout.PrintOp]) -> list[layout.PrintOp]:
    mark = layout.Text("（补打 Reprint）", bold=True, align=layout.Align.CENTER)
    return [mark, *ops] if mark not in ops else ops
