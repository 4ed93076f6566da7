"""rasa-sdk actions: a thin layer over bot/ (all decisions are made there)."""

from __future__ import annotations

import datetime as dt
import logging
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, Restarted, SlotSet

from bot.clinical import facts as fact_store
from bot.clinical.explain import summary, why_advice
from bot.understanding.extraction import Extraction
from bot.clinical.guidance import advice
from bot.understanding.input_guard import MAX_CHARS, classify, was_truncated
from bot.dialogue.interview import BY_SLOT, QUESTIONS, open_questions
from bot.kb.answer import NOT_FOUND, reply_for
from bot.kb.db import session_scope
from bot.kb.records import record_triage
from bot.kb.search import KnowledgeBase
from bot.clinical.triage import EMERGENCY, triage

logger = logging.getLogger(__name__)
DomainDict = dict[str, Any]
FORGET_REPLIES = {"affirm", "deny", "forget_me"}
QUESTION_INTENT = "ask_question"
MAX_UNCLEAR = 2  # after this many unclear answers to one question, move on


@lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    return KnowledgeBase()  # DATABASE_URL, like the tracker store


def _facts(tracker: Tracker) -> dict[str, Any]:
    return fact_store.snapshot(tracker.slots)


class ActionExtractFacts(Action):
    """Custom slot mapping: runs after every user message, the first included."""

    def name(self) -> str:
        return "action_extract_facts"

    async def run(self, dispatcher, tracker: Tracker, domain: DomainDict):
        message = tracker.latest_message or {}
        found = Extraction.from_entities(
            message.get("text") or "", message.get("entities") or []
        )
        intent = (message.get("intent") or {}).get("name")
        changes = fact_store.update(
            tracker.slots, found, tracker.get_slot("requested_slot"), intent
        )
        # Facts changed, only their names: no health data in the logs.
        logger.debug("facts changed: %s", sorted(changes))
        if was_truncated(message.get("text") or ""):
            dispatcher.utter_message(
                text=f"Your message was very long, so I read only its first "
                f"{MAX_CHARS} characters."
            )
        events = [SlotSet(k, v) for k, v in changes.items()]
        if tracker.get_slot("forget_pending") and intent not in FORGET_REPLIES:
            events.append(SlotSet("forget_pending", False))  # they moved on
        if changes and tracker.get_slot("unclear_count"):
            events.append(SlotSet("unclear_count", 0.0))  # an answer came: start afresh
        return events


class ValidateSymptomForm(FormValidationAction):
    def name(self) -> str:
        return "validate_symptom_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain):
        return open_questions(_facts(tracker))

    async def run(self, dispatcher, tracker, domain):
        events = await super().run(dispatcher, tracker, domain)
        # A question that also gave a fact ("too much coffee?") is not rejected
        # by the form, so the question rule never runs: answer it here.
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        form_slots = set(
            ((domain.get("forms") or {}).get(self.form_name()) or {}).get(
                "required_slots"
            )
            or []
        )
        if intent == QUESTION_INTENT and form_slots & set(tracker.slots_to_validate()):
            events += _answer_once(dispatcher, tracker)
        return events


class AskQuestion(Action):
    """action_ask_<slot>: one clear question, with yes / no / not sure buttons."""

    slot = ""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(self, dispatcher, tracker, domain):
        question = BY_SLOT[self.slot]
        buttons = [{"title": b, "payload": b.lower()} for b in question.buttons]
        dispatcher.utter_message(text=question.text, buttons=buttons or None)
        return []


# One ask action per question in bot/dialogue/interview.py (the one source of wording).
for _q in QUESTIONS:
    _cls = type(f"Ask_{_q.slot}", (AskQuestion,), {"slot": _q.slot})
    globals()[_cls.__name__] = _cls


class ActionGiveTriage(Action):
    def name(self) -> str:
        return "action_give_triage"

    async def run(self, dispatcher, tracker, domain):
        facts = _facts(tracker)
        result = triage(facts)
        previous = tracker.get_slot("triage_level")
        messages = advice(result, facts)
        if previous and result.level != EMERGENCY:
            note = "Thanks, I've updated my advice with what you told me."
            if previous == result.level:
                note = "Thanks for the update. My advice stays the same."
            messages = [note] + messages
        for i, text in enumerate(messages):
            custom = None
            if i == 0 or (previous and i == 1):
                custom = {"triage_level": result.level}
            if custom:
                dispatcher.utter_message(text=text, json_message=custom)
            else:
                dispatcher.utter_message(text=text)
        rule_ids = [r.id for r in result.rules]
        _record_triage(tracker.sender_id, result.level, rule_ids)
        return [
            SlotSet("triage_level", result.level),
            SlotSet("triage_rules", rule_ids or None),
        ]


def _record_triage(sender_id: str, level: str, rule_ids: list[str]) -> None:
    """Audit row (level and rule ids, no text); forget-me deletes it."""
    try:
        with session_scope() as session:
            record_triage(session, sender_id, level, rule_ids)
    except Exception:  # noqa: BLE001 - advice matters more than the audit row
        logger.warning("triage record not written", exc_info=True)


class ActionExplainQuestion(Action):
    def name(self) -> str:
        return "action_explain_question"

    async def run(self, dispatcher, tracker, domain):
        question = BY_SLOT.get(tracker.get_slot("requested_slot") or "")
        if question:
            dispatcher.utter_message(text=question.why)
        else:
            dispatcher.utter_message(
                text="I ask a few short questions so I can tell how soon you "
                "should get care, and point you to the right advice."
            )
        return []


class ActionUnclearAnswer(Action):
    """Inside the interview: a reply that answered nothing. Never get stuck."""

    def name(self) -> str:
        return "action_unclear_answer"

    async def run(self, dispatcher, tracker, domain):
        slot = tracker.get_slot("requested_slot")
        count = (tracker.get_slot("unclear_count") or 0) + 1
        problem = classify((tracker.latest_message or {}).get("text") or "")
        if slot and count > MAX_UNCLEAR:
            unsure = list(tracker.get_slot("unsure_facts") or [])
            dispatcher.utter_message(text="No problem, let's move on.")
            return [
                SlotSet("unsure_facts", unsure + [slot]),
                SlotSet("unclear_count", 0.0),
            ]
        dispatcher.utter_message(text=_unclear_text(problem, bool(slot)))
        return [SlotSet("unclear_count", float(count))]


class ActionFallback(Action):
    """Outside the interview: off-topic, unclear or unreadable input."""

    def name(self) -> str:
        return "action_fallback"

    async def run(self, dispatcher, tracker, domain):
        text = (tracker.latest_message or {}).get("text") or ""
        dispatcher.utter_message(text=_unclear_text(classify(text), False))
        if tracker.get_slot("triage_level") is None:
            dispatcher.utter_message(
                text="To get started, tell me where you notice the twitching and "
                "how long it has been going on."
            )
        return []


def _unclear_text(problem: str | None, in_interview: bool) -> str:
    if problem == "empty":
        return "It looks like your message was empty. Please type your answer."
    if problem == "no_words":
        return "I couldn't find any words in that message. Could you tell me in a few words?"
    if problem == "other_language":
        return (
            "Sorry, I can only understand English for now. If this is an emergency, "
            "call your local emergency number."
        )
    if in_interview:
        return "Sorry, I didn't quite get that. You can answer in your own words, or tap one of the buttons."
    return (
        "I'm a guide for twitching in the face, eyelid or cheek, so I can't help "
        "with that, sorry."
    )


class ActionStartOver(Action):
    def name(self) -> str:
        return "action_start_over"

    async def run(self, dispatcher, tracker, domain):
        dispatcher.utter_message(
            text="Okay, let's start over. Tell me what you notice: where it twitches, "
            "on which side, and for how long."
        )
        return [Restarted()]


# ---------------------------------------------------------------- issue 4
# Free questions, "why this advice?", a summary, and forget-me.


def _has_facts(facts: dict[str, Any]) -> bool:
    return any(v not in (None, []) for v in facts.values())


def _interview_pending(tracker: Tracker) -> bool:
    """Symptoms were told but no advice given yet: the questions should go on."""
    return tracker.get_slot("triage_level") is None and _has_facts(_facts(tracker))


def _in_interview(tracker: Tracker) -> bool:
    return (tracker.active_loop or {}).get("name") == "symptom_form"


def _answer_once(dispatcher, tracker: Tracker) -> list:
    """Answer the latest message from the knowledge base, once per message."""
    message = tracker.latest_message or {}
    message_id = message.get("message_id")
    if message_id and tracker.get_slot("answered_message") == message_id:
        return []
    try:
        messages, _ = reply_for(knowledge_base(), message.get("text") or "")
    except Exception:  # noqa: BLE001 - a broken KB must not break the chat
        logger.exception("knowledge base unavailable")
        messages = [NOT_FOUND]
    for text in messages:
        dispatcher.utter_message(text=text)
    return [SlotSet("answered_message", message_id)] if message_id else []


class ActionAnswerQuestion(Action):
    """A free question, answered from the knowledge base with its source."""

    def name(self) -> str:
        return "action_answer_question"

    async def run(self, dispatcher, tracker, domain):
        events = _answer_once(dispatcher, tracker)
        if _in_interview(tracker):
            return events  # the form asks its pending question again
        if _interview_pending(tracker):
            # The question came with symptoms ("my eye twitches, is it stress?"):
            # go on to the questions that decide the advice.
            return events + [FollowupAction("symptom_form")]
        if tracker.get_slot("triage_level") is None:
            dispatcher.utter_message(
                text="If you'd like advice for your own twitch, tell me where it "
                "is and how long it has been going on."
            )
        return events


class ActionExplainAdvice(Action):
    """'Why this advice?': the facts that decided the level."""

    def name(self) -> str:
        return "action_explain_advice"

    async def run(self, dispatcher, tracker, domain):
        if tracker.get_slot("triage_level") is None:
            # No advice to explain yet: "is it serious?" is then a plain
            # question, so answer it from the knowledge base.
            return await ActionAnswerQuestion().run(dispatcher, tracker, domain)
        for text in why_advice(_facts(tracker)):
            dispatcher.utter_message(text=text)
        return []


class ActionSummary(Action):
    """A short summary to show a doctor."""

    def name(self) -> str:
        return "action_summary"

    async def run(self, dispatcher, tracker, domain):
        facts = _facts(tracker)
        if not _has_facts(facts):
            dispatcher.utter_message(
                text="There is nothing to summarise yet. Tell me about the "
                "twitching first: where it is and how long it has lasted."
            )
            return []
        dispatcher.utter_message(
            text=summary(facts, tracker.get_slot("triage_level"), dt.date.today())
        )
        dispatcher.utter_message(
            text="You can copy this text and show it to your doctor."
        )
        return []


class ActionConfirmForget(Action):
    def name(self) -> str:
        return "action_confirm_forget"

    async def run(self, dispatcher, tracker, domain):
        dispatcher.utter_message(
            text="Do you want me to delete this whole conversation and everything "
            "I noted from it? This cannot be undone.",
            buttons=[
                {"title": "Yes, delete it", "payload": "/affirm"},
                {"title": "No, keep it", "payload": "/deny"},
            ],
        )
        events = [SlotSet("forget_pending", True)]
        if _in_interview(tracker):
            events = [ActiveLoop(None), SlotSet("requested_slot", None)] + events
        return events


class ActionForgetMe(Action):
    """Confirms; the tracker store then deletes the conversation's rows
    (bot/server/tracker_store.py) instead of saving this turn."""

    def name(self) -> str:
        return "action_forget_me"

    async def run(self, dispatcher, tracker, domain):
        dispatcher.utter_message(
            text="Done: I have deleted this conversation and everything I noted "
            "from it. If you write again, we start from scratch."
        )
        # Tells the web widget to drop its local copy of the transcript too.
        dispatcher.utter_message(json_message={"conversation_deleted": True})
        return [Restarted()]


class ActionCancelForget(Action):
    def name(self) -> str:
        return "action_cancel_forget"

    async def run(self, dispatcher, tracker, domain):
        dispatcher.utter_message(text="Okay, I haven't deleted anything.")
        events = [SlotSet("forget_pending", False)]
        if _interview_pending(tracker):
            events.append(FollowupAction("symptom_form"))  # back to the questions
        return events
