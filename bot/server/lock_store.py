"""Rasa's RedisLockStore with its ticket updates made atomic across instances.

Rasa 3.6 issues a ticket by reading the lock from Redis, adding the ticket in
Python and writing it back. Two instances that take messages of the same
conversation at the same moment can both read "no tickets", both issue
ticket 0 and both run the turn: the second save then drops the first turn's
events (measured: tests/test_cluster.py, one of two simultaneous messages
lost). Every read-modify-write of a lock here holds a short Redis mutex
(redis-py's Lock: SET NX with an expiry), so tickets are issued one at a time.
"""

from __future__ import annotations

from contextlib import contextmanager

from rasa.core.lock_store import RedisLockStore
from rasa.utils.endpoints import EndpointConfig

MUTEX_SECONDS = 5  # longer than any read-modify-write; expires if a holder dies


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs):
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url, **endpoint_config.kwargs}
        super().__init__(**kwargs)

    @contextmanager
    def _mutex(self, conversation_id: str):
        with self.red.lock(
            f"{self.key_prefix}mutex:{conversation_id}",
            timeout=MUTEX_SECONDS,
            blocking_timeout=MUTEX_SECONDS,
        ):
            yield

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = 60) -> int:
        with self._mutex(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: str) -> None:
        with self._mutex(conversation_id):
            super().update_lock(conversation_id)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        with self._mutex(conversation_id):
            super().cleanup(conversation_id, ticket_number)
