"""The API list's whole answer is kept once per library version (portal.memo) under the address as asked:
a repeat reads nothing, and a kept answer never serves another address, host, scheme or query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from portal import memo

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("version_read_as_in_production")]

ADDRESSES = [
    ("/api/v1/cases/", {}),
    ("/api/v1/cases/", {"HTTP_HOST": "127.0.0.1"}),
    ("/api/v1/cases/", {"secure": True}),
    ("/api/v1/cases/?page=2", {}),
    ("/api/v1/cases/?page_size=5&page=2", {}),
    ("/api/v1/cases/?tier=best", {}),
    ("/api/v1/cases/?tier=best&ordering=-title", {}),
    ("/api/v1/cases/?q=便民服务", {}),
    ("/api/v1/cases/?q=便民服务&tier=excellent", {}),
    ("/api/v1/cases/?q=凉山", {}),
]


@pytest.fixture
def version_read_as_in_production(settings):
    settings.PAGE_CACHE_VERSION_SECONDS = 60


def _answer(api, path, extra):
    response = api.get(path, **extra)
    assert response.status_code == 200, path
    return response.content


def test_a_repeated_api_list_makes_no_query(api, library):
    for path in ("/api/v1/cases/", "/api/v1/cases/?q=便民服务", "/api/v1/cases/?tier=best&page_size=3"):
        first = _answer(api, path, {})
        with CaptureQueriesContext(connection) as queries:
            again = _answer(api, path, {})
        assert again == first
        assert len(queries) == 0, (path, [q["sql"][:80] for q in queries])


def test_each_api_address_gets_its_own_answer_whatever_was_kept_before(api, library):
    alone = {}
    for path, extra in ADDRESSES:
        memo.clear()
        alone[(path, tuple(extra.items()))] = _answer(api, path, extra)
    for path, extra in [*reversed(ADDRESSES), *ADDRESSES]:
        assert _answer(api, path, extra) == alone[(path, tuple(extra.items()))], (path, extra)
    assert b"https://testserver/api/v1/cases/" in alone[("/api/v1/cases/", (("secure", True),))]
    assert b"http://127.0.0.1/api/v1/cases/" in alone[("/api/v1/cases/", (("HTTP_HOST", "127.0.0.1"),))]


def test_a_bad_query_is_refused_each_time_after_a_good_one_was_kept(api, library):
    assert api.get("/api/v1/cases/?tier=best").status_code == 200
    for _ in range(2):
        assert api.get("/api/v1/cases/?tier=nosuchtier").status_code == 400
        assert api.get("/api/v1/cases/?page=999").status_code == 404


def test_a_withdrawn_case_leaves_a_kept_api_search_at_once(api, library):
    path = "/api/v1/cases/?q=便民服务"
    first = api.get(path).json()
    api.get(path)
    case = Case.objects.get(pk=first["results"][0]["id"])
    case.status = Case.Status.DRAFT
    case.save()
    after = api.get(path).json()
    assert case.pk not in [row["id"] for row in after["results"]]
    assert after["count"] == first["count"] - 1
