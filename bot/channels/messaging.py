"""What the four messaging channels (Telegram, Slack, Twilio, Messenger) share.

Each channel subclasses Rasa's own connector (same credentials keys, same
``/webhooks/<channel>/webhook`` path) and replaces its webhook with:

1. verify the call (each platform's signature) and refuse the rest with
   401/403 before anything reaches the tracker store;
2. skip a provider retry of a message already taken in (``Deliveries``);
3. map a numbered reply ("1") to the option it picks;
4. run the turn with a collecting output channel, so the whole reply can be
   ordered (emergency first and alone) and shaped for the platform
   (``bot.channels.render``);
5. send it to the provider's API over ``aiohttp``; a provider that is down is
   logged once per turn and never turns the webhook into a 500.

The stock output classes are not used for sending: Twilio's and Messenger's
are synchronous (they would block every conversation while a request hangs)
and none of them lets tests point the API base URL at a local fake.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from rasa.core.channels.channel import OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from bot.channels.render import Outgoing, button_options, from_rasa, pick_option

logger = logging.getLogger(__name__)

SEND_TIMEOUT = aiohttp.ClientTimeout(total=10, connect=5)
KEEP_DELIVERIES = dt.timedelta(days=2)  # providers retry for hours, not days
NOT_TEXT_REPLY = (
    "I can only read text messages. Please describe the twitching in words: "
    "where it is, which side, and how long it has been going on."
)
SORRY_REPLY = (
    "Sorry, something went wrong on my side. Please send your last message again."
)
# Chat commands people type by habit; anything else starting with "/" is
# read as words, so typed text can never inject an intent ("/affirm").
COMMANDS = {"/start": "hi", "/help": "help", "/restart": "/restart"}


def env_url(name: str, default: str) -> str:
    """A provider's API base URL, overridable (local fakes, proxies)."""
    return (os.environ.get(name) or default).rstrip("/")


def message_key(*parts: Any) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()


class Deliveries:
    """Provider message ids already taken in, in the app database."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url

    def first_time(self, channel: str, key: str) -> bool:
        """Records the id; False when it was seen before (a retry)."""
        from bot.kb.db import session_scope
        from bot.kb.schema import ChannelDelivery

        now = dt.datetime.utcnow()
        try:
            with session_scope(self.url) as session:
                session.add(
                    ChannelDelivery(channel=channel, message_key=key, received_at=now)
                )
                session.flush()
                session.execute(
                    delete(ChannelDelivery).where(
                        ChannelDelivery.received_at < now - KEEP_DELIVERIES
                    )
                )
        except IntegrityError:
            return False
        except Exception as exc:  # noqa: BLE001 - answering twice beats not answering
            logger.error(
                "%s: retry guard unavailable (%s)", channel, type(exc).__name__
            )
        return True

    def forget(self, channel: str, key: str) -> None:
        """Lets the provider's retry through when the turn itself failed."""
        from bot.kb.db import session_scope
        from bot.kb.schema import ChannelDelivery

        try:
            with session_scope(self.url) as session:
                session.execute(
                    delete(ChannelDelivery).where(
                        ChannelDelivery.channel == channel,
                        ChannelDelivery.message_key == key,
                    )
                )
        except Exception:  # noqa: BLE001
            logger.error("%s: could not release a failed delivery", channel)


class ProviderOutput(OutputChannel):
    """Sends each message to the provider as it comes."""

    def __init__(self, channel: MessagingChannel) -> None:
        self.channel = channel

    def name(self) -> str:  # type: ignore[override]
        return self.channel.channel_name()

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        await self.channel._send(recipient_id, from_rasa([dict(message)]), {})

    async def send_text_message(self, recipient_id: str, text: str, **kwargs) -> None:
        await self.channel._send(recipient_id, [Outgoing(text)], {})


class TurnCollector(OutputChannel):
    """Keeps the turn's messages whole (text, buttons and custom together)."""

    def __init__(self, channel: str) -> None:
        self.channel = channel
        self.messages: list[dict[str, Any]] = []

    def name(self) -> str:  # type: ignore[override]
        return self.channel

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.messages.append(dict(message))

    async def send_text_message(self, recipient_id: str, text: str, **kwargs) -> None:
        self.messages.append({"text": text})


def last_options(tracker) -> list[tuple[str, str]]:
    """Buttons the bot offered in its last turn (after the last user message)."""
    if tracker is None:
        return []
    for event in reversed(list(tracker.events)):
        if event.type_name == "user":
            return []
        if event.type_name == "bot":
            options = button_options((event.data or {}).get("buttons"))
            if options:
                return options
    return []


def typed_text(text: str) -> str:
    """What the person typed, made safe for Rasa: no intent injection, and
    text that encodes (a lone surrogate such as "\\ud800" from JSON becomes ?)."""
    text = text.encode("utf-8", "replace").decode("utf-8").strip()
    if text.startswith("/"):
        command = text.split()[0].split("@")[0].lower()
        return COMMANDS.get(command) or text.lstrip("/").strip()
    return text


class MessagingChannel:
    """Mixin for the Rasa input channel subclasses in this package."""

    deliveries = Deliveries()
    api_url_var = ""  # e.g. TELEGRAM_API_URL
    default_api = ""  # the provider's own API base URL

    @property
    def api(self) -> str:
        return env_url(self.api_url_var, self.default_api)

    def new_blueprint(self, name: str) -> Blueprint:
        """The channel's blueprint with Rasa's usual health route."""
        hook = Blueprint(name)  # Rasa sets the url_prefix when registering

        @hook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        return hook

    def channel_name(self) -> str:
        return self.name()  # type: ignore[attr-defined]

    async def deliver(self, recipient: str, items: list[Outgoing], context: dict):
        raise NotImplementedError

    async def offered(self, request: Request, sender: str) -> list[tuple[str, str]]:
        """The options of the bot's last turn, from the tracker store."""
        try:
            store = request.app.ctx.agent.tracker_store
            return last_options(await store.retrieve(sender))
        except Exception:  # noqa: BLE001 - without the tracker, no options
            return []

    async def run_turn(
        self,
        request: Request,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        sender: str,
        text: str | None,
        *,
        key: str,
        button: bool = False,
        numbered: bool = False,
        context: dict | None = None,
    ) -> HTTPResponse:
        """One inbound message → one turn → the reply at the provider."""
        name = self.channel_name()
        context = context or {}
        if not self.deliveries.first_time(name, key):
            logger.info("%s: provider retry skipped", name)
            return response.text("", status=200)
        if text is None:  # a sticker, photo, voice note...
            await self._send(sender, [Outgoing(NOT_TEXT_REPLY)], context)
            return response.text("", status=200)
        if button and text.startswith("/"):
            # An intent payload counts only if the bot offered it just now; a
            # crafted tap is read as typed words.
            if text not in [p for _, p in await self.offered(request, sender)]:
                button = False
        if not button:
            text = typed_text(text)
            if numbered:
                text = pick_option(text, await self.offered(request, sender)) or text
        collector = TurnCollector(name)
        try:
            await on_new_message(
                UserMessage(
                    text,
                    collector,
                    sender,
                    input_channel=name,
                    metadata=context.get("metadata"),
                )
            )
        except Exception as exc:  # noqa: BLE001
            # Say so, and let a resend of the same message through; no text logged.
            self.deliveries.forget(name, key)
            logger.error("%s: turn failed (%s)", name, type(exc).__name__)
            logger.debug("turn failure", exc_info=True)
            await self._send(sender, [Outgoing(SORRY_REPLY)], context)
            return response.text("", status=200)
        await self._send(sender, from_rasa(collector.messages), context)
        return response.text("", status=200)

    def get_output_channel(self, *args: Any, **kwargs: Any) -> OutputChannel:
        """For messages Rasa sends outside a webhook call (reminders, the
        trigger_intent API): sent straight to the provider."""
        return ProviderOutput(self)

    async def _send(self, sender: str, items: list[Outgoing], context: dict) -> None:
        if not items:
            return
        try:
            await self.deliver(sender, items, context)
        except Exception as exc:  # noqa: BLE001 - a provider outage must not 500
            logger.error(
                "%s: could not deliver the reply (%s: %s). The conversation is "
                "saved; the next message will be answered once the provider is back.",
                self.channel_name(),
                type(exc).__name__,
                _redact(str(exc)),
            )


def _redact(text: str) -> str:
    """Provider errors can echo URLs with tokens in them: keep them out of logs."""
    text = re.sub(r"bot\d+:[A-Za-z0-9_-]+", "bot<token>", text)
    text = re.sub(r"access_token=[^&\s]+", "access_token=<token>", text)
    return text[:200]


async def post(
    session: aiohttp.ClientSession, url: str, *, expect_json: bool = True, **kwargs
) -> dict:
    """POST and raise on an HTTP error; returns the JSON body (or {})."""
    async with session.post(url, **kwargs) as resp:
        body = await resp.text()
        if resp.status >= 400:
            raise ProviderError(f"HTTP {resp.status}")
        if not expect_json or not body:
            return {}
        try:
            return await resp.json(content_type=None)
        except ValueError:
            return {}


class ProviderError(RuntimeError):
    """The provider's API answered with an error."""


def refuse(status: int, why: str) -> HTTPResponse:
    """401 (no credentials) / 403 (wrong credentials): nothing is processed."""
    logger.warning("refused a webhook call: %s", why)
    return response.json({"error": why}, status=status)
