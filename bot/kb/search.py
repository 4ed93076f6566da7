"""Answers a free question from the knowledge base, with its source.

1. The question is normalised like the documents (bot/kb/terms.py).
2. Full-text search ranks candidates: SQLite FTS5 bm25 (keywords weigh double)
   or PostgreSQL ts_rank.
3. A small table of question cues ("how do I stop..." wants relief) nudges
   the order towards the kind of fact that answers that sort of question.
4. No answer is better than a wrong one: at least half of the question's
   informative terms must appear in the chosen document, else "not found".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from bot.kb.db import database_url, session_scope
from bot.kb.index import documents
from bot.kb.schema import Fact, Meta, Passage
from bot.kb.terms import Terms, vocabulary_of, words

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
CUE_BONUS = 0.35
TOPIC_BONUS = 0.5
# Question words say what kind of answer is wanted (the cues), not about what.
QUESTION_WORDS = {"what", "why", "how", "when", "where", "which", "who", "wtf"}
# A term found in more than this share of documents says little on its own.
COMMON_SHARE = 0.5
MIN_COVERAGE = 0.3
COVERAGE_WEIGHT = 1.0


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


class KnowledgeBase:
    def __init__(self, url: str | None = None):
        self.url = url or database_url()
        self._stamp: str | None = None
        self._terms: Terms | None = None
        self._df: dict[str, int] = {}
        self._n_docs = 0
        self._not_covered_groups = _load_not_covered()

    # -------------------------------------------------------------- caches
    def _refresh(self, session: Session) -> None:
        meta = session.get(Meta, "index_stamp")
        stamp = meta.value if meta else None
        if stamp == self._stamp and self._terms is not None:
            return
        docs = documents(session)
        self._terms = Terms(vocabulary_of([d[2] + " " + d[3] for d in docs]))
        self._df = {}
        for row in session.execute(text("SELECT terms, keyword_terms FROM kb_search")):
            for term in set((row[0] + " " + row[1]).split()):
                self._df[term] = self._df.get(term, 0) + 1
        self._n_docs = max(1, len(docs))
        self._stamp = stamp

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
        unique = list(dict.fromkeys(terms))
        if not unique:
            return []
        if session.get_bind().dialect.name == "sqlite":
            query = " OR ".join('"' + t.replace('"', "") + '"' for t in unique)
            rows = session.execute(
                text(
                    "SELECT s.doc_type, s.doc_id, -bm25(kb_search_fts, 2.0, 1.0), "
                    "s.terms || ' ' || s.keyword_terms "
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
                    "to_tsquery('simple', :q)) AS rank, terms || ' ' || keyword_terms "
                    "FROM kb_search WHERE (to_tsvector('simple', keyword_terms) || "
                    "to_tsvector('simple', terms)) @@ to_tsquery('simple', :q) "
                    "ORDER BY rank DESC LIMIT :n"
                ),
                {"q": query, "n": limit},
            )
        return [(r[0], int(r[1]), float(r[2]), set(r[3].split())) for r in rows]

    def _facts_of_kinds(self, session: Session, kinds: set[str], have) -> list:
        """Every fact of the kinds a cue asks for ("any remedies?" -> relief)."""
        if not kinds:
            return []
        seen = {(c[0], c[1]) for c in have}
        rows = session.execute(
            text(
                "SELECT f.id, s.terms || ' ' || s.keyword_terms FROM kb_facts f "
                "JOIN kb_search s ON s.doc_type = 'fact' AND s.doc_id = f.id "
                "WHERE f.kind IN :kinds"
            ).bindparams(bindparam("kinds", expanding=True)),
            {"kinds": sorted(kinds)},
        )
        return [
            ("fact", r[0], 0.0, set(r[1].split()))
            for r in rows
            if ("fact", r[0]) not in seen
        ]

    def _not_covered(self, question: str) -> str | None:
        """The not-covered group a question is about, when the KB lacks it."""
        lowered = " ".join(words(question))
        for group, phrases in self._not_covered_groups.items():
            for phrase in phrases:
                if re.search(rf"\b{re.escape(phrase)}\b", lowered):
                    return group
        return None

    def _hit(self, session: Session, doc_type: str, doc_id: int, score: float) -> Hit:
        row = session.get(Fact if doc_type == "fact" else Passage, doc_id)
        source = row.source
        section = row.section.title if row.section else ""
        if doc_type == "fact":
            return Hit("fact", row.key, row.kind, row.topic, row.text, source.key,
                       source.title, source.publisher, section, score)  # fmt: skip
        return Hit("passage", f"{source.key}#{row.position}", "passage", "",
                   row.text, source.key, source.title, source.publisher,
                   section, score)  # fmt: skip

    def search(self, question: str, limit: int = 5) -> Answer:
        with session_scope(self.url) as session:
            self._refresh(session)
            terms = self._terms(question)
            wanted = _wanted_kinds(question)
            not_covered = self._not_covered(question)
            if not_covered:
                return Answer(False, [], terms, not_covered=not_covered)
            candidates = self._candidates(session, terms, limit=30)
            candidates += self._facts_of_kinds(session, wanted, candidates)
            if not candidates:
                return Answer(False, [], terms)
            best = max(c[2] for c in candidates) or 1.0
            cue_terms = set(self._terms(" ".join(_cue_words(question))))
            informative = [
                t
                for t in dict.fromkeys(terms)
                if self.informative(t) and t not in cue_terms
            ]
            ranked = []
            for doc_type, doc_id, score, doc_terms in candidates:
                hit = self._hit(session, doc_type, doc_id, score)
                hit.matched = [t for t in informative if t in doc_terms]
                final = score / best + COVERAGE_WEIGHT * self._coverage(
                    informative, hit.matched
                )
                if hit.kind in wanted:
                    final += CUE_BONUS
                topic_terms = set(self._terms(hit.topic.replace("_", " ")))
                if topic_terms and topic_terms <= set(terms):
                    final += TOPIC_BONUS
                ranked.append((final, hit))
            specific = [
                t for t in terms if t not in cue_terms and t not in QUESTION_WORDS
            ]
            if not specific:
                # Nothing specific asked ("what causes this?"): the cue's
                # general answer goes first.
                default = _default_fact(question)
                for pair in ranked:
                    if pair[1].key == default:
                        ranked.remove(pair)
                        ranked.append(
                            (max(p[0] for p in ranked) + 1 if ranked else 1, pair[1])
                        )
                        break
            ranked.sort(key=lambda pair: -pair[0])
            hits = []
            for final, hit in ranked[:limit]:
                hit.score = round(final, 3)
                hits.append(hit)
            top = hits[0]
            # Untargeted questions ("why is my cheek twitching?") lean on the
            # cue alone; targeted ones must share most of their weight of
            # informative terms with the answer.
            if informative:
                found = self._coverage(informative, top.matched) >= MIN_COVERAGE
            else:
                found = bool(wanted)
            return Answer(bool(found), hits, terms)


def _load_not_covered() -> dict[str, list[str]]:
    import yaml

    from bot.guidance import CONTENT_PATH

    data = yaml.safe_load(CONTENT_PATH.read_text(encoding="utf-8"))
    return {
        group: [" ".join(words(p)) for p in phrases]
        for group, phrases in (data.get("not_covered") or {}).items()
    }


def _wanted_kinds(question: str) -> set[str]:
    lowered = question.lower()
    for pattern, kinds, _ in CUES:
        if re.search(pattern, lowered):
            return set(kinds)
    return set()


def _default_fact(question: str) -> str | None:
    lowered = question.lower()
    for pattern, _, default in CUES:
        if re.search(pattern, lowered):
            return default
    return None


def _cue_words(question: str) -> list[str]:
    lowered = question.lower()
    found = []
    for pattern, _, _ in CUES:
        found += [m.group(0) for m in re.finditer(pattern, lowered)]
    return found
