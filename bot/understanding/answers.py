"""Reads an answer against the question that was asked.

The extractor (bot/understanding/extraction.py) finds the facts a message
states in any context. What only makes sense as an answer is read here: "nah",
"a bit", "no idea", "👍", "it stays put" to "has it spread?", "the second one"
to a checklist. The words come from lexicon.yml (`answers`, `answer_cues`) and
are normalised the same way as everywhere else. Pure Python, no spaCy: the
action server runs it on every turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from bot.understanding.lexicon import Lexicon, load_lexicon
from bot.understanding.text import fold

UNSURE = "unsure"
YES, NO = "yes", "no"
YES_ALWAYS = "yes_always"  # cue kind that a negation does not flip
# DIET's own yes / no / not sure, trusted when nothing in the words decided.
INTENT_POLARITY = {"affirm": YES, "deny": NO, "unsure": UNSURE}
INTENT_SURE = 0.7
# After a leading yes / no, these words continue the answer ("no, it's fine",
# "yes my lip too"); any other word makes the yes / no part of a phrase
# ("no pain", "no idea").
CONTINUES = set(
    "i im it its my mine me never just only but actually really thats that "
    "definitely absolutely nothing none mate thanks thank lol haha sorry honestly "
    "tbh all everything still sadly unfortunately though ok okay so well there "
    "sure of at ive id we this seems looks and also now too the a that's he she "
    "they his her their hes shes theyre him them yes yeah no nope thankfully luckily "
    "whatsoever fortunately happily at".split()
)
AUXILIARIES = {
    "am",
    "is",
    "are",
    "do",
    "doe",
    "does",
    "did",
    "have",
    "has",
    "ha",
    "was",
}
# Answer words that are never the start of a noun phrase (unlike "no pain").
STRONG = set(
    "yes yeah yep yup yea yeh ya nope nah naw noo nooo nop yass yess defo deffo".split()
)
NEGATORS = {
    "not", "no", "never", "without", "cannot", "nothing", "none", "nor", "zero",
    "nope", "neither",
}  # fmt: skip
FILLERS = set(
    "hmm hm um umm uh well oh ah erm er ok okay honestly actually so and lol haha "
    "tbh honestly hey hi anyway anyways but also sorry look".split()
)
NEGATION_REACH = 5  # words before a cue, within its clause, that can negate it
ORDINALS = {
    "1": 1, "first": 1, "1st": 1,
    "2": 2, "two": 2, "second": 2, "2nd": 2,
    "3": 3, "three": 3, "third": 3, "3rd": 3,
}  # fmt: skip
# Words a "which of them?" answer is made of besides the numbers: "the first
# one", "2 and 3", "number 2 i think". A sentence with any other word is not
# read as numbers ("it stays in 1 spot").
CHOICE_WORDS = set(
    "and the one ones number no only just maybe probably prob i think guess say or "
    "option options part last both & , + also too plus a little bit kind of sort "
    "mostly mainly definitely yes yeah".split()
)
CLAUSE_WORDS = {"and", "but", "though", "however", "while", "although", "so", "because"}
ALL_WORDS = {"all", "both", "every", "everything", "each"}
_CONTRACTIONS = (
    ("can't", "can not"),
    ("cannot", "can not"),
    ("won't", "will not"),
    ("n't", " not"),
    ("i'm", "i am"),
    ("it's", "it is"),
    ("i've", "i have"),
)
# The same without an apostrophe, as people type them.
_BARE = {
    "dont": "do not", "doesnt": "does not", "didnt": "did not", "cant": "can not",
    "wont": "will not", "isnt": "is not", "hasnt": "has not", "havent": "have not",
    "wasnt": "was not", "arent": "are not", "aint": "is not", "wouldnt": "would not",
    "couldnt": "could not", "shouldnt": "should not", "im": "i am", "ive": "i have",
    "idk": "i do not know", "dunno": "do not know",
}  # fmt: skip
_BARE_WORD = re.compile(r"\b(" + "|".join(_BARE) + r")\b")
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[^\sa-z0-9]")


def expand(text: str) -> str:
    text = fold(text)
    for short, long in _CONTRACTIONS:
        text = text.replace(short, long)
    return _BARE_WORD.sub(lambda m: _BARE[m.group(1)], text)


def words(text: str) -> list[str]:
    return _TOKEN.findall(expand(text))


QUESTION_OPENERS = set(
    "what whats how why when where who which can could would should is are does do "
    "did will shall may might am".split()
)
_SENTENCE = re.compile(r"[^.!?;\n]+[.!?;\n]*")


_CLAUSE = re.compile(r"[^,;.!?\n]+|[,;.!?\n]+")
_CONTRAST = re.compile(r"\b(?:but|though|although|whereas|while)\b")
FIRST_PERSON = {"i", "my", "me", "mine", "myself", "i'm", "i've", "i'd"}


def own_words(text: str, proxy: bool = False) -> str:
    """The text without clauses about someone else ("my grandad's face drooped,
    mine hasn't" -> "mine hasn't"). In a conversation about someone else
    (proxy), every clause counts."""
    if proxy:
        return text
    vocab = answer_words()
    kept = []
    for piece in _CLAUSE.findall(_CONTRAST.sub(",", expand(text))):
        tokens = _TOKEN.findall(piece)
        norms = [vocab.lexicon.normalise(t) for t in tokens]
        # "my grandad's face": that "my" is the grandad's, not the patient's.
        me = [
            i
            for i, t in enumerate(tokens)
            if t in FIRST_PERSON
            and not (i + 1 < len(norms) and norms[i + 1] in vocab.family)
        ]
        if set(norms) & vocab.family and not me:
            continue
        kept.append(piece)
    return "".join(kept)


def statements(text: str) -> str:
    """The text without its questions: "what's the weather like today" does not
    answer "did it start suddenly?", and "is that bad?" says neither yes nor no."""
    kept = []
    for sentence in _SENTENCE.findall(text):
        first = _TOKEN.findall(expand(sentence))[:1]
        opener = first[0].split("'")[0] if first else ""
        asked = sentence.rstrip().endswith("?") and len(_TOKEN.findall(sentence)) >= 5
        if opener in QUESTION_OPENERS or asked:
            continue  # "I think so?" and "maybe the first?" stay: hedged answers
        kept.append(sentence)
    return " ".join(kept)


# -- phrases -----------------------------------------------------------------
@dataclass(frozen=True)
class Phrase:
    """A lexicon phrase as normalised tokens; "*" stands for one optional word."""

    tokens: tuple[frozenset[str] | None, ...]

    def find(self, norms: list[str]) -> list[tuple[int, int]]:
        spans = []
        for start in range(len(norms)):
            end = self._match(norms, start, 0)
            if end is not None:
                spans.append((start, end))
        return spans

    def _match(self, norms: list[str], i: int, k: int) -> int | None:
        if k == len(self.tokens):
            return i
        spec = self.tokens[k]
        if spec is None:  # optional word: try without, then with
            end = self._match(norms, i, k + 1)
            if end is None and i < len(norms):
                end = self._match(norms, i + 1, k + 1)
            return end
        if i < len(norms) and norms[i] in spec:
            return self._match(norms, i + 1, k + 1)
        return None


def compile_phrase(phrase: str, lexicon: Lexicon) -> Phrase:
    tokens: list[frozenset[str] | None] = []
    for word in expand(phrase).split():
        if word in ("*", "**"):
            tokens.extend([None] * len(word))
            continue
        alternatives = [w for w in word.rstrip("?").split("|") if w]
        parts = [_TOKEN.findall(a) for a in alternatives]
        if len(parts) == 1 and len(parts[0]) > 1:
            tokens.extend(frozenset({lexicon.normalise(t)}) for t in parts[0])
            continue
        tokens.append(frozenset(lexicon.normalise(p[0]) for p in parts if p))
    return Phrase(tuple(tokens))


@dataclass(frozen=True)
class AnswerWords:
    """The answer vocabulary of lexicon.yml, compiled once."""

    polarity: tuple[
        tuple[str, Phrase, int], ...
    ]  # (kind, phrase, length), longest first
    cues: dict[str, dict[str, tuple[Phrase, ...]]]  # fact -> yes/no -> phrases
    lexicon: Lexicon
    continues: frozenset[str]  # CONTINUES, FILLERS, NEGATORS and STRONG, normalised
    fillers: frozenset[str]
    negators: frozenset[str]
    strong: frozenset[str]
    family: frozenset[str]  # words for other people (lexicon context.family)

    def norms(self, text: str) -> list[str]:
        return [self.lexicon.normalise(w) for w in words(text)]


@lru_cache(maxsize=2)
def answer_words(lexicon: Lexicon | None = None) -> AnswerWords:
    lex = lexicon or load_lexicon()
    polarity = []
    for kind in (UNSURE, NO, YES):
        for text in lex.answers[kind]:
            phrase = compile_phrase(str(text), lex)
            polarity.append((kind, phrase, len(phrase.tokens)))
    polarity.sort(key=lambda p: -p[2])  # "no idea" before "no"
    cues = {
        fact: {
            kind: tuple(compile_phrase(p, lex) for p in spec.get(kind) or [])
            for kind in (YES, NO, YES_ALWAYS)
        }
        for fact, spec in (lex.raw.get("answer_cues") or {}).items()
    }

    def norm(ws: set[str]) -> frozenset[str]:
        return frozenset(lex.normalise(w) for w in ws)

    return AnswerWords(
        tuple(polarity),
        cues,
        lex,
        norm(CONTINUES),
        norm(FILLERS),
        norm(NEGATORS),
        norm(STRONG),
        frozenset(
            lex.normalise(w)
            for phrase in lex.context["family"]
            for w in str(phrase).split()
            if w not in ("family", "history", "run", "in", "*", "someone", "somebody")
        ),
    )


# -- polarity ------------------------------------------------------------------
def polarity(
    text: str, intent: str | None = None, confidence: float = 0.0
) -> str | None:
    """yes / no / unsure when the message (or its first words) answers one;
    None when it does not say."""
    vocab = answer_words()
    stripped = text.strip()
    if stripped.strip("?") and statements(stripped).strip():
        stripped = statements(stripped).strip()
    norms = vocab.norms(stripped)
    if stripped and not stripped.strip("?"):
        return UNSURE  # "?", "??"
    # The first sentence that opens with an answer ("can coffee do this? anyway,
    # none of those apply to me").
    for sentence in _sentences(norms):
        kind = _leading_answer(vocab, sentence)
        if kind:
            return kind
    # A clause that is an answer on its own: "it stays put, no pain, nothing like that".
    for clause in _clauses(norms):
        kind = _whole_answer(vocab, clause)
        if kind:
            return kind
    if intent in INTENT_POLARITY and confidence >= INTENT_SURE:
        return INTENT_POLARITY[intent]
    return None


def _split(norms: list[str], breaks) -> list[list[str]]:
    """Runs of tokens between the tokens for which `breaks` is true."""
    out, current = [], []
    for n in norms:
        if breaks(n):
            if current:
                out.append(current)
            current = []
        else:
            current.append(n)
    if current:
        out.append(current)
    return out


def _sentences(norms: list[str]) -> list[list[str]]:
    return _split(norms, lambda n: n in (".", "!", "?", ";", "\n"))


def _clauses(norms: list[str]) -> list[list[str]]:
    return _split(norms, lambda n: not re.match(r"[a-z0-9]", n) or n in CLAUSE_WORDS)


def _whole_answer(vocab: AnswerWords, norms: list[str]) -> str | None:
    for kind, phrase, _ in vocab.polarity:
        if (0, len(norms)) in phrase.find(norms):
            return kind
    return None


def _leading_answer(vocab: AnswerWords, norms: list[str]) -> str | None:
    for kind, phrase, _ in vocab.polarity:
        for start, end in phrase.find(norms):
            if start != 0 and not _after_opening(vocab, norms, start):
                continue
            if end == len(norms) or not re.match(r"[a-z0-9]", norms[end]):
                return kind  # the whole sentence, or a clause of its own
            if norms[end - 1] in AUXILIARIES:
                continue  # "i am" answers only on its own, not in "i am okay"
            if norms[end] in vocab.continues or kind == UNSURE:
                return kind
            if end - start == 1 and norms[start] in vocab.strong:
                return kind  # "nope stays in one spot": only "no" can start a phrase
    return None


def _after_opening(vocab: AnswerWords, norms: list[str], start: int) -> bool:
    """'hmm, no' / 'well yes' / 'oh no not at all': a filler before the answer."""
    return all(
        n in vocab.fillers or not re.match(r"[a-z0-9]", n) for n in norms[:start]
    )


def cue_readings(text: str, facts: tuple[str, ...]) -> dict[str, bool]:
    """Context-only answers for the asked facts: "it stays put" (spreading: no)."""
    vocab = answer_words()
    norms = vocab.norms(text)
    out: dict[str, bool] = {}
    for fact in facts:
        spec = vocab.cues.get(fact) or {}
        spans = [
            (start, end, kind)
            for kind in (YES, NO, YES_ALWAYS)
            for phrase in spec.get(kind, ())
            for start, end in phrase.find(norms)
        ]
        for start, end, kind in spans:
            if any(
                s <= start and end <= e and (e - s) > (end - start) for s, e, _ in spans
            ):
                continue  # inside a longer phrase: "shuts fine" is not "shuts"
            value = kind != NO
            if kind != YES_ALWAYS and _negated(vocab, norms, start):
                value = not value
            # Any "yes" wins: missing a warning sign is the unsafe error.
            out[fact] = out.get(fact, False) or value
    return out


def _negated(vocab: AnswerWords, norms: list[str], start: int) -> bool:
    """A negator in the few words before, within the same clause ("no, it
    looks the same": that "no" answers, it does not negate "looks the same")."""
    for i in range(start - 1, max(-1, start - NEGATION_REACH - 1), -1):
        n = norms[i]
        if not re.match(r"[a-z0-9]", n) or n in CLAUSE_WORDS:
            return False
        if n in vocab.strong:
            return False  # "nope, face is normal": an answer word negates nothing
        if n in vocab.negators and not _answers(vocab, norms, i):
            return True
    return False


def _answers(vocab: AnswerWords, norms: list[str], i: int) -> bool:
    """ "no it stays put": a "no" that opens a clause and goes on with "it", "I"...
    answers the question; "no pain" negates pain."""
    opens = i == 0 or not re.match(r"[a-z0-9]", norms[i - 1])
    return opens and i + 1 < len(norms) and norms[i + 1] in vocab.continues


def chosen_parts(text: str, count: int) -> set[int]:
    """Parts named by number: "2", "the first one", "1 and 3", "all of them"."""
    tokens = words(text)
    if len(tokens) <= 4 and any(t in ALL_WORDS for t in tokens):
        if not any(t in NEGATORS for t in tokens):
            return set(range(1, count + 1))
    chosen: set[int] = set()
    for sentence in re.split(r"[.!?;\n]", expand(text)):
        ws = _TOKEN.findall(sentence)
        numbers = {ORDINALS[w] for w in ws if w in ORDINALS and ORDINALS[w] <= count}
        if numbers and all(w in ORDINALS or w in CHOICE_WORDS for w in ws):
            chosen |= numbers
    return chosen


# -- the reading ---------------------------------------------------------------
@dataclass
class Reading:
    """What one answer settled: fact -> True / False / "unsure"."""

    facts: dict[str, Any] = field(default_factory=dict)
    bare_yes: bool = False  # "yes" to a checklist without saying which

    @property
    def read(self) -> bool:
        return bool(self.facts) or self.bare_yes


def read_answer(
    covers: tuple[str, ...],
    parts: tuple[tuple[str, ...], ...],
    text: str,
    stated: dict[str, Any],
    uncertain: list[str],
    intent: str | None = None,
    confidence: float = 0.0,
    proxy: bool = False,
) -> Reading:
    """Read `text` as an answer to a yes / no question or a checklist.

    covers   the facts the question asks about
    parts    a checklist's parts (facts per part, in the order shown); () if none
    stated   facts the extractor found in the same message (they win)
    """
    reading = Reading()
    text = own_words(text, proxy)
    for name in covers:
        if name in stated:
            reading.facts[name] = stated[name]
        elif name in uncertain:
            reading.facts[name] = UNSURE
    for name, value in cue_readings(statements(text), covers).items():
        # A cue fills what the extractor left open; a "yes" cue also overrules
        # its "no" ("doesn't stay in one spot"): missing a sign is the unsafe error.
        if name not in reading.facts or (
            value is True and reading.facts[name] is False
        ):
            reading.facts[name] = value
    if parts:
        for number in chosen_parts(statements(text) or text, len(parts)):
            for name in parts[number - 1]:
                if name not in reading.facts or reading.facts[name] is False:
                    reading.facts[name] = True
    # "Does it force your eye shut, or make it hard to eat?" - "it never shuts
    # my eye": a no to one half of a part, with nothing true, answers the part.
    for part in parts:
        said = [reading.facts.get(f) for f in part if f in reading.facts]
        if said and all(v is False for v in said):
            reading.facts.update({f: False for f in part if f not in reading.facts})
    answer = polarity(text, intent, confidence)
    rest = [f for f in covers if f not in reading.facts]
    if answer == NO:
        reading.facts.update({f: False for f in rest})
    elif answer == UNSURE:
        reading.facts.update({f: UNSURE for f in rest})
    elif answer == YES:
        said_yes = any(v is True for v in reading.facts.values())
        if len(parts) > 1 and not said_yes:
            reading.bare_yes = True  # ask which
        elif not said_yes and rest:
            first = parts[0] if parts else covers[:1]
            reading.facts.update({f: True for f in first if f in rest})
    return reading
