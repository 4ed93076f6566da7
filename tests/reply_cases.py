"""Single replies from the independent corpora, read the way the bot reads them.

Each case puts the state machine in front of one question (as the bot would
ask it), sends the reply, and compares the facts afterwards with what the
tester wrote. Used by tests/test_answer_reading.py and scripts/replies_eval.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from actions.actions import understood
from bot.clinical.facts import FACT_SLOTS
from bot.dialogue.questions import BY_ID
from bot.dialogue.turn import WHICH, State, take_turn
from bot.understanding.extraction import extract, proxy_entities
from tests.dialogue_driver import DATA

# A per-fact question of the corpus -> (the bot's question, the facts it covers).
# Warning signs are asked as one checklist; with one part left it is asked in
# the corpus's own words, so the other parts are set to "no" first.
AS_ASKED = {
    "symptom_spreading": ("warning_signs", ("symptom_spreading",)),
    "function_affected": ("warning_signs", ("function_affected", "eye_forced_shut")),
    "pain_or_sensory": ("warning_signs", ("pain_or_sensory",)),
    "movement_linked": ("history", ("movement_linked",)),
    "nerve_history": ("history", ("nerve_history",)),
}
BASE_FACTS = {"symptom_location": ["eye"], "symptom_duration_days": 3.0}


@dataclass
class Case:
    question: str  # the corpus's question id
    text: str
    expect: Any  # "yes" | "no" | "unsure" | "other" | "value" | {fact: value}
    value: Any = None
    also: dict[str, Any] = field(default_factory=dict)
    source: str = ""


def cases(split: str) -> list[Case]:
    out = []
    for name in ("dialogue", "checklist"):
        path = DATA / f"{name}_replies_{split}.yml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))["replies"]
        for question, items in data.items():
            for item in items:
                out.append(
                    Case(
                        question,
                        str(item.get("text", "")),
                        item.get("expect"),
                        item.get("value"),
                        item.get("also") or {},
                        path.name,
                    )
                )
    return out


def setup(case: Case) -> tuple[State, tuple[str, ...]]:
    """The state just after the bot asked the case's question."""
    facts = {n: None for n in FACT_SLOTS}
    question = case.question
    if question in ("symptom_location", "symptom_duration_days"):
        facts.update({k: v for k, v in BASE_FACTS.items() if k != question})
        covers = (question,)
    elif question in ("weakness_sudden", "stroke_signs"):
        facts.update(BASE_FACTS, facial_weakness=True)
        covers = (question,)
    elif question in AS_ASKED:
        question, covers = AS_ASKED[question]
        facts.update(BASE_FACTS, facial_weakness=False)
        for part in BY_ID[question].parts:
            if not set(part.facts) & set(covers):
                facts.update({f: False for f in part.facts})
    elif question == WHICH:
        facts.update(BASE_FACTS, facial_weakness=False)
        covers = BY_ID["warning_signs"].covers
    else:
        facts.update(BASE_FACTS)
        if question in ("warning_signs", "history"):
            facts["facial_weakness"] = False
        covers = BY_ID[question].covers
    state = State(facts=facts, pending=question, asks={question: 1})
    if question == WHICH:
        state.which_of = "warning_signs"
    return state, covers


def read(case: Case) -> tuple[dict[str, Any], list[str]]:
    """Facts after the reply (unsure facts as "unsure") and the replies' texts."""
    state, _ = setup(case)
    entities = extract(case.text).entities() + proxy_entities(case.text)
    said = understood({"text": case.text, "intent": {}, "entities": entities})
    out = take_turn(state, said, lambda q: ["(an answer)"])
    facts = dict(state.facts)
    for name in facts.get("unsure_facts") or []:
        facts[name] = "unsure"
    return facts, [r.text or "" for r in out.replies]


@dataclass
class Verdict:
    case: Case
    ok: bool
    negated_set_true: bool = False  # a "no" that made a covered fact true
    missed_warning: bool = False  # a warning sign in the reply that did not count
    also_ok: int = 0
    also_n: int = 0
    got: dict[str, Any] = field(default_factory=dict)


WARNING = {"stroke_signs", "weakness_sudden", "facial_weakness", "eye_cannot_close"}


def judge(case: Case) -> Verdict:
    facts, _ = read(case)
    _, covers = setup(case)
    got = {k: facts.get(k) for k in covers}
    expect = case.expect
    if isinstance(expect, dict):
        ok = all(_same(facts.get(k), v) for k, v in expect.items())
        negated = any(v is False and facts.get(k) is True for k, v in expect.items())
    elif expect == "yes":
        ok = any(facts.get(k) is True for k in covers)
        negated = False
    elif expect == "no":
        ok = all(facts.get(k) is False for k in covers[:1]) and not any(
            facts.get(k) is True for k in covers
        )
        negated = any(facts.get(k) is True for k in covers) and not any(
            case.also.get(k) is True for k in covers
        )
    elif expect == "unsure":
        ok = any(facts.get(k) == "unsure" for k in covers)
        negated = False
    elif expect == "value":
        name = covers[0]
        value = facts.get(name)
        if name == "symptom_duration_days":
            ok = value is not None and _close(value, float(case.value))
        else:
            ok = value is not None and set(case.value) <= set(value)
        negated = False
    else:  # "other": nothing settled, the question stays open
        ok = all(facts.get(k) in (None, "unsure") for k in covers) or bool(case.also)
        negated = False
    also_ok = sum(_same(facts.get(k), v) for k, v in case.also.items())
    missed = any(
        v is True and k in WARNING and facts.get(k) is not True
        for k, v in case.also.items()
    )
    return Verdict(case, ok, negated, missed, also_ok, len(case.also), got)


def _same(got: Any, want: Any) -> bool:
    if isinstance(want, list):
        return got is not None and set(want) <= set(got)
    if isinstance(want, int | float) and not isinstance(want, bool):
        return got is not None and _close(float(got), float(want))
    return got == want


def _close(got: float, want: float) -> bool:
    return abs(got - want) <= max(0.5, 0.35 * want)
