"""Every receipt through python-escpos's network transport into the virtual printer, as PNG."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import cv2
import pytest

from hall.config import SAMPLE_GUIDES, SAMPLE_HALL, load_config, load_guides
from hall.core.rating_token import (
    InvalidRatingToken,
    rating_token_expiry,
    sign_rating_token,
    token_from_scan,
    verify_rating_token,
)
from hall.protocol import messages as m
from printer.escpos_writer import PrinterProfile, TextMode, text_lines
from printer.layout import (
    ComplaintSlip,
    Cut,
    Paper,
    Qr,
    Text,
    complaint_slip,
    guide_slip,
    ticket_slip,
)
from printer.slips import presence_for, ticket_slip_for
from printer.transport import PrinterStatus
from printer.virtual import PaperState

SH = ZoneInfo("Asia/Shanghai")
KEY = bytes(range(32))
ISSUED = datetime(2026, 11, 24, 9, 30, tzinfo=SH)
CATALOGUE = load_config(SAMPLE_HALL, env={"HALL_MQTT_PASSWORD": "x"}).catalogue
GUIDES = load_guides(SAMPLE_GUIDES, CATALOGUE)


def answer(number: str = "C005", ahead: int = 3) -> m.TicketAnswer:
    token = sign_rating_token(KEY, "demo-hall", f"20261124-{number}",
                              rating_token_expiry(ISSUED, 86400))
    return m.TicketAnswer(
        request_id="r", people_ahead=ahead, est_wait_min=12, rating_token=token,
        est_wait_low_min=9, est_wait_high_min=17,
        ticket=m.TicketView(ticket_id=f"20261124-{number}", number=number,
                            business="cross_region_filing", business_zh="异地就医备案",
                            business_en="Filing for medical treatment in another region",
                            kind=m.TicketKind.PRIORITY, issued_at=ISSUED,
                            priority_reason="70岁以上老人"))


def complaint() -> ComplaintSlip:
    return ComplaintSlip(
        hall_name_zh=CATALOGUE.name_zh, tracking_number="TS20261124-0007",
        category_zh="服务态度类", registered_at=ISSUED, answer_due=ISSUED + timedelta(days=9),
        complainant_name="张三丰", id_number="320402195501011234", phone="13812345678",
        lookup_hint="凭受理编号在自助终端或拨打 12393 查询办理进度")


LAYOUTS = {
    "ticket": lambda paper: ticket_slip(ticket_slip_for(answer(), CATALOGUE.name_zh,
                                                        "https://hall.local",
                                                        windows=(3, 5, 12)), paper),
    "guide": lambda paper: guide_slip(CATALOGUE.name_zh, GUIDES["cross_region_filing"], paper,
                                      ISSUED),
    "guide_longest": lambda paper: guide_slip(CATALOGUE.name_zh, GUIDES["manual_reimbursement"],
                                              paper, ISSUED),
    "complaint": lambda paper: complaint_slip(complaint(), paper),
    # A busy hall's fourth digit (more than 999 tickets of one business a day).
    "ticket_h1000": lambda paper: ticket_slip(ticket_slip_for(answer("H1044"), CATALOGUE.name_zh,
                                                              "https://hall.local",
                                                              windows=(3, 5, 12)), paper),
}
CASES = [(layout, paper, mode) for layout in LAYOUTS for paper in Paper for mode in TextMode]


def printed_lines(op, paper: Paper) -> list[str]:
    if isinstance(op, Text):
        return text_lines(op, paper)
    if isinstance(op, Qr) and op.caption:
        return text_lines(Text(op.caption), paper)
    return []


def decode_qr(png) -> str:
    image = cv2.imread(str(png))
    text, points, _ = cv2.QRCodeDetector().detectAndDecode(image)
    return text


@pytest.mark.parametrize(("layout", "paper", "mode"), CASES,
                         ids=[f"{name}-{p.value}mm-{m}" for name, p, m in CASES])
def test_every_receipt_prints_readably_at_both_widths_in_both_modes(
        make_virtual, make_receipt_printer, layout, paper, mode):
    virtual = make_virtual(paper, name=f"{layout}-{paper.value}mm-{mode}")
    profile = PrinterProfile(paper, mode, native_qr=mode is TextMode.GB18030)
    printer, _ = make_receipt_printer(virtual, profile)
    ops = LAYOUTS[layout](paper)
    printer.submit(layout, ops)
    receipt = virtual.wait_receipts(1)[0]
    assert receipt.png is not None and receipt.png.exists()
    assert unclipped(receipt, paper, mode) == []
    if mode is TextMode.GB18030:
        meant = [line for op in ops for line in printed_lines(op, paper)]
        printed = [line for line in receipt.lines if line.strip("-")]
        assert printed == meant
        assert "?" not in "".join(printed)
    else:
        assert receipt.images >= len([op for op in ops if isinstance(op, Text)])
    if layout == "ticket":
        scanned = decode_qr(receipt.png)
        qr = next(op for op in ops if isinstance(op, Qr))
        assert scanned == qr.data
        claim = verify_rating_token(KEY, token_from_scan(scanned), ISSUED + timedelta(hours=5))
        assert claim.ticket_id == "20261124-C005"
        if mode is TextMode.GB18030:
            assert any("预计等待约 9–17 分钟" in line for line in receipt.lines)
    if layout == "ticket_h1000" and mode is TextMode.GB18030:
        assert "H1044" in [line.strip() for line in receipt.lines]
        assert any(line.startswith("评价码 H1044 ") for line in receipt.lines)
    if layout == "complaint":
        joined = "".join(receipt.lines)
        assert "320402195501011234" not in joined and "13812345678" not in joined
        if mode is TextMode.GB18030:
            assert "张**" in joined and "**************1234" in joined
            assert "TS20261124-0007" in receipt.lines
    if mode is TextMode.GB18030 and layout == "ticket":
        assert "办理窗口：3、5、12 号窗口" in receipt.lines
        assert any(line.startswith("评价码 C005 ") for line in receipt.lines)
    if mode is TextMode.GB18030 and layout.startswith("guide"):
        assert "告知日期：2026年11月24日" in receipt.lines


def unclipped(receipt, paper: Paper, mode: TextMode) -> list[str]:
    """Every printed line that does not fit the paper, read back from what the printer got: in
    text mode the columns of each line at its size, in raster mode ink at an image's edge (text
    is drawn inside a margin, so ink there is a cut glyph)."""
    problems = [f"{line!r} takes {width} of {paper.columns} columns"
                for line, width in receipt.text_widths if width > paper.columns]
    for i, image in enumerate(receipt.raster_images):
        if image.width > paper.dots:
            problems.append(f"image {i} is {image.width} dots wide")
        elif image.height != RULE_HEIGHT and image.width >= paper.dots - 8:
            edges = [image.crop((0, 0, 2, image.height)),
                     image.crop((image.width - 2, 0, image.width, image.height))]
            if any(edge.getextrema()[0] < 128 for edge in edges):
                problems.append(f"image {i} has ink at its edge: a line was cut")
    return problems


RULE_HEIGHT = 15


def test_the_bracketed_and_worded_lines_of_a_guide_never_break_inside_a_word_or_bracket():
    lines = text_lines(Text("办理事项：医疗费用手工（零星）报销，请携带残疾人证和预约码。"), Paper.MM58)
    joined = "|".join(lines)
    for whole in ("（零星）", "残疾人", "预约码"):
        assert whole in joined, joined


def test_a_qr_code_scanned_from_a_rotated_blurred_receipt_still_verifies(
        make_virtual, make_receipt_printer):
    virtual = make_virtual(Paper.MM58)
    printer, _ = make_receipt_printer(virtual, PrinterProfile(Paper.MM58, TextMode.RASTER,
                                                              native_qr=False))
    printer.submit("ticket", LAYOUTS["ticket"](Paper.MM58))
    png = virtual.wait_receipts(1)[0].png
    image = cv2.imread(str(png))
    h, w = image.shape[:2]
    turned = cv2.warpAffine(image, cv2.getRotationMatrix2D((w / 2, h / 2), 12, 1.0), (w, h),
                            borderValue=(255, 255, 255))
    blurred = cv2.GaussianBlur(turned, (3, 3), 0)
    text, _, _ = cv2.QRCodeDetector().detectAndDecode(blurred)
    assert verify_rating_token(KEY, token_from_scan(text), ISSUED).ticket_id == "20261124-C005"


def test_a_forged_or_expired_receipt_code_is_refused():
    token = token_from_scan(ticket_slip_for(answer(), "x", "https://hall.local").rating_url)
    with pytest.raises(InvalidRatingToken):
        verify_rating_token(b"another hall's key!", token, ISSUED)
    with pytest.raises(InvalidRatingToken) as expired:
        verify_rating_token(KEY, token, ISSUED + timedelta(days=3))
    assert expired.value.fields["reason"] == "expired"


def test_paper_running_out_mid_ticket_keeps_the_job_and_reprints_it_once_refilled(
        make_virtual, make_receipt_printer):
    virtual = make_virtual(Paper.MM80)
    virtual.paper_out_after = 5
    printer, log = make_receipt_printer(virtual, PrinterProfile())
    printer.submit("ticket", LAYOUTS["ticket"](Paper.MM80))
    wait_until(lambda: PrinterStatus.OUT in log.seen)
    assert len(printer.pending()) == 1
    assert virtual.receipts and not virtual.receipts[0].complete
    virtual.paper_out_after = None
    virtual.paper_state = PaperState.OK
    printed = virtual.wait_receipts(1, timeout_s=20)
    assert printed[0].lines[0] == "（补打 Reprint）"
    wait_until(lambda: not printer.pending())
    assert len(virtual.wait_receipts(1)) == 1  # printed once, not twice


def test_an_offline_printer_is_reported_and_the_ticket_printed_when_it_returns(
        make_virtual, make_receipt_printer):
    virtual = make_virtual(Paper.MM80)
    virtual.offline = True
    printer, log = make_receipt_printer(virtual, PrinterProfile())
    printer.submit("ticket", LAYOUTS["ticket"](Paper.MM80))
    wait_until(lambda: PrinterStatus.OFFLINE in log.seen)
    assert presence_for(PrinterStatus.OFFLINE)[0] is m.DeviceStatus.ALERT
    virtual.offline = False
    virtual.wait_receipts(1, timeout_s=20)
    wait_until(lambda: log.seen[-1] is PrinterStatus.OK)


def test_a_printer_that_does_not_answer_status_is_unknown_never_ok(tmp_path,
                                                                    make_receipt_printer):
    import socket
    import threading

    silent = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    thread = threading.Thread(target=lambda: accepted.append(silent.accept()[0]), daemon=True)
    thread.start()

    class Mute:
        port = silent.getsockname()[1]

    printer, log = make_receipt_printer(Mute, PrinterProfile())
    printer.submit("ticket", LAYOUTS["ticket"](Paper.MM80))
    wait_until(lambda: PrinterStatus.UNKNOWN in log.seen, timeout_s=15)
    assert PrinterStatus.OK not in log.seen
    assert len(printer.pending()) == 1
    printer.stop()
    for conn in accepted:
        conn.close()
    silent.close()


def test_spooled_jobs_survive_a_restart_of_the_kiosk(tmp_path, make_virtual,
                                                     make_receipt_printer):
    virtual = make_virtual(Paper.MM80)
    first, _ = make_receipt_printer(virtual, PrinterProfile(), spool=tmp_path / "spool",
                                    start=False)
    first.submit("ticket", LAYOUTS["ticket"](Paper.MM80))
    second, _ = make_receipt_printer(virtual, PrinterProfile(), spool=tmp_path / "spool")
    assert virtual.wait_receipts(1)[0].lines[0] == "市医疗保障服务大厅"


def wait_until(condition, timeout_s: float = 10.0) -> None:
    import threading

    event = threading.Event()
    deadline = 0.0
    while deadline < timeout_s:
        if condition():
            return
        event.wait(0.05)
        deadline += 0.05
    raise AssertionError("condition not reached in time")


def test_rare_characters_and_full_width_punctuation_print_as_themselves(
        make_virtual, make_receipt_printer):
    virtual = make_virtual(Paper.MM58)
    printer, _ = make_receipt_printer(virtual, PrinterProfile(Paper.MM58))
    line = "投诉人：王𠮷、㙟堃（代办）——“一次办好”！"
    printer.submit("rare", [Text(line), Cut()])
    printed = "".join(virtual.wait_receipts(1)[0].lines)
    assert printed == line


def test_a_file_or_cups_printer_prints_blind_and_reports_its_status_as_unknown(
        tmp_path, make_virtual):
    import socket

    from printer.connections import PrinterAddress, open_printer
    from printer.transport import ReceiptPrinter

    target = tmp_path / "printer.bin"
    address = PrinterAddress("file", device=str(target))
    assert not address.answers_status
    seen: list[PrinterStatus] = []
    printer = ReceiptPrinter(lambda: open_printer(address), PrinterProfile(), tmp_path / "spool",
                             on_status=lambda s, n: seen.append(s), answers_status=False)
    printer.start()
    try:
        printer.submit("ticket", LAYOUTS["ticket"](Paper.MM80))
        wait_until(lambda: not printer.pending() and target.exists() and target.stat().st_size)
    finally:
        printer.stop()
    assert seen == [PrinterStatus.UNKNOWN]
    virtual = make_virtual(Paper.MM80)
    with socket.create_connection(("127.0.0.1", virtual.port)) as conn:
        conn.sendall(target.read_bytes())
        receipt = virtual.wait_receipts(1)[0]
    assert receipt.lines[0] == CATALOGUE.name_zh


@pytest.mark.parametrize(("raw", "expected"), [
    ({}, ("network", Paper.MM80, TextMode.GB18030)),
    ({"connection": "usb", "usb_vendor": "0x0416", "usb_product": "0x5011", "paper_mm": 58,
      "text_mode": "raster"}, ("usb", Paper.MM58, TextMode.RASTER)),
])
def test_the_printer_profile_comes_from_configuration(raw, expected):
    from printer.connections import printer_from_config

    address, profile = printer_from_config(raw)
    assert (address.kind, profile.paper, profile.text_mode) == expected


def test_an_unknown_printer_connection_is_refused():
    from printer.connections import printer_from_config

    with pytest.raises(ValueError, match="printer connection"):
        printer_from_config({"connection": "bluetooth"})
