"""A copy of the test database right after the library was loaded into a flushed database, so the
next flushed database gets the very same rows back in milliseconds instead of another
``load_library`` (full_clean of every record, word segmentation for the search index, first
versions: about 5 s, paid by every browser and live-server test).

SQLite: the whole database through SQLite's backup API (the FTS5 index included).
PostgreSQL: every table (COPY) and every sequence of the schema, django_migrations excepted.
"""

from __future__ import annotations

import sqlite3

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from portal import memo

_snapshot: dict | None = None


def usable() -> bool:
    """Only committed states are copied and restored: never inside a test's transaction."""
    return connection.vendor in ("sqlite", "postgresql") and not connection.in_atomic_block


def take() -> None:
    global _snapshot
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        _snapshot = {"sqlite": copy}
        return
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        tables = [t for t in connection.introspection.table_names(wrapper) if t != "django_migrations"]
        data = {}
        for table in tables:
            with cursor.copy(f'COPY "{table}" TO STDOUT') as copy:
                data[table] = b"".join(bytes(block) for block in copy)
        cursor.execute(
            "SELECT schemaname, sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()"
        )
        sequences = cursor.fetchall()
    _snapshot = {"tables": data, "sequences": sequences}


def restore() -> bool:
    """Put the copied rows back; False when there is no copy yet."""
    if _snapshot is None:
        return False
    connection.ensure_connection()
    if "sqlite" in _snapshot:
        _snapshot["sqlite"].backup(connection.connection)
    else:
        tables = _snapshot["tables"]
        with transaction.atomic(), connection.cursor() as wrapper:
            cursor = wrapper.cursor
            # Only the tables holding rows (after a flush: content types, permissions, the search
            # tables flush leaves alone): emptying all 30-odd would cost most of the restore.
            cursor.execute(
                " UNION ALL ".join(f'SELECT %s WHERE EXISTS (SELECT 1 FROM "{t}")' for t in tables),
                list(tables),
            )
            filled = [table for (table,) in cursor.fetchall()]
            if filled:
                # CASCADE: the empty tables referring to them; every table gets its rows back below.
                cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in filled) + " CASCADE")
            for table, rows in tables.items():
                if rows:
                    with cursor.copy(f'COPY "{table}" FROM STDIN') as copy:
                        copy.write(rows)
            for schema, name, last_value in _snapshot["sequences"]:
                # As right after the load, so new rows get the ids they got then.
                cursor.execute(
                    "SELECT setval(%s, %s, %s)",
                    [f'"{schema}"."{name}"', last_value or 1, last_value is not None],
                )
    # Content types came back with the ids they had then; the load itself forgot memoised word counts.
    ContentType.objects.clear_cache()
    memo.forget(connection.alias)
    return True
