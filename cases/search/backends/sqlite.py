"""The SQLite backend: FTS5 table ``cases_search_fts`` (rowid = case id; columns a/b/c = weights
A/B/C, g = body pairs) finds the cases; the rank is computed in Python with the PostgreSQL
formula and weights, so both backends receive the same tokens and query plan and order alike.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct

from django.db.models import F, FloatField, Func
from django.db.models.expressions import RawSQL

from cases.search.backends.base import (
    FIELD_WEIGHTS,
    index_changed,
    is_broad,
    memoised_frequencies,
    split_bonus,
)
from cases.search.sql import FTS_TABLE, FTS_VOCAB, QueryExpr, quote_fts

_IDEOGRAPHS = re.compile("[\u4e00-\u9fff]+")


class SqliteBackend:
    vendor = "sqlite"

    def __init__(self, connection):
        self.connection = connection

    def write(self, docs, fresh: bool = False) -> None:
        if not docs:
            return
        index_changed(self)
        with self.connection.cursor() as cursor:
            if not fresh:
                self.delete([d.case_id for d in docs], cursor=cursor)
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, a, b, c, g) VALUES (%s, %s, %s, %s, %s)",
                [(d.case_id, *d.fts_columns()) for d in docs],
            )
            rows = [(d.case_id, json.dumps(d.terms, ensure_ascii=False)) for d in docs]
            cursor.executemany(
                "INSERT INTO cases_searchdocument (case_id, vector, terms, related, updated) "
                "VALUES (%s, NULL, %s, '[]', datetime('now')) "
                "ON CONFLICT (case_id) DO UPDATE SET terms = excluded.terms, updated = excluded.updated",
                rows,
            )

    def delete(self, ids, cursor=None) -> None:
        ids = list(ids)
        if not ids:
            return
        index_changed(self)
        marks = ",".join(["%s"] * len(ids))
        if cursor is None:
            with self.connection.cursor() as cur:
                self.delete(ids, cursor=cur)
            return
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", ids)
        cursor.execute(f"DELETE FROM cases_searchdocument WHERE case_id IN ({marks})", ids)

    def clear(self) -> None:
        index_changed(self)
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
            cursor.execute("DELETE FROM cases_searchdocument")

    def analyze(self) -> None:
        """Nothing to do: the fts5vocab table counts exactly."""

    def refresh_statistics(self) -> None:
        pass

    def document_frequencies(self, tokens) -> tuple[int, dict[str, float]]:
        return memoised_frequencies(self, tokens, self._read_frequencies)

    def _read_frequencies(self, tokens) -> tuple[int, dict[str, float]]:
        """One query: the number of cases (term NULL) and the counts of the tokens."""
        tokens = list(tokens)
        marks = ",".join(["%s"] * len(tokens))
        words = f" UNION ALL SELECT term, doc FROM {FTS_VOCAB} WHERE term IN ({marks})" if tokens else ""
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT NULL, count(*) FROM {FTS_TABLE}{words}", tokens)
            found = dict(cursor.fetchall())
        n = found.pop(None, 0) or 1
        return n, {t: found.get(t, 0) / n for t in tokens}

    def match(self, queryset, tree):
        """``queryset`` narrowed to the cases matching ``tree``, unranked (a subquery)."""
        match = QueryExpr.render(tree, quote_fts, "AND", "OR")
        return queryset.filter(
            pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])
        )

    def vocabulary(self, shortest: int, longest: int) -> dict[str, int]:
        """Ideograph words of the index with their case counts (what typos are corrected to)."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term, doc FROM {FTS_VOCAB} WHERE length(term) BETWEEN %s AND %s", [shortest, longest]
            )
            return {t: n for t, n in cursor.fetchall() if _IDEOGRAPHS.fullmatch(t)}

    def has_match(self, queryset) -> bool:
        return queryset.exists()

    def search(self, queryset, tree, terms, expected: float, likely: float, coverage=None, bonus=None):
        """FTS5 finds the cases; the rank is computed here with the PostgreSQL formula (FTS5's
        bm25 gives a word found in over half the cases a weight of nearly zero, which in a small
        library leaves the order to chance) so both backends order alike. Arguments as for
        ``PostgresBackend.search``."""
        match = QueryExpr.render(tree, quote_fts, "AND", "OR")
        columns = "a, b, ''" if is_broad(expected) else "a, b, c"
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, {columns}, a || ' ' || b || ' ' || c || ' ' || g FROM {FTS_TABLE} "
                f"WHERE {FTS_TABLE} MATCH %s",
                [match],
            )
            rows = cursor.fetchall()
        if coverage is not None:
            rows = [
                row
                for row in rows
                if any(_covered(set(row[4].split()), units) >= threshold for units, threshold in coverage)
            ]
        scores = {row[0]: _score(row[1:4], terms) for row in rows}
        trees, cases = split_bonus(bonus)
        for row in rows if trees else ():
            scores[row[0]] += _covered(set(row[4].split()), trees)
        for pk in scores if cases else ():
            scores[pk] += cases.get(pk, 0.0)
        name = "search_rank_" + hashlib.sha1(f"{match}|{coverage}|{bonus}".encode()).hexdigest()[:16]
        self.connection.connection.create_function(name, 1, scores.get, deterministic=True)
        rank = Func(F("pk"), function=name, output_field=FloatField())
        if coverage is not None:
            return queryset.filter(pk__in=list(scores)).annotate(search_rank=rank)
        ids = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])
        return queryset.filter(pk__in=ids).annotate(search_rank=rank)

    def begin_bulk(self) -> None:
        pass

    def end_bulk(self) -> None:
        pass


def _holds(tokens: set[str], node) -> bool:
    if isinstance(node, str):
        return node in tokens
    op, children = node
    test = all if op == "and" else any
    return test(_holds(tokens, child) for child in children)


def _covered(tokens: set[str], units) -> float:
    """Mirror of the PostgreSQL ``_Coverage``: Σ weight of the units the case holds."""
    return sum(weight for node, weight in units if _holds(tokens, node))


def _float4(value: float) -> float:
    """``value`` as PostgreSQL's float4 holds it (ts_rank_cd's weights and result)."""
    return struct.unpack("f", struct.pack("f", value))[0]


_FLOAT4_WEIGHTS = tuple(_float4(w) for w in FIELD_WEIGHTS)


def _score(columns, terms) -> float:
    """Mirror of ``_WeightedRank`` for single-word covers: Σ over ``terms`` ((token, idf) pairs,
    in their order) of idf × ts_rank_cd, where ts_rank_cd is Σ field weight × occurrences. The
    weights and each word's ts_rank_cd are float4 and the sum follows the terms' order, as on
    PostgreSQL: otherwise cases tied there differ in the last bits here and swap places."""
    wanted = {token for token, _ in terms}
    held: dict[str, float] = {}
    for text, field_weight in zip(columns, _FLOAT4_WEIGHTS, strict=True):
        if text:
            for token in text.split(" "):
                if token in wanted:  # a case's other words cost one set lookup, not a dict write
                    held[token] = held.get(token, 0.0) + field_weight
    score = 0.0
    for token, weight in terms:
        if token in held:
            score += weight * _float4(held[token])
    return score
