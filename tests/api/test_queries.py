"""The number of SQL queries per request does not grow with the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def count_queries(api, path):
    with CaptureQueriesContext(connection) as context:
        response = api.get(path)
    assert response.status_code == 200, (path, response.content[:300])
    return len(context.captured_queries), response


@pytest.mark.parametrize(
    "endpoint",
    [
        "/api/v1/cases/",
        "/api/v1/cases/?q=服务",
        "/api/v1/cases/?tier=best&tier=excellent&theme=finance&theme=devolution&ordering=-updated",
        "/api/v1/prefectures/",
        "/api/v1/units/",
        "/api/v1/tiers/",
        "/api/v1/organizing-awards/",
        "/api/v1/themes/",
    ],
)
def test_queries_do_not_grow_with_page_size(api, library, endpoint):
    joiner = "&" if "?" in endpoint else "?"
    api.get(endpoint)  # the first request of a process fills its per-library-version memos (portal.memo)
    small, small_response = count_queries(api, f"{endpoint}{joiner}page_size=1")
    large, large_response = count_queries(api, f"{endpoint}{joiner}page_size=100")
    assert len(small_response.json()["results"]) == 1
    assert len(large_response.json()["results"]) > 1
    assert large == small


def test_case_detail_queries_are_bounded(api, library):
    from cases.models import Case

    counts = set()
    for case in Case.objects.published()[:5]:
        queries, _ = count_queries(api, f"/api/v1/cases/{case.pk}/")
        counts.add(queries)
    assert max(counts) <= 7


def test_downloads_queries_are_bounded(api, library):
    csv_queries, _ = count_queries(api, "/api/v1/data/library.csv")
    json_queries, _ = count_queries(api, "/api/v1/data/library.json")
    # One per table plus prefetches, not one per case.
    assert csv_queries <= 6
    assert json_queries <= 12
