"""Pages of broad queries read from the per-word top lists (PostgreSQL, cases.search.backends.topk).

The real library has 44 cases, so the thresholds are lowered here to make most words "frequent"
and the lists short: the lists then cut through ties and force every path (proven pages, deeper
lists, fallbacks). Whatever path a page takes, it must equal the page the full ranking gives.
"""

import pytest
from django.db import connection

from awards.models import AwardTier, Prefecture
from cases.models import Case
from cases.search import apply_search
from cases.search.backends import base as backend_base
from cases.search.backends import topk
from cases.search.index import backend
from cases.search.sql import PG_RANK_WEIGHTS, planner_settings

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="top lists are PostgreSQL's (SQLite ranks in memory)"
)

BROAD_QUERIES = [
    "便民服务",
    "政务服务",
    "帮办代办",
    "政务+金融",
    "一件事一次办",
    "群众 办事",
    "便民服务中心",
    "哪些地方把金融服务送到村里",
    "凉山",
    "成都市",
]


@pytest.fixture
def short_lists(library, monkeypatch):
    monkeypatch.setattr(backend_base, "BROAD_MATCHES", 2)
    monkeypatch.setattr(topk, "LIST_MIN_CASES", 3)
    monkeypatch.setattr(topk, "LIST_LENGTH", 6)
    monkeypatch.setattr(topk, "MAX_HIGH", 12)
    monkeypatch.setattr(topk, "SEVERAL_WORDS_MIN_MATCHES", 0)
    backend().analyze()
    return library


def nestloop():
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_nestloop")
        return cursor.fetchone()[0]


def full_ranking(queryset):
    plain = queryset._chain()
    if hasattr(plain, "_top_plan"):
        plain._top_plan = None
    return plain


def page_ids(queryset, low, high):
    return list(queryset[low:high].values_list("pk", flat=True))


def broad(query, queryset=None, proven=True):
    outcome = apply_search(queryset if queryset is not None else Case.objects.published(), query)
    if proven:
        assert outcome.queryset._top_plan is not None, f"{query} is not broad under the test thresholds"
    return outcome.queryset


@pytest.mark.parametrize("query", BROAD_QUERIES)
def test_pages_equal_the_full_ranking(short_lists, query):
    qs = broad(query)
    for low, high in [(0, 3), (3, 6), (0, 10), (10, 12), (12, 20), (0, 44)]:
        assert page_ids(qs, low, high) == page_ids(full_ranking(qs), low, high), (query, low, high)
    assert qs.count() == full_ranking(qs).count()
    # Whole objects, as the list page and the API read them, in the same order.
    assert [c.pk for c in qs[:5]] == page_ids(full_ranking(qs), 0, 5)


def test_most_first_pages_are_proven_from_the_lists(short_lists):
    proven = {q: broad(q)[:3] for q in BROAD_QUERIES}
    proven = {q: topk_ids(qs) for q, qs in proven.items()}
    assert proven["便民服务"] is not None and proven["帮办代办"] is not None
    assert sum(ids is not None for ids in proven.values()) >= len(BROAD_QUERIES) // 2
    for query, ids in proven.items():
        if ids is not None:
            assert ids == page_ids(full_ranking(broad(query)), 0, 3)


def topk_ids(sliced):
    return sliced._top_plan.first_ids(sliced)


def test_filters_combine_with_the_lists(short_lists):
    excellent = AwardTier.objects.get(slug="excellent", notice__number="川政公函〔2022〕35号")
    prefecture = Prefecture.objects.get(short_name="成都")
    bases = [
        Case.objects.published().filter(tier=excellent),
        Case.objects.published().filter(unit__prefecture=prefecture),
        Case.objects.published().filter(themes__isnull=False).distinct(),
    ]
    for base in bases:
        for query in ("便民服务", "政务+金融", "帮办代办"):
            # In a small base a few full matches are followed by partial ones, ranked in full.
            qs = broad(query, base, proven=False)
            assert page_ids(qs, 0, 5) == page_ids(full_ranking(qs), 0, 5)
            assert qs.count() == full_ranking(qs).count()
        # Filters added after the search (as django-filter does) are honoured too.
        qs = broad("便民服务").filter(unit__prefecture=prefecture)
        assert page_ids(qs, 0, 5) == page_ids(full_ranking(qs), 0, 5)
        assert all(Case.objects.get(pk=pk).unit.prefecture == prefecture for pk in page_ids(qs, 0, 5))


def test_deep_pages_and_other_orders_take_the_full_ranking(short_lists):
    qs = broad("便民服务")
    assert topk_ids(qs[20:40]) is None  # deeper than MAX_HIGH
    assert qs.order_by("number")._top_plan.first_ids(qs.order_by("number")[:5]) is None
    assert page_ids(qs.order_by("number"), 0, 5) == page_ids(full_ranking(qs).order_by("number"), 0, 5)


def test_unlisted_frequent_word_falls_back(short_lists):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_search_toplist WHERE term = %s", ["便民服务"])
    qs = broad("便民服务")
    assert topk_ids(qs[:3]) is None
    assert page_ids(qs, 0, 3) == page_ids(full_ranking(qs), 0, 3)


def list_invariant_breaches():
    """Cases that belong in a list (before its floor in score-then-id order) but are missing."""
    weights = PG_RANK_WEIGHTS
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.term, d.case_id FROM cases_search_toplist t "
            "JOIN LATERAL (SELECT d.case_id, ts_rank_cd(%s::float4[], d.head, quote_literal(t.term)::tsquery) AS s"
            "  FROM cases_searchdocument d WHERE d.head @@ quote_literal(t.term)::tsquery) d ON true "
            "WHERE (t.floor_case IS NULL OR d.s > t.floor OR (d.s = t.floor AND d.case_id <= t.floor_case)) "
            "AND NOT EXISTS (SELECT 1 FROM cases_search_impact i WHERE i.term = t.term AND i.case_id = d.case_id)",
            [weights],
        )
        return cursor.fetchall()


def test_lists_follow_edits_without_a_rebuild(short_lists):
    assert list_invariant_breaches() == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_search_toplist WHERE floor_case IS NOT NULL")
        assert cursor.fetchone()[0] > 10  # the lists really are cut
    last = Case.objects.published().order_by("-pk").first()
    last.title = "便民服务便民服务帮办代办：" + last.title
    last.save()
    first = Case.objects.published().order_by("pk").first()
    first.title = "山间小事"
    first.save()
    Case.objects.published().order_by("pk")[5].delete()
    assert list_invariant_breaches() == []
    for query in ("便民服务", "帮办代办", "政务+金融"):
        qs = broad(query)
        assert page_ids(qs, 0, 6) == page_ids(full_ranking(qs), 0, 6)
    assert last.pk in page_ids(broad("帮办代办"), 0, 44)


def test_ties_with_cases_outside_the_lists_are_not_taken_as_proven(short_lists):
    # 龙头 (3 cases) and 齐全 (5) are in bodies only, never together, and in no concept of the
    # thesaurus. The any-word fallback ranks every match 0 (broad queries rank on heads), so the
    # page is the lowest ids among all of them, not the candidates the lists hold.
    outcome = apply_search(Case.objects.published(), "龙头 齐全")
    assert outcome.partial and outcome.queryset._top_plan is not None
    qs = outcome.queryset
    assert set(full_ranking(qs).values_list("search_rank", flat=True)) == {0.0}
    for low, high in [(0, 2), (0, 3), (2, 4)]:
        assert page_ids(qs, low, high) == page_ids(full_ranking(qs), low, high)


def test_a_tie_with_the_bound_counts_only_below_the_bound_case(short_lists, monkeypatch):
    """The rule itself: a candidate ranking exactly at the bound is proven only when its id is
    at most the bound's id (a case outside the candidates that ties has a larger one)."""
    qs = broad("帮办代办")
    plan = qs._top_plan
    x, rank = full_ranking(qs).values_list("pk", "search_rank")[0]
    checker = full_ranking(qs).order_by()
    for after, expected in [(x, [x]), (x - 1, None), (None, None)]:
        bound = topk._Bound(rank=rank, after=after)
        monkeypatch.setattr(topk.TopPlan, "_candidates", lambda self, cursor, depth, words, b=bound: ({x}, b))
        assert plan._prove(checker, 1, 60, topk._Words(floors={}, rare_holders=set())) == expected, after


def test_several_selective_words_are_ranked_in_full(short_lists, monkeypatch):
    monkeypatch.setattr(topk, "SEVERAL_WORDS_MIN_MATCHES", 10)

    def plan(query):
        return getattr(apply_search(Case.objects.published(), query).queryset, "_top_plan", None)

    liangshan = Case.objects.filter(unit__prefecture__short_name="凉山").count()
    assert 2 < liangshan <= 10  # broad under the test thresholds, below the several-word minimum
    assert plan("凉山 金融") is None
    assert plan("凉山") is not None  # one word: its list is its ranking
    assert plan("政务服务 群众") is not None


def test_counting_hints_apply_to_broad_searches_and_are_undone(short_lists):
    from cases.search import counting_hints

    # The test runs inside a transaction, where SET LOCAL alone would last until its end.
    with counting_hints(broad("便民服务")):
        assert nestloop() == "off"
    assert nestloop() == "on"
    with counting_hints(Case.objects.published()):
        assert nestloop() == "on"


def test_list_page_facets_of_a_broad_search(short_lists, client):
    from django.http import QueryDict

    from cases.selectors import list_cases

    listing = list_cases(QueryDict("q=便民服务"))
    matches = set(full_ranking(broad("便民服务")).values_list("pk", flat=True))
    prefectures = {}
    for case in Case.objects.filter(pk__in=matches).select_related("unit__prefecture"):
        code = case.unit.prefecture.code
        prefectures[code] = prefectures.get(code, 0) + 1
    facet = next(f for f in listing.facets if f.name == "prefecture")
    assert {o.value: o.count for o in facet.options if o.count} == prefectures
    assert client.get("/cases/?q=便民服务").status_code == 200


def test_planner_settings_are_undone_when_the_block_fails(short_lists):
    from django.db import DataError, transaction

    with (
        pytest.raises(DataError),
        planner_settings(connection.alias, enable_nestloop="off"),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT 1 / 0")
    # The original error surfaced (not a "transaction aborted" one) and the setting is back.
    assert not transaction.get_rollback() and nestloop() == "on"
