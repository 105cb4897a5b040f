"""Storage and matching of the search index, one backend per database vendor.

PostgreSQL: ``cases_searchdocument.vector`` (weighted tsvector, 'simple' tokens written as a
literal so nothing re-parses the Chinese), GIN index, ranked with ``ts_rank_cd``.
SQLite: FTS5 table ``cases_search_fts`` (rowid = case id; columns a/b/c = weights A/B/C, g =
bigrams), ranked in Python with the same weights (see ``SqliteBackend.search``). Both receive the same tokens and the same query plan.
"""

from __future__ import annotations

import hashlib
import json
import math
from contextlib import nullcontext

from django.db.models import BooleanField, F, FloatField, Func, Q, Value
from django.db.models.expressions import RawSQL

from cases import search_topk
from cases.search_topk import TopPlan, planner_settings

FTS_TABLE = "cases_search_fts"
FTS_VOCAB = "cases_search_vocab"
GIN_INDEX = "cases_searchdocument_vector_gin"
TERMSTAT_TABLE = "cases_search_termstat"
DOCUMENT_COUNT = "#documents"  # cannot be a token: tokens are letters and digits only
# Expected matches above which only the head fields rank (see is_broad).
BROAD_MATCHES = 500
# ts_rank_cd weights in the order {D, C, B, A}.
PG_RANK_WEIGHTS = "{0.02,0.1,0.4,1.0}"
# The same weights for the SQLite columns a (A), b (B), c (C).
FIELD_WEIGHTS = (1.0, 0.4, 0.1)


def _quote_pg(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _quote_fts(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


class QueryExpr:
    """A boolean query over tokens: ("and"|"or", [children]) or a token string."""

    @staticmethod
    def render(node, quote, and_op: str, or_op: str) -> str:
        if isinstance(node, str):
            return quote(node)
        op, children = node
        parts = [QueryExpr.render(c, quote, and_op, or_op) for c in children]
        if len(parts) == 1:
            return parts[0]
        return "(" + f" {and_op if op == 'and' else or_op} ".join(parts) + ")"

    @staticmethod
    def leaves(node):
        if isinstance(node, str):
            yield node
        else:
            for child in node[1]:
                yield from QueryExpr.leaves(child)


class _TsQuery(Func):
    template = "%(expressions)s::tsquery"

    def __init__(self, text: str):
        from django.contrib.postgres.search import SearchQueryField

        super().__init__(Value(text), output_field=SearchQueryField())


class _Matches(Func):
    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class PostgresBackend:
    vendor = "postgresql"

    def __init__(self, connection):
        self.connection = connection

    def write(self, docs, fresh: bool = False) -> None:
        if not docs:
            return
        sql = (
            "INSERT INTO cases_searchdocument (case_id, vector, head, terms, related, updated) "
            "VALUES (%s, %s::tsvector, %s::tsvector, %s::jsonb, '[]'::jsonb, now())"
        )
        if not fresh:
            sql += (
                " ON CONFLICT (case_id) DO UPDATE SET vector = EXCLUDED.vector, head = EXCLUDED.head,"
                " terms = EXCLUDED.terms, updated = now()"
            )
        rows = [(d.case_id, *d.pg_vectors(), json.dumps(d.terms, ensure_ascii=False)) for d in docs]
        with self.connection.cursor() as cursor:
            cursor.executemany(sql, rows)
            if not fresh:
                # A bulk build (fresh) rebuilds every list at its end instead.
                search_topk.refresh_cases(cursor, [d.case_id for d in docs], PG_RANK_WEIGHTS)

    def begin_bulk(self) -> None:
        """Before writing many documents: building the GIN index once is far cheaper than
        updating it row by row."""
        with self.connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")

    def end_bulk(self) -> None:
        with self.connection.cursor() as cursor:
            # Deferred foreign-key checks of this transaction must run before an index is built.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON cases_searchdocument USING gin (vector)"
            )
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        self.analyze()

    def delete(self, ids) -> None:
        if ids:
            with self.connection.cursor() as cursor:
                cursor.execute("DELETE FROM cases_searchdocument WHERE case_id = ANY(%s)", [list(ids)])
                search_topk.forget_cases(cursor, ids)

    def clear(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("DELETE FROM cases_searchdocument")
            search_topk.clear_lists(cursor)

    def analyze(self) -> None:
        """Refresh the word counts the rank uses, the top lists built from them (see
        cases.search_topk) and the table's planner statistics."""
        self.refresh_statistics()
        with self.connection.cursor() as cursor:
            search_topk.rebuild_lists(cursor, PG_RANK_WEIGHTS)
            cursor.execute("ANALYZE cases_searchdocument")

    def document_frequencies(self, tokens) -> tuple[int, dict[str, float]]:
        """Share of cases holding each token, from ``cases_search_termstat`` (filled from
        ts_stat() by ``refresh_statistics``)."""
        tokens = list(tokens)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term, ndoc FROM {TERMSTAT_TABLE} WHERE term = ANY(%s)", [[DOCUMENT_COUNT, *tokens]]
            )
            found = dict(cursor.fetchall())
        n = max(found.pop(DOCUMENT_COUNT, 0), 1)
        return n, {t: found.get(t, 0) / n for t in tokens}

    def refresh_statistics(self) -> None:
        """How many cases hold each word. The planner is kept away from the vector column's own
        statistics (see the migration), so the word counts live in a table of their own."""
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TERMSTAT_TABLE}")
            cursor.execute(
                f"INSERT INTO {TERMSTAT_TABLE} (term, ndoc) "
                "SELECT word, ndoc FROM ts_stat('SELECT vector FROM cases_searchdocument')"
            )
            cursor.execute(
                f"INSERT INTO {TERMSTAT_TABLE} (term, ndoc) SELECT %s, count(*) FROM cases_searchdocument",
                [DOCUMENT_COUNT],
            )

    def has_match(self, queryset) -> bool:
        """queryset.exists() through the GIN index: with LIMIT 1 the planner expects an early hit
        in a scan of the whole table (sequential, or along a primary key), and when nothing
        matches that scan reads every case's long vector (量子计算机 over 20,000 cases: ~400 ms
        instead of a few ms). Only bitmap scans are left to it for this one query."""
        with planner_settings(self.connection.alias, enable_seqscan="off", enable_indexscan="off"):
            return queryset.exists()

    def search(self, queryset, tree, rank_words, mode="all"):
        text = QueryExpr.render(tree, _quote_pg, "&", "|")
        n, shares = self.document_frequencies(rank_words)
        terms = [(_quote_pg(t), idf(shares[t] * n, n)) for t in rank_words]
        broad = is_broad(n, shares, mode)
        column = "search_document__head" if broad else "search_document__vector"
        # A broad query's rank is 0 for a case whose head holds none of its words: one @@ test
        # spares that case one ts_rank_cd call per word.
        guard = (
            QueryExpr.render(("or", tuple(rank_words)), _quote_pg, "&", "|") if broad and rank_words else None
        )
        matched = queryset.filter(_Matches(F("search_document__vector"), _TsQuery(text))).annotate(
            search_rank=_WeightedRank(F(column), terms, guard=guard)
        )
        # Words taken as independent: how many cases hold all of them, or any.
        likely = n * math.prod(shares.values()) if mode == "all" else expected_matches(n, shares, mode)
        if broad and search_topk.worth_trying(len(rank_words), likely):
            weighted = [(t, weight) for t, (_, weight) in zip(rank_words, terms, strict=True)]
            return _with_top_plan(matched, TopPlan(terms=tuple(weighted), weights=PG_RANK_WEIGHTS))
        return matched


class BroadQuerySetMixin:
    """A broad query's queryset on PostgreSQL (see cases.search_topk).

    - A page is read from the top lists when they prove it.
    - The count joins with hashes: without statistics for the vector column the planner expects
      a hundred matches and would probe the cases table once for each of 15,000.
    """

    _top_plan: TopPlan | None = None

    def _clone(self):
        clone = super()._clone()
        clone._top_plan = self._top_plan
        return clone

    def count(self):
        if self._result_cache is not None:
            return super().count()
        with counting_hints(self):
            return super().count()

    def _fetch_all(self):
        if self._result_cache is None and self._top_plan is not None:
            plan, self._top_plan = self._top_plan, None
            ids = plan.first_ids(self)
            if ids is not None:
                # The first `high` rows of the full ordering are these cases: same rows, same order.
                self.query.add_q(Q(pk__in=ids))
                with planner_settings(self.db, **search_topk.FEW_IDS):
                    return super()._fetch_all()
        super()._fetch_all()


def counting_hints(queryset):
    """Around counts over a search's matches (the list page's facets): hash joins when the search
    is broad, for the reason BroadQuerySetMixin.count gives."""
    if isinstance(queryset, BroadQuerySetMixin):
        return planner_settings(queryset.db, enable_nestloop="off")
    return nullcontext()


_classes: dict[type, type] = {}


def _with_top_plan(queryset, plan: TopPlan):
    cls = type(queryset)
    if not issubclass(cls, BroadQuerySetMixin):
        if cls not in _classes:
            name = f"Broad{cls.__name__}"
            # Named in this module so that such a queryset can still be pickled.
            _classes[cls] = globals()[name] = type(name, (BroadQuerySetMixin, cls), {"__module__": __name__})
        queryset = queryset._chain()
        queryset.__class__ = _classes[cls]
    queryset._top_plan = plan
    return queryset


def expected_matches(n: int, shares: dict[str, float], mode: str) -> float:
    """At most how many cases a query matches, from its words' counts."""
    if not shares:
        return 0.0
    return n * (min(shares.values()) if mode == "all" else min(1.0, sum(shares.values())))


def is_broad(n: int, shares: dict[str, float], mode: str) -> bool:
    """Whether a query is expected to match more than BROAD_MATCHES cases; those are ranked by
    the head fields alone (title, unit, place, themes, lead), which keeps a query such as 便民服务
    over 100,000 cases fast and changes nothing for selective queries."""
    return expected_matches(n, shares, mode) > BROAD_MATCHES


def idf(df: float, n: int) -> float:
    """BM25-style inverse document frequency, never negative: a word in every case still counts
    a little, a rare word (a place, a brand) a lot."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


class _WeightedRank(Func):
    """Σ idf(word) × ts_rank_cd(weights, vector, word): cover density per word, weighted by how
    telling the word is (ts_rank_cd alone would let 政务服务, found in every case, decide)."""

    output_field = FloatField()

    def __init__(self, vector, terms, guard: str | None = None):
        self.terms = terms
        self.guard = guard
        super().__init__(vector)

    def as_sql(self, compiler, connection, **extra):
        vector_sql, vector_params = compiler.compile(self.source_expressions[0])
        if not self.terms:
            return "0.0", []
        rank, params = search_topk.rank_sql(vector_sql, vector_params, self.terms, PG_RANK_WEIGHTS)
        if self.guard:
            sql = f"(CASE WHEN {vector_sql} @@ %s::tsquery THEN {rank} ELSE 0.0 END)"
            return sql, [*vector_params, self.guard, *params]
        return rank, params


class SqliteBackend:
    vendor = "sqlite"

    def __init__(self, connection):
        self.connection = connection

    def write(self, docs, fresh: bool = False) -> None:
        if not docs:
            return
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
        marks = ",".join(["%s"] * len(ids))
        if cursor is None:
            with self.connection.cursor() as cur:
                self.delete(ids, cursor=cur)
            return
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", ids)
        cursor.execute(f"DELETE FROM cases_searchdocument WHERE case_id IN ({marks})", ids)

    def clear(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
            cursor.execute("DELETE FROM cases_searchdocument")

    def analyze(self) -> None:
        """Nothing to do: the fts5vocab table counts exactly."""

    def refresh_statistics(self) -> None:
        pass

    def document_frequencies(self, tokens) -> tuple[int, dict[str, float]]:
        tokens = list(tokens)
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {FTS_TABLE}")
            n = cursor.fetchone()[0] or 1
            found = {}
            if tokens:
                marks = ",".join(["%s"] * len(tokens))
                cursor.execute(f"SELECT term, doc FROM {FTS_VOCAB} WHERE term IN ({marks})", tokens)
                found = dict(cursor.fetchall())
        return n, {t: found.get(t, 0) / n for t in tokens}

    def has_match(self, queryset) -> bool:
        return queryset.exists()

    def search(self, queryset, tree, rank_words, mode="all"):
        """FTS5 finds the cases; the rank is computed here with the PostgreSQL formula (FTS5's
        bm25 gives a word found in over half the cases a weight of nearly zero, which in a small
        library leaves the order to chance) so both backends order alike."""
        match = QueryExpr.render(tree, _quote_fts, "AND", "OR")
        n, shares = self.document_frequencies(rank_words)
        weights = {t: idf(shares[t] * n, n) for t in rank_words}
        columns = "a, b, ''" if is_broad(n, shares, mode) else "a, b, c"
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid, {columns} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])
            scores = {row[0]: _score(row[1:], weights) for row in cursor.fetchall()}
        name = "search_rank_" + hashlib.sha1(match.encode()).hexdigest()[:16]
        self.connection.connection.create_function(name, 1, scores.get, deterministic=True)
        ids = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])
        rank = Func(F("pk"), function=name, output_field=FloatField())
        return queryset.filter(pk__in=ids).annotate(search_rank=rank)

    def begin_bulk(self) -> None:
        pass

    def end_bulk(self) -> None:
        pass


def _score(columns, weights) -> float:
    """Mirror of ``_WeightedRank`` for single-word covers: Σ idf × field weight × occurrences."""
    score = 0.0
    for text, field_weight in zip(columns, FIELD_WEIGHTS, strict=True):
        if text:
            for token in text.split(" "):
                if token in weights:
                    score += field_weight * weights[token]
    return score


def backend_for(connection):
    if connection.vendor == "postgresql":
        return PostgresBackend(connection)
    if connection.vendor == "sqlite":
        return SqliteBackend(connection)
    raise NotImplementedError(f"搜索不支持数据库 {connection.vendor}")
