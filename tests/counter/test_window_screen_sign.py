"""The window screen's sign breaks between its phrases only, also on a narrow screen."""
from __future__ import annotations

from counter.pad_view import StaffCard, WindowScreen
from counter.widgets import clipped_texts
from hall.chinese_text import WORD_JOINER
from hall.protocol import messages as m
from tests.counter.conftest import plain, save_png


def _card(status: m.WindowStatus, reason: m.PauseReason | None = None) -> StaffCard:
    return StaffCard(window=4, window_name="综合窗口", staff_name="", staff_id="", photo="",
                     hours_today="", status=status, pause_reason=reason, ticket_number="")


def test_a_closed_or_paused_sign_never_splits_a_word_on_a_narrow_window_screen(qtbot):
    screen = WindowScreen(4)
    qtbot.addWidget(screen)
    screen.resize(600, 400)
    screen.show()
    for name, card in (("closed", _card(m.WindowStatus.CLOSED)),
                       ("paused", _card(m.WindowStatus.PAUSED, m.PauseReason.AWAY))):
        screen.show_card(card)
        qtbot.wait(10)
        assert WORD_JOINER.join("暂停服务") in screen.sign.text()
        assert plain(screen.sign.text()).startswith(("本窗口暂停服务", "暂停服务 · 临时离开"))
        save_png(screen, f"window-screen-narrow-{name}")
        assert clipped_texts(screen) == []
