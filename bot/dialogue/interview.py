"""What to ask next: one question at a time, only for what is still missing,
and only when the answer could matter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.clinical.triage import EMERGENCY, max_level_of, rank, triage

YES_NO = ("Yes", "No", "Not sure")


@dataclass(frozen=True)
class Question:
    slot: str
    text: str
    why: str  # answer to "why are you asking?"
    buttons: tuple[str, ...] = YES_NO
    core: bool = False  # always asked (unless an emergency is already clear)
    needs: str | None = None  # asked only when this fact is true


QUESTIONS: tuple[Question, ...] = (
    Question(
        "symptom_location",
        "Where do you feel the twitching? For example your eyelid, cheek, mouth, "
        "jaw, forehead, or somewhere else in your body.",
        "Where it twitches helps tell a harmless eyelid or cheek twitch apart from "
        "one that involves a whole side of the face.",
        buttons=(),
        core=True,
    ),
    Question(
        "symptom_duration_days",
        "How long has it been going on? For example 2 days, 3 weeks or a few months.",
        "A twitch that lasts for weeks is a reason to see a doctor, even when it is "
        "harmless most of the time.",
        buttons=(),
        core=True,
    ),
    Question(
        "facial_weakness",
        "Have you noticed any weakness or drooping in your face, like a crooked "
        "smile or an eye that won't close fully?",
        "Weakness or drooping can point to a problem with the facial nerve, or "
        "even a stroke, so I always check for it.",
        core=True,
    ),
    Question(
        "weakness_sudden",
        "Did the weakness or drooping come on suddenly, over minutes or hours, "
        "or did you wake up with it?",
        "Drooping that starts suddenly can be a sign of a stroke, which needs "
        "emergency care right away.",
        needs="facial_weakness",
    ),
    Question(
        "stroke_signs",
        "Do you also have slurred speech, weakness or numbness in an arm or leg, "
        "or sudden trouble seeing or keeping your balance?",
        "Drooping together with any of these is a warning sign of a stroke.",
        needs="facial_weakness",
    ),
    Question(
        "symptom_spreading",
        "Has the twitching spread to other parts of your face or body, or does "
        "it stay in one spot?",
        "A twitch that stays in one small spot is usually harmless. One that "
        "spreads should be checked by a doctor soon.",
        core=True,
    ),
    Question(
        "function_affected",
        "Does the twitching ever force your eye shut, or make it hard to speak, "
        "eat or see clearly?",
        "When a spasm gets in the way of seeing, speaking or eating, it should be "
        "checked by a doctor soon.",
    ),
    Question(
        "pain_or_sensory",
        "Is there any pain, redness, swelling or numbness in that area?",
        "Pain, redness or a change in feeling along with the twitch are warning "
        "signs that need a doctor's look.",
    ),
    Question(
        "movement_linked",
        "Does it happen when you blink, smile or move your face in another way?",
        "A twitch that comes with other face movements can mean the facial nerve "
        "branches are linked, which a doctor should look at.",
    ),
    Question(
        "nerve_history",
        "Have you ever had Bell's palsy, an injury to your face, or surgery on "
        "your face?",
        "Twitching after a past nerve problem or injury can have a different cause "
        "that a doctor should check.",
    ),
)

BY_SLOT = {q.slot: q for q in QUESTIONS}


def is_known(facts: dict[str, Any], slot: str) -> bool:
    value = facts.get(slot)
    if value is None or value == []:
        return slot in (facts.get("unsure_facts") or [])
    return True


def open_questions(facts: dict[str, Any]) -> list[str]:
    """Slots still worth asking about, in order. Empty means: give advice now."""
    current = triage(facts).level
    if current == EMERGENCY:
        return []  # emergency advice goes first and alone
    todo = []
    for q in QUESTIONS:
        if is_known(facts, q.slot):
            continue
        if q.needs and facts.get(q.needs) is not True:
            continue
        if not q.core and rank(max_level_of(q.slot)) <= rank(current):
            continue  # its answer could not change the advice
        todo.append(q.slot)
    return todo


def next_question(facts: dict[str, Any]) -> Question | None:
    todo = open_questions(facts)
    return BY_SLOT[todo[0]] if todo else None
