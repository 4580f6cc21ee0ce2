"""Who may do what in the console: roles are data, checked in one place, denied by default."""
from __future__ import annotations

import enum


@enum.unique
class ConsoleRole(enum.StrEnum):
    # Everything of this hall.
    MANAGER = "manager"
    # Reads everything, changes nothing (督查, the city office).
    SUPERVISOR = "supervisor"
    # Devices and provisioning views.
    IT = "it"


@enum.unique
class Action(enum.StrEnum):
    VIEW_HALL = "view_hall"
    VIEW_DEVICES = "view_devices"
    VIEW_NOTICES = "view_notices"
    VIEW_CLERKS = "view_clerks"
    VIEW_AUDIT = "view_audit"
    OPERATE_HALL = "operate_hall"
    EDIT_NOTICES = "edit_notices"
    MANAGE_CLERKS = "manage_clerks"
    ACKNOWLEDGE_ALERTS = "acknowledge_alerts"
    # Console accounts: the list, making and changing them (managers), one's own password (all).
    VIEW_ACCOUNTS = "view_accounts"
    MANAGE_ACCOUNTS = "manage_accounts"
    CHANGE_OWN_PASSWORD = "change_own_password"
    # The 好差评 closed loop and complaints (issue 13).
    VIEW_LOOP = "view_loop"
    HANDLE_CASES = "handle_cases"
    DECIDE_APPEALS = "decide_appeals"
    HANDLE_COMPLAINTS = "handle_complaints"
    VIEW_PERSONAL_DATA = "view_personal_data"


_READ_ALL = frozenset({Action.VIEW_HALL, Action.VIEW_DEVICES, Action.VIEW_NOTICES,
                       Action.VIEW_CLERKS, Action.VIEW_AUDIT, Action.VIEW_LOOP})
PERMISSIONS: dict[ConsoleRole, frozenset[Action]] = {
    ConsoleRole.MANAGER: frozenset(Action),
    # 复核: a supervisor decides appeals (document 002 §五.三); otherwise reads only.
    ConsoleRole.SUPERVISOR: _READ_ALL | {Action.DECIDE_APPEALS},
    ConsoleRole.IT: frozenset({Action.VIEW_HALL, Action.VIEW_DEVICES}),
}
# Every role sees who has an account and changes its own password; only managers make accounts
# (an IT account that could make a manager would be a manager).
for _role in (ConsoleRole.SUPERVISOR, ConsoleRole.IT):
    PERMISSIONS[_role] |= {Action.VIEW_ACCOUNTS, Action.CHANGE_OWN_PASSWORD}

ROLE_NAMES_ZH = {ConsoleRole.MANAGER: "负责人", ConsoleRole.SUPERVISOR: "督查",
                 ConsoleRole.IT: "信息技术"}


def may(role: str, action: Action) -> bool:
    """The one question: may this role do this action? Unknown roles may do nothing."""
    try:
        return action in PERMISSIONS[ConsoleRole(role)]
    except ValueError:
        return False
