"""JSON Schema (draft 2020-12) for every message, generated from messages.py."""
from __future__ import annotations

import dataclasses
import enum
import types
import typing
from datetime import date, datetime
from typing import Any

from hall.protocol import messages as m
from hall.protocol.codec import field_types

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def message_schema(cls: type[m.Message]) -> dict[str, Any]:
    body = _object(cls)
    body["properties"] = {
        "kind": {"const": cls.KIND},
        "v": {"const": cls.VERSION},
        **body["properties"],
    }
    body["required"] = ["kind", "v", *body["required"]]
    return {"$schema": DRAFT, "$id": f"hall/{cls.KIND}.v{cls.VERSION}.json",
            "title": cls.__name__, "description": cls.DOC, **body}


def all_schemas() -> dict[str, dict[str, Any]]:
    return {cls.KIND: message_schema(cls) for cls in m.ALL_MESSAGES}


def _object(cls: type) -> dict[str, Any]:
    props: dict[str, Any] = {}
    required: list[str] = []
    for f in dataclasses.fields(cls):
        props[f.name] = _type(field_types(cls)[f.name], m.text_limit(cls, f.name))
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            required.append(f.name)
    return {"type": "object", "properties": props, "required": required,
            "additionalProperties": False}


def _type(tp: Any, limit: int = m.MAX_TEXT) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (types.UnionType, typing.Union):
        return {"anyOf": [_type(a, limit) for a in args]}
    if tp is type(None):
        return {"type": "null"}
    if origin is tuple:
        return {"type": "array", "items": _type(args[0], limit), "maxItems": m.MAX_ITEMS}
    if origin is dict:
        return {"type": "object", "additionalProperties": _type(args[1], limit),
                "maxProperties": m.MAX_ITEMS, "propertyNames": {"maxLength": m.MAX_KEY}}
    if dataclasses.is_dataclass(tp):
        return _object(tp)  # type: ignore[arg-type]
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return {"type": "string", "enum": [e.value for e in tp]}
    if tp is datetime:
        return {"type": "string", "format": "date-time"}
    if tp is date:
        return {"type": "string", "format": "date"}
    if tp is str:
        return {"type": "string", "maxLength": limit}
    simple = {bool: "boolean", int: "integer", float: "number"}
    return {"type": simple[tp]}
