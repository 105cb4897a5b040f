"""Both backends rank with the same counts: every token of a case is counted as often in the
SQLite FTS columns as the PostgreSQL vector holds positions for it (服务 ranked case 32 above
cases 6 and 30 on SQLite only, because a compound's sub-words held 服务 twice at one position)."""

from collections import Counter

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import Case
from cases.search.backends.sqlite import _score
from cases.search.index import WEIGHTS, build_doc, case_texts
from cases.search.sql import PG_RANK_WEIGHTS, quote_pg, rank_sql


def _pg_counts(doc) -> dict[str, Counter]:
    """{weight: {token: distinct positions}} of the case's PostgreSQL vector literal."""
    full, _ = doc.pg_vectors()
    counts = {w: Counter() for w in WEIGHTS}
    for entry in full.split(" "):
        token, _, labels = entry.rpartition(":")
        if not token:
            continue  # a body pair without positions: matching only, never ranked
        for label in set(labels.split(",")):
            counts[label[-1]][token.strip("'")] += 1
    return counts


def _sqlite_counts(doc) -> dict[str, Counter]:
    a, b, c, _ = doc.fts_columns()
    return {w: Counter(text.split()) for w, text in zip(WEIGHTS, (a, b, c), strict=True)}


def test_every_case_counts_each_token_alike_on_both_backends(library):
    cases = Case.objects.select_related("unit__prefecture").prefetch_related("themes", "sections")
    for case in cases:
        doc = build_doc(case.pk, case_texts(case))
        assert _pg_counts(doc) == _sqlite_counts(doc), case.slug


def test_a_compound_holding_a_word_twice_counts_it_once_per_mention():
    doc = build_doc(1, {"A": ["标题"], "B": ["省政务服务和公共资源交易服务中心"], "C": []})
    assert _sqlite_counts(doc)["B"]["服务"] == _pg_counts(doc)["B"]["服务"] == 1


PIECES = [
    "服务",
    "中心",
    "政务服务",
    "便民服务中心",
    "交易",
    "公共资源",
    "和",
    "省",
    "代办",
    "帮办代办",
    "，",
]


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(WEIGHTS),
        st.lists(st.lists(st.sampled_from(PIECES), max_size=12).map("".join), max_size=3),
    )
)
def test_any_text_counts_each_token_alike_on_both_backends(texts):
    doc = build_doc(1, texts)
    assert _pg_counts(doc) == _sqlite_counts(doc)


WORDS = [
    "服务",
    "便民服务",
    "政务服务",
    "中心",
    "代办",
    "帮办代办",
    "凉山",
    "群众",
    "一网通办",
    "办事",
    "快递",
]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="compares with PostgreSQL's own ts_rank_cd")
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(terms=st.lists(st.tuples(st.sampled_from(WORDS), st.floats(0.001, 20.0)), min_size=1, max_size=5))
def test_the_sqlite_rank_formula_gives_exactly_postgresqls_rank(library, terms):
    """Bit for bit: cases PostgreSQL ties are tied on SQLite too, and keep their pk order."""
    rank, params = rank_sql("d.vector", [], [(quote_pg(t), w) for t, w in terms], PG_RANK_WEIGHTS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT d.case_id, {rank} FROM cases_searchdocument d", params)
        on_postgres = dict(cursor.fetchall())
    cases = Case.objects.select_related("unit__prefecture").prefetch_related("themes", "sections")
    for case in cases:
        columns = build_doc(case.pk, case_texts(case)).fts_columns()[:3]
        assert _score(columns, terms) == on_postgres[case.pk], (case.slug, terms)
