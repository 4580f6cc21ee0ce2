"""A hostile device's MQTT: packets written straight to a socket, as fast as the kernel takes
them (30,000 QoS 0 publishes leave in well under a second), with no client library between."""
from __future__ import annotations

import socket
import struct
import threading


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n % 128, n // 128
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _text(value: str | bytes) -> bytes:
    raw = value.encode() if isinstance(value, str) else value
    return struct.pack("!H", len(raw)) + raw


def connect_packet(client_id: str, username: str, password: str, keepalive: int = 60) -> bytes:
    body = _text("MQTT") + bytes([4, 0xC2]) + struct.pack("!H", keepalive)
    body += _text(client_id) + _text(username) + _text(password)
    return b"\x10" + _varint(len(body)) + body


def publish_packet(topic: str, payload: bytes, *, qos: int = 0, retain: bool = False,
                   packet_id: int = 1) -> bytes:
    body = _text(topic) + (struct.pack("!H", packet_id) if qos else b"") + payload
    header = 0x30 | (qos << 1) | (1 if retain else 0)
    return bytes([header]) + _varint(len(body)) + body


class RawClient:
    """Connects, then sends whatever bytes it is given; a thread drains what the broker sends."""

    def __init__(self, port: int, client_id: str, username: str, password: str) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.sock.sendall(connect_packet(client_id, username, password))
        connack = self.sock.recv(4)
        if len(connack) < 4 or connack[0] != 0x20 or connack[3] != 0:
            raise ConnectionError(f"broker refused {client_id}: {connack!r}")
        self.received = 0
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        try:
            while chunk := self.sock.recv(65536):
                self.received += len(chunk)
        except OSError:
            pass

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def publish_many(self, topic: str, payloads: list[bytes], *, qos: int = 0) -> None:
        packets = b"".join(publish_packet(topic, p, qos=qos, packet_id=(i % 65535) + 1)
                           for i, p in enumerate(payloads))
        self.sock.sendall(packets)

    def close(self) -> None:
        try:
            self.sock.sendall(b"\xe0\x00")  # DISCONNECT
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        self._reader.join(timeout=5)
