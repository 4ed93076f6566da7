"""Free text -> the facts a person states about their own twitching.

`extract(text)` returns every mention with its ConText flags and the facts
that follow from them. Only a current, first-person, un-hedged mention sets a
fact; a negated one sets it to False; anything not mentioned stays absent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from bot.understanding import durations
from bot.understanding.context import Flags, Modifier, clean_modifiers, flags_for
from bot.understanding.lexicon import ONSET_FACT, Lexicon, load_lexicon
from bot.understanding.text import sentence_around

EXTRACTOR_NAME = "SymptomEntityExtractor"
# Entities of the reading in which someone else is the patient ("my dad's face
# droops"): the same facts, with other people's mentions counted.
PROXY_ROLE = "proxy"
SENTENCE_END = {".", "!", "?", ";", "\n"}
# Facts whose mention is about something other than the twitch itself: a place
# named in the same clause is where *that* happens, not where it twitches.
NON_TWITCH_FACTS = {
    "facial_weakness",
    "eye_cannot_close",
    "stroke_signs",
    "pain_or_sensory",
    "ear_rash",
    "nerve_history",
    "muscle_ache",
}
# Doubt about a droop counts as a droop, even said outright ("not sure if my
# face droops"): missing one is the unsafe error (issue 11).
HEDGE_COUNTS = {"facial_weakness", "eye_cannot_close"}
# A question that opens with one of these asks about a possibility, it does not
# report a fact: "would numbness be a bad sign?", "does coffee make it worse?".
QUESTION_OPENERS = {
    "would",
    "could",
    "can",
    "does",
    "do",
    "is",
    "will",
    "should",
    "might",
    "may",
    "are",
    "what",
    "shall",
    "how",
    "which",
    "wtf",
    "explain",
    "define",
    "tell",
    "am",
}
# Questions about one's own state, not about a possibility: "is my face...?"
STATE_OPENERS = {"is", "does", "am", "are", "do"}
FEAR_OPENERS = {"could", "can", "will", "might", "would", "may"}
# ...unless it asks about what may come: "is it possible my smile goes crooked?"
POSSIBILITY_WORDS = {"possible", "possibly", "ever", "permanent", "permanently",
                     "will", "would", "could", "might", "if", "become", "becomes",
                     "likely", "risk", "chance"}  # fmt: skip
# What follows "can" in a question: "can stress...", "can it...", "can I...".
QUESTION_SUBJECTS = {"i", "you", "it", "this", "that", "these", "those", "my", "your",
                     "a", "an", "the", "he", "she", "they", "we", "there", "someone",
                     "stress", "caffeine", "coffee", "lack", "dehydration", "magnesium",
                     "tiredness", "twitching", "twitch", "bell", "bells", "too",
                     "being", "not", "low", "lots", "energy"}  # fmt: skip
# a sentence opening that points back at the one before ("Both came on suddenly")
POINTS_BACK = {
    "both",
    "it",
    "this",
    "that",
    "they",
    "these",
    "all",
    "which",
    "everything",
}
# Pronouns for people that also stand for things ("my eyelids, they flutter").
THINGS_TOO = {"they", "them", "their"}
# After a comma, these open a statement of their own: a negation before does not reach it.
NEW_STATEMENT = {"had", "have", "got", "i", "i'm", "im", "i've", "ive", "was"}
FIRST_PERSON = {"i", "i'm", "im", "i've", "ive", "my", "me", "mine", "myself"}
# "right" as an adverb, not a side: "right at the corner", "right now".
NOT_A_SIDE_AFTER = {
    "at",
    "there",
    "now",
    "away",
    "after",
    "before",
    "when",
    "back",
    "under",
    "above",
    "below",
    "next",
    "in",
    "on",
    "by",
    "near",
    "between",
    "where",
}
CLAIM_VERB = re.compile(
    r"\b(?P<who>\w+)\s+(?:said|says|say|told|tells|reckons?|thinks?"
    r"|suggest(?:s|ed)?|recommend(?:s|ed)?|advised?)\b",
    re.I,
)
RESULT = re.compile(r"\b(?:bloods?|blood\s+tests?|levels?)\b", re.I)
ABOUT_THE_PATIENT = re.compile(
    r"\b(?:my|his|her|i|i'?m|i'?ve|(?:she|he|they)(?:'s|'re|\s+is|\s+are|\s+has|\s+have)"
    r"|me(?=\s*$))\b"  # "doc reckons me magnesium's low"
    # "doc said low magnesium on my bloods": a result
    r"|" + RESULT.pattern,
    re.I,
)
GUESSED = re.compile(r"\b(?:might|may|could|probably|maybe|possibly|try|cut)\b", re.I)
AGREES = re.compile(
    r"\b(?:(?:she|he|they|you)(?:'s|'re|\s+is|\s+are|\s+might\s+be|\s+may\s+be)"
    r"|probably|prob)\s+right\b|\bfair\s+(?:tbh|enough)\b|\(fair\b|\bi\s+agree\b",
    re.I,
)
SPEECH = re.compile(r"\b(?:speak|talk|words?|speech)", re.I)
SPEECH_EXPLAINED = re.compile(
    r"\b(?:because|cuz|coz|cos|bc|when|whenever|while|makes?|making|made|due\s+to"
    r"|from\s+the|with\s+the\s+twitch|cause[sd]?|spasm\w*|pull\w*|moves?|twitches|so\s+bad)\b",
    re.I,
)
NEGATING = {"no", "not", "never", "nothing", "none", "without", "nor", "neither",
            "nope", "nah", "zero"}  # fmt: skip
# "it is not closing my eye": the twitch as subject, not the person.
TWITCH_SUBJECTS = {"it", "its", "this", "that", "twitch", "twitching", "spasm", "spasms"}  # fmt: skip
UNABLE = {"unable", "cannot", "cant", "cnt", "couldnt", "wont", "dont", "doesnt"}
# "sorry, I mean my cheek": places and sides after the cue replace those before it.
CORRECTION_CUES = (
    "i mean",
    "i meant",
    "i mean't",
    "correction",
    "actually no",
    "actually, no",
    "but actually",
    "it's actually",
    "its actually",
    "actually just",
    "no, just",
    "sorry, just",
    "not my",
    "it's not my",
    "its not my",
    "rather",
    ", sorry,",
    "no wait",
    "wait no",
    "no actually",
    "- sorry",
    "sorry, the",
)
CLAUSE_BREAK = {",", "and", "but", "while", "whereas", "though", "although", "also"}
GIVEN_UP_ENDS = {"caffeine", "stress"}
FOR_SOMEONE = re.compile(
    r"\b(?:typing|writing|asking|messaging|texting|contacting you)\s+(?:this\s+)?"
    r"(?:for|on\s+behalf\s+of)\s+(?:my|our)\b|\bon\s+behalf\s+of\s+(?:my|our)\b"
    # "For my dad (68): right eye twitching", "for my son - ..." opening the message
    r"|^\W*for\s+(?:my|our)\s+\w+(?:\s*\(\s*\d+\s*\))?\s*[:,(-]",
    re.I,
)
# A "...ago" / "last month" that dates the current twitch, told by a present
# or onset verb; unless the sentence says that episode is over.
ONSET_AGO = re.compile(r"\bago\b|\blast\s+(?:week|month|year)\b", re.I)
CURRENT = re.compile(
    r"\b(?:has|have)\s+been\b|'(?:s|ve)\s+been\b|\b(?:is|are|am)\s+\w+ing\b"
    r"|\b(?:keeps?|still|noticed|started|began|begun)\b"
    r"|\b(?:twitches|jumps|flickers|flutters|spasms|twitching|jumping)\b",
    re.I,
)
ENDED = re.compile(
    r"\b(?:lasted|went\s+away|gone|stopped|settled|cleared|resolved|used\s+to"
    r"|had\s+(?:a|an|the|my)|recovered|healed|back\s+then|but\s+now|at\s+the\s+time)\b",
    re.I,
)
# "...and now I've got one too, mine's my right eye": the writer's own twitch
MY_BEFORE = re.compile(
    r"\bmy\s+(?:(?:left|right|upper|lower|top|bottom|whole|own|l|r)\s+){0,2}$", re.I
)
FIRST_PERSON_TWITCH = re.compile(
    r"\bmine\b|\bme too\b|\bi(?:'ve|\s+have)\s+(?:got\s+)?(?:one|it|the same)\b", re.I
)
# a sentence about an episode that is over ("last time it lasted a month")
PAST_EPISODE = re.compile(
    r"\b(?:last|previous|the\s+other)\s+time\b|\b(?:went\s+away|resolved|cleared\s+up"
    r"|settled|disappeared|sorted\s+(?:it\s+)?(?:with|by)|went\s+on\s+its\s+own|and\s+it\s+went)\b",
    re.I,
)
# "Now it's my cheek too", "now my arm has started as well"
ADDED_PLACE = {"too", "also", "well"}
CHANGE_WORDS = {"now", "start", "spread"}
EVER_SINCE = re.compile(r"\b(?:ever\s+since|since\s+then|from\s+then\s+on)\b", re.I)
# The current episode starts here: "it's back since Friday", "now it started again".
EPISODE_RESTART = re.compile(
    r"\b(?:it'?s|is|its)\s+(?:been\s+)?back\b|\bback\s+since\b|\bstarted\s+(?:up\s+)?again\b"
    r"|\b(?:has|have|it'?s)\s+(?:now\s+)?(?:returned|come\s+back)\b|\bthis\s+(?:one|1)\b"
    r"|\bthis\s+time\b|\b(?:latest|this|current)\s+(?:bout|round|episode|one)\b"
    r"|\bright\s+now\s+it'?s\s+been\b|\b(?:been|it'?s)\s+constant\b"
    r"|(?:^|[.,;!]\s*)now\b",
    re.I,
)
SIDE_ENDS = {"one", "yin", "side", "actually", "though", "tho", "only"}
# "brow bone over my left eye", "upper lip just below my nose"
LANDMARK_WORDS = {"over", "above", "below", "beneath", "under", "underneath", "near",
                  "by", "beside", "next", "towards", "toward"}  # fmt: skip
LANDMARK_FILLERS = {"my", "the", "left", "right", "just", "of"}
# "I smile": a verb
SMILERS = {"i", "he", "she", "we", "you", "they", "u", "to", "and", "or"}
BARE_FACE = {"face", "facial muscle", "facial muscles"}
# "right now", "for now": the present, not a change
NOT_A_CHANGE = {"right", "for", "till", "until", "by", "just"}

if not Doc.has_extension("mentions"):
    Doc.set_extension("mentions", default=None)


@dataclass
class Mention:
    kind: str  # location | side | fact | trigger | duration | twitch | onset
    name: str  # canonical area, side, fact name or trigger
    value: Any
    start: int  # character offsets
    end: int
    text: str
    flags: Flags = field(default_factory=Flags)
    sentence: int = 0  # index of its sentence in the message
    token_start: int = -1  # token offsets (for scope rules after matching)
    token_end: int = -1
    # a side said of the twitch (its clause twitches, or a twitching place is
    # next to it), not of an arm's weakness or the side one sleeps on
    of_twitch: bool = True


@dataclass
class Extraction:
    text: str
    mentions: list[Mention]
    facts: dict[str, Any]
    uncertain: list[str]
    excluded_locations: list[str]
    onset: bool | None  # sudden (True) / gradual (False) said without a weakness word
    replaces_location: bool = False  # a correction: the new places replace the old

    @classmethod
    def from_entities(
        cls, text: str, entities: list[dict[str, Any]], proxy: bool = False
    ) -> Extraction:
        """Rebuild what the NLU extractor found from its Rasa entities (the
        action server reads them from the tracker; it needs no spaCy).
        proxy: the reading with someone else as the patient."""
        facts: dict[str, Any] = {}
        uncertain, excluded, onset = [], [], None
        for ent in entities:
            if ent.get("extractor") != EXTRACTOR_NAME:
                continue
            if (ent.get("role") == PROXY_ROLE) != proxy:
                continue
            name, value = ent["entity"], ent["value"]
            if name in ("symptom_location", "trigger"):
                key = "triggers" if name == "trigger" else name
                if value not in facts.setdefault(key, []):
                    facts[key].append(value)
            elif name == "location_excluded":
                excluded.append(value)
            elif name == "symptom_side":
                facts[name] = value
            elif name == "symptom_duration_days":
                facts[name] = max(float(value), facts.get(name, 0.0))
            elif name == "uncertain_fact":
                uncertain.append(value)
            elif name == "weakness_onset":
                onset = bool(onset) or value == "sudden"
            else:
                facts[name] = bool(facts.get(name)) or value in (True, "true")
        return cls(text, [], facts, uncertain, excluded, onset)

    def entities(self) -> list[dict[str, Any]]:
        """Rasa entities (one per effective mention), scored by `rasa test nlu`."""
        out = []

        def add(entity: str, value: Any, m: Mention) -> None:
            out.append(
                {
                    "entity": entity,
                    "value": value,
                    "start": m.start,
                    "end": m.end,
                    "confidence_entity": 1.0,
                    "extractor": EXTRACTOR_NAME,
                }
            )

        for m in self.mentions:
            if m.kind == "location" and m.name in self.facts.get(
                "symptom_location", []
            ):
                if not m.flags.negated and not m.flags.other_person:
                    add("symptom_location", m.name, m)
            elif m.kind == "location" and m.name in self.excluded_locations:
                add("location_excluded", m.name, m)
            elif m.kind == "side" and self.facts.get("symptom_side"):
                if not m.flags.negated and not m.flags.other_person:
                    add("symptom_side", self.facts["symptom_side"], m)
            elif m.kind == "duration" and m.flags.plain:
                add("symptom_duration_days", m.value, m)
            elif m.kind == "trigger" and m.name in self.facts.get("triggers", []):
                if not m.flags.negated and _counts(m):
                    add("trigger", m.name, m)
            elif m.kind == "fact" and m.name in self.facts:
                if _counts(m) and self.facts[m.name] == m.value:
                    add(m.name, "true" if m.value else "false", m)
            elif m.kind == "fact" and m.name in self.uncertain and m.flags.uncertain:
                add("uncertain_fact", m.name, m)
            elif m.kind == "onset" and _counts(m):
                if ONSET_FACT in self.facts:
                    add(ONSET_FACT, "true" if self.facts[ONSET_FACT] else "false", m)
                elif self.onset is not None:
                    add("weakness_onset", "sudden" if m.value else "gradual", m)
        return out


def _counts(m: Mention, history_ok: bool = False) -> bool:
    f = m.flags
    if f.other_person or f.hypothetical or f.uncertain or f.retracted:
        return False
    return history_ok or not f.historical


class SymptomMatcher:
    """The spaCy component: normalises tokens and records mentions on the Doc."""

    def __init__(self, nlp: Language, lexicon: Lexicon):
        self.lexicon = lexicon
        self.matcher = Matcher(nlp.vocab)
        tok = nlp.tokenizer
        lex = lexicon

        def add(key: str, phrases: list[str]) -> None:
            patterns = [lex.pattern(p, tok) for p in phrases]
            self.matcher.add(key, [p for p in patterns if p])

        for area, phrases in lex.locations.items():
            add(f"location|{area}", phrases)
        for side, phrases in lex.sides.items():
            add(f"side|{side}", phrases)
        add("side_noun|", lex.raw["side_nouns"])
        add("twitch|", lex.raw["twitch"])
        add("spread_cue|", lex.raw["spreading_cues"])
        add("life_detail|", lex.raw.get("life_details", []))
        self.length_only = set(lex.raw.get("length_only_words", []))
        add("given_up|", lex.raw.get("given_up", []))
        add("situation|", lex.stress_situations)
        add("not_a_sign|", lex.raw.get("not_signs", []))
        for fact, spec in lex.facts.items():
            add(f"present|{fact}", spec.get("present") or [])
            add(f"absent|{fact}", spec.get("absent") or [])
        for trigger, phrases in lex.triggers.items():
            add(f"trigger|{trigger}", phrases)
        for category, phrases in lex.context.items():
            add(f"ctx|{category}", phrases)

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            if not token.is_punct and not token.is_space:
                token.norm_ = self.lexicon.normalise(token.norm_)
        doc._.mentions = self._analyse(doc)
        return doc

    # -- matching -----------------------------------------------------------
    def _matches(self, doc: Doc) -> dict[str, list[tuple[str, int, int]]]:
        """Longest match per (key, start), grouped by the key's family."""
        best: dict[tuple[str, int], int] = {}
        for match_id, start, end in self.matcher(doc):
            key = doc.vocab.strings[match_id]
            if end > best.get((key, start), -1):
                best[(key, start)] = end
        grouped: dict[str, list[tuple[str, int, int]]] = {}
        for (key, start), end in best.items():
            family, name = key.split("|", 1)
            grouped.setdefault(family, []).append((name, start, end))
        return grouped

    @staticmethod
    def _sentences(doc: Doc) -> list[tuple[int, int]]:
        bounds, lo = [], 0
        for tok in doc:
            if tok.text in SENTENCE_END or (tok.is_space and "\n" in tok.text):
                bounds.append((lo, tok.i + 1))
                lo = tok.i + 1
        if lo < len(doc):
            bounds.append((lo, len(doc)))
        return bounds or [(0, len(doc))]

    @staticmethod
    def _clauses(doc: Doc, sentence: tuple[int, int]) -> list[tuple[int, int]]:
        lo, hi = sentence
        out, start = [], lo
        for i in range(lo, hi):
            # "a 6-month contract" is one word, "eye - and now my cheek" two parts
            joined = doc[i].text == "-" and i > lo and not doc[i - 1].whitespace_
            if doc[i].norm_ in CLAUSE_BREAK or (
                doc[i].text in {",", "-", "+", "&", ";"} and not joined
            ):
                if i > start:
                    out.append((start, i))
                start = i + 1
        if start < hi:
            out.append((start, hi))
        return out

    @classmethod
    def _clause_of(cls, doc: Doc, start: int, end: int, sentence_of) -> tuple[int, int]:
        """The clause (token range) holding token `start`; [start, end) if none."""
        return next(
            (c for c in cls._clauses(doc, sentence_of(start)) if c[0] <= start < c[1]),
            (start, end),
        )

    @classmethod
    def _clause_has(cls, doc: Doc, span: Span, sentence_of, tokens: set[int]) -> bool:
        return bool(
            set(range(*cls._clause_of(doc, span.start, span.end, sentence_of))) & tokens
        )

    def _bare(self, doc: Doc, span: Span, sentence_of) -> bool:
        """A clause that says only a length ("for 3 weeks now", "it's been 2 days")."""
        lo, hi = self._clause_of(doc, span.start, span.end, sentence_of)
        rest = [t for t in doc[lo:hi] if not (span.start <= t.i < span.end)]
        return all(t.lower_ in self.length_only or not t.is_alpha for t in rest)

    def _later_place(
        self, doc: Doc, kept, mentions: list[Mention], sentence_of, twitching
    ):
        """The length (and its span) said of a place that started after another
        place's twitch, or None."""

        def places(lo: int, hi: int) -> set[str]:
            lo_c, hi_c = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1])
            return {
                m.name
                for m in mentions
                if m.kind == "location"
                and lo_c <= m.start < hi_c
                and not (m.flags.negated or m.flags.other_person or m.flags.historical)
                and not (m.flags.hypothetical or m.flags.uncertain)
            }

        timed = []
        for d, span, _ in kept:
            lo, hi = self._clause_of(doc, span.start, span.end, sentence_of)
            named = places(lo, hi)
            if named:
                timed.append((d, span, named, bool(set(range(lo, hi)) & twitching)))
        for d, span, named, _ in timed:
            # the earlier place must be said to twitch ("took a pole to the face
            # 8 months back" is an injury, not where it began)
            if any(
                other.days > d.days and named - others and said_twitch
                for other, _, others, said_twitch in timed
            ):
                return d, span
        return None

    def _analyse(self, doc: Doc) -> list[Mention]:
        groups = self._matches(doc)
        # "a stroke of luck", "a pain in the neck", "my cheeky toddler": words
        # of a sign or a place inside a phrase that means something else
        idioms = groups.pop("not_a_sign", [])
        for family in ("present", "absent", "location", "trigger", "side"):
            groups[family] = [
                (n, s, e)
                for n, s, e in groups.get(family, [])
                if not any(i_s <= s and e <= i_e for _, i_s, i_e in idioms)
            ]
        # "I sleep 8 hours", "8 hours of sleep every night": enough sleep is no trigger
        groups["trigger"] = [
            (n, s, e)
            for n, s, e in groups.get("trigger", [])
            if not (n == "sleep" and _enough_sleep(doc, s, e))
            # "no energy drinks": a denied drink, not "no energy"
            and not (
                n == "sleep" and doc[e - 1].lower_ == "energy"
                and e < len(doc) and doc[e].lower_.startswith("drink")
            )
        ]  # fmt: skip
        sentences = self._sentences(doc)

        def sentence_index(i: int) -> int:
            return next((n for n, (lo, hi) in enumerate(sentences) if lo <= i < hi), 0)

        def sentence_of(i: int) -> tuple[int, int]:
            return sentences[sentence_index(i)]

        modifiers = clean_modifiers(
            [Modifier(n, s, e) for n, s, e in groups.get("ctx", [])], doc
        )
        # "my lip n chin twitching n they feel numb": "they" after places, with
        # no person named between, is the places
        place_ends = [e for _, _, e in groups.get("location", [])]
        modifiers = [
            m
            for m in modifiers
            if not (
                m.category == "family"
                and doc[m.start].lower_ in THINGS_TOO
                and any(
                    pe <= m.start
                    and sentence_of(pe - 1) == sentence_of(m.start)
                    and not any(
                        o.category == "family" and pe <= o.start < m.start
                        for o in modifiers
                    )
                    for pe in place_ends
                )
            )
        ]
        terminators = {m.start for m in modifiers if m.category == "terminate"}
        # "not getting enough magnesium, eye twitching a week": a comma before a
        # part that speaks of the twitch starts a new statement; a list after a
        # negation ("no pain, redness or swelling") does not.
        twitching = {i for _, s, e in groups.get("twitch", []) for i in range(s, e)}
        for i, tok in enumerate(doc):
            if tok.text == ",":
                # "not spreading, for 8 days, had a blow to the face": a new statement
                if i + 1 < len(doc) and doc[i + 1].lower_ in NEW_STATEMENT:
                    terminators.add(i)
                j = i + 1
                while j < len(doc) and doc[j].text not in {","} | SENTENCE_END:
                    if j in twitching:
                        terminators.add(i)
                        break
                    j += 1
        reporters = {m.start for m in modifiers if m.category == "reporter_verbs"}
        retractions = [m.start for m in modifiers if m.category == "retraction"]
        modifiers = [
            m
            for m in modifiers
            if m.category not in ("terminate", "reporter_verbs", "retraction")
        ]

        def flags(start: int, end: int) -> Flags:
            return flags_for(
                start, end, modifiers, doc, terminators, reporters, sentence_of(start)
            )

        def mention(kind: str, name: str, value: Any, start: int, end: int) -> Mention:
            span = doc[start:end]
            return Mention(
                kind,
                name,
                value,
                span.start_char,
                span.end_char,
                span.text,
                flags(start, end),
                sentence_index(start),
                start,
                end,
            )

        mentions: list[Mention] = []

        # Facts: longest span wins; the same span may carry several facts.
        candidates = [
            (name, s, e, family == "present")
            for family in ("present", "absent")
            for name, s, e in groups.get(family, [])
        ]
        candidates.sort(key=lambda c: (-(c[2] - c[1]), c[1]))
        accepted: list[tuple[str, int, int, bool]] = []
        for cand in candidates:
            name, s, e, _ = cand
            clash = any(
                s < ae and as_ < e and (s, e) != (as_, ae) for _, as_, ae, _ in accepted
            )
            same = any(n == name and (s, e) == (as_, ae) for n, as_, ae, _ in accepted)
            if not clash and not same:
                accepted.append(cand)
        # A trigger that holds a shorter fact phrase wins it: "Red Bull" is
        # caffeine, not redness.
        triggers = groups.get("trigger", [])
        accepted = [
            (n, s, e, p)
            for n, s, e, p in accepted
            if not any(
                ts <= s and e <= te and te - ts > e - s for _, ts, te in triggers
            )
        ]
        found_durations = durations.find_durations(doc.text)
        # "about a weak" is a misspelt week (bot/understanding/durations.py), not weakness
        weeks = [
            (d.start, d.end)
            for d in found_durations
            if re.search(r"\bweak\b", d.text, re.I)
        ]
        accepted = [
            (n, s, e, p)
            for n, s, e, p in accepted
            if not any(
                ws <= doc[s].idx and doc[e - 1].idx + len(doc[e - 1]) <= we
                for ws, we in weeks
            )
        ]
        fact_spans = [(s, e) for _, s, e, _ in accepted]
        # The "can't" of "I can't keep water in my mouth on the right side" and
        # the "not" of "not sleeping properly due to office tension" belong to
        # the sign or the trigger; they deny nothing after it.
        own_spans = [(s, e) for _, s, e, p in accepted if p]
        own_spans += [(s, e) for _, s, e in groups.get("trigger", [])]
        # ...unless a list goes on: "can't whistle or puff my cheeks"
        own_spans = [
            (s, e)
            for s, e in own_spans
            if not (e < len(doc) and doc[e].norm_ in {"or", "nor"})
        ]
        modifiers = [
            m
            for m in modifiers
            if not (
                m.category.startswith("negation")
                and any(fs <= m.start < fe for fs, fe in own_spans)
            )
        ]
        # A place inside "can't close my eye" is not where it twitches; one inside
        # "just my eyelid" (a spreading phrase) is.
        non_twitch_spans = [
            (s, e)
            for n, s, e, _ in accepted
            if n in NON_TWITCH_FACTS or n == "movement_linked"  # "whenever I smile"
        ]
        weakness_ends = [
            e
            for n, _, e, p in accepted
            if p and n in ("facial_weakness", "eye_cannot_close")
        ]
        for name, s, e, present in accepted:
            # "droops when I smile": when the droop shows, not a linked twitch
            if name == "movement_linked" and any(
                0 <= s - we <= 1 for we in weakness_ends
            ):
                continue
            m = mention("fact", name, present, s, e)
            # "no drooping" flips a present phrase; an absent phrase ("hasn't
            # spread") already carries its own negation and is not flipped again.
            if m.flags.negated and present:
                m.value = False
            elif (
                not present
                and name != "symptom_recurring"  # "not constant": testers split
                and _denied_just_before(doc, s)
                and not _says_no(doc[s:e])
            ):
                m.value = True  # "can't smile normally": a healthy sign denied
            if name == ONSET_FACT:
                m.kind = "onset"
            mentions.append(m)

        # "no weakness, no pain, coffee 3x a day", "no other probs, drink like 6
        # cups of tea": a negation that took a sign, or anything but a trigger,
        # before a comma does not reach the trigger after it ("no coffee, tea
        # or energy drinks" still negates them all).
        sign_spans = [(s, e) for _, s, e, _ in accepted]
        trigger_starts = [ts for _, ts, _ in groups.get("trigger", [])]

        def took_no_trigger(m: Modifier, s: int) -> bool:
            comma = next((i for i in range(m.end, s) if doc[i].text == ","), None)
            return comma is not None and not any(
                m.end <= ts < comma for ts in trigger_starts
            )

        def sign_negations(s: int) -> list[Modifier]:
            lo, _ = sentence_of(s)
            return [
                m for m in modifiers
                if m.category.startswith("negation_forward") and lo <= m.start and m.end <= s
                and (any(m.start < fe <= s and any(doc[i].text == "," for i in range(fe, s))
                         for _, fe in sign_spans) or took_no_trigger(m, s))
            ]  # fmt: skip

        def flags_without(taken: list[Modifier], s: int, e: int) -> Flags:
            rest = [m for m in modifiers if not any(m is t for t in taken)]
            return flags_for(s, e, rest, doc, terminators, reporters, sentence_of(s))

        # "I stopped coffee completely", "gave up energy drinks": not a trigger now
        given_up = [e for _, _, e in groups.get("given_up", [])]
        situations = {(s, e) for _, s, e in groups.get("situation", [])}
        for name, s, e in groups.get("trigger", []):
            # (stopping magnesium or sleep makes the trigger, not ends it)
            if name in GIVEN_UP_ENDS and any(0 <= s - ge <= 2 for ge in given_up):
                continue
            if (s, e) in situations and any(
                other != "stress" and sentence_of(ts) == sentence_of(s)
                for other, ts, _ in groups.get("trigger", [])
            ):
                continue  # "coffee for a deadline": the deadline is the reason
            if not any(s < fe and fs < e for fs, fe in fact_spans):
                m = mention("trigger", name, True, s, e)
                taken = sign_negations(s) if m.flags.negated else []
                if taken:
                    m.flags = flags_without(taken, s, e)
                mentions.append(m)
        for _, s, e in groups.get("twitch", []):
            mentions.append(mention("twitch", "twitch", True, s, e))

        # Places: drop those inside a fact phrase ("can't close my eye") and
        # those in a clause that only talks about weakness, pain and the like.
        twitch_tokens = set(twitching)
        twitch_tokens |= {
            i
            for name, s, e, _ in accepted
            if name in ("symptom_spreading", "eye_forced_shut")
            for i in range(s, e)
        }
        non_twitch_tokens = {
            i
            for name, s, e, present in accepted
            if name in NON_TWITCH_FACTS
            for i in range(s, e)
        }
        sign_tokens = {
            i
            for name, s, e, present in accepted
            if name in NON_TWITCH_FACTS and name != "nerve_history"
            for i in range(s, e)
        }
        trigger_tokens = {
            i for _, s, e in groups.get("trigger", []) for i in range(s, e)
        }

        def about_something_else(
            s: int, e: int, others: set[int] = frozenset()
        ) -> bool:
            ids = set(range(*self._clause_of(doc, s, e, sentence_of)))
            return bool(ids & (non_twitch_tokens | others)) and not ids & twitch_tokens

        def nearer_something_else(s: int, e: int) -> bool:
            """ "will my face droop if this twitching doesn't stop": the place
            sits next to the droop, further from the twitch."""
            lo, hi = sentence_of(s)

            def distance(tokens: set[int]) -> int:
                near = [
                    abs(i - s) if i < s else i - e + 1 for i in tokens if lo <= i < hi
                ]
                return min(near, default=99)

            # "no numbness, left eye for a week": no twitch word to be nearer to
            if not groups.get("twitch"):
                return False
            other = distance(non_twitch_tokens)
            return other <= 3 and other < distance(twitch_tokens)

        def landmark(s: int, before: list[tuple[int, int]]) -> bool:
            """A place after "over", "below", "near"... with another place just
            before it in the same clause names a landmark."""
            k = s - 1
            while k >= 0 and doc[k].norm_ in LANDMARK_FILLERS:
                k -= 1
            if k < 0 or doc[k].lower_ not in LANDMARK_WORDS:
                return False
            # ("my bicep and under my left eye": two places, no landmark)
            return any(
                0 < k - pe <= 4 and sentence_of(ps) == sentence_of(s)
                and not any(doc[i].lower_ in {"and", "&", "plus"} for i in range(pe, k))
                for ps, pe in before
            )  # fmt: skip

        def smiling(s: int, e: int) -> bool:
            word = doc[s].lower_
            return e - s == 1 and (
                word in {"smiled", "smiling"}
                or word in {"smile", "smiles"}
                and s > 0
                and doc[s - 1].lower_ in SMILERS
            )

        locs = sorted(groups.get("location", []), key=lambda x: (x[1], -(x[2] - x[1])))
        taken: list[tuple[int, int]] = []
        elsewhere: list[tuple[str, int, int]] = []
        inside_facts: list[tuple[str, int, int]] = []
        side_spans = [(s, e) for _, s, e in groups.get("side", [])]
        for area, s, e in locs:
            if any(s < te and ts < e for ts, te in taken):
                continue
            if area == "body" and any(ss <= s and e <= se for ss, se in side_spans):
                continue  # the "hand" of "left-hand side"
            if smiling(s, e):
                continue  # "every time I smile", "I smiled at her": a movement
            if any(fs <= s and e <= fe for fs, fe in non_twitch_spans):
                inside_facts.append((area, s, e))
                continue
            if about_something_else(s, e) or nearer_something_else(s, e):
                elsewhere.append((area, s, e))
                continue
            if landmark(s, taken):
                continue  # "brow bone over my left eye": the eye only says where
            taken.append((s, e))
            mentions.append(mention("location", area, True, s, e))

        # "had a stomach bug", "on my feet all day", "my arms are fine", "both
        # sides smile the same": a body part (or a smile) in a sentence that
        # neither twitches nor spreads, beside a face place that does, is not
        # where it twitches.
        cue_tokens = {
            i for _, s, e in groups.get("spread_cue", []) for i in range(s, e)
        }
        face_twitch = any(
            m.kind == "location" and m.name != "body"
            and set(range(*sentence_of(m.token_start))) & twitch_tokens
            for m in mentions
        )  # fmt: skip

        def by_the_way(m: Mention) -> bool:
            word = doc[m.token_start].lower_
            return m.name == "body" or m.name == "mouth" and word in {"smile", "smiles"}

        for m in [m for m in mentions if m.kind == "location" and by_the_way(m)]:
            sentence = set(range(*sentence_of(m.token_start)))
            if face_twitch and not sentence & (twitch_tokens | cue_tokens):
                mentions.remove(m)
                taken.remove((m.token_start, m.token_end))

        # "Last summer I had an eyelid twitch that settled. Now my mouth...": the
        # place of an episode that is over, beside a place of this one.
        def episode_over(m: Mention) -> bool:
            said = doc[slice(*sentence_of(m.token_start))].text
            return m.flags.historical and bool(PAST_EPISODE.search(said))

        places = [m for m in mentions if m.kind == "location"]
        if any(not episode_over(m) for m in places):
            for m in filter(episode_over, places):
                mentions.remove(m)
                taken.remove((m.token_start, m.token_end))

        # "what's going on with my face, the right side of my mouth twitches":
        # the bare word "face", in a clause that does not say it twitches there,
        # adds nothing to a named place.
        def twitch_clause(m: Mention) -> bool:
            clause = next(
                (c for c in self._clauses(doc, sentence_of(m.token_start))
                 if c[0] <= m.token_start < c[1]),
                (m.token_start, m.token_end),
            )  # fmt: skip
            return bool(set(range(*clause)) & twitch_tokens)

        named = [m for m in mentions if m.kind == "location"]
        if any(m.name != "face" for m in named):
            bare = [
                m
                for m in named
                if m.name == "face"
                and m.text.lower() in BARE_FACE
                and not twitch_clause(m)
            ]
            for m in bare:
                mentions.remove(m)
                taken.remove((m.token_start, m.token_end))
        if not taken and groups.get("twitch"):
            # "my eyelid is red and swollen, twitching for 4 days" or "my eye
            # closes fine, it just flickers": the only place named is where
            # it twitches.
            for area, s, e in elsewhere or inside_facts[:1]:
                taken.append((s, e))
                mentions.append(mention("location", area, True, s, e))

        # Two places in one sentence plus "now/also/too": the twitch has moved.
        for n, (lo, hi) in enumerate(sentences):
            feared = [
                m.token_end
                for m in mentions
                if m.kind == "fact"
                and m.name == "symptom_spreading"
                and (m.flags.hypothetical or m.flags.historical or m.flags.supposed)
            ]
            places = [
                m
                for m in mentions
                if m.kind == "location"
                and not m.flags.negated
                and not m.flags.historical  # "it used to be my eye, now my cheek"
                and m.sentence == n
                # "scared it'll spread to my face": not a second place
                and not any(0 <= m.token_start - f <= 5 for f in feared)
            ]
            areas = {m.name for m in places}
            # A "now" counts with a place before it and one after it ("now my
            # calf and my eyelid twitch" names two places at once), and not in
            # "right now" / "for now".
            cues = [
                (s, e)
                for _, s, e in groups.get("spread_cue", [])
                if lo <= s < hi
                and (
                    doc[s].norm_ != "now"
                    or (
                        any(m.token_end <= s for m in places)
                        and any(m.token_start >= e for m in places)
                        # "now my arm twitches as well as my cheek", "jerking too now"
                        or any(doc[i].lower_ in ADDED_PLACE for i in range(lo, hi))
                    )
                    and (s == 0 or doc[s - 1].norm_ not in NOT_A_CHANGE)
                )
            ]
            if len(areas) >= 2 and cues:
                s, e = cues[0]
                m = mention("fact", "symptom_spreading", True, s, e)
                if not m.flags.negated:
                    mentions.append(m)
            # "My left eye has been twitching for 2 weeks. Now it's in my left
            # cheek too.": a sentence opening on "now" adds a new place.
            words = [t for t in doc[lo:hi] if not t.is_punct]
            while words and words[0].norm_ in {"and", "but", "so"}:
                words = words[1:]
            before = {
                m.name
                for m in mentions
                if m.kind == "location"
                and m.sentence < n
                and not (m.flags.historical or m.flags.negated)
            }
            norms = {t.norm_ for t in words}
            if (
                words
                and (words[0].norm_ == "now" or norms & CHANGE_WORDS)
                and before
                and norms & ADDED_PLACE
                and areas - before
            ):
                m = mention(
                    "fact", "symptom_spreading", True, words[0].i, words[0].i + 1
                )
                if not m.flags.negated and not m.flags.hypothetical:
                    mentions.append(m)

        denial_spans = [
            (s, e)
            for n, s, e, present in accepted
            if not present and n in NON_TWITCH_FACTS
        ]
        # "only the left side of my smile moves": the side that still works
        denial_spans += [
            (s, e)
            for n, s, e, present in accepted
            if present and n == "facial_weakness" and doc[s].norm_ == "only"
        ]
        side_nouns = {i for _, s, e in groups.get("side_noun", []) for i in range(s, e)}
        loc_tokens = {i for s, e in taken for i in range(s, e)} | side_nouns
        for side, s, e in groups.get("side", []):
            near = set(range(e, min(e + 4, len(doc)))) | set(range(max(0, s - 2), s))
            standalone = len([t for t in doc if not t.is_punct]) <= 4
            # ", right" or ", left," on its own: "eye twitch 10 days, right"
            # ...or ", the left" / ", the right one"
            opens = (
                s == 0
                or _boundary(doc[s - 1])
                or (s >= 2 and doc[s - 1].norm_ == "the" and _boundary(doc[s - 2]))
            )
            own_clause = opens and (e == len(doc) or _boundary(doc[e]))
            # "it's the right.", "is the left", "just the left actually"
            the_side = (
                s >= 1
                and doc[s - 1].norm_ == "the"
                and (
                    e == len(doc)
                    or _boundary(doc[e])
                    or doc[e].norm_ in SIDE_ENDS
                    or doc[e].lower_ in SIDE_ENDS
                )
            )
            after_on = (
                s >= 2
                and doc[s - 1].norm_ in {"the", "my"}
                and doc[s - 2].norm_ in {"on", "to", "in", "at"}
            ) or (s >= 1 and doc[s - 1].norm_ == "on")  # chat "twitchin on left"
            owned = s >= 1 and doc[s - 1].norm_ in {"my", "his", "her", "the", "their"}
            if (
                side == "right"
                and e < len(doc)
                and (
                    doc[e].lower_ in NOT_A_SIDE_AFTER
                    or doc[e].norm_ in NOT_A_SIDE_AFTER
                )
                and not owned  # "on my right there's a flicker"
                # "my right under-eye", "Right under-eye twitching"
                and not (
                    doc[e].norm_ == "under"
                    and (owned or (e + 1 < len(doc) and doc[e + 1].text == "-"))
                )
            ):
                continue
            # "my write cheek" is a typo; "I write code all day" is not a side
            if doc[s].lower_.startswith("writ") and not (
                owned or after_on or (doc[s].lower_ == "write" and e in side_nouns)
            ):
                continue
            # chat "r" for "are": "my lip n chin r twitching", "my legs r sore"
            if (
                doc[s].lower_ in {"r", "l"}
                and e < len(doc)
                and (
                    doc[e].lower_.endswith("ing")
                    or doc[e].lower_ in {"u", "you"}
                    or s >= 1
                    and doc[s - 1].lower_.endswith("s")
                    and doc[e].is_alpha
                    and e not in side_nouns
                )
            ):
                continue
            # "sorry, I mean left", "I meant the right one"
            corrected = any(
                0 <= s - k - 1 < len(doc) and doc[s - k - 1].lower_ in {"mean", "meant"}
                for k in (0, 1)
            )
            if any(s < fe and fs < e for fs, fe in denial_spans):
                continue  # "both eyes close fine": that "both" is not where
            # "sits lower than the right", "won't lift like the left one": the
            # side it is compared with
            # (a chat "like the rt side of my mouth" is a filler, not a comparison)
            ends = e == len(doc) or doc[e].lower_ == "one" or _boundary(doc[e])
            if (s >= 1 and doc[s - 1].lower_ == "than") or (
                s >= 2
                and doc[s - 1].lower_ in {"the", "my", "his", "her"}
                and (
                    doc[s - 2].lower_ == "than"
                    or (doc[s - 2].lower_ in {"like", "unlike"} and ends)
                )
            ):
                continue
            if (
                side == "both"
                or corrected
                or the_side
                or near & loc_tokens
                or standalone
                or after_on
                or own_clause
            ):
                m = mention("side", side, True, s, e)
                m.of_twitch = not about_something_else(s, e, trigger_tokens)
                mentions.append(m)

        history_ends = [e for n, _, e, _ in accepted if n == "nerve_history"]

        def just_after_history(start: int) -> bool:
            """ "after my surgery last year", "smacked... a few years back"."""
            return any(
                0 <= start - he <= 6
                and sentence_index(he - 1) == sentence_index(start)
                and not twitch_tokens & set(range(he, start))
                # "(it did droop with Bell's palsy), but for 10 days my cheek..."
                and not any(doc[i].norm_ in CLAUSE_BREAK or doc[i].text in {")", ";"}
                            for i in range(he, start))
                for he in history_ends
            )  # fmt: skip

        life_tokens = {
            i for _, s, e in groups.get("life_detail", []) for i in range(s, e)
        }

        def said_of_life(s: int, e: int) -> bool:
            """In a clause about a life detail, or a sentence with one and no
            word for the twitch ("I go to the gym... I've been at it 2 years")."""
            lo, hi = sentence_of(s)
            ids = set(range(lo, hi))
            clause = set(range(*self._clause_of(doc, s, e, sentence_of)))
            # "right now it's been 3 days and work is mental": this episode's
            if EPISODE_RESTART.search(doc[lo:hi].text) and not clause & life_tokens:
                return False
            return about_something_else(s, e, life_tokens) or bool(
                ids & life_tokens and not ids & twitch_tokens
            )

        # "working 12 hour shifts for 3 weeks and my eye started 4 days ago":
        # a length said of a life detail counts only if it is the only one.
        kept = []
        for d in found_durations:
            span = doc.char_span(d.start, d.end, alignment_mode="expand")
            if span is None:
                continue
            # "got hit in the face 2 wks ago and my cheek has twitched ever since"
            lo, hi = sentence_of(span.start)
            # "it's sore and red, been like 3 days": said of a sign, it counts
            # only when no other length is said (as a life detail's does)
            clause = set(
                range(*self._clause_of(doc, span.start, span.end, sentence_of))
            )
            of_a_sign = bool(clause & sign_tokens) and not clause & (
                twitch_tokens | trigger_tokens
            )
            if not EVER_SINCE.search(doc[lo:hi].text) and (
                # "I had Bell's palsy 2 years ago": not the twitch's age
                (
                    about_something_else(span.start, span.end, trigger_tokens)
                    and not of_a_sign
                )
                or just_after_history(span.start)
            ):
                continue
            kept.append((d, span, of_a_sign or said_of_life(span.start, span.end)))
        if not all(other for _, _, other in kept):
            kept = [k for k in kept if not k[2]]

        # "About 8 months ago I had one that lasted a few weeks and went away.
        # It's been back for 5 days": that sentence's lengths are a past
        # episode's, when another sentence gives one.
        def past_episode(span: Span) -> bool:
            said = doc[slice(*sentence_of(span.start))].text
            return bool(PAST_EPISODE.search(said)) and not EPISODE_RESTART.search(said)

        if any(not past_episode(k[1]) for k in kept):
            kept = [k for k in kept if not past_episode(k[1])]
        # "a teacher for 18 years ... about 9 days ago my eyelid started
        # twitching": with a length said in a clause about the twitch, one
        # said in a clause about something else is not its length. A bare
        # "for 3 weeks now" after a comma still is.
        place_tokens = {
            i for _, s, e in groups.get("location", []) for i in range(s, e)
        }
        about_twitch = twitching | place_tokens

        def anchored_length(span: Span) -> bool:
            # "my eyelid twitches, about 2 months now": a bare length hangs on
            # the twitch said in its sentence; "I'm a chef, ..., so 20 years
            # now" hangs on nothing about it.
            if self._clause_has(doc, span, sentence_of, about_twitch):
                return True
            if not self._bare(doc, span, sentence_of):
                return False
            lo, hi = sentence_of(span.start)
            clause = self._clause_of(doc, span.start, span.end, sentence_of)
            # "Been 3 weeks.": a sentence that is only a length ("Years ago,
            # in my twenties, I had Bell's palsy" is more than one)
            alone = all(
                not t.is_alpha for t in [*doc[lo : clause[0]], *doc[clause[1] : hi]]
            )
            # "right now it's been 3 days": this episode's length
            restarts = bool(EPISODE_RESTART.search(doc[lo:hi].text))
            return alone or restarts or bool(set(range(lo, hi)) & about_twitch)

        anchored = [k for k in kept if anchored_length(k[1])]
        if anchored:
            kept = anchored
        for d, span, _ in kept:
            f = flags(span.start, span.end)
            n = sentence_index(span.start)
            mentions.append(
                Mention("duration", "duration", d.days, d.start, d.end, d.text, f, n)
            )
            if d.recurring and durations.keeps_coming_back(doc.text, d.days):
                mentions.append(
                    Mention(
                        "fact", "symptom_recurring", True, d.start, d.end, d.text, f, n
                    )
                )

        # "my eyelid has twitched for 6 days and my jaw since yesterday": a place
        # that started later than another has been spread to.
        later = self._later_place(doc, kept, mentions, sentence_of, twitching)
        if later is not None:
            d, span = later
            f = flags(span.start, span.end)
            mentions.append(
                Mention("fact", "symptom_spreading", True, d.start, d.end, d.text, f,
                        sentence_index(span.start))
            )  # fmt: skip

        # "cheek jumps now and then", "on and off since Boxing Day": it comes and
        # goes and nobody said for how short a time, so it counts as recurring
        # (a length under two weeks would not, bot/understanding/durations.py).
        span = durations.recurring_span(doc.text)
        said_days = [m for m in mentions if m.kind == "duration"]
        if span and not said_days:
            part = doc.char_span(*span, alignment_mode="expand")
            if part is not None:
                mentions.append(
                    mention("fact", "symptom_recurring", True, part.start, part.end)
                )

        # "About 3 months ago I noticed that my cheek twitches when I blink",
        # "I moved here 2 months ago and for 9 days my cheek has been
        # fluttering": a time ago that dates the current twitch, not history.
        def spread_to_place(m: Mention) -> bool:
            """ "has spread down my cheek", not "moved to Melbourne"."""
            return any(
                p.kind == "location" and m.start <= p.start <= m.end + 30
                for p in mentions
            )

        for n, (lo, hi) in enumerate(sentences):
            said = doc[lo:hi].text
            dated = any(
                m.category == "historical"
                and lo <= m.start < hi
                and ONSET_AGO.search(doc[m.start : m.end].text)
                for m in modifiers
            )
            if dated and CURRENT.search(said) and not ENDED.search(said):
                for m in mentions:
                    if m.sentence == n and (
                        m.kind in ("location", "side", "twitch", "duration", "trigger")
                        or m.name == "movement_linked"
                        or (m.name == "symptom_spreading" and spread_to_place(m))
                    ):
                        m.flags.historical = False

        _take_back(mentions, retractions, sentences, doc.text)

        # "My smile is lopsided... Both came on suddenly an hour ago": a timing
        # sentence that points back speaks of the weakness before it.
        weak = {m.sentence for m in mentions if m.kind == "fact" and m.value is True
                and m.name in ("facial_weakness", "eye_cannot_close")}  # fmt: skip
        # ("...his left arm is weak. He'd had eye twitching all week. This came
        # on suddenly": two sentences back at most)
        for m in mentions:
            if m.kind != "onset" or m.sentence in weak:
                continue
            back = next(
                (k for k in (m.sentence - 1, m.sentence - 2) if k in weak), None
            )
            lo, _ = sentences[m.sentence]
            if back is not None and doc[lo].lower_ in POINTS_BACK:
                m.sentence = back

        # "My partner's eye keeps clamping shut on its own, right eye, it's been
        # a month": when the first place named is theirs and the writer never
        # names one as "my" own, the rest of the report is about them too,
        # except a clause in the first person ("I get them myself when stressed").
        places = sorted(
            (m for m in mentions if m.kind == "location"), key=lambda m: m.start
        )
        if (
            places
            and places[0].flags.other_person
            and not any(
                MY_BEFORE.search(doc.text[max(0, m.start - 20) : m.start])
                for m in places
            )
            and not FIRST_PERSON_TWITCH.search(doc.text)
        ):
            for m in mentions:
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is None or m.flags.other_person:
                    continue
                lo, hi = self._clause_of(doc, span.start, span.end, sentence_of)
                if not any(t.lower_ in FIRST_PERSON for t in doc[lo:hi]):
                    m.flags.other_person = True

        # "Writing for my husband... I've been stressed with my own job": in a
        # message about someone else, what the writer says of themselves is
        # theirs. Marked here; only the reading with the other person as the
        # patient uses it (facts_from_mentions).
        persons = {
            i
            for m in modifiers
            if m.category == "family"
            for i in range(m.start, m.end)
        }
        for m in mentions:
            if m.kind in ("fact", "trigger") and not m.flags.other_person:
                # the sentence, not the clause: "I'm pregnant and not sleeping"
                lo, hi = sentence_of(m.token_start)
                m.flags.writer = _said_of_writer(
                    doc, lo, hi, m.token_start, m.token_end, persons, reporters
                )

        # Questions about possibilities state no facts. Without a question
        # mark, only a general question counts ("is bell's palsy a stroke"):
        # one that speaks of "my"/"I" may be reporting the person's own state.
        # "started 10 mins ago, am I having a stroke??": a question may also
        # open after a comma of a sentence that ends in "?".
        clauses = [
            (n, start, hi)
            for n, (lo, hi) in enumerate(sentences)
            for start in [lo] + [
                i + 1 for i in range(lo, hi - 1)
                if doc[i].text == "," and doc[hi - 1].text == "?"
            ]
        ]  # fmt: skip
        feared_places: set[int] = set()
        for n, lo, hi in clauses:
            words = [t for t in doc[lo:hi] if not t.is_space and not t.is_punct]
            if len(words) < 2 or words[0].lower_ not in QUESTION_OPENERS:
                continue
            if words[1].lower_ in {"n't", "nt", "not"} and doc[hi - 1].text != "?":
                continue  # "doesn't hurt", "isn't painful": an answer, not a question
            # "Can chew and talk fine.": a statement with its "I" dropped
            if (
                doc[hi - 1].text != "?"
                and words[0].lower_ in {"can", "could"}
                and words[1].lower_ not in QUESTION_SUBJECTS
            ):
                continue
            asked = doc[hi - 1].text == "?" if hi > lo else False
            # "tell me about synkinesis": that "me" is not about the symptom
            skip = 1 if words[0].lower_ in {"tell", "explain"} else -1
            personal = any(
                t.lower_ in FIRST_PERSON for i, t in enumerate(words) if i != skip
            )
            if asked or not personal:
                # "is my smile a bit lopsided??", "is it normal that my face
                # suddenly looks lopsided?": asking about one's own state is a
                # hedged report, and doubt about a droop counts.
                state = (
                    personal
                    and words[0].lower_ in STATE_OPENERS
                    and not {w.lower_ for w in words} & POSSIBILITY_WORDS
                )
                hedged = state and any(
                    m.kind == "fact" and m.name in HEDGE_COUNTS and m.sentence == n
                    and m.token_start >= lo
                    for m in mentions
                )  # fmt: skip
                for m in mentions:
                    if (
                        m.kind in ("fact", "trigger", "onset")
                        and m.sentence == n
                        and m.token_start >= lo
                    ):
                        if hedged and (m.name in HEDGE_COUNTS or m.kind == "onset"):
                            m.flags.uncertain = True
                        else:
                            m.flags.hypothetical = True
                # "could it spread to the rest of my face?": a feared place
                if words[0].lower_ in FEAR_OPENERS:
                    feared_places.update(range(lo, hi))
        if feared_places:
            _take_back(
                [m for m in mentions if m.token_start in feared_places],
                [], sentences, doc.text,
            )  # fmt: skip

        mentions.sort(key=lambda m: (m.start, m.end))
        return mentions


# The writer as the subject ("I'm", "we've"); "my" and "our" are left out:
# they own the patient ("my son", "our 4 year old").
# "mine" stands for the writer's twitch: "mine's only in my eyelid".
WRITER = {"i", "i'm", "im", "i've", "ive", "i'd", "i'll", "me", "myself", "we",
          "we're", "we've", "us", "mine"}  # fmt: skip
REPORTED_WITHIN = 3  # "I think", "I've noticed": the writer reporting, not stating


ENOUGH_SLEEP_HOURS = 7  # adults' usual need; fewer is the article's poor sleep
SLEEP_LIMITS = {"only", "just", "barely", "hardly", "less", "under", "max", "maximum",
                "not", "never", "few", "nt", "n't", "no"}  # fmt: skip
HOUR_WORDS = {"hours", "hour", "hrs", "hr", "h"}


def _enough_sleep(doc: Doc, start: int, end: int) -> bool:
    """A sleep phrase that gives hours enough for a night, with nothing that
    limits them ("I sleep 8 hours" yes; "only 8 hours", "4 hrs" no)."""
    lo, hi = max(0, start - 3), min(len(doc) - 1, end + 3)
    # the number said of hours: "8 hours", not the "8 glasses of wine" after
    numbers = [
        _number(doc[i])
        for i in range(lo, hi)
        if doc[i].like_num
        and doc[i + 1].lower_ in HOUR_WORDS
        and start <= i + 1 < end  # hours of sleep, not "a 14 hr flight"
    ]
    numbers = [n for n in numbers if n is not None]
    if not numbers:
        return False
    if any(t.lower_ in SLEEP_LIMITS or t.norm_ in SLEEP_LIMITS for t in doc[lo:end]):
        return False
    return max(numbers) >= ENOUGH_SLEEP_HOURS


def _number(token) -> float | None:
    try:
        return float(token.text)
    except ValueError:
        return durations.NUMBER_WORDS.get(token.lower_)


def _said_of_writer(
    doc, lo: int, hi: int, start: int, end: int, persons: set[int], reporters: set[int]
) -> bool:
    """Is the writer the last person named before this mention in its sentence
    (or "myself" after it), and not just reporting what they saw?"""
    if any(doc[i].lower_ == "myself" for i in range(end, hi)):
        return True
    for i in range(start - 1, lo - 1, -1):
        if i in persons:
            return False
        if doc[i].lower_ in WRITER:
            return not any(i < r <= i + REPORTED_WITHIN for r in reporters)
    return False


def _says_no(span) -> bool:
    """An absent phrase with its own negation ("hasn't spread"), not one
    that only names health ("smile normally")."""
    return any(t.norm_ in NEGATING or t.lower_.endswith("n't") for t in span)


def _someone_elses_guess(text: str, start: int) -> bool:
    """A trigger after "<someone> said / reckons / told me to try": theirs,
    unless it is a result about the patient ("GP said my magnesium is low")
    or the person agrees ("GP says stress. probably right tbh")."""
    before, after = sentence_around(text, start, start)
    verbs = [
        v for v in CLAIM_VERB.finditer(before) if v["who"].lower() not in ("i", "we")
    ]
    if not verbs or AGREES.search(text):
        return False
    between = before[verbs[-1].end() :]
    if RESULT.search(after):
        return False
    return bool(GUESSED.search(between)) or not ABOUT_THE_PATIENT.search(between)


def _sentence_at(text: str, start: int, end: int) -> str:
    left, right = sentence_around(text, start, end)
    return left + text[start:end] + right


def _denied_just_before(doc, s: int) -> bool:
    """ "can't smile normally", "unable to raise my brows": a negation right
    before the phrase, in its clause (not "no droop, smile fine")."""
    k = s - 1
    while k >= 0 and doc[k].lower_ in {"to", "able", "be"}:
        k -= 1
    t = doc[k] if k >= 0 else None
    # A verb's negation only: "nah face is normal" answers no, it denies nothing.
    if t is None or not (
        t.lower_ in {"not", "never"} or t.lower_.endswith("n't") or t.lower_ in UNABLE
    ):
        return False
    # "it is not closing my eye": the twitch does not do it, the person can.
    for j in range(k - 1, max(k - 4, -1), -1):
        if _boundary(doc[j]):
            break
        if doc[j].lower_ in TWITCH_SUBJECTS:
            return False
    return True


def _boundary(token) -> bool:
    """Punctuation or an emoji: "eyebrow twitch 🤨 left, 1 week"."""
    return token.is_punct or not any(ch.isalnum() for ch in token.text)


def _take_back(
    mentions: list[Mention],
    retractions: list[int],
    sentences: list[tuple[int, int]],
    text: str,
) -> None:
    """Mark what the person takes back as `retracted`:
    - a belief ("I thought it had spread to my chin") followed in its sentence
      by a retraction ("but no") or by the same fact denied ("no pain really");
    - a place a feared, past or taken-back spread would reach ("worried it'll
      move down to my lip", "it used to spread to my mouth"): not where it is."""
    for m in mentions:
        if not m.flags.supposed:
            continue
        later_cue = any(
            sentences[m.sentence][0] <= t < sentences[m.sentence][1]
            and t >= m.token_end
            for t in retractions
        )
        denied = any(
            o.kind == "fact"
            and o.name == m.name
            and o.sentence == m.sentence
            and o.start > m.end
            and o.value is False
            for o in mentions
        )
        if later_cue or (m.kind == "fact" and m.value is True and denied):
            m.flags.retracted = True
    spreads = [
        m
        for m in mentions
        if m.kind == "fact"
        and m.name == "symptom_spreading"
        and m.value is True
        and (m.flags.hypothetical or m.flags.historical or m.flags.retracted)
    ]
    for m in mentions:
        if (
            m.kind == "location"
            and any(
                sp.sentence == m.sentence
                and 0 <= m.token_start - sp.token_end <= 5
                # "scared it'll spread — my chin twitches": a dash starts the report
                and not re.search(r"[—–;:]| - ", text[sp.end : m.start])
                for sp in spreads
            )
        ):
            m.flags.retracted = True


@lru_cache(maxsize=1)
def default_nlp() -> Language:
    """The pipeline built from the current lexicon (no disk needed)."""
    from bot.understanding.spacy_pipeline import build_pipeline

    return build_pipeline()


def about_someone_else(mentions: list[Mention]) -> bool:
    return any(m.flags.other_person for m in mentions)


def symptom_facts(facts: dict[str, Any]) -> list[str]:
    """Facts about the twitch itself: where, and the yes / no signs (a duration,
    a side or a trigger alone does not say whose twitch it is)."""
    skip = ("triggers", "unsure_facts", "symptom_duration_days", "symptom_side")
    return [k for k, v in facts.items() if k not in skip and v not in (None, [])]


def patient_is_someone_else(
    own: dict[str, Any],
    proxy: dict[str, Any],
    text: str = "",
) -> bool:
    """Does the message describe someone else's twitch ("writing for my mum, her
    left cheek twitches and she says it doesn't hurt")? Yes when only the
    reading with them as the patient finds where it twitches, or any sign."""
    if proxy.get("symptom_location") and not own.get("symptom_location"):
        return True
    # "typing for my mom...", "on behalf of my father": said outright
    if FOR_SOMEONE.search(text) and proxy != own:
        return True
    # ("my mum's face is droopy... out of nowhere": the writer's only "facts"
    # are denials the relative's story carries, so they do not make it theirs)
    return bool(symptom_facts(proxy)) and not any(
        own[k] is not False for k in symptom_facts(own)
    )


# One person, several words: "mum ... her mother's" is one patient.
SAME_PERSON = {"mom": "mum", "mother": "mum", "mommy": "mum", "mam": "mum",
               "father": "dad", "daddy": "dad", "papa": "dad", "hubby": "husband",
               "bf": "boyfriend", "gf": "girlfriend", "grandmother": "grandma",
               "granny": "grandma", "nan": "grandma", "nana": "grandma",
               "grandfather": "grandpa", "grandad": "grandpa", "granddad": "grandpa",
               "kid": "child", "neighbor": "neighbour", "coworker": "colleague",
               "fiancee": "fiance", "stepmom": "stepmum"}  # fmt: skip


@lru_cache(maxsize=1)
def _relative_words() -> frozenset[str]:
    """The lexicon's words for a named person (not "he", "her", "someone")."""
    family = load_lexicon().raw["context"]["family"]
    pronouns = {"he", "she", "they", "his", "her", "their", "someone", "somebody"}
    return frozenset(
        SAME_PERSON.get(w, w)
        for w in map(str, family)
        if " " not in w and "'" not in w and w not in pronouns
    )


def _relative(who: str) -> str | None:
    word = who.split()[-1] if who else ""
    word = SAME_PERSON.get(word, word)
    return word if word in _relative_words() else None


def _patient(text: str, mentions: list[Mention]) -> str | None:
    """Who the patient is, in a message about someone else: the person named
    with the first place ("my husband's left cheek"), else the first named."""
    places = sorted(
        (m for m in mentions if m.kind == "location"), key=lambda m: m.start
    )
    named = [m.flags.who for m in places if m.flags.other_person]
    before = text[: places[0].start] if places else text
    for word in [*named, *re.findall(r"[a-z]+", before.lower())]:
        if person := _relative(word):
            return person
    return None


def _not_the_patients(m: Mention, patient: str | None) -> bool:
    """In the reading about someone else: the writer's own facts ("I'm
    stressed too") and another relative's ("his brother had a stroke")."""
    if m.kind not in ("fact", "trigger"):
        return False
    if m.flags.writer:
        return True
    other = _relative(m.flags.who) if m.flags.other_person else None
    return patient is not None and other is not None and other != patient


def facts_from_mentions(
    text: str, mentions: list[Mention], proxy: bool = False
) -> Extraction:
    """proxy: read the message as being about the person it describes ("my
    husband's eyelid twitches"): other people's mentions count as the patient's."""
    if proxy:
        patient = _patient(text, mentions)
        mentions = [
            replace(
                m, flags=replace(m.flags, other_person=_not_the_patients(m, patient))
            )
            for m in mentions
        ]
    # "i cant speak properly and my arm feels weak": speech trouble with no
    # cause named is a stroke sign (under-calling it is the unsafe error);
    # "hard to talk because my lip twitches" stays affected function.
    mentions = mentions + [
        replace(m, name="stroke_signs")
        for m in mentions
        if m.kind == "fact"
        and m.name == "function_affected"
        and m.value is True
        and SPEECH.search(m.text)
        and not SPEECH_EXPLAINED.search(_sentence_at(text, m.start, m.end))
    ]
    # "the pharmacist said it's probably lack of sleep", "friend told me it
    # comes from low magnesium": someone else's guess, not the person's fact
    mentions = [
        replace(m, flags=replace(m.flags, hypothetical=True))
        if m.kind == "trigger" and _someone_elses_guess(text, m.start)
        else m
        for m in mentions
    ]
    facts: dict[str, Any] = {}
    uncertain: list[str] = []
    lexicon = load_lexicon()

    # Weakness said in the same sentence lets timing words speak about it.
    weakness_sentences = {
        m.sentence
        for m in mentions
        if m.kind == "fact"
        and m.name in ("facial_weakness", "eye_cannot_close")
        and m.value is True
        and _counts(m)
    }

    onset: bool | None = None
    for m in mentions:
        if m.kind == "onset":
            if not _counts(m):
                continue
            if m.sentence in weakness_sentences:
                facts[ONSET_FACT] = facts.get(ONSET_FACT) or m.value
            else:
                onset = m.value if onset is None else (onset or m.value)
            continue
        if m.kind != "fact":
            continue
        hedged = m.flags.uncertain and not m.flags.retracted
        if hedged and not (m.flags.other_person or m.flags.hypothetical):
            if m.value is True and m.name in HEDGE_COUNTS:
                facts[m.name] = True  # "is my smile a bit lopsided maybe? not sure"
            elif m.value is True and m.name not in uncertain:
                uncertain.append(m.name)
            continue
        # "crooked last week but not anymore": false now, unless said true elsewhere
        if m.flags.ended and not (m.flags.other_person or m.flags.hypothetical):
            facts[m.name] = bool(facts.get(m.name))
            continue
        if not _counts(m, history_ok=lexicon.history_counts(m.name)):
            continue
        # Any positive mention wins: under-calling a red flag is the unsafe error.
        facts[m.name] = bool(facts.get(m.name)) or bool(m.value)
    # An eye that won't close is a sign of facial weakness (the contract's
    # facial_weakness), even next to "no droop".
    if facts.get("eye_cannot_close") is True:
        facts["facial_weakness"] = True
    for name in list(uncertain):
        if facts.get(name) is not None:
            uncertain.remove(name)

    folded = text.lower().replace("\u2019", "'")
    cue = min((folded.find(c) for c in CORRECTION_CUES if c in folded), default=-1)
    replaces = False
    if cue >= 0:
        after = [
            m
            for m in mentions
            if m.start > cue and m.kind in ("location", "side") and not m.flags.negated
        ]
        if any(m.kind == "location" for m in after):
            replaces = True
            mentions = [
                m
                for m in mentions
                if not (m.kind == "location" and m.start < cue and not m.flags.negated)
            ]
        if any(m.kind == "side" for m in after):
            mentions = [m for m in mentions if not (m.kind == "side" and m.start < cue)]

    mentions = [
        m
        for m in mentions
        if not (m.kind in ("location", "side") and m.flags.retracted)
    ]
    # "I had a twitch in my right eye last year... now it's my left cheek"
    for kind in ("location", "side") if not facts.get("symptom_spreading") else ():
        if any(m.kind == kind and not m.flags.historical for m in mentions):
            mentions = [m for m in mentions if m.kind != kind or not m.flags.historical]
    locations = [
        m.name
        for m in mentions
        if m.kind == "location" and not m.flags.negated and not m.flags.other_person
    ]
    excluded = [
        m.name
        for m in mentions
        if m.kind == "location" and m.flags.negated and not m.flags.other_person
    ]
    if not locations:
        # "not my left eye, it's the right one": the side is denied, not the eye
        sides_ok = [m for m in mentions if m.kind == "side" and not m.flags.negated]
        for m in mentions:
            if m.kind == "location" and m.flags.negated and not m.flags.other_person:
                denied_side = any(
                    o.kind == "side"
                    and o.flags.negated
                    and o.token_end == m.token_start
                    for o in mentions
                )
                if denied_side and any(o.name != "both" for o in sides_ok):
                    locations.append(m.name)
    if locations:
        facts["symptom_location"] = list(dict.fromkeys(locations))
    excluded = [x for x in dict.fromkeys(excluded) if x not in locations]

    side_mentions = [
        m
        for m in mentions
        if m.kind == "side" and not m.flags.negated and not m.flags.other_person
    ]
    sides = {m.name for m in side_mentions}
    if sides & {"left", "right"}:
        # "eyebrow and eyelid both jumping on the right": that "both" is places
        sides -= {
            m.name
            for m in side_mentions
            if m.name == "both" and m.text.lower() == "both"
        }
    if {"left", "right"} <= sides and "both" not in sides:
        # "my left eyelid twitches, and since an hour my right hand is weak"
        of_twitch = {m.name for m in side_mentions if m.of_twitch}
        if len(of_twitch) == 1:
            sides = of_twitch
    if "both" in sides or {"left", "right"} <= sides:
        facts["symptom_side"] = "both"
    elif sides:
        facts["symptom_side"] = sides.pop()

    days = [m for m in mentions if m.kind == "duration" and not m.flags.other_person]
    # "on and off for years... it's back since Friday, 3 days ago": this episode
    # (the last restart said: "it's back. it goes away for weeks... current one
    # started yesterday")
    restart = ([*EPISODE_RESTART.finditer(text)] or [None])[-1]
    if restart:
        # from the start of its clause: "..., but since yesterday it started again"
        at = restart.start()
        back = max(text.rfind(c, 0, at) for c in (",", ";", ".", " but "))
        at = back if back != -1 and at - back <= 40 else at
        if any(m.start >= at for m in days):
            days = [m for m in days if m.start >= at]
    # "same like last year, ... now 4 days": a past episode is not this one
    current = [m for m in days if not m.flags.historical]
    days = [m.value for m in current or days]
    if days:
        facts["symptom_duration_days"] = round(max(days), 4)

    # A hedged trigger still counts ("prob all the Red Bull"): it only shapes advice.
    triggers = [
        m.name
        for m in mentions
        if m.kind == "trigger"
        and not m.flags.negated
        # a low magnesium result "last month" still stands
        and _counts(
            replace(m, flags=replace(m.flags, uncertain=False)),
            history_ok=m.name == "magnesium",
        )
    ]
    if triggers:
        facts["triggers"] = list(dict.fromkeys(triggers))

    if facts.get("symptom_spreading"):
        replaces = False  # "actually it has spread to my mouth" adds a place
    return Extraction(text, mentions, facts, uncertain, excluded, onset, replaces)


def extract(text: str, nlp: Language | None = None, proxy: bool = False) -> Extraction:
    doc = (nlp or default_nlp())(text)
    return facts_from_mentions(text, doc._.mentions or [], proxy)


def proxy_entities(doc_or_text) -> list[dict[str, Any]]:
    """The proxy reading's entities (role "proxy"), only when the message speaks
    about someone else at all."""
    doc = doc_or_text if isinstance(doc_or_text, Doc) else default_nlp()(doc_or_text)
    if not about_someone_else(doc._.mentions or []):
        return []
    found = extract_from_doc(doc, proxy=True)
    return [{**e, "role": PROXY_ROLE} for e in found.entities()]


def extract_from_doc(doc: Doc, proxy: bool = False) -> Extraction:
    return facts_from_mentions(doc.text, doc._.mentions or [], proxy)
