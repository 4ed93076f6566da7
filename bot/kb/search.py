"""Answers a free question from the knowledge base, with its source.

1. The question is normalised like the documents (bot/kb/terms.py).
2. Full-text search ranks candidates: SQLite FTS5 bm25 (keywords weigh double)
   or PostgreSQL ts_rank.
3. A small table of question cues ("how do I stop..." wants relief) nudges
   the order towards the kind of fact that answers that sort of question.
4. Meaning (bot/kb/semantic.py): a sentence encoder compares the question
   with the ways people ask for each fact; its cosine is added to the
   lexical score, and its best documents join the candidates.
5. No answer is better than a wrong one: the chosen document must carry at
   least MIN_COVERAGE of the idf weight of the question's informative terms,
   or be near enough in meaning (SEM_FOUND); a question nearer to the
   out-of-scope examples than to any fact is refused.

The documents (texts, sources, terms) are cached per index stamp, so a
question costs one full-text query and no row loading.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.orm import Session

from bot.kb.db import database_url, session_scope
from bot.kb.index import documents, normaliser, searchable_rows
from bot.kb.schema import Meta
from bot.kb.semantic import MeaningIndex, load_paraphrases
from bot.kb.terms import Terms, words
from bot.understanding.answers import answer_words
from bot.understanding.concepts import (
    conditions_and_details,
    implied_details,
    search_words,
)

# (question cue pattern, fact kinds it asks for, fact for a question with
# nothing more specific in it). The first cue that matches counts.
CUES: list[tuple[str, tuple[str, ...], str]] = [
    (
        r"\b(stop|relie\w*|help|get rid|treat\w*|cure|remed\w*|fix|ease|calm|"
        r"prevent|what can i do|what should i do|home)\b",
        ("relief",),
        "relief_warm_compress",
    ),
    (
        r"\b(why|cause[sd]?|causing|reason|trigger\w*|because|make[s]? it|"
        r"lead to|brings? on)\b",
        ("cause", "trigger"),
        "triggers_daily_habits",
    ),
    (
        r"\b(what is|what's|whats|what are|which|explain|mean[s]?|meaning|defin\w*|"
        r"tell me about|wtf is)\b",
        ("explanation", "cause"),
        "myokymia_what_it_is",
    ),
    (
        r"\b((see|visit|go to|consult|call|ask)( a| the| my)? )?(doctor|gp|physician|hospital|er|a&e|medical|professional|"
        r"specialist|neurologist|get it checked|see someone)\b",
        ("when_to_seek_care", "red_flag"),
        "seek_care_several_weeks",
    ),
    (
        r"\b(serious|worr\w*|dangerous|bad|concern\w*|harmless|normal|scared|"
        r"scary|fine)\b",
        ("explanation", "red_flag"),
        "myokymia_usually_harmless",
    ),
]
# "how much water should I drink a day?", "how long should I keep the compress
# on?": the articles give few amounts; such a question is answered only by a
# fact that states one ("hold it for a few seconds").
AMOUNT_ASKED = re.compile(
    r"\bhow (?:much|many|often|long)\b[^?.]*\b(?:should|must|do|need to|supposed to)"
    r"\s+(?:i|you|we)\b|\bhow (?:much|many)\b[^?.]*\b(?:per|a) (?:day|week)\b"
    r"|\bhow long after\b|\bhow (?:much|many)\b[^?.]*\btoo (?:much|many)\b"
    r"|\bhow (?:long|soon) (?:does|will|would|do|should) (?:it|they|that|this) take\b"
    r"|\bhow (?:long|soon) (?:until|till|before)\b"
    r"|\bhow many (?:days|weeks|months|years)\b",
    re.I,
)
# an amount is a number with its unit ("for a few seconds"), not "the most common one"
AMOUNT_GIVEN = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a few|several)\s+"
    r"(?:\w+\s+)?(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|times?|cups?"
    r"|glass(?:es)?|lit(?:re|er)s?|mg|grams?|servings?|drinks?)\b",
    re.I,
)
# "how many times a day should I do the stretch?" wants a frequency: "hold it
# for a few seconds" gives an amount, not how often.
OFTEN_ASKED = re.compile(r"\bhow often\b|\bhow many times\b|\btimes a day\b", re.I)
OFTEN_GIVEN = re.compile(r"\b(?:times?|daily|a day|per day|every)\b", re.I)
# "exactly how many days until it stops?" wants a number, not "minutes or hours".
EXACT_ASKED = re.compile(r"\b(?:exactly|precisely)\s+how\s+(?:much|many|long)\b", re.I)
EXACT_GIVEN = re.compile(r"\d")
AMOUNTS = "exact amounts or timings"
# Details the articles seldom give, asked in a shape of their own: answered
# only by a top fact that gives that detail, else refused with what is missing.
# (what is asked, how it is asked, what an answer giving it holds)
DETAILS_ASKED = [
    (
        "twitching on both sides at once",
        re.compile(
            r"\bboth\b[^?.]{0,40}\b(?:same time|at once|together|simultaneous\w*)\b",
            re.I,
        ),
        re.compile(r"\bboth\b", re.I),
    ),
    (
        "how fast it changes",
        re.compile(r"\bhow (?:fast|quickly|soon)\b", re.I),
        AMOUNT_GIVEN,
    ),
    (
        "whether it can be life-threatening",
        re.compile(
            r"\blife[- ]threatening\b|\bdeadly\b|\bfatal\b|\b(?:kill|die)\b", re.I
        ),
        re.compile(r"\b(?:life|death|die|fatal|deadly)\b", re.I),
    ),
    (
        "when in the day it comes",
        re.compile(
            r"\b(?:only|mostly|always|just|worse|usually)\b[^?.]{0,25}"
            r"\b(?:in the (?:morning|evening|afternoon)|at night|in bed|at bedtime)\b",
            re.I,
        ),
        re.compile(r"\b(?:morning|evening|night|bed|bedtime)\b", re.I),
    ),
    (
        "which of two things works better",
        re.compile(
            r"\b(?:better|more effective|stronger|safer|quicker|faster) than\b"
            r"|\bwhich (?:one |is |works |would |do )*(?:better|best)\b"
            r"|\bwhich\b[^?.]{0,25}\b(?:better|best)\b",
            re.I,
        ),
        re.compile(r"\b(?:better|more effective) than\b|\bbest\b", re.I),
    ),
    (
        "risks and side effects",
        re.compile(r"\bside[- ]effects?\b|\brisks?\b|\brisky\b", re.I),
        re.compile(r"\bside[- ]effects?\b|\brisks?\b", re.I),
    ),
    (
        "that much detail",
        re.compile(
            r"\bstep[- ]by[- ]step\b|\bin (?:full|more|great) detail\b"
            r"|\bwhich\b[^?.]{0,30}\bexactly\b|\bexactly which\b",
            re.I,
        ),
        re.compile(r"\bfirst\b[^.]*\bthen\b", re.I),  # a fact told in steps
    ),
    (
        "whether it is permanent",
        re.compile(r"\bpermanent\w*\b", re.I),
        re.compile(r"\bpermanent\w*\b", re.I),
    ),
]
DENIED_SIGN = re.compile(
    r"\b(?:doesn'?t|does\s+not|dont|don'?t|no|not|isn'?t|never|without)\s+"
    r"(?:\w+\s+)?(?:hurt\w*|pain\w*|sore\w*|numb\w*|swell\w*|swollen|red\w*"
    r"|droop\w*|spread\w*)\b",
    re.I,
)
CUE_BONUS = 0.35
TOPIC_BONUS = 0.5
# Question words say what kind of answer is wanted (the cues), not about what.
QUESTION_WORDS = {"what", "why", "how", "when", "where", "which", "who", "wtf"}
# Words for the topic itself do not make a question specific: "is a cheek
# spasm dangerous?" asks what "is it dangerous?" asks (with the lexicon's
# twitch words, in topic_terms below).
TOPIC_WORDS = "cheek chek face facial eye eyes eyelid lid muscle muscles"
# ...nor do words for how often: "what are the most common causes?" asks
# what "what causes it?" asks.
GENERAL_WORDS = (
    "common commonly usual usually main typical typically most often general"
)
# A term found in more than this share of documents says little on its own.
COMMON_SHARE = 0.5
MIN_COVERAGE = 0.3
COVERAGE_WEIGHT = 1.0
# Meaning: weight of the cosine over SEM_FLOOR in the ranking, the cosine
# that alone makes an answer, and how much nearer the out-of-scope examples
# must be to refuse a question the words alone would answer.
SEM_WEIGHT = 12.0
SEM_FLOOR = 0.3
SEM_FOUND = 0.4
SEM_CANDIDATES = 5
OOS_MARGIN = -0.05
CLEAR_COVERAGE = 0.75
# How far down the ranking a fact about both a named condition and the rest
# of the question may sit and still answer it.
CONDITION_HITS = 3


@dataclass
class Hit:
    doc_type: str  # fact | passage
    key: str
    kind: str
    topic: str
    text: str
    source_key: str
    source_title: str
    publisher: str
    section: str
    score: float
    matched: list[str] = field(default_factory=list)


@dataclass
class Answer:
    found: bool
    hits: list[Hit]
    question_terms: list[str]
    not_covered: str | None = None  # e.g. "medicines and treatments"
    # Why it was found or refused: coverage, meaning, out_of_scope (for tuning)
    evidence: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class _Doc:
    hit: Hit  # prototype, copied with the score for each answer
    terms: frozenset[str]  # body and keyword terms
    topic_terms: frozenset[str]
    conditions: frozenset[str]  # named conditions it speaks of (its topic too)
    details: frozenset[str]  # triggers, signs, relief... it speaks of


class KnowledgeBase:
    def __init__(self, url: str | None = None):
        self.url = url or database_url()
        self._stamp: str | None = None
        self._terms: Terms | None = None
        self._docs: dict[tuple[str, int], _Doc] = {}
        self._df: dict[str, int] = {}
        self._n_docs = 0
        self._not_covered_groups = _load_not_covered()
        self._meaning: MeaningIndex | None = None
        self._topic: set[str] | None = None

    # -------------------------------------------------------------- caches
    def _refresh(self, session: Session) -> None:
        meta = session.get(Meta, "index_stamp")
        stamp = meta.value if meta else None
        if stamp == self._stamp and self._terms is not None:
            return
        rows = searchable_rows(session)
        self._terms = normaliser(documents(rows))
        indexed = {
            (r[0], int(r[1])): frozenset((r[2] + " " + r[3]).split())
            for r in session.execute(
                text("SELECT doc_type, doc_id, terms, keyword_terms FROM kb_search")
            )
        }
        self._docs = {}
        for doc_type, row in rows:
            hit = _prototype(doc_type, row)
            named, details = conditions_and_details(hit.text)
            named.add(hit.topic)
            self._docs[(doc_type, row.id)] = _Doc(
                hit,
                indexed.get((doc_type, row.id), frozenset()),
                frozenset(self._terms(hit.topic.replace("_", " "))),
                frozenset(named),
                frozenset(details | implied_details(named)),
            )
        self._df = {}
        for doc in self._docs.values():
            for term in doc.terms:
                self._df[term] = self._df.get(term, 0) + 1
        self._n_docs = max(1, len(self._docs))
        self._build_meaning()
        self._stamp = stamp

    def _build_meaning(self) -> None:
        paraphrases, out_of_scope = load_paraphrases()
        texts = {
            key: [doc.hit.text, *paraphrases.get(doc.hit.key, [])]
            for key, doc in self._docs.items()
        }
        if self._meaning is None:
            self._meaning = MeaningIndex()
        self._meaning.build(texts, out_of_scope)

    def informative(self, term: str) -> bool:
        if term in QUESTION_WORDS:
            return False
        return self._df.get(term, 0) <= COMMON_SHARE * self._n_docs

    def idf(self, term: str) -> float:
        # Words the knowledge base never uses weigh most: a question about
        # "botox" is not answered by a fact that shares only "take".
        return math.log((self._n_docs + 1) / (max(self._df.get(term, 0), 1) + 0.5))

    def _coverage(self, informative: list[str], matched: list[str]) -> float:
        total = sum(self.idf(t) for t in informative)
        return sum(self.idf(t) for t in matched) / total if total else 0.0

    # -------------------------------------------------------------- search
    def _candidates(self, session: Session, terms: list[str], limit: int):
        """(doc key, score) from the database's full-text index, best first."""
        unique = list(dict.fromkeys(terms))
        if not unique:
            return []
        if session.get_bind().dialect.name == "sqlite":
            query = " OR ".join('"' + t.replace('"', "") + '"' for t in unique)
            rows = session.execute(
                text(
                    "SELECT s.doc_type, s.doc_id, -bm25(kb_search_fts, 2.0, 1.0) "
                    "FROM kb_search_fts JOIN kb_search s ON s.id = kb_search_fts.rowid "
                    "WHERE kb_search_fts MATCH :q "
                    "ORDER BY bm25(kb_search_fts, 2.0, 1.0) LIMIT :n"
                ),
                {"q": query, "n": limit},
            )
        else:  # PostgreSQL full text over the same normalised terms
            query = " | ".join(re.sub(r"[^a-z0-9]", "", t) for t in unique)
            rows = session.execute(
                text(
                    "SELECT doc_type, doc_id, ts_rank("
                    "setweight(to_tsvector('simple', keyword_terms), 'A') || "
                    "setweight(to_tsvector('simple', terms), 'B'), "
                    "to_tsquery('simple', :q)) AS rank "
                    "FROM kb_search WHERE (to_tsvector('simple', keyword_terms) || "
                    "to_tsvector('simple', terms)) @@ to_tsquery('simple', :q) "
                    "ORDER BY rank DESC LIMIT :n"
                ),
                {"q": query, "n": limit},
            )
        return [((r[0], int(r[1])), float(r[2])) for r in rows]

    def _facts_of_kinds(self, kinds: set[str], have) -> list:
        """Every fact of the kinds a cue asks for ("any remedies?" -> relief)."""
        seen = {key for key, _ in have}
        return [
            (key, 0.0)
            for key, doc in self._docs.items()
            if doc.hit.kind in kinds and key[0] == "fact" and key not in seen
        ]

    def _not_covered(self, question: str) -> str | None:
        """The not-covered group a question is about, when the KB lacks it."""
        lowered = " ".join(words(question))
        for group, phrases in self._not_covered_groups.items():
            for phrase in phrases:
                if re.search(rf"\b{re.escape(phrase)}\b", lowered):
                    return group
        return None

    def _topic_terms(self) -> set[str]:
        if self._topic is None:
            twitch = answer_words().lexicon.raw["twitch"]
            words = " ".join([*twitch, TOPIC_WORDS, GENERAL_WORDS])
            self._topic = set(self._terms(words))
        return self._topic

    def _about_the_named_condition(self, question: str, hits: list, ranked) -> bool:
        """A question about a named condition and something else is answered by
        a near-top fact that speaks of both (put first), or refused: the
        articles say little about hemifacial spasm beyond what it is."""
        named, details = conditions_and_details(question)
        if not named:
            return True
        for i, (_, _, key) in enumerate(ranked[:CONDITION_HITS]):
            doc = self._docs[key]
            if named <= doc.conditions and details <= doc.details:
                hits.insert(0, hits.pop(i))
                return True
        return False

    def fact(self, key: str) -> Hit | None:
        """The fact with this id, as a hit (for answers that pair two facts)."""
        with session_scope(self.url) as session:
            self._refresh(session)
        for doc in self._docs.values():
            if doc.hit.doc_type == "fact" and doc.hit.key == key:
                return dataclasses.replace(doc.hit)
        return None

    def search(self, question: str, limit: int = 5) -> Answer:
        with session_scope(self.url) as session:
            self._refresh(session)
            # The lexicon's words for what the question speaks of, so that
            # "knackered" finds the fatigue facts (one vocabulary everywhere).
            # "it doesn't hurt, what's causing it?" does not ask about pain
            asked = DENIED_SIGN.sub(" ", question)
            terms = self._terms(" ".join([asked, *search_words(asked)]))
            wanted, default = _cue(question)
            not_covered = self._not_covered(question)
            if not_covered:
                return Answer(False, [], terms, not_covered=not_covered)
            candidates = self._candidates(session, terms, limit=30)
        meaning = self._meaning.score(question)
        candidates += self._facts_of_kinds(wanted, candidates)
        seen = {key for key, _ in candidates}
        by_meaning = sorted(meaning.by_doc, key=lambda k: -meaning.by_doc[k])
        candidates += [(k, 0.0) for k in by_meaning[:SEM_CANDIDATES] if k not in seen]
        candidates = [(key, score) for key, score in candidates if key in self._docs]
        if not candidates:
            return Answer(False, [], terms)
        best = max(score for _, score in candidates) or 1.0
        cue_terms = set(self._terms(" ".join(_cue_words(question))))
        informative = [
            t
            for t in dict.fromkeys(terms)
            if self.informative(t) and t not in cue_terms
        ]
        ranked = []
        for key, score in candidates:
            doc = self._docs[key]
            hit = dataclasses.replace(doc.hit, score=score)
            hit.matched = [t for t in informative if t in doc.terms]
            final = score / best + COVERAGE_WEIGHT * self._coverage(
                informative, hit.matched
            )
            if hit.kind in wanted:
                final += CUE_BONUS
            if doc.topic_terms and doc.topic_terms <= set(terms):
                final += TOPIC_BONUS
            final += SEM_WEIGHT * max(0.0, meaning.by_doc.get(key, 0.0) - SEM_FLOOR)
            ranked.append((final, hit, key))
        specific = [
            t
            for t in terms
            if t not in cue_terms
            and t not in QUESTION_WORDS
            and t not in self._topic_terms()
        ]
        if not specific:
            # Nothing specific asked ("what causes this?"): the cue's
            # general answer goes first.
            for entry in ranked:
                if entry[1].key == default:
                    ranked.remove(entry)
                    top_score = max(e[0] for e in ranked) + 1 if ranked else 1
                    ranked.append((top_score, entry[1], entry[2]))
                    break
        # Ties go by the hit's stable key, not by database row order, so a
        # rebuilt knowledge base ranks the same question the same way.
        ranked.sort(key=lambda entry: (-round(entry[0], 9), entry[1].key))
        hits = []
        for final, hit, _ in ranked[:limit]:
            hit.score = round(final, 3)
            hits.append(hit)
        top, top_meaning = hits[0], meaning.by_doc.get(ranked[0][2], 0.0)
        # Untargeted questions ("why is my cheek twitching?") lean on the
        # cue alone; targeted ones must share most of their weight of
        # informative terms with the answer, or mean nearly the same.
        coverage = self._coverage(informative, top.matched) if informative else 0.0
        found = coverage >= MIN_COVERAGE if informative else bool(wanted)
        # Nothing specific beyond the topic and the cue: the cue's answer.
        found = found or (not specific and bool(wanted))
        found = found or top_meaning >= SEM_FOUND
        # Nearer to what the articles don't cover than to anything they do:
        # refused, unless the words say clearly it is here (an article
        # ingested later can cover what the examples call out of scope).
        closest = meaning.by_doc[by_meaning[0]]
        nearer_outside = meaning.out_of_scope > closest + OOS_MARGIN
        if nearer_outside and coverage < CLEAR_COVERAGE and specific:
            found = False
        evidence = {
            "coverage": coverage,
            "meaning": top_meaning,
            "closest": closest,
            "out_of_scope": meaning.out_of_scope,
            "informative": float(bool(informative)),
            "wanted": float(bool(wanted)),
        }
        if found:
            found = self._about_the_named_condition(question, hits, ranked)
        asks_exact = EXACT_ASKED.search(question)
        if found and (asks_exact or AMOUNT_ASKED.search(question)):
            given = OFTEN_GIVEN if OFTEN_ASKED.search(question) else AMOUNT_GIVEN
            given = EXACT_GIVEN if asks_exact else given
            if not given.search(top.text):
                found, not_covered = False, AMOUNTS
        for detail, asked, given in DETAILS_ASKED:
            if found and asked.search(question) and not given.search(top.text):
                found, not_covered = False, detail
        return Answer(bool(found), hits, terms, not_covered, evidence)


def _prototype(doc_type: str, row) -> Hit:
    source = row.source
    section = row.section.title if row.section else ""
    if doc_type == "fact":
        return Hit("fact", row.key, row.kind, row.topic, row.text, source.key,
                   source.title, source.publisher, section, 0.0)  # fmt: skip
    return Hit("passage", f"{source.key}#{row.position}", "passage", "",
               row.text, source.key, source.title, source.publisher,
               section, 0.0)  # fmt: skip


def _load_not_covered() -> dict[str, list[str]]:
    import yaml

    from bot.clinical.guidance import CONTENT_PATH

    data = yaml.safe_load(CONTENT_PATH.read_text(encoding="utf-8"))
    return {
        group: [" ".join(words(p)) for p in phrases]
        for group, phrases in (data.get("not_covered") or {}).items()
    }


def _cue(question: str) -> tuple[set[str], str | None]:
    """Fact kinds the first matching cue asks for, and its general answer."""
    lowered = question.lower()
    for pattern, kinds, default in CUES:
        if re.search(pattern, lowered):
            return set(kinds), default
    return set(), None


def _cue_words(question: str) -> list[str]:
    lowered = question.lower()
    found = []
    for pattern, _, _ in CUES:
        found += [m.group(0) for m in re.finditer(pattern, lowered)]
    return found
