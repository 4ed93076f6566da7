"""Knowledge-base tables (SQLAlchemy 1.4 Core/ORM). Migrations: bot/kb/migrations."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()

# What a fact is for; the guidance content file uses the same words.
FACT_KINDS = (
    "cause",
    "trigger",
    "relief",
    "red_flag",
    "when_to_seek_care",
    "explanation",
)


class Source(Base):
    __tablename__ = "kb_sources"
    id = Column(Integer, primary_key=True)
    key = Column(String(80), unique=True, nullable=False)
    title = Column(String(300), nullable=False)
    publisher = Column(String(200), nullable=False, default="")
    date_read = Column(String(10), nullable=False, default="")
    origin = Column(String(20), nullable=False, default="seed")  # seed | ingested
    sections = relationship(
        "Section", back_populates="source", cascade="all, delete-orphan"
    )


class Section(Base):
    __tablename__ = "kb_sections"
    __table_args__ = (UniqueConstraint("source_id", "title"),)
    id = Column(Integer, primary_key=True)
    source_id = Column(ForeignKey("kb_sources.id", ondelete="CASCADE"), nullable=False)
    title = Column(String(300), nullable=False)
    position = Column(Integer, nullable=False, default=0)
    source = relationship("Source", back_populates="sections")


class Fact(Base):
    """A fact written in the project's own words, with where it comes from."""

    __tablename__ = "kb_facts"
    id = Column(Integer, primary_key=True)
    key = Column(String(80), unique=True, nullable=False)
    kind = Column(String(30), nullable=False)
    topic = Column(String(60), nullable=False)
    text = Column(Text, nullable=False)
    keywords = Column(Text, nullable=False, default="")
    source_id = Column(ForeignKey("kb_sources.id", ondelete="CASCADE"), nullable=False)
    section_id = Column(ForeignKey("kb_sections.id", ondelete="CASCADE"))
    source = relationship("Source")
    section = relationship("Section")


class Passage(Base):
    """A paragraph of an ingested article (operator-added sources)."""

    __tablename__ = "kb_passages"
    id = Column(Integer, primary_key=True)
    source_id = Column(ForeignKey("kb_sources.id", ondelete="CASCADE"), nullable=False)
    section_id = Column(ForeignKey("kb_sections.id", ondelete="CASCADE"))
    position = Column(Integer, nullable=False, default=0)
    text = Column(Text, nullable=False)
    source = relationship("Source")
    section = relationship("Section")


class SearchEntry(Base):
    """One searchable document (a fact or a passage) with its normalised terms.

    SQLite indexes `terms` in the FTS5 table kb_search_fts; PostgreSQL uses
    to_tsvector('simple', terms). Terms are normalised by bot/understanding/text.py so the
    question and the documents share one spelling and stemming.
    """

    __tablename__ = "kb_search"
    id = Column(Integer, primary_key=True)
    doc_type = Column(String(10), nullable=False)  # fact | passage
    doc_id = Column(Integer, nullable=False)
    terms = Column(Text, nullable=False)
    keyword_terms = Column(Text, nullable=False, default="")


class Meta(Base):
    __tablename__ = "kb_meta"
    key = Column(String(60), primary_key=True)
    value = Column(Text, nullable=False)


class TriageRecord(Base):
    """Audit row written when the bot gives a triage: no message text.

    Derived from a conversation, so forget-me deletes it with the conversation.
    """

    __tablename__ = "triage_records"
    id = Column(Integer, primary_key=True)
    sender_id = Column(String(255), nullable=False, index=True)
    level = Column(String(20), nullable=False)
    rules = Column(Text, nullable=False, default="")
    created_at = Column(DateTime, nullable=False)


class ChannelDelivery(Base):
    """A provider message already taken in (Telegram update, Slack event,
    Twilio MessageSid, Messenger mid), so a retry is not answered twice.

    Holds a hash of the provider's id and nothing else: no text, no sender.
    """

    __tablename__ = "channel_deliveries"
    id = Column(Integer, primary_key=True)
    channel = Column(String(20), nullable=False)
    message_key = Column(String(64), nullable=False)
    received_at = Column(DateTime, nullable=False, index=True)
    __table_args__ = (UniqueConstraint("channel", "message_key"),)
