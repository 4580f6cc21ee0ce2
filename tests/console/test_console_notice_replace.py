"""A notice edited in the browser is replaced in one step: a wall shows exactly one version."""
from __future__ import annotations

from collections.abc import Callable

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from broker_config import LocalBroker
from console.server import ConsoleServer
from hall.controller import ControllerService
from hall.device_client import DeviceClient
from hall.protocol import messages as m
from tests.console.browser_steps import log_in, submit, wait_text
from tests.support import Inbox

MakeDevice = Callable[..., tuple[DeviceClient, Inbox]]
FIRST = "本周六上午正常办理医保业务"
SECOND = "本周六全天正常办理医保业务"


def test_a_notice_edited_in_the_browser_replaces_the_old_one_without_a_gap_or_an_overlap(
        browser: WebDriver, console: ConsoleServer, broker: LocalBroker,
        make_device: MakeDevice, controller: ControllerService) -> None:
    wall, inbox = make_device(broker, "wall-1", m.Role.WALL,
                              subscriptions=(controller.topics.notices,))
    log_in(browser, console, "wang.manager")
    browser.get(f"{console.url}/notices")
    browser.find_element(By.ID, "text_zh").send_keys(FIRST)
    submit(browser, "#push-notice")
    wait_text(browser, "#done", "公告已发布")
    _, board = inbox.wait_for(lambda t, msg: isinstance(msg, m.Notices)
                              and [n.text_zh for n in msg.notices] == [FIRST])
    assert isinstance(board, m.Notices)
    inbox.clear()

    browser.get(f"{console.url}/notices/{board.notices[0].notice_id}/edit")
    box = browser.find_element(By.ID, "text_zh")
    box.clear()
    box.send_keys(SECOND)
    submit(browser, "#save-notice")
    wait_text(browser, "#done", "公告已修改")
    inbox.wait_for(lambda t, msg: isinstance(msg, m.Notices)
                   and [n.text_zh for n in msg.notices] == [SECOND])
    # The one retained change the walls saw: the new version in place of the old, never neither.
    seen = [[n.text_zh for n in msg.notices] for msg in inbox.all(m.Notices)]
    assert seen[0] == [SECOND] and all(len(texts) == 1 for texts in seen), seen
    assert [n.text_zh for n in controller.store.notices_in_force()] == [SECOND]
    assert console.store.audit()[0].action == "edit_notice"
