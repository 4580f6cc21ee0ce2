"""Console accounts: log in with lockout, sessions with an idle timeout, the audit log."""
from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from console.passwords import (
    MIN_PASSWORD_CHARS,
    check_password_strength,
    hash_password,
    password_matches,
    random_password,
)
from console.roles import ConsoleRole
from hall.store.console_store import ConsoleStore, UserChange

logger = logging.getLogger(__name__)

USERNAME = re.compile(r"[a-z][a-z0-9._-]{1,31}")
# Checked against when the name is unknown, so a wrong name costs the same time as a wrong password.
_DUMMY_HASH = hash_password("not-a-password-of-anyone")


class AccountError(Exception):
    """A console account cannot be made or changed as asked; `zh` says why to a manager."""

    def __init__(self, message: str, zh: str = "") -> None:
        super().__init__(message)
        self.zh = zh or "无法完成此账号操作"


class LoginRefused(Exception):
    """Wrong name or password, a locked or disabled account; `reason` says which."""

    def __init__(self, reason: str, until: datetime | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.until = until


@dataclass(frozen=True, slots=True)
class Actor:
    """A logged-in person: who, in which role, with which session's CSRF token."""

    username: str
    role: str
    csrf_token: str
    session_hash: str
    # Logged in with a one-time password: may only change it.
    must_change_password: bool = False


class Accounts:
    def __init__(self, store: ConsoleStore, *, idle_timeout_s: int, failures_before_lock: int,
                 lock_s: int, on_locked: Callable[[str, str], None] = lambda user, remote: None
                 ) -> None:
        self.store = store
        self._idle = timedelta(seconds=idle_timeout_s)
        self._failures_before_lock = failures_before_lock
        self._lock_for = timedelta(seconds=lock_s)
        self._on_locked = on_locked

    # -- the command line's side ---------------------------------------------------------------

    def add_user(self, username: str, role: str, password: str, now: datetime, *,
                 must_change_password: bool = False) -> None:
        if not USERNAME.fullmatch(username):
            raise AccountError("a user name is 2-32 lowercase letters, digits, '.', '_' or '-'",
                               "用户名为 2–32 位小写字母、数字或 . _ -，以字母开头")
        _role(role)
        _check(password)
        if not self.store.add_user(username, role, hash_password(password), now,
                                   must_change_password=must_change_password):
            raise AccountError(f"user {username} exists already", f"用户名 {username} 已存在")

    def set_password(self, username: str, password: str, now: datetime) -> None:
        _check(password)
        if not self.store.set_password(username, hash_password(password), now):
            raise AccountError(f"no user {username}", f"没有用户 {username}")

    def set_disabled(self, username: str, disabled: bool, *, keep_a_manager: bool = False) -> None:
        """The hub's command line may disable anyone (its operator can add a manager there);
        the accounts page keeps a manager."""
        _done(self.store.set_disabled(username, disabled, keep_a_manager=keep_a_manager),
              username)

    # -- the accounts page's side --------------------------------------------------------------

    def add_with_initial_password(self, username: str, role: str, now: datetime) -> str:
        """A new account with a one-time password, which its user must change at first login."""
        password = random_password()
        self.add_user(username, role, password, now, must_change_password=True)
        return password

    def reset_password(self, username: str, now: datetime) -> str:
        """A new one-time password (to be changed at the next login); the user's sessions end."""
        password = random_password()
        if not self.store.set_password(username, hash_password(password), now,
                                       must_change_password=True):
            raise AccountError(f"no user {username}", f"没有用户 {username}")
        return password

    def set_role(self, username: str, role: str) -> None:
        _role(role)
        _done(self.store.set_role(username, role), username)

    def change_own_password(self, actor: Actor, old: str, new: str, now: datetime) -> Actor:
        """The user's own change: the old password proves it is them; their other sessions end."""
        user = self.store.user(actor.username)
        if user is None or not password_matches(old, user.password_hash):
            raise AccountError("the current password is wrong", "当前密码不正确")
        if new == old:
            raise AccountError("the new password must differ from the current one",
                               "新密码不能与当前密码相同")
        _check(new)
        self.store.set_password(actor.username, hash_password(new), now,
                                keep_session=actor.session_hash)
        return Actor(actor.username, actor.role, actor.csrf_token, actor.session_hash)

    # -- the web's side ----------------------------------------------------------------------

    def log_in(self, username: str, password: str, remote: str, now: datetime) -> tuple[str, Actor]:
        """(the session cookie's value, the actor); LoginRefused otherwise."""
        failures, locked_until = self.store.login_failures(username)
        if locked_until is not None and locked_until > now:
            raise LoginRefused("locked", locked_until)
        user = self.store.user(username)
        matches = password_matches(password, user.password_hash if user else _DUMMY_HASH)
        if user is None or not matches:
            failures = 0 if locked_until is not None else failures  # a lock served starts afresh
            failures += 1
            if failures >= self._failures_before_lock:
                until = now + self._lock_for
                self.store.save_login_failures(username, 0, until)
                logger.warning("console login of %r locked after %d wrong passwords", username,
                               failures)
                self._on_locked(username, remote)
                raise LoginRefused("locked", until)
            self.store.save_login_failures(username, failures, None)
            raise LoginRefused("wrong")
        if user.disabled:
            raise LoginRefused("disabled")
        self.store.clear_login_failures(username)
        session_id = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(24)
        session_hash = _hash(session_id)
        self.store.add_session(session_hash, username, csrf, now)
        return session_id, Actor(username, user.role, csrf, session_hash,
                                 user.must_change_password)

    def actor(self, session_id: str, now: datetime) -> Actor | None:
        """The session's actor, or None when unknown, idle too long or the user is disabled."""
        if not session_id:
            return None
        session_hash = _hash(session_id)
        session = self.store.session(session_hash)
        if session is None:
            return None
        if now - session.last_seen > self._idle:
            self.store.end_session(session_hash)
            return None
        user = self.store.user(session.username)
        if user is None or user.disabled:
            return None
        self.store.touch_session(session_hash, now)
        return Actor(user.username, user.role, session.csrf_token, session_hash,
                     user.must_change_password)

    def log_out(self, actor: Actor) -> None:
        self.store.end_session(actor.session_hash)

    def audit(self, actor: Actor | None, action: str, detail: str, remote: str,
              now: datetime) -> None:
        self.store.append_audit(now, actor.username if actor else "-",
                                actor.role if actor else "-", action, detail[:500], remote)


def _check(password: str) -> None:
    try:
        check_password_strength(password)
    except ValueError as exc:
        raise AccountError(str(exc), f"密码至少 {MIN_PASSWORD_CHARS} 个字符，且不能过于简单"
                           ) from None


def _role(role: str) -> None:
    try:
        ConsoleRole(role)
    except ValueError:
        raise AccountError(f"role is one of {[r.value for r in ConsoleRole]}", "没有这个角色") from None


def _done(change: UserChange, username: str) -> None:
    if change is UserChange.NO_SUCH_USER:
        raise AccountError(f"no user {username}", f"没有用户 {username}")
    if change is UserChange.LAST_MANAGER:
        raise LastManager("the hall would have no active manager left",
                          "至少要保留一名在用的负责人账号，此操作未执行")


class LastManager(AccountError):
    """No change may leave the hall without an active manager."""


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("ascii", "replace")).hexdigest()
