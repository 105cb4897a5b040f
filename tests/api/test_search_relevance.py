"""The issue measures ranking through the API: GET /api/v1/cases/?q=... must rank as the search
function does, so the judged set scores the same there."""

from urllib.parse import quote

from cases.models import Case
from cases.search import apply_search
from tests.search.relevance import evaluate
from tests.search.test_relevance import NDCG_FLOOR


def test_api_ranks_the_judged_queries_as_the_search_does(api, library):
    def through_api(query):
        response = api.get(f"/api/v1/cases/?q={quote(query)}&page_size=10")
        assert response.status_code == 200, (query, response.content[:200])
        return [row["slug"] for row in response.json()["results"]]

    def direct(query):
        ranked = apply_search(Case.objects.published(), query).queryset
        return list(ranked.values_list("slug", flat=True)[:10])

    by_api, by_function = evaluate(through_api), evaluate(direct)
    assert by_api == by_function
    assert sum(by_api.values()) / len(by_api) >= NDCG_FLOOR
