"""The only JSON touch points: encode(message) -> bytes and decode(topic, payload) -> message."""
from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import json
import re
import types
import typing
from datetime import date, datetime
from typing import Any

from hall.protocol import messages as m
from hall.protocol.errors import DECODE_EXCEPTIONS, MessageDecodeError
from hall.protocol.topics import TopicKind, parse

MAX_PAYLOAD_BYTES = 64 * 1024

_BY_KIND: dict[str, type[m.Message]] = {cls.KIND: cls for cls in m.ALL_MESSAGES}
_ALLOWED: dict[TopicKind, tuple[type[m.Message], ...]] = {
    TopicKind.QUEUE: (m.QueueSnapshot,),
    TopicKind.HALL: (m.HallInfo,),
    TopicKind.CALLS: (m.RecentCalls,),
    TopicKind.NOTICES: (m.Notices,),
    TopicKind.FIGURES: (m.DayFigures,),
    TopicKind.ALERT: (m.HallAlert,),
    TopicKind.WAITS: (m.TicketWaits,),
    TopicKind.MANAGER_INTENT: m.MANAGER_INTENTS,
    TopicKind.WINDOW: (m.WindowState,),
    TopicKind.CALLED: (m.TicketCalled,),
    TopicKind.RECALLED: (m.TicketRecalled,),
    TopicKind.FINISHED: (m.TicketFinished,),
    TopicKind.INTENT: m.INTENTS,
    TopicKind.REPLY: (*m.ANSWERS, *m.DIRECT),
    TopicKind.PRESENCE: m.PRESENCE,
    TopicKind.RATINGS_REPORT: (m.RatingRecorded,),
    TopicKind.CASES_REPORT: (m.CaseOutcome,),
}

_ENVELOPE = ("kind", "v")
for _cls in m.ALL_MESSAGES:
    _clash = [f.name for f in dataclasses.fields(_cls) if f.name in _ENVELOPE]
    if _clash:
        raise TypeError(f"{_cls.__name__} has fields {_clash} that the envelope uses")


def encode(message: m.Message) -> bytes:
    body = {"kind": message.KIND, "v": message.VERSION, **_dump(message)}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode(topic: str, payload: bytes) -> m.Message:
    """Decode a payload read on `topic`; raise MessageDecodeError if either is not valid."""
    where = parse(topic)
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise MessageDecodeError(f"payload of {len(payload)} bytes is too large", topic=topic)
    kind = ""
    try:
        body = json.loads(payload.decode("utf-8"))
        if not isinstance(body, dict):
            raise MessageDecodeError("payload is not a JSON object", topic=topic)
        kind = str(body.pop("kind", ""))
        cls = _BY_KIND.get(kind)
        if cls is None:
            raise MessageDecodeError(f"unknown message kind {kind!r}", topic=topic, kind=kind)
        if cls not in _ALLOWED[where.kind]:
            raise MessageDecodeError(f"{kind} is not sent on {where.kind} topics",
                                     topic=topic, kind=kind)
        version = body.pop("v", None)
        if type(version) is not int or version != cls.VERSION:
            raise MessageDecodeError(f"{kind} version {version!r} is not {cls.VERSION}",
                                     topic=topic, kind=kind)
        return typing.cast(m.Message, _load(cls, body, kind))
    except MessageDecodeError as exc:
        exc.topic, exc.kind = topic, exc.kind or kind
        raise
    except DECODE_EXCEPTIONS as exc:
        raise MessageDecodeError(f"{type(exc).__name__}: {exc}", topic=topic, kind=kind) from exc


def request_id_of(payload: bytes) -> tuple[str, str]:
    """Best-effort (request_id, reply_to) of a payload that failed to decode, for the error reply.

    Either is "" when it could not be echoed safely: not text, too long, or unencodable."""
    if len(payload) > MAX_PAYLOAD_BYTES:
        return "", ""
    try:
        body = json.loads(payload.decode("utf-8"))
        rid, reply_to = body.get("request_id", ""), body.get("reply_to", "")
        if isinstance(rid, str) and isinstance(reply_to, str):
            return _echoable(rid, m.MAX_REQUEST_ID), _echoable(reply_to, m.MAX_TOPIC)
    except DECODE_EXCEPTIONS:
        pass
    return "", ""


def _echoable(text: str, limit: int) -> str:
    return text if len(text) <= limit and not has_surrogates(text) else ""


_SURROGATE = re.compile("[\ud800-\udfff]")


def has_surrogates(text: str) -> bool:
    """JSON may escape half a UTF-16 pair (\\ud800): valid JSON, but not text UTF-8 can carry."""
    return _SURROGATE.search(text) is not None


def to_plain(message: Any) -> Any:
    """A message as plain JSON-ready data (also used by the schema generator's examples)."""
    return _dump(message)


@functools.cache
def field_types(cls: type) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _dump(value: Any) -> Any:
    if isinstance(value, (str, int, float)) and not isinstance(value, enum.Enum):
        return value
    if value is None:
        return None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: _dump(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _dump(v) for k, v in value.items()}
    return value


def _load(cls: type, body: Any, path: str) -> Any:
    if not isinstance(body, dict):
        raise MessageDecodeError(f"{path}: expected an object")
    types_ = field_types(cls)
    unknown = set(body) - set(types_)
    if unknown:
        raise MessageDecodeError(f"{path}: unknown fields {sorted(unknown)}")
    values: dict[str, Any] = {}
    for name, tp in types_.items():
        if name in body:
            values[name] = _value(tp, body[name], f"{path}.{name}", m.text_limit(cls, name))
    missing = [f.name for f in dataclasses.fields(cls)
               if f.name not in values and f.default is dataclasses.MISSING
               and f.default_factory is dataclasses.MISSING]
    if missing:
        raise MessageDecodeError(f"{path}: missing fields {missing}")
    return cls(**values)


def _value(tp: Any, value: Any, path: str, limit: int = m.MAX_TEXT) -> Any:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (types.UnionType, typing.Union):
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _value(inner, value, path, limit)
    if origin is tuple:
        if not isinstance(value, list):
            raise MessageDecodeError(f"{path}: expected a list")
        if len(value) > m.MAX_ITEMS:
            raise MessageDecodeError(f"{path}: more than {m.MAX_ITEMS} items")
        return tuple(_value(args[0], v, f"{path}[{i}]", limit) for i, v in enumerate(value))
    if origin is dict:
        if not isinstance(value, dict):
            raise MessageDecodeError(f"{path}: expected an object")
        if len(value) > m.MAX_ITEMS:
            raise MessageDecodeError(f"{path}: more than {m.MAX_ITEMS} entries")
        if any(has_surrogates(k) or len(k) > m.MAX_KEY for k in value):
            raise MessageDecodeError(f"{path}: a key is not valid text")
        return {str(k): _value(args[1], v, f"{path}.{k}", limit) for k, v in value.items()}
    if dataclasses.is_dataclass(tp):
        return _load(typing.cast(type, tp), value, path)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        try:
            return tp(value)
        except ValueError:
            allowed = [e.value for e in tp]
            raise MessageDecodeError(f"{path}: {value!r} is not one of {allowed}") from None
    if tp is datetime:
        if not isinstance(value, str):
            raise MessageDecodeError(f"{path}: expected an ISO 8601 time")
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise MessageDecodeError(f"{path}: time needs a UTC offset")
        return moment
    if tp is date:
        if not isinstance(value, str):
            raise MessageDecodeError(f"{path}: expected an ISO 8601 date")
        return date.fromisoformat(value)
    if tp is bool:
        if not isinstance(value, bool):
            raise MessageDecodeError(f"{path}: expected true or false")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise MessageDecodeError(f"{path}: expected an integer")
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise MessageDecodeError(f"{path}: expected a number")
        return float(value)
    if tp is str:
        if not isinstance(value, str):
            raise MessageDecodeError(f"{path}: expected a string")
        if has_surrogates(value):
            raise MessageDecodeError(f"{path}: not valid Unicode text (an unpaired surrogate)")
        if len(value) > limit:
            raise MessageDecodeError(f"{path}: longer than {limit} characters")
        return value
    raise MessageDecodeError(f"{path}: unsupported type {tp!r}")


def shape_of(payload: bytes) -> str:
    """What a bad payload looks like, for the log: sizes, JSON types, known names, a hash.

    Never a value: a sign-in carries a PIN and a complaint a name and a phone; and never a
    name the sender chose freely (an unknown kind or field is shown by its hash)."""
    digest = fingerprint(payload)
    try:
        body = json.loads(payload.decode("utf-8"))
    except UnicodeDecodeError:
        return f"{len(payload)} bytes, not UTF-8, #{digest}"
    except DECODE_EXCEPTIONS:
        return f"{len(payload)} bytes, not JSON, #{digest}"
    if not isinstance(body, dict):
        return f"{len(payload)} bytes, JSON {type(body).__name__}, #{digest}"
    kind = body.get("kind")
    cls = _BY_KIND.get(kind) if isinstance(kind, str) else None
    known = {f.name for f in dataclasses.fields(cls)} | set(_ENVELOPE) if cls else set(_ENVELOPE)
    fields = [f"{name}:{type(value).__name__}" for name, value in body.items()
              if isinstance(name, str) and name in known]
    strangers = [name for name in body if name not in known]
    described = cls.KIND if cls is not None else (
        f"unknown #{fingerprint(str(kind).encode('utf-8', 'replace'))}" if "kind" in body
        else "none")
    extra = (f" +{len(strangers)} unknown fields #"
             f"{fingerprint(repr(strangers).encode('utf-8', 'replace'))}") if strangers else ""
    return (f"{len(payload)} bytes, kind {described}, fields [{', '.join(fields)}]{extra}, "
            f"#{digest}")


def fingerprint(data: bytes) -> str:
    """A short hash that tells repeats of one payload apart from others, revealing nothing."""
    return hashlib.sha256(data).hexdigest()[:12]
