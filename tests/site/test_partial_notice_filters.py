"""A partial search's notice and the API's ``full_matches`` are true of the results shown: with a
tier or prefecture filter they count the full matches among the filtered results, not in the whole
library (found by an outside verifier: 帮办代办 + 优秀案例 + 凉山州 showed 2 results under "只有 33
个案例包含这个搜索词"). And "排在前面" is said only when the list is sorted by relevance."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awards.models import Prefecture
from cases.models import Case
from cases.search import apply_search, is_partial_match

PARTIAL_QUERIES = [
    "帮办代办",
    "一网通半",
    "信贷",
    "外出务工人员怎样在家门口办事",
    "雅安 金融",
    "一网通办 彭山",
    "快递服务",
]
NOTICE = re.compile(r"只有 (\d+) 个案例包含")


def expected(query, tiers, prefectures):
    """(results, full matches among them), from the unfiltered search narrowed by hand."""
    outcome = apply_search(Case.objects.published(), query)
    found = outcome.queryset
    if tiers:
        found = found.filter(tier__slug__in=tiers)
    if prefectures:
        found = found.filter(unit__prefecture__code__in=prefectures)
    ranks = list(found.values_list("search_rank", flat=True))
    return len(ranks), sum(not is_partial_match(outcome, rank) for rank in ranks)


def params(query, tiers, prefectures, **extra):
    return [
        ("q", query),
        *(("tier", t) for t in tiers),
        *(("prefecture", p) for p in prefectures),
        *extra.items(),
    ]


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_full_matches_are_counted_among_the_filtered_results(client, library, data):
    query = data.draw(st.sampled_from(PARTIAL_QUERIES), label="query")
    tiers = data.draw(
        st.lists(st.sampled_from(["best", "excellent"]), unique=True, max_size=1), label="tiers"
    )
    codes = sorted(Prefecture.objects.values_list("code", flat=True))
    prefectures = data.draw(st.lists(st.sampled_from(codes), unique=True, max_size=2), label="prefectures")
    total, full = expected(query, tiers, prefectures)
    answer = client.get("/api/v1/cases/", params(query, tiers, prefectures, page_size=100)).json()
    assert answer["count"] == total
    if 0 < full < total or (full == 0 and total and answer["search"]["full_matches"] is not None):
        assert answer["search"]["full_matches"] == full, (query, tiers, prefectures)
    elif full == total:
        assert answer["search"]["full_matches"] is None, (query, tiers, prefectures)
    body = client.get("/cases/", params(query, tiers, prefectures)).content.decode()
    for shown in NOTICE.findall(body):
        assert int(shown) == full < total, (query, tiers, prefectures, shown)


def test_the_verifiers_example_counts_the_filtered_full_matches(client, library):
    total, full = expected("帮办代办", ["excellent"], ["513400"])
    body = client.get("/cases/", params("帮办代办", ["excellent"], ["513400"])).content.decode()
    assert f"只有 {max(full, 0)} 个" in body or full in (0, total)
    assert "只有 33 个" not in body


def test_first_is_said_only_when_sorted_by_relevance(client, library):
    relevance = client.get("/cases/", {"q": "一网通办 彭山"}).content.decode()
    by_notice = client.get("/cases/", {"q": "一网通办 彭山", "sort": "notice"}).content.decode()
    assert "排在前面" in relevance
    assert "只有" in by_notice and "排在前面" not in by_notice


def test_a_one_word_querys_later_cases_are_called_related_not_partial(client, library):
    # A one-word query cannot be matched in part: its later cases hold a related word (容缺受理).
    one = client.get("/cases/", {"q": "容缺受理"}).content.decode()
    assert "相关结果" in one and ">部分匹配<" not in one
    # The card kept for one query (portal.memo) is not shown for another of several words.
    several = client.get("/cases/", {"q": "凉山 金融服务"}).content.decode()
    assert ">部分匹配<" in several and "相关结果" not in several


def test_other_sorts_say_the_rest_not_after_them(client, library):
    by_notice = client.get("/cases/", {"q": "一网通办 彭山", "sort": "notice"}).content.decode()
    assert "其余的案例只包含部分搜索词" in by_notice and "其后" not in by_notice
