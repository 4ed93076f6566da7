"""Rasa's SQL tracker store plus forget-me and SQLite tuning.

Forget-me: when a turn confirmed the deletion (its reply carries the widget's
`{"conversation_deleted": true}` marker), the store deletes every row of
that conversation (events and derived rows such as triage records) instead of
saving it. The deletion happens here, in the process that owns the store, so
Rasa cannot write the conversation back after the action server deleted it.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager

import sqlalchemy as sa
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import event
from sqlalchemy.pool import QueuePool

from bot.kb.db import sqlite_pragmas
from bot.kb.records import forget

logger = logging.getLogger(__name__)
DELETED_MARKER = "conversation_deleted"


def forget_requested(tracker: DialogueStateTracker) -> bool:
    """True when the latest turn (events after the last user message) confirmed
    forget-me."""
    for ev in reversed(tracker.events):
        if isinstance(ev, UserUttered):
            return False
        if isinstance(ev, BotUttered):
            custom = (ev.data or {}).get("custom") or {}
            if isinstance(custom, dict) and custom.get(DELETED_MARKER):
                return True
    return False


def repaired(tracker: DialogueStateTracker | None) -> DialogueStateTracker | None:
    """A conversation saved by the form-based bot may end in its fallback loop
    (actions without a listen) or inside the form. Rasa's circuit breaker counts
    actions back to the last listen, so such a conversation would stay silent
    forever: close its last turn with a listen and release the form."""
    if tracker is None:
        return None
    if tracker.active_loop_name:
        tracker.update(ActiveLoop(None))
    last = next(
        (
            e
            for e in reversed(tracker.events)
            if isinstance(e, ActionExecuted | UserUttered)
        ),
        None,
    )
    if isinstance(last, ActionExecuted) and last.action_name not in (
        ACTION_LISTEN_NAME,
        ACTION_SESSION_START_NAME,
    ):
        tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
    return tracker


class StoreUnavailable(RuntimeError):
    """The database did not answer: the turn must fail, not be forgotten."""


def _loud(hook):
    """Rasa wraps every tracker store in FailSafeTrackerStore, which on a
    database error answers from an empty in-memory store: the reply starts a
    new conversation and the turn is kept nowhere, with a 200. Its error hooks
    re-raise this store's StoreUnavailable instead (the channel answers 503);
    any other error keeps Rasa's own handling."""

    def wrapper(self, error: Exception) -> None:
        if isinstance(error, StoreUnavailable):
            raise error
        hook(self, error)

    return wrapper


for _hook in ("on_tracker_store_error", "on_tracker_store_retrieve_error"):
    setattr(FailSafeTrackerStore, _hook, _loud(getattr(FailSafeTrackerStore, _hook)))


@contextmanager
def _unavailable_on_db_error():
    try:
        yield
    except sa.exc.SQLAlchemyError as exc:
        raise StoreUnavailable(type(exc).__name__) from exc


class ForgetfulSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        url = self.engine.url
        if self.engine.dialect.name == "sqlite":
            # SQLAlchemy 1.4 opens a new SQLite connection for every session of a
            # file database (NullPool); a turn has several. Keep a few open, each
            # set up once: WAL lets Rasa and the action server share the file.
            options = {"poolclass": QueuePool, "pool_size": 4,
                       "connect_args": {"check_same_thread": False}}  # fmt: skip
        else:
            # A server database may restart: check a pooled connection before
            # use, so the first turn after it is back does not fail.
            options = {"pool_pre_ping": True, "pool_size": 10}
        self.engine.dispose()
        self.engine = sa.create_engine(url, **options)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", sqlite_pragmas)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        with _unavailable_on_db_error():
            return repaired(await super().retrieve(sender_id))

    async def retrieve_full_tracker(self, sender_id: str):
        with _unavailable_on_db_error():
            return await super().retrieve_full_tracker(sender_id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        with _unavailable_on_db_error():
            if forget_requested(tracker):
                with self.session_scope() as session:
                    deleted = forget(session, tracker.sender_id)
                    session.commit()
                logger.info("forget-me: deleted %s rows", sum(deleted.values()))
                return
            await super().save(tracker)
