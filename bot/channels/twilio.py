"""SMS and WhatsApp through Twilio: Rasa's ``TwilioInput``, verified and shaped.

- Every call must carry a valid ``X-Twilio-Signature`` (HMAC-SHA1 of the
  webhook URL plus the sorted form fields, keyed with ``TWILIO_AUTH_TOKEN``);
  Rasa 3.6 does not check it.  Missing → 401, wrong → 403.  The URL Twilio
  signed is the public one: set ``TWILIO_WEBHOOK_URL`` when the bot sits
  behind a proxy; ``X-Forwarded-Proto``/``-Host`` are honoured too.
- One number serves both: a sender ``whatsapp:+1…`` is answered from
  ``whatsapp:<TWILIO_NUMBER>``, a plain number by SMS.
- Neither has buttons, so options become a numbered list and a reply of "1"
  (or the option's words, or "yes") picks one.
- SMS: markdown stripped, typography and emoji swapped for GSM-7 so a segment
  holds 160 characters rather than 70, messages split before 10 segments.
  WhatsApp: *bold* kept, split under Twilio's 1600 characters.
- ``MessageSid`` guards against Twilio's retries.  SMS opt-out words (STOP,
  UNSUBSCRIBE, ...) are left to Twilio, which answers them itself.

credentials.yml (bot/server/serve.py writes it from the environment)::

    bot.channels.twilio.TwilioChannel:
      account_sid: ${TWILIO_ACCOUNT_SID}
      auth_token: ${TWILIO_AUTH_TOKEN}
      twilio_number: ${TWILIO_NUMBER}
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import aiohttp
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.twilio import TwilioInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from bot.channels.messaging import (
    SEND_TIMEOUT,
    MessagingChannel,
    message_key,
    post,
    refuse,
)
from bot.channels.render import (
    TWILIO_BODY_MAX,
    Outgoing,
    gsm7,
    numbered,
    plain,
    sms_limit,
    split_text,
    whatsapp,
)

logger = logging.getLogger(__name__)

WHATSAPP = "whatsapp:"
# Twilio's own SMS opt-out words: Twilio answers them and blocks further
# texts to that number, so the bot stays silent (a reply would be refused).
OPT_OUT = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def signed_urls(request: Request, configured: str | None) -> list[str]:
    """The URLs Twilio may have signed: configured, as received, as forwarded."""
    urls = [configured] if configured else []
    urls.append(request.url)
    proto = request.headers.get("X-Forwarded-Proto")
    host = request.headers.get("X-Forwarded-Host")
    if proto or host:
        parts = urlsplit(request.url)
        urls.append(
            urlunsplit(
                (
                    (proto or parts.scheme).split(",")[0].strip(),
                    (host or parts.netloc).split(",")[0].strip(),
                    parts.path,
                    parts.query,
                    "",
                )
            )
        )
    return urls


def check_signature(
    auth_token: str, urls: list[str], params: dict[str, str], signature: str | None
) -> int | None:
    """None when Twilio signed this call; else the HTTP status to refuse with."""
    if not signature:
        return 401
    validator = RequestValidator(auth_token)
    if any(validator.validate(url, params, signature) for url in urls):
        return None
    return 403


def bodies(items: list[Outgoing], on_whatsapp: bool) -> list[str]:
    """The message bodies for a turn: numbered options, sized for SMS/WhatsApp."""
    result = []
    for item in items:
        text = numbered(item.text, item.options)
        if on_whatsapp:
            result += split_text(whatsapp(text), TWILIO_BODY_MAX)
        else:
            text = gsm7(plain(text))
            result += split_text(text, sms_limit(text))
    return result


class TwilioChannel(MessagingChannel, TwilioInput):
    api_url_var = "TWILIO_API_URL"
    default_api = "https://api.twilio.com"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TwilioChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(
            credentials.get("account_sid"),
            credentials.get("auth_token"),
            credentials.get("twilio_number"),
            webhook_url=credentials.get("webhook_url"),
        )

    def __init__(
        self,
        account_sid: str | None,
        auth_token: str | None,
        twilio_number: str | None,
        debug_mode: bool = False,
        webhook_url: str | None = None,
    ) -> None:
        number = (twilio_number or "").strip()
        if number.startswith(WHATSAPP):
            number = number[len(WHATSAPP) :]
        super().__init__(account_sid, auth_token, number, debug_mode)
        self.webhook_url = webhook_url

    async def deliver(self, recipient: str, items: list[Outgoing], context: dict):
        on_whatsapp = recipient.startswith(WHATSAPP)
        sender = (
            f"{WHATSAPP}{self.twilio_number}" if on_whatsapp else self.twilio_number
        )
        url = f"{self.api}/2010-04-01/Accounts/{self.account_sid}/Messages.json"
        auth = aiohttp.BasicAuth(self.account_sid or "", self.auth_token or "")
        async with aiohttp.ClientSession(timeout=SEND_TIMEOUT, auth=auth) as session:
            for body in bodies(items, on_whatsapp):
                await post(
                    session, url, data={"To": recipient, "From": sender, "Body": body}
                )

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        hook = self.new_blueprint("twilio_webhook")

        @hook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            # Parsed here, not with request.form, which drops empty fields
            # (a photo comes with Body=) and would break the signature.
            params = dict(
                parse_qsl(
                    request.body.decode("utf-8", "replace"), keep_blank_values=True
                )
            )
            status = check_signature(
                self.auth_token or "",
                signed_urls(request, self.webhook_url),
                params,
                request.headers.get("X-Twilio-Signature"),
            )
            if status:
                return refuse(status, "missing or wrong Twilio signature")
            sender = params.get("From")
            if not sender:
                return twiml()
            text = params.get("Body")
            if (
                not sender.startswith(WHATSAPP)
                and (text or "").strip().upper() in OPT_OUT
            ):
                return twiml()
            if not (text or "").strip() and int(params.get("NumMedia") or 0) > 0:
                text = None  # a photo or voice note without words
            elif text is not None:
                text = text.replace("¡", "@")  # some carriers mangle @
            await self.run_turn(
                request,
                on_new_message,
                sender,
                text,
                key=message_key(
                    params.get("MessageSid") or params.get("SmsMessageSid"), sender
                ),
                numbered=True,
            )
            return twiml()

        return hook


def twiml() -> HTTPResponse:
    """An empty TwiML answer: the replies go out through the REST API."""
    return response.text(EMPTY_TWIML, content_type="text/xml")
