"""Topics: every builder parses back to what it was built from; nothing else is a hall topic."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from paho.mqtt.client import topic_matches_sub

from hall.protocol.errors import MessageDecodeError
from hall.protocol.topics import ParsedTopic, TopicKind, Topics, parse

HALL_ID = "demo-hall"
T = Topics(HALL_ID)

BUILT = [
    pytest.param(T.queue, TopicKind.QUEUE, "", 0, T.all_state, id="queue"),
    pytest.param(T.hall, TopicKind.HALL, "", 0, T.all_state, id="hall"),
    pytest.param(T.calls, TopicKind.CALLS, "", 0, T.all_state, id="calls"),
    pytest.param(T.window(1), TopicKind.WINDOW, "", 1, T.all_windows, id="window-1"),
    pytest.param(T.window(8), TopicKind.WINDOW, "", 8, T.all_windows, id="window-8"),
    pytest.param(T.window(12), TopicKind.WINDOW, "", 12, T.all_windows, id="window-12"),
    pytest.param(T.called, TopicKind.CALLED, "", 0, T.all_events, id="called"),
    pytest.param(T.recalled, TopicKind.RECALLED, "", 0, T.all_events, id="recalled"),
    pytest.param(T.finished, TopicKind.FINISHED, "", 0, T.all_events, id="finished"),
    pytest.param(T.alert, TopicKind.ALERT, "", 0, T.all_events, id="alert"),
    pytest.param(T.waits, TopicKind.WAITS, "", 0, T.all_events, id="waits"),
    pytest.param(T.notices, TopicKind.NOTICES, "", 0, T.all_state, id="notices"),
    pytest.param(T.figures, TopicKind.FIGURES, "", 0, T.all_state, id="figures"),
    pytest.param(T.manager_intent("console-1"), TopicKind.MANAGER_INTENT, "console-1", 0,
                 T.all_manager_intents, id="manager-intent"),
    pytest.param(T.intent("kiosk-1"), TopicKind.INTENT, "kiosk-1", 0, T.all_intents,
                 id="intent"),
    pytest.param(T.reply("counter-08"), TopicKind.REPLY, "counter-08", 0,
                 f"hall/{HALL_ID}/device/+/reply", id="reply"),
    pytest.param(T.presence("wall-a"), TopicKind.PRESENCE, "wall-a", 0, T.all_presence,
                 id="presence"),
    pytest.param(T.presence("controller"), TopicKind.PRESENCE, "controller", 0, T.all_presence,
                 id="presence-of-the-controller"),
    pytest.param(T.ratings_report, TopicKind.RATINGS_REPORT, "", 0, f"hall/{HALL_ID}/report/#",
                 id="ratings-report"),
    pytest.param(T.cases_report, TopicKind.CASES_REPORT, "", 0, f"hall/{HALL_ID}/report/#",
                 id="cases-report"),
]


@pytest.mark.parametrize("topic, kind, device_id, window, subscription", BUILT)
def test_every_built_topic_parses_back_to_its_kind_device_and_window(
        topic: str, kind: TopicKind, device_id: str, window: int, subscription: str) -> None:
    expected = ParsedTopic(kind, HALL_ID, device_id=device_id, window=window)
    assert parse(topic) == expected
    assert T.parse(topic) == expected


@pytest.mark.parametrize("topic, kind, device_id, window, subscription", BUILT)
def test_every_built_topic_matches_the_subscription_meant_for_it(
        topic: str, kind: TopicKind, device_id: str, window: int, subscription: str) -> None:
    assert topic_matches_sub(subscription, topic)
    assert topic.startswith(f"{T.base}/")
    assert not topic_matches_sub(subscription, topic.replace(HALL_ID, "other-hall", 1))


def test_the_topic_table_covers_every_topic_kind() -> None:
    assert {p.values[1] for p in BUILT} == set(TopicKind)


@pytest.mark.parametrize("subscription", [T.all_windows, T.all_state, T.all_events,
                                          T.all_intents, T.all_presence])
def test_a_subscription_filter_is_not_a_topic_a_message_arrives_on(subscription: str) -> None:
    with pytest.raises(MessageDecodeError):
        parse(subscription)


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda t: t.queue, id="queue"),
        pytest.param(lambda t: t.window(3), id="window"),
        pytest.param(lambda t: t.called, id="called"),
        pytest.param(lambda t: t.intent("kiosk-1"), id="intent"),
        pytest.param(lambda t: t.presence("kiosk-1"), id="presence"),
    ],
)
def test_topics_parse_rejects_the_topic_of_another_hall(build: Callable[[Topics], str]) -> None:
    foreign = build(Topics("other-hall"))
    assert parse(foreign).hall_id == "other-hall"
    with pytest.raises(MessageDecodeError) as err:
        T.parse(foreign)
    assert err.value.topic == foreign


BAD_IDS = [
    pytest.param("", id="empty"),
    pytest.param("Demo", id="upper-case"),
    pytest.param("demo hall", id="space"),
    pytest.param("demo/hall", id="slash"),
    pytest.param("demo_hall", id="underscore"),
    pytest.param("demo.hall", id="dot"),
    pytest.param("-demo", id="leading-dash"),
    pytest.param("demo+", id="mqtt-single-level-wildcard"),
    pytest.param("#", id="mqtt-multi-level-wildcard"),
    pytest.param("a" * 64, id="64-characters"),
    pytest.param("医保大厅", id="chinese"),
    pytest.param("demo\n", id="trailing-newline"),
    pytest.param("demo\x00", id="nul"),
]


@pytest.mark.parametrize("hall_id", BAD_IDS)
def test_an_invalid_hall_id_is_refused_by_topics(hall_id: str) -> None:
    with pytest.raises(ValueError):
        Topics(hall_id)


@pytest.mark.parametrize("builder", ["intent", "reply", "presence"])
@pytest.mark.parametrize("device_id", BAD_IDS)
def test_an_invalid_device_id_is_refused_by_every_device_builder(device_id: str,
                                                                builder: str) -> None:
    with pytest.raises(ValueError):
        getattr(T, builder)(device_id)


@pytest.mark.parametrize("good_id", ["a", "0", "kiosk-1", "a" * 63, "8-counter-"])
def test_ids_of_lowercase_letters_digits_and_dashes_are_accepted(good_id: str) -> None:
    assert Topics(good_id).hall_id == good_id
    assert parse(Topics(good_id).presence(good_id)).device_id == good_id


@pytest.mark.parametrize(
    "topic",
    [
        pytest.param(f"hall/{HALL_ID}/state/window/٣", id="arabic-indic-digit"),
        pytest.param(f"hall/{HALL_ID}/state/window/３", id="fullwidth-digit"),
        pytest.param(f"hall/{HALL_ID}/state/window/²", id="superscript-digit"),
    ],
)
def test_a_window_topic_takes_only_ascii_digits(topic: str) -> None:
    with pytest.raises(MessageDecodeError):
        parse(topic)
