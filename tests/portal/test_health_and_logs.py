"""/healthz, /readyz, request ids and the JSON access log."""

import json
import logging

import pytest

from portal.logging import JsonFormatter, RequestIdFilter


def test_healthz_answers_without_database_or_host_check(client):
    response = client.get("/healthz", HTTP_HOST="10.0.0.17")  # a load balancer probing by address
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_checks_the_database_and_the_cache(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database:default": "ok", "cache": "ok"}}


def test_readyz_checks_the_real_redis(client, db, redis_cache):
    assert client.get("/readyz").json()["checks"]["cache"] == "ok"


CACHE_NOWHERE = {
    "default": {
        "BACKEND": "portal.redis_cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
    }
}


def test_readyz_stays_200_marked_degraded_when_only_the_cache_is_down(client, db, settings, caplog):
    """A Redis outage must not take every app server out of the load balancer at once."""
    settings.CACHES = CACHE_NOWHERE
    with caplog.at_level(logging.WARNING, logger="portal.health"):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "checks": {"database:default": "ok", "cache": "failed"}}
    # The reason is logged for the operators, never shown to whoever asks.
    assert "Connection refused" in caplog.text or "Error 111" in caplog.text
    assert "127.0.0.1" not in response.content.decode() and "Error" not in response.content.decode()


def test_pages_still_answer_when_the_cache_is_down(client, library, settings, page_cache):
    settings.CACHES = CACHE_NOWHERE
    response = client.get("/cases/")
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "bypass"


def test_request_id_is_taken_from_the_load_balancer_and_echoed(client, db):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234.abcd")
    assert response["X-Request-ID"] == "lb-1234.abcd"


@pytest.mark.parametrize("incoming", [None, "", "bad id with spaces", "x" * 200, "<script>"])
def test_request_id_is_made_when_missing_or_unsafe(client, db, incoming):
    headers = {} if incoming is None else {"HTTP_X_REQUEST_ID": incoming}
    response = client.get("/healthz", **headers)
    assert len(response["X-Request-ID"]) == 32
    assert response["X-Request-ID"] != incoming


def test_access_log_is_one_json_line_with_request_id_and_duration(client, library, caplog):
    with caplog.at_level(logging.INFO, logger="portal.access"):
        client.get("/cases/", {"q": "凉山"}, HTTP_X_REQUEST_ID="req-42")
    records = [r for r in caplog.records if r.name == "portal.access"]
    assert len(records) == 1
    record = records[0]
    RequestIdFilter().filter(record)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["request_id"] == "req-42"
    assert entry["method"] == "GET"
    assert entry["path"] == "/cases/?q=%E5%87%89%E5%B1%B1"
    assert entry["status"] == 200
    assert entry["duration_ms"] >= 0
    assert entry["level"] == "INFO" and entry["logger"] == "portal.access"


def test_application_logs_during_a_request_carry_its_id(client, db, settings, caplog):
    settings.CACHES = CACHE_NOWHERE
    with caplog.at_level(logging.WARNING, logger="portal.health"):
        client.get("/readyz", HTTP_X_REQUEST_ID="req-99")
    record = next(r for r in caplog.records if r.name == "portal.health")
    RequestIdFilter().filter(record)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["request_id"] == "req-99"
    assert entry["check"] == "cache"
