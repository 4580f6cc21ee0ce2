"""A window's counter app (terminal, pad, window screen) on the real controller and broker."""
from __future__ import annotations

from pathlib import Path

import pytest

from counter.app import CounterApp, CounterConfig
from tests.conftest import device_settings

OUTPUT = Path(__file__).resolve().parents[1] / "output" / "counter"


@pytest.fixture
def make_counter(qtbot, hall_id, clock, tmp_path):
    apps: list[CounterApp] = []

    def make(broker, window: int = 3, answer_timeout_s: float = 5.0,
             printer: str = "none") -> CounterApp:
        app = CounterApp(CounterConfig(
            hall_id=hall_id, window=window, mqtt=device_settings(broker),
            pad_mqtt=device_settings(broker), outbox_dir=tmp_path / f"outbox-{window}",
            rating_base_url="https://hall.example/rate", answer_timeout_s=answer_timeout_s,
            printer=printer, spool_dir=tmp_path / f"spool-{window}"),
            clock=clock)
        for widget in app.widgets.values():
            qtbot.addWidget(widget)
        app.start()
        apps.append(app)
        qtbot.waitUntil(lambda: app.client.is_connected and app.pad_client.is_connected,
                        timeout=10_000)
        qtbot.waitUntil(lambda: app.model.state is not None and app.model.hall is not None,
                        timeout=5_000)
        return app

    yield make
    for app in apps:
        app.stop()


def save_png(widget, name: str) -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / f"{name}.png"
    assert widget.grab().save(str(path))
    return path


def plain(text: str) -> str:
    """A label's text without the word joiners that keep its phrases whole."""
    from hall.chinese_text import NO_BREAK_SPACE, WORD_JOINER

    return text.replace(WORD_JOINER, "").replace(NO_BREAK_SPACE, " ")
