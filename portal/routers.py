"""Reads go to PostgreSQL replicas, writes and everything that must see its own writes go to the primary.

Active only when DATABASE_REPLICA_URLS adds replica aliases (replica_0, replica_1, ...); with none, every
query goes to "default" as before. A request is pinned to the primary:
- for the admin and for any unsafe method (POST, PUT, PATCH, DELETE): editors see what they just saved;
- after its first write, and while a transaction is open on the primary: no read-after-write gap.
"""

import random
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

_pinned: ContextVar[bool] = ContextVar("db_pinned_to_primary", default=False)


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


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        replicas = replica_aliases()
        if not replicas or _pinned.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return random.choice(replicas)

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
