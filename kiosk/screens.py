"""One builder per screen: widgets drawn from the state, touches wired to the view-model.

Tickets, guides, the hall's status, reprints and messages here; forms (appointments, ratings,
complaints) in `form_screens`.
"""
from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import QWidget

from hall.public_texts import wait_words as public_wait_words
from kiosk.form_screens import FormScreens
from kiosk.guide_index import COMMON_WORDS
from kiosk.screen_base import CHOICE_MIN_PX
from kiosk.screen_state import KioskState, Purpose, Screen, availability, wait_range_of
from kiosk.texts import Lang, pick, text
from kiosk.widgets import TouchButton

HOME_BUTTON_MAX_PX = {True: 160, False: 230}
# Business lines in the home screen's status panel (the body scrolls should a hall have more).
HOME_STATUS_LINES = 16


def windows_text(windows: tuple[int, ...], lang: Lang) -> str:
    return ("、" if lang is Lang.ZH else ", ").join(str(n) for n in windows)


def wait_words(minutes: int | None, lang: Lang, span: tuple[int, int] | None = None,
               waiting: int | None = None) -> str:
    """The wait as every public screen says it (hall.public_texts.wait_words)."""
    low, high = span if span is not None else (None, None)
    said = public_wait_words(minutes, low, high, waiting=waiting, english=lang is Lang.EN)
    return said or text("status_wait_none", lang)


class ScreenBuilder(FormScreens):
    def build(self) -> QWidget:
        getattr(self, f"_{self.s.screen.value}")()
        self.box.addStretch(1)
        return self.body

    # -- home ----------------------------------------------------------------------------------

    def _home(self) -> None:
        self.title("greeting")
        vm = self.vm
        self.live_label(self._closed_reason, bold=True).setStyleSheet(
            f"color: {self.t.banner_text.name()}; background: {self.t.banner.name()};"
            " padding: 12px;")
        needs_tickets = [
            self.button("take_ticket", lambda: vm.start(Purpose.TICKET), bilingual=True),
            TouchButton(self.tx("priority"), self.t, role="priority",
                        second=self.tx("priority_hint"),
                        on_click=lambda: vm.start(Purpose.PRIORITY)),
            self.button("appointment", lambda: vm.go_to(Screen.APPOINTMENT), bilingual=True),
        ]
        needs_hall = [
            self.button("rate", lambda: vm.go_to(Screen.RATE_SCAN), bilingual=True),
            self.button("complaint", lambda: vm.go_to(Screen.COMPLAINT_CATEGORY), bilingual=True),
        ]
        always = [
            self.button("guides", lambda: vm.start(Purpose.GUIDE), bilingual=True),
            self.button("status", lambda: vm.go_to(Screen.STATUS), bilingual=True),
            self.button("reprint", lambda: vm.go_to(Screen.REPRINT), bilingual=True),
        ]
        items = [*needs_tickets, always[0], always[1], *needs_hall, always[2]]
        rows = len(items) // self.columns(2, 4)
        # Half the screen's height for the choices: the rest for the greeting, the reason when
        # tickets pause, and the hall's status underneath.
        tall = max(CHOICE_MIN_PX, min(HOME_BUTTON_MAX_PX[self.landscape], self.height // 2 // rows))
        for b in items:
            b.setMinimumHeight(tall)

        def follow(state: KioskState) -> None:
            offer = availability(state.hall, vm.now())
            for b in needs_tickets:
                b.setEnabled(offer.tickets)
            for b in needs_hall:
                b.setEnabled(offer.online)

        follow(self.s)
        self.updaters.append(follow)
        self.add(self.grid(items, self.columns(2, 4), spacing=24))
        self.live_label(self._hall_summary, bold=True)
        self.live_label(self._business_lines)

    def _closed_reason(self, state: KioskState) -> str:
        offer = availability(state.hall, self.vm.now())
        if not offer.reason_key:
            return ""
        reason = text(offer.reason_key, self.lang, **dict(offer.values))
        if offer.reason_key.startswith("closed") and state.hall.today:
            reason += "\n" + text("hours_today", self.lang,
                                  hours=("、" if self.lang is Lang.ZH else ", ").join(
                                      state.hall.today))
        return reason

    def _hall_summary(self, state: KioskState) -> str:
        h = state.hall
        if h.queue is None:
            return text("status_unknown", self.lang)
        waiting = sum(b.waiting for b in h.queue.businesses)
        summary = text("hall_summary", self.lang, waiting=waiting, windows=len(h.open_windows))
        if not h.is_open:
            return summary
        return f"{text('hall_taking', self.lang)} · {summary}"

    def _business_lines(self, state: KioskState) -> str:
        h = state.hall
        if h.queue is None:
            return ""
        lines = []
        for b in h.queue.businesses[:HOME_STATUS_LINES]:
            name = b.name_zh if self.lang is Lang.ZH else b.name_en
            if not h.has_open_window(b.code):
                detail = text("no_window_now", self.lang)
            else:
                detail = (f"{text('status_waiting', self.lang, waiting=b.waiting)}"
                          f"{'，' if self.lang is Lang.ZH else ', '}"
                          f"{wait_words(b.est_wait_min, self.lang, wait_range_of(b), b.waiting)}")
            lines.append(f"{b.prefix}  {name}：{detail}" if self.lang is Lang.ZH
                         else f"{b.prefix}  {name}: {detail}")
        return "\n".join(lines)

    # -- tickets -------------------------------------------------------------------------------

    def _priority_reasons(self) -> None:
        self.title("pick_priority_reason")
        reasons = [TouchButton(pick(pair, self.lang), self.t, role="priority",
                               on_click=partial(self.vm.choose_priority_reason, pair[0]))
                   for pair in self.vm.priority_reasons]
        self.add(self.grid(self.big(reasons), self.columns(1, 2)))

    def _categories(self) -> None:
        self.title("pick_category")
        if self.s.purpose is Purpose.PRIORITY:
            reason = next((pick(p, self.lang) for p in self.vm.priority_reasons
                           if p[0] == self.s.priority_reason), self.s.priority_reason)
            colon = "：" if self.lang is Lang.ZH else ": "
            self.label(f"{self.tx('priority_mark')}{colon}{reason}", bold=True)
        if self.s.purpose is Purpose.GUIDE:
            self.add(self.button("search", self.vm.open_search, role="accent"))
        choices: list[TouchButton] = []
        for c in self.vm.guides.categories:
            if len(c.codes) == 1:
                # One item: the category's button is the item (one tap fewer).
                button = self._item_button(c.codes[0])
                if not button.second:
                    button.set_second(self.zh_en(c.name_zh, c.name_en))
                choices.append(button)
                continue
            choices.append(TouchButton(self.zh_en(c.name_zh, c.name_en), self.t,
                                       second=self.zh_en(c.name_en, ""),
                                       on_click=partial(self.vm.choose_category, c.name_zh)))
        self.add(self.grid(self.big(choices), self.columns(2, 3)))

    def _items(self) -> None:
        self.title("pick_item")
        category = self.vm.guides.category(self.s.category)
        self.label(self.zh_en(category.name_zh, category.name_en), bold=True)
        items = [self._item_button(code) for code in category.codes]
        self.add(self.grid(self.big(items), self.columns(1, 2)))

    def _item_button(self, code: str) -> TouchButton:
        guide = self.vm.guides.guides[code]
        purpose = self.s.purpose
        button = TouchButton(self.zh_en(guide.name_zh, guide.name_en), self.t,
                             role="priority" if purpose is Purpose.PRIORITY else "normal",
                             on_click=lambda: self.vm.choose_item(code))

        def follow(state: KioskState) -> None:
            if purpose is Purpose.GUIDE:
                button.set_second(self.zh_en(guide.name_en, ""))
                return
            waiting = state.hall.waiting(code)
            open_now = state.hall.has_open_window(code)
            button.setEnabled(open_now and availability(state.hall, self.vm.now()).tickets)
            if not open_now:
                button.set_second(text("no_window_now", self.lang))
            elif waiting is None:
                button.set_second(self.zh_en(guide.name_en, ""))
            else:
                button.set_second(text("waiting_count", self.lang, waiting=waiting))

        follow(self.s)
        self.updaters.append(follow)
        return button

    def _busy(self) -> None:
        self.label(self.tx(self.s.busy_key), px=self.t.title_px, bold=True, center=True)

    def _ticket(self) -> None:
        t = self.s.ticket
        if t is None:
            return
        self.label(self.tx("your_number"), center=True)
        self.label(t.number, px=self.t.title_px * 3, bold=True, center=True)
        self.label(self.zh_en(t.business_zh, t.business_en), px=self.t.title_px, center=True)
        if t.kind in ("priority", "appointment"):
            self.label(f"【{self.tx(t.kind + '_mark')}】", bold=True, center=True)
        if t.windows:
            self.label(self.tx("windows_serve", windows=windows_text(t.windows, self.lang)),
                       px=self.t.title_px, bold=True, center=True)
        self.label(self.tx("people_ahead", number=t.number, ahead=t.people_ahead), bold=True,
                   center=True)
        low, high = t.wait_range if t.wait_range is not None else (None, None)
        words = public_wait_words(t.est_wait_min, low, high, english=self.lang is Lang.EN)
        wait = self.tx("est_wait_words", words=words) if words else self.tx("est_wait_unknown")
        self.label(wait, center=True)
        self.label(self.tx("goodbye"), center=True)
        if t.printed:
            self.say_in_bar(self.tx("printing"))
        else:
            self.say_in_bar(f"{self.tx('print_failed')}\n{self.tx('print_problem', number=t.number)}",
                            warning=True)
        self.act(self.button("ok", self.vm.go_home, role="accent"))

    # -- guides --------------------------------------------------------------------------------

    def _guide_search(self) -> None:
        self.title("search_hint")
        typed = self.s.typed
        self.add(self.display(typed.lower()))
        self.add(self.keyboard("letters", 14 if self.landscape else 7))
        self.label(self.tx("search_words"), bold=True)
        self.add(self.grid([TouchButton(w, self.t, px=self.t.body_px, selected=w == typed,
                                   on_click=partial(self.vm.search_word, w))
                       for w in COMMON_WORDS], self.columns(4, 7), spacing=8))
        if typed:
            found = self.vm.guides.search(typed)
            if not found:
                self.label(self.tx("search_none"))
            self.add(self.grid([TouchButton(self.zh_en(g.name_zh, g.name_en), self.t,
                                       on_click=partial(self.vm.choose_item, g.code))
                           for g in found], self.columns(1, 2)))

    def _guide(self) -> None:
        g = self.vm.guides.guides.get(self.s.guide_code)
        if g is None:
            return
        self.label(self.zh_en(g.name_zh, g.name_en), px=self.t.title_px, bold=True)
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
            if self.s.guide_printed:
                self.say_in_bar(self.tx("list_printing"))
            else:
                self.say_in_bar(self.tx("list_print_problem"), warning=True)
        take = self.button("take_this", self.vm.ticket_for_guide)
        code = g.code

        def follow(state: KioskState) -> None:
            take.setEnabled(availability(state.hall, self.vm.now()).tickets
                            and state.hall.has_open_window(code))

        follow(self.s)
        self.updaters.append(follow)
        self.act(self.button("print_list", self.vm.print_guide, role="accent"), take)

    # -- the hall ------------------------------------------------------------------------------

    def _status(self) -> None:
        self.title("status_title")
        self.live_label(self._open_windows, bold=True)
        self.live_label(lambda s: self._business_lines(s) if s.hall.queue is not None
                        else text("status_unknown", self.lang))

    def _open_windows(self, state: KioskState) -> str:
        if state.hall.queue is None:
            return ""
        windows = windows_text(state.hall.open_windows, self.lang)
        return (text("status_windows_open", self.lang, windows=windows) if windows
                else text("status_none_open", self.lang))

    # -- reprints and messages -----------------------------------------------------------------

    def _reprint(self) -> None:
        self.title("reprint_title")
        self.side_by_side(self.camera("camera_off_reprint"),
                          self.typed_entry(self.tx("typed_number", code=self.s.typed), "alnum",
                                           9 if self.landscape else 8))
        self.act(self.button("confirm", self.vm.reprint_typed, role="accent"))

    def _message(self) -> None:
        n = self.s.notice
        if n is None:
            return
        self.label(self.tx(n.key, **dict(n.values)), px=self.t.title_px, bold=True, center=True)
        back = n.back
        self.act(self.button("ok", lambda: self.vm.go_to(back), role="accent"))
