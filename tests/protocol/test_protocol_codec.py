"""The codec and the JSON Schemas: every message round-trips, every bad payload is refused.

Examples are built generically from each dataclass's field types, so a new message or a new
field is covered the day it is added to messages.py.
"""
from __future__ import annotations

import dataclasses
import enum
import json
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from jsonschema import Draft202012Validator

from hall.protocol import codec, schema
from hall.protocol import messages as m
from hall.protocol.codec import MAX_PAYLOAD_BYTES, decode, encode, request_id_of
from hall.protocol.errors import MessageDecodeError
from hall.protocol.topics import TopicKind, Topics

SHANGHAI = ZoneInfo("Asia/Shanghai")
HALL = Topics("demo-hall")
DEVICE = "kiosk-1"
MOMENT = datetime(2026, 11, 24, 9, 30, 15, 123456, tzinfo=SHANGHAI)
DAY = date(2026, 11, 24)

# The contract: which topic each kind of message travels on.
TOPIC_OF_KIND: dict[TopicKind, str] = {
    TopicKind.QUEUE: HALL.queue,
    TopicKind.HALL: HALL.hall,
    TopicKind.CALLS: HALL.calls,
    TopicKind.NOTICES: HALL.notices,
    TopicKind.FIGURES: HALL.figures,
    TopicKind.ALERT: HALL.alert,
    TopicKind.WAITS: HALL.waits,
    TopicKind.MANAGER_INTENT: HALL.manager_intent(DEVICE),
    TopicKind.WINDOW: HALL.window(3),
    TopicKind.CALLED: HALL.called,
    TopicKind.RECALLED: HALL.recalled,
    TopicKind.FINISHED: HALL.finished,
    TopicKind.INTENT: HALL.intent(DEVICE),
    TopicKind.REPLY: HALL.reply(DEVICE),
    TopicKind.PRESENCE: HALL.presence(DEVICE),
    TopicKind.RATINGS_REPORT: HALL.ratings_report,
    TopicKind.CASES_REPORT: HALL.cases_report,
}
ALLOWED_ON: dict[type[m.Message], TopicKind] = {
    **{cls: TopicKind.INTENT for cls in m.INTENTS},
    **{cls: TopicKind.MANAGER_INTENT for cls in m.MANAGER_INTENTS},
    m.Notices: TopicKind.NOTICES,
    m.DayFigures: TopicKind.FIGURES,
    m.HallAlert: TopicKind.ALERT,
    m.TicketWaits: TopicKind.WAITS,
    **{cls: TopicKind.REPLY for cls in m.ANSWERS},
    m.RatingInvite: TopicKind.REPLY,
    m.WindowDetail: TopicKind.REPLY,
    m.RatingRecorded: TopicKind.RATINGS_REPORT,
    m.CaseOutcome: TopicKind.CASES_REPORT,
    m.QueueSnapshot: TopicKind.QUEUE,
    m.HallInfo: TopicKind.HALL,
    m.RecentCalls: TopicKind.CALLS,
    m.WindowState: TopicKind.WINDOW,
    m.TicketCalled: TopicKind.CALLED,
    m.TicketRecalled: TopicKind.RECALLED,
    m.TicketFinished: TopicKind.FINISHED,
    m.Presence: TopicKind.PRESENCE,
}
SCHEMAS = schema.all_schemas()


# -- a generic example factory, driven by the field types -----------------------------------


def example_value(tp: Any, name: str) -> Any:
    """A valid, non-default value of type `tp` for a field called `name`."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (types.UnionType, typing.Union):
        (inner,) = [a for a in args if a is not type(None)]
        return example_value(inner, name)
    if origin is tuple:
        return (example_value(args[0], name), example_value(args[0], name))
    if origin is dict:
        return {"原因": example_value(args[1], f"{name}-说明"), "field": example_value(args[1], name)}
    if dataclasses.is_dataclass(tp):
        return example(tp, full=True)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return list(tp)[-1]
    if tp is datetime:
        return MOMENT
    if tp is date:
        return DAY
    if tp is bool:
        return True
    if tp is int:
        return 7
    if tp is float:
        return 1.5
    if tp is str:
        return f"{name}-医保"
    raise AssertionError(f"the example factory does not know {tp!r} (field {name})")


def example(cls: type, *, full: bool) -> Any:
    """An instance of `cls`: every field set (`full`) or only the required ones."""
    values = {}
    for f in dataclasses.fields(cls):
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if full or required:
            value = example_value(codec.field_types(cls)[f.name], f.name)
            if isinstance(value, str):  # within the schema's length limit for the field
                value = value[:m.text_limit(cls, f.name)]
            values[f.name] = value
    return cls(**values)


def topic_for(cls: type[m.Message]) -> str:
    return TOPIC_OF_KIND[ALLOWED_ON[cls]]


def body_of(message: m.Message) -> dict[str, Any]:
    return typing.cast(dict[str, Any], json.loads(encode(message)))


def validator_for(kind: str) -> Draft202012Validator:
    return Draft202012Validator(SCHEMAS[kind], format_checker=Draft202012Validator.FORMAT_CHECKER)


ALL = [pytest.param(cls, id=cls.KIND) for cls in m.ALL_MESSAGES]
FULLNESS = [pytest.param(True, id="all-fields"), pytest.param(False, id="required-only")]


# -- round trips and schemas ----------------------------------------------------------------


def test_the_topic_table_of_these_tests_covers_every_message() -> None:
    assert set(ALLOWED_ON) == set(m.ALL_MESSAGES)
    assert len({cls.KIND for cls in m.ALL_MESSAGES}) == len(m.ALL_MESSAGES)


@pytest.mark.parametrize("full", FULLNESS)
@pytest.mark.parametrize("cls", ALL)
def test_every_message_round_trips_through_the_codec(cls: type[m.Message], full: bool) -> None:
    message = example(cls, full=full)
    assert decode(topic_for(cls), encode(message)) == message


@pytest.mark.parametrize("cls", ALL)
def test_an_encoded_message_names_its_kind_and_version(cls: type[m.Message]) -> None:
    body = body_of(example(cls, full=True))
    assert (body["kind"], body["v"]) == (cls.KIND, cls.VERSION)


@pytest.mark.parametrize("full", FULLNESS)
@pytest.mark.parametrize("cls", ALL)
def test_every_encoded_message_validates_against_its_schema(cls: type[m.Message],
                                                            full: bool) -> None:
    errors = list(validator_for(cls.KIND).iter_errors(body_of(example(cls, full=full))))
    assert errors == []


@pytest.mark.parametrize("cls", ALL)
def test_every_schema_is_a_valid_draft_2020_12_schema(cls: type[m.Message]) -> None:
    Draft202012Validator.check_schema(SCHEMAS[cls.KIND])
    assert SCHEMAS[cls.KIND]["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_there_is_one_schema_per_message_kind() -> None:
    assert set(SCHEMAS) == {cls.KIND for cls in m.ALL_MESSAGES}


def _set(field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(body: dict[str, Any]) -> None:
        body[field] = value
    return change


def _drop(field: str) -> Callable[[dict[str, Any]], None]:
    def change(body: dict[str, Any]) -> None:
        del body[field]
    return change


def _nested(field: str, key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(body: dict[str, Any]) -> None:
        body[field][key] = value
    return change


SCHEMA_REJECTS = [
    pytest.param(m.TakeTicket, _set("surprise", 1), id="unknown-extra-field"),
    pytest.param(m.TakeTicket, _drop("business"), id="missing-required-field"),
    pytest.param(m.TakeTicket, _drop("v"), id="missing-version"),
    pytest.param(m.TakeTicket, _set("v", 2), id="newer-version"),
    pytest.param(m.OpenHall, _set("v", True), id="version-true-is-not-1"),
    pytest.param(m.SignIn, _set("window", "3"), id="string-for-int"),
    pytest.param(m.SignIn, _set("window", True), id="bool-for-int"),
    pytest.param(m.TakeTicket, _set("priority", 1), id="int-for-bool"),
    pytest.param(m.TakeTicket, _set("business", None), id="null-for-string"),
    pytest.param(m.Pause, _set("reason", "nap"), id="bad-enum-value"),
    pytest.param(m.Finish, _set("items", "enrollment"), id="string-for-list"),
    pytest.param(m.Finish, _set("items", ["enrollment", 3]), id="bad-list-item"),
    pytest.param(m.Rejected, _set("detail", {"a": 1}), id="bad-dict-value"),
    pytest.param(m.TicketAnswer, _nested("ticket", "surprise", 1), id="nested-extra-field"),
    pytest.param(m.TicketAnswer, _nested("ticket", "kind", "vip"), id="nested-bad-enum"),
    pytest.param(m.QueueSnapshot, _set("service_day", "2026-02-30"), id="bad-date"),
    pytest.param(m.QueueSnapshot, _set("businesses", [{"code": "x"}]),
                 id="nested-missing-fields"),
]


@pytest.mark.parametrize("cls, change", SCHEMA_REJECTS)
def test_a_payload_the_schema_rejects_is_rejected_by_decode(
        cls: type[m.Message], change: Callable[[dict[str, Any]], None]) -> None:
    body = body_of(example(cls, full=True))
    change(body)
    assert not validator_for(cls.KIND).is_valid(body)
    with pytest.raises(MessageDecodeError):
        decode(topic_for(cls), json.dumps(body).encode())


# -- decode errors --------------------------------------------------------------------------


def _payload(cls: type[m.Message], **changes: Any) -> bytes:
    body = body_of(example(cls, full=True))
    for key, value in changes.items():
        if value is DROP:
            del body[key]
        else:
            body[key] = value
    return json.dumps(body, ensure_ascii=False).encode()


DROP = object()
INTENT = HALL.intent(DEVICE)
OK_TAKE = _payload(m.TakeTicket)

DECODE_ERRORS = [
    pytest.param(INTENT, b"\xff\xfe{not utf-8", id="not-utf-8"),
    pytest.param(INTENT, b"{kind: take_ticket", id="not-json"),
    pytest.param(INTENT, b"", id="empty"),
    pytest.param(INTENT, b'[{"kind": "take_ticket"}]', id="json-array"),
    pytest.param(INTENT, b'"take_ticket"', id="json-string"),
    pytest.param(INTENT, b"null", id="json-null"),
    pytest.param(INTENT, b"NaN", id="json-nan"),
    pytest.param(INTENT, _payload(m.TakeTicket, kind=DROP), id="missing-kind"),
    pytest.param(INTENT, _payload(m.TakeTicket, kind="take_a_nap"), id="unknown-kind"),
    pytest.param(INTENT, _payload(m.TakeTicket, kind=None), id="null-kind"),
    pytest.param(INTENT, _payload(m.TakeTicket, v=2), id="wrong-version"),
    pytest.param(INTENT, _payload(m.TakeTicket, v="1"), id="version-as-string"),
    pytest.param(INTENT, _payload(m.TakeTicket, v=DROP), id="version-missing"),
    pytest.param(INTENT, _payload(m.TakeTicket, v=True), id="version-true"),
    pytest.param(INTENT, _payload(m.TakeTicket, business=DROP), id="missing-required-field"),
    pytest.param(INTENT, _payload(m.TakeTicket, request_id=DROP), id="missing-request-id"),
    pytest.param(INTENT, _payload(m.TakeTicket, surprise="x"), id="unknown-extra-field"),
    pytest.param(INTENT, _payload(m.SignIn, window="3"), id="string-for-int"),
    pytest.param(INTENT, _payload(m.SignIn, window=True), id="bool-for-int"),
    pytest.param(INTENT, _payload(m.SignIn, window=3.5), id="float-for-int"),
    pytest.param(INTENT, _payload(m.SignIn, window=None), id="null-for-int"),
    pytest.param(INTENT, _payload(m.TakeTicket, priority=1), id="int-for-bool"),
    pytest.param(INTENT, _payload(m.TakeTicket, priority="true"), id="string-for-bool"),
    pytest.param(INTENT, _payload(m.TakeTicket, business=7), id="int-for-string"),
    pytest.param(INTENT, _payload(m.Pause, reason="nap"), id="bad-enum-value"),
    pytest.param(INTENT, _payload(m.Pause, reason="LUNCH"), id="enum-value-wrong-case"),
    pytest.param(INTENT, _payload(m.Finish, items="enrollment"), id="string-for-tuple"),
    pytest.param(INTENT, _payload(m.Finish, items=[1, 2]), id="ints-in-string-tuple"),
    pytest.param(INTENT, _payload(m.Transfer, to_window="2"), id="string-for-optional-int"),
    pytest.param(HALL.reply(DEVICE), _payload(m.Rejected, detail=["a"]), id="list-for-dict"),
    pytest.param(HALL.reply(DEVICE), _payload(m.Rejected, detail={"a": 1}),
                 id="int-in-string-dict"),
    pytest.param(HALL.reply(DEVICE), _payload(m.TicketAnswer, ticket="A001"),
                 id="string-for-nested-object"),
    pytest.param(HALL.reply(DEVICE), _payload(m.TicketAnswer, ticket={"number": "A001"}),
                 id="nested-missing-fields"),
    pytest.param(HALL.called, _payload(m.TicketCalled, at="2026-11-24T09:30:00"),
                 id="naive-datetime-without-offset"),
    pytest.param(HALL.called, _payload(m.TicketCalled, at="2026-11-24"),
                 id="date-for-datetime"),
    pytest.param(HALL.called, _payload(m.TicketCalled, at="half past nine"),
                 id="garbage-datetime"),
    pytest.param(HALL.called, _payload(m.TicketCalled, at=1764000000), id="epoch-for-datetime"),
    pytest.param(HALL.queue, _payload(m.QueueSnapshot, service_day="2026-02-30"),
                 id="bad-date"),
    pytest.param(HALL.queue, _payload(m.QueueSnapshot, service_day="24.11.2026"),
                 id="date-in-another-format"),
    pytest.param(HALL.queue, _payload(m.QueueSnapshot, service_day=20261124), id="int-for-date"),
    pytest.param(INTENT, _payload(m.Presence), id="presence-on-an-intent-topic"),
    pytest.param(HALL.queue, _payload(m.TakeTicket), id="intent-on-a-state-topic"),
    pytest.param(HALL.window(3), _payload(m.QueueSnapshot), id="queue-snapshot-on-window-topic"),
    pytest.param(HALL.reply(DEVICE), _payload(m.TakeTicket), id="intent-on-a-reply-topic"),
    pytest.param(INTENT, _payload(m.Accepted), id="answer-on-an-intent-topic"),
    pytest.param(HALL.recalled, _payload(m.TicketCalled), id="called-on-the-recalled-topic"),
    pytest.param(INTENT, b" " * (MAX_PAYLOAD_BYTES + 1), id="payload-too-large"),
    pytest.param(INTENT, OK_TAKE + b" " * (MAX_PAYLOAD_BYTES + 1 - len(OK_TAKE)),
                 id="valid-message-padded-past-the-limit"),
    pytest.param("home/demo-hall/device/kiosk-1/intent", OK_TAKE, id="not-a-hall-topic"),
    pytest.param("hall", OK_TAKE, id="topic-too-short"),
    pytest.param("", OK_TAKE, id="empty-topic"),
    pytest.param("hall/Demo-Hall/device/kiosk-1/intent", OK_TAKE, id="invalid-hall-id"),
    pytest.param("hall/demo-hall/device/kiosk-1/command", OK_TAKE, id="unknown-device-topic"),
    pytest.param("hall/demo-hall/device/kiosk-1/intent/x", OK_TAKE, id="device-topic-too-long"),
    pytest.param("hall/demo-hall/state/tickets", _payload(m.QueueSnapshot),
                 id="unknown-state-topic"),
    pytest.param("hall/demo-hall/state/window", _payload(m.WindowState),
                 id="window-topic-without-number"),
    pytest.param("hall/demo-hall/state/window/x", _payload(m.WindowState),
                 id="window-topic-with-a-word"),
    pytest.param("hall/demo-hall/state/window/-3", _payload(m.WindowState),
                 id="window-topic-negative"),
    pytest.param("hall/demo-hall/state/window/²", _payload(m.WindowState),
                 id="window-topic-superscript-digit"),
    pytest.param("hall/demo-hall/event/served", _payload(m.TicketFinished),
                 id="unknown-event-topic"),
    pytest.param("hall/demo-hall/device/Kiosk_1/intent", OK_TAKE,
                 id="device-id-with-invalid-characters"),
    pytest.param("hall/demo-hall/device/kiosk-1\n/intent", OK_TAKE,
                 id="device-id-with-trailing-newline"),
    pytest.param("hall/demo-hall/device/+/intent", OK_TAKE, id="device-id-wildcard"),
    pytest.param("hall/demo-hall/device//intent", OK_TAKE, id="device-id-empty"),
    pytest.param("hall/demo-hall/device/自助机/intent", OK_TAKE, id="device-id-chinese"),
    pytest.param(INTENT, b"[" * 30000 + b"]" * 30000, id="deeply-nested-json-array"),
    pytest.param(INTENT, b'{"kind":"take_ticket","v":1,"request_id":"r","business":'
                 + b"[" * 30000 + b"]" * 30000 + b"}", id="deeply-nested-json-field"),
]


@pytest.mark.parametrize("topic, payload", DECODE_ERRORS)
def test_every_decode_error_raises_message_decode_error(topic: str, payload: bytes) -> None:
    try:
        decode(topic, payload)
    except MessageDecodeError as exc:
        assert exc.reason
        assert exc.topic == topic
    except BaseException as exc:  # noqa: BLE001 - the point is that nothing else escapes
        pytest.fail(f"decode raised {type(exc).__name__}: {exc}, not MessageDecodeError")
    else:
        pytest.fail("decode accepted the payload")


def test_a_payload_exactly_at_the_size_limit_is_still_decoded() -> None:
    message = example(m.TakeTicket, full=True)
    payload = encode(message)
    padded = payload + b" " * (MAX_PAYLOAD_BYTES - len(payload))
    assert len(padded) == MAX_PAYLOAD_BYTES
    assert decode(INTENT, padded) == message


@pytest.mark.parametrize("cls", ALL)
@pytest.mark.parametrize("topic_kind", list(TopicKind))
def test_a_message_is_refused_on_every_topic_where_it_is_not_sent(
        cls: type[m.Message], topic_kind: TopicKind) -> None:
    payload = encode(example(cls, full=True))
    if ALLOWED_ON[cls] is topic_kind:
        assert decode(TOPIC_OF_KIND[topic_kind], payload) == example(cls, full=True)
    else:
        with pytest.raises(MessageDecodeError) as err:
            decode(TOPIC_OF_KIND[topic_kind], payload)
        assert err.value.kind == cls.KIND


def test_a_decode_error_names_the_kind_it_was_reading() -> None:
    with pytest.raises(MessageDecodeError) as err:
        decode(INTENT, _payload(m.SignIn, window="3"))
    assert (err.value.kind, err.value.topic) == ("sign_in", INTENT)


# -- request_id_of --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload, expected",
    [
        pytest.param(encode(m.CallNext(request_id="r-1", reply_to="hall/demo-hall/device/c-1/reply",
                                       window=1)),
                     ("r-1", "hall/demo-hall/device/c-1/reply"), id="valid-intent"),
        pytest.param(b'{"kind":"call_next","v":1,"request_id":"r-2","window":"one"}',
                     ("r-2", ""), id="invalid-intent-without-reply-to"),
        pytest.param(b'{"kind":"nap","request_id":"r-3","reply_to":"x"}', ("r-3", "x"),
                     id="unknown-kind"),
        pytest.param(b'{"request_id":"r-4","extra":[1,2,3]}', ("r-4", ""), id="no-kind"),
        pytest.param('{"request_id":"请求-5"}'.encode(), ("请求-5", ""),
                     id="chinese-request-id"),
        pytest.param(b"{}", ("", ""), id="empty-object"),
        pytest.param(b'{"request_id":5,"reply_to":"x"}', ("", ""), id="request-id-not-a-string"),
        pytest.param(b'{"request_id":null}', ("", ""), id="request-id-null"),
        pytest.param(b'{"request_id":"r","reply_to":["x"]}', ("", ""), id="reply-to-a-list"),
        pytest.param(b"", ("", ""), id="empty"),
        pytest.param(b"\xff\xfe\x00", ("", ""), id="not-utf-8"),
        pytest.param(b"{request_id: r}", ("", ""), id="not-json"),
        pytest.param(b'["request_id", "r"]', ("", ""), id="json-array"),
        pytest.param(b'"request_id"', ("", ""), id="json-string"),
        pytest.param(b"42", ("", ""), id="json-number"),
        pytest.param(b"null", ("", ""), id="json-null"),
        pytest.param(b"[" * 30000, ("", ""), id="deeply-nested-garbage"),
    ],
)
def test_request_id_of_extracts_what_it_can_and_never_raises(
        payload: bytes, expected: tuple[str, str]) -> None:
    assert request_id_of(payload) == expected


# -- Chinese text ---------------------------------------------------------------------------


CHINESE = [
    pytest.param(m.TakeTicket(request_id="r-1", business="enrollment", priority=True,
                              priority_reason="老年人", helper_name="王晓燕"),
                 INTENT, ("老年人", "王晓燕"), id="take-ticket"),
    pytest.param(m.Rejected(request_id="r-2", code="hall_closed", message="大厅已停止取号",
                            detail={"原因": "午休"}),
                 HALL.reply(DEVICE), ("大厅已停止取号", "原因", "午休"), id="rejected"),
    pytest.param(m.WindowState(window=8, status=m.WindowStatus.SERVING, updated_at=MOMENT,
                               name_zh="综合窗口", staff_name="赵丽娟",
                               ticket_number="A001"),
                 HALL.window(8), ("综合窗口", "赵丽娟"), id="window-state"),
    pytest.param(m.Transfer(request_id="r-3", window=1, to_window=2,
                            note="请到2号窗口打印凭证"),
                 INTENT, ("请到2号窗口打印凭证",), id="transfer-note"),
]


@pytest.mark.parametrize("message, topic, texts", CHINESE)
def test_chinese_text_survives_encode_and_decode_unescaped(
        message: m.Message, topic: str, texts: tuple[str, ...]) -> None:
    payload = encode(message)
    for text in texts:
        assert text.encode("utf-8") in payload
    assert b"\\u" not in payload
    assert decode(topic, payload) == message


def test_chinese_text_escaped_by_another_json_writer_is_also_decoded() -> None:
    message = m.TakeTicket(request_id="r-1", business="enrollment", helper_name="李建国")
    escaped = json.dumps(body_of(message), ensure_ascii=True).encode()
    assert b"\\u" in escaped
    assert decode(INTENT, escaped) == message
