"""Drives whole conversations from the independent corpora (tests/data/*_conversations_*.yml).

The person answers whichever question the bot asks, in their own words; the
driver reads the bot's state the way any client can (the tracker's
`pending_question` and `triage_level` slots). `Chat` is anything with
`send(text) -> (replies, slots)`: the real servers over REST (tests/test_e2e_dialogue.py)
or Rasa's NLU with the state machine in process (scripts/dialogue_eval.py).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

DATA = Path(__file__).resolve().parent / "data"
LEVELS = ("self_care", "see_doctor", "urgent", "emergency")
MAX_TURNS = 12  # a conversation that answers at all reaches advice well before
# The per-question corpus asked each warning sign on its own; a person answering
# a checklist answers part by part, as these joined answers do.
COMPOSED = {
    "warning_signs": (
        "symptom_spreading",
        "function_affected",
        "pain_or_sensory",
        "stroke_signs",
    ),
    "history": ("movement_linked", "nerve_history"),
    "which": ("symptom_spreading", "function_affected", "pain_or_sensory"),
}


def asked_part(replies: list[dict[str, Any]], question: str | None) -> str | None:
    """The fact of the checklist part the last reply asks on its own, if any."""
    from bot.dialogue.questions import BY_ID

    q = BY_ID.get(question or "")
    last = (replies[-1].get("text") or "") if replies else ""
    return next((p.facts[0] for p in (q.parts if q else ()) if last == p.ask), None)


def shows_question(replies: list[dict[str, Any]], question: str | None) -> bool:
    """Did this turn show `question` (first time or again)? Read from the words,
    as a person sees it: its wording, its second wording, or one of its parts."""
    from bot.dialogue.questions import BY_ID, WHICH_TEXT

    if not question or not replies:
        return False
    last = replies[-1].get("text") or ""
    q = BY_ID.get(question)
    starts = (
        [WHICH_TEXT] if q is None else [q.text, q.rephrase] + [p.ask for p in q.parts]
    )
    return any(last.startswith(s) for s in starts)


class Chat(Protocol):
    def send(self, text: str) -> tuple[list[dict[str, Any]], dict[str, Any]]: ...


@dataclass
class Persona:
    id: str
    opening: str
    answers: dict[str, str]
    default: str
    expect_level: str
    expect_facts: dict[str, Any] = field(default_factory=dict)
    source: str = ""

    def answer(self, question: str, part: str | None = None) -> str:
        """part: the fact of a checklist part asked on its own, when it has its
        own answer ("stroke_signs" after the checklist listed only that part)."""
        if part and part in self.answers:
            return self.answers[part]
        if question in self.answers:
            return self.answers[question]
        parts = [
            self.answers[q] for q in COMPOSED.get(question, ()) if q in self.answers
        ]
        return ". ".join(p.rstrip(". ") for p in parts) if parts else self.default


def personas(split: str) -> list[Persona]:
    """split: dev | holdout."""
    out = []
    for name in ("dialogue", "checklist"):
        path = DATA / f"{name}_conversations_{split}.yml"
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]:
            out.append(
                Persona(
                    item["id"],
                    item["opening"],
                    {k: str(v) for k, v in (item.get("answers") or {}).items()},
                    str(item.get("default", "no")),
                    item["expect_level"],
                    item.get("expect_facts") or {},
                    path.name,
                )
            )
    return out


def noise(split: str) -> list[str]:
    path = DATA / f"dialogue_replies_{split}.yml"
    return [str(n.get("text", "")) for n in yaml.safe_load(path.read_text())["noise"]]


@dataclass
class Transcript:
    persona: Persona
    turns: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)  # question ids, once per showing
    level: str | None = None
    slots: dict[str, Any] = field(default_factory=dict)
    silent_turns: int = 0
    place_and_duration: bool = False  # the opening gave both

    @property
    def reached(self) -> bool:
        return self.level is not None

    @property
    def most_asked(self) -> int:
        return max(Counter(self.asked).values(), default=0)

    @property
    def questions_before_advice(self) -> int:
        return len(self.asked)

    def under_triaged(self) -> bool:
        return self.reached and LEVELS.index(self.level) < LEVELS.index(
            self.persona.expect_level
        )

    def show(self) -> str:
        lines = [
            f"# {self.persona.id} (expect {self.persona.expect_level}, got {self.level})"
        ]
        for text, replies in self.turns:
            lines.append(f"U: {text[:160]}")
            for r in replies:
                lines.append(f"   B: {(r.get('text') or str(r.get('custom')))[:160]!r}")
        return "\n".join(lines)


def converse(
    chat: Chat,
    persona: Persona,
    rng: random.Random | None = None,
    noise_texts: list[str] | None = None,
    noise_rate: float = 0.0,
) -> Transcript:
    """Opening, then one answer per question until advice (or MAX_TURNS).
    With noise, some turns send something else first (a greeting, an emoji,
    another language, a question); the real answer follows."""
    t = Transcript(persona)

    last: list[list[dict[str, Any]]] = [[]]

    def send(text: str) -> dict[str, Any]:
        replies, slots = chat.send(text)
        last[0] = replies
        t.turns.append((text, replies))
        if not any((r.get("text") or r.get("custom")) for r in replies):
            t.silent_turns += 1
        pending = slots.get("pending_question")
        if shows_question(replies, pending):
            t.asked.append(pending)
        return slots

    slots = send(persona.opening)
    t.place_and_duration = bool(
        slots.get("symptom_location") and slots.get("symptom_duration_days") is not None
    )
    for _ in range(MAX_TURNS):
        if slots.get("triage_level"):
            break
        question = slots.get("pending_question")
        if not question:
            slots = send(persona.default)
            continue
        if rng and noise_texts and rng.random() < noise_rate:
            slots = send(rng.choice(noise_texts))
            if slots.get("triage_level"):
                break
            question = slots.get("pending_question") or question
        slots = send(persona.answer(question, asked_part(last[0], question)))
    t.level = slots.get("triage_level")
    t.slots = slots
    return t


@dataclass
class Figures:
    n: int = 0
    reached: int = 0
    exact: int = 0
    under: int = 0
    silent: int = 0
    over_asked: int = 0
    questions: list[int] = field(default_factory=list)
    questions_place_duration: list[int] = field(default_factory=list)
    misses: list[Transcript] = field(default_factory=list)
    per_level: dict[str, list[int]] = field(default_factory=dict)  # level -> [right, n]

    def add(self, t: Transcript) -> None:
        self.n += 1
        right_n = self.per_level.setdefault(t.persona.expect_level, [0, 0])
        right_n[0] += t.level == t.persona.expect_level
        right_n[1] += 1
        self.reached += t.reached
        self.exact += t.level == t.persona.expect_level
        self.under += t.under_triaged()
        self.silent += t.silent_turns
        self.over_asked += t.most_asked > 2
        self.questions.append(t.questions_before_advice)
        if t.place_and_duration:
            self.questions_place_duration.append(t.questions_before_advice)
        if t.level != t.persona.expect_level or t.silent_turns or t.most_asked > 2:
            self.misses.append(t)

    def line(self, name: str) -> str:
        def mean(xs):
            return sum(xs) / len(xs) if xs else 0.0

        return (
            f"{name}: {self.n} conversations, advice reached {self.reached}/{self.n}, "
            f"right level {self.exact}/{self.n} ({100 * self.exact / max(self.n, 1):.0f} %), "
            f"under-triaged {self.under}, silent turns {self.silent}, "
            f"a question asked >2 times {self.over_asked}, questions mean "
            f"{mean(self.questions):.2f} (opening with place+duration: "
            f"{mean(self.questions_place_duration):.2f}, n={len(self.questions_place_duration)}); "
            + ", ".join(
                f"{lv} {r}/{n}" for lv, (r, n) in sorted(self.per_level.items())
            )
        )
