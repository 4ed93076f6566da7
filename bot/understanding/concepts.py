"""Which triggers and facts a text speaks of, in any words of the lexicon, and the
words the knowledge base uses for them: one vocabulary for a symptom report and
for a question ("knackered" is fatigue in both). Pure Python, like answers.py:
negation and whose symptom it is do not matter for search."""

from __future__ import annotations

from functools import lru_cache

from bot.understanding.answers import Phrase, answer_words, compile_phrase


@lru_cache(maxsize=1)
def _concept_phrases() -> tuple[tuple[str, tuple[Phrase, ...]], ...]:
    lex = answer_words().lexicon
    out = []
    for name in lex.raw.get("search_terms") or {}:
        phrases = list(lex.triggers.get(name) or [])
        spec = lex.facts.get(name) or {}
        phrases += list(spec.get("present") or [])
        out.append((name, tuple(compile_phrase(str(p), lex) for p in phrases)))
    return tuple(out)


# A muscle that aches is the informational muscle_ache, not the red flag pain.
NARROWER = {"muscle_ache": "pain_or_sensory"}


def concepts(text: str) -> list[str]:
    """Trigger and fact names the text mentions, in lexicon order."""
    norms = answer_words().norms(text)
    found = [
        name
        for name, phrases in _concept_phrases()
        if any(p.find(norms) for p in phrases if p.tokens)
    ]
    wider = {NARROWER[n] for n in found if n in NARROWER}
    return [n for n in found if n not in wider]


def search_words(text: str) -> list[str]:
    """The knowledge base's own words for what the text speaks of."""
    terms = answer_words().lexicon.raw.get("search_terms") or {}
    return [w for name in concepts(text) for w in terms[name]]
