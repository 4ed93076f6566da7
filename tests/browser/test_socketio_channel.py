"""The widget's socket.io channel (bot/channels/socketio.py), at protocol level.

Runs against the scripted bot, which mounts the channel on Sanic with the
same CORS set-up as `rasa run --cors` and session_persistence on.

The Python client uses the long-polling transport: python-engineio 4.15's
asyncio WebSocket client needs aiohttp >= 3.10 (ClientWSTimeout) and Rasa 3.6
pins aiohttp 3.9.  The browser tests cover the WebSocket transport.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import urllib.request

import pytest
import socketio

from bot.channels.socketio import (
    SocketIOChannel,
    parse_origins,
    resolve_allowed_origins,
    valid_session_id,
)

from .conftest import SCRIPTED_ORIGIN

pytestmark = pytest.mark.browser


def run(coro):
    # own thread + loop: independent of Playwright's and pytest-asyncio's loops
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result(timeout=60)


class Client:
    def __init__(self, url: str, origin: str | None = SCRIPTED_ORIGIN):
        self.url = url
        self.origin = origin
        self.sio = socketio.AsyncClient(reconnection=False)
        self.messages: asyncio.Queue = asyncio.Queue()
        self.confirm: asyncio.Queue = asyncio.Queue()
        self.sio.on("bot_uttered", self.messages.put_nowait)
        self.sio.on("session_confirm", self.confirm.put_nowait)

    async def connect(self, transport: str = "polling") -> None:
        headers = {"Origin": self.origin} if self.origin else {}
        await self.sio.connect(
            self.url, headers=headers, transports=[transport], wait_timeout=10
        )

    async def session(self, session_id=None) -> str:
        await self.sio.emit("session_request", {"session_id": session_id})
        return await asyncio.wait_for(self.confirm.get(), 10)

    async def say(self, session_id: str, text: str) -> None:
        await self.sio.emit("user_uttered", {"message": text, "session_id": session_id})

    async def replies(self, quiet: float = 0.7, first: float = 10) -> list[dict]:
        out = [await asyncio.wait_for(self.messages.get(), first)]
        while True:
            try:
                out.append(await asyncio.wait_for(self.messages.get(), quiet))
            except asyncio.TimeoutError:
                return out


def test_allowed_origin_gets_replies_with_session_persistence(scripted_bot):
    transport = "polling"

    async def scenario():
        c = Client(scripted_bot.url)
        await c.connect(transport)
        sid = await c.session()
        assert valid_session_id(sid)
        await c.say(sid, "my eyelid twitches")
        replies = await c.replies()
        await c.sio.disconnect()
        # a second socket continuing the same session (a page reload)
        c2 = Client(scripted_bot.url)
        await c2.connect(transport)
        assert await c2.session(sid) == sid
        await c2.say(sid, "status")
        status = await c2.replies()
        await c2.sio.disconnect()
        return replies, status

    replies, status = run(scenario())
    assert any(r.get("quick_replies") for r in replies), replies
    buttons = [r for r in replies if r.get("quick_replies")][-1]["quick_replies"]
    assert [b["payload"] for b in buttons] == ["/affirm", "/deny", "/not_sure"]
    assert "Session turn 2" in status[0]["text"]


def test_disallowed_origin_is_refused(scripted_bot):
    async def scenario():
        c = Client(scripted_bot.url, origin="http://evil.example")
        await c.connect()

    with pytest.raises(socketio.exceptions.ConnectionError):
        run(scenario())


def test_client_without_origin_header_is_accepted(scripted_bot):
    async def scenario():
        c = Client(scripted_bot.url, origin=None)
        await c.connect()
        sid = await c.session()
        await c.sio.disconnect()
        return sid

    assert valid_session_id(run(scenario()))


def test_custom_payload_is_delivered(scripted_bot):
    async def scenario():
        c = Client(scripted_bot.url)
        await c.connect()
        sid = await c.session()
        await c.say(sid, "my face is drooping")
        replies = await c.replies()
        await c.sio.disconnect()
        return replies

    replies = run(scenario())
    assert any("911" in r.get("text", "") for r in replies), replies
    customs = [r["custom"] for r in replies if "custom" in r]
    assert customs and customs[0]["triage_level"] == "emergency", replies


def test_messages_for_a_session_not_joined_are_ignored(scripted_bot):
    async def scenario():
        victim = Client(scripted_bot.url)
        await victim.connect()
        sid = await victim.session()
        intruder = Client(scripted_bot.url)
        await intruder.connect()
        await intruder.session()  # joins its own session only
        await intruder.say(sid, "xss please")
        try:
            got = await victim.replies(first=2)
        except asyncio.TimeoutError:
            got = []
        await victim.sio.disconnect()
        await intruder.sio.disconnect()
        return got

    assert run(scenario()) == []


def test_malformed_session_id_is_replaced(scripted_bot):
    async def scenario():
        c = Client(scripted_bot.url)
        await c.connect()
        sid = await c.session("../../etc/passwd")
        await c.sio.disconnect()
        return sid

    sid = run(scenario())
    assert sid != "../../etc/passwd" and valid_session_id(sid)


def _handshake_headers(url: str, origin: str):
    req = urllib.request.Request(
        url + "/socket.io/?EIO=4&transport=polling", headers={"Origin": origin}
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.headers.get_all("Access-Control-Allow-Origin") or []


def test_polling_cors_header_only_for_allowed_origin_and_not_duplicated(scripted_bot):
    assert _handshake_headers(scripted_bot.url, SCRIPTED_ORIGIN) == [SCRIPTED_ORIGIN]
    assert _handshake_headers(scripted_bot.url, "http://evil.example") == []


def test_origin_configuration(monkeypatch):
    assert parse_origins(" http://a.org/ ,http://b.org,,http://a.org") == [
        "http://a.org",
        "http://b.org",
    ]
    monkeypatch.delenv("CORS_ORIGINS", raising=False)
    monkeypatch.delenv("WIDGET_ALLOWED_ORIGINS", raising=False)
    assert resolve_allowed_origins() == [
        "http://localhost:8080",
        "http://127.0.0.1:8080",
    ]
    monkeypatch.setenv("WIDGET_ALLOWED_ORIGINS", "https://w.org")
    assert resolve_allowed_origins() == ["https://w.org"]
    monkeypatch.setenv("CORS_ORIGINS", "https://c.org")
    assert resolve_allowed_origins() == ["https://c.org"]
    assert resolve_allowed_origins(["https://cred.org"]) == ["https://cred.org"]
    channel = SocketIOChannel.from_credentials(
        {"session_persistence": True, "cors_allowed_origins": "https://x.org"}
    )
    assert channel.origin_allowed("https://x.org")
    assert channel.origin_allowed(None)
    assert not channel.origin_allowed("https://y.org")
    assert SocketIOChannel.from_credentials(
        {"cors_allowed_origins": "*"}
    ).origin_allowed("https://any.org")
