"""The REST channel (``/webhooks/rest/webhook``), with a checked edge.

Rasa 3.6's RestInput answers a malformed body (empty, not JSON, a list, a
non-string message) with a 500, passes typed ``/intent{...}`` through as an
intent with slots, and returns an empty list when the turn fails. Here:

- a body that is not ``{"sender": str, "message": str[, "metadata": {}]}``
  gets a 400 with a short JSON error, before anything reaches the tracker;
- the text goes through the messaging channels' guard (``typed_text``): no
  intent injection, lone surrogates replaced;
- a turn that fails (database or lock store down) gets a 503 with a reply
  that says so; one that says nothing gets ``SORRY_REPLY``;
- no message text is logged.
"""

from __future__ import annotations

import logging
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.messaging import SORRY_REPLY, typed_text

logger = logging.getLogger(__name__)

MAX_SENDER_CHARS = 256
UNAVAILABLE_REPLY = (
    "Sorry, I can't reach my records right now, so I couldn't take that in. "
    "Please send it again in a minute."
)


def bad_request(error: str) -> HTTPResponse:
    return response.json({"error": error}, status=400)


def parse_body(request: Request) -> tuple[dict[str, Any] | None, str | None]:
    """(fields, None) for a well-formed message, else (None, the error)."""
    try:
        body = request.json
    except Exception:  # noqa: BLE001 - sanic raises its own for bad JSON
        return None, "the body is not valid JSON"
    if not isinstance(body, dict):
        return None, 'expected a JSON object {"sender": ..., "message": ...}'
    sender, message = body.get("sender"), body.get("message")
    if not isinstance(sender, str) or not sender.strip():
        return None, '"sender" must be a non-empty string'
    if len(sender) > MAX_SENDER_CHARS:
        return None, f'"sender" is longer than {MAX_SENDER_CHARS} characters'
    if sender != sender.encode("utf-8", "replace").decode("utf-8"):
        return None, '"sender" is not valid text'
    if not isinstance(message, str):
        return None, '"message" must be a string'
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        return None, '"metadata" must be an object'
    return {"sender": sender, "text": typed_text(message), "metadata": metadata}, None


class RestChannel(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        hook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @hook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            fields, error = parse_body(request)
            if error:
                return bad_request(error)
            collector = CollectingOutputChannel()
            failed = False
            try:
                await on_new_message(
                    UserMessage(
                        fields["text"],
                        collector,
                        fields["sender"],
                        input_channel=self.name(),
                        metadata=fields["metadata"],
                    )
                )
            except CancelledError:
                failed = True
                logger.error("rest: turn timed out")
            except Exception as exc:  # noqa: BLE001 - the person still gets a reply
                failed = True
                # The type only: a database error's text can quote the message.
                logger.error("rest: turn failed (%s)", type(exc).__name__)
            if failed:
                # Not kept (a database or lock store is down): 503, so a client
                # can tell it apart from a turn that was taken in, plus words.
                reply = {"recipient_id": fields["sender"], "text": UNAVAILABLE_REPLY}
                return response.json([reply], status=503)
            if not collector.messages:
                collector.messages.append(
                    {"recipient_id": fields["sender"], "text": SORRY_REPLY}
                )
            return response.json(collector.messages)

        return hook
