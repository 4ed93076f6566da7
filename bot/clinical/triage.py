"""The triage table: which facts lead to which level, and on whose authority.

Each row is one rule. The highest level any rule reaches wins. `when` reads the
facts collected so far (slot name -> value; None means not known). A fact the
person was unsure about is listed in facts["unsure_facts"]; the `unsure` rows
treat that doubt conservatively, because under-triage is the unsafe error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

EMERGENCY, URGENT, SEE_DOCTOR, SELF_CARE = (
    "emergency",
    "urgent",
    "see_doctor",
    "self_care",
)
LEVELS = (SELF_CARE, SEE_DOCTOR, URGENT, EMERGENCY)  # lowest to highest

CHEEK = "Why Is My Cheek Spasming? Causes and Relief (When to Seek Medical Attention)"
CHEEK_NERVE = (
    "Why Is My Cheek Spasming? Causes and Relief (Specific Nerve-Related Causes)"
)
ZOCDOC = "Zocdoc Answers: Why does my left cheek twitch everytime I blink?"
FAST = (
    "Standard stroke guidance (FAST: Face, Arms, Speech, Time to call the "
    "emergency number); the two articles do not cover emergencies"
)
PRUDENCE = "Project safety policy: when a red flag cannot be ruled out, assume it"

Facts = dict[str, Any]


def _true(facts: Facts, name: str) -> bool:
    return facts.get(name) is True


def _unsure(facts: Facts, name: str) -> bool:
    return name in (facts.get("unsure_facts") or [])


@dataclass(frozen=True)
class Rule:
    id: str
    level: str
    when: Callable[[Facts], bool]
    reason: str  # in the person's terms, for "why this advice?"
    source: str


def _weak(f: Facts) -> bool:
    return _true(f, "facial_weakness") or _true(f, "eye_cannot_close")


RULES: tuple[Rule, ...] = (
    Rule("sudden_weakness", EMERGENCY,
         lambda f: _weak(f) and _true(f, "weakness_sudden"),
         "your face became weak or droopy suddenly", FAST),
    Rule("weakness_with_stroke_sign", EMERGENCY,
         lambda f: _weak(f) and _true(f, "stroke_signs"),
         "your face is drooping and you have another stroke sign", FAST),
    Rule("stroke_sign", EMERGENCY,
         lambda f: _true(f, "stroke_signs"),
         "you described a stroke warning sign (speech, arm or leg, vision or balance)",
         FAST),
    Rule("weakness_onset_unknown", EMERGENCY,
         lambda f: _weak(f) and _unsure(f, "weakness_sudden"),
         "your face is drooping and a sudden start cannot be ruled out",
         FAST + "; " + PRUDENCE),
    Rule("weakness_stroke_sign_unsure", EMERGENCY,
         lambda f: _weak(f) and _unsure(f, "stroke_signs"),
         "your face is drooping and other stroke signs cannot be ruled out",
         FAST + "; " + PRUDENCE),
    Rule("weakness", URGENT,
         lambda f: _weak(f),
         "you noticed weakness or drooping in your face", CHEEK),
    Rule("eye_cannot_close", URGENT,
         lambda f: _true(f, "eye_cannot_close"),
         "your eye does not close fully", CHEEK),
    Rule("eye_forced_shut", URGENT,
         lambda f: _true(f, "eye_forced_shut"),
         "the spasm forces your eye shut", CHEEK),
    Rule("function_affected", URGENT,
         lambda f: _true(f, "function_affected"),
         "it gets in the way of speaking, eating or seeing", CHEEK),
    Rule("spreading", URGENT,
         lambda f: _true(f, "symptom_spreading") or "body" in (f.get("symptom_location") or []),
         "the twitching has spread or involves other parts of your body", CHEEK),
    Rule("pain_or_sensory", URGENT,
         lambda f: _true(f, "pain_or_sensory"),
         "you have pain, redness, swelling or a change in feeling", CHEEK),
    Rule("ear_rash", URGENT,
         lambda f: _true(f, "ear_rash"),
         "you have a rash or blisters around your ear",
         CHEEK + "; rash near the ear with facial nerve signs is a standard "
         "reason for same-day care (the articles do not name it)"),
    Rule("weakness_unsure", URGENT,
         lambda f: _unsure(f, "facial_weakness"),
         "you were not sure whether your face is weak or drooping", CHEEK + "; " + PRUDENCE),
    Rule("long_lasting", SEE_DOCTOR,
         lambda f: (f.get("symptom_duration_days") or 0) >= 14,
         "it has lasted two weeks or more", CHEEK + "; " + ZOCDOC),
    Rule("recurring", SEE_DOCTOR,
         lambda f: _true(f, "symptom_recurring"),
         "it keeps coming back", CHEEK),
    Rule("movement_linked", SEE_DOCTOR,
         lambda f: _true(f, "movement_linked"),
         "it happens together with other movements, like blinking or smiling",
         ZOCDOC + "; " + CHEEK_NERVE),
    Rule("nerve_history", SEE_DOCTOR,
         lambda f: _true(f, "nerve_history"),
         "you have had Bell's palsy, a face injury or surgery before",
         CHEEK_NERVE + "; " + ZOCDOC),
    Rule("red_flag_unsure", SEE_DOCTOR,
         lambda f: any(
             _unsure(f, n)
             for n in ("symptom_spreading", "function_affected", "eye_forced_shut",
                       "pain_or_sensory", "eye_cannot_close", "stroke_signs")
         ),
         "you were not sure about a warning sign", CHEEK + "; " + PRUDENCE),
)  # fmt: skip


@dataclass(frozen=True)
class Triage:
    level: str
    rules: tuple[Rule, ...]  # every rule that matched, highest level first

    @property
    def reasons(self) -> list[str]:
        return [r.reason for r in self.rules if r.level == self.level]


def rank(level: str) -> int:
    return LEVELS.index(level)


def triage(facts: Facts) -> Triage:
    matched = sorted((r for r in RULES if r.when(facts)), key=lambda r: -rank(r.level))
    level = matched[0].level if matched else SELF_CARE
    return Triage(level, tuple(matched))


def max_level_of(fact: str) -> str:
    """The highest level a fact can lead to when true (used to decide if a
    question is still worth asking)."""
    best = SELF_CARE
    for rule in RULES:
        probe = (
            {fact: True, "facial_weakness": True}
            if fact in ("weakness_sudden", "stroke_signs")
            else {fact: True}
        )
        if rule.when(probe) and rank(rule.level) > rank(best):
            best = rule.level
    return best
