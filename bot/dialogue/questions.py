"""The interview's questions (the one source of their wording) and which one
to ask next: only what is still unknown, and only what could change the advice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.clinical.triage import (
    EMERGENCY,
    SEE_DOCTOR,
    URGENT,
    max_level_of,
    rank,
    triage,
)

YES_NO = ("Yes", "No", "Not sure")
MAX_ASKS = 2  # no question is asked more than twice


@dataclass(frozen=True)
class Part:
    """One line of a checklist question and the facts a "yes" to it sets."""

    label: str  # short, for "which of them?" buttons
    text: str  # the line in the question
    facts: tuple[str, ...]  # a bare "yes" to this part sets the first
    ask: str  # the part as a question of its own, when it is the only one left


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    rephrase: str  # the second, last try, in other words
    why: str  # answer to "why are you asking?"
    covers: tuple[str, ...]  # facts an answer settles
    buttons: tuple[str, ...] = YES_NO
    needs: str | None = None  # asked only when this fact is true
    core: bool = False  # asked whatever the level (unless an emergency is clear)
    parts: tuple[Part, ...] = ()  # a checklist: answerable part by part

    @property
    def is_value(self) -> bool:
        """Asks for a value (a place, a duration), not yes / no."""
        return not self.buttons

    def open_parts(self, facts: dict[str, Any]) -> tuple[Part, ...]:
        """Parts not yet known whose answer could still raise the advice."""
        level = triage(facts).level
        return tuple(
            p
            for p in self.parts
            if not all(is_known(facts, f) for f in p.facts)
            and any(rank(max_level_of(f)) > rank(level) for f in p.facts)
        )

    def answered(self, facts: dict[str, Any]) -> bool:
        """A checklist needs every part; another question its first fact (a
        "no drooping" opening settles the weakness question)."""
        if self.parts:
            return not self.open_parts(facts)
        return is_known(facts, self.covers[0])

    def wording(self, facts: dict[str, Any], second_try: bool = False) -> str:
        """The question as asked now: a checklist lists only what is still open."""
        if not self.parts:
            return self.rephrase if second_try else self.text
        parts = self.open_parts(facts) or self.parts
        if len(parts) == 1:
            return parts[0].ask
        lines = "\n".join(f"{n}) {p.text}" for n, p in enumerate(parts, 1))
        lead = self.rephrase if second_try else self.text
        return f"{lead}\n{lines}"


# "A bare yes to a checklist": asked once, the parts as buttons.
WHICH_TEXT = "Which of them? You can name more than one."

QUESTIONS: tuple[Question, ...] = (
    Question(
        "symptom_location",
        "Where do you feel the twitching? For example your eyelid, cheek, mouth, "
        "jaw, forehead, or somewhere else in your body.",
        "Which part of your body is twitching? A few words are enough, like "
        '"left eyelid" or "my cheek".',
        "Where it twitches helps tell a harmless eyelid or cheek twitch apart from "
        "one that involves a whole side of the face.",
        covers=("symptom_location",),
        buttons=(),
    ),
    Question(
        "facial_weakness",
        "Have you noticed any weakness or drooping in your face, like a crooked "
        "smile or an eye that won't close fully?",
        "Does one side of your face look or feel different from the other, for "
        "example a lower mouth corner or an eyelid that won't shut?",
        "Weakness or drooping can point to a problem with the facial nerve, or "
        "even a stroke, so I always check for it.",
        covers=("facial_weakness", "eye_cannot_close"),
        core=True,  # the way to the emergency rules: always checked
    ),
    Question(
        "weakness_sudden",
        "Did the weakness or drooping come on suddenly, over minutes or hours, "
        "or did you wake up with it?",
        "Did the drooping start all at once (today, or overnight), or slowly over "
        "several days?",
        "Drooping that starts suddenly can be a sign of a stroke, which needs "
        "emergency care right away.",
        covers=("weakness_sudden",),
        needs="facial_weakness",
    ),
    Question(
        "stroke_signs",
        "Do you also have slurred speech, weakness or numbness in an arm or leg, "
        "or sudden trouble seeing or keeping your balance?",
        "Is your speech unclear, is an arm or leg weak or numb, or have your "
        "sight or balance suddenly changed?",
        "Drooping together with any of these is a warning sign of a stroke.",
        covers=("stroke_signs",),
        needs="facial_weakness",
    ),
    Question(
        "symptom_duration_days",
        "How long has it been going on? For example 2 days, 3 weeks or a few months.",
        'Roughly when did it start? A guess is fine, like "since Monday", '
        '"about a month" or "years".',
        "A twitch that lasts for weeks is a reason to see a doctor, even when it is "
        "harmless most of the time.",
        covers=("symptom_duration_days",),
        buttons=(),
    ),
    Question(
        "warning_signs",
        "Do you have any of these?",
        "Is any of these true for you?",
        "These signs mean the twitch should be checked by a doctor soon (the last "
        "one at once), even though most twitches are harmless.",
        covers=(
            "symptom_spreading",
            "eye_forced_shut",
            "function_affected",
            "pain_or_sensory",
            "stroke_signs",
        ),
        parts=(
            Part(
                "It has spread",
                "the twitching has spread to other parts of your face or body",
                ("symptom_spreading",),
                "Has the twitching spread to other parts of your face or body, or "
                "does it stay in one spot?",
            ),
            Part(
                "Eye forced shut / hard to speak, eat or see",
                "it forces your eye shut, or makes it hard to speak, eat or see",
                ("function_affected", "eye_forced_shut"),
                "Does the twitching ever force your eye shut, or make it hard to "
                "speak, eat or see clearly?",
            ),
            Part(
                "Pain, redness, swelling or numbness",
                "pain, redness, swelling or numbness in that area",
                ("pain_or_sensory",),
                "Is there any pain, redness, swelling or numbness in that area?",
            ),
            # Stroke signs without a droop still call for an emergency.
            Part(
                "Speech, arm or leg, sight or balance",
                "slurred speech, weakness or numbness in an arm or leg, or sudden "
                "trouble seeing or keeping your balance",
                ("stroke_signs",),
                "Do you also have slurred speech, weakness or numbness in an arm or "
                "leg, or sudden trouble seeing or keeping your balance?",
            ),
        ),
    ),
    Question(
        "history",
        "Does either of these apply to you?",
        "Two last things. Is either of these true for you?",
        "A twitch that comes with other face movements, or after a past nerve "
        "problem or injury, can have a cause a doctor should look at.",
        covers=("movement_linked", "nerve_history"),
        parts=(
            Part(
                "With blinking or smiling",
                "it happens together with blinking, smiling or other face movements",
                ("movement_linked",),
                "Does it happen when you blink, smile or move your face in another way?",
            ),
            Part(
                "Bell's palsy, face injury or surgery",
                "you have had Bell's palsy, a face injury or face surgery",
                ("nerve_history",),
                "Have you ever had Bell's palsy, an injury to your face, or surgery on "
                "your face?",
            ),
        ),
    ),
)

BY_ID = {q.id: q for q in QUESTIONS}


def is_known(facts: dict[str, Any], name: str) -> bool:
    value = facts.get(name)
    if value is None or value == []:
        return name in (facts.get("unsure_facts") or [])
    return True


# The highest level a value can lead to: a place in the body is spreading
# (urgent); two weeks or more is a reason to see a doctor.
VALUE_CEILING = {"symptom_location": URGENT, "symptom_duration_days": SEE_DOCTOR}


def _could_change(question: Question, facts: dict[str, Any], level: str) -> bool:
    """Could an answer still raise the advice above the current level?"""
    if question.core:
        return True
    if question.id in VALUE_CEILING:
        return rank(VALUE_CEILING[question.id]) > rank(level)
    open_facts = [f for f in question.covers if not is_known(facts, f)]
    return any(rank(max_level_of(f)) > rank(level) for f in open_facts)


def open_questions(
    facts: dict[str, Any], asked: dict[str, int] | None = None
) -> list[Question]:
    """Questions still worth asking, in order. Empty means: give advice now."""
    asked = asked or {}
    level = triage(facts).level
    if level == EMERGENCY:
        return []  # emergency advice goes first and alone
    todo = []
    for q in QUESTIONS:
        if asked.get(q.id, 0) >= MAX_ASKS:
            continue
        if q.answered(facts):
            continue
        if q.needs and facts.get(q.needs) is not True:
            continue
        if not _could_change(q, facts, level):
            continue
        todo.append(q)
    return todo
