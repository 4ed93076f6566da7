"""Telegram: Rasa's ``TelegramInput``, verified and shaped for Telegram.

- Every webhook call must carry ``X-Telegram-Bot-Api-Secret-Token`` equal to
  ``TELEGRAM_SECRET_TOKEN`` (Telegram sends it once the webhook is registered
  with that secret): missing → 401, wrong → 403.
- At start the webhook is registered (``setWebhook`` with the secret) when
  ``TELEGRAM_WEBHOOK_URL`` is set, and the bot name is checked against
  ``getMe``.  If Telegram cannot be reached the server still starts and logs
  one error.  (Stock Rasa calls Telegram on start-up and on every message.)
- Buttons become an inline keyboard; a tap arrives as a ``callback_query``.
- Texts use Telegram's HTML mode and are split under 4096 characters.
- ``update_id`` guards against Telegram's retries.

credentials.yml (bot/server/serve.py writes it from the environment)::

    bot.channels.telegram.TelegramChannel:
      access_token: ${TELEGRAM_BOT_TOKEN}
      verify: ${TELEGRAM_BOT_NAME}
      webhook_url: ${TELEGRAM_WEBHOOK_URL}
      secret_token: ${TELEGRAM_SECRET_TOKEN}
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.telegram import TelegramInput
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
from bot.channels.render import TELEGRAM_MAX, Outgoing, split_text, telegram_html

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Room for the markup that telegram_html adds (<b>, </b>) within the limit.
TEXT_BUDGET = TELEGRAM_MAX - 200


def check_secret(expected: str, given: str | None) -> int | None:
    """None when the call is Telegram's; else the HTTP status to refuse with."""
    if not given:
        return 401
    if not expected or not hmac.compare_digest(expected.encode(), given.encode()):
        return 403
    return None


def keyboard(options: list[tuple[str, str]]) -> dict:
    """An inline keyboard: one row when the options are few and short."""
    buttons = [{"text": t[:64], "callback_data": p[:64]} for t, p in options]
    if len(buttons) <= 3 and sum(len(b["text"]) for b in buttons) <= 30:
        return {"inline_keyboard": [buttons]}
    return {"inline_keyboard": [[b] for b in buttons]}


def sends(chat_id: str, items: list[Outgoing]) -> list[dict]:
    """The ``sendMessage`` bodies for a turn's messages."""
    bodies = []
    for item in items:
        parts = split_text(item.text, TEXT_BUDGET) or [""]
        for i, part in enumerate(parts):
            body: dict[str, Any] = {
                "chat_id": chat_id,
                "text": telegram_html(part),
                "parse_mode": "HTML",
                "disable_web_page_preview": True,
            }
            if item.options and i == len(parts) - 1:
                body["reply_markup"] = keyboard(item.options)
            bodies.append(body)
    return bodies


def read_update(update: dict) -> tuple[str, str | None, bool, str | None] | None:
    """(chat id, text or None, is a button tap, callback id) or None to ignore."""
    query = update.get("callback_query")
    if query:
        chat = ((query.get("message") or {}).get("chat") or {}).get("id")
        if chat is None:
            chat = (query.get("from") or {}).get("id")
        if chat is None:
            return None
        return str(chat), str(query.get("data") or ""), True, query.get("id")
    message = update.get("message") or update.get("edited_message")
    if not message:
        return None  # member updates, polls, ...: nothing to answer
    chat = (message.get("chat") or {}).get("id")
    if chat is None or (message.get("from") or {}).get("is_bot"):
        return None
    text = message.get("text")
    if text is None:
        text = message.get("caption")
    return str(chat), text, False, None


class TelegramChannel(MessagingChannel, TelegramInput):
    api_url_var = "TELEGRAM_API_URL"
    default_api = "https://api.telegram.org"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TelegramChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(
            credentials.get("access_token"),
            credentials.get("verify"),
            credentials.get("webhook_url"),
            secret_token=credentials.get("secret_token"),
        )

    def __init__(
        self,
        access_token: str | None,
        verify: str | None,
        webhook_url: str | None,
        debug_mode: bool = False,
        secret_token: str | None = None,
    ) -> None:
        super().__init__(access_token, verify, webhook_url, debug_mode)
        self.secret_token = secret_token or ""

    def method_url(self, method: str) -> str:
        return f"{self.api}/bot{self.access_token}/{method}"

    async def deliver(self, recipient: str, items: list[Outgoing], context: dict):
        async with aiohttp.ClientSession(timeout=SEND_TIMEOUT) as session:
            if context.get("callback_id"):
                # Stops the spinner on the tapped button; not worth failing over.
                try:
                    await post(
                        session,
                        self.method_url("answerCallbackQuery"),
                        json={"callback_query_id": context["callback_id"]},
                    )
                except Exception:  # noqa: BLE001
                    pass
            for body in sends(recipient, items):
                await post(session, self.method_url("sendMessage"), json=body)

    async def register_webhook(self) -> None:
        """setWebhook with the secret, and a getMe name check; never raises."""
        try:
            async with aiohttp.ClientSession(timeout=SEND_TIMEOUT) as session:
                if self.verify:
                    me = await post(session, self.method_url("getMe"))
                    name = (me.get("result") or {}).get("username")
                    if name and name.lower() != self.verify.lstrip("@").lower():
                        logger.error(
                            "telegram: TELEGRAM_BOT_NAME does not match the bot "
                            "that TELEGRAM_BOT_TOKEN belongs to."
                        )
                if self.webhook_url:
                    await post(
                        session,
                        self.method_url("setWebhook"),
                        json={
                            "url": self.webhook_url,
                            "secret_token": self.secret_token,
                            "allowed_updates": [
                                "message",
                                "edited_message",
                                "callback_query",
                            ],
                        },
                    )
                    logger.info("telegram: webhook registered")
        except Exception as exc:  # noqa: BLE001 - start anyway, offline included
            logger.error(
                "telegram: could not reach Telegram to register the webhook (%s). "
                "The bot is running; Telegram delivers nothing until the webhook "
                "is set (restart the bot when Telegram is reachable).",
                type(exc).__name__,
            )

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        hook = self.new_blueprint("telegram_webhook")

        @hook.listener("after_server_start")
        async def _register(app, _loop) -> None:
            if self.webhook_url or self.verify:
                app.add_task(self.register_webhook())

        @hook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            status = check_secret(self.secret_token, request.headers.get(SECRET_HEADER))
            if status:
                return refuse(status, "missing or wrong Telegram secret token")
            update = request.json if isinstance(request.json, dict) else {}
            read = read_update(update)
            if read is None:
                return response.text("", status=200)
            chat, text, button, callback_id = read
            if text is not None and self.verify and not button:
                text = text.replace(f"@{self.verify.lstrip('@')}", " ").strip()
            return await self.run_turn(
                request,
                on_new_message,
                chat,
                text,
                key=message_key(update.get("update_id"), chat),
                button=button,
                context={"callback_id": callback_id},
            )

        return hook
