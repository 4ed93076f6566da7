"""Knowledge-base commands (DATABASE_URL selects the database; default SQLite).

python -m bot.kb upgrade                 migrate + load the shipped guidance
python -m bot.kb ingest FILE [--title T] [--publisher P] [--key K]
python -m bot.kb ask "QUESTION"          answer as the bot would, with scores
python -m bot.kb sources                 list sources and their sizes
python -m bot.kb eval FILE.yml           top-1 accuracy on a question set
python -m bot.kb forget SENDER_ID        delete one conversation's rows
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy import func, select


def _count(session, model, source_id: int) -> int:
    """Rows of a knowledge-base table that belong to one source."""
    return session.scalar(select(func.count()).where(model.source_id == source_id))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.kb", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--url", help="database URL (default: DATABASE_URL or rasa.db)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("upgrade")
    p = sub.add_parser("ingest")
    p.add_argument("file", type=Path)
    p.add_argument("--title")
    p.add_argument("--publisher", default="")
    p.add_argument("--key")
    p = sub.add_parser("ask")
    p.add_argument("question")
    sub.add_parser("sources")
    p = sub.add_parser("eval")
    p.add_argument("file", type=Path)
    p = sub.add_parser("forget")
    p.add_argument("sender_id")
    args = parser.parse_args(argv)

    from bot.kb.db import database_url, session_scope, upgrade

    url = args.url or database_url()
    upgrade(url)  # every command works on an up-to-date schema
    if args.command == "upgrade":
        from bot.kb.content import load_content

        with session_scope(url) as session:
            changed = load_content(session)
        print("knowledge base:", "content loaded" if changed else "already up to date")
    elif args.command == "ingest":
        from bot.kb.ingest import ingest
        from bot.kb.schema import Passage, Section

        with session_scope(url) as session:
            source = ingest(session, args.file, args.title, args.publisher, args.key)
            n_sec = _count(session, Section, source.id)
            n_pas = _count(session, Passage, source.id)
            print(
                f'ingested {source.key!r} "{source.title}": {n_sec} sections, {n_pas} passages'
            )
    elif args.command == "ask":
        from bot.kb.answer import reply_for
        from bot.kb.search import KnowledgeBase

        messages, result = reply_for(KnowledgeBase(url), args.question)
        print("\n".join(messages))
        for hit in result.hits[:3]:
            print(f"  [{hit.score:.3f}] {hit.key} ({hit.kind}) matched={hit.matched}")
    elif args.command == "sources":
        from bot.kb.schema import Fact, Passage, Source

        with session_scope(url) as session:
            for source in session.execute(select(Source).order_by(Source.id)).scalars():
                facts = _count(session, Fact, source.id)
                passages = _count(session, Passage, source.id)
                print(
                    f"{source.key:28} {source.origin:8} facts={facts:<3} passages={passages:<3} {source.title}"
                )
    elif args.command == "eval":
        from bot.kb.evaluate import evaluate, load_questions
        from bot.kb.search import KnowledgeBase

        report = evaluate(KnowledgeBase(url), load_questions(args.file))
        print("\n".join(report.lines()))
        for question, expect, got in report.errors:
            print(f"  miss: {question!r} -> {got} (expected {expect})")
    elif args.command == "forget":
        from bot.kb.records import forget

        with session_scope(url) as session:
            print("deleted rows:", forget(session, args.sender_id))
    return 0


if __name__ == "__main__":
    sys.exit(main())
