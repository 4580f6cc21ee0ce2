"""One builder per screen: widgets drawn from the state, touches wired to the view-model."""
from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from hall.public_texts import wait_range_en, wait_range_zh
from kiosk.screen_state import KioskState, Purpose, Screen, mask_phone_typed, tracking_number_of
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
    both,
    pick,
    text,
)
from kiosk.widgets import CameraPreview, Keyboard, Label, Theme, TouchButton, grid

if TYPE_CHECKING:
    from kiosk.view_model import KioskViewModel

# The domain's tables (levels, reasons, categories) are imported by the screens that show them:
# the home screen is painted before the domain core is loaded (cold start).

# The kiosk has no input method: a reason that needs a comment (其他) is offered at the window.
NEEDS_WORDS = {"other"}
CHOICE_MIN_PX = 140
class ScreenBuilder:
    """Builds the body of the current screen; `preview` is the camera picture when one is shown."""

    def __init__(self, vm: KioskViewModel, state: KioskState, theme: Theme, width: int) -> None:
        self.vm, self.s, self.t, self.width = vm, state, theme, width
        self.lang = state.lang
        self.landscape = width > 1400
        self.preview: CameraPreview | None = None
        self.body = QWidget()
        self.box = QVBoxLayout(self.body)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(20)

    # -- small helpers -------------------------------------------------------------------------

    def tx(self, key: str, **values: object) -> str:
        return text(key, self.lang, **values)

    def _wait_range(self, low: int | None, high: int | None, point: int | None) -> str:
        shaped = wait_range_zh if self.lang is Lang.ZH else wait_range_en
        return shaped(low, high, point)

    def label(self, words: str, *, px: int | None = None, bold: bool = False,
              center: bool = False) -> Label:
        item = Label(words, self.t, px=px, bold=bold, center=center)
        self.box.addWidget(item)
        return item

    def title(self, key: str, **values: object) -> Label:
        return self.label(self.tx(key, **values), px=self.t.title_px, bold=True)

    def button(self, key: str, action: Callable[[], None], *, role: str = "normal",
               bilingual: bool = False) -> TouchButton:
        first, second = both(key, self.lang)
        return TouchButton(first, self.t, second=second if bilingual else "", role=role,
                           on_click=action)

    def add(self, widget: QWidget) -> QWidget:
        self.box.addWidget(widget)
        return widget

    def big(self, buttons: list[TouchButton]) -> list[TouchButton]:
        """The screen's main choices: taller than keys, as there are few of them."""
        for b in buttons:
            b.setMinimumHeight(CHOICE_MIN_PX)
        return buttons

    def columns(self, portrait: int, landscape: int) -> int:
        return landscape if self.landscape else portrait

    def side_by_side(self, left: QWidget, right: QWidget) -> None:
        row = QWidget()
        layout = QHBoxLayout(row) if self.landscape else QVBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(24)
        layout.addWidget(left)
        layout.addWidget(right, 1)
        self.add(row)

    def camera(self, key: str) -> CameraPreview:
        size = QSize(560, 420) if self.landscape else QSize(640, 480)
        self.preview = CameraPreview(self.t, size, self.tx(key))
        return self.preview

    def keyboard(self, kind: str, columns: int) -> Keyboard:
        keys = Keyboard(kind, self.t, (self.tx("delete"), self.tx("clear")), columns)
        keys.key_pressed.connect(self.vm.press_key)
        keys.delete_pressed.connect(self.vm.delete_key)
        keys.clear_pressed.connect(self.vm.clear_typed)
        return keys

    def typed_with_action(self, words: str, action: TouchButton) -> QWidget:
        """What has been typed and the button that sends it, side by side: always in sight."""
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        layout.addWidget(self.display(words), 3)
        layout.addWidget(action, 1)
        return row

    def display(self, words: str) -> Label:
        """What has been typed, in a frame, big."""
        shown = Label(words or " ", self.t, px=self.t.title_px, bold=True, center=True)
        shown.setStyleSheet(f"color: {self.t.text.name()}; border: 3px solid {self.t.text.name()};"
                            " padding: 8px;")
        return shown

    # -- screens -------------------------------------------------------------------------------

    def build(self) -> QWidget:
        getattr(self, f"_{self.s.screen.value}")()
        self.box.addStretch(1)
        return self.body

    def _home(self) -> None:
        self.title("greeting")
        vm = self.vm
        items = [
            self.button("take_ticket", lambda: vm.start(Purpose.TICKET), bilingual=True),
            TouchButton(text("priority", self.lang), self.t, role="priority",
                        second=self.tx("priority_hint"),
                        on_click=lambda: vm.start(Purpose.PRIORITY)),
            self.button("appointment", lambda: vm.go_to(Screen.APPOINTMENT), bilingual=True),
            self.button("guides", lambda: vm.start(Purpose.GUIDE), bilingual=True),
            self.button("status", lambda: vm.go_to(Screen.STATUS), bilingual=True),
            self.button("rate", lambda: vm.go_to(Screen.RATE_SCAN), bilingual=True),
            self.button("complaint", lambda: vm.go_to(Screen.COMPLAINT_CATEGORY), bilingual=True),
        ]
        for b in items:
            b.setMinimumHeight(160 if self.landscape else 260)
        self.add(grid(items, self.columns(2, 4), spacing=24))

    def _priority_reasons(self) -> None:
        self.title("pick_priority_reason")
        reasons = [TouchButton(pick(pair, self.lang), self.t, role="priority",
                               on_click=partial(self.vm.choose_priority_reason, pair[0]))
                   for pair in self.vm.priority_reasons]
        self.add(grid(self.big(reasons), self.columns(1, 2)))

    def _categories(self) -> None:
        self.title("pick_category")
        if self.s.purpose is Purpose.PRIORITY:
            colon = "：" if self.lang is Lang.ZH else ": "
            self.label(f"{self.tx('priority_mark')}{colon}{self.s.priority_reason}", bold=True)
        if self.s.purpose is Purpose.GUIDE:
            self.add(self.button("search", self.vm.open_search, role="accent"))
        categories = [TouchButton(c.name_zh if self.lang is Lang.ZH else c.name_en, self.t,
                                  second=c.name_en if self.lang is Lang.ZH else c.name_zh,
                                  on_click=partial(self.vm.choose_category, c.name_zh))
                      for c in self.vm.guides.categories]
        self.add(grid(self.big(categories), self.columns(2, 3)))

    def _items(self) -> None:
        self.title("pick_item")
        category = self.vm.guides.category(self.s.category)
        self.label(category.name_zh if self.lang is Lang.ZH else category.name_en, bold=True)
        items = [self._item_button(code) for code in category.codes]
        self.add(grid(self.big(items), self.columns(1, 2)))

    def _item_button(self, code: str) -> TouchButton:
        guide = self.vm.guides.guides[code]
        waiting = self.s.hall.waiting(code)
        if self.s.purpose is Purpose.GUIDE or waiting is None:
            second = guide.name_en if self.lang is Lang.ZH else guide.name_zh
        else:
            second = self.tx("waiting_count", waiting=waiting)
        name = guide.name_zh if self.lang is Lang.ZH else guide.name_en
        return TouchButton(name, self.t, second=second,
                           role="priority" if self.s.purpose is Purpose.PRIORITY else "normal",
                           on_click=lambda: self.vm.choose_item(code))

    def _busy(self) -> None:
        self.label(self.tx(self.s.busy_key), px=self.t.title_px, bold=True, center=True)

    def _ticket(self) -> None:
        t = self.s.ticket
        if t is None:
            return
        self.label(self.tx("your_number"), center=True)
        self.label(t.number, px=self.t.title_px * 3, bold=True, center=True)
        self.label(t.business_zh if self.lang is Lang.ZH else t.business_en, px=self.t.title_px,
                   center=True)
        if t.kind in ("priority", "appointment"):
            self.label(f"【{self.tx(t.kind + '_mark')}】", bold=True, center=True)
        self.label(self.tx("people_ahead", number=t.number, ahead=t.people_ahead), bold=True,
                   center=True)
        self.label(self.tx("est_wait_unknown") if t.est_wait_min is None
                   else self.tx("est_wait_range", range=self._wait_range(
                       t.est_wait_low_min, t.est_wait_high_min, t.est_wait_min)), center=True)
        self.label(self.tx("printing" if t.printed else "print_problem"), center=True)
        self.label(self.tx("goodbye"), center=True)
        self.add(self.button("ok", self.vm.go_home))

    def _appointment(self) -> None:
        self.title("appointment_title")
        entry = QWidget()
        column = QVBoxLayout(entry)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.typed_with_action(self.tx("typed_code", code=self.s.typed),
                                                self.button("confirm", self.vm.submit_code,
                                                            role="accent")))
        column.addWidget(self.keyboard("alnum", 9 if self.landscape else 8))
        self.side_by_side(self.camera("camera_off"), entry)

    def _guide_search(self) -> None:
        self.title("search_hint")
        self.add(self.display(self.s.typed.lower()))
        self.add(self.keyboard("letters", 14 if self.landscape else 7))
        if self.s.typed:
            found = self.vm.guides.search(self.s.typed)
            if not found:
                self.label(self.tx("search_none"))
            self.add(grid([TouchButton(g.name_zh if self.lang is Lang.ZH else g.name_en, self.t,
                                       on_click=partial(self.vm.choose_item, g.code))
                           for g in found], self.columns(1, 2)))

    def _guide(self) -> None:
        g = self.vm.guides.guides.get(self.s.guide_code)
        if g is None:
            return
        self.label(g.name_zh if self.lang is Lang.ZH else g.name_en, px=self.t.title_px,
                   bold=True)
        sections = [("materials", [f"{i}. {x}" for i, x in enumerate(g.materials, start=1)]),
                    ("conditions", [f"· {x}" for x in g.conditions]),
                    ("time_limit", [g.time_limit]), ("fee", [g.fee]), ("where", [g.where])]
        if g.notes:
            sections.append(("notes", [f"· {x}" for x in g.notes]))
        for key, lines in sections:
            self.label(self.tx(key), bold=True)
            for line in lines:
                self.label(line)
        if self.s.guide_printed is not None:
            self.label(self.tx("list_printing" if self.s.guide_printed else "print_problem"),
                       bold=True)
        self.add(grid([self.button("print_list", self.vm.print_guide, role="accent"),
                       self.button("take_this", self.vm.ticket_for_guide)], self.columns(1, 2)))

    def _status(self) -> None:
        self.title("status_title")
        h = self.s.hall
        if h.queue is None:
            self.label(self.tx("status_unknown"))
            return
        windows = "、".join(str(n) for n in h.open_windows)
        self.label(self.tx("status_windows_open", windows=windows) if windows
                   else self.tx("status_none_open"), bold=True)
        cards = []
        for b in h.queue.businesses:
            if b.est_wait_min is None:
                wait = self.tx("status_wait_none")
            elif b.est_wait_min == 0:
                wait = self.tx("status_no_wait")
            else:
                wait = self._wait_range(b.est_wait_low_min, b.est_wait_high_min, b.est_wait_min)
            if b.cut_off_zh:
                wait = b.cut_off_zh if self.lang is Lang.ZH else b.cut_off_en
            card = QWidget()
            lines = QVBoxLayout(card)
            lines.setContentsMargins(0, 0, 0, 8)
            lines.setSpacing(4)
            lines.addWidget(Label(f"{b.prefix}  {b.name_zh if self.lang is Lang.ZH else b.name_en}",
                                  self.t, bold=True))
            lines.addWidget(Label(f"{self.tx('status_waiting', waiting=b.waiting)} · {wait} · "
                                  f"{self.tx('status_windows', count=b.windows_open)}", self.t))
            cards.append(card)
        self.add(grid(cards, self.columns(1, 2)))

    def _rate_scan(self) -> None:
        self.title("rate_scan")
        self.add(self.camera("camera_off"))

    def _rate_level(self) -> None:
        from hall.core.ratings import LEVEL_ZH, RatingLevel

        self.title("rate_level")
        levels = [TouchButton(LEVEL_ZH[level] if self.lang is Lang.ZH else LEVEL_EN[level], self.t,
                              role="accent" if level.is_bad else "normal",
                              on_click=partial(self.vm.choose_level, level))
                  for level in RatingLevel]
        self.add(grid(self.big(levels), self.columns(1, 5)))

    def _rate_details(self) -> None:
        from hall.core.ratings import BAD_REASONS_ZH, LEVEL_ZH, SUB_INDICATORS_ZH, RatingLevel

        r = self.s.rating
        if r.level is None:
            return
        level_name = LEVEL_ZH[r.level] if self.lang is Lang.ZH else LEVEL_EN[r.level]
        colon = "：" if self.lang is Lang.ZH else ": "
        self.label(f"{self.tx('rate_level')}{colon}{level_name}", px=self.t.title_px, bold=True)
        self.label(self.tx("rate_sub"), bold=True)
        scores = dict(r.sub_scores)
        short = LEVEL_SHORT_ZH if self.lang is Lang.ZH else LEVEL_SHORT_EN
        for code, name_zh in SUB_INDICATORS_ZH.items():
            self.label(name_zh if self.lang is Lang.ZH else SUB_INDICATOR_EN[code])
            self.add(grid([TouchButton(short[level], self.t, px=self.t.body_px,
                                       selected=scores.get(code) is level,
                                       on_click=partial(self.vm.choose_sub_score, code, level))
                           for level in RatingLevel], 5, spacing=8))
        if r.level.is_bad:
            self.label(self.tx("rate_reasons"), bold=True)
            self.add(grid([TouchButton(name if self.lang is Lang.ZH else BAD_REASON_EN[code],
                                       self.t, selected=code in r.reasons, px=self.t.body_px,
                                       on_click=partial(self.vm.toggle_rating_reason, code))
                           for code, name in BAD_REASONS_ZH.items() if code not in NEEDS_WORDS],
                          self.columns(2, 4)))
        self.add(self.button("rate_submit", self.vm.submit_rating, role="accent"))

    def _complaint_category(self) -> None:
        from hall.core.complaints import CATEGORY_ZH

        self.title("complaint_category")
        categories = [TouchButton(name if self.lang is Lang.ZH else CATEGORY_EN[c], self.t,
                                  on_click=partial(self.vm.choose_complaint_category, c))
                      for c, name in CATEGORY_ZH.items()]
        self.add(grid(self.big(categories), self.columns(2, 3)))
        self.add(self.button("lookup", lambda: self.vm.go_to(Screen.LOOKUP), role="accent"))

    def _complaint_reasons(self) -> None:
        from hall.core.complaints import COMMON_REASONS_ZH

        self.title("complaint_reasons")
        picked = self.s.complaint.reasons
        self.add(grid([TouchButton(name if self.lang is Lang.ZH else COMPLAINT_REASON_EN[code],
                                   self.t, selected=code in picked, px=self.t.body_px,
                                   on_click=partial(self.vm.toggle_complaint_reason, code))
                       for code, name in COMMON_REASONS_ZH.items()], self.columns(2, 3)))
        if picked:
            self.add(self.button("complaint_next", lambda: self.vm.go_to(Screen.COMPLAINT_NAME),
                                 role="accent"))

    def _complaint_name(self) -> None:
        self.title("complaint_contact")
        self.label(self.tx("complaint_contact_hint"))
        c = self.s.complaint
        self.add(self.display(f"{self.tx('surname')}{'：' if self.lang is Lang.ZH else ': '}{c.name}"))
        self.add(self.keyboard("letters", 14 if self.landscape else 7))
        if self.s.typed:
            names = SURNAMES_BY_INITIAL.get(self.s.typed, "")
            self.add(grid([TouchButton(n, self.t, selected=n == c.surname,
                                       on_click=partial(self.vm.choose_surname, n))
                           for n in names], self.columns(6, 10), spacing=8))
        if c.surname:
            self.add(grid([TouchButton(self.tx(k), self.t, selected=c.title_key == k,
                                       on_click=partial(self.vm.choose_title, k))
                           for k in ("title_mr", "title_ms")], 2))
        self.add(grid([self.button("skip", self.vm.skip_contact, role="quiet"),
                       self.button("complaint_next",
                                   lambda: self.vm.go_to(Screen.COMPLAINT_PHONE), role="accent")],
                      2))

    def _complaint_phone(self) -> None:
        self.title("complaint_contact")
        self.add(self.display(f"{self.tx('phone')}{'：' if self.lang is Lang.ZH else ': '}"
                              f"{self.s.complaint.phone}"))
        self.add(self.keyboard("digits", 3))
        self.add(grid([self.button("skip", self.vm.skip_contact, role="quiet"),
                       self.button("complaint_next",
                                   lambda: self.vm.go_to(Screen.COMPLAINT_CONFIRM), role="accent")],
                      2))

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
        self.label(self.tx("confirm_name", text=c.name or none))
        self.label(self.tx("confirm_phone", text=mask_phone_typed(c.phone) if c.phone else none))
        self.add(self.button("file_it", self.vm.file_complaint, role="accent"))

    def _complaint_done(self) -> None:
        r = self.s.complaint_result
        if r is None:
            return
        self.label(self.tx("complaint_done"), bold=True)
        self.label(self.tx("tracking", number=r.tracking_number), px=self.t.title_px, bold=True)
        self.label(self.tx("answer_due", date=r.answer_due.isoformat()))
        self.label(self.tx("receipt_printing" if r.printed else "print_problem"))
        self.add(self.button("ok", self.vm.go_home))

    def _lookup(self) -> None:
        self.title("lookup_title")
        self.add(self.typed_with_action(tracking_number_of(self.s.typed),
                                        self.button("confirm", self.vm.look_up, role="accent")))
        self.add(self.keyboard("digits", 3))

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
        self.add(self.button("ok", self.vm.go_home))

    def _message(self) -> None:
        n = self.s.notice
        if n is None:
            return
        self.label(self.tx(n.key, **dict(n.values)), px=self.t.title_px, bold=True, center=True)
        self.add(self.button("ok", lambda: self.vm.go_to(n.back)))

