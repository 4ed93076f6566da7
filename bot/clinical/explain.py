"""'Why this advice?' and the summary for a doctor, in the person's own terms.

Both read the same facts as triage (bot/clinical/triage.py) and recompute the result,
so the explanation can never disagree with the rule table.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.clinical.guidance import LEVEL_NAMES, TRIGGER_WORDS, join_words
from bot.clinical.triage import Rule, triage

PLACE_WORDS = {"face": "face (one side or all of it)", "body": "body (beyond the face)"}
# How each yes/no fact reads in a summary: (when true, when false).
FACT_LINES: dict[str, tuple[str, str]] = {
    "facial_weakness": ("weakness or drooping in the face", "no weakness or drooping"),
    "weakness_sudden": ("the weakness came on suddenly", "the weakness came on slowly"),
    "stroke_signs": (
        "another stroke sign (speech, arm or leg, vision or balance)",
        "no other stroke signs",
    ),
    "eye_cannot_close": ("the eye does not close fully", "the eye closes fully"),
    "symptom_spreading": ("it has spread", "it stays in one spot"),
    "eye_forced_shut": (
        "the spasm forces the eye shut",
        "it does not force the eye shut",
    ),
    "function_affected": (
        "it gets in the way of speaking, eating or seeing",
        "speaking, eating and seeing are not affected",
    ),
    "pain_or_sensory": (
        "pain, redness, swelling or a change in feeling",
        "no pain, redness, swelling or numbness",
    ),
    "ear_rash": ("a rash or blisters around the ear", "no rash around the ear"),
    "nerve_history": (
        "past Bell's palsy, face injury or face surgery",
        "no past Bell's palsy, face injury or surgery",
    ),
    "movement_linked": (
        "it happens with blinking, smiling or other movements",
        "not linked to blinking or smiling",
    ),
    "symptom_recurring": ("it keeps coming back", "it has not come back before"),
    "muscle_ache": ("the muscle aches at times", "no muscle ache"),
}
FACT_NAMES = {
    "facial_weakness": "weakness or drooping",
    "weakness_sudden": "whether the weakness started suddenly",
    "stroke_signs": "other stroke signs",
    "eye_cannot_close": "whether the eye closes fully",
    "symptom_spreading": "spreading",
    "eye_forced_shut": "the eye being forced shut",
    "function_affected": "speaking, eating or seeing",
    "pain_or_sensory": "pain or numbness",
    "ear_rash": "a rash near the ear",
    "nerve_history": "past Bell's palsy, injury or surgery",
    "movement_linked": "a link with blinking or smiling",
    "symptom_recurring": "whether it comes back",
    "symptom_location": "where it is",
    "symptom_duration_days": "how long it has lasted",
}


def places(facts: dict[str, Any]) -> str:
    locations = [PLACE_WORDS.get(p, p) for p in facts.get("symptom_location") or []]
    side = facts.get("symptom_side")
    text = join_words(locations)
    if text and side in ("left", "right"):
        text = f"{side} {text}"
    elif text and side == "both":
        text = f"{text}, both sides"
    return text


def how_long(days: float | None) -> str:
    if days is None:
        return ""
    if days < 1 / 24:
        return f"about {max(1, round(days * 24 * 60))} minutes"
    if days < 1:
        return f"about {max(1, round(days * 24))} hours"
    if days < 14:
        n = round(days)
        return f"about {n} day{'s' if n != 1 else ''}"
    if days < 60:
        return f"about {round(days / 7)} weeks"
    if days < 365:
        return f"about {round(days / 30)} months"
    years = round(days / 365, 1)
    return f"about {years:g} year{'s' if years != 1 else ''}"


def _detail(rule: Rule, facts: dict[str, Any]) -> str:
    """The rule's reason, with the person's own details where there are some."""
    reason = rule.reason
    if rule.id == "spreading" and facts.get("symptom_location"):
        reason += f" (you mentioned: {places(facts)})"
    elif rule.id == "long_lasting":
        reason += f" ({how_long(facts.get('symptom_duration_days'))})"
    return reason


def why_advice(facts: dict[str, Any]) -> list[str]:
    """Messages that explain the current level and the facts behind it."""
    result = triage(facts)
    name = LEVEL_NAMES[result.level]
    deciding = [r for r in result.rules if r.level == result.level]
    if deciding:
        lines = [f"I suggested **{name}** because you told me that:"]
        lines += [f"• {_detail(r, facts)}" for r in deciding]
        sources = list(dict.fromkeys(r.source for r in deciding))
        lines.append("Rule source: " + " | ".join(sources) + ".")
        others = [r for r in result.rules if r.level != result.level]
        if others:
            lines.append(
                "Also noted, at a lower level: "
                + "; ".join(_detail(r, facts) for r in others)
                + "."
            )
        return ["\n".join(lines)]
    ruled_out = [
        FACT_LINES[name][1]
        for name in FACT_LINES
        if facts.get(name) is False and name not in ("weakness_sudden",)
    ]
    lines = [f"I suggested **{name}** because none of the warning signs came up."]
    if ruled_out:
        lines.append("You told me: " + "; ".join(ruled_out) + ".")
    if facts.get("symptom_duration_days") is not None:
        lines.append(
            f"It has lasted {how_long(facts['symptom_duration_days'])}, "
            "less than the two weeks after which a check-up is advised."
        )
    lines.append(
        'Rule source: "Why Is My Cheek Spasming? Causes and Relief" '
        "(most twitches are harmless and pass on their own)."
    )
    return ["\n".join(lines)]


def summary(facts: dict[str, Any], level: str | None, when: dt.date) -> str:
    """A short, shareable text for a doctor: facts, advice and the date."""
    lines = [f"**Twitch summary — {when.strftime('%d %B %Y').lstrip('0')}**"]
    where = places(facts)
    lines.append(f"Where: {where or 'not said'}")
    lines.append(
        f"How long: {how_long(facts.get('symptom_duration_days')) or 'not said'}"
    )
    present = [FACT_LINES[n][0] for n in FACT_LINES if facts.get(n) is True]
    absent = [FACT_LINES[n][1] for n in FACT_LINES if facts.get(n) is False]
    if present:
        lines.append("Reported: " + "; ".join(present))
    if absent:
        lines.append("Not present: " + "; ".join(absent))
    unsure = [FACT_NAMES.get(n, n) for n in facts.get("unsure_facts") or []]
    if unsure:
        lines.append("Not sure about: " + "; ".join(unsure))
    triggers = [TRIGGER_WORDS.get(t, t) for t in facts.get("triggers") or []]
    if triggers:
        lines.append("Possible triggers mentioned: " + ", ".join(triggers))
    if level:
        result = triage(facts)
        reasons = "; ".join(result.reasons) or "no warning signs came up"
        lines.append(f"Advice given: {LEVEL_NAMES[level]} ({reasons})")
    else:
        lines.append("Advice given: none yet (the questions are not finished)")
    lines.append("From a symptom-guide chatbot: general information, not a diagnosis.")
    return "\n".join(lines)
