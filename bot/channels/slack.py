"""Slack: Rasa's ``SlackInput``, verified and shaped for Slack.

- Every call is checked with the signing secret (``X-Slack-Signature`` over
  ``v0:<timestamp>:<body>``, timestamp within 5 minutes, Rasa's own check):
  missing → 401, wrong or stale → 403.  Stock Rasa answers 400.
- The ``url_verification`` challenge is answered only when signed.
- Events: direct messages and @mentions; bot messages and edits are ignored.
  Slack's retries (same ``event_id``) are not processed twice.
- Buttons become Block Kit buttons; a click arrives as a ``block_actions``
  payload and its value is the button's payload.
- Texts use Slack mrkdwn, split under a section block's 3000 characters.

credentials.yml (bot/server/serve.py writes it from the environment)::

    bot.channels.slack.SlackChannel:
      slack_token: ${SLACK_BOT_TOKEN}
      slack_signing_secret: ${SLACK_SIGNING_SECRET}
"""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.slack import SlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.messaging import (
    SEND_TIMEOUT,
    MessagingChannel,
    ProviderError,
    message_key,
    post,
    refuse,
)
from bot.channels.render import SLACK_SECTION_MAX, Outgoing, slack_mrkdwn, split_text

logger = logging.getLogger(__name__)

IGNORED_SUBTYPES = {"message_changed", "message_deleted", "bot_message"}


def blocks(item_text: str, options: list[tuple[str, str]]) -> list[dict]:
    """A mrkdwn section plus, when there are options, rows of buttons."""
    result: list[dict] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": item_text}}
    ]
    for start in range(0, len(options), 5):
        result.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": title[:75]},
                        "value": payload[:2000],
                        "action_id": f"option_{start + i}",
                    }
                    for i, (title, payload) in enumerate(options[start : start + 5])
                ],
            }
        )
    return result


def posts(channel: str, items: list[Outgoing]) -> list[dict]:
    """The ``chat.postMessage`` bodies for a turn's messages."""
    bodies = []
    for item in items:
        parts = split_text(slack_mrkdwn(item.text), SLACK_SECTION_MAX - 100)
        for i, part in enumerate(parts):
            options = item.options if i == len(parts) - 1 else []
            bodies.append(
                {"channel": channel, "text": part, "blocks": blocks(part, options)}
            )
    return bodies


class SlackChannel(MessagingChannel, SlackInput):
    api_url_var = "SLACK_API_URL"
    default_api = "https://slack.com/api"

    async def deliver(self, recipient: str, items: list[Outgoing], context: dict):
        channel = context.get("channel") or recipient
        headers = {"Authorization": f"Bearer {self.slack_token}"}
        async with aiohttp.ClientSession(timeout=SEND_TIMEOUT) as session:
            for body in posts(channel, items):
                answer = await post(
                    session, f"{self.api}/chat.postMessage", json=body, headers=headers
                )
                if answer.get("ok") is False:
                    raise ProviderError(f"Slack error {answer.get('error')}")

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        hook = self.new_blueprint("slack_webhook")

        @hook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not request.headers.get("X-Slack-Signature") or not request.headers.get(
                "X-Slack-Request-Timestamp"
            ):
                return refuse(401, "missing Slack signature")
            if not self.is_request_from_slack_authentic(request):
                return refuse(403, "wrong or expired Slack signature")
            content_type = (request.headers.get("content-type") or "").split(";")[0]
            if content_type == "application/json":
                return await self._event(request, on_new_message)
            if content_type == "application/x-www-form-urlencoded":
                return await self._interaction(request, on_new_message)
            return response.text("", status=200)

        return hook

    async def _event(self, request: Request, on_new_message) -> HTTPResponse:
        body = request.json if isinstance(request.json, dict) else {}
        if body.get("type") == "url_verification":
            return response.json({"challenge": body.get("challenge", "")})
        event = body.get("event") or {}
        if (
            body.get("type") != "event_callback"
            or event.get("type") not in ("message", "app_mention")
            or event.get("bot_id")
            or event.get("subtype") in IGNORED_SUBTYPES
            or not event.get("user")
        ):
            return response.text("", status=200)
        if event.get("type") == "message" and event.get("channel_type") not in (
            "im",
            None,
        ):
            return response.text("", status=200)  # channel chatter: mentions only
        users = [
            a.get("user_id")
            for a in body.get("authorizations") or []
            if a.get("user_id")
        ]
        text = event.get("text")
        if event.get("files") and not (text or "").strip():
            text = None  # a file without words
        if text is not None:
            # Slack escapes &, < and > in message text; mentions are <@U…>.
            text = html.unescape(self._sanitize_user_message(text, users))
        return await self.run_turn(
            request,
            on_new_message,
            event["user"],
            text,
            key=message_key(body.get("event_id") or event.get("ts"), event["user"]),
            context={"channel": event.get("channel")},
        )

    async def _interaction(self, request: Request, on_new_message) -> HTTPResponse:
        try:
            payload = json.loads(request.form.get("payload") or "{}")
        except ValueError:
            return response.text("", status=200)
        actions = payload.get("actions") or []
        user = (payload.get("user") or {}).get("id")
        if not actions or not user or not self._is_interactive_message(payload):
            return response.text("", status=200)
        value = self._get_interactive_response(actions[0])
        if value is None:
            return response.text("", status=200)  # a link button
        return await self.run_turn(
            request,
            on_new_message,
            user,
            value,
            key=message_key(actions[0].get("action_ts"), user, value),
            button=True,
            context={"channel": (payload.get("channel") or {}).get("id")},
        )
