"""Service guides (一次性告知): everything one business type needs, told at once."""
from __future__ import annotations

from dataclasses import dataclass

from hall.core.catalogue import Catalogue
from hall.core.errors import ConfigError


@dataclass(frozen=True, slots=True)
class ServiceGuide:
    code: str
    name_zh: str
    name_en: str
    materials: tuple[str, ...]
    conditions: tuple[str, ...]
    time_limit: str
    fee: str
    where: str
    notes: tuple[str, ...] = ()
    # The kiosk groups items by these (categories first, then items).
    category_zh: str = ""
    category_en: str = ""

    def __post_init__(self) -> None:
        if not self.materials or not self.time_limit or not self.fee or not self.where:
            raise ConfigError(f"guide {self.code}: materials, time limit, fee and place are all "
                              "required (一次性告知)")


def guides_for(catalogue: Catalogue, raw: list[dict[str, object]]) -> dict[str, ServiceGuide]:
    """Guides keyed by business code; every business of the catalogue must have one."""
    guides: dict[str, ServiceGuide] = {}
    for entry in raw:
        code = str(entry["code"])
        business = catalogue.business(code)
        guides[code] = ServiceGuide(
            code=code, name_zh=business.name_zh, name_en=business.name_en,
            materials=_strings(entry, "materials"), conditions=_strings(entry, "conditions"),
            time_limit=str(entry.get("time_limit", "")), fee=str(entry.get("fee", "")),
            where=str(entry.get("where", "")), notes=_strings(entry, "notes"),
            category_zh=str(entry.get("category_zh", "")),
            category_en=str(entry.get("category_en", "")))
    missing = [b.code for b in catalogue.businesses if b.code not in guides]
    if missing:
        raise ConfigError(f"no service guide for {missing}")
    return guides


def _strings(entry: dict[str, object], key: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list):
        raise ConfigError(f"guide {entry.get('code')}: {key} must be a list")
    return tuple(str(v) for v in value)
