"""What a process keeps per library version is never served after the library changed."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from portal import memo

pytestmark = pytest.mark.django_db


def test_a_value_is_computed_once_per_library_version(library):
    calls = []
    assert memo.get("probe", 1, lambda: calls.append(1) or "a") == "a"
    assert memo.get("probe", 1, lambda: calls.append(1) or "b") == "a"
    assert len(calls) == 1


def test_an_editors_save_shows_at_once_on_a_memoised_page(client, library):
    case = Case.objects.published().get(slug="2021-best-01")
    assert case.title in client.get("/").content.decode()
    case.title = "改过的标题"
    case.save()
    body = client.get("/").content.decode()
    assert "改过的标题" in body


def test_nothing_is_kept_while_the_transaction_holds_uncommitted_edits(library):
    case = Case.objects.published().first()
    with transaction.atomic():
        case.title = "未提交的标题"
        case.save()
        memo.get("probe", 2, lambda: "dirty")
        assert memo.get("probe", 2, lambda: "computed again") == "computed again"


def test_nothing_is_kept_when_the_shared_cache_cannot_be_reached(library, monkeypatch):
    monkeypatch.setattr(memo, "library_version", lambda: None)
    memo.get("probe", 3, lambda: "first")
    assert memo.get("probe", 3, lambda: "second") == "second"


def test_a_warmed_worker_serves_the_home_page_without_a_query(client, library, settings):
    from portal.warmup import warm_worker

    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    # Production reads the library version row at most once a second (tests read it every time);
    # a longer interval here keeps a slow, loaded machine from turning that one read into a query.
    settings.PAGE_CACHE_VERSION_SECONDS = 60
    warm_worker()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert len(queries) == 0


def test_with_the_memos_switched_off_every_request_computes_its_page(client, library, settings):
    # benchmarks/load.sh's "computed" mode relies on this: a page then costs what it costs after a save.
    settings.LIBRARY_MEMO_ENABLED = False
    settings.ALLOWED_HOSTS = ["testserver"]
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/cases/", {"q": "凉山"}).status_code == 200
        counts.append(len(queries))
    assert counts[1] == counts[0] > 0
    assert memo.get("probe", 4, lambda: "first") == "first"
    assert memo.get("probe", 4, lambda: "second") == "second"
