"""What voice guidance reads aloud for the screen in front of the citizen."""
from __future__ import annotations

from display_wall.announcer import DIGITS_ZH
from hall.public_texts import wait_words
from kiosk.guide_index import GuideIndex
from kiosk.screen_state import KioskState, Screen
from kiosk.texts import Lang, text

# The heading of each screen, also its first spoken sentence.
SCREEN_TITLE: dict[Screen, str] = {
    Screen.HOME: "greeting",
    Screen.CATEGORIES: "pick_category",
    Screen.ITEMS: "pick_item",
    Screen.PRIORITY_REASONS: "pick_priority_reason",
    Screen.TICKET: "your_number",
    Screen.APPOINTMENT: "appointment_title",
    Screen.APPOINTMENT_PHONE: "appt_phone_title",
    Screen.GUIDE_SEARCH: "search_hint",
    Screen.STATUS: "status_title",
    Screen.RATE_SCAN: "rate_scan",
    Screen.RATE_LEVEL: "rate_level",
    Screen.RATE_DETAILS: "rate_sub",
    Screen.COMPLAINT_CATEGORY: "complaint_category",
    Screen.COMPLAINT_REASONS: "complaint_reasons",
    Screen.COMPLAINT_NAME: "complaint_contact",
    Screen.COMPLAINT_PHONE: "complaint_contact",
    Screen.COMPLAINT_CONFIRM: "confirm_title",
    Screen.COMPLAINT_DONE: "complaint_done",
    Screen.LOOKUP: "lookup_title",
    Screen.REPRINT: "reprint_title",
    Screen.RATE_PHONE: "rate_phone_title",
    Screen.FOLLOW_UP: "follow_up_title",
}


def spoken_number_zh(number: str) -> str:
    """C012 as a hall reads it: the letter, then each digit (C 零 一 二), as the wall calls it."""
    return " ".join(c if c.isalpha() else DIGITS_ZH[int(c)] for c in number)


def spoken_text(state: KioskState, guides: GuideIndex,
                priority_reasons: tuple[tuple[str, str], ...]) -> str:
    lang = state.lang
    if state.screen is Screen.MESSAGE and state.notice is not None:
        return text(state.notice.key, lang, **dict(state.notice.values))
    if state.screen is Screen.BUSY:
        return text(state.busy_key, lang)
    if state.screen is Screen.TICKET and state.ticket is not None:
        t = state.ticket
        low, high = t.wait_range if t.wait_range is not None else (None, None)
        words = wait_words(t.est_wait_min, low, high, english=lang is Lang.EN)
        wait = text("est_wait_words", lang, words=words) if words else text(
            "est_wait_unknown", lang)
        number = " ".join(t.number) if lang is Lang.EN else spoken_number_zh(t.number)
        return (f"{text('people_ahead', lang, number=number, ahead=t.people_ahead)}。{wait}。"
                f"{text('printing', lang) if t.printed else text('print_problem', lang, number=number)}")
    if state.screen is Screen.GUIDE:
        guide = guides.guides.get(state.guide_code)
        if guide is None:
            return text("guides", lang)
        return (f"{guide.name_zh}。{text('materials', lang)}：{'；'.join(guide.materials)}。"
                f"{text('time_limit', lang)}：{guide.time_limit}。{text('where', lang)}：{guide.where}")
    if state.screen is Screen.PROGRESS and state.complaint_result is not None:
        return text("tracking", lang, number=state.complaint_result.tracking_number)
    title = text(SCREEN_TITLE.get(state.screen, "greeting"), lang)
    if state.screen is Screen.HOME:
        options = [text(k, lang) for k in ("take_ticket", "priority", "appointment", "guides",
                                           "status", "rate", "complaint", "reprint")]
        return f"{title}{'，'.join(options)}"
    if state.screen is Screen.CATEGORIES:
        return title + "，".join(c.name_zh if lang is Lang.ZH else c.name_en
                                for c in guides.categories)
    if state.screen is Screen.PRIORITY_REASONS:
        return title + "，".join(zh if lang is Lang.ZH else en for zh, en in priority_reasons)
    return title
