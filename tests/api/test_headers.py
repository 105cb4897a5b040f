"""Conditional GET (ETag, Last-Modified, 304), caching headers, CORS and the anonymous rate limit."""

import pytest
from django.core.cache import cache
from django.utils.http import http_date

from awards.models import Unit
from cases.models import Case

pytestmark = pytest.mark.django_db


def endpoints():
    case = Case.objects.published().first()
    return [
        "/api/v1/cases/",
        "/api/v1/cases/?tier=best&page_size=5",
        f"/api/v1/cases/{case.pk}/",
        "/api/v1/prefectures/",
        "/api/v1/prefectures/513400/",
        "/api/v1/units/",
        f"/api/v1/units/{case.unit_id}/",
        "/api/v1/tiers/",
        "/api/v1/organizing-awards/",
        "/api/v1/notices/",
        "/api/v1/themes/",
        "/api/v1/data/library.csv",
        "/api/v1/data/library.json",
    ]


def test_every_endpoint_has_etag_and_answers_304(api, library):
    for path in endpoints():
        response = api.get(path)
        assert response.status_code == 200, path
        etag = response["ETag"]
        assert etag.startswith('"') and etag.endswith('"')
        assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
        again = api.get(path, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304, path
        assert again.content == b""
        assert again["ETag"] == etag
        assert api.get(path, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_same_data_same_etag(api, library):
    assert api.get("/api/v1/cases/")["ETag"] == api.get("/api/v1/cases/")["ETag"]
    assert api.get("/api/v1/cases/")["ETag"] != api.get("/api/v1/cases/?page=2")["ETag"]


def test_case_change_gives_new_etag_and_last_modified(api, library):
    case = Case.objects.published().in_notice_order().first()
    list_before = api.get("/api/v1/cases/")
    detail_before = api.get(f"/api/v1/cases/{case.pk}/")
    case.title_in_compendium = "更正后的汇编标题"
    case.save()
    list_after = api.get("/api/v1/cases/", HTTP_IF_NONE_MATCH=list_before["ETag"])
    detail_after = api.get(f"/api/v1/cases/{case.pk}/", HTTP_IF_NONE_MATCH=detail_before["ETag"])
    assert list_after.status_code == 200
    assert detail_after.status_code == 200
    assert list_after["ETag"] != list_before["ETag"]
    assert detail_after["ETag"] != detail_before["ETag"]
    case.refresh_from_db()
    assert detail_after["Last-Modified"] == http_date(case.updated.timestamp())
    assert list_after["Last-Modified"] == http_date(case.updated.timestamp())


def test_change_to_a_unit_name_changes_the_case_etag(api, library):
    # Last-Modified follows the cases; the ETag follows everything shown.
    case = Case.objects.published().first()
    before = api.get(f"/api/v1/cases/{case.pk}/")
    # Renamed as an editor does (a save, whose signal replaces the per-library-version memos).
    unit = Unit.objects.get(pk=case.unit_id)
    unit.name += "（更名）"
    unit.save()
    after = api.get(f"/api/v1/cases/{case.pk}/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]


def test_last_modified_is_latest_case_update(api, library):
    latest = Case.objects.order_by("-updated").first().updated
    response = api.get("/api/v1/cases/")
    assert response["Last-Modified"] == http_date(latest.timestamp())
    assert api.get("/api/v1/cases/", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304
    earlier = http_date(latest.timestamp() - 3600)
    assert api.get("/api/v1/cases/", HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200


def test_withdrawing_a_case_moves_last_modified(api, library):
    before = api.get("/api/v1/cases/")
    case = Case.objects.published().first()
    case.status = Case.Status.DRAFT
    case.save()
    after = api.get("/api/v1/cases/", HTTP_IF_MODIFIED_SINCE=before["Last-Modified"])
    assert after.status_code == 200
    assert after.json()["count"] == 43


def test_errors_carry_no_validators(api, library):
    response = api.get("/api/v1/cases/?tier=gold")
    assert response.status_code == 400
    assert "ETag" not in response


def test_head_works_like_get(api, library):
    response = api.head("/api/v1/cases/")
    assert response.status_code == 200
    assert response["ETag"] == api.get("/api/v1/cases/")["ETag"]


def test_cors_allows_get_from_any_origin(api, library):
    response = api.get("/api/v1/cases/", HTTP_ORIGIN="https://data.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = api.options(
        "/api/v1/cases/", HTTP_ORIGIN="https://data.example.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"
    allowed = {m.strip() for m in preflight["Access-Control-Allow-Methods"].split(",")}
    assert allowed == {"GET", "HEAD", "OPTIONS"}
    assert "if-none-match" in preflight["Access-Control-Allow-Headers"]
    # Scripts on other sites may read the validator and the rate-limit hint.
    exposed = {h.strip().lower() for h in response["Access-Control-Expose-Headers"].split(",")}
    assert exposed == {"etag", "retry-after"}


def test_cors_is_limited_to_the_api(client, library):
    response = client.get("/cases/", HTTP_ORIGIN="https://data.example.org")
    assert "Access-Control-Allow-Origin" not in response


def test_throttle_default_rate_is_configured(settings):
    from django.conf import settings as django_settings

    assert "portal.api.AnonThrottle" in django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]


def test_anonymous_rate_limit_answers_429_with_retry_after(api, library, settings):
    settings.API_ANON_RATE = "3/min"
    cache.clear()
    for _ in range(3):
        assert api.get("/api/v1/themes/").status_code == 200
    response = api.get("/api/v1/cases/")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60
    # A forged X-Forwarded-For does not get round the limit.
    assert api.get("/api/v1/cases/", HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 429
    # Another client (address) is not affected.
    assert api.get("/api/v1/cases/", REMOTE_ADDR="192.0.2.7").status_code == 200


@pytest.mark.parametrize(
    "rate,ok", [("120/min", True), ("10/s", True), ("", True), ("lots", False), ("0/min", False)]
)
def test_rate_setting_is_checked_at_start(rate, ok):
    import os
    import subprocess
    import sys

    env = {**os.environ, "API_ANON_RATE": rate, "DJANGO_DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "-c", "import portal.settings"], env=env, capture_output=True, text=True
    )
    assert (result.returncode == 0) is ok, result.stderr
    if not ok:
        assert "API_ANON_RATE" in result.stderr
