"""“Once per transaction”: whether something was already done in the database transaction now open.

    if first_in_transaction(("version", Case, pk), using="default"):
        ...  # raise the case's version: the first write to it in this transaction

The first call with a key in a transaction notes it (a no-op on-commit callback carrying the key) and
answers True; later calls in the same transaction answer False. The note lives exactly as long as
what was done under it: Django drops an on-commit callback when the transaction commits or rolls
back, and when the savepoint it was registered in is rolled back (so a write undone with its
savepoint is done again by the next call). Outside a transaction (autocommit: every statement is
its own) every call answers True.

Under a test's transaction (Django's TestCase, pytest-django's ``db``), the transaction of a real
request or service is the outermost atomic block the test did not open: a note counts only within
that block, as it would in production, where that block is the transaction.
"""

from __future__ import annotations

from collections.abc import Hashable

from django.db import connections, transaction

_OUTSIDE = object()  # no transaction open: nothing to collapse


class _Done:
    """The note: an on-commit callback that does nothing."""

    def __init__(self, key: Hashable):
        self.key = key

    def __call__(self) -> None:
        pass


def _scope(connection):
    """The savepoint id of the outermost atomic block a test did not open (None: that block is the
    transaction itself), or _OUTSIDE when no such block is open."""
    blocks = connection.atomic_blocks
    if not connection.in_atomic_block or not blocks:
        return _OUTSIDE
    # Every block after the outermost has an entry in savepoint_ids (None: no savepoint made).
    offset = len(blocks) - len(connection.savepoint_ids)
    for index, block in enumerate(blocks):
        if getattr(block, "_from_testcase", False):
            continue
        if index < offset:
            return None
        return connection.savepoint_ids[index - offset] or _OUTSIDE
    return _OUTSIDE


def first_in_transaction(key: Hashable, using: str = "default") -> bool:
    """True (and noted) the first time ``key`` is named in the open transaction; False after."""
    connection = connections[using]
    scope = _scope(connection)
    if scope is _OUTSIDE:
        return True
    for sids, func, _robust in connection.run_on_commit:
        if isinstance(func, _Done) and func.key == key and (scope is None or scope in sids):
            return False
    transaction.on_commit(_Done(key), using=using)
    return True
