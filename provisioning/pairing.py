"""Pairing codes: a new board shows a code; whoever types it on the hub can give it credentials.

The code never travels. Both sides derive a key from it (scrypt, slow on purpose, salted with the
hall id so that work done against one hall is useless against another): the board's
request and the hub's answer are sealed with that key (AES-GCM), so an anonymous client of the
pairing broker can neither read an answer nor forge a request, and the board knows the answer
comes from the hub the technician typed its code into.
"""
from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

# Crockford's base32: no I, L, O, U, so a code read off a screen is not misread.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# 10 symbols are 50 bits: with scrypt's cost, guessing a code offline takes longer than any pairing.
CODE_LENGTH = 10
# The salt binds the key to the hall: a table of codes precomputed for one hall is useless for another.
_SALT_PREFIX = b"hall-pairing-v2:"
# The request id is the only topic level an anonymous client chooses; the provisioner takes no other shape.
_REQUEST_ID = re.compile(r"[0-9a-f]{16}")
_NONCE_BYTES = 12
_REQUEST = b"request"
_ANSWER = b"answer"


class PairingError(Exception):
    """A pairing message was not sealed with this code, or a code is malformed."""


def is_valid_request_id(value: str) -> bool:
    return _REQUEST_ID.fullmatch(value) is not None


def new_code() -> str:
    return format_code("".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH)))


def format_code(code: str) -> str:
    plain = normalize_code(code)
    return f"{plain[:5]}-{plain[5:]}"


def normalize_code(code: str) -> str:
    """Upper case without separators; the letters people confuse with digits are read as digits."""
    plain = code.upper().replace("-", "").replace(" ", "")
    plain = plain.translate(str.maketrans("OIL", "011"))
    if len(plain) != CODE_LENGTH or any(c not in ALPHABET for c in plain):
        raise PairingError(f"a pairing code is {CODE_LENGTH} letters and digits like ABCDE-12345")
    return plain


@dataclass(frozen=True, slots=True)
class PairingKey:
    """What both sides derive from the code: the request's public id and the sealing key."""

    request_id: str
    key: bytes

    @classmethod
    def from_code(cls, code: str, hall_id: str) -> PairingKey:
        """Both sides know the hall id (the board from zeroconf or --hall-id): it salts the key."""
        if not hall_id:
            raise PairingError("a pairing key needs the hall id")
        salt = _SALT_PREFIX + hall_id.encode()
        key = Scrypt(salt=salt, length=32, n=2**14, r=8, p=1).derive(normalize_code(code).encode())
        request_id = hashlib.sha256(b"hall-pairing-id" + key).hexdigest()[:16]
        return cls(request_id, key)

    def seal_request(self, details: dict[str, str]) -> bytes:
        return self._seal(_REQUEST, json.dumps(details, sort_keys=True).encode())

    def open_request(self, sealed: bytes) -> dict[str, str]:
        try:
            raw = json.loads(self._open(_REQUEST, sealed))
        except ValueError as exc:
            raise PairingError("a pairing request that is not JSON") from exc
        if not isinstance(raw, dict):
            raise PairingError("a pairing request that is not an object")
        return {str(k): str(v) for k, v in raw.items()}

    def seal_answer(self, bundle_archive: bytes) -> bytes:
        return self._seal(_ANSWER, bundle_archive)

    def open_answer(self, sealed: bytes) -> bytes:
        return self._open(_ANSWER, sealed)

    def _seal(self, purpose: bytes, plaintext: bytes) -> bytes:
        nonce = secrets.token_bytes(_NONCE_BYTES)
        return nonce + AESGCM(self.key).encrypt(nonce, plaintext, purpose + self.request_id.encode())

    def _open(self, purpose: bytes, sealed: bytes) -> bytes:
        nonce, body = sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:]
        try:
            return AESGCM(self.key).decrypt(nonce, body, purpose + self.request_id.encode())
        except (InvalidTag, ValueError) as exc:
            raise PairingError("not sealed with this pairing code") from exc
