"""rasa-sdk actions: a thin layer over bot/. One action, one call per user turn.

action_turn reads the understood message and the slots, lets the pure state
machine (bot/dialogue/turn.py) decide, and sends what it says. The blocking
parts (knowledge-base search, the audit row) run in a worker thread so the
action server's event loop never waits on the database.
"""

from __future__ import annotations

import asyncio
import logging
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import Restarted, SessionStarted, SlotSet

from bot.dialogue import replies as say
from bot.dialogue.questions import BY_ID
from bot.dialogue.turn import Outcome, Said, State, take_turn
from bot.kb.answer import reply_for
from bot.kb.db import session_scope
from bot.kb.encoder import encoder
from bot.kb.records import record_triage
from bot.kb.search import KnowledgeBase
from bot.understanding.extraction import PROXY_ROLE, Extraction
from bot.understanding.input_guard import MAX_CHARS, classify, was_truncated

logger = logging.getLogger(__name__)
# Rasa loads, replays and sends the whole session on every turn. Past this many
# events a new session starts with the same slots, so a long conversation costs
# what a short one does (the old events stay in the store).
MAX_SESSION_EVENTS = 150


# The action server refuses to start with a sentence encoder whose files are
# not upstream's (sha256 checked), and loads it once, not on a first question.
encoder()


@lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    return KnowledgeBase()  # DATABASE_URL, like the tracker store


def answer_question(text: str) -> list[str]:
    messages, _ = reply_for(knowledge_base(), text)
    return messages


def _warm_up() -> None:
    """The first search builds the fact index (about 2 s on one core): do it at
    start, not on a user's first question. A database not yet up only logs."""
    try:
        answer_question("what causes a twitch?")
    except Exception as error:  # noqa: BLE001 - the first question retries
        logger.warning("knowledge base not warmed at start: %s", type(error).__name__)


_warm_up()


def understood(message: dict[str, Any]) -> Said:
    """Rasa's parse of the latest message -> what the state machine reads."""
    text = message.get("text") or ""
    intent = message.get("intent") or {}
    entities = message.get("entities") or []
    proxy = any(e.get("role") == PROXY_ROLE for e in entities)
    return Said(
        text=text,
        intent=intent.get("name"),
        confidence=float(intent.get("confidence") or 0.0),
        extraction=Extraction.from_entities(text, entities),
        proxy_extraction=Extraction.from_entities(text, entities, proxy=True)
        if proxy
        else None,
        problem=classify(text),
        truncated_at=MAX_CHARS if was_truncated(text) else None,
    )


def run_turn(tracker: Tracker) -> Outcome:
    state = State.from_slots(tracker.slots)
    outcome = take_turn(
        state, understood(tracker.latest_message or {}), answer_question
    )
    if outcome.triage is not None:
        _record_triage(tracker.sender_id, outcome)
    return outcome


def _record_triage(sender_id: str, outcome: Outcome) -> None:
    """Audit row (level and rule ids, no text); forget-me deletes it."""
    try:
        with session_scope() as session:
            record_triage(
                session,
                sender_id,
                outcome.triage.level,
                [r.id for r in outcome.triage.rules],
            )
    except Exception:  # noqa: BLE001 - advice matters more than the audit row
        logger.warning("triage record not written", exc_info=True)


def recovery(tracker: Tracker) -> list[str]:
    """After a failure inside the turn: say so and repeat the pending question."""
    texts = [say.RECOVER]
    question = BY_ID.get(tracker.get_slot("pending_question") or "")
    if question is not None:
        texts.append(question.text)
    return texts


class ActionTurn(Action):
    def name(self) -> str:
        return "action_turn"

    async def run(self, dispatcher, tracker: Tracker, domain: dict[str, Any]):
        try:
            outcome = await asyncio.to_thread(run_turn, tracker)
        except Exception:  # noqa: BLE001 - never leave a message unanswered
            logger.exception("turn failed")
            for text in recovery(tracker):
                dispatcher.utter_message(text=text)
            return []
        for reply in outcome.replies:
            dispatcher.utter_message(**reply.as_message())
        if outcome.restart:
            return [Restarted()]
        events = [SlotSet(name, value) for name, value in outcome.slots.items()]
        if len(tracker.events) > MAX_SESSION_EVENTS:
            events += carry_over(tracker, outcome)
        return events


def carry_over(tracker: Tracker, outcome: Outcome) -> list[dict[str, Any]]:
    """A new session holding the conversation's slots as they are after this turn."""
    slots = {k: v for k, v in tracker.slots.items() if v is not None}
    slots.update(outcome.slots)
    return [SessionStarted()] + [
        SlotSet(k, v) for k, v in slots.items() if v is not None
    ]
