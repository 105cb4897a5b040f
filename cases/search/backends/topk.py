"""First pages of broad queries on PostgreSQL, read from per-word top lists (threshold algorithm).

A broad query (one expected to match more than ``BROAD_MATCHES`` cases, see
``cases.search.backends.base.is_broad``) is ranked by the case's ``head`` vector alone:

    rank(case) = Σ idf(word) × ts_rank_cd(weights, head, word)

Ranking every match to show twenty of them is what made 帮办代办 or 便民服务 slow in a large library.
So for every word held by more than ``LIST_MIN_CASES`` cases, ``cases_search_impact`` keeps the
cases with the highest ``ts_rank_cd(weights, head, word)`` (at least ``LIST_LENGTH`` of them), and
``cases_search_toplist.floor`` records a score that no case outside the list exceeds.

For a page ending at row ``high``, the candidates are the top of each word's list (and every case
holding a rarer word). No other case can rank above B = Σ idf × (the lowest score read of each
word). When at least ``high`` candidates pass the queryset's own filters with a rank above B,
they are provably the first ``high`` rows of the full ordering, and the page query is narrowed
to them. Otherwise nothing changes: the ordinary query ranks every match. The answer is the same
either way, only the work differs.

The lists are rebuilt with the word counts (``PostgresBackend.analyze``) and kept true between
rebuilds by ``refresh_cases``/``forget_cases`` on every indexed save or delete.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections

from cases.search.sql import (
    DOCUMENT_COUNT,
    IMPACT_TABLE,
    TERMSTAT_TABLE,
    TOPLIST_TABLE,
    planner_settings,
    quote_pg,
    rank_sql,
)

# Words in more cases than this get a list; the cases of rarer words are all candidates.
LIST_MIN_CASES = 200
# Cases kept per word when the lists are rebuilt.
LIST_LENGTH = 400
# Pages ending deeper than this rank all matches.
MAX_HIGH = 200
# Several words' lists rarely share their top cases, so below this many likely matches a query
# of several words is ranked in full (3,000 matches: ~15 ms at 20,000 cases) rather than after a
# likely failed attempt.
SEVERAL_WORDS_MIN_MATCHES = 4000
# For a query narrowed to a few ids: start from them and test @@ on their rows. Through the GIN
# index the planner would expect one match (no statistics for the vector column) and then scan
# the id list once for each of thousands of matches.
FEW_IDS = {"enable_bitmapscan": "off"}


def worth_trying(words: int, expected: float) -> bool:
    """Whether a broad query's pages should try the lists (one word: its list is its ranking)."""
    return words == 1 or (words > 1 and expected > SEVERAL_WORDS_MIN_MATCHES)


def _score_sql(weights: str) -> str:
    return f"ts_rank_cd('{weights}'::float4[], d.head, quote_literal(u.lexeme)::tsquery)"


def rebuild_lists(cursor, weights: str) -> None:
    """All lists from scratch, for the words ``cases_search_termstat`` counts as frequent.

    A list holds the first LIST_LENGTH cases in (score descending, id ascending) order, and its
    ``cases_search_toplist`` row the last of them (floor, floor_case): every case left out comes
    after it in that order. A word in fewer heads holds all of them (floor 0, floor_case NULL).
    """
    clear_lists(cursor)
    cursor.execute(
        f"INSERT INTO {TOPLIST_TABLE} (term, floor) "
        f"SELECT term, 0 FROM {TERMSTAT_TABLE} WHERE ndoc > %s AND term <> %s",
        [LIST_MIN_CASES, DOCUMENT_COUNT],
    )
    cursor.execute(
        "CREATE TEMPORARY TABLE search_topk_ranked ON COMMIT DROP AS "
        f"SELECT u.lexeme AS term, d.case_id, {_score_sql(weights)} AS score,"
        f" row_number() OVER (PARTITION BY u.lexeme ORDER BY {_score_sql(weights)} DESC, d.case_id) AS n"
        " FROM cases_searchdocument d CROSS JOIN LATERAL unnest(d.head) u"
        f" WHERE u.lexeme IN (SELECT term FROM {TOPLIST_TABLE})"
    )
    cursor.execute(
        f"INSERT INTO {IMPACT_TABLE} (term, case_id, score) "
        "SELECT term, case_id, score FROM search_topk_ranked WHERE n <= %s",
        [LIST_LENGTH],
    )
    cursor.execute(
        f"UPDATE {TOPLIST_TABLE} t SET floor = r.score, floor_case = r.case_id "
        "FROM search_topk_ranked r WHERE r.term = t.term AND r.n = %s "
        "AND EXISTS (SELECT 1 FROM search_topk_ranked m WHERE m.term = r.term AND m.n = %s)",
        [LIST_LENGTH, LIST_LENGTH + 1],
    )
    cursor.execute("DROP TABLE search_topk_ranked")


def refresh_cases(cursor, ids, weights: str) -> None:
    """After the given cases were (re)written: their entries follow their new head, so that a
    list still holds every case before its floor."""
    ids = list(ids)
    cursor.execute(f"DELETE FROM {IMPACT_TABLE} WHERE case_id = ANY(%s)", [ids])
    cursor.execute(
        f"INSERT INTO {IMPACT_TABLE} (term, case_id, score) "
        "SELECT term, case_id, score FROM ("
        f"  SELECT u.lexeme AS term, d.case_id, {_score_sql(weights)} AS score, t.floor, t.floor_case"
        "  FROM cases_searchdocument d CROSS JOIN LATERAL unnest(d.head) u"
        f"  JOIN {TOPLIST_TABLE} t ON t.term = u.lexeme"
        "  WHERE d.case_id = ANY(%s)"
        ") scored "
        "WHERE floor_case IS NULL OR score > floor OR (score = floor AND case_id <= floor_case)",
        [ids],
    )


def forget_cases(cursor, ids) -> None:
    cursor.execute(f"DELETE FROM {IMPACT_TABLE} WHERE case_id = ANY(%s)", [list(ids)])


def clear_lists(cursor) -> None:
    cursor.execute(f"DELETE FROM {IMPACT_TABLE}")
    cursor.execute(f"DELETE FROM {TOPLIST_TABLE}")


@dataclass
class _Bound:
    """No case outside the candidates ranks above ``rank``; one that ranks equal to it has an id
    above ``after`` (None: any id)."""

    rank: float
    after: int | None


@dataclass
class _Words:
    floors: dict[str, tuple[float, int | None]]  # listed word -> (floor, floor_case)
    rare_holders: set[int]  # every case holding a word without a list


@dataclass(frozen=True)
class TopPlan:
    """The rank of a broad query: (word, idf) pairs and the ts_rank_cd weights."""

    terms: tuple[tuple[str, float], ...]
    weights: str

    def first_ids(self, queryset) -> list[int] | None:
        """The ids of rows [0, high) of ``queryset``'s full ordering, or None when the lists
        cannot prove them (then the caller runs the ordinary query)."""
        query = queryset.query
        high = query.high_mark
        if (
            high is None
            or high > MAX_HIGH
            or tuple(query.order_by) != ("-search_rank", "pk")
            or query.extra_order_by
            or query.distinct_fields
            or query.combinator
            or query.group_by is not None
        ):
            return None
        checker = queryset._chain()
        checker._top_plan = None
        checker.query.clear_limits()
        checker.query.clear_ordering(force=True)
        with connections[checker.db].cursor() as cursor:
            words = self._words(cursor)
        if words is None:
            return None
        depth = min(LIST_LENGTH, max(100, 5 * high))
        while True:
            ids = self._prove(checker, high, depth, words)
            if ids is not None or depth >= LIST_LENGTH:
                return ids
            depth = LIST_LENGTH

    def _prove(self, checker, high: int, depth: int, words: _Words) -> list[int] | None:
        with connections[checker.db].cursor() as cursor:
            candidates, bound = self._candidates(cursor, depth, words)
            if not candidates:
                return None
            rank, params = rank_sql("head", [], [(quote_pg(w), idf) for w, idf in self.terms], self.weights)
            cursor.execute(
                f"SELECT case_id, {rank} AS rank FROM cases_searchdocument "
                "WHERE case_id = ANY(%s) ORDER BY rank DESC, case_id",
                [*params, list(candidates)],
            )
            ranked = cursor.fetchall()
        # Exact comparisons: the bound is computed with the same floating-point operations, in
        # the same order, on the same stored scores as the ranks, and rounding is monotonic.
        eligible = [
            case_id
            for case_id, rank in ranked
            if rank > bound.rank
            or (rank == bound.rank and bound.after is not None and case_id <= bound.after)
        ]
        if len(eligible) < high:
            return None
        # The queryset's own conditions (match, published, filters), on a few ids at a time: a
        # row's match is tested on its vector, so only as many as needed are read.
        passing: list[int] = []
        start, size = 0, high + high // 4 + 2
        while len(passing) < high and start < len(eligible):
            batch = eligible[start : start + size]
            with planner_settings(checker.db, **FEW_IDS):
                ok = set(checker.filter(pk__in=batch).values_list("pk", flat=True))
            passing += [case_id for case_id in batch if case_id in ok]
            start += len(batch)
            size *= 2
        return passing[:high] if len(passing) >= high else None

    def _words(self, cursor) -> _Words | None:
        """What does not depend on how deep the lists are read: which words have a list (and its
        floor), and every case holding one of the rarer words."""
        words = [word for word, _ in self.terms]
        cursor.execute(
            # float8: the stored real exactly (as text, a real comes back shortest, e.g. 1.4).
            f"SELECT s.term, s.ndoc, t.floor::float8, t.floor_case FROM {TERMSTAT_TABLE} s "
            f"LEFT JOIN {TOPLIST_TABLE} t ON t.term = s.term WHERE s.term = ANY(%s)",
            [words],
        )
        stats = {term: (ndoc, floor, floor_case) for term, ndoc, floor, floor_case in cursor.fetchall()}
        floors = {w: (stats[w][1], stats[w][2]) for w in words if w in stats and stats[w][1] is not None}
        rare = [w for w in words if w not in floors]
        if any(stats.get(w, (0,))[0] > LIST_MIN_CASES for w in rare):
            return None  # counted as frequent but its list is not built yet
        holders: set[int] = set()
        for word in rare:
            # Every case holding the word is a candidate: any other scores 0 for it.
            cursor.execute(
                "SELECT case_id FROM cases_searchdocument WHERE vector @@ %s::tsquery LIMIT %s",
                [quote_pg(word), 2 * LIST_MIN_CASES + 1],
            )
            rows = cursor.fetchall()
            if len(rows) > 2 * LIST_MIN_CASES:
                return None
            holders.update(r[0] for r in rows)
        return _Words(floors=floors, rare_holders=holders)

    def _candidates(self, cursor, depth: int, words: _Words) -> tuple[set[int], _Bound]:
        candidates = set(words.rare_holders)
        # Per word: the highest score a non-candidate can have, and the id it must then exceed.
        limits: dict[str, tuple[float, int | None]] = {}
        listed = list(words.floors)
        if listed:
            cursor.execute(
                "SELECT w.term, i.case_id, i.score::float8 FROM unnest(%s::text[]) AS w(term) "
                "CROSS JOIN LATERAL ("
                f"  SELECT case_id, score FROM {IMPACT_TABLE} WHERE term = w.term"
                "   ORDER BY score DESC, case_id LIMIT %s) i",
                [listed, depth],
            )
            read: dict[str, int] = {}
            for term, case_id, score in cursor.fetchall():
                candidates.add(case_id)
                read[term] = read.get(term, 0) + 1
                limits[term] = (score, case_id)
            for term in listed:
                if read.get(term, 0) < depth:  # the whole list was read
                    limits[term] = words.floors[term]
        rank = 0.0
        for word, idf in self.terms:
            rank += idf * limits.get(word, (0.0, None))[0]
        # A case outside ties with the bound only by scoring each word's limit exactly, which
        # puts its id above each of those words' limit ids.
        afters = [after for _, after in limits.values() if after is not None]
        return candidates, _Bound(rank=rank, after=max(afters) if afters else None)
