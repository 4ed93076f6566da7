"""Knowledge base: sources, sections, facts, passages, search index, triage records.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kb_sources",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(80), nullable=False, unique=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("publisher", sa.String(200), nullable=False),
        sa.Column("date_read", sa.String(10), nullable=False),
        sa.Column("origin", sa.String(20), nullable=False),
    )
    op.create_table(
        "kb_sections",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "source_id",
            sa.Integer,
            sa.ForeignKey("kb_sources.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.UniqueConstraint("source_id", "title"),
    )
    op.create_table(
        "kb_facts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(80), nullable=False, unique=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("topic", sa.String(60), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("keywords", sa.Text, nullable=False),
        sa.Column(
            "source_id",
            sa.Integer,
            sa.ForeignKey("kb_sources.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "section_id",
            sa.Integer,
            sa.ForeignKey("kb_sections.id", ondelete="CASCADE"),
        ),
    )
    op.create_table(
        "kb_passages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "source_id",
            sa.Integer,
            sa.ForeignKey("kb_sources.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "section_id",
            sa.Integer,
            sa.ForeignKey("kb_sections.id", ondelete="CASCADE"),
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_table(
        "kb_search",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("doc_type", sa.String(10), nullable=False),
        sa.Column("doc_id", sa.Integer, nullable=False),
        sa.Column("terms", sa.Text, nullable=False),
        sa.Column("keyword_terms", sa.Text, nullable=False),
    )
    op.create_table(
        "kb_meta",
        sa.Column("key", sa.String(60), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "triage_records",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("rules", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_triage_records_sender_id", "triage_records", ["sender_id"])
    if op.get_bind().dialect.name == "sqlite":
        # External-content FTS5 index over kb_search (rowid = kb_search.id).
        op.execute(
            "CREATE VIRTUAL TABLE kb_search_fts USING fts5("
            "keyword_terms, terms, content='kb_search', content_rowid='id', "
            "tokenize='unicode61')"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS kb_search_fts")
    op.drop_index("ix_triage_records_sender_id", "triage_records")
    for table in (
        "triage_records",
        "kb_meta",
        "kb_search",
        "kb_passages",
        "kb_facts",
        "kb_sections",
        "kb_sources",
    ):
        op.drop_table(table)
