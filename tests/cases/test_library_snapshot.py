"""The copy that replaces a reload of the library after a flush (tests/library_snapshot.py) gives
back exactly the rows a load gives: every table, the search index and the sequences."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from cases.services import load_library
from tests import library_snapshot

# The library version is a random token each load writes anew; FTS5 keeps its index in shadow tables
# (compared through the FTS table itself).
SKIPPED = ("django_migrations", "portal_libraryversion")


def _rows() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        found = {}
        for table in tables:
            if table in SKIPPED or table.startswith("cases_search_fts_"):
                continue
            cursor.execute(f'SELECT * FROM "{table}"')
            found[table] = sorted(map(repr, cursor.fetchall()))
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()"
            )
            found["sequences"] = sorted(map(repr, cursor.fetchall()))
    return found


def _flush() -> None:
    # As a transactional test's end does (post_migrate included: content types come back anew).
    call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def own_snapshot():
    kept = library_snapshot._snapshot
    yield
    library_snapshot._snapshot = kept


def test_a_restored_copy_holds_the_same_rows_as_a_load(transactional_db, own_snapshot):
    _flush()
    load_library(settings.LIBRARY_FIXTURE)
    loaded = _rows()
    library_snapshot.take()

    _flush()
    assert library_snapshot.restore()
    restored = _rows()

    assert restored.keys() == loaded.keys()
    assert [t for t in loaded if loaded[t] != restored[t]] == []
    assert sum(map(len, loaded.values())) > 1000  # the library, not two empty databases
