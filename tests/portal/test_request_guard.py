"""The request guard and the page-cache key: views get only the query parameters they declared, junk
neither misses nor grows the cache, NUL never reaches the database, conditional GET on cache hits."""

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from portal.query import declared_parameters, parse_positive_int

pytestmark = pytest.mark.usefixtures("page_cache")


def public_patterns(resolver=None, prefix=""):
    """(route, view) of every address of the site outside the admin, from the URLconf itself."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(settings.ADMIN_PATH):
            continue
        if isinstance(pattern, URLResolver):
            yield from public_patterns(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


def test_every_public_address_declares_the_parameters_it_reads():
    routes = list(public_patterns())
    assert len(routes) > 20
    undeclared = [route for route, view in routes if declared_parameters(view, "GET") is None]
    assert undeclared == []


def test_declarations_come_from_the_filter_set_and_the_paginator():
    views = dict(public_patterns())
    case_list = views["cases/"]
    from cases.filters import CaseFilter

    assert set(CaseFilter.base_filters) | {"page", "sort"} == declared_parameters(case_list, "GET")
    api_cases = views["api/v1/^cases/$"]
    assert declared_parameters(api_cases, "GET") == set(CaseFilter.base_filters) | {
        "page",
        "page_size",
        "format",
    }
    assert declared_parameters(views["api/v1/^cases/(?P<pk>[0-9]+)/$"], "GET") == {"format"}


def test_a_view_cannot_read_a_parameter_it_did_not_declare(client, settings, library):
    """The key covers everything a page can read, by construction: what it did not declare never reaches it."""
    settings.ROOT_URLCONF = "tests.portal.urls_declared"
    first = client.get("/declared/?colour=red&size=9")
    assert first.json() == {"colour": "red", "size": None}
    second = client.get("/declared/?size=1&colour=red")
    assert second["X-Page-Cache"] == "hit"


def test_junk_parameters_share_the_cached_page(client, library):
    assert client.get("/cases/?tier=best")["X-Page-Cache"] == "miss"
    for junk in ("utm_source=x1", "_=2", "fbclid=abc", "tier=", "page="):
        response = client.get(f"/cases/?{junk}&tier=best")
        assert response["X-Page-Cache"] == "hit", junk


def test_parameter_order_does_not_matter(client, library):
    client.get("/cases/?tier=best&prefecture=510100")
    assert client.get("/cases/?prefecture=510100&tier=best")["X-Page-Cache"] == "hit"
    client.get("/api/v1/cases/?page_size=5&tier=best")
    assert client.get("/api/v1/cases/?tier=best&page_size=5")["X-Page-Cache"] == "hit"


def test_links_on_a_page_carry_no_junk(client, library):
    body = client.get("/cases/?utm_source=evil&tier=best").content.decode()
    assert "utm_source" not in body and "evil" not in body


def test_unknown_preference_cookie_values_are_the_default_page(client, library):
    client.get("/cases/")
    for value in ("huge", "medium", "<b>"):
        client.cookies["pref_text_size"] = value
        assert client.get("/cases/")["X-Page-Cache"] == "hit", value
    client.cookies["pref_colour"] = "red"
    assert client.get("/cases/")["X-Page-Cache"] == "hit"
    client.cookies["pref_text_size"] = "large"
    assert client.get("/cases/")["X-Page-Cache"] == "miss"


def test_accept_headers_that_negotiate_the_same_answer_share_an_entry(client, library):
    client.get("/api/v1/cases/", HTTP_ACCEPT="application/json")
    for accept in (
        "*/*",
        "application/json, text/plain",
        "text/html,application/xhtml+xml,*/*;q=0.8",
        "x/y, */*",
    ):
        assert client.get("/api/v1/cases/", HTTP_ACCEPT=accept)["X-Page-Cache"] == "hit", accept
    client.get("/cases/", HTTP_ACCEPT="text/html")
    assert client.get("/cases/", HTTP_ACCEPT="junk/1")["X-Page-Cache"] == "hit"  # pages do not negotiate


def test_a_made_up_host_port_is_not_cached(client, library, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    for port in (1, 2, 3):
        assert client.get("/cases/", HTTP_HOST=f"testserver:{port}")["X-Page-Cache"] == "bypass"


def test_pages_that_corrected_the_input_are_not_stored(client, library):
    for value in ("gold1", "gold2"):
        response = client.get(f"/cases/?tier={value}")
        assert "已忽略这一筛选条件" in response.content.decode()
        assert "private" in response["Cache-Control"]
        assert client.get(f"/cases/?tier={value}")["X-Page-Cache"] == "miss"


@pytest.mark.parametrize("method", ["TRACE", "PROPFIND", "CONNECT"])
def test_methods_no_page_answers_are_405_and_never_rendered(client, library, method):
    response = client.generic(method, "/cases/")
    assert response.status_code == 405
    assert "X-Page-Cache" not in response or response["X-Page-Cache"] != "hit"
    assert client.generic(method, "/api/v1/cases/").json()["code"] == "method_not_allowed"


def test_a_public_page_answers_only_get_and_head(client, library):
    assert client.post("/cases/").status_code == 405
    assert client.head("/cases/").status_code == 200


@pytest.mark.parametrize("url", ["/api/v1/cases/", "/api/v1/cases/1/", "/cases/", "/cases/2021-best-01/"])
def test_a_cache_hit_answers_a_conditional_get_with_304(client, library, url):
    first = client.get(url)
    assert first["ETag"]
    hit = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert hit.status_code == 304
    assert hit["X-Page-Cache"] == "hit"
    assert hit["ETag"] == first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_a_cache_hit_answers_if_modified_since(client, library):
    first = client.get("/api/v1/cases/")
    assert client.get("/api/v1/cases/")["X-Page-Cache"] == "hit"
    response = client.get("/api/v1/cases/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert response.status_code == 304


@pytest.mark.parametrize(
    "url",
    [
        "/admin/autocomplete/?app_label=cases&model_name=case&field_name=unit&term=%00",
        "/admin/cases/case/?q=%00",
        "/admin/awards/unit/?q=a%00b",
        "/admin/cases/case/?status__exact=%00",
    ],
)
def test_a_null_character_never_reaches_the_database_in_the_admin(admin_client, library, url):
    response = admin_client.get(url)
    assert response.status_code == 400
    assert "无法处理的字符" in response.content.decode()


def test_forms_refuse_a_null_character_in_a_post(client, library):
    """Django's form fields refuse NUL themselves: the sign-in form answers with its own message."""
    response = client.post("/admin/login/", {"username": "a\x00b", "password": "x"})
    assert response.status_code == 200
    assert "空字符" in response.content.decode() or "Null characters" in response.content.decode()


def test_a_cookie_with_a_null_character_is_ignored(client, library):
    client.cookies["sessionid"] = '"\\000aaaaaaaaaaaaaaaa"'
    assert client.get("/cases/").status_code == 200
    assert client.get("/admin/").status_code == 302  # to the sign-in page, not a 500


@pytest.mark.parametrize("raw", ["²", "①", "₂", "１", "١", "0", "-1", "1.0", "", " ", "1e3", "9" * 19])
def test_only_ascii_whole_numbers_are_numbers(raw):
    assert parse_positive_int(raw) is None


def test_ascii_whole_numbers():
    assert parse_positive_int(" 12 ") == 12
    assert parse_positive_int("9" * 18) == 10**18 - 1
