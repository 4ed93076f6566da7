"""Alembic environment for the knowledge-base tables (run through bot.kb.db)."""

from alembic import context
from sqlalchemy import create_engine

from bot.kb.schema import Base

VERSION_TABLE = "kb_alembic_version"  # the tracker store shares the database


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        _run(conn)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        version_table=VERSION_TABLE,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit(
        "offline migrations are not supported; use `python -m bot.kb upgrade`"
    )
run_migrations_online()
