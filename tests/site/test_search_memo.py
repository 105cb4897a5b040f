"""A search page is computed once per library version (portal.memo), and a kept search never answers
another request: each filter, page, sort and query gets its own, and nothing unpublished shows."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from portal import memo

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("version_read_as_in_production")]

# Searches that differ in one thing each: the query, a filter, the page, the sort, a dropped value.
SEARCHES = [
    "/cases/?q=便民服务",
    "/cases/?q=便民服务&tier=excellent",
    "/cases/?q=便民服务&tier=best",
    "/cases/?q=便民服务&page=2",
    "/cases/?q=便民服务&sort=prefecture",
    "/cases/?q=便民服务&sort=notice",
    "/cases/?q=便民服务&tier=nosuchtier",
    "/cases/?q=便民服务&page=99",
    "/cases/?q=便民服务 ",
    "/cases/?q=凉山",
    "/cases/?q=凉山&prefecture=513400",
    "/cases/?q=便民服",
    "/cases/?q=pengshan",
    "/cases/",
]


def _body(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_a_repeated_search_makes_no_query(client, library):
    for path in ("/cases/?q=便民服务", "/cases/?q=便民服务&tier=excellent", "/cases/?q=凉山&page=1"):
        first = _body(client, path)
        with CaptureQueriesContext(connection) as queries:
            again = _body(client, path)
        assert again == first
        assert len(queries) == 0, (path, [q["sql"][:80] for q in queries])


def test_each_search_gets_its_own_page_whatever_was_kept_before(client, library):
    alone = {}
    for path in SEARCHES:
        memo.clear()
        alone[path] = _body(client, path)
    # Every page requested once more, in another order, with every other search kept.
    for path in reversed(SEARCHES):
        assert _body(client, path) == alone[path], path
    for path in SEARCHES:
        assert _body(client, path) == alone[path], path


def test_a_withdrawn_case_leaves_a_kept_search_at_once(client, library):
    path = "/cases/?q=便民服务"
    found = client.get(path).context["cases"]
    client.get(path)  # kept
    case = Case.objects.get(pk=found[0].pk)
    case.status = Case.Status.DRAFT
    case.save()
    again = client.get(path)
    assert case.pk not in [c.pk for c in again.context["cases"]]
    assert again.context["paginator"].count == client.get(path).context["paginator"].count


def test_an_uncommitted_edit_is_never_kept_for_later_requests(client, library):
    path = "/cases/?q=新标题独有词"
    case = Case.objects.published().first()
    assert case.pk not in [c.pk for c in client.get(path).context["cases"]]  # kept: finds nothing yet
    try:
        with transaction.atomic():
            case.title = "新标题独有词"
            case.save()
            inside = client.get(path).context["cases"]
            assert case.pk in [c.pk for c in inside]  # the request sees its own transaction
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    after = client.get(path).context["cases"]
    assert case.pk not in [c.pk for c in after]
