"""Token normalisation shared by the lexicon compiler and the extractor.

Both sides go through `normalise`, so a lexicon entry "twitch" matches
"twitches", "twitching" and "twitchy", and common misspellings land on the
word that was meant.
"""

from __future__ import annotations

import re
import unicodedata

# Spellings people really type -> the word the lexicon uses. Short words are
# listed here rather than guessed by edit distance ("chek" could be "check").
SPELLINGS = {
    "cheak": "cheek",
    "cheeck": "cheek",
    "cheeks": "cheek",
    "cheak's": "cheek",
    "chee": "cheek",
    "chk": "cheek",
    "i": "i",
    "eyelid": "eyelid",
    "eyelids": "eyelid",
    "eylid": "eyelid",
    "eyelide": "eyelid",
    "eyelidd": "eyelid",
    "eyleid": "eyelid",
    "eye-lid": "eyelid",
    "eyebrow": "eyebrow",
    "eybrow": "eyebrow",
    "forhead": "forehead",
    "foreheard": "forehead",
    "jawl": "jaw",
    "twich": "twitch",
    "twiches": "twitch",
    "twitchin": "twitch",
    "twichin": "twitch",
    "twiching": "twitch",
    "twtich": "twitch",
    "twithc": "twitch",
    "twitchy": "twitch",
    "twitchs": "twitch",
    "twtiching": "twitch",
    "tiwtch": "twitch",
    "spazm": "spasm",
    "spazzing": "spasm",
    "spazzin": "spasm",
    "spasam": "spasm",
    "spams": "spasm",
    "spasims": "spasm",
    "spasem": "spasm",
    "droopin": "droop",
    "drupy": "droop",
    "droopie": "droop",
    "drooopy": "droop",
    "droopey": "droop",
    "drooy": "droop",
    "dropy": "droop",
    "droppy": "droop",
    "dropping": "drop",
    "saggy": "sag",
    "numbb": "numb",
    "nummb": "numb",
    "painfull": "painful",
    "palsey": "palsy",
    "pasly": "palsy",
    "plasy": "palsy",
    "bells": "bell",
    "wk": "week",
    "wks": "week",
    "wek": "week",
    "weeek": "week",
    "weeeks": "week",
    "mnth": "month",
    "mnths": "month",
    "mths": "month",
    "mth": "month",
    "yr": "year",
    "yrs": "year",
    "hrs": "hour",
    "hr": "hour",
    "mins": "minute",
    "min": "minute",
    "u": "you",
    "ur": "your",
    "im": "i",
    "ive": "i",
    "idk": "idk",
    "lft": "left",
    "rite": "right",
    "rigth": "right",
    "rihgt": "right",
    "riht": "right",
    "lef": "left",
    "letf": "left",
    "rght": "right",
    "abt": "about",
    "wen": "when",
    "caffine": "caffeine",
    "cafeine": "caffeine",
    "caffiene": "caffeine",
    "magnisium": "magnesium",
    "magnesim": "magnesium",
    "stresed": "stressed",
    "stresss": "stress",
    "tierd": "tired",
    "tird": "tired",
    "exausted": "exhausted",
    "exhuasted": "exhausted",
    "dehidrated": "dehydrated",
    "dehydraded": "dehydrated",
    "mom's": "mom",
    "mum's": "mum",
    "dad's": "dad",
    "slured": "slurred",
    "sluring": "slurring",
    "blury": "blurry",
    "dizy": "dizzy",
    "blured": "blurred",
    "swolen": "swollen",
    "swolled": "swollen",
    "swelled": "swollen",
    "tinglin": "tingling",
    "neckk": "neck",
    "mouthh": "mouth",
    "lipp": "lip",
    "smileing": "smile",
    "smiel": "smile",
    "blinkin": "blink",
    "blinkng": "blink",
    "blnk": "blink",
    "spred": "spread",
    "spredding": "spread",
    "spreaded": "spread",
    "sprad": "spread",
}

# Real words an edit-distance guess must never rewrite into a lexicon word.
PROTECTED = {
    "check",
    "checks",
    "checked",
    "checking",
    "thick",
    "cheer",
    "chest",
    "weeks",
    "dropped",
    "reading",
    "spending",
    "string",
    "should",
    "could",
    "would",
    "there",
    "three",
    "these",
    "those",
    "their",
    "drinks",
    "drink",
    "blind",
    "blink",
    "blinks",
    "slight",
    "sleep",
    "sleeping",
    "right",
    "might",
    "night",
    "light",
    "sight",
    "tight",
    "fight",
    "eight",
    "weigh",
    "sneeze",
    "breath",
    "breathe",
    "words",
    "worse",
    "worst",
    "better",
    "bitter",
    "twice",
    "twins",
    "witch",
    "switch",
    "spread",
    "bread",
    "thread",
    "dread",
    "ahead",
    "head",
    "heard",
}

_SUFFIXES = ("ing", "ed", "es", "s", "y")
_VOWELS = set("aeiou")


SENTENCE_END = re.compile(r"[.!?;\n]")


def sentence_around(text: str, start: int, end: int) -> tuple[str, str]:
    """The rest of the sentence left and right of text[start:end]."""
    return SENTENCE_END.split(text[:start])[-1], SENTENCE_END.split(text[end:])[0]


def fold(text: str) -> str:
    """Lower-case, strip accents, unify apostrophes and dashes."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = text.replace("\u2013", "-").replace("\u2014", "-")
    return text.lower()


# Stripping must not turn a word into one of these: "here" is not "her" (a
# reporter), "noted" is not "not" (a negation).
FUNCTION_WORDS = {"her", "his", "him", "not", "no", "nor", "he", "she", "we", "me"}


def stem(word: str) -> str:
    """A tiny, predictable suffix stripper (both lexicon and text use it)."""
    w = _strip(word)
    if w in FUNCTION_WORDS and word not in (w, w + "s", w + "'s"):  # "hers", "he's"
        return word
    return w


def _strip(word: str) -> str:
    w = word
    if w == "'s":
        return w
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
        if len(w) > 2 and w[-1] == w[-2] and w[-1] not in _VOWELS and w[-1] != "l":
            w = w[:-1]  # stopping -> stop
    elif len(w) > 4 and w.endswith("ied"):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith("ed"):
        w = w[:-2]
        if len(w) > 2 and w[-1] == w[-2] and w[-1] not in _VOWELS and w[-1] != "l":
            w = w[:-1]
    elif len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 4 and re.search(r"(ss|x|ch|sh)es$", w):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 4 and w.endswith("y") and w[-2] not in _VOWELS:
        w = w[:-1]  # droopy -> droop, twitchy -> twitch
    if len(w) > 3 and w.endswith("e") and not w.endswith("ee"):
        w = w[:-1]  # close/closing/closed -> clos
    return w


def edit_distance_one(a: str, b: str) -> bool:
    """True when a and b differ by one insert, delete, substitution or swap."""
    if a == b:
        return False
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diffs = [i for i in range(la) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    if la > lb:
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


class Normaliser:
    """Maps a raw token to the form the lexicon is written in."""

    def __init__(self, vocabulary: set[str]):
        # Only long words are guessed: a one-letter slip in a short word is
        # too often another real word.
        self._long_words = sorted(w for w in vocabulary if len(w) >= 6)
        self._stems = {stem(w) for w in vocabulary}
        self._cache: dict[str, str] = {}

    def spell(self, word: str) -> str:
        if word in SPELLINGS:
            return SPELLINGS[word]
        if word in self._cache:
            return self._cache[word]
        fixed = word
        # chat drops the g: "jumpin", "droopin", "nothin" (not "cousin")
        g_stem = stem(word + "g") if word.endswith("in") else None
        if (
            len(word) >= 4
            and g_stem in self._stems
            and g_stem != word
            and word.isalpha()
            and word not in PROTECTED
            and word != "within"
        ):
            fixed = word + "g"
        elif len(word) >= 6 and word.isalpha() and word not in PROTECTED:
            if word not in self._long_words:
                for candidate in self._long_words:
                    if candidate[0] == word[0] and edit_distance_one(word, candidate):
                        fixed = candidate
                        break
        self._cache[word] = fixed
        return fixed

    def __call__(self, word: str) -> str:
        return stem(self.spell(fold(word)))
