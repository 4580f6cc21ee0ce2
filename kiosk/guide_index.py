"""The service catalogue as the kiosk offers it: categories, then items, and pinyin-initial search."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hall.core.guides import ServiceGuide

_NOT_A_LETTER = re.compile(r"[^a-z]")


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


class GuideIndex:
    """The hall's guides in catalogue order, grouped and searchable."""

    def __init__(self, guides: Iterable[ServiceGuide]) -> None:
        self.guides = {g.code: g for g in guides}
        self._initials: dict[str, str] | None = None
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
        """Items whose name's initials contain what was typed, those starting with it first."""
        query = _NOT_A_LETTER.sub("", typed.lower())
        if not query:
            return ()
        if self._initials is None:
            self._initials = {code: initials_of(g.name_zh) for code, g in self.guides.items()}
        hits = [(not initials.startswith(query), code) for code, initials in self._initials.items()
                if query in initials]
        return tuple(self.guides[code] for _, code in sorted(hits, key=lambda h: h[0]))
