"""replace_notice: a notice replaced in one transaction, seen by the walls as one change."""
from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

from hall.core.notices import new_notice
from hall.protocol import messages as m
from hall.store import SqliteStore
from tests.support import FakeClock


@pytest.fixture
def manager(broker, make_device):
    client, _ = make_device(broker, "console-1", m.Role.CONSOLE, user="manager")
    return client


def test_a_replaced_notice_reaches_the_walls_in_one_change_and_a_retry_is_carried_out_once(
        broker, controller, make_device, manager):
    pushed = manager.request(m.PushNotice, text_zh="午间照常办理", text_en="Open at noon")
    assert isinstance(pushed, m.Accepted)
    wall, inbox = make_device(broker, "wall-1", m.Role.WALL,
                              subscriptions=(controller.topics.notices,))
    inbox.wait_for(lambda t, msg: isinstance(msg, m.Notices)
                   and [n.text_zh for n in msg.notices] == ["午间照常办理"])
    replacing = manager.send(m.ReplaceNotice, request_id="replace-1", notice_id=pushed.notice_id,
                             text_zh="午间暂停办理", text_en="Closed at noon", urgent=True)
    first = manager.answer(replacing, 5)
    manager.resend(replacing)
    again = manager.answer(replacing, 5)
    assert isinstance(first, m.Accepted) and first == again
    assert first.events == ("NoticeReplaced",) and first.notice_id != pushed.notice_id
    inbox.wait_for(lambda t, msg: isinstance(msg, m.Notices)
                   and [(n.text_zh, n.urgent) for n in msg.notices] == [("午间暂停办理", True)])
    # Every list the wall was ever given held exactly one version: never neither, never both.
    seen = [[n.text_zh for n in msg.notices] for msg in inbox.all(m.Notices)]
    assert all(len(texts) == 1 for texts in seen), seen
    assert [n.text_zh for n in controller.store.notices_in_force()] == ["午间暂停办理"]


def test_a_refused_replacement_changes_nothing(broker, controller, manager):
    pushed = manager.request(m.PushNotice, text_zh="今日下午三点起暂停办理社保卡补办")
    empty = manager.request(m.ReplaceNotice, notice_id=pushed.notice_id, text_zh="  ")
    assert isinstance(empty, m.Rejected) and empty.code == "invalid_notice"
    unknown = manager.request(m.ReplaceNotice, notice_id="nosuch", text_zh="新内容")
    assert isinstance(unknown, m.Rejected) and unknown.code == "unknown_notice"
    too_long = manager.request(m.ReplaceNotice, notice_id=pushed.notice_id, text_zh="长" * 301)
    assert isinstance(too_long, m.Rejected) and too_long.code == "malformed"
    assert [n.notice_id for n in controller.store.notices_in_force()] == [pushed.notice_id]


def test_the_store_replaces_a_notice_in_one_transaction_or_not_at_all(
        tmp_path, clock: FakeClock):
    store = SqliteStore(tmp_path / "hall.db")
    try:
        old = new_notice("n-old", "旧公告", "", urgent=False, starts_at=None, expires_at=None,
                         pushed_by="console-1", now=clock())
        store.save_notice(old)
        clash = replace(old, text_zh="新公告")  # the same id: its insert fails after the retract
        with pytest.raises(sqlite3.IntegrityError):
            store.replace_notice("n-old", clash, ("console-1", "r-1", b"answer"))
        assert [n.text_zh for n in store.notices_in_force()] == ["旧公告"]
        assert store.answer_for("console-1", "r-1") is None
        fresh = replace(old, notice_id="n-new", text_zh="新公告")
        assert store.replace_notice("n-old", fresh, ("console-1", "r-2", b"answer"))
        assert not store.replace_notice("n-old", replace(fresh, notice_id="n-x"))
    finally:
        store.close()
    reopened = SqliteStore(tmp_path / "hall.db")
    try:
        assert [n.notice_id for n in reopened.notices_in_force()] == ["n-new"]
        assert reopened.answer_for("console-1", "r-2") == b"answer"
    finally:
        reopened.close()
