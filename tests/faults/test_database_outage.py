"""The database gone, a connection terminated mid-request, a replica down: what gunicorn answers.

gunicorn serves the site in a subprocess with production settings. "Gone" is a PostgreSQL address where
nothing listens; "terminated" is pg_terminate_backend from another connection while the request waits
on a lock; the next request must recover by itself (persistent connections with health checks).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request

import psycopg
import pytest
from django.db import connection

from tests.faults.conftest import free_port


def fetch(base_url: str, path: str, timeout: float = 30) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(base_url + path, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def nowhere() -> str:
    return f"postgres://postgres@127.0.0.1:{free_port()}/caselib_gone"


def assert_api_503(status, headers, body):
    assert status == 503, body[:500]
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body) == {"detail": "服务暂时不可用，请稍后再试。", "code": "service_unavailable"}
    assert headers["Retry-After"]


def assert_page_503(status, headers, body):
    assert status == 503, body[:500]
    assert headers["Content-Type"].startswith("text/html")
    assert "服务暂时不可用" in body and 'lang="zh-CN"' in body


def test_database_down_gives_json_for_the_api_and_a_chinese_page_elsewhere(gunicorn_server):
    database = nowhere()
    server = gunicorn_server(DATABASE_URL=database, DJANGO_PAGE_CACHE="0")
    assert_api_503(*fetch(server.base_url, "/api/v1/cases/"))
    assert_api_503(*fetch(server.base_url, "/api/v1/cases/1/"))
    assert_api_503(*fetch(server.base_url, "/api/v1/data/library.csv"))
    assert_page_503(*fetch(server.base_url, "/cases/"))
    assert_page_503(*fetch(server.base_url, "/cases/2021-best-01/"))
    assert fetch(server.base_url, "/healthz")[0] == 200
    status, _, body = fetch(server.base_url, "/readyz")
    assert status == 503
    assert json.loads(body) == {
        "status": "unavailable",
        "checks": {"database:default": "failed", "cache": "ok"},
    }
    port = database.rsplit(":", 1)[1].split("/")[0]
    for secret in ("127.0.0.1", port, "caselib_gone", "postgres", "Error", "refused"):
        assert secret not in body, secret


@pytest.fixture
def database_copy(postgres):
    from tests.portal import pg

    name = f"{connection.settings_dict['NAME']}_faults_copy"
    url = pg.copy_test_database(name)
    yield name, url
    pg.drop_database(name)


def terminate_backends(url: str, name: str, *, waiting_on_lock: bool = False) -> int:
    condition = "AND wait_event_type = 'Lock'" if waiting_on_lock else ""
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = %s AND pid <> pg_backend_pid() {condition}",
            (name,),
        ).fetchall()
    return len(rows)


def request_terminated_mid_way(server, url: str, name: str, path: str):
    """GET ``path`` while its query waits on a lock; terminate its connection; return the answer."""
    answer = {}
    with psycopg.connect(url) as locker:
        locker.execute("LOCK TABLE cases_case IN ACCESS EXCLUSIVE MODE")
        worker = threading.Thread(target=lambda: answer.update(result=fetch(server.base_url, path)))
        worker.start()
        deadline = time.monotonic() + 20
        terminated = 0
        while not terminated and time.monotonic() < deadline:
            time.sleep(0.1)
            terminated = terminate_backends(url, name, waiting_on_lock=True)
        locker.rollback()
    worker.join(timeout=30)
    assert terminated, "the request never waited on the lock"
    return answer["result"]


def test_connection_terminated_mid_request_then_the_next_request_recovers(database_copy, gunicorn_server):
    name, url = database_copy
    server = gunicorn_server(DATABASE_URL=url, DJANGO_PAGE_CACHE="0", DJANGO_CONN_MAX_AGE="60")
    assert fetch(server.base_url, "/api/v1/cases/")[0] == 200
    # Between requests: the persistent connection is checked before reuse and replaced.
    assert terminate_backends(url, name) >= 1
    assert fetch(server.base_url, "/api/v1/cases/")[0] == 200
    assert fetch(server.base_url, "/cases/")[0] == 200

    # Answers not drawn before: a list already drawn is kept per library version (portal.memo) and
    # would not touch the locked table.
    assert_api_503(*request_terminated_mid_way(server, url, name, "/api/v1/cases/?page_size=7"))
    assert fetch(server.base_url, "/api/v1/cases/?page_size=7")[0] == 200
    assert_page_503(*request_terminated_mid_way(server, url, name, "/cases/?tier=excellent"))
    assert fetch(server.base_url, "/cases/?tier=excellent")[0] == 200


def test_a_replica_that_is_down_is_left_out(database_copy, gunicorn_server):
    _, url = database_copy
    server = gunicorn_server(DATABASE_URL=url, DATABASE_REPLICA_URLS=nowhere(), DJANGO_PAGE_CACHE="0")
    for path in ("/cases/", "/api/v1/cases/", "/cases/2021-best-01/"):
        assert fetch(server.base_url, path)[0] == 200, path
    status, _, body = fetch(server.base_url, "/readyz")
    assert status == 200
    assert json.loads(body) == {
        "status": "degraded",
        "checks": {"database:default": "ok", "database:replica_0": "failed", "cache": "ok"},
    }
