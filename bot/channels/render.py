"""How the bot's messages look on each messaging platform.

Pure functions, no I/O: the channels collect a turn's messages from Rasa, turn
them into ``Outgoing`` items here, then send them.  Rules:

- an emergency message goes first and on its own (never merged, no options);
- payloads meant for the web widget (``triage_level``, ``conversation_deleted``)
  are not sent as text;
- buttons stay buttons where the platform has them; on SMS/WhatsApp they become
  numbered options, and a reply of "1" (or the option's words) picks one;
- markdown becomes the platform's own markup, or plain text;
- long texts are split at paragraph, line or sentence ends under the
  platform's limit.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

EMERGENCY = "emergency"
WIDGET_ONLY_KEYS = frozenset({"triage_level", "conversation_deleted"})

# Platform limits (characters) that the bot's own texts must respect.
TELEGRAM_MAX = 4096
SLACK_SECTION_MAX = 3000  # a Block Kit section's text
MESSENGER_MAX = 2000
MESSENGER_QUICK_REPLIES_MAX = 13
MESSENGER_TITLE_MAX = 20
TWILIO_BODY_MAX = 1600  # Twilio refuses longer bodies (SMS and WhatsApp)
SMS_MAX_SEGMENTS = 10  # about 1530 GSM-7 characters, split before that

# GSM 03.38 basic character set and its extension table (each extension
# character costs two septets).  Anything else forces UCS-2: 70 characters a
# segment instead of 160.
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")

# Typography that would push an SMS to UCS-2, and its GSM-7 stand-in.
GSM7_STAND_INS = {
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "–": "-",
    "—": "-",
    "…": "...",
    "•": "-",
    "\u00a0": " ",
    "🚨": "EMERGENCY:",
    "⚠️": "",
    "⚠": "",
    "🩺": "",
    "✅": "",
    "\ufe0f": "",
}

BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)")


@dataclass
class Outgoing:
    """One message to send: text plus the options the person can pick."""

    text: str
    options: list[tuple[str, str]] = field(default_factory=list)  # (title, payload)
    emergency: bool = False


def button_options(buttons: list[dict] | None) -> list[tuple[str, str]]:
    """Rasa buttons → (title, payload) pairs, in order."""
    return [
        (str(b.get("title") or b.get("payload")), str(b.get("payload") or ""))
        for b in buttons or []
        if b.get("payload") or b.get("title")
    ]


def from_rasa(messages: list[dict]) -> list[Outgoing]:
    """Rasa's collected bot messages → what to send, emergency first and alone."""
    items: list[Outgoing] = []
    for message in messages:
        custom = message.get("custom") or {}
        text = (message.get("text") or "").strip()
        options = button_options(message.get("buttons"))
        if not text and custom and set(custom) - WIDGET_ONLY_KEYS:
            # A custom payload for some other client: nothing to show here.
            continue
        if not text and not options:
            continue
        emergency = isinstance(custom, dict) and custom.get("triage_level") == EMERGENCY
        items.append(Outgoing(text, options, emergency))
    urgent = [i for i in items if i.emergency]
    for item in urgent:
        item.options = []  # nothing may be attached to the emergency advice
    return urgent + [i for i in items if not i.emergency]


# --- markup ---------------------------------------------------------------


def plain(text: str) -> str:
    """Markdown → plain text (SMS, WhatsApp, Messenger)."""
    text = LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", text)
    return BOLD.sub(r"\1", text)


def whatsapp(text: str) -> str:
    """Markdown → WhatsApp's own *bold*."""
    text = LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", text)
    return BOLD.sub(r"*\1*", text)


def slack_mrkdwn(text: str) -> str:
    """Markdown → Slack mrkdwn; &, < and > escaped as Slack asks."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = LINK.sub(lambda m: f"<{m.group(2)}|{m.group(1)}>", text)
    return BOLD.sub(r"*\1*", text)


def telegram_html(text: str) -> str:
    """Markdown → Telegram's HTML parse mode, everything else escaped."""
    out, last = [], 0
    pattern = re.compile(f"{BOLD.pattern}|{LINK.pattern}", re.S)
    for m in pattern.finditer(text):
        out.append(html.escape(text[last : m.start()], quote=False))
        if m.group(1) is not None:
            out.append(f"<b>{html.escape(m.group(1), quote=False)}</b>")
        else:
            label, url = m.group(2), m.group(3)
            out.append(f'<a href="{html.escape(url)}">{html.escape(label)}</a>')
        last = m.end()
    out.append(html.escape(text[last:], quote=False))
    return "".join(out)


def gsm7(text: str) -> str:
    """Swap typography that would force UCS-2 for GSM-7 look-alikes."""
    for char, stand_in in GSM7_STAND_INS.items():
        text = text.replace(char, stand_in)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


# --- length ---------------------------------------------------------------


def sms_segments(text: str) -> int:
    """How many SMS segments ``text`` costs (GSM-7: 160/153, UCS-2: 70/67)."""
    if all(c in GSM7_BASIC or c in GSM7_EXTENDED for c in text):
        units = sum(2 if c in GSM7_EXTENDED else 1 for c in text)
        single, multi = 160, 153
    else:
        units = sum(2 if ord(c) > 0xFFFF else 1 for c in text)  # UTF-16 units
        single, multi = 70, 67
    if units <= single:
        return 1
    return -(-units // multi)


def sms_limit(text: str) -> int:
    """Characters that fit in SMS_MAX_SEGMENTS segments for this text's encoding."""
    gsm = all(c in GSM7_BASIC or c in GSM7_EXTENDED for c in text)
    return min(TWILIO_BODY_MAX, (153 if gsm else 67) * SMS_MAX_SEGMENTS - 10)


def split_text(text: str, limit: int) -> list[str]:
    """Cut ``text`` into parts of at most ``limit`` characters, at the latest
    paragraph, line, sentence or word end; never mid-word unless a word is
    longer than the limit."""
    text = text.strip()
    parts: list[str] = []
    while len(text) > limit:
        window = text[: limit + 1]
        cut = -1
        for sep in ("\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " "):
            at = window.rfind(sep)
            if at > limit // 3:
                cut = at + (1 if sep.strip() else 0)
                break
        if cut <= 0:
            cut = limit
        parts.append(text[:cut].strip())
        text = text[cut:].strip()
    if text:
        parts.append(text)
    return parts


# --- numbered options (SMS / WhatsApp) --------------------------------------


def numbered(text: str, options: list[tuple[str, str]]) -> str:
    """Adds "Reply 1, 2 or 3:" and the numbered option titles to a text."""
    if not options:
        return text
    numbers = [str(i) for i in range(1, len(options) + 1)]
    head = (
        f"Reply {', '.join(numbers[:-1])} or {numbers[-1]}:"
        if len(numbers) > 1
        else f"Reply {numbers[0]}:"
    )
    lines = [f"{n}. {title}" for n, (title, _) in zip(numbers, options, strict=False)]
    return f"{text}\n\n{head}\n" + "\n".join(lines)


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]+", "", text.lower()).strip()


def pick_option(reply: str, options: list[tuple[str, str]]) -> str | None:
    """The payload a reply picks: its number ("1", "1.", "#2", "option 3") or
    the option's exact words ("Not sure").  None when it picks nothing, so
    free text goes to the NLU as it is."""
    if not options:
        return None
    m = re.fullmatch(r"\s*(?:option\s*|no\.?\s*|#)?(\d{1,2})\s*[.)]?\s*", reply, re.I)
    if m:
        n = int(m.group(1))
        return options[n - 1][1] if 1 <= n <= len(options) else None
    said = _norm(reply)
    for title, payload in options:
        if said and said == _norm(title):
            return payload
    return None
