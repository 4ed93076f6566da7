"""Turns a search result into the bot's reply: short, cited, honest."""

from __future__ import annotations

import re

from bot.kb.search import Answer, KnowledgeBase

# Questions touching stroke signs always get the emergency line first.
STROKE_WORDS = re.compile(
    r"\b(stroke|droop\w*|sag\w*|weak\w*|paralys\w*|slurr\w*|numb\w*|can'?t (smile|speak|talk))\b",
    re.I,
)
EMERGENCY_LINE = (
    "If your face is drooping or weak right now, or you have trouble speaking, "
    "call 911 or your local emergency number now (standard stroke advice, FAST)."
)
WORRY_WORDS = re.compile(
    r"\b(serious|worr\w*|dangerous|scared|scary|concern\w*|bad sign|harmless)\b", re.I
)
BALANCED = {"myokymia_usually_harmless": "seek_care_several_weeks"}
NOT_FOUND = (
    "I couldn't find that in the two articles I draw on, so I won't guess. "
    "A doctor or pharmacist is the right person to ask."
)


def reply_for(
    kb: KnowledgeBase, question: str, max_facts: int = 2
) -> tuple[list[str], Answer]:
    """Messages to send (first the answer, then its source) and the raw result."""
    result = kb.search(question)
    messages: list[str] = []
    if STROKE_WORDS.search(question):
        messages.append(EMERGENCY_LINE)
    if not result.found:
        if result.not_covered:
            messages.append(
                f"The two articles I draw on don't cover {result.not_covered}, "
                "so I can't answer that reliably. Please ask a doctor or pharmacist."
            )
        else:
            messages.append(NOT_FOUND)
        return messages, result
    top = result.hits[0]
    chosen = [top]
    for hit in result.hits[1:]:
        # A second fact only when it is on the same topic and nearly as good.
        if (
            len(chosen) < max_facts
            and hit.doc_type == top.doc_type == "fact"
            and hit.topic == top.topic
            and hit.score >= 0.85 * top.score
        ):
            chosen.append(hit)
    # "Should I be worried?": the reassuring fact and, from the same article,
    # when it does need a doctor (a balanced answer, not reassurance alone).
    pair = BALANCED.get(top.key)
    if pair and WORRY_WORDS.search(question) and pair not in [h.key for h in chosen]:
        other = kb.fact(pair)
        if other is not None:
            chosen.append(other)
    messages.append(" ".join(h.text for h in chosen))
    messages.append("Source: " + citation(chosen) + ". " + DISCLAIMER_SHORT)
    return messages, result


# Answers carry a one-line disclaimer; the long one comes with triage advice.
DISCLAIMER_SHORT = "General information, not a diagnosis."


def citation(hits) -> str:
    """One citation per source, its sections listed once each."""
    by_source: dict[str, tuple[str, list[str]]] = {}
    for hit in hits:
        name = f'"{hit.source_title}"'
        if hit.publisher and not hit.publisher.startswith("not stated"):
            name = f"{hit.publisher}, {name}"
        sections = by_source.setdefault(hit.source_key, (name, []))[1]
        if hit.section and hit.section not in sections:
            sections.append(hit.section)
    parts = []
    for name, sections in by_source.values():
        label = "section" if len(sections) == 1 else "sections"
        quoted = ", ".join(f"“{s}”" for s in sections)
        parts.append(f"{name}, {label} {quoted}" if sections else name)
    return "; ".join(parts)
