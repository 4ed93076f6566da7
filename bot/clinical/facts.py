"""The facts a conversation collects (the slot contract) and how a new message
updates them: free-text mentions, read answers, corrections."""

from __future__ import annotations

from typing import Any

from bot.understanding.extraction import Extraction

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


def snapshot(slots: dict[str, Any]) -> dict[str, Any]:
    """The fact slots only, with lists copied."""
    out = {}
    for name in FACT_SLOTS:
        value = slots.get(name)
        out[name] = list(value) if isinstance(value, list) else value
    return out


def update(
    current: dict[str, Any], extraction: Extraction, weakness_asked: bool = False
) -> dict[str, Any]:
    """Return only the slots whose value changes (idempotent for one message).

    weakness_asked: the pending question is about drooping, so timing words
    ("it came on this morning") speak about the drooping.
    """
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

    if (
        extraction.onset is not None
        and "weakness_sudden" not in new
        and facts.get("facial_weakness") is True
        and weakness_asked
    ):
        facts["weakness_sudden"] = extraction.onset

    for name in extraction.uncertain:
        if facts.get(name) is None and name not in unsure:
            unsure.append(name)
    unsure = [n for n in unsure if facts.get(n) in (None, [])]
    facts["unsure_facts"] = unsure or None
    return changed(current, facts)


def apply_answer(current: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
    """Facts an answer settled (True / False / "unsure") -> the slots that change.
    A fact already true stays true: a later vague "no" does not erase a red flag."""
    facts = snapshot(current)
    unsure = list(facts.get("unsure_facts") or [])
    for name, value in answer.items():
        if value == "unsure":
            if facts.get(name) is None and name not in unsure:
                unsure.append(name)
        elif facts.get(name) is not True or value is True:
            facts[name] = value
    facts["unsure_facts"] = [n for n in unsure if facts.get(n) in (None, [])] or None
    return changed(current, facts)


def mark_unsure(current: dict[str, Any], names) -> dict[str, Any]:
    return apply_answer(current, {n: "unsure" for n in names})


def changed(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    old = snapshot(before)
    return {k: v for k, v in after.items() if _norm(v) != _norm(old.get(k))}


def _norm(value: Any) -> Any:
    return None if value == [] else value
