"""Turns a triage into plain-language advice, built from the guidance content
(bot/clinical/content/guidance.yml, written in our own words from the two articles)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.clinical.triage import EMERGENCY, SEE_DOCTOR, SELF_CARE, URGENT, Triage

CONTENT_PATH = Path(__file__).with_name("content") / "guidance.yml"
DISCLAIMER = (
    "_This is general information, not a diagnosis, and it does not replace a "
    "doctor. If you think it is an emergency, call 911 or your local emergency "
    "number._"
)
SOURCE_NAMES = {
    "cheek_spasm_article": '"Why Is My Cheek Spasming? Causes and Relief"',
    "zocdoc_blink_answer": 'Zocdoc Answers, "Why does my left cheek twitch everytime I blink?"',
}
FAST_SOURCE = "standard stroke advice (FAST), which the two articles do not cover"

HEADLINES = {
    EMERGENCY: (
        "🚨 **Call 911 or your local emergency number now.** Drooping or weakness "
        "in the face that starts suddenly, or with other stroke signs, can be a "
        "stroke. This is an emergency. Do not drive yourself. Note the time it "
        "started.\nRemember **FAST**: **F**ace drooping, **A**rm or leg weakness, "
        "**S**peech that is slurred or strange, **T**ime to call for help."
    ),
    URGENT: (
        "⚠️ **Please get medical care today** (your doctor, an urgent care clinic, "
        "or a hospital if you cannot be seen)."
    ),
    SEE_DOCTOR: (
        "🩺 **Please book an appointment with your doctor.** It is not an "
        "emergency, but it should be checked."
    ),
    SELF_CARE: (
        "✅ **This sounds like a common, harmless twitch that you can look after "
        "at home (self-care).**"
    ),
}
LEVEL_NAMES = {
    EMERGENCY: "emergency",
    URGENT: "urgent (get care today)",
    SEE_DOCTOR: "see a doctor (book an appointment)",
    SELF_CARE: "self-care at home",
}
TRIGGER_RELIEF = {
    "stress": "relief_lower_stress",
    "sleep": "relief_rest_sleep",
    "caffeine": "relief_cut_caffeine",
    "dehydration": "relief_drink_fluids",
    "magnesium": "relief_electrolyte_drinks",
}
TRIGGER_WORDS = {
    "stress": "stress",
    "sleep": "tiredness or poor sleep",
    "caffeine": "caffeine or energy drinks",
    "dehydration": "not drinking enough",
    "magnesium": "low magnesium",
}


@lru_cache(maxsize=1)
def content() -> dict[str, Any]:
    return yaml.safe_load(CONTENT_PATH.read_text(encoding="utf-8"))


def fact(fact_id: str) -> dict[str, Any]:
    for item in content()["facts"]:
        if item["id"] == fact_id:
            return item
    raise KeyError(fact_id)


def _say(ids: list[str], used: set[str]) -> str:
    """Join fact texts and remember their sources."""
    parts = []
    for fid in ids:
        item = fact(fid)
        used.add(item["source"])
        parts.append(item["text"])
    return " ".join(parts)


# Which explanation fits this person; the first matching row wins.
GOING_ON, USUALLY = "**What might be going on:** ", "**What it usually is:** "
EXPLANATIONS: tuple[
    tuple[Callable[[dict[str, Any], str], bool], str, list[str]], ...
] = (
    (
        lambda f, lvl: f.get("movement_linked") is True
        and f.get("nerve_history") is True,
        GOING_ON,
        ["synkinesis_what_it_is", "blink_nerve_regrowth", "blink_normal_or_problem"],
    ),
    (
        lambda f, lvl: f.get("movement_linked") is True,
        GOING_ON,
        [
            "blink_shared_nerve_supply",
            "blink_branch_crossover",
            "blink_normal_or_problem",
        ],
    ),
    (
        lambda f, lvl: f.get("nerve_history") is True,
        GOING_ON,
        [
            "synkinesis_after_bells_palsy",
            "nerve_injury_inflammation",
            "nerve_causes_need_doctor",
        ],
    ),
    (
        lambda f, lvl: f.get("symptom_spreading") is True,
        GOING_ON,
        ["nerve_cause_less_common", "hfs_what_it_is", "hfs_spread_pattern"],
    ),
    (
        lambda f, lvl: lvl == URGENT,
        GOING_ON,
        ["nerve_cause_less_common", "red_flag_why_it_matters"],
    ),
    (
        lambda f, lvl: lvl == SEE_DOCTOR,
        GOING_ON,
        ["myokymia_usually_harmless", "seek_care_several_weeks"],
    ),
    (
        lambda f, lvl: True,
        USUALLY,
        ["myokymia_what_it_is", "myokymia_small_spot", "myokymia_usually_harmless"],
    ),
)


def _explanation(facts: dict[str, Any], level: str, used: set[str]) -> str:
    heading, ids = next((h, ids) for when, h, ids in EXPLANATIONS if when(facts, level))
    return heading + _say(ids, used)


def _relief(facts: dict[str, Any], used: set[str]) -> str:
    triggers = [t for t in facts.get("triggers") or [] if t in TRIGGER_RELIEF]
    lines = []
    if triggers:
        named = ", ".join(TRIGGER_WORDS[t] for t in triggers)
        lines.append(f"You mentioned {named}, which can set off twitching.")
        lines.extend(_say([TRIGGER_RELIEF[t]], used) for t in triggers)
    lines.append(
        _say(["relief_warm_compress", "relief_massage", "relief_mouth_stretch"], used)
    )
    for t in ("caffeine", "sleep", "dehydration"):
        if t not in triggers:
            lines.append(_say([TRIGGER_RELIEF[t]], used))
    return "**What can help:**\n" + "\n".join(f"• {line}" for line in lines)


def _watch_for(used: set[str]) -> str:
    _say(["red_flag_spreading", "red_flag_weakness_drooping"], used)
    return (
        "**Get checked sooner if** it spreads to other parts of your face or body, "
        "your face feels weak or droops, it hurts or looks red or swollen, it forces "
        "your eye shut or gets in the way of talking, eating or seeing, or it lasts "
        "more than a couple of weeks. **Call 911** if your face droops suddenly or "
        "you have slurred speech or a weak arm or leg."
    )


def _sources(used: set[str], with_fast: bool) -> str:
    names = [SOURCE_NAMES[s] for s in SOURCE_NAMES if s in used]
    if with_fast:
        names.append(FAST_SOURCE)
    return "Source: " + "; ".join(names) + "."


# The rule table speaks to the patient ("your face is drooping"); when the
# user writes about someone else, the patient's words become theirs (what the
# user noticed or described stays "you").
ABOUT_THEM = (("you have had ", "they have had "), ("you have ", "they have "),
              ("your ", "their "))  # fmt: skip


def about_them(reason: str) -> str:
    for mine, theirs in ABOUT_THEM:
        reason = reason.replace(mine, theirs)
    return reason


def advice(tri: Triage, facts: dict[str, Any], proxy: bool = False) -> list[str]:
    """The messages to send, in order. An emergency message stands alone first."""
    used: set[str] = set()
    level = tri.level
    why = ""
    if tri.reasons:
        reasons = [about_them(r) for r in tri.reasons] if proxy else tri.reasons
        why = "I say this because " + join_words(reasons) + "."
    if level == EMERGENCY:
        return [
            HEADLINES[EMERGENCY],
            f"{why}\n\n{_sources(used, True)}\n\n{DISCLAIMER}",
        ]
    first = f"{HEADLINES[level]} {why}".strip()
    if level == SELF_CARE:
        messages = [first, _explanation(facts, level, used), _relief(facts, used)]
        messages.append(
            f"{_watch_for(used)}\n\n{_sources(used, False)}\n\n{DISCLAIMER}"
        )
        return messages
    messages = [first, _explanation(facts, level, used)]
    tail = (
        "**Until then:** if your face suddenly droops, or you get slurred speech or a "
        "weak arm or leg, call 911 right away."
    )
    if level == SEE_DOCTOR:
        tail = _relief(facts, used) + "\n\n" + _watch_for(used)
        tail += "\n\nWhen you see your doctor, mention any changes or if it is getting worse."
        used.add("zocdoc_blink_answer")
    messages.append(f"{tail}\n\n{_sources(used, level == URGENT)}\n\n{DISCLAIMER}")
    return messages


def join_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
