"""Redis killed, frozen and restarted under a running site: pages, the API and a signed-in admin page keep
answering from the database, quickly, and the cache is used again once Redis is back.

A redis-server of the test's own, on its own port (never the shared one); requests go through the whole
middleware stack in this process against it.
"""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cases.models import Case
from portal import redis_cache

PUBLIC = ["/", "/cases/", "/cases/?tier=best", "/cases/2021-best-01/", "/prefectures/510100/", "/statistics/"]
API = [
    "/api/v1/cases/",
    "/api/v1/cases/?tier=best&page_size=5",
    "/api/v1/themes/",
    "/api/v1/data/library.json",
]
ADMIN = "/admin/cases/case/"
RETRY_AFTER = 1  # seconds the breaker skips Redis after a failure (5 in production)
ROUNDS = 3
# What one request may spend waiting on Redis (measured around every cache operation, so the figure
# does not depend on how busy the test machine's CPUs are). A frozen Redis used to cost 5–10 s per
# request, and without socket timeouts a request would wait for ever.
REDIS_WAIT = 1.0
# Whole requests, CPU included, on a loaded two-core machine: catches a hang, not a slow page.
HANG = 15.0
_waited = [0.0]


@pytest.fixture
def site(settings, redis_server, library, monkeypatch):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.redis_cache.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "faults",
            "OPTIONS": {"socket_timeout": 0.25, "socket_connect_timeout": 0.25, "retry_after": RETRY_AFTER},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.PAGE_CACHE_ENABLED = True
    settings.API_ANON_RATE = "100000/min"  # the throttle reads and writes the cache on every API call
    redis_cache._breakers.clear()
    call = redis_cache.CircuitBreaker.call

    def timed_call(self, operation, fallback):
        started = time.perf_counter()
        try:
            return call(self, operation, fallback)
        finally:
            _waited[0] += time.perf_counter() - started

    monkeypatch.setattr(redis_cache.CircuitBreaker, "call", timed_call)
    from portal.cache import local_pages, version_memo

    local_pages.clear()
    version_memo.clear()
    editor = get_user_model().objects.create_superuser("faults-admin", "a@example.com", "pw-faults-1")
    admin = Client()
    admin.force_login(editor)
    yield admin
    redis_cache._breakers.clear()
    local_pages.clear()
    version_memo.clear()


def run(client: Client, admin: Client, *, rounds: int = ROUNDS) -> dict:
    """Every page, API address and the admin page ``rounds`` times: errors, the longest wait on Redis
    and the slowest request (seconds), cache states."""
    errors, waited, slowest, states = [], 0.0, 0.0, set()
    for _ in range(rounds):
        for who, url in [*((client, u) for u in PUBLIC + API), (admin, ADMIN)]:
            _waited[0] = 0.0
            started = time.perf_counter()
            response = who.get(url)
            slowest = max(slowest, time.perf_counter() - started)
            waited = max(waited, _waited[0])
            if response.status_code != 200:
                errors.append((url, response.status_code))
            states.add(response.get("X-Page-Cache", ""))
    return {"errors": errors, "waited": waited, "slowest": slowest, "states": states}


def wait_for_cache(client: Client, url: str = "/cases/") -> str:
    """Requests until the page cache answers again (the breaker retries after RETRY_AFTER seconds)."""
    deadline = time.monotonic() + RETRY_AFTER + 10
    while time.monotonic() < deadline:
        state = client.get(url)["X-Page-Cache"]
        if state in ("hit", "miss"):
            return state
        time.sleep(0.2)
    return "bypass"


def test_redis_killed_then_restarted(client, site, redis_server, record_property):
    admin = site
    healthy = run(client, admin, rounds=2)
    assert healthy["errors"] == []
    assert "hit" in healthy["states"]
    assert redis_server.keys() > 0

    redis_server.kill()
    down = run(client, admin)
    record_property("redis_down_wait_s", round(down["waited"], 3))
    assert down["errors"] == []
    # Pages this process already holds are still served ("hit"): the version they are checked against
    # is in the database, not in Redis. Everything else is served from the database uncached.
    assert down["states"] <= {"bypass", "hit", "miss"} and "bypass" in down["states"], down["states"]
    assert down["waited"] < REDIS_WAIT and down["slowest"] < HANG, down
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "degraded", "checks": {"database:default": "ok", "cache": "failed"}}

    redis_server.start()  # same port, empty
    assert wait_for_cache(client) in ("hit", "miss")
    assert client.get("/cases/")["X-Page-Cache"] == "hit"
    back = run(client, admin, rounds=2)
    assert back["errors"] == [] and "hit" in back["states"]
    assert redis_server.keys() > 0
    assert client.get("/readyz").json()["status"] == "ok"


def test_redis_frozen_then_thawed(client, site, redis_server, record_property):
    admin = site
    assert run(client, admin, rounds=2)["errors"] == []

    redis_server.freeze()
    try:
        frozen = run(client, admin)
        record_property("redis_frozen_wait_s", round(frozen["waited"], 3))
        assert frozen["errors"] == []
        assert frozen["waited"] < REDIS_WAIT and frozen["slowest"] < HANG, frozen
        _waited[0] = 0.0
        ready = client.get("/readyz")
        assert _waited[0] < REDIS_WAIT
        assert ready.status_code == 200 and ready.json()["checks"]["cache"] == "failed"
        # Past the breaker's pause one request tries Redis again (one short timeout), still quick.
        time.sleep(RETRY_AFTER + 0.2)
        again = run(client, admin, rounds=1)
        record_property("redis_frozen_retry_wait_s", round(again["waited"], 3))
        assert again["errors"] == [] and again["waited"] < REDIS_WAIT and again["slowest"] < HANG, again
    finally:
        redis_server.thaw()
    assert wait_for_cache(client) in ("hit", "miss")
    assert client.get("/cases/")["X-Page-Cache"] == "hit"


def test_an_edit_saved_while_redis_is_frozen_is_not_hidden_by_older_pages(
    client, site, redis_server, django_capture_on_commit_callbacks
):
    url = "/cases/2021-best-01/"
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    redis_server.freeze()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            case = Case.objects.get(slug="2021-best-01")
            case.title = "冻结期间保存的新标题"
            case.save()
        assert "冻结期间保存的新标题" in client.get(url).content.decode()  # served uncached
    finally:
        redis_server.thaw()
    wait_for_cache(client)
    page = client.get(url)
    assert "冻结期间保存的新标题" in page.content.decode()  # the version was replaced once Redis answered


def test_junk_parameters_and_cookies_do_not_grow_the_cache(client, site, redis_server):
    client.get("/cases/")
    client.get("/api/v1/cases/")
    stored = redis_server.keys()
    for number in range(40):
        client.cookies["pref_text_size"] = f"huge{number}"
        client.cookies[f"pref_junk{number}"] = "1"
        for url in (
            f"/cases/?utm_source=x{number}",
            f"/cases/?_={number}",
            f"/api/v1/cases/?callback=c{number}&page=",
        ):
            assert client.get(url)["X-Page-Cache"] == "hit", url
        assert client.generic("TRACE", "/cases/").status_code == 405
    assert redis_server.keys() == stored
