"""The search index: one row per fact or passage, with normalised terms."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from bot.kb.schema import Fact, Meta, Passage, SearchEntry
from bot.kb.terms import Terms, vocabulary_of


def searchable_rows(session: Session) -> list[tuple[str, Fact | Passage]]:
    """(doc_type, row) for every fact and passage, in id order."""
    facts = session.execute(select(Fact).order_by(Fact.id)).scalars()
    passages = session.execute(select(Passage).order_by(Passage.id)).scalars()
    return [("fact", f) for f in facts] + [("passage", p) for p in passages]


def documents(
    rows: list[tuple[str, Fact | Passage]],
) -> list[tuple[str, int, str, str]]:
    """(doc_type, id, body, keywords) for each searchable row."""
    return [
        (doc_type, row.id, row.text, getattr(row, "keywords", "") or "")
        for doc_type, row in rows
    ]


def normaliser(docs: list[tuple[str, int, str, str]]) -> Terms:
    """Term normaliser whose spelling fixes know the documents' words."""
    return Terms(
        vocabulary_of([body + " " + keywords for _, _, body, keywords in docs])
    )


def rebuild(session: Session) -> int:
    """Re-derive kb_search (and SQLite's FTS5 table) from facts and passages."""
    docs = documents(searchable_rows(session))
    terms = normaliser(docs)
    session.execute(delete(SearchEntry))
    for doc_type, doc_id, body, keywords in docs:
        session.add(
            SearchEntry(
                doc_type=doc_type,
                doc_id=doc_id,
                terms=" ".join(terms(body)),
                keyword_terms=" ".join(terms(keywords.replace(",", " "))),
            )
        )
    session.flush()
    if session.get_bind().dialect.name == "sqlite":
        session.execute(
            text("INSERT INTO kb_search_fts(kb_search_fts) VALUES('rebuild')")
        )
    # Searchers compare this stamp to know their cached vocabulary is stale.
    session.merge(Meta(key="index_stamp", value=uuid.uuid4().hex))
    return len(docs)
