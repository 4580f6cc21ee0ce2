"""The hub's nftables rules for its LAN ports: how many connections, how fast, how many bytes per source.

Mosquitto 2.0 has no per-source limit and no timeout for a connection that never logs in (it
keeps one about 60-90 s, then drops it), so without these anyone on the LAN can hold every slot
of the LAN listener with idle TCP connections. The kernel bounds what one address can hold:
`per_source_connections` sockets, `new_per_minute` new ones, `upload_kbytes_per_s` of traffic
(a device sending more is slowed by TCP, not cut off: nothing it sent is lost). With these limits
an attacker needs (max_connections - enrolled devices) / per_source_connections addresses of the
hall LAN to fill the listener; the default 2000 slots at 6 per address need more addresses than a
/24 LAN has. IPv6 sources are counted per /64, since one host can hold a whole /64.
"""
from __future__ import annotations

from dataclasses import dataclass

TABLE = "hall_lan_guard"
RULESET_FILE = "hall-lan-guard.nft"


@dataclass(frozen=True, slots=True)
class LanLimits:
    # A board needs one connection; a rebooted one may leave its old socket for up to 1.5 keepalives,
    # and a counter board with its rating pad has two accounts.
    per_source_connections: int = 6
    # Our clients back off to a reconnect every few seconds; a loop of failed logins stays below this.
    new_per_minute: int = 30
    new_burst: int = 20
    # A kiosk sends a few hundred bytes per citizen; a QoS 0 flood is slowed to this by TCP.
    upload_kbytes_per_s: int = 64
    upload_burst_kbytes: int = 256
    # The pairing broker takes 16 anonymous connections in all: 2 per address.
    pairing_per_source_connections: int = 2


# How each family's source is keyed: an IPv4 address, an IPv6 /64.
_SOURCES = (("v4", "ip saddr"), ("v6", "ip6 saddr & ffff:ffff:ffff:ffff::"))


def render_ruleset(lan_port: int, pairing_port: int, lan_max_connections: int,
                   limits: LanLimits = LanLimits()) -> str:
    """An `nft -f` file that replaces the table as a whole, so loading it again is safe.

    `lan_max_connections` is also enforced here, for all sources together: Mosquitto 2.0.11 forgets
    its listener's `max_connections` at the first reload (each enroll and revoke sends one).
    """
    c = limits
    upload = f"limit rate over {c.upload_kbytes_per_s} kbytes/second burst {c.upload_burst_kbytes} kbytes"
    new_rate = f"limit rate over {c.new_per_minute}/minute burst {c.new_burst} packets"
    sets, uploads, lan, pairing = [], [], [], []
    for family, source in _SOURCES:
        address = f"ipv{family[1]}_addr"
        sets += [f"    set lan_sources_{family} {{ type {address}; flags dynamic; }}",
                 f"    set pairing_sources_{family} {{ type {address}; flags dynamic; }}"]
        uploads.append(f"        tcp dport {{ {lan_port}, {pairing_port} }} "
                       f"meter lan_upload_{family} {{ {source} {upload} }} drop")
        lan += [f"        add @lan_sources_{family} {{ {source} ct count over {c.per_source_connections} }}"
                " counter reject with tcp reset",
                f"        meter lan_new_{family} {{ {source} {new_rate} }} counter reject with tcp reset"]
        pairing.append(f"        add @pairing_sources_{family} "
                       f"{{ {source} ct count over {c.pairing_per_source_connections} }}"
                       " counter reject with tcp reset")
    return "\n".join([
        "#!/usr/sbin/nft -f",
        "# Written by `hall provision` (provisioning/firewall.py) from hub.json: edits are overwritten.",
        f"# Loaded by hall-firewall.service (`nft -f`); `nft delete table inet {TABLE}` removes it.",
        "# Why each limit: docs/security.md.",
        f"table inet {TABLE}",
        f"delete table inet {TABLE}",
        "",
        f"table inet {TABLE} {{",
        *sets,
        "",
        "    chain input {",
        "        type filter hook input priority filter - 5; policy accept;",
        "        iif \"lo\" return",
        f"        tcp dport {lan_port} ct state new jump new_lan_connection",
        f"        tcp dport {pairing_port} ct state new jump new_pairing_connection",
        *uploads,
        "    }",
        "",
        "    chain new_lan_connection {",
        f"        ct count over {lan_max_connections} counter reject with tcp reset",
        *lan,
        "    }",
        "",
        "    chain new_pairing_connection {",
        *pairing,
        "    }",
        "}",
        "",
    ])
