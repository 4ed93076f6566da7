"""A scripted stand-in for the Rasa server, for the widget's browser tests.

It mounts the project's real socket.io channel (``bot.channels.socketio``) on
a Sanic app exactly as ``rasa run`` does (same blueprint, same Sanic-CORS
set-up as ``--cors``), but answers from a small script instead of a trained
model.  So the widget, the channel's origin allow-list and session persistence
are exercised without a model, and it can send replies the real bot never
would (HTML in a bot message, for the XSS test).

Per-session state lives in memory, so a reload that continues the same
session is visible in the replies ("status" reports the turn count).

Usage: python tests/browser/scripted_bot.py --port 5123 [--origins a,b]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from rasa.core.channels.channel import UserMessage  # noqa: E402
from sanic import Sanic, response  # noqa: E402
from sanic_cors import CORS  # noqa: E402

from bot.channels.socketio import SocketIOChannel, parse_origins  # noqa: E402

YES_NO = [
    {"title": "Yes", "payload": "/affirm"},
    {"title": "No", "payload": "/deny"},
    {"title": "Not sure", "payload": "/not_sure"},
]

QUESTIONS = [
    "Has the twitching lasted **more than two weeks**?",
    "Does it spread to other parts of your face, or does the eyelid close completely?",
]

XSS_TEXT = (
    "Here is <b>markup</b> <img src=x onerror=\"window.__xss='bot-img'\"> and "
    "<script>window.__xss='bot-script'</script>\n"
    "**bold** and _italic_ and [a safe link](https://example.org/info) and "
    "[a bad link](javascript:window.__xss='bot-link')"
)

SESSIONS: dict[str, dict[str, Any]] = {}


def new_state() -> dict[str, Any]:
    return {"turns": 0, "step": 0, "first": None}


async def reply(message: UserMessage) -> None:
    out = message.output_channel
    sender = message.sender_id
    text = (message.text or "").strip()
    state = SESSIONS.setdefault(sender, new_state())

    async def say(payload: dict[str, Any]) -> None:
        await out.send_response(sender, dict(payload))

    if text == "/restart":
        SESSIONS[sender] = new_state()
        return

    state["turns"] += 1
    if state["first"] is None:
        state["first"] = text
    lowered = text.lower()

    if lowered == "status":
        await say(
            {"text": f"Session turn {state['turns']}. You first said: {state['first']}"}
        )
        return
    if "delete my data" in lowered:
        SESSIONS[sender] = new_state()
        # like the real bot's action_forget_me: the text, then the marker
        await say({"text": "Done: I have deleted this conversation."})
        await say({"custom": {"conversation_deleted": True}})
        return
    if "xss" in lowered:
        await say({"text": XSS_TEXT})
        return
    if "droop" in lowered:
        await say(
            {
                "text": "**This could be a stroke.** Call 911 now or go to the nearest emergency department.",
                "custom": {"triage_level": "emergency", "reason": "facial droop"},
            }
        )
        return
    if "worse" in lowered:
        # like the real bot's advice: 911 as a safety net, with a triage level
        await say(
            {
                "text": "See a doctor **today**. If it suddenly gets worse, call 911.",
                "custom": {"triage_level": "urgent"},
            }
        )
        return
    if "custom only" in lowered:
        # a custom payload alone (no text, no 911) must still raise the banner
        await say({"custom": {"triage_level": "emergency"}})
        await say({"text": "Please get help now."})
        return

    if "slow" in lowered:
        await asyncio.sleep(1.5)  # long enough to see the typing indicator

    step = state["step"]
    if step > 0 and not text.startswith("/"):
        # a question is open: only button payloads (/affirm, /deny, ...) count,
        # which proves that clicking a button sends its payload, not its title
        await say({"text": "Please answer with the buttons.", "buttons": YES_NO})
        return
    if step < len(QUESTIONS):
        state["step"] += 1
        if step == 0:
            await say({"text": "Thanks, I have a few questions.\n\nFirst one:"})
        await say({"text": QUESTIONS[step], "buttons": YES_NO})
        return

    state["step"] = 0
    await say(
        {
            "text": (
                "This sounds like a harmless twitch you can look after **at home** "
                "(self-care): sleep, less caffeine, less screen time.\n"
                "See [when to get help](https://example.org/help) if it changes."
            ),
            "custom": {"triage_level": "self_care"},
        }
    )
    await say({"text": "Call 911 if your face suddenly droops or one side goes weak."})


def create_app(origins: list[str]) -> Sanic:
    app = Sanic("scripted_widget_bot")
    # the same CORS set-up as rasa.server.configure_cors (`rasa run --cors ...`)
    app.config.CORS_AUTOMATIC_OPTIONS = True
    app.config.CORS_SUPPORTS_CREDENTIALS = True
    app.config.CORS_EXPOSE_HEADERS = "filename"
    CORS(app, resources={r"/*": {"origins": origins or ""}}, automatic_options=True)

    @app.get("/")
    async def hello(_request):
        return response.text("Hello from the scripted widget test bot")

    channel = SocketIOChannel.from_credentials(
        {
            "user_message_evt": "user_uttered",
            "bot_message_evt": "bot_uttered",
            "session_persistence": True,
            "cors_allowed_origins": origins,
        }
    )
    app.blueprint(channel.blueprint(reply), url_prefix=channel.url_prefix())
    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument(
        "--origins", default=os.environ.get("WIDGET_ALLOWED_ORIGINS", "")
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    app = create_app(parse_origins(args.origins))
    app.run(host=args.host, port=args.port, access_log=False, debug=False, workers=1)


if __name__ == "__main__":
    main()
