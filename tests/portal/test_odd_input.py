"""Property-based: odd values for every public query parameter and path segment of the site and the API.

The addresses come from the URLconf and the parameters from each view's declaration (portal/query.py,
which reads the filter sets and paginators), so a new page, filter or parameter is covered without
touching this file. Whatever the value (control and format characters, CJK radicals, full-width forms,
Unicode digits, NUL, very long strings): no 5xx, and a well-formed answer: JSON with detail and code
for API errors, a Chinese page for HTML errors, valid XML for the feed and the sitemap.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from portal.query import declared_parameters

pytestmark = pytest.mark.django_db

GROUP = re.compile(r"<(?:\w+:)?\w+>|\(\?P<\w+>[^)]*\)|\[\\s\\S\]\*")


def public_routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(settings.ADMIN_PATH):
            continue
        if isinstance(pattern, URLResolver):
            yield from public_routes(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route.replace("^", "").replace("$", ""), pattern.callback


ROUTES = sorted(dict(public_routes()).items())
SEGMENT_ROUTES = [route for route, _ in ROUTES if GROUP.search(route)]
QUERY_TARGETS = sorted(
    {
        (route, name)
        for route, view in ROUTES
        if not GROUP.search(route)
        for name in declared_parameters(view, "GET") or ()
    }
)

ODD = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.text(
        alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Co"], codec="utf-8"), max_size=10
    ),
    st.text(alphabet=st.characters(min_codepoint=0x2E80, max_codepoint=0x2FDF), min_size=1, max_size=10),
    st.text(alphabet=st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E), min_size=1, max_size=10),
    st.text(alphabet=st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=6),
    st.text(alphabet="便民服务⺠⻓㐀𠀀 -_.,%&=#/?", min_size=200, max_size=3000),
    st.sampled_from(["\x00", "a\x00b", "²", "①", "₂", "１２", "-1", "0", "9" * 25, "", " ", "%", "%00"]),
)
EXAMPLES = ["\x00", "²", "①", "₂", "１", "便⺠服务", "\u200b\ufeff", "\x0b", "a" * 3000, "../..", "%2F"]
PROPERTY_SETTINGS = hsettings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CHINESE_ERROR = ("页面不存在", "请求无效", "服务器出错", "服务暂时不可用", "没有访问权限")


def check(response, path: str) -> None:
    assert response.status_code < 500, (path, response.status_code)
    if response.status_code in (301, 302, 304):
        return
    content_type = response.get("Content-Type", "")
    body = response.content
    if path.startswith("/api/") and response.status_code >= 400:
        data = json.loads(body)
        assert isinstance(data["detail"], str) and isinstance(data["code"], str), data
    elif content_type.startswith("application/json"):
        json.loads(body)
    elif "xml" in content_type:
        ET.fromstring(body)
    elif content_type.startswith("text/html") and response.status_code >= 400:
        assert any(words in body.decode() for words in CHINESE_ERROR), (path, body[:300])


def fill(route: str, value: str) -> str:
    return "/" + GROUP.sub(lambda _: quote(value, safe=""), route)


@pytest.mark.parametrize(("route", "name"), QUERY_TARGETS)
@PROPERTY_SETTINGS
@given(value=ODD)
@example(value=EXAMPLES[0])
@example(value=EXAMPLES[1])
@example(value=EXAMPLES[5])
@example(value=EXAMPLES[8])
def test_any_value_of_any_query_parameter(library, route, name, value):
    path = "/" + route
    url = f"{path}?{urlencode({name: value})}"
    check(Client().get(url), path)


@pytest.mark.parametrize("route", SEGMENT_ROUTES)
@PROPERTY_SETTINGS
@given(value=ODD.filter(bool))
@example(value=EXAMPLES[0])
@example(value=EXAMPLES[2])
@example(value=EXAMPLES[5])
@example(value=EXAMPLES[9])
@example(value=EXAMPLES[10])
def test_any_path_segment(library, route, value):
    path = fill(route, value)
    check(Client().get(path), path)


def test_the_targets_cover_the_site():
    names = {name for _, name in QUERY_TARGETS}
    assert {
        "q",
        "tier",
        "prefecture",
        "level",
        "theme",
        "unit",
        "notice",
        "ordering",
        "page",
        "sort",
    } <= names
    assert {"page_size", "format", "p"} <= names
    assert any("cases/<slug:slug>" in route for route in SEGMENT_ROUTES)
    assert any("(?P<pk>" in route for route in SEGMENT_ROUTES)
