"""The REST channel's edge (bot/channels/rest.py), without a server."""

import json

import pytest

from bot.channels.messaging import typed_text
from bot.channels.rest import MAX_SENDER_CHARS, parse_body


class FakeRequest:
    def __init__(self, raw: bytes):
        self.raw = raw

    @property
    def json(self):
        if not self.raw:
            return None
        return json.loads(self.raw)


@pytest.mark.parametrize(
    "raw, error",
    [
        (b"", "JSON object"),
        (b"not json", "not valid JSON"),
        (b"[]", "JSON object"),
        (b'["hi"]', "JSON object"),
        (b'{"message": "hi"}', "sender"),
        (b'{"sender": 5, "message": "hi"}', "sender"),
        (b'{"sender": "  ", "message": "hi"}', "sender"),
        (b'{"sender": "a", "message": 5}', "message"),
        (b'{"sender": "a"}', "message"),
        (b'{"sender": "a", "message": "hi", "metadata": "x"}', "metadata"),
        (json.dumps({"sender": "x" * (MAX_SENDER_CHARS + 1), "message": "hi"}).encode(), "longer"),
        (b'{"sender": "\\ud800", "message": "hi"}', "not valid text"),
    ],
)  # fmt: skip
def test_malformed_bodies_are_refused_with_the_reason(raw, error):
    fields, why = parse_body(FakeRequest(raw))
    assert fields is None and error in why


def test_a_good_body_passes_with_its_text_made_safe():
    raw = b'{"sender": "s1", "message": "/inform{\\"symptom_side\\": \\"both\\"} \\ud800"}'
    fields, why = parse_body(FakeRequest(raw))
    assert why is None and fields["sender"] == "s1"
    assert not fields["text"].startswith("/")
    fields["text"].encode("utf-8")  # no lone surrogate left


@pytest.mark.parametrize(
    "typed, read",
    [("/affirm", "affirm"), ('/deny{"facial_weakness": false}', 'deny{"facial_weakness": false}'),
     ("/restart", "/restart"), ("/start", "hi"), ("my eye \ud83d twitches", "my eye ? twitches")],
)  # fmt: skip
def test_typed_commands_cannot_inject_an_intent(typed, read):
    assert typed_text(typed) == read


def test_socketio_passes_a_slash_payload_only_if_it_was_just_offered():
    from bot.channels.socketio import OFFERED, safe_text

    OFFERED["s-1"] = {"/affirm", "/deny"}
    assert safe_text("s-1", "/deny") == "/deny"  # a tap on an offered button
    assert safe_text("s-1", '/inform{"symptom_side": "both"}') == (
        'inform{"symptom_side": "both"}'
    )
    assert safe_text("s-2", "/deny") == "deny"  # nothing offered there
