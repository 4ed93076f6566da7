"""Is a message a question? A rule that backs up the intent classifier.

DIET sometimes files a rare question under a frequent intent ("can I take
botox for this?" read as goodbye because of "take"). A question shape is a
strong, cheap signal: a question mark, or a first word that opens questions.
"""

from __future__ import annotations

import re

from bot.understanding.extraction import QUESTION_OPENERS

OPENERS = QUESTION_OPENERS | {
    "why", "when", "where", "who", "whats", "what's", "which", "explain",
    "define", "tell", "am",
}  # fmt: skip
# These open a question even in two words: "explain synkinesis", "why twitching?"
STRONG_OPENERS = {"explain", "define", "what", "whats", "what's", "why", "how"}
_WORD = re.compile(r"[a-z']+")


def looks_like_question(text: str) -> bool:
    words = _WORD.findall(text.lower())
    if len(words) < 3 and not (len(words) == 2 and words[0] in STRONG_OPENERS):
        return False  # "no?", "not sure?" answer a question, they don't ask one
    if words[1] in {"n't", "not"} or words[0].endswith("n't"):
        return False  # "doesn't hurt", "isn't painful"
    return text.rstrip().endswith("?") or words[0] in OPENERS


# A question asked after a statement: "my face twitch might be an emergency,
# what do i do". Its clause is what is asked.
TRAILING_OPENERS = {"what", "how", "why", "should", "can", "could", "is", "do", "does",
                    "will", "would", "who", "where", "when"}  # fmt: skip


def trailing_question(text: str) -> str | None:
    """The question clause that ends a message, if one does (at least 3 words)."""
    clauses = [c for c in re.split(r"[,;.!?\n]|\s[-—–]\s", text) if c.strip()]
    if len(clauses) < 2:
        return None
    words = _WORD.findall(clauses[-1].lower())
    if len(words) >= 3 and words[0] in TRAILING_OPENERS:
        return clauses[-1].strip() + "?"
    return None
