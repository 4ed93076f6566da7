"""The search index: one row per fact or passage, with normalised terms."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from bot.kb.schema import Fact, Meta, Passage, SearchEntry
from bot.kb.terms import Terms, vocabulary_of


def documents(session: Session) -> list[tuple[str, int, str, str]]:
    """(doc_type, id, body, keywords) for every searchable document."""
    docs = [
        ("fact", f.id, f.text, f.keywords)
        for f in session.execute(select(Fact)).scalars()
    ]
    docs += [
        ("passage", p.id, p.text, "")
        for p in session.execute(select(Passage)).scalars()
    ]
    return docs


def rebuild(session: Session) -> int:
    """Re-derive kb_search (and SQLite's FTS5 table) from facts and passages."""
    docs = documents(session)
    terms = Terms(vocabulary_of([d[2] + " " + d[3] for d in docs]))
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
