"""Makes any user input safe to process: empty, huge, binary-looking, HTML."""

from __future__ import annotations

import html
import re
import unicodedata

MAX_CHARS = 2000  # longer messages are cut here (documented in the README)
_TAGS = re.compile(r"<[^>]{0,200}>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Text as the bot reads it: no tags, no control characters, capped length."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _CONTROL.sub(" ", text)
    text = _TAGS.sub(" ", html.unescape(text))
    return text[:MAX_CHARS].strip()


def classify(text: str) -> str | None:
    """Why a message cannot be read as a description, or None when it can."""
    raw = text or ""
    if not raw.strip():
        return "empty"
    cleaned = clean_text(raw)
    letters = sum(ch.isalpha() for ch in cleaned)
    if not cleaned or letters == 0:
        return "no_words"
    latin = sum(ch.isascii() for ch in cleaned if ch.isalpha())
    if letters >= 8 and latin / letters < 0.5:
        return "other_language"
    return None


def was_truncated(text: str) -> bool:
    return len(text or "") > MAX_CHARS
