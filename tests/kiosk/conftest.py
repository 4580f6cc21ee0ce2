"""A kiosk on the real broker and controller, with a camera fed from image files."""
from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageFilter
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from hall.config import SAMPLE_GUIDES, SAMPLE_HALL, load_config, load_guides
from kiosk.app import KioskApp, KioskConfig
from kiosk.camera import ImageCamera
from kiosk.receipts import KioskPrinterRunner
from kiosk.screen_state import Screen
from kiosk.widgets import TouchButton, plain
from printer.connections import PrinterAddress, open_printer
from printer.escpos_writer import PrinterProfile
from printer.layout import Paper
from printer.virtual import VirtualPrinter
from tests.conftest import device_settings

OUTPUT = Path(__file__).resolve().parents[1] / "output" / "kiosk"
_CONFIG = load_config(SAMPLE_HALL, env={"HALL_MQTT_PASSWORD": "not-used"})
GUIDES = tuple(load_guides(SAMPLE_GUIDES, _CONFIG.catalogue).values())


def qr_picture(data: str, folder: Path, *, angle: float = 0.0, blur: float = 0.0,
               name: str = "") -> Path:
    """A photo-like picture of a QR code: on a grey desk, turned and slightly out of focus."""
    import qrcode

    code = qrcode.make(data, box_size=6, border=4).get_image().convert("L")
    if angle:
        code = code.rotate(angle, expand=True, fillcolor=255)
    scene = Image.new("L", (640, 480), 140)
    scale = min(1.0, 400 / max(code.size))
    code = code.resize((int(code.width * scale), int(code.height * scale)))
    scene.paste(code, ((640 - code.width) // 2, (480 - code.height) // 2))
    if blur:
        scene = scene.filter(ImageFilter.GaussianBlur(blur))
    path = folder / (name or f"qr-{abs(hash((data, angle, blur))) % 10**8}.png")
    buffer = io.BytesIO()
    scene.convert("RGB").save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture
def make_kiosk(qtbot, hall_id, clock) -> Iterator[Callable[..., KioskApp]]:
    apps: list[KioskApp] = []

    def make(broker, *, camera: ImageCamera | None = None, printer=None,
             size: tuple[int, int] = (1080, 1920), request_timeout_s: float = 2.0,
             idle_timeout_s: float = 60.0, state_dir=None) -> KioskApp:
        config = KioskConfig(hall_id=hall_id, device_id="kiosk-1", mqtt=device_settings(broker),
                             guides=GUIDES, hall_name_zh=_CONFIG.catalogue.name_zh,
                             width=size[0], height=size[1], full_screen=False, sound=False,
                             idle_timeout_s=idle_timeout_s, request_timeout_s=request_timeout_s,
                             state_dir=state_dir)
        app = KioskApp(config, camera=camera, printer=printer, clock=clock)
        qtbot.addWidget(app.view)
        apps.append(app)
        app.start()
        qtbot.waitUntil(lambda: app.view_model.state.hall.connected, timeout=10000)
        return app

    yield make
    for app in apps:
        app.stop()


@pytest.fixture
def virtual_printer(tmp_path, request) -> Iterator[VirtualPrinter]:
    printer = VirtualPrinter(OUTPUT / "receipts" / request.node.name[:60], Paper.MM80).start()
    yield printer
    printer.stop()


@pytest.fixture
def kiosk_printer(tmp_path, virtual_printer) -> Iterator[KioskPrinterRunner]:
    address = PrinterAddress("network", "127.0.0.1", virtual_printer.port)
    runner = KioskPrinterRunner(lambda: open_printer(address), PrinterProfile(), tmp_path / "spool",
                                answers_status=True, hall_name_zh=_CONFIG.catalogue.name_zh,
                                rating_base_url="https://hall.local")
    runner.start()
    yield runner
    runner.stop()


def buttons(app: KioskApp) -> list[TouchButton]:
    return [b for b in app.view.findChildren(TouchButton) if b.isVisibleTo(app.view)]


def tap(qtbot, app: KioskApp, label: str) -> None:
    """Touch the button showing `label` on the current screen (the first one, in reading order)."""
    found = [b for b in buttons(app) if b.text() == label]
    assert found, f"no button {label!r} on {app.view_model.state.screen}: " + \
        str([b.text() for b in buttons(app)])
    qtbot.mouseClick(found[0], Qt.MouseButton.LeftButton)


def type_keys(qtbot, app: KioskApp, keys: str) -> None:
    for key in keys:
        tap(qtbot, app, key)


def wait_screen(qtbot, app: KioskApp, screen: Screen, timeout_ms: int = 8000) -> None:
    def shown() -> None:
        state = app.view_model.state
        assert state.screen is screen, f"on {state.screen} ({state.notice})"

    qtbot.waitUntil(shown, timeout=timeout_ms)


def shown_texts(app: KioskApp) -> list[str]:
    """The visible labels' texts as written (without the word joiners that keep words whole)."""
    return [plain(w.text()) for w in app.view.findChildren(QLabel) if w.isVisibleTo(app.view)]
