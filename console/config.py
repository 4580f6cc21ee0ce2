"""The console's settings: the [console] table of hall.toml, beside the hall it serves."""
from __future__ import annotations

import ipaddress
import os
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from hall.config import HallConfig, MqttSettings, load_config
from hall.core.errors import ConfigError

DEFAULT_PORT = 8443


@dataclass(frozen=True, slots=True)
class ConsoleConfig:
    hall: HallConfig
    # The console's own MQTT account (an enrolled console device, or the manager account).
    mqtt: MqttSettings
    device_id: str = "console-1"
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    db_path: Path = Path("var/console.db")
    tls_cert: Path | None = None
    tls_key: Path | None = None
    # Plain HTTP off loopback only when the operator says so (e.g. TLS ends at a proxy).
    allow_plain_http: bool = False
    idle_timeout_s: int = 15 * 60
    login_failures_before_lock: int = 5
    login_lock_s: int = 15 * 60
    # A device offline or in alert this long raises an alert on the hall page.
    device_alert_after_s: int = 5 * 60
    # Requests per minute one client may make to the phone page.
    phone_requests_per_min: int = 30
    # The hub's provisioning directory: the devices page lists enrolled boards never seen.
    hub_dir: Path | None = None

    @property
    def public_base_url(self) -> str:
        """What every rating QR points at, `<public_base_url>/r/<token>`: hall.toml's [hall] one."""
        return self.hall.public_base_url

    @property
    def uses_tls(self) -> bool:
        return self.tls_cert is not None and self.tls_key is not None

    @property
    def scheme(self) -> str:
        return "https" if self.uses_tls else "http"

    def check_listen_rule(self) -> None:
        """HTTP is served only on loopback, unless TLS is configured or allowed explicitly."""
        if self.uses_tls or self.allow_plain_http or is_loopback(self.host):
            return
        raise ConfigError(f"the console would serve plain HTTP on {self.host}: give it tls_cert "
                          "and tls_key (`hall provision console-cert`) or set "
                          "allow_plain_http = true")

    def with_listen(self, host: str, port: int) -> ConsoleConfig:
        return replace(self, host=host, port=port)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_console_config(path: Path, env: dict[str, str] | None = None) -> ConsoleConfig:
    env = dict(os.environ) if env is None else env
    # The controller's own MQTT password is not the console's business: never read its file.
    hall = load_config(path, {**env, "HALL_MQTT_PASSWORD": "not-used-by-the-console"})
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8")).get("console", {})
        if "public_base_url" in raw:
            raise ConfigError(f"{path}: public_base_url belongs in [hall] now (one address for "
                              "the console, receipts and pads): move it out of [console]")
        # The phone rating page is the console's: it is the address every QR code points at.
        hall.required_public_base_url()
        return _parse(raw, hall, path.parent, env)
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"[console] of {path}: {exc!r}") from exc


def _parse(raw: dict[str, object], hall: HallConfig, base: Path,
           env: dict[str, str]) -> ConsoleConfig:
    listen = str(env.get("HALL_CONSOLE_LISTEN", raw.get("listen", f"127.0.0.1:{DEFAULT_PORT}")))
    host, _, port = listen.rpartition(":")
    password = env.get("HALL_CONSOLE_MQTT_PASSWORD", "")
    password_file = str(raw.get("mqtt_password_file", ""))
    if not password and password_file:
        secret = _resolve(base, password_file)
        try:
            password = secret.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"cannot read the console's MQTT password {secret}: {exc}") from exc
    mqtt = replace(hall.mqtt,
                   username=env.get("HALL_CONSOLE_MQTT_USERNAME",
                                    str(raw.get("mqtt_username", "manager"))),
                   password=password, ca_file=str(raw.get("mqtt_ca_file", hall.mqtt.ca_file)))
    cert, key = raw.get("tls_cert"), raw.get("tls_key")
    return ConsoleConfig(
        hall=hall, mqtt=mqtt, device_id=str(raw.get("device_id", "console-1")),
        host=host.strip("[]") or "127.0.0.1", port=int(port or DEFAULT_PORT),
        db_path=_resolve(base, str(env.get("HALL_CONSOLE_DB", raw.get("db_path", "var/console.db")))),
        tls_cert=_resolve(base, str(cert)) if cert else None,
        tls_key=_resolve(base, str(key)) if key else None,
        allow_plain_http=bool(raw.get("allow_plain_http", False)),
        idle_timeout_s=int(float(str(raw.get("idle_timeout_min", 15))) * 60),
        device_alert_after_s=int(float(str(raw.get("device_alert_after_min", 5))) * 60),
        phone_requests_per_min=int(str(raw.get("phone_requests_per_min", 30))),
        hub_dir=_resolve(base, str(raw["hub_dir"])) if raw.get("hub_dir") else None,
    )


def _resolve(base: Path, value: str) -> Path:
    p = Path(value).expanduser()
    return p if p.is_absolute() else base / p
