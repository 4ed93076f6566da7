"""Socket.IO input channel for the website chat widget.

A subclass of Rasa 3.6's ``SocketIOInput`` that fixes three problems of the
stock channel for a public website widget:

1. Origin allow-list.  The stock channel accepts socket.io connections from
   any origin: it creates ``AsyncServer(cors_allowed_origins=[])``, which
   switches python-engineio's origin check off, and browsers do not apply CORS
   to WebSockets.  Here the socket.io ``connect`` handler refuses connections
   whose ``Origin`` header is not in the allow-list (a missing Origin, i.e. a
   non-browser client, is accepted, as engine.io itself does).  The list comes
   from the ``cors_allowed_origins`` credential or, if that is not set, from
   the ``CORS_ORIGINS`` or ``WIDGET_ALLOWED_ORIGINS`` environment variable
   (comma separated; the variables bot/server/serve.py turns into ``--cors``),
   defaulting to ``http://localhost:8080,http://127.0.0.1:8080``.
   engine.io's own CORS handling stays off on purpose: Rasa's ``--cors``
   (Sanic-CORS) already adds ``Access-Control-Allow-Origin`` to every route,
   including the long-polling transport, and letting engine.io add it as well
   produces a duplicated header that browsers reject.  So start Rasa with
   ``--cors`` set to the same origins.

2. Session persistence.  Rasa 3.6 calls ``sio.enter_room(...)`` without
   ``await``; since python-socketio 5.10 that is a coroutine, so with
   ``session_persistence: true`` the client never joins its session room and
   bot replies are lost (RasaHQ/rasa#13027).  The lock pins python-socketio
   5.9.0; this channel additionally awaits the call when it is awaitable, so
   it keeps working if the pin is ever lifted.

3. Custom payloads.  The stock ``send_custom_json`` does
   ``sio.emit(event, **json_message)``, which raises ``TypeError`` for any
   payload without a ``data`` key (e.g. ``{"triage_level": "emergency"}``).
   Here custom payloads are emitted as ``bot_uttered`` ``{"custom": {...}}``.

It also ignores user messages for a session id the socket has not joined via
``session_request`` (so a client cannot inject messages into another
conversation) and rejects malformed session ids.

credentials.yml::

    bot.channels.socketio.SocketIOChannel:
      user_message_evt: user_uttered
      bot_message_evt: bot_uttered
      session_persistence: true
      # optional; defaults to $CORS_ORIGINS / $WIDGET_ALLOWED_ORIGINS
      # cors_allowed_origins: "https://www.example.org"
"""

from __future__ import annotations

import inspect
import json
import logging
import os
import re
import uuid
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import rasa.core.channels.channel
import rasa.shared.utils.io
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot.channels.messaging import typed_text
from bot.channels.rest import UNAVAILABLE_REPLY

logger = logging.getLogger(__name__)

ORIGIN_ENV_VARS = ("CORS_ORIGINS", "WIDGET_ALLOWED_ORIGINS")
DEFAULT_ALLOWED_ORIGINS = "http://localhost:8080,http://127.0.0.1:8080"
SESSION_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_MESSAGE_CHARS = 2000


def parse_origins(value: None | str | Iterable[str]) -> list[str]:
    """Turns ``"a, b"`` or ``["a", "b"]`` into a de-duplicated list of origins."""
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    origins: list[str] = []
    for item in items:
        origin = str(item).strip().rstrip("/")
        if origin and origin not in origins:
            origins.append(origin)
    return origins


def resolve_allowed_origins(
    configured: None | str | Iterable[str] = None,
) -> list[str]:
    """Origin allow-list.

    The ``cors_allowed_origins`` credential, else ``$CORS_ORIGINS``, else
    ``$WIDGET_ALLOWED_ORIGINS`` (the same order bot/server/serve.py uses for Rasa's
    ``--cors``), else the default.
    """
    origins = parse_origins(configured)
    for name in ORIGIN_ENV_VARS:
        if not origins:
            origins = parse_origins(os.environ.get(name))
    if not origins:
        origins = parse_origins(DEFAULT_ALLOWED_ORIGINS)
    if "*" in origins:
        logger.warning(
            "socket.io origin allow-list contains '*': any website can talk to the bot."
        )
        return ["*"]
    return origins


async def _maybe_await(result: Any) -> Any:
    """python-socketio >= 5.10 made enter_room/leave_room coroutines."""
    if inspect.isawaitable(result):
        return await result
    return result


def valid_session_id(value: Any) -> str | None:
    if isinstance(value, str) and SESSION_ID_PATTERN.match(value):
        return value
    return None


# The button payloads each session was offered in the bot's last message: a
# typed "/intent" counts only if it is one of them (a tap), as on the
# messaging channels. Per process: socket.io sessions are sticky to one.
OFFERED: dict[str, set[str]] = {}
MAX_SESSIONS_TRACKED = 10_000


def safe_text(session_id: str, text: str) -> str:
    """A tapped payload the bot just offered passes; anything else is words."""
    if text.startswith("/") and text.strip() in OFFERED.get(session_id, ()):
        return text.strip()
    return typed_text(text)


class WidgetSocketIOOutput(SocketIOOutput):
    """Output channel that can send custom payloads and notes offered buttons."""

    async def _send_message(self, socket_id: str, response: Any) -> None:
        replies = response.get("quick_replies") if isinstance(response, dict) else None
        if replies:
            if len(OFFERED) > MAX_SESSIONS_TRACKED:
                OFFERED.clear()
            OFFERED[socket_id] = {str(r.get("payload", "")) for r in replies}
        await super()._send_message(socket_id, response)

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        """Sends ``{"custom": json_message}`` as a ``bot_uttered`` event."""
        await self._send_message(recipient_id, {"custom": json_message})


class SocketIOChannel(SocketIOInput):
    """Rasa's socket.io channel with an origin allow-list and the fixes above."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> SocketIOChannel:
        credentials = credentials or {}
        return cls(
            credentials.get("user_message_evt", "user_uttered"),
            credentials.get("bot_message_evt", "bot_uttered"),
            credentials.get("namespace"),
            credentials.get("session_persistence", False),
            credentials.get("socketio_path", "/socket.io"),
            credentials.get("jwt_key"),
            credentials.get("jwt_method", "HS256"),
            credentials.get("metadata_key", "metadata"),
            cors_allowed_origins=credentials.get("cors_allowed_origins"),
        )

    def __init__(
        self,
        user_message_evt: str = "user_uttered",
        bot_message_evt: str = "bot_uttered",
        namespace: str | None = None,
        session_persistence: bool = False,
        socketio_path: str | None = "/socket.io",
        jwt_key: str | None = None,
        jwt_method: str | None = "HS256",
        metadata_key: str | None = "metadata",
        cors_allowed_origins: None | str | Iterable[str] = None,
    ) -> None:
        super().__init__(
            user_message_evt,
            bot_message_evt,
            namespace,
            session_persistence,
            socketio_path,
            jwt_key,
            jwt_method,
            metadata_key,
        )
        self.cors_allowed_origins = resolve_allowed_origins(cors_allowed_origins)

    def get_output_channel(self) -> rasa.core.channels.channel.OutputChannel | None:
        if self.sio is None:
            return super().get_output_channel()
        return WidgetSocketIOOutput(self.sio, self.bot_message_evt)

    def origin_allowed(self, origin: str | None) -> bool:
        """True for listed origins and for clients that send no Origin header."""
        if not origin:
            return True
        if self.cors_allowed_origins == ["*"]:
            return True
        return origin.rstrip("/") in self.cors_allowed_origins

    def _rooms(self, sid: str) -> list[str]:
        try:
            return (
                list(self.sio.rooms(sid, namespace=self.namespace)) if self.sio else []
            )
        except (KeyError, ValueError, TypeError):
            return []

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """Defines the Sanic blueprint (same protocol as Rasa's SocketIOInput)."""
        logger.info(
            "socket.io allowed origins: %s", ", ".join(self.cors_allowed_origins)
        )
        # cors_allowed_origins=[]: engine.io adds no CORS headers (Sanic-CORS
        # does, via `rasa run --cors`); origins are checked in `connect` below.
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[])
        socketio_webhook = SocketBlueprint(
            sio, self.socketio_path, "socketio_webhook", __name__
        )
        self.sio = sio

        @socketio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: dict, auth: dict | None) -> bool:
            origin = environ.get("HTTP_ORIGIN")
            if not self.origin_allowed(origin):
                logger.warning(f"Refused socket.io connection from origin {origin!r}.")
                return False
            if self.jwt_key:
                jwt_payload = None
                if auth and auth.get("token"):
                    jwt_payload = rasa.core.channels.channel.decode_bearer_token(
                        auth.get("token"), self.jwt_key, self.jwt_algorithm
                    )
                if not jwt_payload:
                    return False
            logger.debug(f"User {sid} connected to socketIO endpoint.")
            return True

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: str) -> None:
            logger.debug(f"User {sid} disconnected from socketIO endpoint.")

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: dict | None) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = valid_session_id(requested) or uuid.uuid4().hex
            if self.session_persistence:
                # one conversation per socket: leave rooms of earlier sessions
                for room in self._rooms(sid):
                    if room not in (sid, session_id):
                        await _maybe_await(
                            sio.leave_room(sid, room, namespace=self.namespace)
                        )
                await _maybe_await(
                    sio.enter_room(sid, session_id, namespace=self.namespace)
                )
            await sio.emit(
                "session_confirm", session_id, room=sid, namespace=self.namespace
            )
            logger.debug(f"User {sid} started session {session_id}.")

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any) -> None:
            if not isinstance(data, dict):
                return
            output_channel = WidgetSocketIOOutput(sio, self.bot_message_evt)

            if self.session_persistence:
                sender_id = data.get("session_id")
                if not sender_id:
                    rasa.shared.utils.io.raise_warning(
                        "A message without a valid session_id was received. This "
                        "message will be ignored. Make sure to set a proper session "
                        "id using the `session_request` socketIO event."
                    )
                    return
                if sender_id not in self._rooms(sid):
                    logger.warning(
                        "Ignoring a message for session %s: socket %s did not join it "
                        "with session_request.",
                        sender_id,
                        sid,
                    )
                    return
            else:
                sender_id = sid

            text = data.get("message", "")
            if not isinstance(text, str):
                return
            # The messaging channels' guard: typed "/intent{...}" is read as
            # words, lone surrogates are replaced.
            text = safe_text(sender_id, text[:MAX_MESSAGE_CHARS])

            metadata = data.get(self.metadata_key, {})
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            if not isinstance(metadata, dict):
                metadata = {}

            message = UserMessage(
                text,
                output_channel,
                sender_id,
                input_channel=self.name(),
                metadata=metadata,
            )
            try:
                await on_new_message(message)
            except Exception as exc:  # noqa: BLE001 - say so instead of silence
                logger.error("socket.io: turn failed (%s)", type(exc).__name__)
                await sio.emit(
                    self.bot_message_evt,
                    {"text": UNAVAILABLE_REPLY},
                    room=sender_id,
                    namespace=self.namespace,
                )

        return socketio_webhook
