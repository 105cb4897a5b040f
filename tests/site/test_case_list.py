"""The case list: every filter combination class and the facet counts, over the real library."""

from collections import Counter
from urllib.parse import urlencode

import pytest

from cases.models import Case
from tests.site.conftest import expected_slugs

pytestmark = pytest.mark.django_db

COMBINATIONS = [
    {},
    {"tier": ["best"]},
    {"tier": ["best", "excellent"]},
    {"prefecture": ["511800"]},
    {"prefecture": ["510100", "513400"]},
    {"level": ["township"]},
    {"level": ["county", "village"]},
    {"theme": ["finance"]},
    {"theme": ["finance", "government-plus"]},  # a case with both themes must appear once
    {"prefecture": ["510100"], "tier": ["best"]},
    {"prefecture": ["510100", "511800"], "tier": ["excellent"], "level": ["county"]},
    {"tier": ["excellent"], "theme": ["devolution", "assisted-service"]},
    {"tier": ["best"], "prefecture": ["510100", "510400"], "level": ["county"], "theme": ["government-plus"]},
    {"tier": ["best"], "prefecture": ["513300"]},  # no case: the empty result
]


def get_list(client, selected, **extra):
    params = [(name, value) for name, values in selected.items() for value in values]
    params += list(extra.items())
    return client.get("/cases/?" + urlencode(params))


def all_slugs(response):
    return [case.slug for case in response.context["listing"].queryset]


def expected_facets(facts, selected):
    """For each facet: option -> number of cases with every *other* filter applied."""
    result = {}
    for name in ("tier", "prefecture", "level", "theme"):
        others = {k: v for k, v in selected.items() if k != name}
        counter = Counter()
        for slug in expected_slugs(facts, others):
            row = facts[slug]
            for value in row[name] if name == "theme" else {row[name]}:
                counter[value] += 1
        result[name] = counter
    return result


@pytest.mark.parametrize("selected", COMBINATIONS, ids=lambda s: urlencode(s, doseq=True) or "none")
def test_filters_give_the_right_cases_and_facet_counts(client, facts, selected):
    response = get_list(client, selected)
    assert response.status_code == 200
    slugs = all_slugs(response)
    assert len(slugs) == len(set(slugs)), "a case is listed twice"
    expected = expected_slugs(facts, selected)
    assert set(slugs) == expected
    assert response.context["paginator"].count == len(expected)
    assert f"共 <strong>{len(expected)}</strong> 个案例" in response.content.decode()

    wanted = expected_facets(facts, selected)
    for facet in response.context["facets"]:
        for option in facet.options:
            assert option.count == wanted[facet.name][option.value], (facet.name, option.value)
            assert option.selected == (option.value in selected.get(facet.name, []))


def test_the_first_page_shows_twenty_cases_in_notice_order(client, library):
    response = client.get("/cases/")
    cases = response.context["cases"]
    assert len(cases) == 20
    in_order = list(Case.objects.published().in_notice_order().values_list("slug", flat=True))
    assert [c.slug for c in cases] == in_order[:20]
    page3 = client.get("/cases/?page=3").context["cases"]
    assert [c.slug for c in page3] == in_order[40:]
    body = response.content.decode()
    assert 'href="/cases/?page=2"' in body


def test_sort_by_prefecture(client, library):
    slugs = all_slugs(client.get("/cases/?sort=prefecture"))
    orders = [Case.objects.get(slug=s).unit.prefecture.order for s in slugs]
    assert orders == sorted(orders)
    assert len(slugs) == 44


def test_the_url_keeps_the_whole_state(client, library):
    response = client.get("/cases/?prefecture=510100&prefecture=511800&tier=excellent&sort=prefecture")
    body = response.content.decode()
    # Each chip removes exactly its own value and keeps the rest.
    chips = {a.value_label: a.remove_url for a in response.context["active"]}
    assert set(chips) == {"成都市", "雅安市", "优秀案例"}
    assert "prefecture=510100" not in chips["成都市"] and "prefecture=511800" in chips["成都市"]
    assert "tier=excellent" in chips["成都市"] and "sort=prefecture" in chips["成都市"]
    assert "清除全部" in body
    # Pagination and filter form carry the same state: the checkboxes are checked.
    assert 'id="f-prefecture-511800" name="prefecture" value="511800" checked' in body
    assert '<option value="prefecture" selected>' in body


def test_search_goes_through_the_filter_and_shows_snippets(client, facts):
    response = client.get("/cases/?q=名山区&tier=best")
    assert response.status_code == 200
    listing = response.context["listing"]
    assert listing.sort == "relevance"
    slugs = all_slugs(response)
    assert slugs, "名山区 is the place of a best case's unit"
    for slug in slugs:
        assert facts[slug]["tier"] == "best"
    # The snippets come from cases.search.highlight (its marking may change with the search engine).
    body = response.content.decode()
    assert 'aria-label="匹配的段落"' in body and "<mark>" in body
    assert response.context["query_remove_url"] == "?tier=best"


def test_a_partial_search_says_so(client, library):
    # A rare word beside one the library holds nowhere: its cases are listed as partial matches
    # (a common word beside it lists nothing: tests/search/test_absent_words.py).
    response = client.get("/cases/?q=雅安 量子计算机")
    assert response.context["outcome"].partial
    assert "包含部分搜索词" in response.content.decode()


def test_theme_links_lead_to_the_filtered_list(client, library):
    body = client.get("/cases/2021-best-01/").content.decode()
    case = Case.objects.get(slug="2021-best-01")
    for theme in case.themes.all():
        assert f'href="/cases/?theme={theme.slug}"' in body


def test_the_number_of_queries_does_not_grow_with_the_cases_shown(
    client, library, django_assert_max_num_queries, version_read_as_in_production
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for url in ("/cases/", "/cases/?prefecture=511800&tier=best", "/cases/?tier=excellent&page=2"):
        client.get(url)  # the first request of a process fills its per-library-version memos (portal.memo)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts[url] = len(ctx.captured_queries)
    assert len(set(counts.values())) == 1, counts
    # The filter choices are loaded once per page (10 and 15 queries when this was written).
    with django_assert_max_num_queries(11):
        client.get("/cases/?tier=best&tier=excellent&prefecture=510100&level=county&theme=finance&page=1")
    with django_assert_max_num_queries(17):
        client.get("/cases/?q=便民服务&level=township")


def test_search_suggestions_and_truncation_are_shown_escaped(client, library, monkeypatch):
    """The stub search never suggests; wrap the real one so the page's handling of suggestions is seen."""
    import cases.filters
    from cases.search import apply_search

    def with_suggestions(queryset, query):
        outcome = apply_search(queryset, query)
        outcome.suggestions = ["帮办代办", "<b>x</b>"]
        return outcome

    monkeypatch.setattr(cases.filters, "apply_search", with_suggestions)
    body = client.get("/cases/?q=帮半代办&tier=best").content.decode()
    assert "您是不是要找" in body
    assert 'href="/cases/?q=%E5%B8%AE%E5%8A%9E%E4%BB%A3%E5%8A%9E&amp;tier=best"' in body
    assert "&lt;b&gt;x&lt;/b&gt;" in body and "<b>x</b>" not in body


def test_facet_counts_respect_the_search(client, facts):
    response = client.get("/cases/?q=名山区")
    found = set(all_slugs(response))
    assert found and len(found) < 44
    tiers = {o.value: o.count for o in response.context["facets"][0].options}
    assert tiers == {t: sum(1 for s in found if facts[s]["tier"] == t) for t in ("best", "excellent")}
    response = client.get("/cases/?q=名山区&tier=excellent")
    tiers = {o.value: o.count for o in response.context["facets"][0].options}
    assert tiers == {t: sum(1 for s in found if facts[s]["tier"] == t) for t in ("best", "excellent")}
