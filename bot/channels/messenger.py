"""Facebook Messenger: Rasa's ``FacebookInput``, verified and shaped.

- ``GET`` webhook verification answers ``hub.challenge`` only for
  ``hub.mode=subscribe`` with the right ``FACEBOOK_VERIFY_TOKEN``, else 403.
- Every ``POST`` must carry ``X-Hub-Signature-256`` (``sha256=`` HMAC of the
  raw body with ``FACEBOOK_APP_SECRET``): missing → 401, wrong → 403.  Rasa
  3.6 checks only the older SHA-1 header.
- Every messaging event in a batch is handled (stock Rasa stops at the first);
  echoes, deliveries and reads are ignored; ``mid`` guards against retries.
- Buttons become quick replies (up to 13, titles up to 20 characters); a tap
  arrives with ``quick_reply.payload``.  Texts are plain, split under 2000.

credentials.yml (bot/server/serve.py writes it from the environment)::

    bot.channels.messenger.MessengerChannel:
      verify: ${FACEBOOK_VERIFY_TOKEN}
      secret: ${FACEBOOK_APP_SECRET}
      page-access-token: ${FACEBOOK_PAGE_ACCESS_TOKEN}
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.facebook import FacebookInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.messaging import (
    SEND_TIMEOUT,
    MessagingChannel,
    message_key,
    post,
    refuse,
)
from bot.channels.render import (
    MESSENGER_MAX,
    MESSENGER_QUICK_REPLIES_MAX,
    MESSENGER_TITLE_MAX,
    Outgoing,
    plain,
    split_text,
)

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Hub-Signature-256"


def check_signature(app_secret: str, body: bytes, header: str | None) -> int | None:
    """None when Meta signed this body; else the HTTP status to refuse with."""
    if not header:
        return 401
    expected = (
        "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    )
    if not app_secret or not hmac.compare_digest(expected, header.strip()):
        return 403
    return None


def messages(recipient: str, items: list[Outgoing]) -> list[dict]:
    """The Send API bodies for a turn's messages."""
    result = []
    for item in items:
        parts = split_text(plain(item.text), MESSENGER_MAX)
        for i, part in enumerate(parts):
            message: dict[str, Any] = {"text": part}
            if item.options and i == len(parts) - 1:
                message["quick_replies"] = [
                    {
                        "content_type": "text",
                        "title": title[:MESSENGER_TITLE_MAX],
                        "payload": payload[:1000],
                    }
                    for title, payload in item.options[:MESSENGER_QUICK_REPLIES_MAX]
                ]
            result.append(
                {
                    "recipient": {"id": recipient},
                    "messaging_type": "RESPONSE",
                    "message": message,
                }
            )
    return result


def read_event(event: dict) -> tuple[str, str | None, bool, str] | None:
    """(sender, text or None, is a button tap, retry key) or None to ignore."""
    sender = (event.get("sender") or {}).get("id")
    if not sender:
        return None
    message = event.get("message")
    if message is not None:
        if message.get("is_echo"):
            return None
        key = message.get("mid") or f"{sender}:{event.get('timestamp')}"
        quick = (message.get("quick_reply") or {}).get("payload")
        if quick:
            return sender, quick, True, key
        return sender, message.get("text"), False, key
    postback = event.get("postback")
    if postback is not None:
        key = postback.get("mid") or f"{sender}:{event.get('timestamp')}:pb"
        return sender, postback.get("payload") or postback.get("title"), True, key
    return None  # delivery, read, reaction...


class MessengerChannel(MessagingChannel, FacebookInput):
    api_url_var = "FACEBOOK_API_URL"
    default_api = "https://graph.facebook.com/v18.0"

    async def deliver(self, recipient: str, items: list[Outgoing], context: dict):
        url = f"{self.api}/me/messages"
        params = {"access_token": self.fb_access_token or ""}
        async with aiohttp.ClientSession(timeout=SEND_TIMEOUT) as session:
            for body in messages(recipient, items):
                await post(session, url, params=params, json=body)

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        hook = self.new_blueprint("fb_webhook")

        @hook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            token = request.args.get("hub.verify_token") or ""
            if (
                request.args.get("hub.mode") == "subscribe"
                and self.fb_verify
                and hmac.compare_digest(token.encode(), self.fb_verify.encode())
            ):
                return response.text(request.args.get("hub.challenge") or "")
            return refuse(403, "wrong Messenger verify token")

        @hook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            status = check_signature(
                self.fb_secret or "",
                request.body,
                request.headers.get(SIGNATURE_HEADER),
            )
            if status:
                return refuse(status, "missing or wrong X-Hub-Signature-256")
            body = request.json if isinstance(request.json, dict) else {}
            if body.get("object") != "page":
                return response.text("EVENT_RECEIVED", status=200)
            for entry in body.get("entry") or []:
                for event in entry.get("messaging") or []:
                    read = read_event(event)
                    if read is None:
                        continue
                    sender, text, button, key = read
                    await self.run_turn(
                        request,
                        on_new_message,
                        sender,
                        text,
                        key=message_key(key),
                        button=button,
                    )
            return response.text("EVENT_RECEIVED", status=200)

        return hook
