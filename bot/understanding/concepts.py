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
    return _concepts_in(answer_words().norms(text))


def _concepts_in(norms: list[str]) -> list[str]:
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


@lru_cache(maxsize=4)
def _table(section: str) -> tuple[tuple[str, tuple[Phrase, ...]], ...]:
    lex = answer_words().lexicon
    return tuple(
        (name, tuple(compile_phrase(str(p), lex) for p in phrases))
        for name, phrases in (lex.raw.get(section) or {}).items()
    )


def conditions_and_details(text: str) -> tuple[set[str], set[str]]:
    """The named conditions a text speaks of (hemifacial spasm, synkinesis...),
    and what else it speaks of: triggers, signs, relief, how it ends. The
    condition's own words are taken out first, so "Bell's palsy" is not also
    the past-palsy fact."""
    norms = answer_words().norms(text)
    named, spans = set(), []
    for name, phrases in _table("conditions"):
        for phrase in phrases:
            found = phrase.find(norms) if phrase.tokens else []
            named.update([name] if found else [])
            spans += found
    rest = [w for i, w in enumerate(norms) if not any(a <= i < b for a, b in spans)]
    details = set(_concepts_in(rest))
    details.update(
        name
        for name, phrases in _table("condition_details")
        if any(p.find(rest) for p in phrases if p.tokens)
    )
    return named, details


def implied_details(named: set[str]) -> set[str]:
    """What speaking of these conditions speaks of too (synkinesis: blinking)."""
    implies = answer_words().lexicon.raw.get("condition_implies") or {}
    return {d for name in named for d in implies.get(name, [])}
