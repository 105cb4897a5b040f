"""Every JSON error under /api/ is encoded as DRF encodes its own answers: UTF-8, Chinese readable
(not ``\\uXXXX`` escapes), compact; whichever path produced it (an unknown address, Django's 404 and
500 handlers, a database that cannot be reached, the request guard, DRF's own exception handler)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from rest_framework.renderers import JSONRenderer

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing(settings):
    settings.ROOT_URLCONF = "tests.portal.urls_failing"
    return Client(raise_request_exception=False)


def assert_encoded_as_drf(response):
    assert response["Content-Type"].split(";")[0] == "application/json"
    body = response.json()
    assert set(body) >= {"detail", "code"}
    assert b"\\u" not in response.content, response.content
    assert response.content == JSONRenderer().render(body), "the same bytes DRF would write"
    return body


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/v1/no-such-endpoint/", 404, "not_found"),  # the API's own catch-all
        ("/api/v2/cases/", 404, "not_found"),  # Django's handler404
        ("/api/v1/test-database-gone/", 503, "service_unavailable"),  # the database-down handler
        ("/api/v1/test-bug/", 500, "server_error"),  # handler500
        ("/api/v1/cases/?q=%00", 400, "bad_request"),  # the request guard
        ("/api/v1/cases/999999/", 404, "not_found"),  # DRF's exception handler
    ],
)
def test_api_error_bodies_are_utf8_json_with_chinese_readable(failing, library, path, status, code):
    response = failing.get(path)
    assert response.status_code == status
    body = assert_encoded_as_drf(response)
    assert body["code"] == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["detail"])
    assert body["detail"].encode("utf-8") in response.content


def test_the_503_body_reads_as_chinese_in_the_raw_bytes(failing, db):
    response = failing.get("/api/v1/test-database-gone/")
    assert response.status_code == 503
    assert "服务暂时不可用".encode() in response.content
    assert json.loads(response.content.decode("utf-8"))["code"] == "service_unavailable"
