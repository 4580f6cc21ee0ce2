"""The console's locks over HTTP: sessions, CSRF, roles, limits, idle timeout, the audit log."""
from __future__ import annotations

from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from console.accounts import AccountError, Accounts, LoginRefused
from console.config import ConsoleConfig
from console.passwords import hash_password, password_matches
from console.roles import Action, ConsoleRole, may
from console.server import ConsoleServer
from hall.controller import ControllerService
from hall.core.errors import ConfigError
from hall.store.console_store import ConsoleStore
from tests.console.conftest import PASSWORD, log_in_http
from tests.support import SHANGHAI, FakeClock

NOW = datetime(2026, 11, 24, 9, 30, tzinfo=SHANGHAI)


def test_without_a_session_pages_lead_to_the_login_and_changes_are_refused(
        console: ConsoleServer, controller: ControllerService) -> None:
    with httpx.Client(base_url=console.url, follow_redirects=False, timeout=10) as client:
        page = client.get("/clerks")
        assert page.status_code == 303 and page.headers["location"] == "/login?next=/clerks"
        refused = client.post("/operations/issuing", data={"issuing": "close", "csrf": "x"})
        assert refused.status_code == 401
        assert client.get("/live/hall").status_code == 401
    assert controller.state.is_open


def test_a_form_without_the_sessions_csrf_token_or_from_another_site_is_refused(
        console: ConsoleServer, controller: ControllerService) -> None:
    client, csrf = log_in_http(console)
    with closing(client):
        assert client.post("/operations/issuing", data={"issuing": "close"}).status_code == 403
        wrong = client.post("/operations/issuing", data={"issuing": "close", "csrf": csrf[:-1]})
        assert wrong.status_code == 403 and "表单已失效" in wrong.text
        cross = client.post("/operations/issuing", data={"issuing": "close", "csrf": csrf},
                            headers={"sec-fetch-site": "cross-site"})
        assert cross.status_code == 403
        assert controller.state.is_open
        done = client.post("/operations/issuing", data={"issuing": "close", "csrf": csrf})
        assert done.status_code == 200 and "已停止取号" in done.text
    assert not controller.state.is_open
    assert "csrf_refused" in [e.action for e in console.store.audit()]


def test_the_session_cookie_is_http_only_and_same_site_strict(console: ConsoleServer) -> None:
    with httpx.Client(base_url=console.url, follow_redirects=False, timeout=10) as client:
        answer = client.post("/login", data={"username": "wang.manager", "password": PASSWORD})
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie
    assert "secure" not in cookie  # plain HTTP on loopback; Secure is set under TLS
    assert answer.headers["x-frame-options"] == "DENY"
    assert "script-src 'self'" in answer.headers["content-security-policy"]


def test_an_idle_session_ends_and_logging_out_ends_it_too(
        console: ConsoleServer, clock: FakeClock) -> None:
    client, csrf = log_in_http(console)
    with closing(client):
        clock.advance(minutes=14)
        assert client.get("/hall").status_code == 200
        clock.advance(minutes=16)
        assert client.get("/hall").status_code == 303
    client, csrf = log_in_http(console)
    with closing(client):
        client.post("/logout", data={"csrf": csrf})
        assert client.get("/hall").status_code == 303


def test_oversized_and_malformed_requests_get_a_clear_4xx(console: ConsoleServer) -> None:
    client, csrf = log_in_http(console)
    with closing(client):
        big = client.post("/notices", data={"csrf": csrf, "text_zh": "长" * 40_000})
        assert big.status_code == 413 and "请求内容过大" in big.text
        missing = client.get("/no-such-page")
        assert missing.status_code == 404 and "页面不存在" in missing.text
        bad_time = client.post("/notices", data={"csrf": csrf, "text_zh": "通知",
                                                 "starts": "tomorrow"})
        assert bad_time.status_code == 400 and "时间格式不正确" in bad_time.text
        assert ">通知</textarea>" in bad_time.text  # what was typed is kept


def test_a_refusal_of_the_controller_reads_in_plain_words(console: ConsoleServer) -> None:
    client, csrf = log_in_http(console)
    with closing(client):
        answer = client.post("/clerks/pin", data={"csrf": csrf, "staff_id": "YB0101",
                                                  "pin": "123456", "pin_again": "123456"})
    assert answer.status_code == 409
    assert "密码须为 6 位数字，且不能是重复或连续的数字" in answer.text


def test_plain_http_is_served_off_loopback_only_when_allowed(
        controller: ControllerService, tmp_path: Path) -> None:
    config = ConsoleConfig(hall=controller.config, mqtt=controller.config.mqtt,
                           host="0.0.0.0", db_path=tmp_path / "c.db")
    with pytest.raises(ConfigError, match="plain HTTP"):
        config.check_listen_rule()
    ConsoleConfig(hall=controller.config, mqtt=controller.config.mqtt, host="0.0.0.0",
                  allow_plain_http=True).check_listen_rule()
    ConsoleConfig(hall=controller.config, mqtt=controller.config.mqtt, host="0.0.0.0",
                  tls_cert=tmp_path / "c.crt", tls_key=tmp_path / "c.key").check_listen_rule()


def test_passwords_are_hashed_with_scrypt_and_checked_in_constant_time() -> None:
    stored = hash_password("correct horse battery")
    assert stored.startswith("scrypt$16384$8$1$") and "correct" not in stored
    assert password_matches("correct horse battery", stored)
    assert not password_matches("correct horse batterY", stored)
    assert not password_matches("anything", "pbkdf2$1$2$3")


@pytest.mark.parametrize("role, action, allowed", [
    ("manager", Action.EDIT_NOTICES, True), ("manager", Action.VIEW_AUDIT, True),
    ("supervisor", Action.VIEW_AUDIT, True), ("supervisor", Action.VIEW_CLERKS, True),
    ("supervisor", Action.EDIT_NOTICES, False), ("supervisor", Action.OPERATE_HALL, False),
    ("supervisor", Action.ACKNOWLEDGE_ALERTS, False), ("it", Action.VIEW_DEVICES, True),
    ("it", Action.VIEW_CLERKS, False), ("it", Action.MANAGE_CLERKS, False),
    ("root", Action.VIEW_HALL, False),
])
def test_each_role_may_do_only_what_its_table_says(role: str, action: Action,
                                                    allowed: bool) -> None:
    assert may(role, action) is allowed


def test_accounts_refuse_weak_passwords_duplicates_and_disabled_users(tmp_path: Path) -> None:
    store = ConsoleStore(tmp_path / "c.db")
    accounts = Accounts(store, idle_timeout_s=900, failures_before_lock=3, lock_s=600)
    with pytest.raises(AccountError, match="at least"):
        accounts.add_user("wang", "manager", "short", NOW)
    with pytest.raises(AccountError, match="role"):
        accounts.add_user("wang", "admin", "long enough pass", NOW)
    accounts.add_user("wang", ConsoleRole.MANAGER, "long enough pass", NOW)
    with pytest.raises(AccountError, match="exists"):
        accounts.add_user("wang", "manager", "long enough pass", NOW)
    accounts.set_disabled("wang", True)
    with pytest.raises(LoginRefused) as refused:
        accounts.log_in("wang", "long enough pass", "127.0.0.1", NOW)
    assert refused.value.reason == "disabled"
    store.close()


def test_a_lock_ends_after_its_time_and_the_audit_log_cannot_be_rewritten(
        tmp_path: Path) -> None:
    locked: list[str] = []
    store = ConsoleStore(tmp_path / "c.db")
    accounts = Accounts(store, idle_timeout_s=900, failures_before_lock=3, lock_s=600,
                        on_locked=lambda user, remote: locked.append(user))
    accounts.add_user("li", "supervisor", "long enough pass", NOW)
    for _ in range(3):
        with pytest.raises(LoginRefused):
            accounts.log_in("li", "wrong", "10.0.0.9", NOW)
    assert locked == ["li"]
    with pytest.raises(LoginRefused, match="locked"):
        accounts.log_in("li", "long enough pass", "10.0.0.9", NOW + timedelta(minutes=9))
    _, actor = accounts.log_in("li", "long enough pass", "10.0.0.9", NOW + timedelta(minutes=11))
    accounts.audit(actor, "view_audit", "", "10.0.0.9", NOW)
    entry = store.audit()[0]
    assert (entry.username, entry.role, entry.remote) == ("li", "supervisor", "10.0.0.9")
    assert not store.try_rewrite_audit(entry.seq, "nothing happened")
    assert store.audit()[0].detail == ""
    store.close()
