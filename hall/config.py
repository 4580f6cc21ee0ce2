"""Loads and validates the hall's TOML configuration, then environment overrides."""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hall.core.catalogue import (
    Business,
    CallingRules,
    Catalogue,
    PriorityRule,
    ServiceHours,
    Session,
    Staff,
    Window,
)
from hall.core.errors import ConfigError
from hall.core.guides import ServiceGuide, guides_for

# Re-exported: it lives apart so that apps can connect without importing the domain core.
from hall.mqtt_settings import MqttSettings as MqttSettings

SAMPLE_HALL = Path(__file__).parent / "data" / "sample_hall.toml"
SAMPLE_GUIDES = Path(__file__).parent / "data" / "service_guides.toml"
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class HallConfig:
    catalogue: Catalogue
    timezone: ZoneInfo
    mqtt: MqttSettings
    store_path: Path
    auto_hours: bool = True


def load_config(path: Path, env: dict[str, str] | None = None) -> HallConfig:
    """Read `path`, apply HALL_* environment overrides, and validate everything."""
    env = dict(os.environ) if env is None else env
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read hall config {path}: {exc}") from exc
    base = path.parent
    try:
        return _parse(raw, base, env)
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"hall config {path}: {exc!r}") from exc


def _parse(raw: dict[str, Any], base: Path, env: dict[str, str]) -> HallConfig:
    hall = raw["hall"]
    try:
        tz = ZoneInfo(hall.get("timezone", "Asia/Shanghai"))
    except ZoneInfoNotFoundError as exc:
        raise ConfigError(f"unknown timezone {hall.get('timezone')!r}") from exc
    businesses = tuple(
        Business(code=b["code"], prefix=b["prefix"], name_zh=b["name_zh"], name_en=b["name_en"],
                 typical_handle_s=int(b.get("typical_handle_min", 10) * 60),
                 cutoff_after_close_min=(int(b.get("cutoff_after_close_min", 0))
                                         if b.get("cutoff", True) else None))
        for b in raw.get("business", [])
    )
    windows = tuple(
        Window(number=int(w["number"]), businesses=tuple(w["businesses"]),
               name_zh=w.get("name_zh", ""))
        for w in raw.get("window", [])
    )
    staff = tuple(Staff(staff_id=str(s["id"]), name=s["name"], photo=s.get("photo", ""))
                  for s in raw.get("staff", []))
    if not businesses or not windows:
        raise ConfigError("a hall needs at least one [[business]] and one [[window]]")
    rules_raw = dict(raw.get("rules", {}))
    if "priority_rule" in rules_raw:
        rules_raw["priority_rule"] = PriorityRule(rules_raw["priority_rule"])
    catalogue = Catalogue(
        hall_id=env.get("HALL_ID", hall["id"]),
        name_zh=hall["name_zh"], name_en=hall["name_en"],
        businesses=businesses, windows=windows, staff=staff,
        hours=_hours(raw.get("hours", {})),
        rules=CallingRules(**rules_raw),
    )
    controller = raw.get("controller", {})
    mqtt = raw.get("mqtt", {})
    password = env.get("HALL_MQTT_PASSWORD", "")
    password_file = env.get("HALL_MQTT_PASSWORD_FILE", mqtt.get("password_file", ""))
    if not password and password_file:
        secret = _resolve(base, password_file)
        try:
            password = secret.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"cannot read the MQTT password file {secret}: {exc}") from exc
    store = env.get("HALL_STORE_PATH", controller.get("store_path", "var/hall.db"))
    return HallConfig(
        catalogue=catalogue,
        timezone=tz,
        mqtt=MqttSettings(
            host=env.get("HALL_MQTT_HOST", mqtt.get("host", "127.0.0.1")),
            port=int(env.get("HALL_MQTT_PORT", mqtt.get("port", 1883))),
            username=env.get("HALL_MQTT_USERNAME", mqtt.get("username", "")),
            password=password,
            ca_file=mqtt.get("ca_file", ""),
        ),
        store_path=_resolve(base, store),
        auto_hours=_bool(env.get("HALL_AUTO_HOURS"), controller.get("auto_hours", True)),
    )


def _hours(raw: dict[str, Any]) -> ServiceHours:
    weekly: dict[int, tuple[Session, ...]] = {}
    for index, name in enumerate(_WEEKDAYS, start=1):
        weekly[index] = tuple(_session(text) for text in raw.get(name, []))
    closed = frozenset(date.fromisoformat(str(d)) for d in raw.get("closed_dates", []))
    extra = {date.fromisoformat(str(d)): _WEEKDAYS.index(w) + 1
             for d, w in raw.get("extra_workdays", {}).items()}
    return ServiceHours(weekly=weekly, closed_dates=closed, extra_workdays=extra)


def _session(text: str) -> Session:
    opens, _, closes = text.partition("-")
    return Session(time.fromisoformat(opens.strip()), time.fromisoformat(closes.strip()))


def _resolve(base: Path, value: str) -> Path:
    p = Path(value).expanduser()
    return p if p.is_absolute() else base / p


def _bool(override: str | None, default: object) -> bool:
    if override is None:
        return bool(default)
    return override.strip().lower() in ("1", "true", "yes", "on")


def load_guides(path: Path, catalogue: Catalogue) -> dict[str, ServiceGuide]:
    """The 一次性告知 guides of a hall, checked against its catalogue."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        return guides_for(catalogue, list(raw.get("guide", [])))
    except (OSError, tomllib.TOMLDecodeError, KeyError) as exc:
        raise ConfigError(f"cannot read service guides {path}: {exc}") from exc
