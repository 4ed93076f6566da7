"""The facts a conversation collects (the slot contract) and how a new message
updates them: free-text mentions, short yes/no/not-sure answers, corrections."""

from __future__ import annotations

import re
from typing import Any

from bot.understanding.extraction import Extraction
from bot.understanding.lexicon import load_lexicon
from bot.understanding.text import fold

# Yes/no facts, each a Rasa slot of type bool (None = not known).
BOOL_FACTS = (
    "symptom_spreading",
    "facial_weakness",
    "weakness_sudden",
    "stroke_signs",
    "eye_cannot_close",
    "eye_forced_shut",
    "function_affected",
    "pain_or_sensory",
    "ear_rash",
    "nerve_history",
    "movement_linked",
    "symptom_recurring",
    "muscle_ache",
)
# Yes/no facts that can raise the advice to urgent or emergency on their own.
WARNING_FACTS = tuple(
    f
    for f in BOOL_FACTS
    if f not in ("nerve_history", "movement_linked", "symptom_recurring", "muscle_ache")
)
LIST_FACTS = ("symptom_location", "triggers", "unsure_facts")
FACT_SLOTS = (
    "symptom_location",
    "symptom_side",
    "symptom_duration_days",
    *BOOL_FACTS,
    "triggers",
    "unsure_facts",
)
# A "no" to one question rules out the facts it asked about together.
ANSWER_COVERS = {
    "facial_weakness": ("facial_weakness", "eye_cannot_close"),
    "function_affected": ("function_affected", "eye_forced_shut"),
}
_LEAD = re.compile(r"^\s*([^,.;!?]+?)\s*(?:[,.;!?]+|\s+but\b|\s+and\b|$)")


def _expand(text: str) -> str:
    text = fold(text)
    for short, long in (
        ("can't", "can not"),
        ("won't", "will not"),
        ("n't", " not"),
        ("i'm", "i am"),
        ("it's", "it is"),
    ):
        text = text.replace(short, long)
    return re.sub(r"\s+", " ", text)


def short_answer(text: str) -> str | None:
    """'yes' / 'no' / 'unsure' when the message is (or starts with) a short answer."""
    answers = load_lexicon().answers
    cleaned = _expand(text).strip()
    cleaned = re.sub(r"[!.\s]+$", "", cleaned)
    candidates = [cleaned]
    lead = _LEAD.match(cleaned)
    if lead:
        candidates.append(lead.group(1).strip())
    for candidate in candidates:
        for kind in ("unsure", "no", "yes"):
            if candidate in {_expand(a) for a in answers[kind]}:
                return kind
    return None


def snapshot(slots: dict[str, Any]) -> dict[str, Any]:
    """The fact slots only, with lists copied."""
    out = {}
    for name in FACT_SLOTS:
        value = slots.get(name)
        out[name] = list(value) if isinstance(value, list) else value
    return out


def update(
    current: dict[str, Any],
    extraction: Extraction,
    requested_slot: str | None = None,
    intent: str | None = None,
) -> dict[str, Any]:
    """Return only the slots whose value changes (idempotent for one message)."""
    facts = snapshot(current)
    new = extraction.facts
    unsure = list(facts.get("unsure_facts") or [])

    for name in BOOL_FACTS:
        if name in new:
            facts[name] = new[name]
    if "symptom_side" in new:
        facts["symptom_side"] = new["symptom_side"]
    if "symptom_duration_days" in new:
        facts["symptom_duration_days"] = new["symptom_duration_days"]
    locations = [
        x
        for x in facts.get("symptom_location") or []
        if x not in extraction.excluded_locations
    ]
    if extraction.replaces_location and new.get("symptom_location"):
        locations = []  # "sorry, I meant my cheek"
    for area in new.get("symptom_location", []):
        if area not in locations:
            locations.append(area)
    facts["symptom_location"] = locations or None
    triggers = list(facts.get("triggers") or [])
    for trig in new.get("triggers", []):
        if trig not in triggers:
            triggers.append(trig)
    facts["triggers"] = triggers or None

    # A short answer fills the question that was asked, unless the text said more.
    answer = short_answer(extraction.text)
    if answer is None and intent in ("affirm", "deny", "unsure"):
        answer = {"affirm": "yes", "deny": "no", "unsure": "unsure"}[intent]
    if requested_slot and requested_slot not in new and answer:
        if answer == "unsure":
            if requested_slot not in unsure and facts.get(requested_slot) is None:
                unsure.append(requested_slot)
        elif requested_slot in BOOL_FACTS:
            for name in ANSWER_COVERS.get(requested_slot, (requested_slot,)):
                if answer == "yes" and name != requested_slot:
                    continue  # "yes" to "shut or hard to eat?" says one of them
                if name == requested_slot or name not in new:
                    facts[name] = answer == "yes"

    # Timing said without the word "drooping", in answer to the weakness questions.
    if (
        extraction.onset is not None
        and "weakness_sudden" not in new
        and facts.get("facial_weakness") is True
        and requested_slot in ("facial_weakness", "weakness_sudden", "stroke_signs")
    ):
        facts["weakness_sudden"] = extraction.onset

    for name in extraction.uncertain:
        if facts.get(name) is None and name not in unsure:
            unsure.append(name)
    unsure = [n for n in unsure if facts.get(n) in (None, [])]
    facts["unsure_facts"] = unsure or None

    before = snapshot(current)
    return {k: v for k, v in facts.items() if _norm(v) != _norm(before.get(k))}


def _norm(value: Any) -> Any:
    return None if value == [] else value


def new_information(changes: dict[str, Any]) -> bool:
    return any(k != "unsure_facts" for k in changes) or bool(
        changes.get("unsure_facts")
    )
