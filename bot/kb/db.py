"""Database access for the knowledge base: one URL, shared with the tracker store."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = f"sqlite:///{ROOT / 'rasa.db'}"
MIGRATIONS = Path(__file__).with_name("migrations")


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or DEFAULT_URL


def sqlite_pragmas(dbapi_connection, _record) -> None:
    # Two processes (Rasa and the action server) share the file: WAL lets
    # readers and one writer work at once; busy_timeout waits instead of failing.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    # pool_pre_ping: a connection left from before a database restart is
    # replaced instead of failing the next request.
    engine = create_engine(url, future=True, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", sqlite_pragmas)
    return engine


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    return make_engine(url)


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    session = sessionmaker(bind=engine_for(url or database_url()), future=True)()
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config(url: str):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _migrate(direction: str, url: str, revision: str) -> None:
    from alembic import command

    config = alembic_config(url)
    with engine_for(url).begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, direction)(config, revision)


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Apply the knowledge-base migrations (idempotent)."""
    _migrate("upgrade", url or database_url(), revision)


def downgrade(url: str, revision: str = "base") -> None:
    _migrate("downgrade", url, revision)


def current_revision(url: str | None = None) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine_for(url or database_url()).connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"version_table": "kb_alembic_version"}
        )
        return context.get_current_revision()
