"""Responses drawn in the reader's text size and contrast (pref_* cookies) are never mixed up by caches.

Shared HTTP caches: a response they may serve without asking (public, max-age) says ``Vary: Cookie``
when it read the cookies; a page without freshness is revalidated by its ETag, which differs per
variant. The page cache keys on the cookies' values itself (tests/portal/test_page_cache.py).
"""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LARGE = {"pref_text_size": "large", "pref_contrast": "high"}


def vary(response) -> set[str]:
    return {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}


def get(path, cookies=None):
    client = Client()
    for name, value in (cookies or {}).items():
        client.cookies[name] = value
    return client.get(path)


def test_the_api_docs_page_is_fresh_for_shared_caches_so_it_varies_on_cookie(library):
    plain, large = get("/api/v1/docs/"), get("/api/v1/docs/", LARGE)
    assert "max-age" in plain["Cache-Control"] and "public" in plain["Cache-Control"]
    assert "cookie" in vary(plain) and "cookie" in vary(large)
    assert b"text-large contrast-high" in large.content and b"text-large" not in plain.content
    assert plain["ETag"] != large["ETag"]


@pytest.mark.parametrize("path", ["/api/v1/docs/?script", "/api/v1/cases/", "/api/v1/schema/"])
def test_api_answers_that_read_no_preference_do_not_vary_on_cookie(library, path):
    response = get(path, LARGE)
    assert response.status_code == 200 and "cookie" not in vary(response)
    assert not response.cookies  # nothing sets a cookie (no CSRF token in the start-up script)


@pytest.mark.parametrize("path", ["/", "/cases/2021-best-08/", "/api/v1/data/"])
def test_pages_without_freshness_are_told_apart_by_their_etag(library, path, settings):
    settings.PAGE_CACHE_ENABLED = True
    plain, large = get(path), get(path, LARGE)
    assert "max-age" not in plain.get("Cache-Control", "") and "public" not in plain.get("Cache-Control", "")
    assert plain["ETag"] != large["ETag"]


def test_the_swagger_start_up_script_renders_no_csrf_token(library):
    response = get("/api/v1/docs/?script")
    assert b"csrf" not in response.content.lower() and "csrftoken" not in response.cookies
    assert b"SwaggerUIBundle" in response.content
