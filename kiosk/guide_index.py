"""The service catalogue as the kiosk offers it: categories, then items, and search by pinyin
initials, full pinyin, or a common word tapped in Chinese."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hall.core.guides import ServiceGuide

_NOT_A_LETTER = re.compile(r"[^a-z]")
# Words a citizen would say, offered as buttons (the kiosk has no input method), and what they
# mean in the catalogue's words.
COMMON_WORDS = ("报销", "异地就医", "备案", "参保", "生育", "慢特病", "转移", "查询", "打印",
                "救助", "住院", "看病", "生孩子", "外地")
SYNONYMS = {"住院": ("报销", "救助"), "看病": ("就医", "报销", "慢特病"), "生孩子": ("生育",),
            "外地": ("异地",), "慢性病": ("慢特病",), "社保": ("参保",)}


@dataclass(frozen=True, slots=True)
class Category:
    name_zh: str
    name_en: str
    codes: tuple[str, ...]


def initials_of(name_zh: str) -> str:
    """异地就医备案 -> "ydjyba": the first letter of each syllable's pinyin, letters only."""
    # pypinyin loads its dictionary on import (~0.1 s): only when a search needs it.
    from pypinyin import Style, lazy_pinyin

    return _NOT_A_LETTER.sub("", "".join(lazy_pinyin(name_zh, style=Style.FIRST_LETTER)).lower())


def pinyin_of(name_zh: str) -> str:
    """异地就医备案 -> "yidijiuyibeian": the whole pinyin without tones, letters only."""
    from pypinyin import Style, lazy_pinyin

    return _NOT_A_LETTER.sub("", "".join(lazy_pinyin(name_zh, style=Style.NORMAL)).lower())


class GuideIndex:
    """The hall's guides in catalogue order, grouped and searchable."""

    def __init__(self, guides: Iterable[ServiceGuide]) -> None:
        self.guides = {g.code: g for g in guides}
        self._initials: dict[str, tuple[str, str]] | None = None
        order: dict[str, list[str]] = {}
        names: dict[str, str] = {}
        for g in self.guides.values():
            key = g.category_zh or "其他业务"
            order.setdefault(key, []).append(g.code)
            names.setdefault(key, g.category_en or "Other services")
        self.categories = tuple(Category(zh, names[zh], tuple(codes)) for zh, codes in order.items())

    def category(self, name_zh: str) -> Category:
        return next(c for c in self.categories if c.name_zh == name_zh)

    def search(self, typed: str) -> tuple[ServiceGuide, ...]:
        """Items matching what was typed: a Chinese word (or what it means) in the name, else
        letters among the name's pinyin initials or in its whole pinyin; best matches first."""
        if any("\u4e00" <= c <= "\u9fff" for c in typed):
            words = (typed, *SYNONYMS.get(typed, ()))
            return tuple(g for g in self.guides.values()
                         if any(w in g.name_zh or w in g.category_zh for w in words))
        query = _NOT_A_LETTER.sub("", typed.lower())
        if not query:
            return ()
        if self._initials is None:
            self._initials = {code: (initials_of(g.name_zh), pinyin_of(g.name_zh))
                              for code, g in self.guides.items()}
        hits = [(0 if initials.startswith(query) else 1 if query in initials else 2, code)
                for code, (initials, whole) in self._initials.items()
                if query in initials or (len(query) >= 2 and query in whole)]
        return tuple(self.guides[code] for _, code in sorted(hits, key=lambda h: h[0]))
