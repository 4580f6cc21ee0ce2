"""A machine on the hall LAN, run as its own process inside a network namespace by the firewall tests.

  hold HOST PORT N [SRC,..] open N idle TCP connections (never an MQTT CONNECT), from the given
                           source addresses in turn; print how many the hub kept once it has
                           answered a probe sent after them, as JSON; hold them until stdin closes
  connack BUNDLE HOST PORT one MQTT CONNECT over TLS as the bundle's device; print the CONNACK code
  anonymous HOST PORT      one anonymous MQTT CONNECT without TLS (a board on the pairing port)
  flood BUNDLE HOST PORT KIB  log in, then publish KIB of QoS 0 messages on the device's own intent
                           topic as fast as TCP takes them; print bytes and seconds as JSON
"""
from __future__ import annotations

import json
import select
import socket
import ssl
import struct
import sys
import time
from pathlib import Path

from hall.protocol import Topics
from provisioning.bundle import CA_FILE, load_bundle
from tests.provisioning.hub_support import connack_code

CONNECT_TIMEOUT_S = 3.0
# How long the hub may take to answer the probe on a busy machine (it answers in milliseconds).
PROBE_TIMEOUT_S = 60.0
# A small send buffer: sendall() then returns only as fast as the hub takes the bytes.
FLOOD_SNDBUF_BYTES = 16 * 1024


def _field(text: str) -> bytes:
    data = text.encode()
    return struct.pack("!H", len(data)) + data


def _remaining_length(n: int) -> bytes:
    out = bytearray()
    while True:
        n, digit = divmod(n, 128)
        out.append(digit | (0x80 if n else 0))
        if not n:
            return bytes(out)


def hold(host: str, port: int, count: int, sources: list[str]) -> int:
    held: list[socket.socket] = []
    refused = 0
    for i in range(count):
        source = (sources[i % len(sources)], 0) if sources else None
        try:
            held.append(socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S,
                                                 source_address=source))
        except OSError:
            refused += 1
    _wait_until_the_broker_has_handled(host, port, held)
    readable, _, _ = select.select(held, [], [], 0)
    closed = 0
    for sock in readable:
        try:
            if sock.recv(1) == b"":
                closed += 1
        except OSError:
            closed += 1
    print(json.dumps({"held": len(held) - closed, "refused": refused, "closed": closed}), flush=True)
    sys.stdin.read()
    for sock in held:
        sock.close()
    return 0


def _wait_until_the_broker_has_handled(host: str, port: int, held: list[socket.socket]) -> None:
    """Return once the broker has dealt with every connection above: it accepts in order, and
    closes at once what is over its max_connections, so when it has answered a probe opened
    after them (garbage, which it refuses by closing or answering) the closing is done. A probe
    the firewall refuses is made on the last held connection instead."""
    try:
        probe = socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S)
    except OSError:
        if not held:
            return
        probe = held[-1]
    try:
        probe.sendall(b"\x00probe\r\n\r\n")
    except OSError:
        return  # closed already: the broker has been there
    readable, _, _ = select.select([probe], [], [], PROBE_TIMEOUT_S)
    assert readable, f"the broker did not answer a probe within {PROBE_TIMEOUT_S} s"
    if probe not in held:
        probe.close()


def connack(bundle_dir: Path, host: str, port: int) -> int:
    bundle = load_bundle(bundle_dir)
    try:
        code = connack_code(host, port, bundle.device_id, bundle.device_id, bundle.password,
                            ca_file=str(bundle_dir / CA_FILE), server_name=bundle.server_name)
    except OSError:  # refused, reset or hung up during the TLS handshake (ssl.SSLError is an OSError)
        code = -1
    print(json.dumps({"connack": code}), flush=True)
    return 0


def anonymous(host: str, port: int) -> int:
    try:
        code = connack_code(host, port, "pairing-board")
    except OSError:
        code = -1
    print(json.dumps({"connack": code}), flush=True)
    return 0


def flood(bundle_dir: Path, host: str, port: int, kib: int) -> int:
    bundle = load_bundle(bundle_dir)
    raw = socket.create_connection((host, port), timeout=60)
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, FLOOD_SNDBUF_BYTES)
    context = ssl.create_default_context(cafile=str(bundle_dir / CA_FILE))
    sock = context.wrap_socket(raw, server_hostname=bundle.server_name)
    body = (_field("MQTT") + bytes([4, 0xC2]) + struct.pack("!H", 30) + _field(bundle.device_id)
            + _field(bundle.device_id) + _field(bundle.password))
    sock.sendall(bytes([0x10]) + _remaining_length(len(body)) + body)
    assert sock.recv(4)[3] == 0, "not logged in"
    topic = Topics(bundle.hall_id).intent(bundle.device_id)
    payload = b'{"kind":"take_ticket","v":1,"request_id":"","business":"A","pad":"' + b"x" * 400 + b'"}'
    body = _field(topic) + payload
    packet = bytes([0x30]) + _remaining_length(len(body)) + body
    total, started = 0, time.monotonic()
    while total < kib * 1024:
        sock.sendall(packet)
        total += len(packet)
    seconds = time.monotonic() - started
    sock.close()
    print(json.dumps({"bytes": total, "seconds": round(seconds, 3)}), flush=True)
    return 0


def main(argv: list[str]) -> int:
    command, rest = argv[0], argv[1:]
    if command == "hold":
        return hold(rest[0], int(rest[1]), int(rest[2]), rest[3].split(",") if len(rest) > 3 else [])
    if command == "connack":
        return connack(Path(rest[0]), rest[1], int(rest[2]))
    if command == "anonymous":
        return anonymous(rest[0], int(rest[1]))
    if command == "flood":
        return flood(Path(rest[0]), rest[1], int(rest[2]), int(rest[3]))
    raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
