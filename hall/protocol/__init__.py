"""The hall's wire protocol: messages, topics and the codec; free of any MQTT library."""
from __future__ import annotations

from hall.protocol import messages
from hall.protocol.codec import decode, encode, request_id_of
from hall.protocol.errors import MessageDecodeError
from hall.protocol.messages import PROTOCOL_VERSION
from hall.protocol.topics import ParsedTopic, TopicKind, Topics

__all__ = [
    "PROTOCOL_VERSION",
    "MessageDecodeError",
    "ParsedTopic",
    "TopicKind",
    "Topics",
    "decode",
    "encode",
    "messages",
    "request_id_of",
]
