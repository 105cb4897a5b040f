"""One search backend per database vendor, behind the same methods (write, delete, clear,
analyze, refresh_statistics, document_frequencies, has_match, search, begin_bulk, end_bulk)."""

from __future__ import annotations

from cases.search.backends.postgres import PostgresBackend, counting_hints
from cases.search.backends.sqlite import SqliteBackend

__all__ = ["PostgresBackend", "SqliteBackend", "backend_for", "counting_hints"]


def backend_for(connection):
    if connection.vendor == "postgresql":
        return PostgresBackend(connection)
    if connection.vendor == "sqlite":
        return SqliteBackend(connection)
    raise NotImplementedError(f"搜索不支持数据库 {connection.vendor}")
