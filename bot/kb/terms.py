"""One normalisation for documents and questions: fold, fix spelling, stem.

Uses bot/understanding/text.py (the same stemmer and misspelling map as symptom extraction),
so "twiching", "twitches" and "twitching" all become one search term.
"""

from __future__ import annotations

import re

from bot.understanding.text import Normaliser, fold

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

# Function words that never decide an answer. Question words ("why", "what",
# "how", "when") are kept: they tell what kind of answer is wanted.
STOPWORDS = frozenset(
    """a about above after again all am an and any are as at be been being
    but by can could did do does doing don't for from had has have having he her
    here hers him his i i'm i've if in into is isn't it it's its itself just me
    might more most my myself no nor not of off on once only or other our ours
    out own same she should so some such than that the their them then there
    these they this those through to too under until up very was we were what's
    which while who whom will with would you your yours yourself im ive thats
    whats dont cant wont doesnt isnt lol pls please plz hi hello hey thanks
    thank u ur ya yeah ok okay really get got also like just kind sort bit
    make makes made making go goes going gone happen happens happening thing
    things stuff keep keeps kept say says said know think feel feels want need
    lately now today lmao lmfao omg actually even ever still guys anyone
    someone something anything everything one every everytime
    right left""".split()
)
# ("right" and "left" are the side of a face, or "right now": never what a
# question asks about, and "right away" would pull in every urgent fact.)


# Words that mean the same thing for search purposes (before stemming).
SYNONYMS = {
    "facial": "face",
    "vii": "7",
    "seven": "7",
    "coffees": "coffee",
    "caffeinated": "caffeine",
    "tired": "fatigue",
    "tiredness": "fatigue",
    "exhausted": "fatigue",
    "sleepy": "sleep",
    "worried": "worry",
    "worrying": "worry",
}


def words(text: str) -> list[str]:
    out = []
    for w in _WORD.findall(fold(text)):
        w = w.strip("'")
        out.append(SYNONYMS.get(w, w))
    return out


class Terms:
    """Turns text into search terms; guesses misspellings against a vocabulary."""

    def __init__(self, vocabulary: set[str]):
        self._normalise = Normaliser(vocabulary)

    def __call__(self, text: str, keep_stopwords: bool = False) -> list[str]:
        out = []
        for word in words(text):
            if not keep_stopwords and word in STOPWORDS:
                continue
            term = _derivation(self._normalise(word))
            if term and (keep_stopwords or term not in STOPWORDS):
                out.append(term)
        return out


def _derivation(term: str) -> str:
    # Search also folds word families the symptom stemmer keeps apart on
    # purpose: redness -> red, painful -> pain, usually -> usual.
    for suffix in ("ness", "ful", "ly"):
        if term.endswith(suffix) and len(term) - len(suffix) >= 3:
            return term[: -len(suffix)]
    return term


def vocabulary_of(texts: list[str]) -> set[str]:
    vocab: set[str] = set()
    for text in texts:
        vocab.update(words(text))
    return vocab
