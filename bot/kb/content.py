"""Loads the shipped guidance (bot/clinical/content/guidance.yml) into the knowledge base.

Idempotent: the file's hash is kept in kb_meta and nothing is written when it
has not changed. Facts are matched by id, so editing a text updates its row.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clinical.guidance import CONTENT_PATH
from bot.kb import index
from bot.kb.schema import Fact, Meta, Section, Source

INTRO_SECTION = "Introduction"


def content_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_content(session: Session, path: Path = CONTENT_PATH) -> bool:
    """Bring the seed content up to date. True when something was written."""
    digest = content_hash(path)
    meta = session.get(Meta, "content_sha256")
    if meta is not None and meta.value == digest:
        return False
    data = yaml.safe_load(path.read_text(encoding="utf-8"))

    sources: dict[str, Source] = {}
    for spec in data["sources"]:
        source = session.execute(
            select(Source).where(Source.key == spec["id"])
        ).scalar_one_or_none() or Source(key=spec["id"])
        source.title = spec["title"]
        source.publisher = spec.get("publisher", "")
        source.date_read = str(spec.get("date_read", ""))
        source.origin = "seed"
        session.add(source)
        sources[spec["id"]] = source
    session.flush()

    def section_for(source: Source, title: str, position: int) -> Section:
        section = session.execute(
            select(Section).where(
                Section.source_id == source.id, Section.title == title
            )
        ).scalar_one_or_none()
        if section is None:
            section = Section(source_id=source.id, title=title, position=position)
            session.add(section)
            session.flush()
        return section

    for spec in data["sources"]:
        for position, title in enumerate(spec.get("sections") or [], start=1):
            section_for(sources[spec["id"]], title, position)

    keys = set()
    for spec in data["facts"]:
        source = sources[spec["source"]]
        section = section_for(source, spec.get("section") or INTRO_SECTION, 0)
        fact = session.execute(
            select(Fact).where(Fact.key == spec["id"])
        ).scalar_one_or_none() or Fact(key=spec["id"])
        fact.kind = spec["kind"]
        fact.topic = spec.get("topic", "")
        fact.text = spec["text"]
        fact.keywords = ", ".join(spec.get("keywords") or [])
        fact.source_id = source.id
        fact.section_id = section.id
        session.add(fact)
        keys.add(spec["id"])
    # Facts removed from the file leave the database too.
    for fact in session.execute(select(Fact)).scalars():
        if fact.key not in keys:
            session.delete(fact)
    session.flush()
    index.rebuild(session)
    session.merge(Meta(key="content_sha256", value=digest))
    session.merge(Meta(key="content_version", value=str(data.get("version", ""))))
    return True
