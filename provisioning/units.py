"""systemd units for the hub and for each device role, with the kiosk-mode session (cage)."""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from provisioning.firewall import RULESET_FILE, TABLE
from provisioning.inventory import DeviceRole

DEFAULT_UNIT_DIR = Path("/etc/systemd/system")
DRM_DIR = Path("/sys/class/drm")
# The apps feed the watchdog at half this period; a hung app is restarted after it.
WATCHDOG_S = 30
# Anonymous pairing of new boards, in a Mosquitto of its own: started by hand while pairing.
PAIRING_UNIT = "hall-pairing.service"
# Loads the nftables rules of the LAN ports (runs as root: nft needs it).
FIREWALL_UNIT = "hall-firewall.service"
GUARD_UNIT = "hall-guard.service"
_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


@dataclass(frozen=True, slots=True)
class UnitOptions:
    hall_command: Path
    user: str = "hall"
    hub_dir: Path = Path("/var/lib/hall/hub")
    config_file: Path = Path("/etc/hall/hall.toml")
    bundle_dir: Path = Path("/etc/hall/device")
    mosquitto: Path = Path("/usr/sbin/mosquitto")
    nft: Path = Path("/usr/sbin/nft")
    # Walls: the screen goes dark at `screen_off_at` and lights at `screen_on_at` (HH:MM), if both set.
    screen_off_at: str = ""
    screen_on_at: str = ""

    def __post_init__(self) -> None:
        for moment in (self.screen_off_at, self.screen_on_at):
            if moment and not _TIME.fullmatch(moment):
                raise ValueError(f"{moment!r} is not a time of day like 19:30")


def hub_units(options: UnitOptions) -> dict[str, str]:
    hall = options.hall_command
    return {
        "hall-broker.service": f"""[Unit]
Description=Hall hub broker (Mosquitto on the config `hall provision` writes)
After=network-online.target
Wants=network-online.target

[Service]
# Debian's Mosquitto is built with systemd support and says when it is ready.
Type=notify
NotifyAccess=main
User={options.user}
ExecStart={options.mosquitto} -c {options.hub_dir}/broker/mosquitto.conf
# `hall provision enroll/revoke` send SIGHUP themselves; this is for `systemctl reload`.
ExecReload=/bin/kill -HUP $MAINPID
Restart=on-failure
RestartSec=2
# The LAN listener takes up to 2000 connections (max_connections), each a file descriptor.
LimitNOFILE=8192

[Install]
WantedBy=multi-user.target
""",
        PAIRING_UNIT: f"""[Unit]
Description=Hall pairing broker (anonymous pairing of new boards; start it only while pairing)
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User={options.user}
ExecStart={options.mosquitto} -c {options.hub_dir}/pairing/mosquitto.conf
Restart=on-failure
RestartSec=2

[Install]
WantedBy=multi-user.target
""",
        FIREWALL_UNIT: f"""[Unit]
Description=Hall hub firewall: per-source limits on the LAN ports (nftables rules `hall provision` writes)
Before=hall-broker.service hall-pairing.service
Wants=network-pre.target
After=network-pre.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart={options.nft} -f {options.hub_dir}/broker/{RULESET_FILE}
ExecReload={options.nft} -f {options.hub_dir}/broker/{RULESET_FILE}
ExecStop={options.nft} delete table inet {TABLE}

[Install]
WantedBy=multi-user.target
""",
        GUARD_UNIT: f"""[Unit]
Description=Hall LAN guard: alerts managers when the LAN listener's connections near their limit
Wants=hall-broker.service
After=hall-broker.service

[Service]
Type=notify
NotifyAccess=main
WatchdogSec={WATCHDOG_S}
User={options.user}
ExecStart={hall} provision guard --hub {options.hub_dir}
Restart=on-failure
RestartSec=5

[Install]
WantedBy=multi-user.target
""",
        "hall-controller.service": f"""[Unit]
Description=Hall controller (the only writer of queue state)
# Wants, not Requires: the controller rides out a broker restart by itself.
Wants=hall-broker.service
After=hall-broker.service

[Service]
Type=notify
NotifyAccess=main
WatchdogSec={WATCHDOG_S}
User={options.user}
ExecStart={hall} controller --config {options.config_file}
Restart=on-failure
RestartSec=2

[Install]
WantedBy=multi-user.target
""",
        "hall-advertise.service": f"""[Unit]
Description=Hall hub advertised on the LAN (zeroconf _secure-mqtt._tcp)
After=network-online.target hall-broker.service
Wants=network-online.target

[Service]
Type=notify
NotifyAccess=main
WatchdogSec={WATCHDOG_S}
User={options.user}
ExecStart={hall} provision advertise --hub {options.hub_dir}
Restart=on-failure
RestartSec=5

[Install]
WantedBy=multi-user.target
""",
    }


def device_units(role: DeviceRole, options: UnitOptions) -> dict[str, str]:
    """The role's app in a kiosk-mode Wayland session on tty1: cage runs one full-screen app."""
    hall = options.hall_command
    units = {f"hall-{role}.service": f"""[Unit]
Description=Hall {role} (kiosk-mode session: cage on Wayland, tty1)
After=systemd-user-sessions.service network-online.target plymouth-quit-wait.service
Wants=network-online.target
Conflicts=getty@tty1.service

[Service]
Type=notify
# The app runs under cage, so its notifications come from a child of the main process.
NotifyAccess=all
WatchdogSec={WATCHDOG_S}
User={options.user}
PAMName=login
TTYPath=/dev/tty1
TTYReset=yes
TTYVHangup=yes
UtmpIdentifier=tty1
StandardInput=tty-fail
StandardOutput=journal
Environment=QT_QPA_PLATFORM=wayland
# A monitor switched on after the board (common for walls) has no connected DRM connector yet;
# Qt's eglfs and cage then start on nothing. Wait for one instead.
ExecStartPre={hall} provision wait-display --timeout 300
ExecStart=/usr/bin/cage -d -- {hall} {role} --bundle {options.bundle_dir}
Restart=always
RestartSec=2

[Install]
WantedBy=graphical.target
"""}
    if role is DeviceRole.WALL and options.screen_off_at and options.screen_on_at:
        for action, moment in (("off", options.screen_off_at), ("on", options.screen_on_at)):
            units[f"hall-screen-{action}.service"] = f"""[Unit]
Description=Hall wall screen {action} (scheduled)
Requisite=hall-wall.service

[Service]
Type=oneshot
User={options.user}
Environment=WAYLAND_DISPLAY=wayland-0
ExecStart={hall} provision screen {action}
"""
            units[f"hall-screen-{action}.timer"] = f"""[Unit]
Description=Hall wall screen {action} at {moment}

[Timer]
OnCalendar=*-*-* {moment}:00
Persistent=false

[Install]
WantedBy=timers.target
"""
    return units


def write_units(units: dict[str, str], dest: Path) -> list[Path]:
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in sorted(units.items()):
        path = dest / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def connected_displays(drm_dir: Path = DRM_DIR) -> list[str]:
    """DRM connectors (card0-HDMI-A-1, ...) that report a connected monitor."""
    found = []
    for status in sorted(drm_dir.glob("card*-*/status")):
        try:
            if status.read_text(encoding="ascii").strip() == "connected":
                found.append(status.parent.name)
        except OSError:
            continue
    return found


def wait_for_display(timeout_s: float, drm_dir: Path = DRM_DIR, poll_s: float = 0.5) -> list[str]:
    deadline = time.monotonic() + timeout_s
    while not (found := connected_displays(drm_dir)) and time.monotonic() < deadline:
        time.sleep(poll_s)
    return found
