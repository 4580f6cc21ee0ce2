"""The kiosk as a device: 适老化 switches, idle reset, voice, presence, recovery, no tracebacks."""
from __future__ import annotations

import wave

import pytest

from hall.protocol import messages as m
from kiosk.layout_check import clipped_texts
from kiosk.screen_state import Screen
from kiosk.screens import ScreenBuilder
from kiosk.spoken import spoken_text
from kiosk.widgets import LARGE, Label
from tests.kiosk.conftest import buttons, shown_texts, tap, type_keys, wait_screen


def test_one_tap_makes_every_text_large_and_high_contrast_and_english_is_one_tap_away(
        qtbot, broker, make_kiosk):
    kiosk = make_kiosk(broker)
    tap(qtbot, kiosk, "大字模式")
    assert kiosk.view_model.state.large
    texts = [w for w in kiosk.view.findChildren(Label) if w.isVisibleTo(kiosk.view)]
    assert min(w.font().pixelSize() for w in texts) >= 44
    assert min(min(b.font().pixelSize(), b.second_font.pixelSize()) for b in buttons(kiosk)) >= 44
    assert kiosk.view.palette().window().color() == LARGE.background
    tap(qtbot, kiosk, "English")
    assert "Hello! How may we help you?" in shown_texts(kiosk)
    tap(qtbot, kiosk, "Take a ticket")
    assert kiosk.view_model.state.large  # the choice holds on every screen
    qtbot.wait(50)  # the scroll area settles its width once its scroll bar is shown
    assert clipped_texts(kiosk.view) == []


def test_after_a_minute_idle_the_kiosk_forgets_the_citizen_and_shows_home(
        qtbot, broker, controller, make_kiosk):
    kiosk = make_kiosk(broker, idle_timeout_s=1.0)
    tap(qtbot, kiosk, "大字模式")
    tap(qtbot, kiosk, "投诉建议")
    tap(qtbot, kiosk, "服务态度类")
    tap(qtbot, kiosk, "工作人员态度生硬")
    tap(qtbot, kiosk, "下一步")
    tap(qtbot, kiosk, "W")
    tap(qtbot, kiosk, "王")
    tap(qtbot, kiosk, "下一步")
    type_keys(qtbot, kiosk, "1381234")
    wait_screen(qtbot, kiosk, Screen.HOME, timeout_ms=5000)
    state = kiosk.view_model.state
    assert state.complaint.phone == "" and state.complaint.surname == "" and not state.large
    assert not any("1381234" in t or "王" in t for t in shown_texts(kiosk))


def test_voice_guidance_reads_the_screen_in_mandarin(qtbot, tmp_path, broker, make_kiosk):
    from display_wall.announcer import synthesize_text

    kiosk = make_kiosk(broker)
    spoken: list[str] = []
    kiosk.view_model.speak_requested.connect(spoken.append)
    tap(qtbot, kiosk, "语音播报")
    assert spoken and spoken[0].startswith("您好！请问有什么可以帮您？取号，绿色通道")
    with wave.open(str(synthesize_text(spoken[0], tmp_path / "home.wav")), "rb") as w:
        assert w.getnframes() / w.getframerate() > 2.0
    vm = kiosk.view_model
    tap(qtbot, kiosk, "办事指南")
    assert spoken_text(vm.state, vm.guides, vm.priority_reasons).startswith("请选择业务类别")


def test_presence_tells_version_camera_and_printer_and_raises_an_alert_when_paper_runs_out(
        qtbot, broker, make_kiosk, make_device, kiosk_printer, virtual_printer):
    from printer.virtual import PaperState

    watcher, inbox = make_device(broker, "console-1", m.Role.CONSOLE, user="manager",
                                 subscriptions=("hall/+/device/kiosk-1/presence",))
    kiosk = make_kiosk(broker, printer=kiosk_printer)
    presence = inbox.wait_for(lambda t, msg: isinstance(msg, m.Presence)
                              and msg.device_id == "kiosk-1" and "app" in msg.detail)[1]
    assert presence.status is m.DeviceStatus.ONLINE
    assert presence.detail == "app 0.1.0; no camera; printer idle"
    virtual_printer.paper_state = PaperState.OUT
    kiosk.view_model.print_guide()  # no guide chosen: nothing printed
    kiosk.view_model.state = kiosk.view_model.state.fresh()
    kiosk_printer.printer.print_guide(kiosk.view_model.guides.guides["enrollment"])
    alert = inbox.wait_for(lambda t, msg: isinstance(msg, m.Presence)
                           and msg.status is m.DeviceStatus.ALERT)[1]
    assert alert.detail.endswith("打印机缺纸 printer out of paper")


def test_the_kiosk_resumes_after_a_broker_restart_without_a_touch(
        qtbot, private_broker, make_controller, make_kiosk):
    make_controller(private_broker)
    kiosk = make_kiosk(private_broker)
    private_broker.stop()
    qtbot.waitUntil(lambda: not kiosk.view_model.state.hall.connected, timeout=5000)
    assert any("系统连接中断" in t for t in shown_texts(kiosk))
    private_broker.start()
    qtbot.waitUntil(lambda: kiosk.view_model.state.hall.connected, timeout=20000)
    qtbot.waitUntil(lambda: not any("系统连接中断" in t for t in shown_texts(kiosk)), timeout=20000)
    tap(qtbot, kiosk, "取号")
    tap(qtbot, kiosk, "查询打印")
    tap(qtbot, kiosk, "缴费及个人账户查询")
    wait_screen(qtbot, kiosk, Screen.TICKET, timeout_ms=15000)


def test_a_fault_while_drawing_shows_a_polite_message_never_a_traceback(
        qtbot, broker, make_kiosk, monkeypatch):
    kiosk = make_kiosk(broker)

    def broken(self: ScreenBuilder) -> None:
        raise KeyError("a screen that cannot be drawn")

    monkeypatch.setattr(ScreenBuilder, "_status", broken)
    tap(qtbot, kiosk, "大厅状态")
    texts = shown_texts(kiosk)
    assert "很抱歉，系统暂时无法处理，请您稍候再试或咨询工作人员。" in texts
    assert not any("Traceback" in t or "KeyError" in t for t in texts)
    assert [b.text() for b in buttons(kiosk)] == ["返回首页"]


def test_hall_kiosk_is_a_command_and_a_bad_configuration_is_said_plainly(tmp_path, capsys):
    from hall_cli.cli import main

    code = main(["kiosk", "--password-file", str(tmp_path / "missing.secret"), "--camera", "none"])
    assert code == 4
    assert "missing.secret" in capsys.readouterr().err


def test_the_demo_kiosk_opens_and_prints_into_its_virtual_printer(qtbot, tmp_path, broker,
                                                                 controller, hall_id):
    from kiosk.app import DemoKiosk
    from tests.conftest import device_settings

    demo = DemoKiosk(hall_id, device_settings(broker), tmp_path)
    try:
        qtbot.addWidget(demo.app.view)
        qtbot.waitUntil(lambda: demo.app.view_model.state.hall.connected, timeout=10000)
        tap(qtbot, demo.app, "取号")
        tap(qtbot, demo.app, "查询打印")
        tap(qtbot, demo.app, "参保缴费凭证打印")
        wait_screen(qtbot, demo.app, Screen.TICKET)
        assert "您已领取 J001 号，前方等待 0 人" in demo.virtual.wait_receipts(1)[0].lines
    finally:
        demo.stop()


def test_the_kiosk_says_when_the_controller_is_gone_and_resumes_when_it_is_back(
        qtbot, broker, make_controller, make_kiosk):
    first = make_controller(broker)
    kiosk = make_kiosk(broker)
    first.stop()
    qtbot.waitUntil(lambda: any("系统连接中断" in t for t in shown_texts(kiosk)), timeout=5000)
    make_controller(broker, open_hall=False)
    qtbot.waitUntil(lambda: not any("系统连接中断" in t for t in shown_texts(kiosk)), timeout=10000)
    tap(qtbot, kiosk, "取号")
    tap(qtbot, kiosk, "参保登记")
    tap(qtbot, kiosk, "参保信息变更")
    wait_screen(qtbot, kiosk, Screen.TICKET)
    assert kiosk.view_model.state.ticket.number == "B001"


def test_a_fault_in_a_touch_shows_a_polite_message(qtbot, broker, make_kiosk):
    class JammedPrinter:
        def print_guide(self, guide):
            raise OSError("the paper path is jammed")

    kiosk = make_kiosk(broker)
    kiosk.view_model.printer = JammedPrinter()
    tap(qtbot, kiosk, "办事指南")
    tap(qtbot, kiosk, "查询打印")
    tap(qtbot, kiosk, "参保缴费凭证打印")
    tap(qtbot, kiosk, "打印一次性告知单")
    assert kiosk.view_model.state.notice.key == "failed"
    assert "很抱歉，系统暂时无法处理，请您稍候再试或咨询工作人员。" in shown_texts(kiosk)
    assert not any("jammed" in t or "Traceback" in t for t in shown_texts(kiosk))


def test_guides_that_do_not_fit_the_catalogue_stop_the_kiosk_with_the_reason(tmp_path):
    import os
    import subprocess
    import sys

    guides = tmp_path / "guides.toml"
    guides.write_text('[[guide]]\ncode = "enrollment"\nmaterials = ["身份证"]\ntime_limit = "即时"\n'
                      'fee = "免费"\nwhere = "1 号窗口"\n', encoding="utf-8")
    secret = tmp_path / "device.secret"
    secret.write_text("x", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "hall", "kiosk", "--password-file", str(secret), "--guides",
         str(guides), "--camera", "none", "--no-sound", "--port", "1"],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 4
    assert "no service guide for" in result.stderr and "Traceback" not in result.stderr


def test_the_kiosk_takes_any_screen_size_from_720x1280_up_and_refuses_smaller():
    import argparse

    from kiosk.cli import screen_size

    assert screen_size("720x1280") == (720, 1280) and screen_size("1920x1080") == (1920, 1080)
    for small in ("600x1024", "1280x600", "big"):
        with pytest.raises(argparse.ArgumentTypeError):
            screen_size(small)


def test_the_voice_guide_leaves_no_folder_behind_whether_it_ran_or_not():
    from kiosk.voice import VoiceGuide

    never_started = VoiceGuide()
    never_started.stop()
    assert not never_started._dir.exists()
    ran = VoiceGuide()
    ran.start()
    ran.stop()
    ran.join(timeout=10)
    assert not ran.is_alive() and not ran._dir.exists()
