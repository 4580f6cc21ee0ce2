"""Console accounts managed in the browser: add with a one-time password, reset, disable, change
role, one's own password; every step audited; the last active manager always stays."""
from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from pathlib import Path

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from console.accounts import Accounts, LastManager
from console.server import ConsoleServer
from hall.store.console_store import ConsoleStore
from tests.console.browser_steps import log_in, submit, wait_text
from tests.console.conftest import PASSWORD, log_in_http, screenshot
from tests.support import FakeClock

OWN_PASSWORD = "chen-own-password-42"


def test_a_manager_adds_an_account_whose_user_must_replace_the_one_time_password_at_first_login(
        browser: WebDriver, console: ConsoleServer) -> None:
    log_in(browser, console, "wang.manager")
    browser.get(f"{console.url}/accounts")
    wait_text(browser, "#account-list", "wang.manager")
    browser.find_element(By.ID, "new-username").send_keys("chen.duty")
    browser.find_element(By.CSS_SELECTOR, "#new-role option[value=supervisor]").click()
    submit(browser, "#add-account")
    one_time = wait_text(browser, "#new-password", "只显示这一次").find_element(By.TAG_NAME, "b").text
    wait_text(browser, "#account-chen\\.duty", "待改初始密码")
    screenshot(browser, "accounts")

    browser.delete_all_cookies()
    log_in(browser, console, "chen.duty", one_time)
    wait_text(browser, "#must-change", "一次性初始密码")
    browser.get(f"{console.url}/hall")  # nothing else opens with a one-time password
    wait_text(browser, "#must-change", "一次性初始密码")
    screenshot(browser, "own-password-first-login")
    browser.find_element(By.ID, "current-password").send_keys(one_time)
    browser.find_element(By.ID, "new-password-1").send_keys(OWN_PASSWORD)
    browser.find_element(By.ID, "new-password-2").send_keys(OWN_PASSWORD)
    submit(browser, "#change-password")
    wait_text(browser, "main", "各业务排队")

    user = console.store.user("chen.duty")
    assert user is not None and user.role == "supervisor" and not user.must_change_password
    entries = console.store.audit()
    assert {"account_add", "password_change"} <= {e.action for e in entries}
    written = " ".join(e.detail for e in entries) + console.store.path.read_bytes().decode("latin-1")
    assert one_time not in written and OWN_PASSWORD not in written


def test_reset_disable_and_role_changes_are_audited_and_never_leave_the_hall_without_a_manager(
        console: ConsoleServer) -> None:
    client, csrf = log_in_http(console, "wang.manager")
    with closing(client):
        demoted = client.post("/accounts/wang.manager/role", data={"csrf": csrf,
                                                                   "role": "supervisor"})
        assert demoted.status_code == 409 and "至少要保留一名在用的负责人账号" in demoted.text
        itself = client.post("/accounts/wang.manager/disable", data={"csrf": csrf})
        assert itself.status_code == 409 and "不能停用自己的账号" in itself.text

        promoted = client.post("/accounts/li.supervisor/role", data={"csrf": csrf,
                                                                     "role": "manager"})
        assert promoted.status_code == 200 and "角色已改为负责人" in promoted.text
        # Now there are two managers: wang may step down.
        stepped_down = client.post("/accounts/wang.manager/role", data={"csrf": csrf,
                                                                        "role": "supervisor"})
        assert stepped_down.status_code == 200

    manager, csrf = log_in_http(console, "li.supervisor")  # a manager now
    with closing(manager):
        assert manager.post("/accounts/wang.manager/role", data={
            "csrf": csrf, "role": "manager"}).status_code == 200
        it_staff, it_csrf = log_in_http(console, "zhao.it")
        reset = manager.post("/accounts/zhao.it/reset", data={"csrf": csrf})
        one_time = re.search(r'id="new-password">[^<]*<b>([^<]+)</b>', reset.text)
        assert reset.status_code == 200 and one_time
        assert it_staff.get("/devices").status_code == 303  # the reset ended zhao's session
        it_staff.close()
        assert manager.post("/accounts/zhao.it/disable", data={"csrf": csrf}).status_code == 200
        refused = httpx.post(f"{console.url}/login", data={"username": "zhao.it",
                                                            "password": one_time.group(1)})
        assert refused.status_code == 401 and "已停用" in refused.text
        assert manager.post("/accounts/zhao.it/enable", data={"csrf": csrf}).status_code == 200
        unknown = manager.post("/accounts/nobody/disable", data={"csrf": csrf})
        assert unknown.status_code == 409 and "没有用户 nobody" in unknown.text

    actions = [e.action for e in console.store.audit()]
    for action in ("account_role_refused", "account_disable_refused", "account_role",
                   "account_reset_password", "account_disable", "account_enable"):
        assert action in actions, action
    assert one_time.group(1) not in " ".join(e.detail for e in console.store.audit())


def test_a_supervisor_sees_the_accounts_but_changes_none_and_anyone_changes_their_own_password(
        console: ConsoleServer) -> None:
    client, csrf = log_in_http(console, "li.supervisor")
    with closing(client):
        listed = client.get("/accounts")
        assert listed.status_code == 200 and "zhao.it" in listed.text
        assert 'id="add-account"' not in listed.text and "/disable" not in listed.text
        refused = client.post("/accounts", data={"csrf": csrf, "username": "mole",
                                                  "role": "manager"})
        assert refused.status_code == 403 and console.store.user("mole") is None
        wrong = client.post("/account/password", data={"csrf": csrf, "current": "not-mine-at-all",
                                                       "new": OWN_PASSWORD, "again": OWN_PASSWORD})
        assert wrong.status_code == 409 and "当前密码不正确" in wrong.text
        weak = client.post("/account/password", data={"csrf": csrf, "current": PASSWORD,
                                                      "new": "short", "again": "short"})
        assert weak.status_code == 409 and "至少 10 个字符" in weak.text
        changed = client.post("/account/password", data={"csrf": csrf, "current": PASSWORD,
                                                         "new": OWN_PASSWORD,
                                                         "again": OWN_PASSWORD})
        assert changed.status_code == 200 and "密码已修改" in changed.text
        assert client.get("/hall").status_code == 200  # this session goes on
    assert any(e.action == "denied" and e.username == "li.supervisor"
               for e in console.store.audit())


def test_the_last_manager_is_kept_by_the_accounts_page_rule_but_the_hubs_operator_may_disable_it(
        tmp_path: Path, clock: FakeClock) -> None:
    accounts = Accounts(ConsoleStore(tmp_path / "c.db"), idle_timeout_s=900,
                        failures_before_lock=5, lock_s=900)
    accounts.add_user("wang", "manager", PASSWORD, clock())
    accounts.add_user("zhao", "it", PASSWORD, clock())
    with pytest.raises(LastManager):
        accounts.set_disabled("wang", True, keep_a_manager=True)
    with pytest.raises(LastManager):
        accounts.set_role("wang", "it")
    accounts.set_disabled("zhao", True, keep_a_manager=True)
    assert [(u.username, u.role, u.disabled) for u in accounts.store.users()] == [
        ("wang", "manager", False), ("zhao", "it", True)]
    # `hall console user disable` on the hub: root there can always add a manager again.
    accounts.set_disabled("wang", True)
    assert accounts.store.user("wang").disabled  # type: ignore[union-attr]
    accounts.store.close()


def test_a_console_file_of_schema_1_opens_with_its_accounts_and_gains_the_new_columns(
        tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    old.executescript("""
        CREATE TABLE users (username TEXT PRIMARY KEY, role TEXT NOT NULL,
            password_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL, password_set_at TEXT NOT NULL);
        CREATE TABLE alert_acks (alert_id TEXT PRIMARY KEY, username TEXT NOT NULL,
            at TEXT NOT NULL);
        PRAGMA user_version = 1;
    """)
    old.execute("INSERT INTO users VALUES ('wang', 'manager', 'x', 0, ?, ?)",
                (clock().isoformat(), clock().isoformat()))
    old.commit()
    old.close()
    store = ConsoleStore(path)
    user = store.user("wang")
    assert user is not None and user.role == "manager" and not user.must_change_password
    assert store.alerts(10) == []
    store.close()
