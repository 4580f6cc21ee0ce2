"""Loads and validates the hall's TOML configuration, then environment overrides."""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hall.core.cases import LoopPolicy
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
from hall.core.work_calendar import WorkCalendar

# Re-exported: it lives apart so that apps can connect without importing the domain core.
from hall.mqtt_settings import MqttSettings as MqttSettings
from hall.official_calendar import YearDates, work_calendar

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
    # Working days (official holidays, 调休, the hall's own dates) and the 好差评 closed loop.
    calendar: WorkCalendar = WorkCalendar()
    loop: LoopPolicy = LoopPolicy()
    # Multiplies the controller's per-device rate limits (rate_limits.py); 0 turns them off
    # (load tests and benchmarks, where one simulated kiosk stands for a hundred).
    rate_limit_scale: float = 1.0
    # `[hall] public_base_url`: where citizens' phones reach the hall's rating page (the console);
    # the one source of every rating QR, `<public_base_url>/r/<token>`: the controller puts the
    # whole URL in its ticket answers (receipts) and rating invites (pads), the console serves it.
    # Empty: QR codes hold the bare token (a kiosk-only hall, no console).
    public_base_url: str = ""

    def required_public_base_url(self) -> str:
        """The public base URL, or a ConfigError saying how to set it (the console needs it)."""
        if not self.public_base_url:
            raise ConfigError(
                "[hall] public_base_url is missing: set it in hall.toml to the address citizens' "
                "phones reach the console's rating page at, e.g. public_base_url = "
                '"https://hall.example.gov.cn:8443" (receipts and pads print <url>/r/<code>)')
        return self.public_base_url


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
    hall_hours = _hours(raw.get("hours", {}))
    calendar = _calendar(raw.get("calendar", {}), hall_hours)
    catalogue = Catalogue(
        hall_id=env.get("HALL_ID", hall["id"]),
        name_zh=hall["name_zh"], name_en=hall["name_en"],
        businesses=businesses, windows=windows, staff=staff,
        hours=calendar.service_hours(hall_hours),
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
        calendar=calendar,
        loop=_loop_policy(raw.get("closed_loop", {})),
        rate_limit_scale=float(env.get("HALL_RATE_LIMIT_SCALE",
                                       controller.get("rate_limit_scale", 1.0))),
        public_base_url=public_base_url(hall.get("public_base_url", "")),
    )


MAX_PUBLIC_BASE_URL = 200


def public_base_url(value: object) -> str:
    """`[hall] public_base_url` checked: an http(s) URL with a host, no query or fragment."""
    text = str(value).strip().rstrip("/")
    if not text:
        return ""
    parts = urlsplit(text)
    if (parts.scheme not in ("http", "https") or not parts.hostname or parts.query
            or parts.fragment or len(text) > MAX_PUBLIC_BASE_URL or any(c.isspace() for c in text)):
        raise ConfigError(
            f"[hall] public_base_url {text[:80]!r} is not a plain http(s) address: give e.g. "
            '"https://hall.example.gov.cn:8443" (no query, at most '
            f"{MAX_PUBLIC_BASE_URL} characters)")
    return text


def _calendar(raw: dict[str, Any], hours: ServiceHours) -> WorkCalendar:
    """The official calendar (chinese-calendar), years given in hall.toml, the hall's dates."""
    years = [YearDates(int(y["year"]),
                       frozenset(date.fromisoformat(str(d)) for d in y.get("holidays", [])),
                       frozenset(date.fromisoformat(str(d)) for d in y.get("workdays", [])))
             for y in raw.get("year", [])]
    return work_calendar(hours, years, use_package=bool(raw.get("official", True)))


def _loop_policy(raw: dict[str, Any]) -> LoopPolicy:
    owners = {int(k): str(v) for k, v in raw.get("owners", {}).items()}
    known = {"default_owner", "callback_working_days", "feedback_working_days",
             "appeal_working_days", "recheck_share", "warn_working_days"}
    unknown = set(raw) - known - {"owners"}
    if unknown:
        raise ConfigError(f"[closed_loop] has unknown keys {sorted(unknown)}")
    return LoopPolicy(owners=owners, **{k: v for k, v in raw.items() if k in known})


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
