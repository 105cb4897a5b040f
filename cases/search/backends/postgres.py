"""The PostgreSQL backend: ``cases_searchdocument.vector`` (weighted tsvector, 'simple' tokens
written as a literal so nothing re-parses the Chinese), GIN index, ranked with ``ts_rank_cd``
weighted by each word's idf; broad queries rank on the small ``head`` vector and read their first
pages from the top lists (``cases.search.backends.topk``).
"""

from __future__ import annotations

import json
from contextlib import nullcontext

from django.contrib.postgres.search import SearchQueryField
from django.db.models import BooleanField, Case, ExpressionWrapper, F, FloatField, Func, Q, Value, When

from cases.search.backends import topk
from cases.search.backends.base import index_changed, is_broad, memoised_frequencies, split_bonus
from cases.search.backends.topk import TopPlan
from cases.search.sql import (
    DOCUMENT_COUNT,
    GIN_INDEX,
    PG_RANK_WEIGHTS,
    TERMSTAT_TABLE,
    QueryExpr,
    planner_settings,
    quote_pg,
    rank_sql,
)


class _TsQuery(Func):
    template = "%(expressions)s::tsquery"

    def __init__(self, text: str):
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
        index_changed(self)
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
                topk.refresh_cases(cursor, [d.case_id for d in docs], PG_RANK_WEIGHTS)

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
            index_changed(self)
            with self.connection.cursor() as cursor:
                cursor.execute("DELETE FROM cases_searchdocument WHERE case_id = ANY(%s)", [list(ids)])
                topk.forget_cases(cursor, ids)

    def clear(self) -> None:
        index_changed(self)
        with self.connection.cursor() as cursor:
            cursor.execute("DELETE FROM cases_searchdocument")
            topk.clear_lists(cursor)

    def analyze(self) -> None:
        """Refresh the word counts the rank uses, the top lists built from them (see
        cases.search.backends.topk) and the table's planner statistics."""
        self.refresh_statistics()
        with self.connection.cursor() as cursor:
            topk.rebuild_lists(cursor, PG_RANK_WEIGHTS)
            cursor.execute("ANALYZE cases_searchdocument")

    def document_frequencies(self, tokens) -> tuple[int, dict[str, float]]:
        """Share of cases holding each token, from ``cases_search_termstat`` (filled from
        ts_stat() by ``refresh_statistics``), once per library version (memoised_frequencies)."""
        return memoised_frequencies(self, tokens, self._read_frequencies)

    def match(self, queryset, tree):
        """``queryset`` narrowed to the cases matching ``tree``, unranked."""
        return queryset.filter(
            _Matches(F("search_document__vector"), _TsQuery(QueryExpr.render(tree, quote_pg, "&", "|")))
        )

    def _read_frequencies(self, tokens) -> tuple[int, dict[str, float]]:
        tokens = list(tokens)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term, ndoc FROM {TERMSTAT_TABLE} WHERE term = ANY(%s)", [[DOCUMENT_COUNT, *tokens]]
            )
            found = dict(cursor.fetchall())
        n = max(found.pop(DOCUMENT_COUNT, 0), 1)
        return n, {t: found.get(t, 0) / n for t in tokens}

    def vocabulary(self, shortest: int, longest: int) -> dict[str, int]:
        """Ideograph words of the index with their case counts (what typos are corrected to)."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term, ndoc FROM {TERMSTAT_TABLE} "
                "WHERE char_length(term) BETWEEN %s AND %s AND term ~ '^[\u4e00-\u9fff]+$'",
                [shortest, longest],
            )
            return dict(cursor.fetchall())

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

    def search(self, queryset, tree, terms, expected: float, likely: float, coverage=None, bonus=None):
        """Cases matching ``tree`` ranked by Σ weight × ts_rank_cd over ``terms`` ((token,
        weight) pairs). ``expected``: at most how many cases match (above BROAD_MATCHES only the
        head ranks); ``likely``: how many probably do (whether the top lists are worth trying).
        ``coverage``: [((node, weight) units, threshold)]: a case must hold units worth at
        least the threshold in one of the groups (the any-word fallback). ``bonus``: [(tree,
        amount)]: added to the rank of the cases matching each tree (full matches, then the
        reader's own words first)."""
        text = QueryExpr.render(tree, quote_pg, "&", "|")
        quoted = [(quote_pg(t), weight) for t, weight in terms]
        broad = is_broad(expected)
        column = "search_document__head" if broad else "search_document__vector"
        # A broad query's rank is 0 for a case whose head holds none of its words: one @@ test
        # spares that case one ts_rank_cd call per word.
        tokens = tuple(t for t, _ in terms)
        guard = QueryExpr.render(("or", tokens), quote_pg, "&", "|") if broad and tokens else None
        matched = queryset.filter(_Matches(F("search_document__vector"), _TsQuery(text)))
        if coverage is not None:
            held = Q()
            for index, (units, threshold) in enumerate(coverage):
                name = f"search_coverage_{index}"
                matched = matched.alias(**{name: _Coverage(F("search_document__vector"), units)})
                held |= Q(**{f"{name}__gte": threshold})
            matched = matched.filter(held)
        rank = _WeightedRank(F(column), quoted, guard=guard)
        trees, cases = split_bonus(bonus)
        if trees:
            rank = ExpressionWrapper(
                rank + _Coverage(F("search_document__vector"), trees), output_field=FloatField()
            )
        if cases:
            # The cases named by a CaseBonus (added last, as the SQLite backend does).
            extra = Case(
                *(When(pk=pk, then=Value(amount)) for pk, amount in sorted(cases.items())),
                default=Value(0.0),
                output_field=FloatField(),
            )
            rank = ExpressionWrapper(rank + extra, output_field=FloatField())
        matched = matched.annotate(search_rank=rank)
        if broad and not bonus and topk.worth_trying(len(terms), likely):
            return _with_top_plan(matched, TopPlan(terms=tuple(terms), weights=PG_RANK_WEIGHTS))
        return matched


class BroadQuerySetMixin:
    """A broad query's queryset on PostgreSQL (see cases.search.backends.topk).

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
                with planner_settings(self.db, **topk.FEW_IDS):
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


class _Coverage(Func):
    """Σ weight of the units (tsquery trees) the vector matches."""

    output_field = FloatField()

    def __init__(self, vector, units):
        self.units = units
        super().__init__(vector)

    def as_sql(self, compiler, connection, **extra):
        vector_sql, vector_params = compiler.compile(self.source_expressions[0])
        parts, params = [], []
        for node, weight in self.units:
            parts.append(f"CASE WHEN {vector_sql} @@ %s::tsquery THEN %s ELSE 0.0 END")
            params += [*vector_params, QueryExpr.render(node, quote_pg, "&", "|"), weight]
        return ("(" + " + ".join(parts) + ")" if parts else "0.0"), params


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
            return "CAST(0 AS double precision)", []
        rank, params = rank_sql(vector_sql, vector_params, self.terms, PG_RANK_WEIGHTS)
        if self.guard:
            sql = f"(CASE WHEN {vector_sql} @@ %s::tsquery THEN {rank} ELSE 0.0 END)"
            return sql, [*vector_params, self.guard, *params]
        return rank, params
