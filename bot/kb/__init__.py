"""Knowledge base: the source articles' facts in SQL, searchable, with citations.

schema.py   tables (sources, sections, facts, passages, triage records)
db.py       engine from DATABASE_URL and Alembic upgrade
content.py  loads bot/clinical/content/guidance.yml (idempotent)
ingest.py   splits another article into sections and passages
search.py   full-text retrieval (SQLite FTS5 / PostgreSQL) and answer choice
records.py  per-conversation rows derived from chats, and forgetting them
"""
