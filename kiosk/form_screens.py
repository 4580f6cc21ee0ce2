"""The kiosk's forms: appointment check-in, 好差评, complaints and their progress."""
from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.screen_base import BuilderBase
from kiosk.screen_state import (
    MOBILE_DIGITS,
    Screen,
    is_mobile_number,
    mask_phone_typed,
    tracking_number_of,
)
from kiosk.texts import (
    BAD_REASON_EN,
    CATEGORY_EN,
    COMPLAINT_REASON_EN,
    COMPLAINT_STATUS,
    LEVEL_EN,
    LEVEL_SHORT_EN,
    LEVEL_SHORT_ZH,
    SUB_INDICATOR_EN,
    SURNAMES_BY_INITIAL,
    Lang,
    pick,
)
from kiosk.widgets import TouchButton

# The domain's tables (levels, reasons, categories) are imported by the screens that show them:
# the home screen is painted before the domain core is loaded (cold start).

# The kiosk has no input method: a reason that needs a comment (其他) is offered at the window.
NEEDS_WORDS = {"other"}


def surname_pinyin(surname: str) -> str:
    """欧 -> Ou: how an English screen writes a Chinese surname."""
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(surname, style=Style.NORMAL)).capitalize()


class FormScreens(BuilderBase):
    def colon(self) -> str:
        return "：" if self.lang is Lang.ZH else ": "

    def typed_entry(self, shown: str, kind: str, wanted_columns: int) -> QWidget:
        """What has been typed above the keyboard; beside the camera on a landscape screen."""
        entry = QWidget()
        column = QVBoxLayout(entry)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(16)
        column.addWidget(self.display(shown))
        room = (self.content_width - self.camera_size().width() - 24
                if self.landscape and self.vm.has_camera else None)
        column.addWidget(self.keyboard(kind, wanted_columns, room))
        return entry

    def _appointment(self) -> None:
        self.title("appointment_title")
        self.side_by_side(self.camera("camera_off"),
                          self.typed_entry(self.tx("typed_code", code=self.s.typed), "alnum",
                                           9 if self.landscape else 8))
        self.act(self.button("confirm", self.vm.submit_code, role="accent"))

    def _appointment_phone(self) -> None:
        self.title("appt_phone_title")
        shown = self.s.typed + "_" * (4 - len(self.s.typed))
        self.add(self.display(self.tx("phone_last4", digits=shown)))
        self.add(self.keyboard("digits", self.columns(3, 6)))
        confirm = self.button("confirm", self.vm.submit_phone_last4, role="accent")
        confirm.setEnabled(len(self.s.typed) == 4)
        self.act(confirm)

    # -- 好差评 ---------------------------------------------------------------------------------

    def _rate_scan(self) -> None:
        self.title("rate_scan")
        self.side_by_side(self.camera("camera_off_rate"),
                          self.typed_entry(self.tx("typed_rating_code", code=self.s.typed),
                                           "alnum", 9 if self.landscape else 8))
        self.act(self.button("confirm", self.vm.submit_rating_code, role="accent"))

    def _rate_level(self) -> None:
        from hall.core.ratings import LEVEL_ZH, RatingLevel

        self.title("rate_level")
        levels = [TouchButton(LEVEL_ZH[level] if self.lang is Lang.ZH else LEVEL_EN[level], self.t,
                              on_click=partial(self.vm.choose_level, level))
                  for level in RatingLevel]
        self.add(self.grid(self.big(levels), self.columns(1, 5)))

    def _rate_details(self) -> None:
        from hall.core.ratings import BAD_REASONS_ZH, LEVEL_ZH, SUB_INDICATORS_ZH, RatingLevel

        r = self.s.rating
        if r.level is None:
            return
        level_name = LEVEL_ZH[r.level] if self.lang is Lang.ZH else LEVEL_EN[r.level]
        self.label(f"{self.tx('rate_level')}{self.colon()}{level_name}", px=self.t.title_px,
                   bold=True)
        self.label(self.tx("rate_sub"), bold=True)
        scores = dict(r.sub_scores)
        short = LEVEL_SHORT_ZH if self.lang is Lang.ZH else LEVEL_SHORT_EN
        for code, name_zh in SUB_INDICATORS_ZH.items():
            self.label(name_zh if self.lang is Lang.ZH else SUB_INDICATOR_EN[code])
            self.add(self.grid([TouchButton(short[level], self.t, px=self.t.body_px,
                                       selected=scores.get(code) is level,
                                       on_click=partial(self.vm.choose_sub_score, code, level))
                           for level in RatingLevel], 5, spacing=8))
        if r.level.is_bad:
            self.label(self.tx("rate_reasons"), bold=True)
            self.add(self.grid([TouchButton(name if self.lang is Lang.ZH else BAD_REASON_EN[code],
                                       self.t, selected=code in r.reasons, px=self.t.body_px,
                                       on_click=partial(self.vm.toggle_rating_reason, code))
                           for code, name in BAD_REASONS_ZH.items() if code not in NEEDS_WORDS],
                          self.columns(2, 4)))
        self.act(self.button("rate_submit", self.vm.submit_rating, role="accent"))

    def _rate_phone(self) -> None:
        """Optional: a bad rating's callback number, masked once it is whole."""
        self.title("rate_phone_title")
        self.label(self.tx("rate_phone_hint"))
        typed = self.s.typed
        whole = is_mobile_number(typed)
        shown = mask_phone_typed(typed) if whole else typed + "_" * (MOBILE_DIGITS - len(typed))
        self.add(self.display(self.tx("rate_phone_shown", phone=shown)))
        self.add(self.keyboard("digits", self.columns(3, 6)))
        if typed and not whole and len(typed) == MOBILE_DIGITS:
            self.say_in_bar(self.tx("rate_phone_invalid"), warning=True)
        submit = self.button("rate_submit", self.vm.submit_rating, role="accent")
        submit.setEnabled(whole)
        self.act(self.button("rate_phone_skip", self.vm.submit_rating_without_phone,
                             role="quiet"), submit)

    def _follow_up(self) -> None:
        """追评: once, after the hall acted on a bad rating and told the citizen."""
        from hall.core.ratings import LEVEL_ZH, RatingLevel

        self.title("follow_up_title")
        chosen = self.s.rating.level
        levels = [TouchButton(LEVEL_ZH[level] if self.lang is Lang.ZH else LEVEL_EN[level], self.t,
                              selected=level is chosen,
                              on_click=partial(self.vm.choose_follow_up_level, level))
                  for level in RatingLevel]
        self.add(self.grid(self.big(levels), self.columns(1, 5)))
        submit = self.button("follow_up_submit", self.vm.submit_follow_up, role="accent")
        submit.setEnabled(chosen is not None)
        self.act(submit)

    # -- complaints ----------------------------------------------------------------------------

    def _complaint_category(self) -> None:
        from hall.core.complaints import CATEGORY_ZH

        self.title("complaint_category")
        categories = [TouchButton(name if self.lang is Lang.ZH else CATEGORY_EN[c], self.t,
                                  on_click=partial(self.vm.choose_complaint_category, c))
                      for c, name in CATEGORY_ZH.items()]
        self.add(self.grid(self.big(categories), self.columns(2, 3)))
        self.add(self.button("lookup", lambda: self.vm.go_to(Screen.LOOKUP), role="quiet"))

    def _complaint_reasons(self) -> None:
        from hall.core.complaints import COMMON_REASONS_ZH

        self.title("complaint_reasons")
        picked = self.s.complaint.reasons
        self.add(self.grid([TouchButton(name if self.lang is Lang.ZH else COMPLAINT_REASON_EN[code],
                                   self.t, selected=code in picked, px=self.t.body_px,
                                   on_click=partial(self.vm.toggle_complaint_reason, code))
                       for code, name in COMMON_REASONS_ZH.items()], self.columns(2, 3)))
        go_on = self.button("complaint_next", lambda: self.vm.go_to(Screen.COMPLAINT_NAME),
                            role="accent")
        go_on.setEnabled(bool(picked))
        self.act(go_on)

    def name_shown(self) -> str:
        c = self.s.complaint
        if not c.surname:
            return ""
        if self.lang is Lang.ZH:
            return c.name
        return f"{self.tx(c.title_key or 'title_ms')} {surname_pinyin(c.surname)}"

    def _complaint_name(self) -> None:
        self.title("complaint_contact")
        self.label(self.tx("complaint_contact_hint"))
        c = self.s.complaint
        self.add(self.display(f"{self.tx('surname')}{self.colon()}{self.name_shown()}"))
        self.add(self.keyboard("letters", 14 if self.landscape else 7))
        if self.s.typed:
            names = SURNAMES_BY_INITIAL.get(self.s.typed, "")
            self.add(self.grid([TouchButton(n, self.t, selected=n == c.surname,
                                       second=surname_pinyin(n) if self.lang is Lang.EN else "",
                                       on_click=partial(self.vm.choose_surname, n))
                           for n in names], self.key_columns(self.columns(6, 10)), spacing=8))
        if c.surname:
            self.add(self.grid([TouchButton(self.tx(k), self.t, selected=c.title_key == k,
                                       on_click=partial(self.vm.choose_title, k))
                           for k in ("title_mr", "title_ms")], 2))
        self.act(self.button("skip", self.vm.skip_contact, role="quiet"),
                 self.button("complaint_next", lambda: self.vm.go_to(Screen.COMPLAINT_PHONE),
                             role="accent"))

    def _complaint_phone(self) -> None:
        self.title("complaint_contact")
        self.add(self.display(f"{self.tx('phone')}{self.colon()}{self.s.complaint.phone}"))
        self.add(self.keyboard("digits", self.columns(3, 6)))
        self.act(self.button("skip", self.vm.skip_contact, role="quiet"),
                 self.button("complaint_next", lambda: self.vm.go_to(Screen.COMPLAINT_CONFIRM),
                             role="accent"))

    def _complaint_confirm(self) -> None:
        from hall.core.complaints import CATEGORY_ZH, COMMON_REASONS_ZH

        self.title("confirm_title")
        c = self.s.complaint
        if c.category is None:
            return
        category = CATEGORY_ZH[c.category] if self.lang is Lang.ZH else CATEGORY_EN[c.category]
        names = [COMMON_REASONS_ZH[r] if self.lang is Lang.ZH else COMPLAINT_REASON_EN[r]
                 for r in c.reasons]
        reasons = ("；" if self.lang is Lang.ZH else "; ").join(names)
        none = self.tx("confirm_none")
        self.label(self.tx("confirm_category", text=category))
        self.label(self.tx("confirm_reasons", text=reasons))
        self.label(self.tx("confirm_name", text=self.name_shown() or none))
        self.label(self.tx("confirm_phone", text=mask_phone_typed(c.phone) if c.phone else none))
        self.act(self.button("file_it", self.vm.file_complaint, role="accent"))

    def _complaint_done(self) -> None:
        r = self.s.complaint_result
        if r is None:
            return
        self.label(self.tx("complaint_done"), bold=True)
        self.label(self.tx("tracking", number=r.tracking_number), px=self.t.title_px, bold=True)
        self.label(self.tx("answer_due", date=r.answer_due.isoformat()))
        if r.printed:
            self.say_in_bar(self.tx("receipt_printing"))
        else:
            self.say_in_bar(self.tx("receipt_print_problem"), warning=True)
        self.act(self.button("ok", self.vm.go_home, role="accent"))

    def _lookup(self) -> None:
        self.title("lookup_title")
        self.add(self.display(tracking_number_of(self.s.typed)))
        self.add(self.keyboard("digits", self.columns(3, 6)))
        self.act(self.button("confirm", self.vm.look_up, role="accent"))

    def _progress(self) -> None:
        from hall.core.complaints import CATEGORY_ZH

        r = self.s.complaint_result
        if r is None:
            return
        status = COMPLAINT_STATUS.get(r.status, (r.status, r.status))
        category = CATEGORY_ZH[r.category] if self.lang is Lang.ZH else CATEGORY_EN[r.category]
        self.label(self.tx("tracking", number=r.tracking_number), px=self.t.title_px, bold=True)
        self.label(self.tx("confirm_category", text=category))
        self.label(self.tx("progress", status=pick(status, self.lang)), bold=True)
        self.label(self.tx("registered_at", time=f"{r.registered_at:%Y-%m-%d %H:%M}"))
        self.label(self.tx("answer_due", date=r.answer_due.isoformat()))
        self.act(self.button("ok", self.vm.go_home, role="accent"))
