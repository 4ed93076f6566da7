"""Slot checks on the independent first messages (tests/data/lay_messages_*.yml).

A check is one slot the tester annotated (its value must be read) or one fact
the extractor set to true that the tester did not annotate (a false alarm).
The message is read as the bot reads an opening: with someone else as the
patient when it speaks only of them (bot/dialogue/turn.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from bot.clinical.triage import EMERGENCY, triage
from bot.understanding.extraction import (
    default_nlp,
    extract_from_doc,
    patient_is_someone_else,
)
from tests.dialogue_driver import DATA

CLOSE_DAYS = 0.35  # durations: within 35 % (at least half a day)


@dataclass
class Result:
    id: str
    text: str
    checks: int = 0
    right: int = 0
    wrong: list[str] = field(default_factory=list)


def messages(split: str) -> list[dict[str, Any]]:
    path = DATA / f"lay_messages_{split}.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]


def _same(name: str, got: Any, want: Any) -> bool:
    if want is None:  # annotated as must-not-be-recorded ("my mum's droop")
        return got is None or got == []
    if got is None:
        return False
    if name == "symptom_duration_days":
        return abs(float(got) - float(want)) <= max(0.5, CLOSE_DAYS * float(want))
    if isinstance(want, list):
        return set(want) == set(got)
    return got == want


def check(item: dict[str, Any]) -> Result:
    text, want = str(item["text"]), item.get("expect") or {}
    doc = default_nlp()(text)  # one parse for both readings
    facts = dict(extract_from_doc(doc).facts)
    proxy = extract_from_doc(doc, proxy=True).facts
    if patient_is_someone_else(facts, proxy, text):  # as bot/dialogue/turn.py reads it
        facts = dict(proxy)
    # An emergency is advised at once, so its level is set by the first message;
    # any other level waits for the interview (the slot stays empty).
    if "triage_level" in want and triage(facts).level == EMERGENCY:
        facts["triage_level"] = EMERGENCY
    result = Result(item["id"], text)
    for name, value in want.items():
        result.checks += 1
        if _same(name, facts.get(name), value):
            result.right += 1
        else:
            result.wrong.append(f"{name}: expected {value!r}, got {facts.get(name)!r}")
    for name, value in facts.items():
        if value is True and name not in want:
            result.checks += 1
            result.wrong.append(f"{name}: true, not said")
    return result


def figures(split: str) -> tuple[int, int, list[Result]]:
    results = [check(m) for m in messages(split)]
    return sum(r.right for r in results), sum(r.checks for r in results), results
