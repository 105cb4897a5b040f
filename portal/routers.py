"""Reads go to PostgreSQL replicas, writes and everything that must see its own writes go to the primary.

Active only when DATABASE_REPLICA_URLS adds replica aliases (replica_0, replica_1, ...); with none, every
query goes to "default" as before. A request is pinned to the primary:
- for the admin and for any unsafe method (POST, PUT, PATCH, DELETE): editors see what they just saved;
- after its first write, and while a transaction is open on the primary: no read-after-write gap.
"""

import logging
import random
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

_pinned: ContextVar[bool] = ContextVar("db_pinned_to_primary", default=False)
# A replica that could not be connected to is left out for this many seconds (per process); reads
# go to the other replicas, or to the primary when none is left.
REPLICA_RETRY_SECONDS = 10.0
_replica_down_until: dict[str, float] = {}


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica_")]


def pin_to_primary() -> None:
    _pinned.set(True)


@contextmanager
def pinned_to_primary(pinned: bool = True):
    """Pin (or, with pinned=False, start unpinned) for the block; the request middleware uses it per request."""
    token = _pinned.set(pinned)
    try:
        yield
    finally:
        _pinned.reset(token)


def replica_usable(alias: str) -> bool:
    """Connect to the replica if this thread has no connection yet; a failure leaves it out for a while."""
    if time.monotonic() < _replica_down_until.get(alias, 0.0):
        return False
    connection = connections[alias]
    if connection.connection is None:
        try:
            connection.ensure_connection()
        except DatabaseError as exc:
            _replica_down_until[alias] = time.monotonic() + REPLICA_RETRY_SECONDS
            logger.warning(
                "replica %s unavailable, reading from the others for %ss: %s",
                alias,
                REPLICA_RETRY_SECONDS,
                f"{type(exc).__name__}: {exc}"[:300],
                extra={"alias": alias},
            )
            return False
    return True


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        replicas = replica_aliases()
        if not replicas or _pinned.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        random.shuffle(replicas)
        return next((alias for alias in replicas if replica_usable(alias)), DEFAULT_DB_ALIAS)

    def db_for_write(self, model, **hints):
        if replica_aliases():
            pin_to_primary()
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Replicas hold the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # Replicas receive the schema through replication.
        return db == DEFAULT_DB_ALIAS
