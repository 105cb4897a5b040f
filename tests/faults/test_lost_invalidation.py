"""An edit saved while Redis is frozen must invalidate cached pages even if the process that saved it is
gone by the time Redis answers again (a gunicorn HUP or max_requests replaces workers; a manage.py
command exits). The library version lives in the database, so nothing waits in a process to be
written later.

Real processes: a redis-server of the test's own, frozen with SIGSTOP; the edit is saved by a separate
``manage.py shell`` process against the same PostgreSQL database and the same (frozen) Redis, which
exits before Redis is thawed.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from portal import redis_cache
from portal.cache import bump_library_version, library_version, local_pages, version_memo
from tests.portal.conftest import run_manage

URL = "/cases/2021-best-01/"
NEW_TITLE = "冻结期间另一进程保存的标题"


@pytest.fixture
def shared_redis_site(settings, redis_server):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.redis_cache.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "faults",
            "OPTIONS": {"socket_timeout": 0.25, "socket_connect_timeout": 0.25, "retry_after": 0.5},
        }
    }
    settings.PAGE_CACHE_ENABLED = True
    redis_cache._breakers.clear()
    local_pages.clear()
    version_memo.clear()
    yield
    redis_cache._breakers.clear()
    local_pages.clear()
    version_memo.clear()


@pytest.mark.django_db(transaction=True)
def test_an_edit_by_a_process_that_exits_while_redis_is_frozen_is_shown_after_thaw(
    transactional_library, shared_redis_site, redis_server
):
    if connection.vendor != "postgresql":
        pytest.skip(
            "PostgreSQL only: the editing process needs the test database; runs in CI's PostgreSQL pass"
        )
    from tests.portal.pg import server_url

    client = Client()
    client.get(URL)
    assert client.get(URL)["X-Page-Cache"] == "hit"
    redis_server.freeze()
    try:
        run_manage(
            "shell",
            "-c",
            "from cases.models import Case; c = Case.objects.get(slug='2021-best-01'); "
            f"c.title = '{NEW_TITLE}'; c.save()",
            env={
                "DJANGO_DEBUG": "1",
                "DATABASE_URL": server_url(connection.settings_dict["NAME"]),
                "REDIS_URL": redis_server.url,
                "DJANGO_CACHE_PREFIX": "faults",
                "DJANGO_CACHE_TIMEOUT_MS": "250",
            },
        )
    finally:
        redis_server.thaw()
    redis_cache._breakers.clear()  # Redis answers again
    page = client.get(URL)
    assert NEW_TITLE in page.content.decode(), page["X-Page-Cache"]
    assert page["X-Page-Cache"] == "miss"


@pytest.mark.django_db
def test_a_worker_replaced_after_an_edit_serves_no_stale_page(
    library, shared_redis_site, redis_server, settings
):
    """In one process: the edit's version is in the database, so a fresh worker (no memory of it)
    still finds every stored page stale."""
    client = Client()
    client.get(URL)
    assert client.get(URL)["X-Page-Cache"] == "hit"
    redis_server.freeze()
    try:
        before = library_version()
        bump_library_version()  # what an editor's commit does
    finally:
        redis_server.thaw()
    # gunicorn HUP: the worker is replaced; nothing of the old one's memory is left.
    local_pages.clear()
    version_memo.clear()
    redis_cache._breakers.clear()
    assert library_version() != before
    assert client.get(URL)["X-Page-Cache"] == "miss"


@pytest.mark.django_db
def test_a_process_rereads_the_version_at_most_once_per_interval(
    library, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_VERSION_SECONDS = 60
    version_memo.clear()
    with django_assert_num_queries(1):
        first = library_version()
        assert library_version() == first
    # A save in this process is known at once; other processes see it within the interval.
    bump_library_version()
    with django_assert_num_queries(0):
        assert library_version() != first
    version_memo.clear()


@pytest.mark.django_db
def test_with_the_database_unreachable_the_last_version_read_is_kept(library, settings, monkeypatch):
    """No edit can be saved without the database, so pages stored under the version read last may still
    be served (the page cache keeps answering during a database outage); nothing read yet: an error,
    which the middleware answers by serving uncached."""
    from django.db import OperationalError

    from portal import cache as page_cache

    version_memo.clear()
    known = library_version()

    class Gone:
        class objects:  # noqa: N801 - stands in for the model's manager
            @staticmethod
            def using(alias):
                raise OperationalError("connection refused")

    monkeypatch.setattr(page_cache, "_version_model", lambda: Gone)
    assert library_version() == known  # PAGE_CACHE_VERSION_SECONDS is 0 under pytest: it tried again
    version_memo.clear()
    with pytest.raises(OperationalError):
        library_version()
